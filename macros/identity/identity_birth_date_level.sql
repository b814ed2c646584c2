{#- Birth date comparison level of two dates: 'exact'; 'transposed_day_month' (same year,
    day and month swapped: a day/month format mix-up); 'one_digit_off' (the ISO texts differ
    by one edit: a typo, so two of year / month / day are equal); 'different'; NULL when either
    is missing. Portable SQL. -#}
{% macro identity_birth_date_level(left, right) -%}
    case
        when {{ left }} is null or {{ right }} is null then null
        when {{ left }} = {{ right }} then 'exact'
        when extract(year from {{ left }}) = extract(year from {{ right }})
            and extract(month from {{ left }}) = extract(day from {{ right }})
            and extract(day from {{ left }}) = extract(month from {{ right }})
            then 'transposed_day_month'
        when
            {%- for part in ['year', 'month', 'day'] %}
            {{ '+ ' if not loop.first }}(case
                when extract({{ part }} from {{ left }}) = extract({{ part }} from {{ right }})
                    then 1
                else 0
            end)
            {%- endfor %}
            = 2
            and {{ levenshtein('cast(' ~ left ~ ' as ' ~ dbt.type_string() ~ ')',
                'cast(' ~ right ~ ' as ' ~ dbt.type_string() ~ ')') }} = 1
            then 'one_digit_off'
        else 'different'
    end
{%- endmacro %}
