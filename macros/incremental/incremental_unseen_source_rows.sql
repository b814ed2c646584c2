{#- Filter of the incremental validation models (int_orders__validated, int_events__validated):
    on an incremental run, a `where` clause keeping only the rows of the staged relation
    `source` whose source_row_id is not in the model's own table yet; renders nothing on a
    full build. The default is that anti-join. On DuckDB, where source_row_id is
    '<file path>#<row number>' and a file is staged whole (docs/refresh.md), it compares the
    per-file row counts of both tables instead (two hash aggregates over the column): the rows
    of files the table does not hold are new, and only a file whose counts differ (rows staged
    again after a privacy erasure) gets the anti-join, restricted to that file. At 1M
    customers the full anti-join of 43M staged against 43M validated events was the largest
    step of a refresh. -#}
{% macro incremental_unseen_source_rows(source) %}
    {{ return(adapter.dispatch('incremental_unseen_source_rows', 'customer_segments')(source)) }}
{% endmacro %}

{% macro default__incremental_unseen_source_rows(source) %}
    {{- incremental_unseen_rows('source_row_id') -}}
{% endmacro %}

{% macro duckdb__incremental_unseen_source_rows(source) %}
    {%- if is_incremental() -%}
        {%- if execute -%}
            {%- set seen = {} -%}
            {%- for row in run_query(incremental_staged_file_prefixes_sql(this)).rows -%}
                {%- do seen.update({row[0]: row[1]}) -%}
            {%- endfor -%}
            {%- set new_files, changed = [], [] -%}
            {%- for row in run_query(incremental_staged_file_prefixes_sql(source) ~ " order by 1").rows -%}
                {%- set quoted = "'" ~ row[0] | replace("'", "''") ~ "'" -%}
                {%- if row[0] not in seen -%}
                    {%- do new_files.append(quoted) -%}
                {%- elif seen[row[0]] != row[1] -%}
                    {%- do changed.append(quoted) -%}
                {%- endif -%}
            {%- endfor %}
    where {{ ("rtrim(source_row_id, '0123456789') in (" ~ new_files | join(', ') ~ ")") if new_files else 'false' }}
            {%- if changed %}
        or (
            rtrim(source_row_id, '0123456789') in ({{ changed | join(', ') }})
            and source_row_id not in (
                select seen.source_row_id from {{ this }} as seen
                where rtrim(seen.source_row_id, '0123456789') in ({{ changed | join(', ') }})
            )
        )
            {%- endif -%}
        {%- else %}
    where false
        {%- endif -%}
    {%- endif -%}
{% endmacro %}
