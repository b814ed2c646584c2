{#- One row per clean event with its session and streaming-window counts. The actor is the
    customer_key, else the anonymous_id. A provided session_id is respected as it is; events
    without one are split into sessions by inactivity: a gap longer than
    var engagement__session_gap_minutes between consecutive such events of the actor starts
    a new session. Sliding windows (RANGE frames on epoch seconds, per actor) count the
    product views in the 10 minutes and the events in the minute up to each event. -#}
{#- Incremental (docs/refresh.md): every window here is per actor, so a refresh recomputes
    all events of the actors touched since the last run (an event new, changed, re-keyed to
    another actor or gone) and keeps everyone else's rows; refreshed_in_invocation tells
    int_events__sessions which actors to re-aggregate. Equal to a full build. Candidates are
    the facts written since this table last read them (fct_events.dbt_updated_at, kept here
    as fct_updated_at), compared with their stored rows, and the stored events no longer in
    the facts; the other stored rows are never compared. -#}
{%- set gap_seconds = var('engagement__session_gap_minutes', 30) | int * 60 %}
{{ config(
    materialized='incremental',
    unique_key='event_key',
    on_schema_change='fail',
    post_hook="{{ incremental_delete_missing('event_key', ref('fct_events'), 'occurred_at is not null') }}"
) }}
{#- the per-event columns the windows and the refresh comparison read; selected in two
    CTEs below that are each read once (DuckDB materializes a CTE read twice, which copied all
    43M events at 1M customers on every refresh) -#}
{%- set actor_columns %}
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
        {{ segments_epoch_seconds('occurred_at') }} as occurred_epoch,
        dbt_updated_at as fct_updated_at
{%- endset %}
with all_actors as (
    select {{ actor_columns }}
    from {{ ref('fct_events') }}
    where occurred_at is not null
),
{%- if is_incremental() %}

    -- facts written since this table last read them: new, re-validated, re-keyed or
    -- restitched events (an event rewritten unchanged is dropped by the comparison below)
    current_events as (
        select {{ actor_columns }}
        from {{ ref('fct_events') }}
        where occurred_at is not null
            and dbt_updated_at > (
                select
                    coalesce(
                        max(read_until.fct_updated_at), cast('1900-01-01' as {{ dbt.type_timestamp() }})
                    )
                from {{ this }} as read_until
            )
    ),

    -- those facts new, re-keyed to another actor or changed in what the windows read
    compared as (
        select
            current_events.actor_key as current_actor_key,
            stored.actor_key as stored_actor_key
        from current_events
        left join {{ this }} as stored
            on current_events.event_key = stored.event_key
        where stored.event_key is null
            or current_events.actor_key != stored.actor_key
            or current_events.occurred_at != stored.occurred_at
            or current_events.event_type != stored.event_type
            or current_events.product_category is distinct from stored.product_category
            or current_events.device is distinct from stored.device
            or current_events.channel is distinct from stored.channel
            or (current_events.session_id is null) != (stored.session_source = 'inactivity_gap')
            or current_events.actor_key || '|id:' || current_events.session_id != stored.session_key
    ),

    -- stored events gone from the facts (their actor loses an event)
    gone as (
        select stored.actor_key
        from {{ this }} as stored
        left join {{ ref('fct_events') }} as facts
            on stored.event_key = facts.event_key
                and facts.occurred_at is not null
        where facts.event_key is null
    ),

    -- both sides of a change: an event re-keyed to another actor touches both actors
    touched_actors as (
        select current_actor_key as actor_key from compared
        where current_actor_key is not null
        union distinct
        select stored_actor_key as actor_key from compared
        where stored_actor_key is not null
        union distinct
        select actor_key from gone
    ),

    actors as (
        select * from all_actors
        where actor_key in (select touched_actors.actor_key from touched_actors)
    ),
{%- else %}

    actors as (
        select * from all_actors
    ),
{%- endif %}

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
        cast(events_1m as integer) as events_1m,
        fct_updated_at,
        '{{ invocation_id }}' as refreshed_in_invocation
    from numbered
)

select * from final
