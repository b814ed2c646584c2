{#- Landing raw files on Spark (dbt-spark session / local mode): the same contract as
    duckdb__land_raw_table. Files are found with Spark's binaryFile source (paths only, the
    content is never read), headers read from the Parquet schema or the CSV's first line,
    and each file read in place (Parquet) or through a temporary view (CSV: header and dialect
    options). Row numbers match DuckDB's: Parquet row index + 1; for CSV the same
    content-hash order. Differences (docs/scale.md): Spark's CSV reader has no reject table
    (ragged lines are null-padded or cut, not quarantined), so CSV reject reasons are
    DuckDB-only. -#}
{% macro spark__land_raw_table(table_name) %}
    {%- set spec = raw_contract()[table_name] -%}
    {%- set info = spark_raw_file_info(table_name) -%}
    {%- set parts = [] -%}
    {%- for f in info['files'] if not f.get('empty', false) -%}
        {%- set by_contract = {} -%}
        {%- for c in f['columns'] if c['contract'] is not none -%}
            {%- do by_contract.update({c['contract']: 'c' ~ c['position']}) -%}
        {%- endfor -%}
        {%- set path_sql = f['path'] | replace("'", "\\'") -%}
        {%- if info['format'] == 'parquet' -%}
            {%- set reader -%}
    select
        {%- for c in f['columns'] %}
        cast(`{{ c['source_name'] | replace('`', '``') }}` as string) as c{{ c['position'] }},
        {%- endfor %}
        _metadata.row_index + 1 as _source_row_number
    from parquet.`{{ f['path'] | replace('`', '``') }}`
            {%- endset -%}
        {%- else -%}
            {%- set view = spark_raw_csv_view(table_name, f, loop.index) -%}
            {%- set reader -%}
    select
        *,
        row_number() over (order by md5(concat_ws(chr(31), {% for c in f['columns'] %}coalesce(c{{ c['position'] }}, chr(30)){{ ', ' if not loop.last }}{% endfor %}))) as _source_row_number
    from {{ view }}
            {%- endset -%}
        {%- endif -%}
        {%- set part -%}
    select
        {%- for col in spec['columns'] %}
        {%- if col in by_contract %}
        {{ by_contract[col] }} as {{ col }},
        {%- else %}
        cast(null as string) as {{ col }},
        {%- endif %}
        {%- endfor %}
        '{{ path_sql }}' as _source_file,
        cast(_source_row_number as bigint) as _source_row_number
    from ({{ reader }}) as raw_file_{{ loop.index }}
        {%- endset -%}
        {%- do parts.append(part) -%}
    {%- endfor -%}
    {%- if parts | length == 0 %}
    select
        {%- for col in spec['columns'] %}
        cast(null as string) as {{ col }},
        {%- endfor %}
        cast(null as string) as _source_file,
        cast(null as bigint) as _source_row_number
    where false
    {%- else %}
    {{ parts | join('\n    union all\n') }}
    {%- endif %}
{% endmacro %}

{#- The raw files of one contract table on Spark (execute time only), in the shape of
    raw_file_info: {format, files: [{path, columns: [{position, header, source_name,
    contract}], empty}]}, with the same errors (required table missing, duplicate header,
    missing minimum column). -#}
{% macro spark_raw_file_info(table_name) %}
    {%- set spec = raw_contract()[table_name] -%}
    {%- set raw_dir = (var('raw_dir') | string).rstrip('/') -%}
    {%- set info = {'format': none, 'files': [], 'dir': raw_dir} -%}
    {%- if not execute or not flags.INTROSPECT -%}{{ return(info) }}{%- endif -%}
    {%- do run_query(
        "create or replace temporary view segments_raw_files using binaryFile options (path '"
        ~ raw_dir | replace("'", "\\'") ~ "', recursiveFileLookup 'true')") -%}
    {%- set found = run_query(
        "select regexp_replace(path, '^file:', '') as path from segments_raw_files order by 1") -%}
    {%- set by_format = {'parquet': [], 'csv': []} -%}
    {%- for row in found.rows -%}
        {%- set rel = row[0][(row[0].find(raw_dir ~ '/') + raw_dir | length + 1) if row[0].find(raw_dir ~ '/') >= 0 else 0:] -%}
        {%- for fmt in ['parquet', 'csv'] -%}
            {%- if modules.re.fullmatch(table_name ~ '\\.' ~ fmt, rel)
                or modules.re.fullmatch(table_name ~ '/[^/]+\\.' ~ fmt, rel) -%}
                {%- do by_format[fmt].append(row[0]) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- for fmt in ['parquet', 'csv'] if info['format'] is none and by_format[fmt] | length > 0 -%}
        {%- do info.update({'format': fmt}) -%}
        {%- for p in by_format[fmt] -%}{%- do info['files'].append({'path': p}) -%}{%- endfor -%}
    {%- endfor -%}
    {%- if info['format'] is none -%}
        {%- if spec['required'] -%}
            {{ exceptions.raise_compiler_error(
                "raw input '" ~ table_name ~ "' is required but no file was found: expected "
                ~ raw_dir ~ "/" ~ table_name ~ ".parquet|.csv (or a folder " ~ table_name
                ~ "/ of parts). Set the var raw_dir or env SEGMENTS_RAW_DIR.") }}
        {%- endif -%}
        {%- do log("raw input '" ~ table_name ~ "' not found in " ~ raw_dir ~ ": building without it", info=true) -%}
        {{ return(info) }}
    {%- endif -%}

    {%- set cmap = var('raw__column_map', {}).get(table_name, {}) -%}
    {%- set reverse = {} -%}
    {%- for contract_col, user_col in cmap.items() -%}
        {%- do reverse.update({(user_col | string | lower | trim): contract_col}) -%}
    {%- endfor -%}
    {%- for f in info['files'] -%}
        {%- set quoted = f['path'] | replace('`', '``') -%}
        {%- if info['format'] == 'parquet' -%}
            {%- set headers = run_query("select * from parquet.`" ~ quoted ~ "` limit 0").column_names | list -%}
        {%- else -%}
            {%- set dialect = raw_csv_dialect(table_name) -%}
            {%- set first = run_query("select value from text.`" ~ quoted ~ "` limit 1") -%}
            {%- set line = (first.rows[0][0] if first.rows | length > 0 else '') or '' -%}
            {%- set headers = line.lstrip('\ufeff').split(dialect['delimiter']) if line | length > 0 else [] -%}
            {%- if headers | length == 0 and spec['required'] -%}
                {{ exceptions.raise_compiler_error(
                    "raw input file " ~ f['path'] ~ " is empty (no header line): the required table '"
                    ~ table_name ~ "' needs at least the columns " ~ spec['minimum'] | map('join', ' or ') | join(', ')) }}
            {%- endif -%}
        {%- endif -%}
        {%- set cols = [] -%}
        {%- set seen = {} -%}
        {%- for h in headers -%}
            {%- set name = (h | string).strip().strip('"').strip() | lower -%}
            {%- if name in seen -%}
                {{ exceptions.raise_compiler_error(
                    "raw input file " ~ f['path'] ~ ": duplicate column name '" ~ name
                    ~ "' in the header (columns " ~ seen[name] ~ " and " ~ loop.index ~ "); rename one of them") }}
            {%- endif -%}
            {%- do seen.update({name: loop.index}) -%}
            {%- set contract = reverse.get(name, name if name in spec['columns'] else none) -%}
            {%- do cols.append({'position': loop.index, 'header': name, 'source_name': h, 'contract': contract}) -%}
        {%- endfor -%}
        {%- set present = cols | map(attribute='contract') | reject('none') | list -%}
        {%- if headers | length > 0 -%}
            {%- for group in spec['minimum'] -%}
                {%- if (group | select('in', present) | list | length) == 0 -%}
                    {{ exceptions.raise_compiler_error(
                        "raw input file " ~ f['path'] ~ " has no column '" ~ group | join("' or '")
                        ~ "' (required for table '" ~ table_name ~ "'); found columns: "
                        ~ headers | join(', ') ~ ". Map your column name with the var raw__column_map.") }}
                {%- endif -%}
            {%- endfor -%}
        {%- endif -%}
        {%- do f.update({'columns': cols, 'empty': headers | length == 0}) -%}
    {%- endfor -%}
    {{ return(info) }}
{% endmacro %}

{#- A temporary view over one CSV file: every column text (c1..cN), the header line skipped,
    the table's delimiter and quote (quote doubled inside quoted values, like DuckDB's
    escape = quote), quoted line breaks allowed. Returns the view name. -#}
{% macro spark_raw_csv_view(table_name, f, index) %}
    {%- set view = 'segments_raw_' ~ table_name ~ '_' ~ index -%}
    {%- set dialect = raw_csv_dialect(table_name) -%}
    {%- if execute -%}
        {%- set cols = [] -%}
        {%- for c in f['columns'] -%}{%- do cols.append('c' ~ c['position'] ~ ' string') -%}{%- endfor -%}
        {%- do run_query(
            "create or replace temporary view " ~ view ~ " (" ~ cols | join(', ') ~ ") using csv options ("
            ~ "path '" ~ f['path'] | replace("'", "\\'") ~ "', header 'true', "
            ~ "sep '" ~ dialect['delimiter'] ~ "', quote '" ~ dialect['quote'] ~ "', "
            ~ "escape '" ~ dialect['quote'] ~ "', multiLine 'true', mode 'PERMISSIVE', encoding 'UTF-8')") -%}
    {%- endif -%}
    {{ return(view) }}
{% endmacro %}
