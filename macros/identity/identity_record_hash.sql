{#- md5 of a list of columns (each cast to text, NULL as the marker '<null>', which no key
    can hold), the fingerprint the incremental identity models compare between runs. Portable:
    dbt.hash and dbt.concat. -#}
{% macro identity_record_hash(columns) -%}
    {%- set parts = [] -%}
    {%- for c in columns -%}
        {%- do parts.append("coalesce(cast(" ~ c ~ " as " ~ dbt.type_string() ~ "), '<null>')") -%}
        {%- if not loop.last %}{% do parts.append("'|'") %}{% endif -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(parts)) }}
{%- endmacro %}
