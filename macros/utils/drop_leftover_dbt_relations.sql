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
