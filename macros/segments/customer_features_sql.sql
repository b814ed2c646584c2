{#- The customer feature vector as of a date: one row per customer_key of
    int_customers__segment_base, as a complete SELECT. `as_of_expr` is a SQL date expression.
    Order and event aggregates are computed inline (customer_order_aggregates /
    customer_event_aggregates at that date) unless relations holding them for the same date are
    passed, which is how customer_features reuses today's intermediate tables while
    ml_churn_training_set computes the very same columns at its cutoff. Nothing here sees a
    row after the as-of date. -#}
{% macro customer_features_sql(as_of_expr, order_aggregates=none, event_aggregates=none) %}
with run as (
    select cast({{ as_of_expr }} as date) as as_of_date
),

customers as (
    select * from {{ ref('int_customers__segment_base') }}
),

order_features as (
    {%- if order_aggregates is not none %}
    select * from {{ order_aggregates }}
    {%- else %}
    {{ customer_order_aggregates(as_of_expr) | indent(4) }}
    {%- endif %}
),

event_features as (
    {%- if event_aggregates is not none %}
    select * from {{ event_aggregates }}
    {%- else %}
    {{ customer_event_aggregates(as_of_expr) | indent(4) }}
    {%- endif %}
),

joined as (
    select
        customers.customer_key,
        run.as_of_date,
        customers.country_iso2,
        customers.city,
        customers.gender,
        customers.has_marketing_consent,
        customers.source_count,
        case
            when customers.birth_date <= run.as_of_date
                then cast(floor({{ dbt.datediff('customers.birth_date', 'run.as_of_date', 'day') }} / 365.25) as integer)
        end as age_years,
        case when customers.signup_date <= run.as_of_date then customers.signup_date end as signup_date,
        order_features.first_order_date,
        order_features.last_order_date,
        event_features.first_event_date,
        event_features.last_event_date,
        coalesce(order_features.frequency, 0) > 0 as has_orders,
        event_features.customer_key is not null as has_events,
        order_features.recency_days,
        coalesce(order_features.frequency, 0) as frequency,
        coalesce(order_features.monetary_amount, 0) as monetary_amount,
        coalesce(order_features.monetary_total_amount, 0) as monetary_total_amount,
        order_features.avg_order_value_amount,
        coalesce(order_features.category_count, 0) as category_count,
        order_features.refund_share,
        coalesce(order_features.orders_30d, 0) as orders_30d,
        coalesce(order_features.orders_90d, 0) as orders_90d,
        coalesce(order_features.orders_365d, 0) as orders_365d,
        coalesce(order_features.revenue_90d_amount, 0) as revenue_90d_amount,
        coalesce(order_features.max_orders_per_day, 0) as max_orders_per_day,
        order_features.max_order_amount,
        order_features.avg_days_between_orders,
        coalesce(event_features.sessions_7d, 0) as sessions_7d,
        coalesce(event_features.sessions_30d, 0) as sessions_30d,
        coalesce(event_features.sessions_90d, 0) as sessions_90d,
        coalesce(event_features.product_views_30d, 0) as product_views_30d,
        coalesce(event_features.product_views_90d, 0) as product_views_90d,
        coalesce(event_features.add_to_carts_30d, 0) as add_to_carts_30d,
        coalesce(event_features.purchases_30d, 0) as purchases_30d,
        event_features.cart_abandonment_rate_90d as cart_abandonment_rate,
        coalesce(event_features.email_opens_90d, 0) as email_opens_90d,
        coalesce(event_features.email_clicks_90d, 0) as email_clicks_90d,
        coalesce(event_features.active_days_30d, 0) as active_days_30d,
        coalesce(event_features.active_days_90d, 0) as active_days_90d,
        event_features.days_since_last_event,
        event_features.mobile_share,
        event_features.app_share,
        coalesce(event_features.events_per_active_day, 0) as events_per_active_day,
        coalesce(event_features.max_product_views_10m_30d, 0) as max_product_views_10m_30d,
        coalesce(event_features.max_events_1m_90d, 0) as max_events_1m_90d,
        coalesce(event_features.max_events_1m_lifetime, 0) as max_events_1m_lifetime,
        coalesce(event_features.max_events_hour_lifetime, 0) as max_events_hour_lifetime,
        coalesce(event_features.max_events_day_lifetime, 0) as max_events_day_lifetime,
        coalesce(event_features.events_lifetime, 0) as events_lifetime,
        coalesce(event_features.max_abandoned_cart_adds_30d, 0) as max_abandoned_cart_adds_30d,
        {{ engagement_score('event_features') }} as engagement_score,
        event_features.favourite_category
    from customers
    cross join run
    left join order_features on customers.customer_key = order_features.customer_key
    left join event_features on customers.customer_key = event_features.customer_key
),

final as (
    select
        customer_key,
        as_of_date,
        country_iso2,
        city,
        gender,
        has_marketing_consent,
        source_count,
        age_years,
        case
            when age_years is null then 'unknown'
            when age_years < 25 then '18-24'
            when age_years < 35 then '25-34'
            when age_years < 45 then '35-44'
            when age_years < 55 then '45-54'
            when age_years < 65 then '55-64'
            else '65+'
        end as age_band,
        has_orders,
        has_events,
        recency_days,
        frequency,
        monetary_amount,
        monetary_total_amount,
        avg_order_value_amount,
        first_order_date,
        last_order_date,
        {#- the earliest known sign of the customer on or before the as-of date #}
        {{ dbt.datediff(
            'least(coalesce(signup_date, first_order_date, first_event_date),'
            ~ ' coalesce(first_order_date, first_event_date, signup_date),'
            ~ ' coalesce(first_event_date, signup_date, first_order_date))',
            'as_of_date', 'day') }} as tenure_days,
        category_count,
        refund_share,
        orders_30d,
        orders_90d,
        orders_365d,
        revenue_90d_amount,
        max_orders_per_day,
        max_order_amount,
        avg_days_between_orders,
        sessions_7d,
        sessions_30d,
        sessions_90d,
        product_views_30d,
        product_views_90d,
        add_to_carts_30d,
        purchases_30d,
        cart_abandonment_rate,
        email_opens_90d,
        email_clicks_90d,
        active_days_30d,
        active_days_90d,
        days_since_last_event,
        {{ dbt.datediff(
            'greatest(coalesce(last_order_date, last_event_date), coalesce(last_event_date, last_order_date))',
            'as_of_date', 'day') }} as days_since_last_activity,
        mobile_share,
        app_share,
        events_per_active_day,
        max_product_views_10m_30d,
        max_events_1m_90d,
        max_events_1m_lifetime,
        max_events_hour_lifetime,
        max_events_day_lifetime,
        events_lifetime,
        max_abandoned_cart_adds_30d,
        engagement_score,
        favourite_category
    from joined
)

select * from final
{% endmacro %}
