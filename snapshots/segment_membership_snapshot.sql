{#- Segment membership per customer_key over time (docs/history.md).

    Strategy timestamp on membership_changed_at, a deterministic clock derived from the
    build's as_of_date (never wall-clock time), so rebuilding the same data gives the same
    history:
    - membership unchanged since the current snapshot row -> the row's own changed_at is kept
      (not newer, so no new version);
    - membership changed -> as_of_date, or 1 second after the current row when a build for the
      same (or an older) as_of_date corrects it (e.g. a rollback), so a correction is recorded;
    - customer gone from the build (hard delete) -> an explicit is_deleted row with NULL
      segments, once; dbt's own hard_deletes handling would use wall-clock time. -#}
{% snapshot segment_membership_snapshot %}
{{ config(
    schema='history',
    unique_key='customer_key',
    strategy='timestamp',
    updated_at='membership_changed_at',
    hard_deletes='ignore',
) }}
{%- set existing = adapter.get_relation(this.database, this.schema, this.identifier) if execute else none %}
with membership as (
    select * from {{ ref('int_history__segment_membership') }}
),

run_date as (
    select cast(as_of_date as {{ dbt.type_timestamp() }}) as as_of_at
    from {{ ref('int_run__as_of_date') }}
),

previous as (
    {%- if existing %}
        select
            customer_key,
            membership_hash,
            is_deleted,
            membership_changed_at
        from {{ this }}
        where dbt_valid_to is null
    {%- else %}
        select
            cast(null as {{ dbt.type_string() }}) as customer_key,
            cast(null as {{ dbt.type_string() }}) as membership_hash,
            cast(null as boolean) as is_deleted,
            cast(null as {{ dbt.type_timestamp() }}) as membership_changed_at
        where 1 = 0
    {%- endif %}
),

present as (
    select
        membership.customer_key,
        membership.rfm_segment,
        membership.primary_segment,
        membership.cluster_segment,
        membership.churn_risk_band,
        membership.membership_hash,
        false as is_deleted,
        case
            when previous.customer_key is null then membership.as_of_at
            when previous.membership_hash = membership.membership_hash
                and not previous.is_deleted then previous.membership_changed_at
            when previous.membership_changed_at < membership.as_of_at then membership.as_of_at
            else {{ dbt.dateadd('second', 1, 'previous.membership_changed_at') }}
        end as membership_changed_at
    from membership
    left join previous on membership.customer_key = previous.customer_key
),

deleted as (
    select
        previous.customer_key,
        cast(null as {{ dbt.type_string() }}) as rfm_segment,
        cast(null as {{ dbt.type_string() }}) as primary_segment,
        cast(null as {{ dbt.type_string() }}) as cluster_segment,
        cast(null as {{ dbt.type_string() }}) as churn_risk_band,
        cast(null as {{ dbt.type_string() }}) as membership_hash,
        true as is_deleted,
        case
            when previous.is_deleted then previous.membership_changed_at
            when previous.membership_changed_at < run_date.as_of_at then run_date.as_of_at
            else {{ dbt.dateadd('second', 1, 'previous.membership_changed_at') }}
        end as membership_changed_at
    from previous
    cross join run_date
    where not exists (
        select 1 from membership
        where membership.customer_key = previous.customer_key
    )
)

select * from present
union all
select * from deleted
{% endsnapshot %}
