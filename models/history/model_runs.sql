{#- One row per Python model version: name, version_id (md5 of code checksum, parameters
    and input fingerprint: macro history_model_versions), parameters and headline metrics as
    JSON, the as_of_date and the dbt invocation that first built it. Appended each build for
    versions not seen before, so a rebuild on the same data adds nothing. Persisted state
    (full_refresh false). A new Python model is recorded once it is listed below. -#}
{{ config(
    materialized='incremental',
    unique_key=['model_name', 'version_id'],
    full_refresh=false,
) }}
-- depends_on: {{ ref('customer_outliers') }}
-- depends_on: {{ ref('cluster_model_selection') }}
-- depends_on: {{ ref('customer_clusters') }}
-- depends_on: {{ ref('customer_churn_scores') }}
-- depends_on: {{ ref('model_metrics') }}
-- depends_on: {{ ref('customer_clv') }}
{%- set versions = history_model_versions() %}
with run_date as (
    select cast(as_of_date as date) as as_of_date from {{ ref('int_run__as_of_date') }}
),

versions as (
    {%- for v in versions %}
        select
            version.model_name,
            version.version_id,
            version.code_checksum,
            version.parameters_json,
            version.input_fingerprint,
            metrics.metrics_json
        from ({{ v.sql }}) as version
        cross join ({{ history_model_metrics(v.name, v.relation) }}) as metrics
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- else %}
        select
            cast(null as {{ dbt.type_string() }}) as model_name,
            cast(null as {{ dbt.type_string() }}) as version_id,
            cast(null as {{ dbt.type_string() }}) as code_checksum,
            cast(null as {{ dbt.type_string() }}) as parameters_json,
            cast(null as {{ dbt.type_string() }}) as input_fingerprint,
            cast(null as {{ dbt.type_string() }}) as metrics_json
        where 1 = 0
    {%- endfor %}
),

final as (
    select
        versions.model_name,
        versions.version_id,
        versions.code_checksum,
        versions.parameters_json,
        versions.input_fingerprint,
        versions.metrics_json,
        run_date.as_of_date,
        cast('{{ invocation_id }}' as {{ dbt.type_string() }}) as invocation_id,
        {{ dbt.current_timestamp() }} as run_at
    from versions
    cross join run_date
)

select * from final
{%- if is_incremental() %}
    where not exists (
        select 1 from {{ this }} as known
        where known.model_name = final.model_name
            and known.version_id = final.version_id
    )
{%- endif %}
