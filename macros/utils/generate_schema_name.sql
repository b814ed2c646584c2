{#- Layer schemas are used as named (landing, staging, intermediate, marts, seeds) so BI tools
    find `marts.customer_segments` whatever the target's default schema is. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema | trim }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
