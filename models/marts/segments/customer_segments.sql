{#- One row per customer_key: the wide, contracted table BI reads. RFM, an engagement
    summary, the primary rule segment (the matching rule with the lowest priority number,
    'Unsegmented' when none matches) and non-PII demographics. No names, e-mails, phones,
    addresses or birth dates; customer_pseudo_id is an md5 of the customer_key. Later
    segment families (clusters, outliers, churn, CLV, actions) add columns here. -#}
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
        cast({{ dbt.hash('customer_features.customer_key') }} as {{ dbt.type_string() }}) as customer_pseudo_id,
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
        cast(rule_summary.rule_segments as {{ dbt.type_string() }}) as rule_segments
    from customer_features
    left join customer_rfm on customer_features.customer_key = customer_rfm.customer_key
    left join customer_engagement on customer_features.customer_key = customer_engagement.customer_key
    left join rule_summary on customer_features.customer_key = rule_summary.customer_key
)

select * from final
