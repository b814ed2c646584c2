{#- segment_transitions: per period and family the counts add up to the customers who were
    members of the family at the end of the previous period or at the end of this one
    (counted independently from segment_history). Fails with the periods that do not. -#}
with transitions as (
    select
        period_date,
        segment_family,
        sum(customer_count) as transition_total
    from {{ ref('segment_transitions') }}
    group by period_date, segment_family
),

runs as (
    select
        as_of_date,
        lag(as_of_date) over (order by as_of_date) as previous_as_of_date
    from {{ ref('history_runs') }}
),

members as (
    select
        runs.as_of_date,
        segment_history.segment_family,
        segment_history.customer_key
    from runs
    inner join {{ ref('segment_history') }} as segment_history
        on cast(segment_history.valid_from as date) <= runs.as_of_date
            and (
                segment_history.valid_to is null
                or cast(segment_history.valid_to as date) > runs.as_of_date
            )
    union
    select
        runs.as_of_date,
        segment_history.segment_family,
        segment_history.customer_key
    from runs
    inner join {{ ref('segment_history') }} as segment_history
        on cast(segment_history.valid_from as date) <= runs.previous_as_of_date
            and (
                segment_history.valid_to is null
                or cast(segment_history.valid_to as date) > runs.previous_as_of_date
            )
),

population as (
    select
        as_of_date,
        segment_family,
        count(*) as population
    from members
    group by as_of_date, segment_family
)

select
    coalesce(transitions.period_date, population.as_of_date) as period_date,
    coalesce(transitions.segment_family, population.segment_family) as segment_family,
    transitions.transition_total,
    population.population
from transitions
full outer join population
    on transitions.period_date = population.as_of_date
        and transitions.segment_family = population.segment_family
where transitions.transition_total is null
    or population.population is null
    or transitions.transition_total <> population.population
