{#- CSV formula injection (bad-input class 25, OWASP "CSV Injection"): a text value of a CSV
    export that starts with = + - @, a tab or a carriage return is prefixed with a single
    quote, so a spreadsheet shows it as text instead of running it as a formula. NULL stays
    NULL. Applied to the text columns of the export models only: the warehouse keeps every
    value verbatim. Hashes and pseudonymous ids are hex and never start with these. -#}
{% macro csv_safe(column) %}
    case
        when substr({{ column }}, 1, 1) in ('=', '+', '-', '@', {{ csv_safe_control_chars() }})
            then {{ dbt.concat([segments_string_literal("'", 'csv_safe'), column]) }}
        else {{ column }}
    end
{%- endmacro %}

{#- Tab and carriage return as SQL expressions (a raw control character inside a string
    literal is not valid on every engine: BigQuery reads a CR as a line break). The quote
    itself comes from segments_string_literal: BigQuery escapes it with a backslash. -#}
{% macro csv_safe_control_chars() %}
    {{- return(adapter.dispatch('csv_safe_control_chars', 'customer_segments')()) -}}
{% endmacro %}

{% macro default__csv_safe_control_chars() -%}
    chr(9), chr(13)
{%- endmacro %}

{% macro bigquery__csv_safe_control_chars() -%}
    '\t', '\r'
{%- endmacro %}
