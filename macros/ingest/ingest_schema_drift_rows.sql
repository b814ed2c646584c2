{#- Schema drift of the raw input (execute time): a list of [table, file, column, position,
    drift_type], one per (table, file, column):
    drift_type 'extra_column' for a header that is not in the input contract (ignored by the
    landing models) and 'missing_column' for a contract column the file lacks (landed as NULL).
    Header names and paths are untrusted text: they only ever appear quoted as literals.
    A file that cannot be used at all (missing required column, empty required file, UTF-16
    without an encoding) already stopped the build in raw_file_info, before any write. -#}
{% macro ingest_schema_drift_rows(tables) %}
    {{ return(adapter.dispatch('ingest_schema_drift_rows', 'customer_segments')(tables)) }}
{% endmacro %}

{% macro _ingest_drift_literal(value) -%}
    '{{ value | string | replace("'", "''") }}'
{%- endmacro %}

{#- The drift rows as a typed select (one `select ... union all` per row; empty: no rows). -#}
{% macro ingest_schema_drift_select(rows) -%}
    {%- if rows | length == 0 -%}
    select
        cast(null as {{ dbt.type_string() }}) as source_table,
        cast(null as {{ dbt.type_string() }}) as source_file,
        cast(null as {{ dbt.type_string() }}) as column_name,
        cast(null as {{ dbt.type_int() }}) as column_position,
        cast(null as {{ dbt.type_string() }}) as drift_type
    where 1 = 0
    {%- else -%}
        {%- for r in rows %}
    select
        cast({{ _ingest_drift_literal(r[0]) }} as {{ dbt.type_string() }}) as source_table,
        cast({{ _ingest_drift_literal(r[1]) }} as {{ dbt.type_string() }}) as source_file,
        cast({{ _ingest_drift_literal(r[2]) }} as {{ dbt.type_string() }}) as column_name,
        cast({{ r[3] if r[3] is not none else 'null' }} as {{ dbt.type_int() }}) as column_position,
        cast({{ _ingest_drift_literal(r[4]) }} as {{ dbt.type_string() }}) as drift_type
            {{- '\n    union all' if not loop.last }}
        {%- endfor %}
    {%- endif -%}
{%- endmacro %}

{% macro duckdb__ingest_schema_drift_rows(tables) -%}
    {%- set rows = [] -%}
    {%- if execute -%}
        {%- for t in tables -%}
            {%- set info = raw_file_info(t) -%}
            {%- for f in info['files'] if not f.get('empty', false) -%}
                {%- for c in f['columns'] if c['contract'] is none -%}
                    {%- do rows.append([t, f['path'], c['header'], c['position'], 'extra_column']) -%}
                {%- endfor -%}
                {%- for col in f['missing'] -%}
                    {%- do rows.append([t, f['path'], col, none, 'missing_column']) -%}
                {%- endfor -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(rows) }}
{%- endmacro %}

{#- Cloud warehouses: the raw tables' columns against the contract (file = the raw table). -#}
{% macro default__ingest_schema_drift_rows(tables) -%}
    {%- set rows = [] -%}
    {%- if execute and flags.INTROSPECT -%}
        {%- for t in tables -%}
            {%- set spec = raw_contract()[t] -%}
            {%- set cmap = var('raw__column_map', {}).get(t, {}) -%}
            {%- set mapped = {} -%}
            {%- for contract_col in spec['columns'] -%}
                {%- do mapped.update({(cmap.get(contract_col, contract_col) | string | lower): contract_col}) -%}
            {%- endfor -%}
            {%- set src = source('raw', t) -%}
            {%- set present = [] -%}
            {%- set found = adapter.get_columns_in_relation(src) -%}
            {#- an absent optional raw table is no drift (as on DuckDB: no file, no rows) -#}
            {%- for c in found -%}
                {%- set name = c.name | lower -%}
                {%- if name in mapped -%}
                    {%- do present.append(mapped[name]) -%}
                {%- else -%}
                    {%- do rows.append([t, src | string, name, loop.index, 'extra_column']) -%}
                {%- endif -%}
            {%- endfor -%}
            {%- for col in spec['columns'] if found | length > 0 and col not in present -%}
                {%- do rows.append([t, src | string, col, none, 'missing_column']) -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(rows) }}
{%- endmacro %}
