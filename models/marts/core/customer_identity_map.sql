{#- Every trusted source record and the customer it belongs to. customer_key is md5 of the
    cluster's earliest-seen record (signup date, else updated_at; ties by the smallest
    customer_record_id), so it stays when newer records join; match_rule says how the record
    joined it and match_confidence how sure that is. One row per (source_system,
    source_customer_id). -#}
with clusters as (
    select * from {{ ref('int_customers__clusters') }}
),

final as (
    select
        source_system,
        source_customer_id,
        customer_record_id,
        customer_key,
        match_rule,
        match_confidence,
        cluster_record_count
    from clusters
)

select * from final
