{#- One row per as_of_date and cluster event: how this build's clusters relate to the previous
    version's (customer_cluster_versions): continued (same id, centroid_distance = how far its
    centroid moved), born (a new id), died (a previous id with no successor), first_run or
    restored (rollback). A rebuild for the same as_of_date replaces that date's rows. -#}
{{ config(
    materialized='incremental',
    unique_key='as_of_date',
    incremental_strategy='delete+insert',
    full_refresh=false,
) }}
with customer_clusters as (
    select * from {{ ref('customer_clusters') }}
),

registry as (
    select * from {{ ref('customer_cluster_versions') }}
),

run_date as (
    select cast(as_of_date as date) as as_of_date from {{ ref('int_run__as_of_date') }}
),

previous_version as (
    select registry.version_id
    from registry
    cross join run_date
    where registry.as_of_date < run_date.as_of_date
    order by registry.as_of_date desc, registry.version_sequence desc
    limit 1
),

current_clusters as (
    select
        cluster_id,
        max(cluster_event) as cluster_event,
        max(centroid_shift) as centroid_shift,
        count(*) as customer_count
    from customer_clusters
    where cluster_id >= 0
    group by cluster_id
),

previous_clusters as (
    select
        registry.cluster_id,
        count(*) as customer_count
    from registry
    inner join previous_version on registry.version_id = previous_version.version_id
    where registry.cluster_id >= 0
    group by registry.cluster_id
),

events as (
    select
        case when cluster_event in ('continued', 'restored') then cluster_id end
            as previous_cluster_id,
        cluster_id,
        centroid_shift as centroid_distance,
        cluster_event as lineage_event,
        customer_count
    from current_clusters
    union all
    select
        previous_clusters.cluster_id as previous_cluster_id,
        cast(null as integer) as cluster_id,
        cast(null as {{ dbt.type_float() }}) as centroid_distance,
        'died' as lineage_event,
        previous_clusters.customer_count
    from previous_clusters
    where not exists (
            select 1 from current_clusters
            where current_clusters.cluster_id = previous_clusters.cluster_id
                and current_clusters.cluster_event in ('continued', 'restored')
        )
)

select
    run_date.as_of_date,
    cast(events.previous_cluster_id as integer) as previous_cluster_id,
    cast(events.cluster_id as integer) as cluster_id,
    cast(events.centroid_distance as {{ dbt.type_float() }}) as centroid_distance,
    cast(events.lineage_event as {{ dbt.type_string() }}) as lineage_event,
    cast(events.customer_count as integer) as customer_count
from events
cross join run_date
