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

{#- Levenshtein distance when it can be at most max_distance, else a cheap lower bound:
    when the lengths differ by more than max_distance the distance is at least that
    difference, which is returned without running the quadratic comparison. Thresholds up to
    max_distance are decided exactly (equal strings short-cut to 0). NULL when either is NULL. -#}
{% macro levenshtein_within(left, right, max_distance) -%}
    case
        when {{ left }} = {{ right }} then 0
        when abs({{ dbt.length(left) }} - {{ dbt.length(right) }}) > {{ max_distance }}
            then abs({{ dbt.length(left) }} - {{ dbt.length(right) }})
        else {{ levenshtein(left, right) }}
    end
{%- endmacro %}
