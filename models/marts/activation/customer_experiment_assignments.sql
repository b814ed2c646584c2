{#- One row per (experiment_id, customer_key): the customer's variant in each experiment of
    the seed experiments. bucket = first 32 bits of md5('<salt>:<anchor record id>') / 2^32
    (macro activation_hash_bucket); treatment when bucket < treatment_share. Deterministic:
    the same input gives the same assignment on every run and engine. -#}
with experiments as (
    select * from {{ ref('experiments') }}
),

anchors as (
    select * from {{ ref('int_customers__experiment_anchor') }}
),

segments as (
    select * from {{ ref('customer_segments') }}
),

erased as (
    select target_value as customer_key
    from {{ ref('int_erasure__targets') }}
    where target_kind = 'customer_key'
),

bucketed as (
    select
        experiments.experiment_id,
        segments.customer_key,
        segments.customer_pseudo_id,
        experiments.treatment_share,
        experiments.start_date,
        {{ activation_hash_bucket("experiments.salt || ':' || anchors.anchor_record_id") }} as assignment_bucket
    from segments
    inner join anchors on segments.customer_key = anchors.customer_key
    cross join experiments
    where segments.customer_key not in (select customer_key from erased)
),

final as (
    select
        experiment_id,
        customer_key,
        customer_pseudo_id,
        case when assignment_bucket < treatment_share then 'treatment' else 'control' end as variant,
        cast(assignment_bucket as double) as assignment_bucket,
        cast(start_date as date) as start_date
    from bucketed
)

select * from final
