{#- Every measured quality figure of the build, one row per metric. A metric with a floor
    passes when value >= floor_value; the floors are asserted by tests in _quality__models.yml. -#}
{%- set parts = ['int_quality__standardization', 'int_quality__quarantine', 'int_quality__dedup', 'int_quality__ml',
    'int_quality__imputation'] %}
with unioned as (
    {%- for p in parts %}
        select
            metric_group,
            metric,
            value,
            floor_value,
            detail
        from {{ ref(p) }}
        {%- if not loop.last %} union all{% endif %}
    {%- endfor %}
),

final as (
    select
        metric_group || '.' || metric as metric_id,
        metric_group,
        metric,
        value,
        floor_value,
        case when floor_value is null then null else value >= floor_value end as is_passed,
        detail,
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as timestamp) as computed_at
    from unioned
)

select * from final
