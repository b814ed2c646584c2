{#- House number: the first number in the street text (with a letter suffix: "12a"). -#}
{% macro identity_house_number(expr) %}
    {{ return(adapter.dispatch('identity_house_number', 'customer_segments')(expr)) }}
{% endmacro %}

{% macro default__identity_house_number(expr) -%}
    nullif(regexp_substr({{ identity_text_key(expr) }}, '\\b[0-9]+[a-z]?\\b'), '')
{%- endmacro %}

{% macro duckdb__identity_house_number(expr) -%}
    nullif(regexp_extract({{ identity_text_key(expr) }}, '\b[0-9]+[a-z]?\b'), '')
{%- endmacro %}

{% macro bigquery__identity_house_number(expr) -%}
    nullif(regexp_extract({{ identity_text_key(expr) }}, r'\b[0-9]+[a-z]?\b'), '')
{%- endmacro %}
