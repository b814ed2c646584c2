{#- Every customer of `customers` (a relation with customer_key) has exactly one row with a
    non-NULL `column_name` in the model. Fails with the customers that have none or several. -#}
{% test segments_exactly_one_segment_per_customer(model, column_name, customers) %}
with population as (
    select customer_key from {{ customers }}
),

assigned as (
    select
        customer_key,
        count(*) as segment_count
    from {{ model }}
    where {{ column_name }} is not null
    group by customer_key
),

failures as (
    select
        population.customer_key,
        coalesce(assigned.segment_count, 0) as segment_count
    from population
    left join assigned on population.customer_key = assigned.customer_key
    where coalesce(assigned.segment_count, 0) != 1
)

select * from failures
{% endtest %}
