-- depends_on: {{ ref('customer_identity_map') }}
-- depends_on: {{ ref('cluster_model_selection') }}
-- depends_on: {{ ref('customer_outliers') }}
-- depends_on: {{ ref('customer_clusters') }}
-- depends_on: {{ ref('customer_churn_scores') }}
{#- Quality of the learned models against the generator's withheld truth (no rows without
    truth). Each customer_key is mapped to the true person most of its records belong to.
    Outliers: precision / recall of is_outlier (and each detector) for planted anomalies.
    Clusters: adjusted Rand index between cluster_id and the planted persona. Churn: ROC-AUC of
    churn_probability for churned_in_horizon (the 90 days after the data end, never shown to
    the build), by the Mann-Whitney rank formula with average ranks for ties. -#}
{%- set records = truth_relation('customer_records') %}
{%- set persons = truth_relation('persons') %}
{%- if records is none or persons is none %}
    {{ empty_quality_metrics() }}
{%- else %}
with identity_map as (
    select * from {{ ref('customer_identity_map') }}
),

truth_records as (
    select * from {{ records }}
),

truth_persons as (
    select * from {{ persons }}
),

votes as (
    select
        identity_map.customer_key,
        truth_records.person_id,
        count(*) as record_count
    from identity_map
    inner join truth_records
        on identity_map.source_system = truth_records.source_system
        and identity_map.source_customer_id = truth_records.source_customer_id
    group by identity_map.customer_key, truth_records.person_id
),

customer_person as (
    select
        votes.customer_key,
        truth_persons.persona,
        truth_persons.is_anomaly,
        truth_persons.churned_in_horizon
    from votes
    inner join truth_persons on votes.person_id = truth_persons.person_id
    qualify row_number() over (
        partition by votes.customer_key order by votes.record_count desc, votes.person_id
    ) = 1
),

outliers as (
    select
        outliers.*,
        customer_person.is_anomaly
    from {{ ref('customer_outliers') }} as outliers
    inner join customer_person on outliers.customer_key = customer_person.customer_key
),

detector_rates as (
    {%- for flag in ['is_outlier', 'zscore_flag', 'iqr_flag', 'iforest_flag', 'lof_flag'] %}
    select
        '{{ flag }}' as detector,
        sum(case when {{ flag }} and is_anomaly then 1 else 0 end) * 1.0
        / nullif(sum(case when {{ flag }} then 1 else 0 end), 0) as precision_value,
        sum(case when {{ flag }} and is_anomaly then 1 else 0 end) * 1.0
        / nullif(sum(case when is_anomaly then 1 else 0 end), 0) as recall_value
    from outliers
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),

contingency as (
    select
        clusters.cluster_id,
        customer_person.persona,
        count(*) as n
    from {{ ref('customer_clusters') }} as clusters
    inner join customer_person on clusters.customer_key = customer_person.customer_key
    group by clusters.cluster_id, customer_person.persona
),

ari_parts as (
    select
        (select sum(n * (n - 1) / 2.0) from contingency) as index_pairs,
        (select sum(a * (a - 1) / 2.0) from (select sum(n) as a from contingency group by cluster_id) as rows_) as row_pairs,
        (select sum(b * (b - 1) / 2.0) from (select sum(n) as b from contingency group by persona) as cols_) as col_pairs,
        (select sum(n) * (sum(n) - 1) / 2.0 from contingency) as all_pairs
),

churn as (
    select
        scores.churn_probability,
        customer_person.churned_in_horizon
    from {{ ref('customer_churn_scores') }} as scores
    inner join customer_person on scores.customer_key = customer_person.customer_key
    where scores.churn_probability is not null
),

churn_ranked as (
    select
        churned_in_horizon,
        rank() over (order by churn_probability)
        + (count(*) over (partition by churn_probability) - 1) / 2.0 as avg_rank
    from churn
),

churn_auc as (
    select
        (
            sum(case when churned_in_horizon then avg_rank else 0 end)
            - sum(case when churned_in_horizon then 1 else 0 end)
            * (sum(case when churned_in_horizon then 1 else 0 end) + 1) / 2.0
        ) / nullif(
            sum(case when churned_in_horizon then 1 else 0 end) * 1.0
            * sum(case when churned_in_horizon then 0 else 1 end), 0
        ) as auc
    from churn_ranked
),

final as (
    select
        'outliers' as metric_group,
        'precision__' || detector as metric,
        precision_value as value,
        cast(case when detector = 'is_outlier' then {{ var('quality__floor_outlier_precision', 'null') }} end as double)
            as floor_value,
        'share of customers flagged by ' || detector || ' that are planted anomalies' as detail
    from detector_rates
    union all
    select
        'outliers',
        'recall__' || detector,
        recall_value,
        cast(case when detector = 'is_outlier' then {{ var('quality__floor_outlier_recall', 'null') }} end as double),
        'share of planted anomalies flagged by ' || detector
    from detector_rates
    union all
    select
        'clusters',
        'persona_ari',
        (index_pairs - row_pairs * col_pairs / all_pairs)
        / nullif(0.5 * (row_pairs + col_pairs) - row_pairs * col_pairs / all_pairs, 0),
        cast({{ var('quality__floor_persona_ari', 'null') }} as double),
        'adjusted Rand index of cluster_id vs the planted persona'
    from ari_parts
    union all
    select
        'clusters',
        'bootstrap_ari_mean',
        bootstrap_ari_mean,
        cast(null as double),
        'stability: mean ARI of the chosen k over 10 bootstrap refits'
    from {{ ref('cluster_model_selection') }}
    where is_chosen
    union all
    select
        'churn',
        'roc_auc_vs_truth',
        auc,
        {{ var('quality__floor_churn_auc', 0.7) }},
        'ROC-AUC of churn_probability for the withheld churned_in_horizon truth'
    from churn_auc
)

select * from final
{%- endif %}
