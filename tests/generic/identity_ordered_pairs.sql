{#- Fails with every pair that is not stored once in canonical order
    (record_id_l < record_id_r): self-pairs and reversed pairs. -#}
{% test identity_ordered_pairs(model, left_column='record_id_l', right_column='record_id_r') %}

    select *
    from {{ model }}
    where not ({{ left_column }} < {{ right_column }})

{% endtest %}
