{#- A value from YAML, a seed or a var as a SQL string literal: quotes doubled, backslashes
    and control characters rejected. Values never reach SQL any other way. -#}
{% macro sql_string_literal(value) %}
    {%- set s = value | string -%}
    {%- if '\\' in s or '\n' in s or '\r' in s or ';' in s -%}
        {{ exceptions.raise_compiler_error("unsafe literal in configuration: " ~ s) }}
    {%- endif -%}
    {{- "'" ~ s | replace("'", "''") ~ "'" -}}
{% endmacro %}

{% macro sql_string_list(values) %}
    {%- set out = [] -%}
    {%- for v in values -%}{%- do out.append(sql_string_literal(v)) -%}{%- endfor -%}
    {{- out | join(', ') -}}
{% endmacro %}
