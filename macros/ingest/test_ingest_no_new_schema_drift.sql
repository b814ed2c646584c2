{#- Generic test on ingest_schema_drift (configured severity warn): one failing row per
    (table, column, drift type) first seen in this invocation, i.e. a column added to (or an
    optional column dropped from) the raw input since the last run. Columns already known from
    an earlier run do not warn again, whichever file they are in. -#}
{% test ingest_no_new_schema_drift(model) %}
    select
        source_table,
        column_name,
        drift_type,
        min(source_file) as source_file
    from {{ model }}
    group by source_table, column_name, drift_type
    having min(first_seen_invocation_id) = '{{ invocation_id }}'
        and max(first_seen_invocation_id) = '{{ invocation_id }}'
{% endtest %}
