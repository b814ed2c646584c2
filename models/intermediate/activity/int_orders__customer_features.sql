{#- Order features per customer_key as of the run's as_of_date (customer_order_aggregates:
    the same code builds the churn training set at its cutoff). -#}
{{ customer_order_aggregates('(select as_of_date from ' ~ ref('int_run__as_of_date') ~ ')') }}
