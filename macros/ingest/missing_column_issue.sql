{#- Field issue `missing_column` (bad-input class 5, docs/bad_input.md) for the rows of a raw
    file (part) that lacks a column of the input contract: that column landed as NULL for
    every row of the file, which is not the same as a NULL value in the data. The files come
    from the schema-drift check of this run (ingest_schema_drift_rows, the same list that
    landing.ingest_schema_drift logs), resolved at compile time, so the model only compares
    `file_column` with a short list of literal paths: no join, nothing read per row but the
    file name. No such file: a NULL issue. -#}
{% macro missing_column_issue(table_name, file_column='_source_file') %}
    {{- return(adapter.dispatch('missing_column_issue', 'customer_segments')(table_name, file_column)) -}}
{% endmacro %}

{% macro duckdb__missing_column_issue(table_name, file_column) %}
    {%- set files = [] -%}
    {%- for r in ingest_schema_drift_rows([table_name]) -%}
        {%- if r[4] == 'missing_column' and r[1] not in files -%}{%- do files.append(r[1]) -%}{%- endif -%}
    {%- endfor -%}
    {%- if files | length == 0 -%}
        cast(null as {{ dbt.type_string() }})
    {%- else -%}
        case
            when {{ file_column }} in (
                {%- for f in files %}{{ _ingest_drift_literal(f) }}{{ ', ' if not loop.last }}{% endfor -%}
            ) then 'missing_column'
        end
    {%- endif -%}
{% endmacro %}

{#- Cloud warehouses: the raw table is the one "file" (default__land_raw_table), so every row
    is flagged when the table lacks a contract column. -#}
{% macro default__missing_column_issue(table_name, file_column) %}
    {%- set missing = [] -%}
    {%- for r in ingest_schema_drift_rows([table_name]) if r[4] == 'missing_column' -%}
        {%- do missing.append(r[2]) -%}
    {%- endfor -%}
    {%- if missing | length == 0 -%}
        cast(null as {{ dbt.type_string() }})
    {%- else -%}
        'missing_column'
    {%- endif -%}
{% endmacro %}
