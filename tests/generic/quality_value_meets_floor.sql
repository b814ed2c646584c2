{#- Quality floors are the contract: fails with every row that has a floor (`floor_column` not
    NULL) and a value below it, or no value at all. Rows without a floor are reported figures. -#}
{% test quality_value_meets_floor(model, column_name, floor_column) %}

    select *
    from {{ model }}
    where {{ floor_column }} is not null
        and ({{ column_name }} is null or {{ column_name }} < {{ floor_column }})

{% endtest %}
