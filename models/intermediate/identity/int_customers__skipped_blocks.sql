{#- Blocks that were too large to compare pair by pair (more records share the keys than the
    rule's max_block_size, e.g. a placeholder email used by hundreds of records or a very
    common name in one postcode). Their records can still pair through the other rules.
    One row per skipped (blocking_rule, block). It is built after the candidate pairs: an
    incremental run of int_customers__candidate_pairs compares the blocks it finds oversize
    now with this table from the previous run to find blocks whose usability flipped. -#}
-- depends_on: {{ ref('int_customers__candidate_pairs') }}
with match_keys as (
    select * from {{ ref('int_customers__match_keys') }}
),

block_members as (
    {{ identity_block_members('match_keys') }}
),

final as (
    select
        blocking_rule,
        {{ dbt.hash('block_key') }} as block_key_hash,
        count(*) as block_size,
        count(*) * (count(*) - 1) / 2 as skipped_pair_count,
        max(max_block_size) as max_block_size,
        min(customer_record_id) as example_record_id
    from block_members
    group by blocking_rule, block_key
    having count(*) > max(max_block_size)
)

select * from final
