{#- One row per customer_key with a valid order on or before the cutoff
    (as_of_date - var churn__horizon_days): the customer_features columns computed as of the
    cutoff (same macro, nothing after the cutoff is visible) plus the labels observed in the
    horizon after it: is_churned (no valid sale order in (cutoff, as_of_date]) and
    purchased_next_30d (a valid sale order in (cutoff, cutoff + 30 days]). -#}
{%- set horizon = var('churn__horizon_days', 90) | int %}
{%- set cutoff_expr = '(select ' ~ dbt.dateadd('day', -horizon, 'as_of_date') ~ ' from '
    ~ ref('int_run__as_of_date') ~ ')' %}
with features as (
    {{ customer_features_sql(cutoff_expr) | indent(4) }}
),

as_of as (
    select * from {{ ref('int_run__as_of_date') }}
),

orders as (
    select * from {{ ref('fct_orders') }}
),

future_orders as (
    select
        orders.customer_key,
        min(orders.ordered_date) as next_order_date
    from orders
    inner join features
        on orders.customer_key = features.customer_key
            and orders.ordered_date > features.as_of_date
    cross join as_of
    where orders.ordered_date <= as_of.as_of_date
        and {{ segments_valid_sale('orders') }}
    group by orders.customer_key
),

final as (
    select
        features.*,
        as_of.as_of_date as label_end_date,
        future_orders.next_order_date is null as is_churned,
        coalesce(
            future_orders.next_order_date <= {{ dbt.dateadd('day', 30, 'features.as_of_date') }}, false
        ) as purchased_next_30d
    from features
    cross join as_of
    left join future_orders on features.customer_key = future_orders.customer_key
    where features.has_orders
)

select * from final
