{#- Post-hook of the incremental selection models (cluster_model_selection, model_metrics):
    a run that chose again appended its rows with the next selection_sequence; this deletes the
    rows of every older sequence, so the table always holds one selection. A run that kept the
    stored selection appended nothing and deletes nothing. Engines without row deletes build
    these models as tables (the Python models are off there). -#}
{% macro ml_keep_latest_selection(relation) %}
    {%- if supports_row_deletes() %}
    delete from {{ relation }}
    where selection_sequence < (select max(latest.selection_sequence) from {{ relation }} as latest)
    {%- else %}
    select 1 as nothing_to_delete
    {%- endif %}
{% endmacro %}
