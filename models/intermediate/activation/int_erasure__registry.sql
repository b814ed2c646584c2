{{ config(materialized='incremental', unique_key='record_hmac', full_refresh=false,
          on_schema_change='fail') }}
{#- One row per customer record ever erased (append-only; a full refresh keeps it), kept
    only as a keyed hash (HMAC of customer_record_id), with the request that erased it.
    The erasure scope of later builds reads it (without a ref: it is built after the
    scope), so the whole person stays suppressed after the request file is gone, including
    records found through the identity cluster of the build that first erased them, which
    no request identifier matches. -#}
with scope as (
    select * from {{ ref('int_erasure__scope') }}
    where target_kind = 'customer_record_id'
),

requests as (
    {#- the requests this build knows: erasure_log rows of this build and before -#}
    select
        request_id,
        coalesce(requested_at, processed_at) as requested_at
    from {{ ref('erasure_log') }}
),

final as (
    select
        {{ privacy_hmac('scope.target_value') }} as record_hmac,
        min(scope.request_id) as request_id,
        min(requests.requested_at) as requested_at,
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as timestamp) as erased_at
    from scope
    left join requests on scope.request_id = requests.request_id
    group by 1
)

select * from final
{%- if is_incremental() %}
    where record_hmac not in (select record_hmac from {{ this }})
{%- endif %}
