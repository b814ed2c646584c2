{#- `needle` occurs in `haystack` (both SQL expressions): DuckDB / Snowflake / Spark contains(),
    BigQuery has none (strpos via dbt.position). -#}
{% macro text_contains(haystack, needle) %}
    {{ return(adapter.dispatch('text_contains', 'customer_segments')(haystack, needle)) }}
{% endmacro %}

{% macro default__text_contains(haystack, needle) -%}
    contains({{ haystack }}, {{ needle }})
{%- endmacro %}

{% macro bigquery__text_contains(haystack, needle) -%}
    (strpos({{ haystack }}, {{ needle }}) > 0)
{%- endmacro %}

{% macro duckdb__try_cast_to(expr, type) -%}
    try_cast({{ expr }} as {{ type }})
{%- endmacro %}
