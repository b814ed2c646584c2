{#- A text value from a rule, a seed or YAML as a SQL string literal. Quotes are escaped the
    way the engine wants (doubled; backslash-escaped on BigQuery); backslashes and control
    characters are refused with an error that names `context` (e.g. the rule). -#}
{% macro segments_string_literal(value, context) %}
    {%- if value is not string -%}
        {{ exceptions.raise_compiler_error(context ~ ": expected a text value, got " ~ (value | string)) }}
    {%- endif -%}
    {%- if '\\' in value or modules.re.search('[\\x00-\\x1f\\x7f]', value) -%}
        {{ exceptions.raise_compiler_error(
            context ~ ": text values may not contain backslashes or control characters: "
            ~ (value | tojson)) }}
    {%- endif -%}
    {{ return(adapter.dispatch('segments_string_literal', 'customer_segments')(value)) }}
{% endmacro %}

{% macro default__segments_string_literal(value) -%}
    {{- "'" ~ value | replace("'", "''") ~ "'" -}}
{%- endmacro %}

{% macro bigquery__segments_string_literal(value) -%}
    {{- "'" ~ value | replace("'", "\\'") ~ "'" -}}
{%- endmacro %}
