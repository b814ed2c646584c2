{#- A rule value as a typed SQL literal: numbers for number features (finite, emitted from
    their own digits), quoted text for text features, true/false for booleans. -#}
{% macro segment_rule_value_sql(value, kind, context) %}
    {%- if kind == 'boolean' -%}
        {%- if value is not boolean -%}
            {{ exceptions.raise_compiler_error(context ~ ": expected true or false, got " ~ (value | tojson)) }}
        {%- endif -%}
        {{ return('true' if value else 'false') }}
    {%- elif kind == 'number' -%}
        {%- if value is boolean or value is not number -%}
            {{ exceptions.raise_compiler_error(context ~ ": expected a number, got " ~ (value | tojson)) }}
        {%- endif -%}
        {%- set text = value | string -%}
        {%- if not modules.re.fullmatch('-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?', text) -%}
            {{ exceptions.raise_compiler_error(context ~ ": expected a finite number, got " ~ text) }}
        {%- endif -%}
        {{ return('(' ~ text ~ ')') }}
    {%- else -%}
        {%- if value is not string -%}
            {{ exceptions.raise_compiler_error(context ~ ": expected a text value, got " ~ (value | tojson)) }}
        {%- endif -%}
        {{ return(segments_string_literal(value, context)) }}
    {%- endif -%}
{% endmacro %}
