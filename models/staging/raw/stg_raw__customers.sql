{#- A table, not a view like the folder default: ~20 data tests read it, and as a view each
    of them re-ran the whole standardization (1M bench: 3 tests alone took 150 s). -#}
{{ config(materialized='table') }}
with source as (
    select * from {{ ref('base_raw__customers') }}
),

country_aliases as (
    select * from {{ ref('country_aliases') }}
),

phone_codes as (
    select * from {{ ref('phone_country_codes') }}
),

cleaned as (
    select
        _source_file || '#' || cast(_source_row_number as varchar) as source_row_id,
        _source_file,
        coalesce(lower({{ clean_text('source_system') }}), {{ sql_string_literal(var('raw__default_source_system')) }})
            as source_system,
        {{ clean_text('source_customer_id') }} as source_customer_id,
        {{ std_name('first_name') }} as first_name_clean,
        {{ std_name('last_name') }} as last_name_clean,
        {{ std_email_raw('email') }} as email_clean,
        {{ clean_text('phone') }} as phone_clean,
        {{ std_name('street') }} as street,
        {{ std_name('city') }} as city,
        upper({{ clean_text('postcode') }}) as postcode,
        upper({{ clean_text('state') }}) as state,
        upper({{ clean_text('country') }}) as country_text,
        {{ clean_text('birth_date') }} as birth_date_text,
        lower({{ clean_text('gender') }}) as gender_text,
        {{ clean_text('signup_date') }} as signup_date_text,
        lower({{ clean_text('marketing_consent') }}) as consent_text,
        {{ clean_text('updated_at') }} as updated_at_text
    from source
),

parsed as (
    select
        cleaned.*,
        {{ parse_date('birth_date_text', 'source_system') }} as birth_date_parsed,
        {{ parse_date('signup_date_text', 'source_system') }} as signup_date,
        {{ parse_timestamp('updated_at_text', 'source_system') }} as updated_at,
        coalesce(
            country_aliases.country_iso2,
            case when country_text is null then {{ source_setting('source_system', 'default_country') }} end
        )
            as country_iso2,
        country_text is not null and country_aliases.country_iso2 is null as is_unknown_country
    from cleaned
    left join country_aliases on cleaned.country_text = upper(country_aliases.alias)
),

with_phone as (
    select
        parsed.*,
        {{ std_phone('phone_clean', 'phone_codes.calling_code', 'phone_codes.trunk_prefix',
                     'phone_codes.national_number_min_length', 'phone_codes.national_number_max_length') }} as phone_e164_candidate,
        {{ phone_extension('phone_clean') }} as phone_extension
    from parsed
    left join
        phone_codes
        on phone_codes.country_iso2
            = coalesce(parsed.country_iso2, {{ source_setting('parsed.source_system', 'default_country') }})
),

checked as (
    select
        with_phone.*,
        coalesce(
            with_phone.birth_date_parsed < cast({{ sql_string_literal(var('quality__min_plausible_date')) }} as date)
            or with_phone.birth_date_parsed
            > coalesce(with_phone.signup_date, cast(with_phone.updated_at as date), with_phone.birth_date_parsed)
            or {{ dbt.datediff(
                'birth_date_parsed',
                'coalesce(signup_date, cast(updated_at as date), birth_date_parsed)',
                'year'
            ) }}
            > {{ var('quality__max_age_years') | int }},
            false
        ) as is_implausible_birth_date
    from with_phone
),

final as (
    select
        source_row_id,
        source_system,
        source_customer_id,
        case when {{ name_issue('first_name_clean') }} is null then first_name_clean end as first_name,
        case when {{ name_issue('last_name_clean') }} is null then last_name_clean end as last_name,
        case when {{ is_valid_email('email_clean') }} then email_clean end as email,
        case when {{ is_valid_email('email_clean') }} then {{ email_match_key('email_clean') }} end as email_match_key,
        case when {{ is_valid_e164('phone_e164_candidate') }} then phone_e164_candidate end as phone_e164,
        phone_extension,
        street,
        city,
        postcode,
        state,
        country_iso2,
        case when not is_implausible_birth_date then birth_date_parsed end as birth_date,
        case
            when gender_text in ('f', 'female', 'w', 'woman', 'frau') then 'female'
            when gender_text in ('m', 'male', 'man', 'herr') then 'male'
            when gender_text is not null then 'other_or_unknown'
        end as gender,
        signup_date,
        case
            when consent_text in ('true', 't', 'yes', 'y', '1', 'opt-in', 'opt_in', 'granted') then true
            when consent_text in ('false', 'f', 'no', 'n', '0', 'opt-out', 'opt_out', 'withdrawn') then false
        end as has_marketing_consent,
        updated_at,
        nullif({% call concat_skip_nulls("','") %}
            case when email_clean is not null and not {{ is_valid_email('email_clean') }} then 'invalid_email' end,
            case
                when
                    phone_clean is not null and not coalesce({{ is_valid_e164('phone_e164_candidate') }}, false)
                    then 'invalid_phone'
            end,
            {{ name_issue('first_name_clean') }},
            case when {{ name_issue('first_name_clean') }} is null then {{ name_issue('last_name_clean') }} end,
            case when birth_date_text is not null and birth_date_parsed is null then 'unparseable_profile_date' end,
            case when is_implausible_birth_date then 'implausible_date' end,
            case when signup_date_text is not null and signup_date is null then 'unparseable_profile_date' end,
            case when updated_at_text is not null and updated_at is null then 'unparseable_profile_date' end,
            -- a naive update time in the DST spring-forward gap: kept (pre-change offset), flagged
            case when {{ naive_time_in_dst_gap('updated_at_text', 'source_system') }} then 'dst_gap_time' end,
            case when is_unknown_country then 'unknown_country' end,
            -- the row's raw file (part) lacks a contract column: NULL here, not in the data
            {{ missing_column_issue('customers') }},
            -- kept whole, never cut: flagged when a text field is longer than the var allows
            case
                when
                    greatest(
                        coalesce(length(street), 0), coalesce(length(city), 0),
                        coalesce(length(first_name_clean), 0), coalesce(length(last_name_clean), 0),
                        coalesce(length(email_clean), 0)
                    ) > {{ var('quality__max_text_length', 1000) | int }}
                    then 'text_too_long'
            end
        {% endcall %}, '') as field_issues,
        case
            when source_customer_id is null then 'missing_required'
        end as row_issue
    from checked
)

select * from final
