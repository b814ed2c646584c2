{#- The project writes unbounded text as `varchar` (DuckDB, Snowflake and BigQuery read it so);
    Spark's parser wants a length and has `string` instead. Rather than a type macro in every
    cast, Spark's create-table / create-view / temporary-view / data-test statements read the
    compiled SQL with each `as varchar` (no length) turned into `as string` (unit tests too). Nothing else in
    the SQL is touched. -#}
{% macro spark_text_types(sql) %}
    {{ return(modules.re.sub('(?i)\\bas\\s+varchar\\b(?!\\s*\\()', 'as string', sql)) }}
{% endmacro %}

{% macro spark__create_table_as(temporary, relation, compiled_code, language='sql') -%}
    {{ return(dbt.spark__create_table_as(
        temporary, relation,
        spark_text_types(compiled_code) if language == 'sql' else compiled_code, language)) }}
{%- endmacro %}

{% macro spark__create_view_as(relation, sql) -%}
    {{ return(dbt.spark__create_view_as(relation, spark_text_types(sql))) }}
{%- endmacro %}

{% macro spark__create_temporary_view(relation, compiled_code) -%}
    {{ return(dbt.spark__create_temporary_view(relation, spark_text_types(compiled_code))) }}
{%- endmacro %}

{% macro spark__get_test_sql(main_sql, fail_calc, warn_if, error_if, limit) -%}
    {{ return(dbt.default__get_test_sql(spark_text_types(main_sql), fail_calc, warn_if, error_if, limit)) }}
{%- endmacro %}

{#- Unit tests: the model's SQL is run inside the unit-test query, not through create-table. -#}
{% macro spark__get_unit_test_sql(main_sql, expected_fixture_sql, expected_column_names) -%}
    {{ return(dbt.default__get_unit_test_sql(
        spark_text_types(main_sql), expected_fixture_sql, expected_column_names)) }}
{%- endmacro %}

{#- Contract checks: the empty query built from the YAML data types (`varchar`). -#}
{% macro spark__get_empty_schema_sql(columns) -%}
    {{ return(spark_text_types(dbt.default__get_empty_schema_sql(columns))) }}
{%- endmacro %}
