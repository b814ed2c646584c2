{#- Every staged event row with its outcome: clean, merged_exact (an identical replay of a
    clean event) or quarantined (issue_codes lists every problem). Anonymous events are
    clean; they are keyed to a customer later when their anonymous_id is identified. -#}
{#- Incremental (docs/refresh.md): a refresh re-validates only whole groups of rows sharing
    (source_system, event_id) with a row that is new, dated in the lookback window or later,
    quarantined as future or as an orphan; every rule looks only inside such a group or at
    as_of_date, so the merged result equals a full build. -#}
-- depends_on: {{ ref('base_raw__events') }}
{%- set has_customers = relation_has_rows(ref('stg_raw__customers')) %}
{{ config(materialized='incremental', unique_key='source_row_id', on_schema_change='fail') }}
with staged as (
    -- read once per branch below, not as a shared CTE: DuckDB materializes a CTE used more
    -- than once, which on an incremental run copied every staged row (43M events at 1M)
    select * from {{ ref('stg_raw__events') }}
),

as_of as (
    select * from {{ ref('int_run__as_of_date') }}
),
{%- if is_incremental() %}

    touched_groups as (
        select source_system, event_id from {{ ref('stg_raw__events') }}
        {{ incremental_unseen_source_rows(ref('stg_raw__events'), ref('base_raw__events')) }}
        union distinct
        select staged.source_system, staged.event_id
        from {{ ref('stg_raw__events') }} as staged
        cross join as_of
        where staged.occurred_at > {{ dbt.dateadd(
            'day', -incremental_lookback_days(), 'cast(as_of.as_of_date as timestamp)') }}
        union distinct
        select source_system, event_id from {{ this }}
        where issue_codes like '%orphan_event%' or issue_codes like '%future_timestamp%'
    ),

    events as (
        select staged.* from staged
        inner join touched_groups
            on staged.source_system = touched_groups.source_system
                and staged.event_id = touched_groups.event_id
    ),
{%- else %}

    events as (
        select * from staged
    ),
{%- endif %}

customers as (
    select * from {{ ref('int_customers__validated') }}
),

checked as (
    select
        events.*,
        nullif({{ concat_skip_nulls("','", [
            'events.row_issues',
            "case when events.occurred_at > " ~ dbt.dateadd(
                'day', var('quality__future_tolerance_days') | int, 'cast(as_of.as_of_date as timestamp)'
            ) ~ " then 'future_timestamp' end"
        ]) }}, '') as pre_issues,
        md5({{ concat_skip_nulls("'|'", [
            "events.source_customer_id", "events.anonymous_id", "events.session_id",
            "events.event_type", "cast(events.occurred_at as varchar)",
            "events.product_id", "events.page_url"
        ]) }}) as content_hash
    from events
    cross join as_of
),

deduplicated as (
    select
        *,
        {{ duplicate_ranks('event_id', 'occurred_at') }}
    from checked
),

final as (
    select
        deduplicated.*,
        nullif({{ concat_skip_nulls("','", [
            'pre_issues',
            "case when pre_issues is null and content_hash != winning_hash then 'conflicting_duplicate' end",
            "case when pre_issues is null and deduplicated.source_customer_id is not null and "
            ~ ('customers.customer_record_id is null' if has_customers else 'false')
            ~ " then 'orphan_event' end"
        ]) }}, '') as issue_codes
    from deduplicated
    left join customers
        on deduplicated.source_system = customers.source_system
            and deduplicated.source_customer_id = customers.source_customer_id
)

select
    *,
    case
        when issue_codes is not null then 'quarantined'
        when copy_rank > 1 then 'merged_exact'
        else 'clean'
    end as outcome,
    -- when this run (re)validated the row: fct_events rewrites the rows validated since it
    -- was last written (docs/refresh.md)
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as {{ dbt.type_timestamp() }})
        as dbt_updated_at
from final
