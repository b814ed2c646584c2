with orders as (
    select * from {{ ref('int_orders__validated') }}
    where outcome = 'clean'
),

identity_map as (
    select * from {{ ref('customer_identity_map') }}
),

records as (
    select * from {{ ref('int_customers__validated') }}
),

final as (
    select
        orders.source_system || ':' || orders.order_id as order_key,
        orders.source_system,
        orders.order_id,
        identity_map.customer_key,
        orders.source_customer_id,
        orders.ordered_at,
        orders.ordered_date,
        orders.amount,
        orders.currency,
        orders.amount_usd,
        orders.status,
        orders.is_sale,
        orders.is_refund,
        orders.is_cancelled,
        orders.channel,
        orders.item_count,
        orders.product_category,
        orders.is_zero_amount,
        coalesce(orders.ordered_date < records.signup_date, false) as is_before_signup,
        orders.field_issues,
        orders.source_row_id
    from orders
    left join identity_map
        on orders.source_system = identity_map.source_system
            and orders.source_customer_id = identity_map.source_customer_id
    left join records
        on orders.source_system = records.source_system
            and orders.source_customer_id = records.source_customer_id
)

select * from final
