{{ config(severity='warn', tags=['quality']) }}
-- Bad-input class 31 (docs/bad_input.md): an order dated before its customer's signup is kept
-- (fct_orders.is_before_signup) and this test warns when such orders are more than the share
-- var quality__max_share_orders_before_signup of all orders (0 = warn on any). One row with
-- the counts when it warns. A signup date entered late is common; many such orders usually
-- mean a wrong date format or time zone for a source.
with orders as (
    select is_before_signup from {{ ref('fct_orders') }}
),

counts as (
    select
        count(*) as order_count,
        sum(case when is_before_signup then 1 else 0 end) as before_signup_count
    from orders
)

select
    order_count,
    before_signup_count
from counts
where before_signup_count > {{ var('quality__max_share_orders_before_signup', 0.05) }} * order_count
