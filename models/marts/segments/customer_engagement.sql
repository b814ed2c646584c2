{#- One row per customer_key: behaviour over the 7 / 30 / 90 days ending on the as-of date
    (sessions, views, cart adds, purchases, cart abandonment, e-mail opens and clicks, active
    days), device and channel mix, favourite category, streaming-window peaks and the
    engagement score (0-100, formula in docs/segments.md). Customers without events have
    zero counts and NULL shares and rates. -#}
{%- set spec = segments_event_window_metrics() %}
{%- set bot_threshold = var('engagement__bot_events_per_minute', 30) | int %}
{%- set counts = ['events', 'active_days', 'sessions'] + (spec['event_types'].keys() | list)
    + ['cart_sessions', 'abandoned_cart_sessions'] %}
with customers as (
    select * from {{ ref('int_customers__segment_base') }}
),

event_features as (
    select * from {{ ref('int_events__customer_features') }}
),

as_of as (
    select * from {{ ref('int_run__as_of_date') }}
),

joined as (
    select
        customers.customer_key,
        as_of.as_of_date,
        event_features.customer_key is not null as has_events,
        event_features.first_event_date,
        event_features.last_event_date,
        event_features.days_since_last_event,
        {%- for w in spec['windows'] %}
            {%- for m in counts %}
                coalesce(event_features.{{ m }}_{{ w }}d, 0) as {{ m }}_{{ w }}d,
            {%- endfor %}
            event_features.cart_abandonment_rate_{{ w }}d,
        {%- endfor %}
        {%- for c in ['mobile', 'desktop', 'tablet', 'web', 'app', 'email'] %}
            event_features.{{ c }}_share,
        {%- endfor %}
        coalesce(event_features.events_per_active_day, 0) as events_per_active_day,
        event_features.favourite_category,
        coalesce(event_features.max_product_views_10m_30d, 0) as max_product_views_10m_30d,
        coalesce(event_features.max_events_1m_90d, 0) as max_events_1m_90d,
        coalesce(event_features.max_events_hour_90d, 0) as max_events_hour_90d,
        coalesce(event_features.max_abandoned_cart_adds_30d, 0) as max_abandoned_cart_adds_30d,
        event_features.avg_session_minutes_90d,
        coalesce(event_features.max_events_1m_90d, 0) >= {{ bot_threshold }} as is_bot_suspect,
        {{ engagement_score('event_features') }} as engagement_score
    from customers
    cross join as_of
    left join event_features on customers.customer_key = event_features.customer_key
),

final as (
    select
        *,
        case
            when engagement_score >= 60 then 'high'
            when engagement_score >= 30 then 'medium'
            when engagement_score > 0 then 'low'
            else 'none'
        end as engagement_level
    from joined
)

select * from final
