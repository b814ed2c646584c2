{#- Candidate pairs from blocking: two records are compared only when they share every key of
    at least one rule of var dedup__blocking_rules. Blocks larger than the rule's
    max_block_size (default dedup__max_block_size) are skipped (listed in
    int_customers__skipped_blocks), which bounds the pairs per record.
    Pairs found by an exact-identifier rule (same email match key / phone) are flagged: they
    need no fuzzy search to be found. One row per pair, record_id_l < record_id_r.

    Incremental (docs/identity.md, "Incremental refresh"): a run recomputes only
    - the pairs of every "touched" record: new, changed (match_key_hash differs from the one
      stored on its pairs) or unpaired before, against all members of its usable blocks;
    - every pair of a block whose usability flipped (grew over its cap or fell back under it,
      against the previous int_customers__skipped_blocks, which runs after this model);
    - the stored pairs of changed or removed records.
    Each recomputed pair gets its full rule list again; a stored pair that no rule keeps any
    more is written as a tombstone (blocking_rule_count = 0) that the post-hook deletes.
    The result equals a full rebuild on the same records. -#}
{{ config(
    materialized=incremental_if_row_deletes(),
    unique_key=['record_id_l', 'record_id_r'],
    incremental_strategy='delete+insert',
    on_schema_change='fail',
    post_hook=["delete from {{ this }} where blocking_rule_count = 0"]
        if supports_row_deletes() else []
) }}
{%- set rules = identity_blocking_rules() %}
{%- set exact_flags = [] %}
{%- for rule in rules %}
    {%- if rule.name in var('dedup__exact_identifier_rules', []) %}
        {%- do exact_flags.append('has_rule_' ~ loop.index ~ ' = 1') %}
    {%- endif %}
{%- endfor %}
{%- set incremental = is_incremental() %}
{%- if incremental %}
    {%- set previous_skipped = adapter.get_relation(
        database=this.database, schema=this.schema, identifier='int_customers__skipped_blocks') %}
    {%- if previous_skipped is none %}
        {{ exceptions.raise_compiler_error(
            "int_customers__candidate_pairs: int_customers__skipped_blocks is missing, so block "
            ~ "changes cannot be detected; rebuild identity with --full-refresh") }}
    {%- endif %}
{%- endif %}
with match_keys as (
    select * from {{ ref('int_customers__match_keys') }}
),

block_members as (
    {{ identity_block_members('match_keys') }}
),

block_sizes as (
    select
        blocking_rule,
        block_key,
        max(max_block_size) as max_block_size,
        count(*) as block_size
    from block_members
    group by blocking_rule, block_key
),

usable_members as (
    select block_members.*
    from block_members
    inner join block_sizes
        on
            block_members.blocking_rule = block_sizes.blocking_rule
            and block_members.block_key = block_sizes.block_key
    where block_sizes.block_size between 2 and block_sizes.max_block_size
),

{%- if not incremental %}

    rule_pairs as (
        select
            l.customer_record_id as record_id_l,
            r.customer_record_id as record_id_r,
            l.blocking_rule_rank
        from usable_members as l
        inner join usable_members as r
            on
                l.blocking_rule = r.blocking_rule
                and l.block_key = r.block_key
                and l.customer_record_id < r.customer_record_id
    ),

{%- else %}

    previous_pairs as (
        select * from {{ this }}
    ),

    previous_hashes as (
        select
            record_id_l as customer_record_id,
            record_hash_l as match_key_hash
        from previous_pairs
        union distinct
        select
            record_id_r as customer_record_id,
            record_hash_r as match_key_hash
        from previous_pairs
    ),

    -- new, changed, or without pairs before (cheap: such a record sits only in blocks of one
    -- record or in oversize blocks, which make no pairs unless they changed)
    touched_records as (
        select match_keys.customer_record_id
        from match_keys
        left join previous_hashes
            on
                match_keys.customer_record_id = previous_hashes.customer_record_id
                and match_keys.match_key_hash = previous_hashes.match_key_hash
        where previous_hashes.customer_record_id is null
    ),

    -- blocks that were skipped before and are usable now, or the other way round
    flipped_blocks as (
        select
            block_sizes.blocking_rule,
            block_sizes.block_key
        from block_sizes
        left join {{ previous_skipped }} as skipped
            on
                block_sizes.blocking_rule = skipped.blocking_rule
                and {{ dbt.hash('block_sizes.block_key') }} = skipped.block_key_hash
        where (block_sizes.block_size > block_sizes.max_block_size) != (skipped.blocking_rule is not null)
    ),

    flipped_pairs as (
        select distinct
            l.customer_record_id as record_id_l,
            r.customer_record_id as record_id_r
        from flipped_blocks
        inner join block_members as l
            on
                flipped_blocks.blocking_rule = l.blocking_rule
                and flipped_blocks.block_key = l.block_key
        inner join block_members as r
            on
                l.blocking_rule = r.blocking_rule
                and l.block_key = r.block_key
                and l.customer_record_id < r.customer_record_id
    ),

    touched_members as (
        select usable_members.*
        from usable_members
        inner join touched_records
            on usable_members.customer_record_id = touched_records.customer_record_id
    ),

    -- every rule hit of a touched record: all its usable blocks against all their members
    touched_rule_pairs as (
        select
            case
                when t.customer_record_id < m.customer_record_id then t.customer_record_id
                else m.customer_record_id
            end as record_id_l,
            case
                when t.customer_record_id < m.customer_record_id then m.customer_record_id
                else t.customer_record_id
            end as record_id_r,
            t.blocking_rule_rank
        from touched_members as t
        inner join usable_members as m
            on
                t.blocking_rule = m.blocking_rule
                and t.block_key = m.block_key
                and t.customer_record_id != m.customer_record_id
    ),

    -- pairs of a flipped block (neither record touched): all their rule hits again
    flipped_members as (
        select usable_members.*
        from usable_members
        where usable_members.customer_record_id in (
            select record_id_l from flipped_pairs
            union distinct
            select record_id_r from flipped_pairs
        )
    ),

    flipped_rule_pairs as (
        select
            flipped_pairs.record_id_l,
            flipped_pairs.record_id_r,
            l.blocking_rule_rank
        from flipped_pairs
        inner join flipped_members as l on flipped_pairs.record_id_l = l.customer_record_id
        inner join flipped_members as r
            on
                flipped_pairs.record_id_r = r.customer_record_id
                and l.blocking_rule = r.blocking_rule
                and l.block_key = r.block_key
    ),

    rule_pairs as (
        select * from touched_rule_pairs
        union all
        select * from flipped_rule_pairs
    ),

    -- stored pairs that may have lost their rules: a side changed or is gone, or a flipped block
    stale_pairs as (
        select
            previous_pairs.record_id_l,
            previous_pairs.record_id_r
        from previous_pairs
        left join match_keys as l
            on
                previous_pairs.record_id_l = l.customer_record_id
                and previous_pairs.record_hash_l = l.match_key_hash
        left join match_keys as r
            on
                previous_pairs.record_id_r = r.customer_record_id
                and previous_pairs.record_hash_r = r.match_key_hash
        where l.customer_record_id is null or r.customer_record_id is null
        union distinct
        select
            previous_pairs.record_id_l,
            previous_pairs.record_id_r
        from previous_pairs
        inner join flipped_pairs
            on
                previous_pairs.record_id_l = flipped_pairs.record_id_l
                and previous_pairs.record_id_r = flipped_pairs.record_id_r
    ),

{%- endif %}

pair_rules as (
    select
        record_id_l,
        record_id_r,
        {%- for rule in rules %}
            max(case when blocking_rule_rank = {{ loop.index }} then 1 else 0 end)
                as has_rule_{{ loop.index }},
        {%- endfor %}
        count(distinct blocking_rule_rank) as blocking_rule_count,
        min(blocking_rule_rank) as first_blocking_rule_rank
    from rule_pairs
    group by record_id_l, record_id_r
),

final as (
    select
        pair_rules.record_id_l,
        pair_rules.record_id_r,
        substr(
            {%- for rule in rules %}
                case when has_rule_{{ loop.index }} = 1 then ',{{ rule.name }}' else '' end
                {{- ' ||' if not loop.last }}
            {%- endfor %},
            2
        ) as blocking_rules,
        pair_rules.blocking_rule_count,
        pair_rules.first_blocking_rule_rank,
        {{ exact_flags | join(' or ') if exact_flags else 'false' }} as is_exact_identifier_match,
        l.match_key_hash as record_hash_l,
        r.match_key_hash as record_hash_r
    from pair_rules
    inner join match_keys as l on pair_rules.record_id_l = l.customer_record_id
    inner join match_keys as r on pair_rules.record_id_r = r.customer_record_id
    {%- if incremental %}
        union all
        -- tombstones: stored pairs no rule keeps any more (deleted by the post-hook)
        select
            stale_pairs.record_id_l,
            stale_pairs.record_id_r,
            '' as blocking_rules,
            0 as blocking_rule_count,
            cast(null as integer) as first_blocking_rule_rank,
            false as is_exact_identifier_match,
            cast(null as {{ dbt.type_string() }}) as record_hash_l,
            cast(null as {{ dbt.type_string() }}) as record_hash_r
        from stale_pairs
        left join pair_rules
            on
                stale_pairs.record_id_l = pair_rules.record_id_l
                and stale_pairs.record_id_r = pair_rules.record_id_r
        where pair_rules.record_id_l is null
    {%- endif %}
)

select * from final
