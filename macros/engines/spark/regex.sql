{#- Spark SQL unescapes backslashes in string literals (spark.sql.parser.escapedStringLiterals
    is false by default, and dbt-spark itself escapes quotes with a backslash), so a pattern's
    backslashes are doubled and quotes backslash-escaped. Java regex reads RE2 classes such as
    \pL, \s and \x{00a0} the same way. -#}
{% macro spark__regex_literal(pattern) -%}
    {{- "'" ~ pattern | replace('\\', '\\\\') | replace("'", "\\'") ~ "'" -}}
{%- endmacro %}

{% macro spark__regex_full_match(expr, pattern) -%}
    ({{ expr }} rlike {{ regex_literal('^(?:' ~ pattern ~ ')$') }})
{%- endmacro %}

{% macro spark__regex_contains(expr, pattern) -%}
    ({{ expr }} rlike {{ regex_literal(pattern) }})
{%- endmacro %}
