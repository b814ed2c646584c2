{#- Levenshtein edit distance (insert / delete / substitute, each 1). NULL when either side
    is NULL; an empty string is compared as it is (distance = the other's length). -#}
{% macro levenshtein(left, right) %}
    {{ return(adapter.dispatch('levenshtein', 'customer_segments')(left, right)) }}
{% endmacro %}

{#- Postgres / Redshift: levenshtein() from the fuzzystrmatch extension. -#}
{% macro default__levenshtein(left, right) -%}
    levenshtein({{ left }}, {{ right }})
{%- endmacro %}

{% macro duckdb__levenshtein(left, right) -%}
    levenshtein({{ left }}, {{ right }})
{%- endmacro %}

{% macro snowflake__levenshtein(left, right) -%}
    editdistance({{ left }}, {{ right }})
{%- endmacro %}

{% macro bigquery__levenshtein(left, right) -%}
    edit_distance({{ left }}, {{ right }})
{%- endmacro %}

{% macro spark__levenshtein(left, right) -%}
    levenshtein({{ left }}, {{ right }})
{%- endmacro %}
