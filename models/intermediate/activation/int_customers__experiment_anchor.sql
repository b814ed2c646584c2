{#- One row per customer_key: the record experiments hash to assign the customer. The
    anchor is the customer's earliest record (signup date, then customer_record_id), not the
    customer_key: customer_key is the md5 of the smallest record id of the cluster and
    changes when a record with a smaller id joins; a record arriving later rarely has an
    earlier signup, so assignments survive such re-keys (docs/activation.md). -#}
with identity_map as (
    select * from {{ ref('customer_identity_map') }}
),

records as (
    select * from {{ ref('int_customers__validated') }}
),

ranked as (
    select
        identity_map.customer_key,
        identity_map.customer_record_id,
        row_number() over (
            partition by identity_map.customer_key
            order by records.signup_date nulls last, identity_map.customer_record_id
        ) as record_rank
    from identity_map
    inner join records on identity_map.customer_record_id = records.customer_record_id
),

final as (
    select
        customer_key,
        customer_record_id as anchor_record_id
    from ranked
    where record_rank = 1
)

select * from final
