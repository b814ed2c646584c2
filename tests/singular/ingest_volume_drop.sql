{{ config(severity='warn', tags=['landing']) }}
-- Bad-input class 2 (docs/bad_input.md): per raw table, warn when the latest run landed no
-- rows (a header-only or missing optional file) or more than the share
-- var ingest__volume_max_drop_share fewer rows than the run before it (landing.ingest_volume_log).
-- One row per table that warns.
with runs as (
    select
        source_table,
        rows_landed,
        row_number() over (partition by source_table order by run_at desc, invocation_id desc) as run_rank
    from {{ ref('ingest_volume_log') }}
),

latest as (
    select
        source_table,
        rows_landed
    from runs
    where run_rank = 1
),

previous as (
    select
        source_table,
        rows_landed
    from runs
    where run_rank = 2
)

select
    latest.source_table,
    latest.rows_landed,
    previous.rows_landed as previous_rows_landed
from latest
left join previous on latest.source_table = previous.source_table
where
    latest.rows_landed = 0
    or latest.rows_landed < (1 - {{ var('ingest__volume_max_drop_share', 0.5) }}) * previous.rows_landed
