{#- on-run-end (docs/reliability.md): drop the relations dbt-duckdb can leave behind in the
    warehouse. An incremental *Python* model (e.g. history_distributions) writes its new rows
    to a real table `main.<model>__dbt_tmp<timestamp>` that dbt-duckdb treats as temporary and
    never drops, so every incremental run left one more. After the run no swap is in flight, so
    any `__dbt_tmp` / `__dbt_backup` relation is garbage; each drop is logged. DuckDB only. -#}
{% macro drop_leftover_dbt_relations() %}
    {%- if not execute or target.type != 'duckdb' -%}{{ return('') }}{%- endif -%}
    {%- set found = run_query(
        "select table_schema, table_name, table_type from information_schema.tables "
        ~ "where table_catalog = current_database() "
        ~ "and (contains(table_name, '__dbt_tmp') or contains(table_name, '__dbt_backup'))") -%}
    {%- set statements = [] -%}
    {%- for row in found.rows -%}
        {%- set kind = 'view' if row[2] == 'VIEW' else 'table' -%}
        {%- do log('dropping leftover ' ~ kind ~ ' ' ~ row[0] ~ '.' ~ row[1], info=true) -%}
        {%- do statements.append('drop ' ~ kind ~ ' if exists ' ~ adapter.quote(row[0]) ~ '.'
            ~ adapter.quote(row[1])) -%}
    {%- endfor -%}
    {{ return((statements | join(';\n') ~ ';') if statements else '') }}
{% endmacro %}

{#- Post-hook of an incremental Python model on DuckDB: drop the `<model>__dbt_tmp<timestamp>`
    table dbt-duckdb wrote this run's rows to. The hook runs inside the model's transaction,
    so the drop commits with the insert: a kill -9 later in the build leaves no such table
    (the on-run-end cleanup above only runs when the build reaches its end; the x20 kill test
    found three of them after one kill). Renders nothing elsewhere or when there is none. -#}
{% macro drop_own_python_tmp_relations(relation) %}
    {%- if not execute or target.type != 'duckdb' -%}{{ return('') }}{%- endif -%}
    {%- set found = run_query(
        "select table_schema, table_name from information_schema.tables "
        ~ "where table_catalog = current_database() "
        ~ "and starts_with(table_name, '" ~ relation.identifier ~ "__dbt_tmp')") -%}
    {%- set statements = [] -%}
    {%- for row in found.rows -%}
        {%- do statements.append('drop table if exists ' ~ adapter.quote(row[0]) ~ '.'
            ~ adapter.quote(row[1])) -%}
    {%- endfor -%}
    {{ return((statements | join(';\n') ~ ';') if statements else '') }}
{% endmacro %}
