{#- Portable regular expressions. Patterns are written once, in RE2 / Java syntax (both
    engines of the project's tests read them the same way), as plain Jinja text; each engine
    gets them as a string literal it reads back unchanged (quotes doubled on DuckDB; Spark,
    Snowflake and BigQuery also unescape backslashes inside literals, so those are doubled).
    Full match / contains / replace / extract have different names and anchoring rules per
    engine: models and macros call these instead of an engine's function. -#}
{% macro regex_literal(pattern) %}
    {{ return(adapter.dispatch('regex_literal', 'customer_segments')(pattern)) }}
{% endmacro %}

{% macro default__regex_literal(pattern) -%}
    {{- "'" ~ pattern | replace("'", "''") ~ "'" -}}
{%- endmacro %}

{#- The whole text matches the pattern. -#}
{% macro regex_full_match(expr, pattern) %}
    {{ return(adapter.dispatch('regex_full_match', 'customer_segments')(expr, pattern)) }}
{% endmacro %}

{% macro duckdb__regex_full_match(expr, pattern) -%}
    regexp_full_match({{ expr }}, {{ regex_literal(pattern) }})
{%- endmacro %}

{#- Snowflake-style REGEXP_LIKE: the pattern must match the whole text. -#}
{% macro default__regex_full_match(expr, pattern) -%}
    regexp_like({{ expr }}, {{ regex_literal(pattern) }})
{%- endmacro %}

{#- Some part of the text matches the pattern. -#}
{% macro regex_contains(expr, pattern) %}
    {{ return(adapter.dispatch('regex_contains', 'customer_segments')(expr, pattern)) }}
{% endmacro %}

{% macro duckdb__regex_contains(expr, pattern) -%}
    regexp_matches({{ expr }}, {{ regex_literal(pattern) }})
{%- endmacro %}

{% macro default__regex_contains(expr, pattern) -%}
    regexp_like({{ expr }}, {{ regex_literal('.*(' ~ pattern ~ ').*') }})
{%- endmacro %}

{#- Every match replaced (replace_all=false: the first one only, which differs from
    "all" only for patterns that can match more than once; engines without a first-only
    form replace all). -#}
{% macro regex_replace(expr, pattern, replacement, replace_all=true) %}
    {{ return(adapter.dispatch('regex_replace', 'customer_segments')(expr, pattern, replacement, replace_all)) }}
{% endmacro %}

{% macro duckdb__regex_replace(expr, pattern, replacement, replace_all=true) -%}
    regexp_replace({{ expr }}, {{ regex_literal(pattern) }}, {{ regex_literal(replacement) }}{{ ", 'g'" if replace_all }})
{%- endmacro %}

{% macro default__regex_replace(expr, pattern, replacement, replace_all=true) -%}
    regexp_replace({{ expr }}, {{ regex_literal(pattern) }}, {{ regex_literal(replacement) }})
{%- endmacro %}

{#- Capture group `group` (0 = the whole match) of the first match; '' when nothing matches
    (DuckDB's and Spark's convention). -#}
{% macro regex_extract(expr, pattern, group=0) %}
    {{ return(adapter.dispatch('regex_extract', 'customer_segments')(expr, pattern, group)) }}
{% endmacro %}

{% macro default__regex_extract(expr, pattern, group=0) -%}
    regexp_extract({{ expr }}, {{ regex_literal(pattern) }}, {{ group }})
{%- endmacro %}
