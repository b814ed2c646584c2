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

{#- The given SQL string expressions joined with `separator` (a SQL expression, e.g. "','"),
    NULL parts skipped with their separator; '' when every part is NULL. That is
    concat_ws in DuckDB, Spark and Postgres. Snowflake's concat_ws returns NULL when any part
    is NULL, and BigQuery has none, so both join an array instead (array_to_string drops NULL
    elements on BigQuery; array_construct_compact drops them on Snowflake).
    Two forms: `concat_skip_nulls("'|'", ['a', 'b'])`, or a call block whose body is the
    comma-separated parts: `{% call concat_skip_nulls("','") %} a, b {% endcall %}`. -#}
{% macro concat_skip_nulls(separator, parts=none) -%}
    {%- set items = (parts | join(', ')) if parts is not none else caller() -%}
    {{ adapter.dispatch('concat_skip_nulls', 'customer_segments')(separator, items) }}
{%- endmacro %}

{% macro default__concat_skip_nulls(separator, items) -%}
    concat_ws({{ separator }}, {{ items }})
{%- endmacro %}

{% macro snowflake__concat_skip_nulls(separator, items) -%}
    array_to_string(array_construct_compact({{ items }}), {{ separator }})
{%- endmacro %}

{% macro bigquery__concat_skip_nulls(separator, items) -%}
    array_to_string([{{ items }}], {{ separator }})
{%- endmacro %}
