-- depends_on: {{ ref('int_erasure__scope') }}
-- (erasure, docs/privacy.md: runs after int_erasure__scope, whose post-hook removes the rows
--  of erased people from landing first, so this model never reads them)
{#- The single "today" of the build. The var as_of_date when set; otherwise the latest day
    whose volume of parseable orders + events is at least 10% of the median daily volume, so
    a handful of rows with far-future timestamps cannot move it. -#}
{%- do validate_vars() %}
{%- set literal = as_of_date_literal() %}
with orders as (
    select ordered_date as activity_date from {{ ref('stg_raw__orders') }}
    where ordered_date is not null
),

events as (
    select occurred_date as activity_date from {{ ref('stg_raw__events') }}
    where occurred_date is not null
),

daily as (
    select
        activity_date,
        count(*) as row_count
    from (
        select activity_date from orders
        union all
        select activity_date from events
    ) as activity
    group by activity_date
),

typical as (
    select {{ median('row_count') }} as median_count from daily
),

final as (
    {%- if literal %}
    select
        {{ literal }} as as_of_date,
        'var' as as_of_date_source
    {%- else %}
        select
            cast(coalesce(
                max(case when daily.row_count >= 0.1 * typical.median_count then daily.activity_date end),
                max(daily.activity_date)
            ) as date) as as_of_date,
            'data' as as_of_date_source
        from daily
        cross join typical
    {%- endif %}
)

select * from final
