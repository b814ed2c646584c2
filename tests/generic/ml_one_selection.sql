{#- The table holds one selection: a single value of its selection_sequence column (the
    post-hook ml_keep_latest_selection deletes the older ones). Returns the extra values. -#}
{% test ml_one_selection(model, column_name) %}
select {{ column_name }}, count(*) as row_count
from {{ model }}
where {{ column_name }} < (select max(latest.{{ column_name }}) from {{ model }} as latest)
group by {{ column_name }}
{% endtest %}
