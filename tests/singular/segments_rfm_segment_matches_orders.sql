{#- A customer is 'No Purchases' exactly when it has no valid sale order, every customer with
    orders has all three scores and a mapped segment, and scores stay within 1..rfm__bins. -#}
with customer_rfm as (
    select * from {{ ref('customer_rfm') }}
)

select
    customer_key,
    has_orders,
    r_score,
    f_score,
    m_score,
    rfm_segment
from customer_rfm
where (has_orders and rfm_segment in ('No Purchases', 'Unmapped'))
    or (not has_orders and rfm_segment != 'No Purchases')
    or (has_orders and (r_score is null or f_score is null or m_score is null))
    or r_score not between 1 and {{ var('rfm__bins', 5) }}
    or f_score not between 1 and {{ var('rfm__bins', 5) }}
    or m_score not between 1 and {{ var('rfm__bins', 5) }}
