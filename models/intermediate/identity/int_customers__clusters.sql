{#- Clusters of records that are the same person: connected components of the merged pairs
    (min-label propagation in var dedup__cluster_iterations unrolled steps, convergence
    checked). Two passes: first over merge + conditional_merge pairs; a component that then
    holds a cannot-link pair (two of its records with conflicting birth dates or first names)
    loses its conditional merges and is labelled again from the unconditional merges only, so
    a record with a shared household email and no first name cannot glue two household members
    together. customer_key = md5 of the cluster's anchor record (cluster_record_id): its
    earliest-seen record (signup date, else the date of updated_at), ties and unknown dates by
    the smallest customer_record_id. So a customer keeps its key when a newer record joins it,
    on an incremental run and on a full refresh alike (docs/identity.md, "customer_key"). Components over dedup__max_cluster_size records are split back into single
    records (flagged); stub records stay alone. One row per trusted customer record. -#}
{%- set steps = var('dedup__cluster_iterations') | int %}
{%- set max_size = var('dedup__max_cluster_size') | int %}
with records as (
    select * from {{ ref('int_customers__validated') }}
),

scored_pairs as (
    select * from {{ ref('int_customers__scored_pairs') }}
),

merge_pairs as (
    select * from scored_pairs
    where decision in ('merge', 'conditional_merge')
),

cannot_links as (
    select * from scored_pairs
    where has_birth_date_conflict or has_first_name_conflict
),

tentative_edges as (
    {{ identity_undirected_edges('merge_pairs') }}
),

{{ identity_connected_components('tentative_edges', 'tentative', steps) }}

conflicted_components as (
    select distinct component_l.cluster_label
    from cannot_links
    inner join tentative_components as component_l
        on cannot_links.record_id_l = component_l.record_id
    inner join tentative_components as component_r
        on cannot_links.record_id_r = component_r.record_id
    where component_l.cluster_label = component_r.cluster_label
),

kept_pairs as (
    select merge_pairs.*
    from merge_pairs
    inner join tentative_components
        on merge_pairs.record_id_l = tentative_components.record_id
    left join conflicted_components
        on tentative_components.cluster_label = conflicted_components.cluster_label
    where merge_pairs.decision = 'merge' or conflicted_components.cluster_label is null
),

final_edges as (
    {{ identity_undirected_edges('kept_pairs') }}
),

{{ identity_connected_components('final_edges', 'final_labels', steps) }}

pair_sides as (
    select
        record_id_l as record_id,
        match_probability,
        0 as is_kept_merge,
        'none' as match_rule
    from scored_pairs
    union all
    select
        record_id_r as record_id,
        match_probability,
        0 as is_kept_merge,
        'none' as match_rule
    from scored_pairs
    union all
    select
        record_id_l as record_id,
        match_probability,
        1 as is_kept_merge,
        match_rule
    from kept_pairs
    union all
    select
        record_id_r as record_id,
        match_probability,
        1 as is_kept_merge,
        match_rule
    from kept_pairs
),

record_evidence as (
    select
        record_id,
        max(case when is_kept_merge = 0 then match_probability end) as max_candidate_probability,
        max(case when is_kept_merge = 1 then match_probability end) as max_merge_probability,
        max(case when match_rule = 'exact_identifier' then 1 else 0 end)
        = 1 as has_exact_identifier_merge,
        sum(is_kept_merge) as merged_pair_count
    from pair_sides
    group by record_id
),

assigned as (
    select
        records.customer_record_id,
        records.source_system,
        records.source_customer_id,
        records.is_stub_record,
        coalesce(components.component_size > {{ max_size }}, false) as is_oversize_cluster_split,
        coalesce(components.is_converged, true) as is_converged,
        case
            when components.component_size > {{ max_size }} then records.customer_record_id
            else coalesce(components.cluster_label, records.customer_record_id)
        end as cluster_label,
        coalesce(records.signup_date, cast(records.updated_at as date)) as first_seen_date,
        components.component_size,
        record_evidence.max_candidate_probability,
        record_evidence.max_merge_probability,
        coalesce(record_evidence.has_exact_identifier_merge, false) as has_exact_identifier_merge,
        coalesce(record_evidence.merged_pair_count, 0) as merged_pair_count
    from records
    left join final_labels_components as components
        on records.customer_record_id = components.record_id
    left join record_evidence on records.customer_record_id = record_evidence.record_id
),

sized as (
    select
        *,
        count(*) over (partition by cluster_label) as cluster_record_count,
        first_value(customer_record_id) over (
            partition by cluster_label
            order by first_seen_date asc nulls last, customer_record_id asc
            rows between unbounded preceding and unbounded following
        ) as cluster_record_id
    from assigned
),

final as (
    select
        customer_record_id,
        source_system,
        source_customer_id,
        {{ dbt.hash('cluster_record_id') }} as customer_key,
        cluster_record_id,
        cluster_record_count,
        case
            when is_stub_record then 'stub_record'
            when is_oversize_cluster_split then 'oversize_cluster_split'
            when cluster_record_count = 1 then 'no_match'
            when has_exact_identifier_merge then 'exact_identifier'
            else 'probabilistic'
        end as match_rule,
        case
            when cluster_record_count > 1 then max_merge_probability
            else 1.0 - coalesce(max_candidate_probability, 0.0)
        end as match_confidence,
        merged_pair_count,
        component_size,
        is_oversize_cluster_split,
        is_converged,
        is_stub_record
    from sized
)

select * from final
