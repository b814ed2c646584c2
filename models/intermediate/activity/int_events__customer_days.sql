{#- One row per customer_key and day with events: the day's event counts (all, by type, by
    device, by channel) and its peaks (busiest hour, most product views in 10 minutes, most
    events in a minute). The incremental aggregate the behavioural features are computed from
    (macro customer_event_aggregates), so a refresh does not re-read every event. -#}
{#- Incremental (docs/refresh.md): a refresh replaces all days of the customers whose events
    int_events__sessionized recomputed in an invocation not aggregated here yet (delete+insert
    on customer_key); the post-hook drops customers that have no event any more. Equal to a
    full build. -#}
{%- set types = segments_event_window_metrics()['event_types'] %}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='customer_key',
    on_schema_change='fail',
    post_hook="{{ incremental_delete_missing('customer_key', ref('int_events__sessionized'), 'customer_key is not null') }}"
) }}
with events as (
    select
        customer_key,
        event_type,
        occurred_at,
        device,
        channel,
        product_views_10m,
        events_1m,
        refreshed_in_invocation
    from {{ ref('int_events__sessionized') }}
    where customer_key is not null
    {%- if is_incremental() %}
        and {{ events_not_aggregated_yet('customer_key', this) }}
    {%- endif %}
),

hourly as (
    select
        customer_key,
        {{ dbt.date_trunc('hour', 'occurred_at') }} as hour_start,
        count(*) as events,
        {%- for metric, event_type in types.items() %}
            sum(case when event_type = '{{ event_type }}' then 1 else 0 end) as {{ metric }},
        {%- endfor %}
        {%- for d in ['mobile', 'desktop', 'tablet'] %}
            sum(case when device = '{{ d }}' then 1 else 0 end) as {{ d }}_events,
        {%- endfor %}
        {%- for c in ['web', 'app', 'email'] %}
            sum(case when channel = '{{ c }}' then 1 else 0 end) as {{ c }}_events,
        {%- endfor %}
        max(case when event_type = 'product_view' then product_views_10m end) as max_product_views_10m,
        max(events_1m) as max_events_1m,
        min(refreshed_in_invocation) as built_from_invocation
    from events
    group by customer_key, {{ dbt.date_trunc('hour', 'occurred_at') }}
),

final as (
    select
        customer_key || ':' || cast(cast(hour_start as date) as {{ dbt.type_string() }})
            as customer_day_key,
        customer_key,
        cast(hour_start as date) as activity_date,
        cast(sum(events) as integer) as events,
        {%- for metric in types %}
            cast(sum({{ metric }}) as integer) as {{ metric }},
        {%- endfor %}
        {%- for c in ['mobile_events', 'desktop_events', 'tablet_events', 'web_events', 'app_events', 'email_events'] %}
            cast(sum({{ c }}) as integer) as {{ c }},
        {%- endfor %}
        cast(max(events) as integer) as max_events_hour,
        cast(max(max_product_views_10m) as integer) as max_product_views_10m,
        cast(max(max_events_1m) as integer) as max_events_1m,
        min(built_from_invocation) as built_from_invocation
    from hourly
    group by customer_key, cast(hour_start as date)
)

select * from final
