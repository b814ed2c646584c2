{#- One row per (experiment_id, metric): treatment against control on the outcomes after the
    start date (valid sale orders from start_date to end_date, or as_of_date when open).
    conversion = share of customers with a valid order; revenue_per_customer = USD of valid
    orders per customer. lift = treatment mean - control mean with a 95% confidence interval
    from the normal approximation (Welch standard error); relative_lift = lift / control mean.
    -#}
{%- set z = var('activation__ci_z', 1.959964) | float %}
with assignments as (
    select * from {{ ref('customer_experiment_assignments') }}
),

experiments as (
    select * from {{ ref('experiments') }}
),

orders as (
    select * from {{ ref('fct_orders') }}
),

as_of as (
    select * from {{ ref('int_run__as_of_date') }}
),

outcomes as (
    select
        assignments.experiment_id,
        assignments.customer_key,
        assignments.variant,
        case when count(orders.order_key) > 0 then 1.0 else 0.0 end as converted,
        coalesce(sum(orders.amount_usd), 0) as revenue_per_customer
    from assignments
    inner join experiments on assignments.experiment_id = experiments.experiment_id
    cross join as_of
    left join orders
        on assignments.customer_key = orders.customer_key
            and {{ segments_valid_sale('orders') }}
            and experiments.start_date <= orders.ordered_date
            and coalesce(experiments.end_date, as_of.as_of_date) >= orders.ordered_date
    group by assignments.experiment_id, assignments.customer_key, assignments.variant
),

per_metric as (
    {%- for metric, column in [('conversion', 'converted'), ('revenue_per_customer', 'revenue_per_customer')] %}
        select
            experiment_id,
            '{{ metric }}' as metric,
            variant,
            count(*) as customer_count,
            avg({{ column }}) as mean_value,
            coalesce(var_samp({{ column }}), 0) as variance
        from outcomes
        group by experiment_id, variant
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

arms as (
    select
        experiment_id,
        metric,
        max(case when variant = 'control' then customer_count end) as control_count,
        max(case when variant = 'treatment' then customer_count end) as treatment_count,
        max(case when variant = 'control' then mean_value end) as control_mean,
        max(case when variant = 'treatment' then mean_value end) as treatment_mean,
        max(case when variant = 'control' then variance end) as control_variance,
        max(case when variant = 'treatment' then variance end) as treatment_variance
    from per_metric
    group by experiment_id, metric
),

estimated as (
    select
        *,
        treatment_mean - control_mean as lift,
        sqrt(treatment_variance / treatment_count + control_variance / control_count) as lift_standard_error
    from arms
),

final as (
    select
        experiment_id,
        metric,
        cast(control_count as integer) as control_count,
        cast(treatment_count as integer) as treatment_count,
        cast(control_mean as double) as control_mean,
        cast(treatment_mean as double) as treatment_mean,
        cast(lift as double) as lift,
        cast(lift - {{ z }} * lift_standard_error as double) as lift_ci_low,
        cast(lift + {{ z }} * lift_standard_error as double) as lift_ci_high,
        cast(lift_standard_error as double) as lift_standard_error,
        cast(case when control_mean > 0 then lift / control_mean end as double) as relative_lift,
        coalesce(abs(lift) > {{ z }} * lift_standard_error, false) as is_significant
    from estimated
)

select * from final
