{#- sum(<expr>) whose floating-point result does not depend on the order the engine meets the
    rows in. A parallel hash aggregate adds each thread's partial sums in whatever order the
    threads finish, so two identical runs could differ in the last bits (the identity EM
    weights did: DECISIONLOG.md, "Determinism"). On DuckDB the aggregate is ordered by
    <order_by> (a key unique within each group): the terms are added in that order. Other
    engines have no ORDER BY inside sum() (BigQuery, Spark, Snowflake): a plain sum there. -#}
{% macro ordered_sum(expr, order_by) %}
    {{- return(adapter.dispatch('ordered_sum', 'customer_segments')(expr, order_by)) -}}
{% endmacro %}

{% macro default__ordered_sum(expr, order_by) -%}
    sum({{ expr }})
{%- endmacro %}

{% macro duckdb__ordered_sum(expr, order_by) -%}
    sum({{ expr }} order by {{ order_by }})
{%- endmacro %}
