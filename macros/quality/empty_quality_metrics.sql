{#- The columns every int_quality__* model returns, with no rows: what a quality model emits
    when its truth table is absent (a user's real data). -#}
{% macro empty_quality_metrics() %}
    select
        cast(null as {{ dbt.type_string() }}) as metric_group,
        cast(null as {{ dbt.type_string() }}) as metric,
        cast(null as double) as value,
        cast(null as double) as floor_value,
        cast(null as {{ dbt.type_string() }}) as detail
    where 1 = 0
{% endmacro %}
