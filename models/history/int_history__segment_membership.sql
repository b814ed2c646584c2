{#- One row per customer_key of this build: the segment of each family the history tracks
    (RFM segment, primary rule segment, stable cluster id, churn risk band), a hash of them,
    and the build's as_of_date as a timestamp (the snapshot's clock, never wall-clock time). -#}
{%- set include_ml = var('segments__include_ml', target.type != 'spark') %}
with customer_segments as (
    select * from {{ ref('customer_segments') }}
),

run_date as (
    select as_of_date from {{ ref('int_run__as_of_date') }}
),

memberships as (
    select
        customer_segments.customer_key,
        cast(customer_segments.rfm_segment as {{ dbt.type_string() }}) as rfm_segment,
        cast(customer_segments.primary_segment as {{ dbt.type_string() }}) as primary_segment,
        {%- if include_ml %}
            cast(customer_segments.cluster_id as {{ dbt.type_string() }}) as cluster_segment,
            cast(customer_segments.churn_risk_band as {{ dbt.type_string() }}) as churn_risk_band,
        {%- else %}
            cast(null as {{ dbt.type_string() }}) as cluster_segment,
            cast(null as {{ dbt.type_string() }}) as churn_risk_band,
        {%- endif %}
        cast(run_date.as_of_date as {{ dbt.type_timestamp() }}) as as_of_at
    from customer_segments
    cross join run_date
),

final as (
    select
        customer_key,
        rfm_segment,
        primary_segment,
        cluster_segment,
        churn_risk_band,
        {{ dbt.hash(dbt.concat([
            "coalesce(rfm_segment, '~')", "'|'",
            "coalesce(primary_segment, '~')", "'|'",
            "coalesce(cluster_segment, '~')", "'|'",
            "coalesce(churn_risk_band, '~')"
        ])) }} as membership_hash,
        as_of_at
    from memberships
)

select * from final
