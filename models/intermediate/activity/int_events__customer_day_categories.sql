{#- One row per customer_key, day and product category: the customer's product views,
    add-to-carts and purchases in that category that day. The incremental aggregate the
    favourite category is computed from (macro customer_event_aggregates). -#}
{#- Incremental like int_events__customer_days (docs/refresh.md): delete+insert on the
    customers whose events were recomputed since this table last aggregated them. -#}
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
        occurred_date,
        product_category,
        refreshed_in_invocation
    from {{ ref('int_events__sessionized') }}
    where customer_key is not null
        and product_category is not null
        and event_type in ('product_view', 'add_to_cart', 'purchase')
    {%- if is_incremental() %}
        and {{ events_not_aggregated_yet('customer_key', this) }}
    {%- endif %}
),

final as (
    select
        customer_key || ':' || cast(occurred_date as {{ dbt.type_string() }})
        || ':' || product_category as customer_day_category_key,
        customer_key,
        occurred_date as activity_date,
        product_category,
        cast(count(*) as integer) as category_events,
        min(refreshed_in_invocation) as built_from_invocation
    from events
    group by customer_key, occurred_date, product_category
)

select * from final
