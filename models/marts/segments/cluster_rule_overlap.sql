{#- One row per learned cluster and rule segment that share at least one customer: how many
    customers they share, which share of the cluster that is, and the lift (the rule's share
    inside the cluster divided by its share among all customers: 2 = twice as common in the
    cluster as overall). overlap_rank orders a cluster's over-represented rules (lift above 1)
    by lift, among the rules that cover at least var segments__overlap_min_share of the
    cluster (default 5%), so tiny accidental overlaps do not top a cluster card; the rest have
    no rank. -#}
{%- set min_share = var('segments__overlap_min_share', 0.05) %}
{%- if min_share is not number or min_share < 0 or min_share > 1 %}
    {{ exceptions.raise_compiler_error(
        "var segments__overlap_min_share must be a number between 0 and 1, got '"
        ~ min_share ~ "'") }}
{%- endif %}
with clusters as (
    select * from {{ ref('customer_clusters') }}
),

rule_segments as (
    select * from {{ ref('customer_rule_segments') }}
),

population as (
    select count(*) as total_customers
    from clusters
),

cluster_sizes as (
    select
        cluster_id,
        cluster_name,
        count(*) as cluster_customers
    from clusters
    group by cluster_id, cluster_name
),

rule_sizes as (
    select
        rule_segments.rule_name,
        count(*) as rule_customers
    from rule_segments
    inner join clusters on rule_segments.customer_key = clusters.customer_key
    group by rule_segments.rule_name
),

shared_customers as (
    select
        clusters.cluster_id,
        rule_segments.rule_name,
        count(*) as overlap_customers
    from clusters
    inner join rule_segments on clusters.customer_key = rule_segments.customer_key
    group by clusters.cluster_id, rule_segments.rule_name
),

measured as (
    select
        cluster_sizes.cluster_id,
        cluster_sizes.cluster_name,
        shared_customers.rule_name,
        cluster_sizes.cluster_customers,
        rule_sizes.rule_customers,
        shared_customers.overlap_customers,
        cast(shared_customers.overlap_customers as double) / cluster_sizes.cluster_customers as share_of_cluster,
        cast(shared_customers.overlap_customers as double) / rule_sizes.rule_customers as share_of_rule,
        (cast(shared_customers.overlap_customers as double) / cluster_sizes.cluster_customers)
        / (cast(rule_sizes.rule_customers as double) / population.total_customers) as lift,
        cast(shared_customers.overlap_customers as double)
        / (cluster_sizes.cluster_customers + rule_sizes.rule_customers - shared_customers.overlap_customers) as jaccard
    from shared_customers
    inner join cluster_sizes on shared_customers.cluster_id = cluster_sizes.cluster_id
    inner join rule_sizes on shared_customers.rule_name = rule_sizes.rule_name
    cross join population
),

rankable as (
    select
        measured.*,
        measured.share_of_cluster >= {{ min_share }} and measured.lift > 1 as is_rankable
    from measured
),

final as (
    select
        cluster_id,
        cluster_name,
        rule_name,
        cluster_customers,
        rule_customers,
        overlap_customers,
        share_of_cluster,
        share_of_rule,
        lift,
        jaccard,
        case
            when is_rankable
                then row_number() over (
                        partition by cluster_id, is_rankable
                        order by lift desc, overlap_customers desc, rule_name asc
                    )
        end as overlap_rank
    from rankable
)

select * from final
