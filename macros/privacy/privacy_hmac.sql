{#- A keyed hash (HMAC-SHA256, 64 hex characters) of a text expression: the pseudonymous
    form of an identifier. The key never appears in SQL: on DuckDB the function
    segments_pii_hmac is registered at connect time by the profile's plugin (segkit.privacy)
    with the key from DBT_ENV_SECRET_PII_KEY; elsewhere the var privacy__hmac_function names
    a warehouse function that holds the key (docs/privacy.md). -#}
{% macro privacy_hmac(expr) %}
    {{- return(adapter.dispatch('privacy_hmac', 'customer_segments')(expr)) -}}
{% endmacro %}

{% macro duckdb__privacy_hmac(expr) -%}
    segments_pii_hmac(cast({{ expr }} as varchar))
{%- endmacro %}

{% macro default__privacy_hmac(expr) -%}
    {%- set fn = var('privacy__hmac_function', none) -%}
    {%- if fn is none or fn == '' -%}
        {#- no keyed function on this engine yet: an unkeyed SHA-256, said loudly -#}
        {%- if execute -%}
            {%- do exceptions.warn(
                "privacy: var privacy__hmac_function is not set for target type " ~ target.type
                ~ ": pseudonymous ids are unkeyed SHA-256 hashes here (docs/privacy.md)") -%}
        {%- endif -%}
        {{ activation_sha256(expr) }}
    {%- else -%}
        {%- if fn is not string or not modules.re.fullmatch('[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*){0,2}', fn) -%}
            {{ exceptions.raise_compiler_error(
                "var privacy__hmac_function must name the warehouse function that computes the keyed "
                ~ "hash (e.g. util.pii_hmac, a secure UDF holding the key; docs/privacy.md), got "
                ~ (fn | tojson)) }}
        {%- endif -%}
        {{ fn }}(cast({{ expr }} as {{ dbt.type_string() }}))
    {%- endif -%}
{%- endmacro %}
