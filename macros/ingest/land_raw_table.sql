{#- Land one raw table of the input contract as text columns plus lineage columns
    (_source_file, _source_row_number, source_row_id). On DuckDB the raw files are read
    directly; on a cloud warehouse the table comes from the raw schema (source 'raw').
    On DuckDB landing is incremental by file (docs/refresh.md): raw part files are immutable,
    so a refresh reads only the files not landed yet (by path) and appends their rows; the
    pre-hook land_raw_forget_removed_files drops the rows of files that are gone, so the table
    always holds exactly the rows of the files in the raw folder, as a full build would. -#}
{% macro land_raw_table(table_name) %}
    {{ return(adapter.dispatch('land_raw_table', 'customer_segments')(table_name)) }}
{% endmacro %}

{% macro default__land_raw_table(table_name) %}
    {%- set spec = raw_contract()[table_name] -%}
    {%- set cmap = var('raw__column_map', {}).get(table_name, {}) -%}
    {%- set src = source('raw', table_name) -%}
    {%- set existing = [] -%}
    {#- offline compile (--no-introspect, e.g. the dialect check in CI): no warehouse to ask,
        every contract column is assumed present -#}
    {%- if execute and flags.INTROSPECT -%}
        {%- for c in adapter.get_columns_in_relation(src) -%}{%- do existing.append(c.name | lower) -%}{%- endfor -%}
    {%- else -%}
        {%- for col in spec['columns'] -%}{%- do existing.append(cmap.get(col, col) | string | lower) -%}{%- endfor -%}
    {%- endif -%}
    select
        {%- for col in spec['columns'] %}
        {%- set user_col = (cmap.get(col, col) | string | lower) %}
        {%- if user_col in existing %}
        cast({{ adapter.quote(user_col) }} as {{ dbt.type_string() }}) as {{ col }},
        {%- else %}
        cast(null as {{ dbt.type_string() }}) as {{ col }},
        {%- endif %}
        {%- endfor %}
        cast('{{ table_name }}' as {{ dbt.type_string() }}) as _source_file,
        row_number() over (order by {{ dbt.hash(dbt.concat(spec['columns'] | map('string') | list)) }}) as _source_row_number
    from {{ src }}
{% endmacro %}

{% macro duckdb__land_raw_table(table_name) %}
    {%- set spec = raw_contract()[table_name] -%}
    {%- set info = raw_file_info(table_name) -%}
    {%- set landed = land_raw_complete_files(info) -%}
    {%- set parts = [] -%}
    {%- for f in info['files'] if not f.get('empty', false) and f['path'] not in landed -%}
        {%- set path_sql = f['path'] | replace("'", "''") -%}
        {%- set by_contract = {} -%}
        {%- for c in f['columns'] if c['contract'] is not none -%}
            {%- do by_contract.update({c['contract']: 'c' ~ c['position']}) -%}
        {%- endfor -%}
        {%- if info['format'] == 'parquet' -%}
            {%- set reader -%}
    select
        {%- for c in f['columns'] %}
        cast({{ adapter.quote(c['header']) if c['header'] == c['header'] | replace('"', '') else 'null' }} as varchar) as c{{ c['position'] }},
        {%- endfor %}
        file_row_number + 1 as _source_row_number
    from read_parquet('{{ path_sql }}', file_row_number = true)
            {%- endset -%}
        {%- else -%}
            {%- set dialect = raw_csv_dialect(table_name) -%}
            {%- set reader -%}
    select
        *,
        row_number() over (order by md5(concat_ws(chr(31), {% for c in f['columns'] %}coalesce(c{{ c['position'] }}, chr(30)){{ ', ' if not loop.last }}{% endfor %}))) as _source_row_number
    from {{ raw_csv_reader(path_sql, f['columns'] | length, dialect) }}
            {%- endset -%}
        {%- endif -%}
        {%- set part -%}
    select
        {%- for col in spec['columns'] %}
        {%- if col in by_contract %}
        {{ by_contract[col] }} as {{ col }},
        {%- else %}
        cast(null as varchar) as {{ col }},
        {%- endif %}
        {%- endfor %}
        '{{ path_sql }}' as _source_file,
        _source_row_number
    from ({{ reader }}) as raw_file_{{ loop.index }}
        {%- endset -%}
        {%- do parts.append(part) -%}
    {%- endfor -%}
    {%- if parts | length == 0 %}
    select
        {%- for col in spec['columns'] %}
        cast(null as varchar) as {{ col }},
        {%- endfor %}
        cast(null as varchar) as _source_file,
        cast(null as bigint) as _source_row_number
    where false
    {%- else %}
    {{ parts | join('\n    union all\n') }}
    {%- endif %}
{% endmacro %}

{#- read_csv with every column explicit (c1..cN as text): the header line is skipped, never
    sniffed, so a ragged file cannot turn a data line into the header. -#}
{% macro raw_csv_reader(path_sql, n_columns, dialect, store_rejects=true, rejects_table=none) %}
    read_csv(
        '{{ path_sql }}',
        header = true,
        auto_detect = false,
        delim = '{{ dialect["delimiter"] }}',
        quote = '{{ dialect["quote"] }}',
        escape = '{{ dialect["quote"] }}',
        strict_mode = true,
        null_padding = false,
        columns = { {%- for i in range(1, n_columns + 1) %}'c{{ i }}': 'VARCHAR'{{ ', ' if not loop.last }}{% endfor -%} },
        encoding = '{{ dialect.get("encoding", "utf-8") }}',
        {%- if rejects_table %}
        store_rejects = true,
        rejects_table = '{{ rejects_table }}',
        rejects_scan = '{{ rejects_table }}_scan'
        {%- else %}
        ignore_errors = true
        {%- endif %}
    )
{% endmacro %}

{#- Materialization of the landing models: incremental by file where the raw files are read
    directly (DuckDB), a table elsewhere (the raw schema's table is one "file"). -#}
{% macro land_raw_materialization() %}
    {{ return(adapter.dispatch('land_raw_materialization', 'customer_segments')()) }}
{% endmacro %}

{% macro default__land_raw_materialization() %}
    {{ return('table') }}
{% endmacro %}

{% macro duckdb__land_raw_materialization() %}
    {{ return('incremental') }}
{% endmacro %}

{#- The raw files this landing table holds completely (a list of paths; empty on a full
    build): an incremental run skips them. Privacy erasure (docs/privacy.md) deletes rows of
    erased people from landing too; a full build would land them again (and the erasure
    delete them again, counted in ingest_accounting.rows_erased), so once any erasure request
    was processed (erasure_log not empty) a file counts as complete only when it still holds
    all its rows: Parquet by the row count in the file's metadata, CSV files are re-read. -#}
{% macro land_raw_complete_files(info) %}
    {%- set complete = [] -%}
    {%- if execute and is_incremental() -%}
        {%- set counts = {} -%}
        {%- for row in run_query("select _source_file, count(*) from " ~ this
                ~ " where _source_file is not null group by 1").rows -%}
            {%- do counts.update({row[0]: row[1]}) -%}
        {%- endfor -%}
        {%- set log_rel = privacy_existing_relation('erasure_log') -%}
        {%- set erased = log_rel is not none
            and run_query("select count(*) from " ~ log_rel).rows[0][0] > 0 -%}
        {%- if not erased -%}
            {%- for f in counts.keys() -%}{%- do complete.append(f) -%}{%- endfor -%}
        {%- elif info['format'] == 'parquet' -%}
            {%- set current = info['files'] | map(attribute='path') | list -%}
            {%- set known = counts.keys() | select('in', current) | list -%}
            {%- if known -%}
                {%- set meta = [] -%}
                {%- for f in known -%}
                    {%- do meta.append("select '" ~ f | replace("'", "''") ~ "' as f, sum(num_rows) as n from parquet_file_metadata('"
                        ~ f | replace("'", "''") ~ "')") -%}
                {%- endfor -%}
                {%- for row in run_query(meta | join(' union all ')).rows -%}
                    {%- if counts[row[0]] == row[1] -%}{%- do complete.append(row[0]) -%}{%- endif -%}
                {%- endfor -%}
            {%- endif -%}
        {%- endif -%}
    {%- endif -%}
    {{ return(complete) }}
{% endmacro %}

{#- Pre-hook of an incremental landing model (DuckDB): delete the rows of raw files that are
    no longer in the raw folder (part removed or renamed, folder moved, SEGMENTS_RAW_DIR spelled
    differently), exactly what a rebuilt table would lose, so the staging guard
    incremental_check_staged_files still stops such a refresh; and the rows of files that are
    read again (land_raw_complete_files). Renders nothing on a full build. -#}
{% macro land_raw_forget_removed_files(table_name) %}
    {{ return(adapter.dispatch('land_raw_forget_removed_files', 'customer_segments')(table_name)) }}
{% endmacro %}

{% macro default__land_raw_forget_removed_files(table_name) %}
{% endmacro %}

{% macro duckdb__land_raw_forget_removed_files(table_name) %}
    {%- if execute and is_incremental() -%}
        {%- set info = raw_file_info(table_name) -%}
        {%- set current = info['files'] | map(attribute='path') | list -%}
        {%- set keep = [] -%}
        {%- for f in land_raw_complete_files(info) if f in current -%}
            {%- do keep.append("'" ~ f | replace("'", "''") ~ "'") -%}
        {%- endfor -%}
    delete from {{ this }}
    where {{ ('_source_file not in (' ~ keep | join(', ') ~ ')') if keep else 'true' }}
    {%- endif -%}
{% endmacro %}
