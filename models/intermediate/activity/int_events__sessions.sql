{#- One row per session of int_events__sessionized: when it started and ended, what happened
    in it (event counts by type, whether a cart was filled and whether it ended in a
    purchase), for the session-based engagement features. -#}
with events as (
    select * from {{ ref('int_events__sessionized') }}
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
        cast(
            max({{ segments_epoch_seconds('occurred_at') }}) - min({{ segments_epoch_seconds('occurred_at') }})
            as integer
        ) as duration_seconds,
        cast(count(*) as integer) as event_count,
        cast(sum(case when event_type = 'page_view' then 1 else 0 end) as integer) as page_view_count,
        cast(sum(case when event_type = 'product_view' then 1 else 0 end) as integer) as product_view_count,
        cast(sum(case when event_type = 'add_to_cart' then 1 else 0 end) as integer) as add_to_cart_count,
        cast(sum(case when event_type = 'purchase' then 1 else 0 end) as integer) as purchase_count,
        sum(case when event_type = 'add_to_cart' then 1 else 0 end) > 0 as has_add_to_cart,
        sum(case when event_type = 'purchase' then 1 else 0 end) > 0 as has_purchase
    from events
    group by session_key
)

select * from final
