{#- Where every raw row went, per source table: rows_landed = rows_clean + rows_merged +
    rows_quarantined (asserted by tests/singular/assert_every_raw_row_accounted.sql), plus
    the CSV lines the reader rejected (also in quarantine). Rows of people under an erasure
    request are counted apart as rows_erased: they are removed before the build reads the
    staged data (int_erasure__scope lists them per table), so no outcome model sees them;
    rows_landed + rows_erased = the raw rows of the table. -#}
{%- set tables = ['customers', 'orders', 'events'] %}
with erased_rows as (
    select target_value as source_row_id
    from {{ ref('int_erasure__targets') }}
    where target_kind = 'source_row_id'
),

erased_per_table as (
    select
        source_table,
        count(distinct target_value) as rows_erased
    from {{ ref('int_erasure__scope') }}
    where target_kind = 'source_row_id'
    group by source_table
),
{%- for t in tables %}
    {{ t }}_outcomes as (
        select
            '{{ t }}' as source_table,
            sum(case when erased_rows.source_row_id is null then 1 else 0 end) as rows_landed,
            sum(case when erased_rows.source_row_id is null and outcome = 'clean' then 1 else 0 end) as rows_clean,
            sum(case when erased_rows.source_row_id is null and outcome = 'merged_exact' then 1 else 0 end)
                as rows_merged,
            sum(case when erased_rows.source_row_id is null and outcome = 'quarantined' then 1 else 0 end)
                as rows_quarantined,
            count(erased_rows.source_row_id) as rows_erased
        from {{ ref('int_' ~ t ~ ('__row_outcomes' if t == 'customers' else '__validated')) }} as outcomes
        left join erased_rows on outcomes.source_row_id = erased_rows.source_row_id
    ),
{%- endfor %}

rejects as (
    select
        source_table,
        count(*) as csv_lines_rejected
    from {{ ref('base_raw__csv_rejects') }}
    group by source_table
),

outcomes as (
    {%- for t in tables %}
        select * from {{ t }}_outcomes
        {%- if not loop.last %} union all{% endif %}
    {%- endfor %}
),

final as (
    select
        outcomes.source_table,
        coalesce(outcomes.rows_landed, 0) as rows_landed,
        coalesce(outcomes.rows_clean, 0) as rows_clean,
        coalesce(outcomes.rows_merged, 0) as rows_merged,
        coalesce(outcomes.rows_quarantined, 0) as rows_quarantined,
        coalesce(erased_per_table.rows_erased, 0) as rows_erased,
        coalesce(rejects.csv_lines_rejected, 0) as csv_lines_rejected
    from outcomes
    left join rejects on outcomes.source_table = rejects.source_table
    left join erased_per_table on outcomes.source_table = erased_per_table.source_table
)

select * from final
