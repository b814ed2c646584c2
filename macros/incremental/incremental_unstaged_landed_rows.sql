{#- Filter of an incremental staging model (stg_raw__orders, stg_raw__events): on an
    incremental run, a `where` clause keeping only the landed rows not staged yet; renders
    nothing on a full build. On DuckDB a raw file is staged whole in one merge and never changes
    (docs/refresh.md), so this selects the rows of the landed files (_source_file) of which no
    row is staged: one pass over the staged source_row_id column for the staged file prefixes,
    then a filter on a handful of file names, instead of an anti-join of every landed row
    against every staged row (the generic version, kept for engines whose landing is a table
    with one _source_file). A landed file with more rows than are staged (rows landed again
    after a privacy erasure deleted them from staging) adds its unstaged rows by that
    anti-join, restricted to the file. -#}
{% macro incremental_unstaged_landed_rows(landing) %}
    {{ return(adapter.dispatch('incremental_unstaged_landed_rows', 'customer_segments')(landing)) }}
{% endmacro %}

{% macro default__incremental_unstaged_landed_rows(landing) %}
    {%- if is_incremental() %}
    where _source_file || '#' || cast(_source_row_number as {{ dbt.type_string() }})
        not in (select staged.source_row_id from {{ this }} as staged)
    {%- endif %}
{% endmacro %}

{% macro duckdb__incremental_unstaged_landed_rows(landing) %}
    {%- if is_incremental() -%}
        {%- if execute -%}
            {%- set staged = {} -%}
            {%- for row in run_query(incremental_staged_file_prefixes_sql(this)).rows -%}
                {%- do staged.update({row[0]: row[1]}) -%}
            {%- endfor -%}
            {%- set new_files, partial = [], [] -%}
            {%- for row in run_query("select _source_file, count(*) from " ~ landing
                    ~ " where _source_file is not null group by 1 order by 1").rows -%}
                {%- set quoted = "'" ~ row[0] | replace("'", "''") ~ "'" -%}
                {%- if (row[0] ~ '#') not in staged -%}
                    {%- do new_files.append(quoted) -%}
                {%- elif staged[row[0] ~ '#'] < row[1] -%}
                    {#- rows landed again after a privacy erasure deleted them (land_raw_complete_files) -#}
                    {%- do partial.append(quoted) -%}
                {%- endif -%}
            {%- endfor %}
    where {{ ('_source_file in (' ~ new_files | join(', ') ~ ')') if new_files else 'false' }}
            {%- if partial %}
        or (
            _source_file in ({{ partial | join(', ') }})
            and _source_file || '#' || cast(_source_row_number as varchar)
            not in (select staged.source_row_id from {{ this }} as staged)
        )
            {%- endif -%}
        {%- else %}
    where false
        {%- endif -%}
    {%- endif -%}
{% endmacro %}

{#- The distinct '<file path>#' prefixes of a staged table's source_row_id
    (source_row_id = <path> || '#' || <row number>) with their row counts: one hash aggregate
    over the column. -#}
{% macro incremental_staged_file_prefixes_sql(relation) %}
    {{ return("select rtrim(source_row_id, '0123456789') as prefix, count(*) as n from " ~ relation ~ " group by 1") }}
{% endmacro %}
