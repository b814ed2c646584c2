{#- Incremental models use delete+insert (DuckDB, Snowflake). dbt-spark on Parquet tables has
    no delete (merge needs Delta / Iceberg / Hudi): a first or --full-refresh build creates
    the table and never uses the strategy, so that is allowed; an incremental run on Spark
    stops with an error saying what to do instead of writing duplicates. Any other strategy
    goes to dbt-spark's own check. -#}
{% macro dbt_spark_validate_get_incremental_strategy(raw_strategy, file_format) %}
    {%- if raw_strategy == 'delete+insert' -%}
        {%- if is_incremental() -%}
            {{ exceptions.raise_compiler_error(
                "model " ~ this ~ ": incremental strategy delete+insert needs deletes, which "
                ~ "Spark's Parquet tables do not have. On Spark run `dbt build --full-refresh`, "
                ~ "or use Delta tables (file_format: delta) and the merge strategy (docs/scale.md).") }}
        {%- endif -%}
        {{ return('append') }}
    {%- endif -%}
    {{ return(dbt.dbt_spark_validate_get_incremental_strategy(raw_strategy, file_format)) }}
{% endmacro %}
