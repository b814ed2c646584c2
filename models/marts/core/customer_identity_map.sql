{#- One row per trusted source record -> customer_key. Baseline until the identity models
    land: every record is its own customer (customer_key = md5 of its customer_record_id, the
    same rule the clustered version keeps for singletons). -#}
with records as (
    select * from {{ ref('int_customers__validated') }}
),

final as (
    select
        source_system,
        source_customer_id,
        customer_record_id,
        {{ dbt.hash('customer_record_id') }} as customer_key,
        case when is_stub_record then 'stub_record' else 'no_match' end as match_rule,
        cast(1.0 as double) as match_confidence
    from records
)

select * from final
