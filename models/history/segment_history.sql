{#- One row per customer_key, segment_family and stretch of time in one segment: the
    snapshot's versions unpivoted per family and merged while the segment stays the same
    (gaps-and-islands). Deleted customers and NULL segments (e.g. no ML on a target) are not
    memberships: a stretch ends when the customer disappears. -#}
{%- set families = [
    ('rfm', 'rfm_segment'),
    ('primary_rule', 'primary_segment'),
    ('cluster', 'cluster_segment'),
    ('churn_risk', 'churn_risk_band'),
] %}
with snapshot as (
    select * from {{ ref('segment_membership_snapshot') }}
),

versions as (
    {%- for family, column in families %}
        select
            customer_key,
            '{{ family }}' as segment_family,
            {{ column }} as segment_name,
            dbt_valid_from as version_from,
            dbt_valid_to as version_to
        from snapshot
        where not is_deleted and {{ column }} is not null
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

flagged as (
    select
        *,
        case
            when lag(segment_name) over (
                    partition by customer_key, segment_family order by version_from
                ) = segment_name
                and lag(version_to) over (
                    partition by customer_key, segment_family order by version_from
                ) = version_from
                then 0
            else 1
        end as is_island_start
    from versions
),

islands as (
    select
        *,
        sum(is_island_start) over (
            partition by customer_key, segment_family order by version_from
            rows between unbounded preceding and current row
        ) as island_number
    from flagged
),

final as (
    select
        customer_key,
        segment_family,
        min(segment_name) as segment_name,
        min(version_from) as valid_from,
        case
            when count(*) = count(version_to) then max(version_to)
        end as valid_to,
        count(*) = count(version_to) as is_closed
    from islands
    group by customer_key, segment_family, island_number
)

select
    cast(customer_key as {{ dbt.type_string() }}) as customer_key,
    cast(segment_family as {{ dbt.type_string() }}) as segment_family,
    cast(segment_name as {{ dbt.type_string() }}) as segment_name,
    cast(valid_from as {{ dbt.type_timestamp() }}) as valid_from,
    cast(valid_to as {{ dbt.type_timestamp() }}) as valid_to,
    not is_closed as is_current
from final
