{#- Quarantined rows counted per source table and reason, without the rows themselves:
    `quarantine` holds raw records (PII, not published); this summary is what BI tools and
    the report read (published). -#}
with quarantine as (
    select * from {{ ref('quarantine') }}
),

final as (
    select
        source_table,
        reason_code,
        max(reason) as reason,
        cast(count(*) as integer) as row_count
    from quarantine
    group by source_table, reason_code
)

select * from final
