{#- Post-hook of each landing model: re-scan its CSV files with store_rejects and keep the
    row-level reject reasons (ragged rows, unterminated quotes, bad encoding, over-long lines)
    in <landing schema>.<table>__csv_rejects, so quarantine can account for every line.
    Parquet input (or no input) leaves an empty table. Incremental by file like landing
    (docs/refresh.md): <table>__csv_rejects_scanned lists the files scanned so far; a refresh
    scans only the others and forgets files no longer in the raw folder; a full refresh (or a
    missing bookkeeping table) rescans every file. -#}
{% macro land_raw_rejects(table_name) %}
    {{ return(adapter.dispatch('land_raw_rejects', 'customer_segments')(table_name)) }}
{% endmacro %}

{% macro default__land_raw_rejects(table_name) %}
    select 1
{% endmacro %}

{% macro duckdb__land_raw_rejects(table_name) %}
    {%- set target_rel = this.schema ~ '.' ~ table_name ~ '__csv_rejects' -%}
    {%- set empty_sql -%}
        create or replace table {{ target_rel }} (
            source_file varchar, line bigint, column_name varchar, error_type varchar,
            csv_line varchar, error_message varchar
        )
    {%- endset -%}
    {%- if not execute -%}{{ return(empty_sql) }}{%- endif -%}
    {%- set scanned_rel = target_rel ~ '_scanned' -%}
    {%- set info = raw_file_info(table_name) -%}
    {%- set scanned = [] -%}
    {%- set keep = info['format'] == 'csv' and not should_full_refresh()
        and adapter.get_relation(database=this.database, schema=this.schema,
                                 identifier=table_name ~ '__csv_rejects') is not none
        and adapter.get_relation(database=this.database, schema=this.schema,
                                 identifier=table_name ~ '__csv_rejects_scanned') is not none -%}
    {%- if keep -%}
        {%- set current = [] -%}
        {%- for f in info['files'] -%}{%- do current.append("'" ~ f['path'] | replace("'", "''") ~ "'") -%}{%- endfor -%}
        {%- for rel in [target_rel, scanned_rel] -%}
            {%- do run_query("delete from " ~ rel ~ " where source_file not in (" ~ current | join(', ') ~ ")") -%}
        {%- endfor -%}
        {%- for row in run_query("select source_file from " ~ scanned_rel).rows -%}
            {%- do scanned.append(row[0]) -%}
        {%- endfor -%}
    {%- else -%}
        {%- do run_query(empty_sql) -%}
        {%- do run_query("create or replace table " ~ scanned_rel ~ " (source_file varchar)") -%}
    {%- endif -%}
    {%- if info['format'] == 'csv' -%}
        {%- set dialect = raw_csv_dialect(table_name) -%}
        {%- for f in info['files'] if not f.get('empty', false) and f['path'] not in scanned -%}
            {%- set path_sql = f['path'] | replace("'", "''") -%}
            {%- set rej = 'rej_' ~ table_name ~ '_' ~ loop.index -%}
            {#- every column is read (hashed): a bare count(*) never decodes the values, so
                invalid UTF-8 would go unnoticed here while the landing read drops the line -#}
            {%- set all_cols = [] -%}
            {%- for c in f['columns'] -%}{%- do all_cols.append('c' ~ c['position']) -%}{%- endfor -%}
            {%- do run_query("select count(*), max(hash(" ~ all_cols | join(', ') ~ ")) from "
                ~ raw_csv_reader(path_sql, f['columns'] | length, dialect, rejects_table=rej)) -%}
            {%- do run_query(
                "insert into " ~ target_rel ~ " select '" ~ path_sql ~ "', line, column_name, error_type, "
                ~ "csv_line, error_message from " ~ rej ~ " order by line, column_idx") -%}
            {%- set bad_text = run_query("select count(distinct line) from " ~ rej
                ~ " where error_type in ('INVALID ENCODING', 'INVALID UNICODE')").rows[0][0] -%}
            {%- if bad_text > 0 -%}
                {%- do log("WARNING raw input file " ~ f['path'] ~ ": " ~ bad_text ~ " line(s) are not valid "
                    ~ dialect['encoding'] | upper ~ " (quarantined as csv_invalid_encoding). If the whole file "
                    ~ "is in another encoding, declare it: encoding: latin-1 (or utf-16) for table '"
                    ~ table_name ~ "' in the var raw__csv_dialect", info=true) -%}
            {%- endif -%}
            {%- do run_query("drop table if exists " ~ rej ~ "; drop table if exists " ~ rej ~ "_scan") -%}
            {%- do run_query("insert into " ~ scanned_rel ~ " values ('" ~ path_sql ~ "')") -%}
        {%- endfor -%}
    {%- endif -%}
    select 1
{% endmacro %}
