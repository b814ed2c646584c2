{#- Quarantine counts by table and reason; and, when the generator's truth is present, how
    well quarantine matches the planted defects (recall: planted-to-quarantine rows caught
    with the expected reason; precision: quarantined rows that were planted defects). -#}
{%- set truth = truth_relation('row_outcomes') %}
with quarantine as (
    select * from {{ ref('quarantine') }}
),

counts as (
    select
        'quarantine' as metric_group,
        'rows_' || source_table || '__' || reason_code as metric,
        cast(count(*) as double) as value,
        cast(null as double) as floor_value,
        'quarantined rows of ' || source_table || ' with reason ' || reason_code as detail
    from quarantine
    group by source_table, reason_code
)
{%- if truth is not none %},

truth as (
    select * from {{ truth }}
    where expected_outcome = 'quarantined'
),

ours as (
    select source_table, source_system, source_row_id, reason_code,
        case source_table
            when 'orders' then json_extract_string(raw_record, '$.order_id')
            when 'events' then json_extract_string(raw_record, '$.event_id')
            else json_extract_string(raw_record, '$.source_customer_id')
        end as record_id
    from quarantine
    where source_row_id like '%#%'
),

caught as (
    select
        truth.source_table,
        max(case when ours.reason_code = truth.expected_reason_code then 1 else 0 end) as is_caught
    from truth
    left join ours
        on truth.source_table = ours.source_table
        and truth.source_system = ours.source_system
        and truth.record_id is not distinct from ours.record_id
    group by truth.source_table, truth.source_system, truth.record_id, truth.expected_reason_code
),

planted as (
    select distinct source_table, source_system, record_id from {{ truth_relation('row_outcomes') }}
    where defect is not null and expected_outcome = 'quarantined'
),

precision_rows as (
    select
        ours.source_table,
        case when planted.source_table is not null then 1 else 0 end as is_planted
    from ours
    left join planted
        on ours.source_table = planted.source_table
        and ours.source_system = planted.source_system
        and ours.record_id is not distinct from planted.record_id
),

truth_metrics as (
    select 'quarantine' as metric_group, 'recall__' || source_table as metric, avg(is_caught) as value,
        {{ var('quality__floor_quarantine_recall', 0.95) }} as floor_value,
        'planted defects of ' || source_table || ' quarantined with the expected reason' as detail
    from caught
    group by source_table
    union all
    select 'quarantine', 'precision__' || source_table, avg(is_planted),
        {{ var('quality__floor_quarantine_precision', 0.95) }},
        'quarantined rows of ' || source_table || ' that carry a planted defect'
    from precision_rows
    group by source_table
)

select * from counts
union all
select * from truth_metrics
{%- else %}

    select * from counts
{%- endif %}
