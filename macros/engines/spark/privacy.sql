{#- Spark has no keyed hash (HMAC) built in: as on other warehouses, the var
    privacy__hmac_function names a function that holds the key (docs/privacy.md). Unlike
    default__privacy_hmac the missing var is only an error when a model using it runs: the
    models that pseudonymize (customer_segments, exports) are built on Python model output,
    which the Spark target does not run (selector sql_engines), so parsing must not fail. -#}
{% macro spark__privacy_hmac(expr) -%}
    {%- set fn = var('privacy__hmac_function', none) -%}
    {%- if fn is none and not execute -%}
        cast(null as string)
    {%- else -%}
        {{ default__privacy_hmac(expr) }}
    {%- endif -%}
{%- endmacro %}
