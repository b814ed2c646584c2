{#- Jaccard similarity of the sets of space-separated tokens of two strings:
    |A intersect B| / |A union B|, 0..1. NULL when either side is NULL or has no token.
    Token order does not matter ("12 main st" = "main st 12"). -#}
{% macro token_jaccard(left, right) %}
    {{ return(adapter.dispatch('token_jaccard', 'customer_segments')(left, right)) }}
{% endmacro %}

{#- Postgres: set operations over unnest(string_to_array(...)). -#}
{% macro default__token_jaccard(left, right) -%}
    case
        when nullif(trim({{ left }}), '') is not null and nullif(trim({{ right }}), '') is not null
            then cast((
                select count(*) from (
                    select unnest(string_to_array(trim({{ left }}), ' '))
                    intersect
                    select unnest(string_to_array(trim({{ right }}), ' '))
                ) as shared_tokens
            ) as {{ identity_type_double() }}) / (
                select count(*) from (
                    select unnest(string_to_array(trim({{ left }}), ' '))
                    union
                    select unnest(string_to_array(trim({{ right }}), ' '))
                ) as all_tokens
            )
    end
{%- endmacro %}

{% macro duckdb__token_jaccard(left, right) -%}
    case
        when nullif(trim({{ left }}), '') is not null and nullif(trim({{ right }}), '') is not null
            then len(list_intersect(
                list_distinct(string_split_regex(trim({{ left }}), '\s+')),
                list_distinct(string_split_regex(trim({{ right }}), '\s+'))
            )) / len(list_distinct(
                list_concat(
                    string_split_regex(trim({{ left }}), '\s+'),
                    string_split_regex(trim({{ right }}), '\s+')
                )
            ))::double
    end
{%- endmacro %}

{% macro snowflake__token_jaccard(left, right) -%}
    case
        when nullif(trim({{ left }}), '') is not null and nullif(trim({{ right }}), '') is not null
            then array_size(array_intersection(
                array_distinct(split(trim({{ left }}), ' ')),
                array_distinct(split(trim({{ right }}), ' '))
            )) / array_size(array_distinct(
                array_cat(split(trim({{ left }}), ' '), split(trim({{ right }}), ' '))
            ))::float
    end
{%- endmacro %}

{% macro bigquery__token_jaccard(left, right) -%}
    case
        when nullif(trim({{ left }}), '') is not null and nullif(trim({{ right }}), '') is not null
            then safe_divide(
                (select count(distinct t) from unnest(split(trim({{ left }}), ' ')) as t
                    where t in unnest(split(trim({{ right }}), ' '))),
                (select count(distinct t) from unnest(array_concat(
                    split(trim({{ left }}), ' '), split(trim({{ right }}), ' '))) as t)
            )
    end
{%- endmacro %}

{% macro spark__token_jaccard(left, right) -%}
    case
        when nullif(trim({{ left }}), '') is not null and nullif(trim({{ right }}), '') is not null
            then size(array_intersect(split(trim({{ left }}), ' '), split(trim({{ right }}), ' ')))
            / cast(size(array_union(split(trim({{ left }}), ' '), split(trim({{ right }}), ' ')))
                as double)
    end
{%- endmacro %}
