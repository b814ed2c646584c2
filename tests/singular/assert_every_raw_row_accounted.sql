-- Every landed raw row is exactly one of: clean (it reaches fct_orders / fct_events / the
-- customer records), merged (an identical copy) or quarantined with a reason. Counted along
-- independent paths: the landing tables, the published facts, and the quarantine mart.
with landed as (
    select
        'customers' as source_table,
        count(*) as n
    from {{ ref('base_raw__customers') }}
    union all
    select
        'orders' as source_table,
        count(*) as n
    from {{ ref('base_raw__orders') }}
    union all
    select
        'events' as source_table,
        count(*) as n
    from {{ ref('base_raw__events') }}
),

clean as (
    select
        'customers' as source_table,
        count(*) as n
    from {{ ref('int_customers__validated') }}
    where not is_stub_record
    union all
    select
        'orders' as source_table,
        count(*) as n
    from {{ ref('fct_orders') }}
    union all
    select
        'events' as source_table,
        count(*) as n
    from {{ ref('fct_events') }}
),

quarantined as (
    select
        source_table,
        count(*) as n
    from {{ ref('quarantine') }}
    where raw_record is not null and source_row_id like '%#%'
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
