{#- SHA-256 of a text expression as 64 lower-case hex characters, the form ad platforms
    (Google Customer Match, Meta custom audiences) accept for hashed identifiers. -#}
{% macro activation_sha256(expr) %}
    {{- return(adapter.dispatch('activation_sha256', 'customer_segments')(expr)) -}}
{% endmacro %}

{% macro default__activation_sha256(expr) -%}
    lower(sha2(cast({{ expr }} as {{ dbt.type_string() }}), 256))
{%- endmacro %}

{% macro duckdb__activation_sha256(expr) -%}
    sha256(cast({{ expr }} as varchar))
{%- endmacro %}

{% macro bigquery__activation_sha256(expr) -%}
    to_hex(sha256(cast({{ expr }} as string)))
{%- endmacro %}
