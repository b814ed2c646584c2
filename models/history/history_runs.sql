{#- One row per as_of_date the project was built for (a "period" of the history). Appended
    once per new as_of_date; a rebuild for a known date adds nothing (the first build's
    invocation is kept). Persisted state: full_refresh false. -#}
{{ config(
    materialized='incremental',
    unique_key='as_of_date',
    full_refresh=false,
) }}
with run_date as (
    select cast(as_of_date as date) as as_of_date from {{ ref('int_run__as_of_date') }}
),

membership as (
    select count(*) as customer_count from {{ ref('int_history__segment_membership') }}
),

final as (
    select
        run_date.as_of_date,
        cast(membership.customer_count as integer) as customer_count,
        cast('{{ invocation_id }}' as {{ dbt.type_string() }}) as first_invocation_id,
        {{ dbt.current_timestamp() }} as first_built_at
    from run_date
    cross join membership
)

select * from final
{%- if is_incremental() %}
    where not exists (
        select 1 from {{ this }} as known
        where known.as_of_date = final.as_of_date
    )
{%- endif %}
