{#- Jaro-Winkler similarity of two strings, 0..1 (1 = identical). NULL when either side is
    NULL or empty, so "no data" never reads as "disagrees". Engines without a native
    Jaro-Winkler (BigQuery, Spark, default) fall back to the normalized Levenshtein
    similarity 1 - distance / longer length, documented in _identity__macros.yml. -#}
{% macro jaro_winkler(left, right) %}
    {{ return(adapter.dispatch('jaro_winkler', 'customer_segments')(left, right)) }}
{% endmacro %}

{% macro default__jaro_winkler(left, right) -%}
    {{ normalized_levenshtein_similarity(left, right) }}
{%- endmacro %}

{% macro duckdb__jaro_winkler(left, right) -%}
    case
        when nullif({{ left }}, '') is not null and nullif({{ right }}, '') is not null
            then jaro_winkler_similarity({{ left }}, {{ right }})
    end
{%- endmacro %}

{% macro snowflake__jaro_winkler(left, right) -%}
    case
        when nullif({{ left }}, '') is not null and nullif({{ right }}, '') is not null
            then jarowinkler_similarity({{ left }}, {{ right }}) / 100.0
    end
{%- endmacro %}

{% macro bigquery__jaro_winkler(left, right) -%}
    {{ normalized_levenshtein_similarity(left, right) }}
{%- endmacro %}

{#- Spark: a plain-SQL Jaro-Winkler equal to DuckDB's (macros/engines/spark/jaro_winkler.sql). -#}
{% macro spark__jaro_winkler(left, right) -%}
    {{ spark_jaro_winkler_sql(left, right) }}
{%- endmacro %}
