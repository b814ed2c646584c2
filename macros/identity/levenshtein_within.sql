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
