{#- Pairs a person should look at: scored between the review and merge thresholds, or above
    merge but stopped by a guard (birth dates conflict, first names differ, names only).
    Each row carries the evidence side by side, the comparison levels and weights, and
    whether the two records ended up in one customer anyway (through other records).
    One row per reviewed pair (record_id_l < record_id_r). -#}
{%- set evidence_fields = ['first_name', 'last_name', 'birth_date', 'email', 'phone_e164', 'street',
    'postcode', 'city', 'gender', 'source_system'] %}
with scored_pairs as (
    select * from {{ ref('int_customers__scored_pairs') }}
    where decision = 'review'
),

records as (
    select * from {{ ref('int_customers__validated') }}
),

clusters as (
    select * from {{ ref('int_customers__clusters') }}
),

final as (
    select
        scored_pairs.record_id_l,
        scored_pairs.record_id_r,
        cluster_l.customer_key as customer_key_l,
        cluster_r.customer_key as customer_key_r,
        cluster_l.customer_key = cluster_r.customer_key as is_same_customer,
        scored_pairs.match_probability,
        scored_pairs.match_weight,
        coalesce(scored_pairs.guard_reason, 'score_between_thresholds') as review_reason,
        scored_pairs.blocking_rules,
        scored_pairs.is_name_swapped,
        {%- for field in evidence_fields %}
            record_l.{{ field }} as {{ field }}_l,
            record_r.{{ field }} as {{ field }}_r,
        {%- endfor %}
        {%- for c in identity_comparisons() %}
            scored_pairs.{{ c }}_level,
            scored_pairs.{{ c }}_weight,
        {%- endfor %}
        scored_pairs.first_name_similarity,
        scored_pairs.last_name_similarity,
        scored_pairs.street_similarity
    from scored_pairs
    inner join records as record_l on scored_pairs.record_id_l = record_l.customer_record_id
    inner join records as record_r on scored_pairs.record_id_r = record_r.customer_record_id
    inner join clusters as cluster_l on scored_pairs.record_id_l = cluster_l.customer_record_id
    inner join clusters as cluster_r on scored_pairs.record_id_r = cluster_r.customer_record_id
)

select * from final
