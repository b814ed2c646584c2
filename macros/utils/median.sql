{#- Median of a numeric expression (aggregate). -#}
{% macro median(expr) %}
    {{ return(adapter.dispatch('median', 'customer_segments')(expr)) }}
{% endmacro %}

{% macro default__median(expr) -%}
    percentile_cont(0.5) within group (order by {{ expr }})
{%- endmacro %}

{% macro duckdb__median(expr) -%}
    median({{ expr }})
{%- endmacro %}

{% macro bigquery__median(expr) -%}
    approx_quantiles({{ expr }}, 2)[offset(1)]
{%- endmacro %}
