{#- 1 - levenshtein / length of the longer string: the portable stand-in for Jaro-Winkler. -#}
{% macro normalized_levenshtein_similarity(left, right) -%}
    case
        when nullif({{ left }}, '') is not null and nullif({{ right }}, '') is not null
            then 1.0 - {{ levenshtein(left, right) }} / cast(
                greatest({{ dbt.length(left) }}, {{ dbt.length(right) }})
                as {{ identity_type_double() }}
            )
    end
{%- endmacro %}
