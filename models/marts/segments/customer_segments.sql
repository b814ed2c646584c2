{#- One row per customer_key: the wide, contracted table BI reads. RFM, an engagement
    summary, the primary rule segment (the matching rule with the lowest priority number,
    'Unsegmented' when none matches) and non-PII demographics. No names, e-mails, phones,
    addresses or birth dates; customer_pseudo_id is a keyed hash (HMAC) of the customer_key
    (macro privacy_hmac, docs/privacy.md). The learned
    families (cluster, outlier vote, churn / purchase propensity, CLV) come from the Python
    models; with the var segments__include_ml false (targets without Python models) those
    columns are typed NULLs. -#}
{%- set include_ml = var('segments__include_ml', target.type != 'spark') %}
with customer_features as (
    select * from {{ ref('customer_features') }}
),

customer_rfm as (
    select * from {{ ref('customer_rfm') }}
),

customer_engagement as (
    select * from {{ ref('customer_engagement') }}
),

rule_segments as (
    select * from {{ ref('customer_rule_segments') }}
),
{%- if include_ml %}

    customer_clusters as (
        select * from {{ ref('customer_clusters') }}
    ),

    customer_outliers as (
        select * from {{ ref('customer_outliers') }}
    ),

    customer_churn_scores as (
        select * from {{ ref('customer_churn_scores') }}
    ),

    customer_clv as (
        select * from {{ ref('customer_clv') }}
    ),
{%- endif %}

ranked_rules as (
    select
        customer_key,
        rule_name,
        rule_priority,
        row_number() over (partition by customer_key order by rule_priority, rule_name) as rule_rank,
        count(*) over (partition by customer_key) as rule_segment_count
    from rule_segments
),

rule_summary as (
    select
        customer_key,
        max(case when rule_rank = 1 then rule_name end) as primary_segment,
        max(case when rule_rank = 1 then rule_priority end) as primary_segment_priority,
        max(rule_segment_count) as rule_segment_count,
        {{ dbt.listagg('rule_name', "', '", 'order by rule_priority, rule_name') }} as rule_segments
    from ranked_rules
    group by customer_key
),

final as (
    select
        cast(customer_features.customer_key as {{ dbt.type_string() }}) as customer_key,
        cast({{ privacy_hmac('customer_features.customer_key') }} as {{ dbt.type_string() }}) as customer_pseudo_id,
        cast(customer_features.as_of_date as date) as as_of_date,
        cast(customer_features.country_iso2 as {{ dbt.type_string() }}) as country_iso2,
        cast(customer_features.gender as {{ dbt.type_string() }}) as gender,
        cast(customer_features.age_band as {{ dbt.type_string() }}) as age_band,
        cast(customer_features.has_marketing_consent as boolean) as has_marketing_consent,
        cast(customer_rfm.has_orders as boolean) as has_orders,
        cast(customer_rfm.recency_days as integer) as recency_days,
        cast(customer_rfm.frequency as integer) as frequency,
        cast(customer_rfm.monetary_amount as double) as monetary_amount,
        cast(customer_rfm.r_score as integer) as r_score,
        cast(customer_rfm.f_score as integer) as f_score,
        cast(customer_rfm.m_score as integer) as m_score,
        cast(customer_rfm.rfm_code as {{ dbt.type_string() }}) as rfm_code,
        cast(customer_rfm.rfm_segment as {{ dbt.type_string() }}) as rfm_segment,
        cast(customer_engagement.has_events as boolean) as has_events,
        cast(customer_engagement.sessions_30d as integer) as sessions_30d,
        cast(customer_engagement.product_views_30d as integer) as product_views_30d,
        cast(customer_engagement.add_to_carts_30d as integer) as add_to_carts_30d,
        cast(customer_engagement.cart_abandonment_rate_90d as double) as cart_abandonment_rate_90d,
        cast(customer_features.days_since_last_activity as integer) as days_since_last_activity,
        cast(customer_engagement.engagement_score as double) as engagement_score,
        cast(customer_engagement.engagement_level as {{ dbt.type_string() }}) as engagement_level,
        cast(customer_engagement.is_bot_suspect as boolean) as is_bot_suspect,
        cast(coalesce(rule_summary.primary_segment, 'Unsegmented') as {{ dbt.type_string() }}) as primary_segment,
        cast(rule_summary.primary_segment_priority as integer) as primary_segment_priority,
        cast(coalesce(rule_summary.rule_segment_count, 0) as integer) as rule_segment_count,
        cast(rule_summary.rule_segments as {{ dbt.type_string() }}) as rule_segments,
        cast({{ 'customer_clusters.cluster_id' if include_ml else 'null' }} as integer) as cluster_id,
        cast(
            {{ 'customer_clusters.cluster_name' if include_ml else 'null' }}
            as {{ dbt.type_string() }}
        ) as cluster_name,
        cast({{ 'customer_outliers.is_outlier' if include_ml else 'null' }} as boolean) as is_outlier,
        cast({{ 'customer_outliers.outlier_votes' if include_ml else 'null' }} as integer) as outlier_votes,
        cast({{ 'customer_churn_scores.churn_probability' if include_ml else 'null' }} as double) as churn_probability,
        cast(
            {{ 'customer_churn_scores.churn_risk_band' if include_ml else 'null' }}
            as {{ dbt.type_string() }}
        ) as churn_risk_band,
        cast(
            {{ 'customer_churn_scores.purchase_30d_probability' if include_ml else 'null' }}
            as double
        ) as purchase_30d_probability,
        cast({{ 'customer_clv.expected_purchases' if include_ml else 'null' }} as double) as expected_purchases,
        cast({{ 'customer_clv.p_alive' if include_ml else 'null' }} as double) as p_alive,
        cast({{ 'customer_clv.expected_value_amount' if include_ml else 'null' }} as double) as expected_value_amount
    from customer_features
    left join customer_rfm on customer_features.customer_key = customer_rfm.customer_key
    left join customer_engagement on customer_features.customer_key = customer_engagement.customer_key
    left join rule_summary on customer_features.customer_key = rule_summary.customer_key
    {%- if include_ml %}
        left join customer_clusters on customer_features.customer_key = customer_clusters.customer_key
        left join customer_outliers on customer_features.customer_key = customer_outliers.customer_key
        left join customer_churn_scores on customer_features.customer_key = customer_churn_scores.customer_key
        left join customer_clv on customer_features.customer_key = customer_clv.customer_key
    {%- endif %}
)

select * from final
