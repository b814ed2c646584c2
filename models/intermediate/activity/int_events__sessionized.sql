{#- One row per clean event with its session and streaming-window counts. The actor is the
    customer_key, else the anonymous_id. A provided session_id is respected as it is; events
    without one are split into sessions by inactivity: a gap longer than
    var engagement__session_gap_minutes between consecutive such events of the actor starts
    a new session. Sliding windows (RANGE frames on epoch seconds, per actor) count the
    product views in the 10 minutes and the events in the minute up to each event. -#}
{%- set gap_seconds = var('engagement__session_gap_minutes', 30) | int * 60 %}
with events as (
    select * from {{ ref('fct_events') }}
),

actors as (
    select
        event_key,
        customer_key,
        coalesce(customer_key, 'anonymous:' || anonymous_id, 'event:' || event_key) as actor_key,
        session_id,
        event_type,
        occurred_at,
        occurred_date,
        product_category,
        device,
        channel,
        {{ segments_epoch_seconds('occurred_at') }} as occurred_epoch
    from events
    where occurred_at is not null
),

windowed as (
    select
        *,
        max(case when session_id is null then occurred_epoch end) over (
            partition by actor_key order by occurred_epoch, event_key
            rows between unbounded preceding and 1 preceding
        ) as previous_gap_epoch,
        sum(case when event_type = 'product_view' then 1 else 0 end) over (
            partition by actor_key order by occurred_epoch
            range between 600 preceding and current row
        ) as product_views_10m,
        count(*) over (
            partition by actor_key order by occurred_epoch
            range between 60 preceding and current row
        ) as events_1m
    from actors
),

flagged as (
    select
        *,
        case
            when session_id is not null then 0
            when previous_gap_epoch is null then 1
            when occurred_epoch - previous_gap_epoch > {{ gap_seconds }} then 1
            else 0
        end as is_gap_session_start
    from windowed
),

numbered as (
    select
        *,
        sum(is_gap_session_start) over (
            partition by actor_key order by occurred_epoch, event_key
            rows between unbounded preceding and current row
        ) as gap_session_number
    from flagged
),

final as (
    select
        event_key,
        customer_key,
        actor_key,
        case
            when session_id is not null then actor_key || '|id:' || session_id
            else actor_key || '|gap:' || cast(gap_session_number as {{ dbt.type_string() }})
        end as session_key,
        case when session_id is not null then 'provided' else 'inactivity_gap' end as session_source,
        event_type,
        occurred_at,
        occurred_date,
        product_category,
        device,
        channel,
        cast(product_views_10m as integer) as product_views_10m,
        cast(events_1m as integer) as events_1m
    from numbered
)

select * from final
