{{ config(materialized='incremental', unique_key='request_id', full_refresh=false,
          on_schema_change='fail') }}
{#- One row per erasure request ever received (append-only; a full refresh keeps it): when
    it was first processed and what it matched then. Identifiers are kept only as keyed
    hashes, never in clear. Requests stay in force after their file is gone: the targets of
    every build (int_erasure__targets) are read from this log. -#}
with requests as (
    select * from {{ ref('base_raw__erasure_requests') }}
),

pseudonyms as (
    select * from {{ ref('int_customers__pseudonyms') }}
),

identity_map as (
    select * from {{ ref('customer_identity_map') }}
),

new_requests as (
    select
        request_id,
        min(requested_at) as requested_at,
        min(email_hmac) as email_hmac,
        min(source_system) as source_system,
        min(source_customer_id_hmac) as source_customer_id_hmac
    from requests
    {%- if is_incremental() %}
        where request_id not in (select request_id from {{ this }})
    {%- endif %}
    group by request_id
),

matched as (
    select
        new_requests.request_id,
        count(distinct pseudonyms.customer_record_id) as matched_record_count,
        count(distinct identity_map.customer_key) as matched_customer_count
    from new_requests
    left join pseudonyms
        on new_requests.email_hmac = pseudonyms.email_hmac
            or (
                new_requests.source_customer_id_hmac = pseudonyms.source_customer_id_hmac
                and coalesce(new_requests.source_system, pseudonyms.source_system) = pseudonyms.source_system
            )
    left join identity_map on pseudonyms.customer_record_id = identity_map.customer_record_id
    group by new_requests.request_id
),

final as (
    select
        new_requests.request_id,
        cast(new_requests.requested_at as timestamp) as requested_at,
        new_requests.email_hmac,
        new_requests.source_system,
        new_requests.source_customer_id_hmac,
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as timestamp) as processed_at,
        cast(matched.matched_record_count as integer) as matched_record_count,
        cast(matched.matched_customer_count as integer) as matched_customer_count,
        case
            when new_requests.email_hmac is null and new_requests.source_customer_id_hmac is null then 'invalid'
            when matched.matched_record_count > 0 then 'erased'
            else 'no_match'
        end as status
    from new_requests
    inner join matched on new_requests.request_id = matched.request_id
)

select * from final
