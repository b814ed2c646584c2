{#- Comparison vector of every candidate pair, plus the same comparisons on a deterministic
    sample of random record pairs (pair_source = 'random_sample', the data for the u
    probabilities). Names are compared in the orientation that fits best (first/last swapped
    when that is clearly better) with Jaro-Winkler and Levenshtein; each comparison gets a
    level, NULL when a side is missing (missing data is never evidence either way).
    One row per (pair_source, record_id_l, record_id_r).

    Incremental (docs/identity.md, "Incremental refresh"): only candidate pairs that are new or
    whose records' match_key_hash changed since they were compared are compared again; pairs
    no longer among the candidates are deleted by the post-hook. The random sample is drawn
    and compared on a full refresh only (the u probabilities are frozen between full
    refreshes, like the weights), or with var dedup__reestimate_weights_on_refresh: true on
    every run (only sample pairs not compared yet are compared; pairs that left the sample
    are deleted by the second post-hook). -#}
{{ config(
    materialized=incremental_if_row_deletes(),
    unique_key=['pair_source', 'record_id_l', 'record_id_r'],
    incremental_strategy='delete+insert',
    on_schema_change='fail',
    post_hook=[
        "{{ identity_delete_stale_pairs(this, ref('int_customers__candidate_pairs'), true) }}",
        "{{ identity_delete_stale_sample(this, ref('int_customers__match_keys')) }}"
    ] if supports_row_deletes() else []
) }}
{%- set resample = var('dedup__reestimate_weights_on_refresh', false) %}
{%- set jw_high = var('dedup__jw_high', 0.92) | float %}
{%- set jw_mid = var('dedup__jw_mid', 0.80) | float %}
with candidate_pairs as (
    select * from {{ ref('int_customers__candidate_pairs') }}
),

match_keys as (
    select * from {{ ref('int_customers__match_keys') }}
),

pairs as (
    select
        'candidate' as pair_source,
        candidate_pairs.record_id_l,
        candidate_pairs.record_id_r
    from candidate_pairs
    {%- if is_incremental() %}
        left join {{ this }} as compared
            on
                compared.pair_source = 'candidate'
                and candidate_pairs.record_id_l = compared.record_id_l
                and candidate_pairs.record_id_r = compared.record_id_r
                and candidate_pairs.record_hash_l = compared.record_hash_l
                and candidate_pairs.record_hash_r = compared.record_hash_r
        where compared.record_id_l is null
    {%- endif %}
    {%- if var('dedup__estimate_u_by_sampling') and (resample or not is_incremental()) %}
        union all
        select
            'random_sample' as pair_source,
            sampled.record_id_l,
            sampled.record_id_r
        from (
            {{ identity_random_pairs('match_keys', var('dedup__u_sample_pairs') | int) }}
        ) as sampled
        {%- if is_incremental() %}
            inner join match_keys as sample_l on sampled.record_id_l = sample_l.customer_record_id
            inner join match_keys as sample_r on sampled.record_id_r = sample_r.customer_record_id
            left join {{ this }} as sample_compared
                on
                    sample_compared.pair_source = 'random_sample'
                    and sampled.record_id_l = sample_compared.record_id_l
                    and sampled.record_id_r = sample_compared.record_id_r
                    and sample_l.match_key_hash = sample_compared.record_hash_l
                    and sample_r.match_key_hash = sample_compared.record_hash_r
            where sample_compared.record_id_l is null
        {%- endif %}
    {%- endif %}
),

similarities as (
    select
        pairs.pair_source,
        pairs.record_id_l,
        pairs.record_id_r,
        l.match_key_hash as record_hash_l,
        r.match_key_hash as record_hash_r,
        nullif(l.first_name_key, '') as first_l,
        nullif(l.last_name_key, '') as last_l,
        nullif(r.first_name_key, '') as first_r,
        nullif(r.last_name_key, '') as last_r,
        {{ jaro_winkler('l.first_name_key', 'r.first_name_key') }} as jw_first,
        {{ jaro_winkler('l.last_name_key', 'r.last_name_key') }} as jw_last,
        {{ jaro_winkler('l.first_name_key', 'r.last_name_key') }} as jw_first_swapped,
        {{ jaro_winkler('l.last_name_key', 'r.first_name_key') }} as jw_last_swapped,
        coalesce(
            l.first_name_canonical = r.first_name_canonical
            or {{ identity_contains_token('l.first_name_variants', 'r.first_name_key') }}
            or {{ identity_contains_token('r.first_name_variants', 'l.first_name_key') }},
            false
        ) as is_nickname_match,
        l.first_name_frequency,
        l.last_name_frequency,
        {{ identity_birth_date_level('l.birth_date', 'r.birth_date') }} as birth_date_level,
        {{ levenshtein_within('l.email_match_key', 'r.email_match_key', 1) }}
            as email_edit_distance,
        {{ levenshtein_within('l.phone_e164', 'r.phone_e164', 1) }} as phone_edit_distance,
        case
            when l.postcode_key = r.postcode_key or l.city_key = r.city_key
                then {{ token_jaccard('l.street_name_key', 'r.street_name_key') }}
        end as street_similarity,
        case
            when l.postcode_key = r.postcode_key or l.city_key = r.city_key
                then {{ jaro_winkler('l.street_name_key', 'r.street_name_key') }}
        end as street_name_similarity,
        coalesce(l.house_number = r.house_number, false) as is_same_house_number,
        coalesce(l.postcode_key = r.postcode_key, false) as is_same_postcode,
        coalesce(l.city_key = r.city_key, false) as is_same_city,
        coalesce(l.street_name_key, l.postcode_key, l.city_key) is not null
        and coalesce(r.street_name_key, r.postcode_key, r.city_key) is not null as has_addresses,
        case
            when l.gender is null or r.gender is null then null
            when l.gender = r.gender then 'exact'
            else 'different'
        end as gender_level
    from pairs
    inner join match_keys as l on pairs.record_id_l = l.customer_record_id
    inner join match_keys as r on pairs.record_id_r = r.customer_record_id
),

oriented as (
    select
        *,
        coalesce(
            jw_first_swapped + jw_last_swapped >= 2 * {{ jw_high }}
            and jw_first_swapped + jw_last_swapped > jw_first + jw_last,
            false
        ) as is_name_swapped
    from similarities
),

name_pairs as (
    select
        *,
        case when is_name_swapped then last_r else first_r end as first_r_oriented,
        case when is_name_swapped then first_r else last_r end as last_r_oriented,
        case when is_name_swapped then jw_first_swapped else jw_first end as first_name_similarity,
        case when is_name_swapped then jw_last_swapped else jw_last end as last_name_similarity,
        coalesce(
            street_similarity >= 0.5 or street_name_similarity >= {{ jw_high }}, false
        ) as is_same_street
    from oriented
),

name_distances as (
    select
        *,
        {{ levenshtein_within('first_l', 'first_r_oriented', 2) }} as first_name_edit_distance,
        {{ levenshtein_within('last_l', 'last_r_oriented', 2) }} as last_name_edit_distance,
        least({{ dbt.length('first_l') }}, {{ dbt.length('first_r_oriented') }})
            as first_min_length,
        least({{ dbt.length('last_l') }}, {{ dbt.length('last_r_oriented') }})
            as last_min_length
    from name_pairs
),

final as (
    select
        pair_source,
        record_id_l,
        record_id_r,
        is_name_swapped,
        first_name_similarity,
        last_name_similarity,
        first_name_edit_distance,
        last_name_edit_distance,
        street_similarity,
        email_edit_distance,
        phone_edit_distance,
        case
            when first_l is null or first_r_oriented is null then null
            when first_l = first_r_oriented then 'exact'
            when not is_name_swapped and is_nickname_match then 'nickname'
            when
                first_name_similarity >= {{ jw_high }}
                or (first_name_edit_distance <= 1 and first_min_length >= 5)
                then 'fuzzy_high'
            when
                first_name_similarity >= {{ jw_mid }}
                or (first_name_edit_distance <= 2 and first_min_length >= 6)
                then 'fuzzy_mid'
            else 'different'
        end as first_name_level,
        case
            when last_l is null or last_r_oriented is null then null
            when last_l = last_r_oriented then 'exact'
            when
                last_name_similarity >= {{ jw_high }}
                or (last_name_edit_distance <= 1 and last_min_length >= 5)
                then 'fuzzy_high'
            when
                last_name_similarity >= {{ jw_mid }}
                or (last_name_edit_distance <= 2 and last_min_length >= 6)
                then 'fuzzy_mid'
            else 'different'
        end as last_name_level,
        birth_date_level,
        case
            when email_edit_distance is null then null
            when email_edit_distance = 0 then 'exact'
            when email_edit_distance = 1 then 'fuzzy'
            else 'different'
        end as email_level,
        case
            when phone_edit_distance is null then null
            when phone_edit_distance = 0 then 'exact'
            when phone_edit_distance = 1 then 'one_edit'
            else 'different'
        end as phone_level,
        case
            when not has_addresses then null
            when is_same_postcode and is_same_street and is_same_house_number then 'house_postcode'
            when is_same_postcode and is_same_street then 'street_postcode'
            when is_same_postcode then 'postcode'
            when is_same_city and is_same_street and is_same_house_number then 'house_city'
            when is_same_city then 'city'
            else 'different'
        end as address_level,
        gender_level,
        first_name_frequency,
        last_name_frequency,
        record_hash_l,
        record_hash_r,
        '{{ invocation_id }}' as compared_in_invocation
    from name_distances
)

select * from final
