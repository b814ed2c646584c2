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

checkpoints as (
    select
        as_of_date,
        'now' as checkpoint_name,
        period_end_at as checkpoint_at
    from periods
    union all
    select
        as_of_date,
        'before' as checkpoint_name,
        previous_end_at as checkpoint_at
    from periods
    where previous_end_at is not null
),

-- membership at each checkpoint (validity ranges of one customer and family never overlap)
states as (
    select
        checkpoints.as_of_date,
        checkpoints.checkpoint_name,
        segment_history.customer_key,
        segment_history.segment_family,
        segment_history.segment_name
    from checkpoints
    inner join segment_history
        on checkpoints.checkpoint_at > segment_history.valid_from
            and (segment_history.valid_to is null or checkpoints.checkpoint_at <= segment_history.valid_to)
),

moves as (
    select
        as_of_date,
        segment_family,
        coalesce(max(case when checkpoint_name = 'before' then segment_name end), '(new)') as from_segment,
        coalesce(max(case when checkpoint_name = 'now' then segment_name end), '(exited)') as to_segment
    from states
    group by as_of_date, customer_key, segment_family
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
