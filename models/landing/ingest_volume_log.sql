{#- Rows landed per raw table and run (bad-input class 2, docs/bad_input.md): one row per
    table and invocation, appended on every run that builds landing. The test
    ingest_volume_drop warns when the latest run landed nothing or far fewer rows than the
    run before. Persisted state (append-only, full_refresh false), like ingest_schema_drift:
    drop the table to forget the history. Landing tables are tables, so counting is cheap. -#}
{{ config(
    materialized='incremental',
    unique_key=['invocation_id', 'source_table'],
    full_refresh=false,
    on_schema_change='fail',
) }}
with landed as (
    {%- for table in ['customers', 'orders', 'events'] %}
        select
            '{{ table }}' as source_table,
            count(*) as rows_landed
        from {{ ref('base_raw__' ~ table) }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

final as (
    select
        cast('{{ invocation_id }}' as {{ dbt.type_string() }}) as invocation_id,
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as {{ dbt.type_timestamp() }}) as run_at,
        cast(landed.source_table as {{ dbt.type_string() }}) as source_table,
        cast(landed.rows_landed as {{ dbt.type_bigint() }}) as rows_landed
    from landed
)

select * from final
