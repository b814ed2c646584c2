{#- Every staged customer row with its outcome: clean (the record that represents its
    source id), merged_exact (identical copy of that record) or quarantined
    (missing_required, or conflicting_duplicate when another version of the same source id
    won by latest updated_at). -#}
with customers as (
    select * from {{ ref('stg_raw__customers') }}
),

validated as (
    select * from {{ ref('int_customers__validated') }}
    where not is_stub_record
),

hashed as (
    select
        customers.*,
        {{ customer_content_hash() }} as content_hash
    from customers
),

winner_hashes as (
    select
        hashed.source_system,
        hashed.source_customer_id,
        hashed.content_hash
    from hashed
    inner join validated on hashed.source_row_id = validated.source_row_id
),

final as (
    select
        hashed.source_row_id,
        hashed.source_system,
        hashed.source_customer_id,
        hashed.field_issues,
        case
            when hashed.row_issue is not null then hashed.row_issue
            when winner_hashes.content_hash != hashed.content_hash then 'conflicting_duplicate'
        end as issue_codes,
        case
            when hashed.row_issue is not null then 'quarantined'
            when winner_hashes.content_hash != hashed.content_hash then 'quarantined'
            when validated.source_row_id is not null then 'clean'
            else 'merged_exact'
        end as outcome
    from hashed
    left join winner_hashes
        on hashed.source_system = winner_hashes.source_system
            and hashed.source_customer_id = winner_hashes.source_customer_id
    left join validated on hashed.source_row_id = validated.source_row_id
)

select * from final
