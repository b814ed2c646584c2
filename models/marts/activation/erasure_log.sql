{{ config(materialized='incremental', unique_key='request_id', full_refresh=false,
          on_schema_change='fail') }}
{#- One row per erasure request ever received (append-only; a full refresh keeps it): when
    it was first processed and what it matched then. Identifiers are kept only as keyed
    hashes, never in clear. Requests stay in force after their file is gone: the erasure
    scope of every build (int_erasure__scope) reads this log as it was before the build. -#}
with requests as (
    select * from {{ ref('base_raw__erasure_requests') }}
),

scope as (
    {#- what this build suppressed, per request (int_erasure__scope; computed before the
        build reads the staged data, so the match is not limited to what survived it) -#}
    select * from {{ ref('int_erasure__scope') }}
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
    {#- records: suppressed because of the request; customers: the identity clusters (of the
        last build's customer_identity_map) those records belonged to, or 1 when the records
        were never resolved before (a first build) -#}
    select
        new_requests.request_id,
        count(distinct case when scope.target_kind = 'customer_record_id' then scope.target_value end)
            as matched_record_count,
        count(distinct case when scope.target_kind = 'customer_key' then scope.target_value end)
            as matched_key_count
    from new_requests
    left join scope on new_requests.request_id = scope.request_id
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
        cast(case
            when matched.matched_record_count = 0 then 0
            else greatest(matched.matched_key_count, 1)
        end as integer) as matched_customer_count,
        case
            when new_requests.email_hmac is null and new_requests.source_customer_id_hmac is null then 'invalid'
            when matched.matched_record_count > 0 then 'erased'
            else 'no_match'
        end as status
    from new_requests
    inner join matched on new_requests.request_id = matched.request_id
)

select * from final
