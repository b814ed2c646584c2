{#- Every candidate pair scored: match_weight = prior log2-odds + the log2 Bayes factor of
    each comparison level (int_customers__match_weights) + term-frequency adjustments for
    exact first / last names (a rare name agreeing says more than "Smith" agreeing), and
    match_probability = 1 / (1 + 2^-match_weight). Guards stop an auto-merge whatever the
    score (the pair goes to review instead when it scores high enough):
    - birth_date_conflict: both birth dates known and not equal, transposed or one digit off;
    - first_name_conflict: both first names known and different (or only similar while the
      genders differ: Maria / Mario), unless the birth date and an email or phone agree
      exactly (a first name mistyped beyond recognition);
    - no_personal_evidence: neither first names (exact, nickname, one typo) nor birth dates
      agree, so all agreement is on what a household shares (email, phone, address, last
      name): such a pair
      is a conditional_merge, applied by int_customers__clusters only when the cluster it
      creates holds no conflicting pair (e.g. two household members with different names);
    - name_only_evidence: nothing but the names agrees, or names and a postcode / city only
      (a common name is not enough, and a postcode or street is shared by many people).
    Decision: merge (>= dedup__merge_threshold, no guard), conditional_merge, review
    (>= dedup__review_threshold), non_match. One row per candidate pair.
    Incremental (docs/identity.md, "Incremental refresh"): a pair is scored again only when its
    comparison row was recomputed (a compared_in_invocation with no scored row under the
    current weights) or the weights changed (weights_version) since it was scored;
    pairs no longer among the candidates are deleted by the post-hook. The name frequencies of
    the term-frequency adjustment are those of the current match keys. -#}
{{ config(
    materialized=incremental_if_row_deletes(),
    unique_key=['record_id_l', 'record_id_r'],
    incremental_strategy='delete+insert',
    on_schema_change='fail',
    post_hook=["{{ identity_delete_stale_pairs(this, ref('int_customers__candidate_pairs')) }}"]
        if supports_row_deletes() else []
) }}
{%- set comparisons = identity_comparisons() %}
{%- set cap = var('dedup__tf_max_adjustment_bits') | float %}
{%- set merge_threshold = var('dedup__merge_threshold') | float %}
{%- set review_threshold = var('dedup__review_threshold') | float %}
{%- set weight_columns = [] %}
{%- for c in comparisons %}{% do weight_columns.append(c ~ '_weight') %}{% endfor %}
with comparisons as (
    -- incremental: only comparison rows from an invocation with no scored row under the
    -- current weights. A run scores every candidate row of the comparisons it sees, so the
    -- invocations in this table (a handful) stand for all their rows: no anti-join of every
    -- pair against every stored pair
    select * from {{ ref('int_customers__pair_comparisons') }}
    where pair_source = 'candidate'
    {%- if is_incremental() %}
        and compared_in_invocation not in (
            select distinct scored_before.compared_in_invocation
            from {{ this }} as scored_before
            where scored_before.weights_version = (
                select current_weights.weights_version
                from {{ ref('int_customers__match_weights') }} as current_weights
                where current_weights.comparison = '_prior'
            )
        )
    {%- endif %}
),

candidate_pairs as (
    select * from {{ ref('int_customers__candidate_pairs') }}
),

weights as (
    select * from {{ ref('int_customers__match_weights') }}
),

match_keys as (
    select
        customer_record_id,
        first_name_frequency,
        last_name_frequency
    from {{ ref('int_customers__match_keys') }}
),

prior_row as (
    select
        match_weight,
        weights_version
    from weights
    where comparison = '_prior'
),

weighted as (
    select
        comparisons.*,
        candidate_pairs.blocking_rules,
        candidate_pairs.is_exact_identifier_match,
        prior_row.match_weight as prior_weight,
        prior_row.weights_version,
        {%- for c in comparisons %}
            coalesce(w_{{ c }}.match_weight, 0) as {{ c }}_weight,
        {%- endfor %}
        {%- for c in ['first_name', 'last_name'] %}
            case
                when comparisons.{{ c }}_level = 'exact' and frequencies.{{ c }}_frequency > 0
                    then ln(w_{{ c }}.u_probability / frequencies.{{ c }}_frequency) / ln(2.0)
                else 0
            end as {{ c }}_tf_bits,
        {%- endfor %}
        coalesce(comparisons.birth_date_level = 'different', false) as has_birth_date_conflict,
        coalesce(
            comparisons.first_name_level = 'different'
            or (
                comparisons.first_name_level in ('fuzzy_high', 'fuzzy_mid')
                and comparisons.gender_level = 'different'
            ),
            false
        )
        and not coalesce(
            comparisons.birth_date_level = 'exact'
            and (comparisons.email_level = 'exact' or comparisons.phone_level = 'exact'),
            false
        ) as has_first_name_conflict,
        not coalesce(
            comparisons.first_name_level in ('exact', 'nickname', 'fuzzy_high')
            or comparisons.birth_date_level in ('exact', 'transposed_day_month', 'one_digit_off'),
            false
        ) as has_no_personal_evidence,
        not coalesce(
            comparisons.birth_date_level in ('exact', 'transposed_day_month', 'one_digit_off')
            or comparisons.email_level in ('exact', 'fuzzy')
            or comparisons.phone_level in ('exact', 'one_edit')
            or comparisons.address_level in ('house_postcode', 'street_postcode'),
            false
        ) as has_only_name_evidence
    from comparisons
    inner join candidate_pairs
        on
            comparisons.record_id_l = candidate_pairs.record_id_l
            and comparisons.record_id_r = candidate_pairs.record_id_r
    cross join prior_row
    left join match_keys as frequencies on comparisons.record_id_l = frequencies.customer_record_id
    {%- for c in comparisons %}
        left join weights as w_{{ c }}
            on
                w_{{ c }}.comparison = '{{ c }}'
                and comparisons.{{ c }}_level = w_{{ c }}.comparison_level
    {%- endfor %}
),

adjusted as (
    select
        *,
        least({{ cap }}, greatest(-{{ cap }}, first_name_tf_bits)) as first_name_tf_adjustment,
        least({{ cap }}, greatest(-{{ cap }}, last_name_tf_bits)) as last_name_tf_adjustment
    from weighted
),

scored as (
    select
        *,
        prior_weight
        + {{ weight_columns | join('\n        + ') }}
        + first_name_tf_adjustment
        + last_name_tf_adjustment as match_weight,
        case
            when has_birth_date_conflict then 'birth_date_conflict'
            when has_first_name_conflict then 'first_name_conflict'
            when has_no_personal_evidence then 'no_personal_evidence'
            when has_only_name_evidence then 'name_only_evidence'
        end as guard_reason
    from adjusted
),

final as (
    select
        record_id_l,
        record_id_r,
        blocking_rules,
        is_exact_identifier_match,
        is_name_swapped,
        {%- for c in comparisons %}
            {{ c }}_level,
        {%- endfor %}
        first_name_similarity,
        last_name_similarity,
        street_similarity,
        email_edit_distance,
        phone_edit_distance,
        prior_weight,
        {{ weight_columns | join(',\n        ') }},
        first_name_tf_adjustment,
        last_name_tf_adjustment,
        match_weight,
        1.0 / (1.0 + exp(-match_weight * ln(2.0))) as match_probability,
        has_birth_date_conflict,
        has_first_name_conflict,
        has_no_personal_evidence,
        has_only_name_evidence,
        guard_reason,
        case
            when 1.0 / (1.0 + exp(-match_weight * ln(2.0))) < {{ review_threshold }}
                then 'non_match'
            when 1.0 / (1.0 + exp(-match_weight * ln(2.0))) < {{ merge_threshold }}
                then 'review'
            when guard_reason is null then 'merge'
            when guard_reason = 'no_personal_evidence' then 'conditional_merge'
            else 'review'
        end as decision,
        case
            when email_level = 'exact' or phone_level = 'exact' then 'exact_identifier'
            else 'probabilistic'
        end as match_rule,
        compared_in_invocation,
        weights_version
    from scored
)

select * from final
