{#- Inspect the raw files of one contract table on DuckDB (execute time only).
    Returns {format, files: [{path, columns: [{position, header, contract}], extra: [...]}]}.
    Stops the build with an error naming the file and column when the input cannot be used:
    required table absent or empty, duplicate header names, missing minimum column. -#}
{% macro raw_file_info(table_name) %}
    {%- set spec = raw_contract()[table_name] -%}
    {%- set raw_dir = var('raw_dir') | string -%}
    {%- set base = (raw_dir.rstrip('/') ~ '/' ~ table_name) | replace("'", "''") -%}
    {%- set info = {'format': none, 'files': [], 'dir': raw_dir} -%}
    {%- if not execute -%}{{ return(info) }}{%- endif -%}

    {%- for fmt in ['parquet', 'csv'] if info['format'] is none -%}
        {%- set found = run_query(
            "select file from glob('" ~ base ~ "." ~ fmt ~ "') union all "
            ~ "select file from glob('" ~ base ~ "/*." ~ fmt ~ "') order by 1") -%}
        {%- if found.rows | length > 0 -%}
            {%- do info.update({'format': fmt}) -%}
            {%- for row in found.rows -%}{%- do info['files'].append({'path': row[0]}) -%}{%- endfor -%}
        {%- endif -%}
    {%- endfor -%}

    {%- if info['format'] is none -%}
        {%- set dir_sql = raw_dir.rstrip('/') | replace("'", "''") -%}
        {%- if spec['required'] and run_query(
                "select count(*) from glob('" ~ dir_sql ~ "/*')").columns[0].values()[0] == 0 -%}
            {{ exceptions.raise_compiler_error(
                "raw directory '" ~ raw_dir ~ "' does not exist or is empty: set the var raw_dir or "
                ~ "env SEGMENTS_RAW_DIR to the folder holding orders (and customers, events) "
                ~ ".parquet|.csv") }}
        {%- endif -%}
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
        {%- set path_sql = f['path'] | replace("'", "''") -%}
        {%- if info['format'] == 'parquet' -%}
            {%- set hdr = run_query("select name from parquet_schema('" ~ path_sql ~ "') where num_children is null or num_children = 0") -%}
            {%- set headers = hdr.columns[0].values() | list -%}
        {%- else -%}
            {%- set dialect = raw_csv_dialect(table_name) -%}
            {%- set hdr = run_query(
                "select unnest(hs) as h, generate_subscripts(hs, 1) as i from ("
                ~ "select string_split(ltrim(line, chr(65279)), '" ~ dialect['delimiter'] ~ "') as hs "
                ~ "from read_csv('" ~ path_sql ~ "', header = false, auto_detect = false, "
                ~ "columns = {'line': 'VARCHAR'}, delim = chr(31), quote = '', escape = '', "
                ~ "encoding = '" ~ dialect['encoding'] ~ "', "
                ~ "ignore_errors = true) limit 1) order by i") -%}
            {%- set headers = hdr.columns[0].values() | list -%}
            {%- if (headers | join('')).find('\x00') >= 0 -%}
                {{ exceptions.raise_compiler_error(
                    "raw input file " ~ f['path'] ~ " is not " ~ dialect['encoding'] | upper ~ " text (NUL bytes in its first lines: "
                    ~ "probably UTF-16, e.g. an Excel 'Unicode text' export). Either save it as UTF-8 CSV or "
                    ~ "declare the file's encoding: set encoding: utf-16 for table '" ~ table_name
                    ~ "' in the var raw__csv_dialect, e.g. --vars '{raw__csv_dialect: {" ~ table_name
                    ~ ": {encoding: utf-16}}}'") }}
            {%- endif -%}
            {%- if headers | length == 0 -%}
                {%- if spec['required'] -%}
                    {{ exceptions.raise_compiler_error(
                        "raw input file " ~ f['path'] ~ " is empty (no header line): the required table '"
                        ~ table_name ~ "' needs at least the columns " ~ spec['minimum'] | map('join', ' or ') | join(', ')) }}
                {%- endif -%}
                {%- do log("WARNING raw input file " ~ f['path'] ~ " is empty: treated as 0 rows", info=true) -%}
            {%- endif -%}
        {%- endif -%}

        {%- set cols = [] -%}
        {%- set seen = {} -%}
        {%- set extra = [] -%}
        {%- for h in headers -%}
            {%- set name = (h | string).strip().strip('"').strip() | lower -%}
            {%- if name in seen -%}
                {{ exceptions.raise_compiler_error(
                    "raw input file " ~ f['path'] ~ ": duplicate column name '" ~ name
                    ~ "' in the header (columns " ~ seen[name] ~ " and " ~ loop.index ~ "); rename one of them") }}
            {%- endif -%}
            {%- do seen.update({name: loop.index}) -%}
            {%- set contract = reverse.get(name, name if name in spec['columns'] else none) -%}
            {%- do cols.append({'position': loop.index, 'header': name, 'contract': contract}) -%}
            {%- if contract is none -%}{%- do extra.append(name) -%}{%- endif -%}
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
        {%- do f.update({'columns': cols, 'extra': extra, 'present': present,
                         'missing': spec['columns'] | reject('in', present) | list,
                         'empty': headers | length == 0}) -%}
    {%- endfor -%}
    {{ return(info) }}
{% endmacro %}
