{#- BigQuery: RE2 like DuckDB. Backslashes in standard string literals are escapes (an
    unknown one is an error): doubled; quotes backslash-escaped. REGEXP_CONTAINS is a partial
    match, so the full match is anchored. REGEXP_EXTRACT takes at most one capture group:
    for group > 0 the other groups are made non-capturing is not possible in general, so the
    pattern is used as written and must have exactly that one group (all callers do). -#}
{% macro bigquery__regex_literal(pattern) -%}
    {{- "'" ~ pattern | replace('\\', '\\\\') | replace("'", "\\'") ~ "'" -}}
{%- endmacro %}

{% macro bigquery__regex_full_match(expr, pattern) -%}
    regexp_contains({{ expr }}, {{ regex_literal('^(?:' ~ pattern ~ ')$') }})
{%- endmacro %}

{% macro bigquery__regex_contains(expr, pattern) -%}
    regexp_contains({{ expr }}, {{ regex_literal(pattern) }})
{%- endmacro %}

{% macro bigquery__regex_extract(expr, pattern, group=0) -%}
    coalesce(regexp_extract({{ expr }}, {{ regex_literal(pattern) }}), '')
{%- endmacro %}
