{#- anonymous_id -> the customer record it belongs to, learned from clean events that carry
    both ids (typically a login). When one anonymous_id was seen with several customers the
    one with most such events wins (ties: smallest record id), and the ambiguity is kept. -#}
with events as (
    select * from {{ ref('int_events__validated') }}
    where outcome = 'clean'
        and anonymous_id is not null
        and source_customer_id is not null
),

links as (
    select
        anonymous_id,
        source_system,
        source_customer_id,
        count(*) as linking_event_count,
        min(occurred_at) as first_linked_at
    from events
    group by anonymous_id, source_system, source_customer_id
),

ranked as (
    select
        *,
        row_number() over (
            partition by anonymous_id
            order by linking_event_count desc, source_system asc, source_customer_id asc
        ) as link_rank,
        count(*) over (partition by anonymous_id) as candidate_count
    from links
),

final as (
    select
        anonymous_id,
        source_system,
        source_customer_id,
        linking_event_count,
        first_linked_at,
        candidate_count > 1 as is_ambiguous
    from ranked
    where link_rank = 1
)

select * from final
