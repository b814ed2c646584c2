{#- CSV dialect of one raw table from the var raw__csv_dialect, validated: a delimiter or quote
    is one printable character and never a quote that would break the generated SQL; the
    encoding is one the DuckDB CSV reader supports without an extension (utf-8, utf-16,
    latin-1; common spellings such as UTF8, ISO-8859-1 or latin1 are accepted). -#}
{% macro raw_csv_dialect(table_name) %}
    {%- set all = var('raw__csv_dialect', {}) -%}
    {%- set d = all.get('default', {}) -%}
    {%- set merged = {'delimiter': d.get('delimiter', ','), 'quote': d.get('quote', '"'),
                      'encoding': d.get('encoding', 'utf-8')} -%}
    {%- do merged.update(all.get(table_name, {})) -%}
    {%- for key in ['delimiter', 'quote'] -%}
        {%- set v = merged[key] | string -%}
        {%- if v | length != 1 or v in ["'", "\\"] -%}
            {{ exceptions.raise_compiler_error(
                "var raw__csv_dialect." ~ table_name ~ "." ~ key ~ " must be one character other than a single quote or backslash, got: " ~ v) }}
        {%- endif -%}
    {%- endfor -%}
    {%- set aliases = {
        'utf-8': 'utf-8', 'utf8': 'utf-8',
        'utf-16': 'utf-16', 'utf16': 'utf-16', 'utf-16le': 'utf-16', 'utf16le': 'utf-16',
        'latin-1': 'latin-1', 'latin1': 'latin-1', 'iso-8859-1': 'latin-1', 'iso8859-1': 'latin-1',
        'iso_8859_1': 'latin-1',
    } -%}
    {%- set enc = (merged['encoding'] | string | trim | lower) -%}
    {%- if enc not in aliases -%}
        {{ exceptions.raise_compiler_error(
            "var raw__csv_dialect." ~ table_name ~ ".encoding must be one of utf-8, utf-16, latin-1, got: "
            ~ merged['encoding'] ~ " (convert other encodings to UTF-8 first, e.g. iconv -f cp1252 -t utf-8)") }}
    {%- endif -%}
    {%- do merged.update({'encoding': aliases[enc]}) -%}
    {{ return(merged) }}
{% endmacro %}
