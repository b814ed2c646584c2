{#- CSV dialect of one raw table from the var raw__csv_dialect, validated: a delimiter or quote
    is one printable character and never a quote that would break the generated SQL. -#}
{% macro raw_csv_dialect(table_name) %}
    {%- set all = var('raw__csv_dialect', {}) -%}
    {%- set d = all.get('default', {}) -%}
    {%- set merged = {'delimiter': d.get('delimiter', ','), 'quote': d.get('quote', '"')} -%}
    {%- do merged.update(all.get(table_name, {})) -%}
    {%- for key in ['delimiter', 'quote'] -%}
        {%- set v = merged[key] | string -%}
        {%- if v | length != 1 or v in ["'", "\\"] -%}
            {{ exceptions.raise_compiler_error(
                "var raw__csv_dialect." ~ table_name ~ "." ~ key ~ " must be one character other than a single quote or backslash, got: " ~ v) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(merged) }}
{% endmacro %}
