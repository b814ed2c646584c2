{#- One row per customer_key and segment_family the customer currently belongs to: the
    current segment, since when, how many days up to the latest period, and the segment before
    it. History starts with the first build: is_since_history_start marks stretches that may
    have begun earlier. -#}
with segment_history as (
    select * from {{ ref('segment_history') }}
),

runs as (
    select
        min(as_of_date) as first_as_of_date,
        max(as_of_date) as latest_as_of_date
    from {{ ref('history_runs') }}
),

ordered as (
    select
        customer_key,
        segment_family,
        segment_name,
        valid_from,
        is_current,
        lag(segment_name) over (
            partition by customer_key, segment_family order by valid_from
        ) as previous_segment
    from segment_history
),

final as (
    select
        cast(ordered.customer_key as {{ dbt.type_string() }}) as customer_key,
        cast(ordered.segment_family as {{ dbt.type_string() }}) as segment_family,
        cast(ordered.segment_name as {{ dbt.type_string() }}) as current_segment,
        cast(ordered.valid_from as date) as in_segment_since_date,
        cast(
            {{ dbt.datediff('cast(ordered.valid_from as date)', 'runs.latest_as_of_date', 'day') }}
            as integer
        ) as days_in_segment,
        cast(ordered.previous_segment as {{ dbt.type_string() }}) as previous_segment,
        cast(ordered.valid_from as date) <= runs.first_as_of_date as is_since_history_start
    from ordered
    cross join runs
    where ordered.is_current
)

select * from final
