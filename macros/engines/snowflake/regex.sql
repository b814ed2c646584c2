{#- Snowflake unescapes backslashes in single-quoted literals: doubled. REGEXP_LIKE matches
    the whole text (default__regex_full_match); REGEXP_SUBSTR with the 'e' flag returns a
    capture group, NULL when nothing matches (coalesced to '' like DuckDB / Spark). -#}
{% macro snowflake__regex_literal(pattern) -%}
    {{- "'" ~ pattern | replace('\\', '\\\\') | replace("'", "''") ~ "'" -}}
{%- endmacro %}

{% macro snowflake__regex_extract(expr, pattern, group=0) -%}
    {%- if group == 0 -%}
    coalesce(regexp_substr({{ expr }}, {{ regex_literal(pattern) }}), '')
    {%- else -%}
    coalesce(regexp_substr({{ expr }}, {{ regex_literal(pattern) }}, 1, 1, 'e', {{ group }}), '')
    {%- endif -%}
{%- endmacro %}
