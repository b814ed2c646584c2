{#- A deterministic number in [0, 1) from a text expression: the first 32 bits of its md5
    divided by 2^32. The same on every engine (and in segkit/generator/activation.py), so an
    assignment never depends on the warehouse. -#}
{% macro activation_hash_bucket(expr) %}
    {{- return(adapter.dispatch('activation_hash_bucket', 'customer_segments')(expr)) -}}
{% endmacro %}

{% macro default__activation_hash_bucket(expr) -%}
    (cast(('0x' || substr(md5(cast({{ expr }} as {{ dbt.type_string() }})), 1, 8)) as bigint) / 4294967296.0)
{%- endmacro %}

{% macro duckdb__activation_hash_bucket(expr) -%}
    (cast(('0x' || substr(md5(cast({{ expr }} as varchar)), 1, 8)) as ubigint) / 4294967296.0)
{%- endmacro %}

{% macro snowflake__activation_hash_bucket(expr) -%}
    (to_number(substr(md5(cast({{ expr }} as varchar)), 1, 8), 'XXXXXXXX') / 4294967296.0)
{%- endmacro %}

{% macro bigquery__activation_hash_bucket(expr) -%}
    (cast(concat('0x', substr(to_hex(md5(cast({{ expr }} as string))), 1, 8)) as int64) / 4294967296.0)
{%- endmacro %}

{% macro spark__activation_hash_bucket(expr) -%}
    (cast(conv(substr(md5(cast({{ expr }} as string)), 1, 8), 16, 10) as bigint) / 4294967296.0)
{%- endmacro %}
