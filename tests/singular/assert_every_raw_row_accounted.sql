-- Every landed raw row is exactly one of: clean (it reaches fct_orders / fct_events / the
-- customer records), merged (an identical copy) or quarantined with a reason. Counted along
-- independent paths: the landing tables, the published facts, and the quarantine mart.
-- Rows of people under an erasure request are left out of every path (ingest_accounting
-- counts them as rows_erased; the on-run-end hook deletes them afterwards).
with erased_rows as (
    select target_value as source_row_id
    from {{ ref('int_erasure__targets') }}
    where target_kind = 'source_row_id'
),

landed as (
    select
        'customers' as source_table,
        count(*) as n
    from {{ ref('base_raw__customers') }}
    where _source_file || '#' || cast(_source_row_number as varchar) not in (select source_row_id from erased_rows)
    union all
    select
        'orders' as source_table,
        count(*) as n
    from {{ ref('base_raw__orders') }}
    where _source_file || '#' || cast(_source_row_number as varchar) not in (select source_row_id from erased_rows)
    union all
    select
        'events' as source_table,
        count(*) as n
    from {{ ref('base_raw__events') }}
    where _source_file || '#' || cast(_source_row_number as varchar) not in (select source_row_id from erased_rows)
),

clean as (
    select
        'customers' as source_table,
        count(*) as n
    from {{ ref('int_customers__validated') }}
    where not is_stub_record and source_row_id not in (select source_row_id from erased_rows)
    union all
    select
        'orders' as source_table,
        count(*) as n
    from {{ ref('fct_orders') }}
    where source_row_id not in (select source_row_id from erased_rows)
    union all
    select
        'events' as source_table,
        count(*) as n
    from {{ ref('fct_events') }}
    where source_row_id not in (select source_row_id from erased_rows)
),

quarantined as (
    select
        source_table,
        count(*) as n
    from {{ ref('quarantine') }}
    where raw_record is not null and source_row_id like '%#%'
        and source_row_id not in (select source_row_id from erased_rows)
    group by source_table
),

accounting as (
    select * from {{ ref('ingest_accounting') }}
),

checked as (
    select
        landed.source_table,
        landed.n as rows_landed,
        clean.n as rows_clean,
        coalesce(quarantined.n, 0) as rows_quarantined,
        accounting.rows_merged,
        accounting.rows_clean as accounting_clean,
        accounting.rows_quarantined as accounting_quarantined
    from landed
    inner join clean on landed.source_table = clean.source_table
    inner join accounting on landed.source_table = accounting.source_table
    left join quarantined on landed.source_table = quarantined.source_table
)

select *
from checked
where rows_landed != rows_clean + rows_merged + rows_quarantined
    or rows_clean != accounting_clean
    or rows_quarantined != accounting_quarantined
