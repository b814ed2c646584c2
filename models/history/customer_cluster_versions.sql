{#- The label registry: one row per customer_clusters version_id and customer_key with the
    cluster the version gave the customer. A version is appended once (a rebuild on the same
    data has the same version_id and adds nothing); version_sequence numbers versions in the
    order they were first built. customer_clusters reads it back through the source
    history_registry (previous labels for continuity, or a pinned version for rollback).
    Persisted state (full_refresh false); per-customer rows carry customer_key so an erasure
    can delete them. -#}
{{ config(
    materialized='incremental',
    schema='history',
    unique_key=['version_id', 'customer_key'],
    full_refresh=false,
) }}
-- depends_on: {{ ref('customer_clusters') }}
{%- set versions = history_model_versions(only='customer_clusters') %}
with customer_clusters as (
    select * from {{ ref('customer_clusters') }}
),

run_date as (
    select cast(as_of_date as date) as as_of_date from {{ ref('int_run__as_of_date') }}
),

version as (
    {%- if versions %}
        {{ versions[0].sql }}
    {%- else %}
        select cast(null as {{ dbt.type_string() }}) as version_id where 1 = 0
    {%- endif %}
),

known_versions as (
    {%- if is_incremental() %}
        select count(distinct version_id) as version_count from {{ this }}
    {%- else %}
        select 0 as version_count
    {%- endif %}
),

final as (
    select
        version.version_id,
        cast(known_versions.version_count + 1 as integer) as version_sequence,
        run_date.as_of_date,
        customer_clusters.customer_key,
        cast(customer_clusters.cluster_id as integer) as cluster_id,
        customer_clusters.cluster_name
    from customer_clusters
    cross join version
    cross join run_date
    cross join known_versions
)

select * from final
{%- if is_incremental() %}
    where not exists (
        select 1 from {{ this }} as known
        where known.version_id = final.version_id
    )
{%- endif %}
