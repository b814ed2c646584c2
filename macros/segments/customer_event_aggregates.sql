{#- Behavioural features per customer_key as of a date: a complete SELECT that sees only
    events on or before `as_of_expr` (a SQL date expression), for today's features and for
    the churn training set alike. It reads the incremental per-customer-day aggregates
    (int_events__customer_days, int_events__customer_day_categories: events -> customer x
    hour -> customer x day, kept up to date by a refresh without re-reading every event) and
    sums them per day window; sessions come from int_events__sessions (a session belongs to
    the day it started). Windows end on and include the as-of date. -#}
{% macro customer_event_aggregates(as_of_expr) %}
    {%- set spec = segments_event_window_metrics() -%}
    {%- set windows = spec['windows'] -%}
    {%- set types = spec['event_types'] %}
with run as (
    select cast({{ as_of_expr }} as date) as as_of_date
),

daily as (
    select
        days.*,
        {{ dbt.datediff('days.activity_date', 'run.as_of_date', 'day') }} as age_days
    from {{ ref('int_events__customer_days') }} as days
    cross join run
    where days.activity_date <= run.as_of_date
),

per_customer as (
    select
        customer_key,
        min(activity_date) as first_event_date,
        max(activity_date) as last_event_date,
        {%- for w in windows %}
        sum(case when age_days < {{ w }} then events else 0 end) as events_{{ w }}d,
        sum(case when age_days < {{ w }} then 1 else 0 end) as active_days_{{ w }}d,
        {%- for metric in types %}
        sum(case when age_days < {{ w }} then {{ metric }} else 0 end) as {{ metric }}_{{ w }}d,
        {%- endfor %}
        {%- endfor %}
        {%- for c in ['mobile_events', 'desktop_events', 'tablet_events', 'web_events', 'app_events', 'email_events'] %}
        sum(case when age_days < 90 then {{ c }} else 0 end) as {{ c }}_90d,
        {%- endfor %}
        max(case when age_days < 30 then max_product_views_10m end) as max_product_views_10m_30d,
        max(case when age_days < 90 then max_events_1m end) as max_events_1m_90d,
        max(case when age_days < 90 then max_events_hour end) as max_events_hour_90d,
        {#- lifetime intensity: a burst older than the 90-day windows is still a burst #}
        max(max_events_1m) as max_events_1m_lifetime,
        max(max_events_hour) as max_events_hour_lifetime,
        max(events) as max_events_day_lifetime,
        sum(events) as events_lifetime
    from daily
    group by customer_key
),

sessions as (
    select
        sessions.customer_key,
        sessions.has_add_to_cart,
        sessions.has_purchase,
        sessions.add_to_cart_count,
        sessions.duration_seconds,
        {{ dbt.datediff('sessions.started_date', 'run.as_of_date', 'day') }} as age_days
    from {{ ref('int_events__sessions') }} as sessions
    cross join run
    where sessions.customer_key is not null
        and sessions.started_date <= run.as_of_date
        and sessions.started_date > {{ dbt.dateadd('day', -90, 'run.as_of_date') }}
),

session_stats as (
    select
        customer_key,
        {%- for w in windows %}
        sum(case when age_days < {{ w }} then 1 else 0 end) as sessions_{{ w }}d,
        sum(case when age_days < {{ w }} and has_add_to_cart then 1 else 0 end) as cart_sessions_{{ w }}d,
        sum(case when age_days < {{ w }} and has_add_to_cart and not has_purchase then 1 else 0 end)
            as abandoned_cart_sessions_{{ w }}d,
        {%- endfor %}
        max(case when age_days < 30 and not has_purchase then add_to_cart_count end)
            as max_abandoned_cart_adds_30d,
        avg(duration_seconds) / 60.0 as avg_session_minutes_90d
    from sessions
    group by customer_key
),

category_counts as (
    select
        day_categories.customer_key,
        day_categories.product_category,
        sum(day_categories.category_events) as category_events
    from {{ ref('int_events__customer_day_categories') }} as day_categories
    cross join run
    where day_categories.activity_date <= run.as_of_date
        and day_categories.activity_date > {{ dbt.dateadd('day', -90, 'run.as_of_date') }}
    group by day_categories.customer_key, day_categories.product_category
),

favourite as (
    select
        customer_key,
        product_category,
        row_number() over (
            partition by customer_key
            order by category_events desc, product_category asc
        ) as category_rank
    from category_counts
),

final as (
    select
        per_customer.customer_key,
        run.as_of_date,
        per_customer.first_event_date,
        per_customer.last_event_date,
        cast({{ dbt.datediff('per_customer.last_event_date', 'run.as_of_date', 'day') }} as integer)
            as days_since_last_event,
        {%- for w in windows %}
        cast(per_customer.events_{{ w }}d as integer) as events_{{ w }}d,
        cast(per_customer.active_days_{{ w }}d as integer) as active_days_{{ w }}d,
        cast(coalesce(session_stats.sessions_{{ w }}d, 0) as integer) as sessions_{{ w }}d,
        {%- for metric in types %}
        cast(per_customer.{{ metric }}_{{ w }}d as integer) as {{ metric }}_{{ w }}d,
        {%- endfor %}
        cast(coalesce(session_stats.cart_sessions_{{ w }}d, 0) as integer) as cart_sessions_{{ w }}d,
        cast(coalesce(session_stats.abandoned_cart_sessions_{{ w }}d, 0) as integer)
            as abandoned_cart_sessions_{{ w }}d,
        cast(session_stats.abandoned_cart_sessions_{{ w }}d as double)
        / nullif(session_stats.cart_sessions_{{ w }}d, 0) as cart_abandonment_rate_{{ w }}d,
        {%- endfor %}
        {%- for c in ['mobile', 'desktop', 'tablet', 'web', 'app', 'email'] %}
        cast(per_customer.{{ c }}_events_90d as double) / nullif(per_customer.events_90d, 0) as {{ c }}_share,
        {%- endfor %}
        cast(per_customer.events_90d as double) / nullif(per_customer.active_days_90d, 0)
            as events_per_active_day,
        cast(coalesce(per_customer.max_product_views_10m_30d, 0) as integer) as max_product_views_10m_30d,
        cast(coalesce(per_customer.max_events_1m_90d, 0) as integer) as max_events_1m_90d,
        cast(coalesce(per_customer.max_events_hour_90d, 0) as integer) as max_events_hour_90d,
        cast(coalesce(per_customer.max_events_1m_lifetime, 0) as integer) as max_events_1m_lifetime,
        cast(coalesce(per_customer.max_events_hour_lifetime, 0) as integer) as max_events_hour_lifetime,
        cast(coalesce(per_customer.max_events_day_lifetime, 0) as integer) as max_events_day_lifetime,
        cast(per_customer.events_lifetime as integer) as events_lifetime,
        cast(coalesce(session_stats.max_abandoned_cart_adds_30d, 0) as integer) as max_abandoned_cart_adds_30d,
        cast(session_stats.avg_session_minutes_90d as double) as avg_session_minutes_90d,
        favourite.product_category as favourite_category
    from per_customer
    cross join run
    left join session_stats on per_customer.customer_key = session_stats.customer_key
    left join favourite
        on per_customer.customer_key = favourite.customer_key
            and favourite.category_rank = 1
)

select * from final
{% endmacro %}
