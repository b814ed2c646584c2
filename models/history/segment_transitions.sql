{#- The migration matrix: one row per period (a build's as_of_date), segment_family,
    from_segment and to_segment with the number of customers who moved, comparing the end of
    the previous period with the end of this one. '(new)' = not a member of the family at the
    previous period (entries; every customer in the first period), '(exited)' = gone by this
    period. Per period and family the counts sum to the customers present at either end. -#}
with runs as (
    select
        as_of_date,
        lag(as_of_date) over (order by as_of_date) as previous_as_of_date
    from {{ ref('history_runs') }}
),

segment_history as (
    select * from {{ ref('segment_history') }}
),

periods as (
    select
        as_of_date,
        previous_as_of_date,
        {{ dbt.dateadd('day', 1, 'cast(as_of_date as ' ~ dbt.type_timestamp() ~ ')') }} as period_end_at,
        {{ dbt.dateadd('day', 1, 'cast(previous_as_of_date as ' ~ dbt.type_timestamp() ~ ')') }}
            as previous_end_at
    from runs
),

state_now as (
    select
        periods.as_of_date,
        segment_history.customer_key,
        segment_history.segment_family,
        segment_history.segment_name
    from periods
    inner join segment_history
        on periods.period_end_at > segment_history.valid_from
            and (segment_history.valid_to is null or periods.period_end_at <= segment_history.valid_to)
),

state_before as (
    select
        periods.as_of_date,
        segment_history.customer_key,
        segment_history.segment_family,
        segment_history.segment_name
    from periods
    inner join segment_history
        on periods.previous_end_at > segment_history.valid_from
            and (segment_history.valid_to is null or periods.previous_end_at <= segment_history.valid_to)
),

moves as (
    select
        coalesce(state_now.as_of_date, state_before.as_of_date) as as_of_date,
        coalesce(state_now.segment_family, state_before.segment_family) as segment_family,
        coalesce(state_before.segment_name, '(new)') as from_segment,
        coalesce(state_now.segment_name, '(exited)') as to_segment
    from state_now
    full outer join state_before
        on state_now.as_of_date = state_before.as_of_date
            and state_now.customer_key = state_before.customer_key
            and state_now.segment_family = state_before.segment_family
),

final as (
    select
        periods.as_of_date as period_date,
        periods.previous_as_of_date as previous_period_date,
        moves.segment_family,
        cast(moves.from_segment as {{ dbt.type_string() }}) as from_segment,
        cast(moves.to_segment as {{ dbt.type_string() }}) as to_segment,
        cast(count(*) as integer) as customer_count
    from moves
    inner join periods on moves.as_of_date = periods.as_of_date
    group by
        periods.as_of_date,
        periods.previous_as_of_date,
        moves.segment_family,
        moves.from_segment,
        moves.to_segment
)

select * from final
