{#- Deduplication quality against the generator's truth (truth/customer_records: record ->
    person_id), one row per metric; no rows when there is no truth (a user's real data).
    Pairwise precision / recall / F1 over record pairs put in one customer; B-cubed (per
    record: share of its customer that is the same person, share of its person found in its
    customer); blocking recall (true pairs among the candidates); candidate pairs per record;
    household pairs (different persons sharing an email) kept apart. Floors come from var
    dedup__floors, the without_contact set when under 5% of records have an email or phone. -#}
{%- set truth = truth_relation('customer_records') %}
with identity_map as (
    select * from {{ ref('customer_identity_map') }}
),

records as (
    select * from {{ ref('int_customers__validated') }}
),

candidate_pairs as (
    select * from {{ ref('int_customers__candidate_pairs') }}
),

skipped_blocks as (
    select * from {{ ref('int_customers__skipped_blocks') }}
),

truth as (
    {%- if truth is none %}
        select
            cast(null as {{ dbt.type_string() }}) as source_system,
            cast(null as {{ dbt.type_string() }}) as source_customer_id,
            cast(null as {{ dbt.type_string() }}) as person_id,
            cast(null as {{ dbt.type_string() }}) as true_email
        where 1 = 0
    {%- else %}
        select * from {{ truth }}
    {%- endif %}
),

labelled as (
    select
        identity_map.customer_record_id,
        identity_map.customer_key,
        cast(truth.person_id as {{ dbt.type_string() }}) as person_id,
        truth.true_email
    from identity_map
    inner join truth
        on
            identity_map.source_system = cast(truth.source_system as {{ dbt.type_string() }})
            and identity_map.source_customer_id
            = trim(cast(truth.source_customer_id as {{ dbt.type_string() }}))
),

group_sizes as (
    select
        customer_key,
        person_id,
        count(*) as n,
        sum(count(*)) over (partition by customer_key) as customer_n,
        sum(count(*)) over (partition by person_id) as person_n
    from labelled
    group by customer_key, person_id
),

pair_counts as (
    select
        sum(n * (n - 1) / 2.0) as true_positive_pairs,
        sum(n * n / customer_n) / sum(n) as bcubed_precision,
        sum(n * n / person_n) / sum(n) as bcubed_recall,
        sum(n) as record_count,
        count(distinct customer_key) as customer_count,
        count(distinct person_id) as person_count
    from group_sizes
),

per_customer as (
    select count(*) as n
    from labelled
    group by customer_key
),

per_person as (
    select count(*) as n
    from labelled
    group by person_id
),

customer_pairs as (
    select sum(n * (n - 1) / 2.0) as predicted_pairs
    from per_customer
),

person_pairs as (
    select sum(n * (n - 1) / 2.0) as true_pairs
    from per_person
),

blocking as (
    select
        count(*) as candidate_pairs,
        sum(case when l.person_id = r.person_id then 1 else 0 end) as true_candidate_pairs
    from candidate_pairs
    left join labelled as l on candidate_pairs.record_id_l = l.customer_record_id
    left join labelled as r on candidate_pairs.record_id_r = r.customer_record_id
),

households as (
    select
        count(*) as household_pairs,
        sum(case when l.customer_key = r.customer_key then 1 else 0 end) as merged_household_pairs
    from labelled as l
    inner join labelled as r
        on
            l.true_email = r.true_email
            and l.person_id < r.person_id
),

skipped as (
    select
        count(*) as skipped_block_count,
        coalesce(sum(skipped_pair_count), 0) as skipped_pair_count
    from skipped_blocks
),

contact as (
    select
        count(*) as matchable_records,
        avg(case when coalesce(email, phone_e164) is not null then 1.0 else 0.0 end)
        >= 0.05 as has_contact_data
    from records
    where not is_stub_record
),

measured as (
    select
        pair_counts.*,
        customer_pairs.predicted_pairs,
        person_pairs.true_pairs,
        blocking.candidate_pairs,
        blocking.true_candidate_pairs,
        households.household_pairs,
        households.merged_household_pairs,
        contact.matchable_records,
        contact.has_contact_data,
        skipped.skipped_block_count,
        skipped.skipped_pair_count,
        true_positive_pairs / nullif(predicted_pairs, 0) as pairwise_precision,
        true_positive_pairs / nullif(true_pairs, 0) as pairwise_recall
    from pair_counts
    cross join customer_pairs
    cross join person_pairs
    cross join blocking
    cross join households
    cross join contact
    cross join skipped
),

{%- set floors = var('dedup__floors') %}
{%- set metrics = [
    ('pairwise_precision', 'pairwise_precision', 'true_positive_pairs', 'predicted_pairs'),
    ('pairwise_recall', 'pairwise_recall', 'true_positive_pairs', 'true_pairs'),
    ('pairwise_f1', '2 * pairwise_precision * pairwise_recall
        / nullif(pairwise_precision + pairwise_recall, 0)', 'true_positive_pairs', 'true_pairs'),
    ('bcubed_precision', 'bcubed_precision', 'record_count', 'customer_count'),
    ('bcubed_recall', 'bcubed_recall', 'record_count', 'person_count'),
    ('bcubed_f1', '2 * bcubed_precision * bcubed_recall
        / nullif(bcubed_precision + bcubed_recall, 0)', 'record_count', 'person_count'),
    ('blocking_recall', 'true_candidate_pairs / nullif(true_pairs, 0)',
        'true_candidate_pairs', 'true_pairs'),
    ('candidate_pairs_per_record', 'candidate_pairs / nullif(matchable_records, 0)',
        'candidate_pairs', 'matchable_records'),
    ('household_pairs_kept_apart', '1 - merged_household_pairs / nullif(household_pairs, 0)',
        'merged_household_pairs', 'household_pairs'),
    ('records', 'record_count', 'record_count', 'matchable_records'),
    ('clusters', 'customer_count', 'customer_count', 'record_count'),
    ('true_persons', 'person_count', 'person_count', 'record_count'),
    ('skipped_blocks', 'skipped_block_count', 'skipped_block_count', 'skipped_pair_count')] %}

final as (
    {%- for name, value_sql, a, b in metrics %}
        select
            'dedup' as metric_group,
            '{{ name }}' as metric,
            cast({{ value_sql }} as {{ identity_type_double() }}) as value,
            case
                when has_contact_data then {{ identity_floor('with_contact', name) }}
                else {{ identity_floor('without_contact', name) }}
            end as floor_value,
            '{{ a }}=' || cast({{ a }} as {{ dbt.type_string() }})
            || ', {{ b }}=' || cast({{ b }} as {{ dbt.type_string() }})
            || case when has_contact_data then ', with contact' else ', without contact' end
                as detail
        from measured
        where record_count > 0
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
)

select * from final
