{#- One row per segment family and segment: size, share of customers, share of revenue, the
    mean of the key features (a centroid BI can read) and a description. Families: rfm (one
    segment per customer), primary_rule (one per customer, 'Unsegmented' included) and rule
    (every rule a customer satisfies, so its shares do not add up to 1). Descriptions come
    from the rule YAML and from config.meta.rfm_segment_descriptions of this model. -#}
{%- set rules = segment_rules() %}
{%- set meta = config.get('meta') if execute else {} %}
{%- set rfm_descriptions = (meta or {}).get('rfm_segment_descriptions', {}) %}
{%- set descriptions = [] %}
{%- for name, text in rfm_descriptions.items() %}
    {%- do descriptions.append(('rfm', name, text)) %}
{%- endfor %}
{%- for rule in rules %}
    {%- do descriptions.append(('rule', rule.name, rule.description)) %}
    {%- do descriptions.append(('primary_rule', rule.name, rule.description)) %}
{%- endfor %}
{%- do descriptions.append(('primary_rule', 'Unsegmented', 'Matches no rule segment.')) %}
with customer_segments as (
    select * from {{ ref('customer_segments') }}
),

customer_features as (
    select * from {{ ref('customer_features') }}
),

rule_segments as (
    select * from {{ ref('customer_rule_segments') }}
),

memberships as (
    select
        customer_key,
        'rfm' as segment_family,
        rfm_segment as segment_name
    from customer_segments
    union all
    select
        customer_key,
        'primary_rule' as segment_family,
        primary_segment as segment_name
    from customer_segments
    union all
    select
        customer_key,
        'rule' as segment_family,
        rule_name as segment_name
    from rule_segments
    {%- if var('segments__include_ml', target.type != 'spark') %}
        union all
        select
            customer_key,
            'cluster' as segment_family,
            cluster_name as segment_name
        from customer_segments
        union all
        select
            customer_key,
            'churn_risk' as segment_family,
            churn_risk_band as segment_name
        from customer_segments
        where churn_risk_band is not null
    {%- endif %}
),

totals as (
    select
        count(*) as customer_total,
        sum(monetary_total_amount) as revenue_total
    from customer_features
),

profiled as (
    select
        memberships.segment_family,
        memberships.segment_name,
        count(*) as customer_count,
        sum(customer_features.monetary_total_amount) as revenue_amount,
        avg(customer_features.recency_days) as mean_recency_days,
        avg(customer_features.frequency) as mean_frequency,
        avg(customer_features.monetary_total_amount) as mean_monetary_amount,
        avg(customer_features.avg_order_value_amount) as mean_avg_order_value_amount,
        avg(customer_features.tenure_days) as mean_tenure_days,
        avg(customer_features.orders_90d) as mean_orders_90d,
        avg(customer_features.sessions_30d) as mean_sessions_30d,
        avg(customer_features.product_views_30d) as mean_product_views_30d,
        avg(customer_features.cart_abandonment_rate) as mean_cart_abandonment_rate,
        avg(customer_features.engagement_score) as mean_engagement_score,
        avg(customer_features.mobile_share) as mean_mobile_share,
        avg(customer_features.age_years) as mean_age_years
    from memberships
    inner join customer_features on memberships.customer_key = customer_features.customer_key
    group by memberships.segment_family, memberships.segment_name
),

descriptions as (
    {%- for family, name, text in descriptions %}
        {%- if not loop.first %}
            union all
        {%- endif %}
        select
            '{{ family }}' as segment_family,
            {{ segments_string_literal(name, 'segment_profiles description') }} as segment_name,
            {{ segments_string_literal(text, 'segment_profiles description of ' ~ name) }} as segment_description
    {%- endfor %}
),

final as (
    select
        profiled.segment_family,
        profiled.segment_name,
        cast(profiled.customer_count as integer) as customer_count,
        cast(profiled.customer_count as double) / nullif(totals.customer_total, 0) as customer_share,
        cast(profiled.revenue_amount as double) as revenue_amount,
        cast(profiled.revenue_amount as double) / nullif(totals.revenue_total, 0) as revenue_share,
        profiled.mean_recency_days,
        profiled.mean_frequency,
        profiled.mean_monetary_amount,
        profiled.mean_avg_order_value_amount,
        profiled.mean_tenure_days,
        profiled.mean_orders_90d,
        profiled.mean_sessions_30d,
        profiled.mean_product_views_30d,
        profiled.mean_cart_abandonment_rate,
        profiled.mean_engagement_score,
        profiled.mean_mobile_share,
        profiled.mean_age_years,
        descriptions.segment_description
    from profiled
    cross join totals
    left join descriptions
        on profiled.segment_family = descriptions.segment_family
            and profiled.segment_name = descriptions.segment_name
)

select * from final
