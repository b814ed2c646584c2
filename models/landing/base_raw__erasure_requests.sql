{#- One row per data row of the optional raw erasure_requests input, stored pseudonymized:
    the e-mail and the source id are kept only as keyed hashes (privacy_hmac) of their
    normalized forms (e-mail match key as in identity resolution; trimmed id), so the
    request itself does not keep the person's identifiers in the warehouse. -#}
-- depends_on: {{ source('raw', 'erasure_requests') }}
with landed as (
    {{ land_raw_table('erasure_requests') }}
),

cleaned as (
    select
        {{ clean_text('requested_at') }} as requested_at_text,
        {{ std_email_raw('email') }} as email_clean,
        lower({{ clean_text('source_system') }}) as source_system,
        {{ clean_text('source_customer_id') }} as source_customer_id,
        _source_file,
        _source_row_number
    from landed
),

final as (
    select
        {{ privacy_hmac(concat_skip_nulls("'|'", [
            "coalesce(requested_at_text, '')", "coalesce(email_clean, '')",
            "coalesce(source_system, '')", "coalesce(source_customer_id, '')"
        ])) }} as request_id,
        {{ dbt.safe_cast('requested_at_text', api.Column.translate_type('timestamp')) }} as requested_at,
        case
            when {{ is_valid_email('email_clean') }} then {{ privacy_hmac(email_match_key('email_clean')) }}
        end as email_hmac,
        case
            when email_clean is not null and not {{ is_valid_email('email_clean') }} then true else false
        end as is_invalid_email,
        source_system,
        {{ privacy_hmac('source_customer_id') }} as source_customer_id_hmac,
        _source_file,
        _source_row_number
    from cleaned
)

select * from final
