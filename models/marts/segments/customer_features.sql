{#- One row per customer_key: the feature vector the Python models read, as of the run's
    as_of_date. Built by customer_features_sql over today's intermediate aggregates; the
    churn training set calls the same macro at its cutoff, so both have the same columns
    with the same meaning. -#}
{{ customer_features_sql(
    '(select as_of_date from ' ~ ref('int_run__as_of_date') ~ ')',
    order_aggregates=ref('int_orders__customer_features'),
    event_aggregates=ref('int_events__customer_features'),
) }}
