{#- Order features per customer_key as of a date: a complete SELECT over fct_orders that
    sees only orders on or before `as_of_expr` (a SQL date expression). Used for today's
    features (int_orders__customer_features) and for the churn training set at a cutoff, so
    both are the same code. A valid sale is is_sale, not cancelled, not refunded, amount > 0;
    refunds follow var rfm__refund_rule (docs/segments.md). -#}
{% macro customer_order_aggregates(as_of_expr) %}
    {%- set refund_rule = var('rfm__refund_rule', 'exclude') -%}
    {%- if refund_rule not in ['exclude', 'subtract'] -%}
        {{ exceptions.raise_compiler_error(
            "var rfm__refund_rule must be 'exclude' or 'subtract', got: " ~ refund_rule) }}
    {%- endif -%}
    {%- set monetary = var('rfm__monetary', 'total') -%}
    {%- if monetary not in ['total', 'average'] -%}
        {{ exceptions.raise_compiler_error(
            "var rfm__monetary must be 'total' or 'average', got: " ~ monetary) }}
    {%- endif %}
with run as (
    select cast({{ as_of_expr }} as date) as as_of_date
),

orders as (
    select
        fct_orders.customer_key,
        fct_orders.ordered_date,
        fct_orders.product_category,
        fct_orders.is_refund,
        fct_orders.is_cancelled,
        coalesce(abs(fct_orders.amount_usd), 0) as amount_usd,
        {{ segments_valid_sale('fct_orders') }} as is_valid_sale,
        {{ dbt.datediff('fct_orders.ordered_date', 'run.as_of_date', 'day') }} as age_days
    from {{ ref('fct_orders') }} as fct_orders
    cross join run
    where fct_orders.customer_key is not null
        and fct_orders.ordered_date <= run.as_of_date
),

daily as (
    select
        customer_key,
        ordered_date,
        sum(case when is_valid_sale then 1 else 0 end) as valid_order_count
    from orders
    group by customer_key, ordered_date
),

per_customer as (
    select
        customer_key,
        sum(case when is_valid_sale then 1 else 0 end) as frequency,
        min(case when is_valid_sale then ordered_date end) as first_order_date,
        max(case when is_valid_sale then ordered_date end) as last_order_date,
        sum(case when is_valid_sale then amount_usd else 0 end) as sales_amount,
        max(case when is_valid_sale then amount_usd end) as max_order_amount,
        sum(case when is_refund then 1 else 0 end) as refund_count,
        sum(case when is_refund then amount_usd else 0 end) as refund_amount,
        sum(case when is_cancelled then 1 else 0 end) as cancelled_count,
        {%- for w in [30, 90, 365] %}
        sum(case when is_valid_sale and age_days < {{ w }} then 1 else 0 end) as orders_{{ w }}d,
        sum(case when is_valid_sale and age_days < {{ w }} then amount_usd else 0 end)
            as revenue_{{ w }}d_amount,
        {%- endfor %}
        count(distinct case when is_valid_sale then product_category end) as category_count
    from orders
    group by customer_key
),

busiest_day as (
    select
        customer_key,
        max(valid_order_count) as max_orders_per_day
    from daily
    group by customer_key
),

final as (
    select
        per_customer.customer_key,
        run.as_of_date,
        cast(per_customer.frequency as integer) as frequency,
        per_customer.first_order_date,
        per_customer.last_order_date,
        cast({{ dbt.datediff('per_customer.last_order_date', 'run.as_of_date', 'day') }} as integer)
            as recency_days,
        cast(per_customer.sales_amount as double) as sales_amount,
        cast(per_customer.refund_count as integer) as refund_count,
        cast(per_customer.refund_amount as double) as refund_amount,
        cast(per_customer.cancelled_count as integer) as cancelled_count,
        {%- if refund_rule == 'subtract' %}
        cast(greatest(per_customer.sales_amount - per_customer.refund_amount, 0) as double)
            as monetary_total_amount,
        {%- else %}
        cast(per_customer.sales_amount as double) as monetary_total_amount,
        {%- endif %}
        {%- for w in [30, 90, 365] %}
        cast(per_customer.orders_{{ w }}d as integer) as orders_{{ w }}d,
        cast(per_customer.revenue_{{ w }}d_amount as double) as revenue_{{ w }}d_amount,
        {%- endfor %}
        cast(per_customer.category_count as integer) as category_count,
        cast(per_customer.refund_count as double)
        / nullif(per_customer.frequency + per_customer.refund_count, 0) as refund_share,
        cast(busiest_day.max_orders_per_day as integer) as max_orders_per_day,
        cast(per_customer.max_order_amount as double) as max_order_amount,
        cast({{ dbt.datediff('per_customer.first_order_date', 'per_customer.last_order_date', 'day') }}
            as double) / nullif(per_customer.frequency - 1, 0) as avg_days_between_orders
    from per_customer
    cross join run
    left join busiest_day on per_customer.customer_key = busiest_day.customer_key
),

valued as (
    select
        *,
        monetary_total_amount / nullif(frequency, 0) as avg_order_value_amount,
        {%- if monetary == 'average' %}
        coalesce(monetary_total_amount / nullif(frequency, 0), 0) as monetary_amount
        {%- else %}
        monetary_total_amount as monetary_amount
        {%- endif %}
    from final
)

select * from valued
{% endmacro %}
