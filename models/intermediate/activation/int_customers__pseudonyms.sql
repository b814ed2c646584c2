{#- One row per customer record: keyed hashes (privacy_hmac) of the identifiers an erasure
    request can name, the e-mail match key and the source id, so requests (stored only as
    the same hashes) are matched without clear identifiers. -#}
with records as (
    select * from {{ ref('int_customers__validated') }}
),

final as (
    select
        customer_record_id,
        source_system,
        {{ privacy_hmac('email_match_key') }} as email_hmac,
        {{ privacy_hmac('source_customer_id') }} as source_customer_id_hmac
    from records
)

select * from final
