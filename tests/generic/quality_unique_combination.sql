{#- Fails with one row per combination of the columns that occurs more than once (a multi-column
    primary key). Rows where every key column is NULL are compared too. -#}
{% test quality_unique_combination(model, combination_of_columns) %}

    with keys as (
        select
            {{ combination_of_columns | join(', ') }},
            count(*) as row_count
        from {{ model }}
        group by {{ combination_of_columns | join(', ') }}
    )

    select * from keys
    where row_count > 1

{% endtest %}
