{#- Schema drift of the raw input (class 4 / K10, docs/bad_input.md): one row per raw file and
    column that differs from the input contract, with the run that first saw it. Extra columns
    are ignored by the landing models and a missing optional column lands as NULL; both are
    logged here and new ones warn (test ingest_no_new_schema_drift). A missing *required*
    column stops the build in raw_file_info before any write. Persisted state (append-only,
    full_refresh false): the first sighting survives rebuilds. -#}
{{ config(
    materialized='incremental',
    unique_key=['source_table', 'source_file', 'column_name', 'drift_type'],
    full_refresh=false,
    on_schema_change='fail',
) }}
-- depends_on: {{ ref('base_raw__customers') }}
-- depends_on: {{ ref('base_raw__orders') }}
-- depends_on: {{ ref('base_raw__events') }}
-- depends_on: {{ ref('base_raw__erasure_requests') }}
{%- set rows = ingest_schema_drift_rows(['customers', 'orders', 'events', 'erasure_requests']) %}
{%- do ingest_log_new_schema_drift(rows, this if is_incremental() else none) %}
with drift as (
    {{ ingest_schema_drift_select(rows) }}
),

final as (
    select
        drift.source_table,
        drift.source_file,
        drift.column_name,
        drift.column_position,
        drift.drift_type,
        cast('{{ invocation_id }}' as {{ dbt.type_string() }}) as first_seen_invocation_id,
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as {{ dbt.type_timestamp() }})
            as first_seen_at
    from drift
)

select * from final
{%- if is_incremental() %}
    where not exists (
        select 1 from {{ this }} as known
        where
            known.source_table = final.source_table
            and known.source_file = final.source_file
            and known.column_name = final.column_name
            and known.drift_type = final.drift_type
    )
{%- endif %}
