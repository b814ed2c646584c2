{#- Names of the comparisons, in order. -#}
{% macro identity_comparisons() %}
    {%- set names = [] -%}
    {%- for row in identity_comparison_levels() if row['comparison'] not in names -%}
        {%- do names.append(row['comparison']) -%}
    {%- endfor -%}
    {{ return(names) }}
{% endmacro %}
