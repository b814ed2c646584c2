{#- Fails with one row per key that has more than one current row (current_condition, e.g.
    `is_current` or `dbt_valid_to is null`). -#}
{% test history_at_most_one_current(model, key_columns, current_condition) %}

    select
        {{ key_columns | join(', ') }},
        count(*) as current_rows
    from {{ model }}
    where {{ current_condition }}
    group by {{ key_columns | join(', ') }}
    having count(*) > 1

{% endtest %}
