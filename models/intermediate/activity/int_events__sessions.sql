{#- One row per session of int_events__sessionized: when it started and ended, what happened
    in it (event counts by type, whether a cart was filled and whether it ended in a
    purchase), for the session-based engagement features. -#}
{#- Incremental (docs/refresh.md): a refresh replaces all sessions of the actors whose events
    int_events__sessionized recomputed in an invocation not aggregated here yet (delete+insert
    on actor_key; a run that failed in between is caught up); the post-hook drops sessions of
    actors that have no event any more. Equal to a full build. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='actor_key',
    on_schema_change='fail',
    post_hook="{{ incremental_delete_missing('actor_key', ref('int_events__sessionized')) }}"
) }}
with events as (
    select * from {{ ref('int_events__sessionized') }}
    {%- if is_incremental() %}
    where {{ events_not_aggregated_yet('actor_key', this) }}
    {%- endif %}
),

final as (
    select
        session_key,
        min(customer_key) as customer_key,
        min(actor_key) as actor_key,
        min(session_source) as session_source,
        min(occurred_at) as started_at,
        max(occurred_at) as ended_at,
        cast(min(occurred_at) as date) as started_date,
        -- rounded explicitly: a cast of a double to integer rounds on DuckDB, truncates on Spark
        cast(round(
            max({{ segments_epoch_seconds('occurred_at') }}) - min({{ segments_epoch_seconds('occurred_at') }})
        ) as integer) as duration_seconds,
        cast(count(*) as integer) as event_count,
        cast(sum(case when event_type = 'page_view' then 1 else 0 end) as integer) as page_view_count,
        cast(sum(case when event_type = 'product_view' then 1 else 0 end) as integer) as product_view_count,
        cast(sum(case when event_type = 'add_to_cart' then 1 else 0 end) as integer) as add_to_cart_count,
        cast(sum(case when event_type = 'purchase' then 1 else 0 end) as integer) as purchase_count,
        sum(case when event_type = 'add_to_cart' then 1 else 0 end) > 0 as has_add_to_cart,
        sum(case when event_type = 'purchase' then 1 else 0 end) > 0 as has_purchase,
        min(refreshed_in_invocation) as built_from_invocation
    from events
    group by session_key
)

select * from final
