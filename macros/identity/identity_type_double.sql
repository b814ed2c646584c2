{#- A 64-bit floating point type for probabilities and weights. dbt.type_float() is 64-bit on
    Snowflake, BigQuery and Postgres but FLOAT4 on DuckDB, too coarse for u ~ 1e-7. -#}
{% macro identity_type_double() %}
    {{ return(adapter.dispatch('identity_type_double', 'customer_segments')()) }}
{% endmacro %}

{% macro default__identity_type_double() -%}
    {{ dbt.type_float() }}
{%- endmacro %}

{% macro duckdb__identity_type_double() -%}
    double
{%- endmacro %}
