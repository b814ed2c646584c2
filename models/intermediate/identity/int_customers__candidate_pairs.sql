{#- Candidate pairs from blocking: two records are compared only when they share every key of
    at least one rule of var dedup__blocking_rules. Blocks larger than the rule's
    max_block_size (default dedup__max_block_size) are skipped (listed in
    int_customers__skipped_blocks), which bounds the pairs per record.
    Pairs found by an exact-identifier rule (same email match key / phone) are flagged: they
    need no fuzzy search to be found. One row per pair, record_id_l < record_id_r. -#}
{%- set rules = identity_blocking_rules() %}
{%- set exact_flags = [] %}
{%- for rule in rules %}
    {%- if rule.name in var('dedup__exact_identifier_rules', []) %}
        {%- do exact_flags.append('has_rule_' ~ loop.index ~ ' = 1') %}
    {%- endif %}
{%- endfor %}
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

rule_pairs as (
    select
        l.customer_record_id as record_id_l,
        r.customer_record_id as record_id_r,
        l.blocking_rule,
        l.blocking_rule_rank
    from usable_members as l
    inner join usable_members as r
        on
            l.blocking_rule = r.blocking_rule
            and l.block_key = r.block_key
            and l.customer_record_id < r.customer_record_id
),

pair_rules as (
    select
        record_id_l,
        record_id_r,
        {%- for rule in rules %}
            max(case when blocking_rule_rank = {{ loop.index }} then 1 else 0 end)
                as has_rule_{{ loop.index }},
        {%- endfor %}
        count(*) as blocking_rule_count,
        min(blocking_rule_rank) as first_blocking_rule_rank
    from rule_pairs
    group by record_id_l, record_id_r
),

final as (
    select
        record_id_l,
        record_id_r,
        substr(
            {%- for rule in rules %}
                case when has_rule_{{ loop.index }} = 1 then ',{{ rule.name }}' else '' end
                {{- ' ||' if not loop.last }}
            {%- endfor %},
            2
        ) as blocking_rules,
        blocking_rule_count,
        first_blocking_rule_rank,
        {{ exact_flags | join(' or ') if exact_flags else 'false' }} as is_exact_identifier_match
    from pair_rules
)

select * from final
