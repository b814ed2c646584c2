{#- Fails with the rows whose PSI (column) is at or above threshold: a feature or segment
    share that moved between the last two runs (use with severity warn). -#}
{% test history_psi_below(model, column_name, threshold) %}

    select *
    from {{ model }}
    where {{ column_name }} >= {{ threshold | float }}

{% endtest %}
