{#- The var as_of_date as a typed date literal, or none when it is not set. Anything other
    than YYYY-MM-DD stops the build with a message naming the var. -#}
{% macro as_of_date_literal() %}
    {%- set v = var('as_of_date', none) -%}
    {%- if v is none or (v | string | trim) in ['', 'none', 'None', 'null'] -%}{{ return(none) }}{%- endif -%}
    {%- if not modules.re.match('^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$', v | string) -%}
        {{ exceptions.raise_compiler_error("var as_of_date must be a date like 2024-06-30, got: " ~ v) }}
    {%- endif -%}
    {#- shaped like a date but not in the calendar (2024-02-30, 2023-02-29): name the var here,
        not a database conversion error later -#}
    {%- set ymd = (v | string).split('-') | map('int') | list -%}
    {%- set leap = (ymd[0] % 4 == 0 and ymd[0] % 100 != 0) or ymd[0] % 400 == 0 -%}
    {%- set month_days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][ymd[1] - 1] -%}
    {%- if ymd[2] > month_days -%}
        {{ exceptions.raise_compiler_error("var as_of_date must be a date like 2024-06-30, got: " ~ v
            ~ " (that month has " ~ month_days ~ " days)") }}
    {%- endif -%}
    {{ return("cast('" ~ v ~ "' as date)") }}
{% endmacro %}
