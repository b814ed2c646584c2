{#- The var as_of_date as a typed date literal, or none when it is not set. Anything other
    than YYYY-MM-DD stops the build with a message naming the var. -#}
{% macro as_of_date_literal() %}
    {%- set v = var('as_of_date', none) -%}
    {%- if v is none or (v | string | trim) in ['', 'none', 'None', 'null'] -%}{{ return(none) }}{%- endif -%}
    {%- if not modules.re.match('^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$', v | string) -%}
        {{ exceptions.raise_compiler_error("var as_of_date must be a date like 2024-06-30, got: " ~ v) }}
    {%- endif -%}
    {{ return("cast('" ~ v ~ "' as date)") }}
{% endmacro %}
