{#- Row deletes (DELETE FROM ... WHERE): DuckDB, Snowflake and BigQuery have them; Spark's
    Parquet tables (dbt-spark session / Thrift without Delta) do not. The incremental identity
    models clean up in DELETE post-hooks, so where the engine has no row deletes they are
    built as full-refresh tables instead (`incremental_if_row_deletes()` as their
    materialization) and their cleanup post-hooks render empty (`if supports_row_deletes()`):
    a full build writes no tombstones and no stale pairs, so nothing is lost
    (docs/scale.md, "Spark"). -#}
{% macro supports_row_deletes() %}
    {{ return(adapter.dispatch('supports_row_deletes', 'customer_segments')()) }}
{% endmacro %}

{% macro default__supports_row_deletes() %}
    {{ return(true) }}
{% endmacro %}

{% macro spark__supports_row_deletes() %}
    {{ return(false) }}
{% endmacro %}

{#- The materialization of a model that stays correct incrementally only with row deletes:
    'incremental' where the engine has them, else 'table' (rebuilt in full on every run). -#}
{% macro incremental_if_row_deletes() %}
    {{ return('incremental' if supports_row_deletes() else 'table') }}
{% endmacro %}
