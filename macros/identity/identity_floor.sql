{#- The floor of a dedup quality metric from var dedup__floors.<data_kind>.<metric> as a typed
    SQL literal (NULL when none is set); anything but a number is a compile error. -#}
{% macro identity_floor(data_kind, metric) %}
    {%- set value = var('dedup__floors', {}).get(data_kind, {}).get(metric) -%}
    {%- if value is none -%}
        {{ return('cast(null as ' ~ identity_type_double() ~ ')') }}
    {%- endif -%}
    {%- if value is string or value is boolean or not (value is number) -%}
        {{ exceptions.raise_compiler_error(
            "var dedup__floors." ~ data_kind ~ "." ~ metric ~ " must be a number, got " ~ value) }}
    {%- endif -%}
    {{ return('cast(' ~ (value | float) ~ ' as ' ~ identity_type_double() ~ ')') }}
{% endmacro %}
