{#- Seconds since 1970-01-01 of a UTC timestamp, as a number: the order key of the
    RANGE-framed sliding windows (BigQuery only allows numeric RANGE keys). -#}
{% macro segments_epoch_seconds(expr) %}
    {{ return(adapter.dispatch('segments_epoch_seconds', 'customer_segments')(expr)) }}
{% endmacro %}

{% macro default__segments_epoch_seconds(expr) -%}
    extract(epoch from {{ expr }})
{%- endmacro %}

{% macro duckdb__segments_epoch_seconds(expr) -%}
    epoch({{ expr }})
{%- endmacro %}

{% macro snowflake__segments_epoch_seconds(expr) -%}
    date_part(epoch_second, {{ expr }})
{%- endmacro %}

{% macro bigquery__segments_epoch_seconds(expr) -%}
    unix_seconds({{ expr }})
{%- endmacro %}
