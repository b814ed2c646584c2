{#- Deduplication quality against the generator's truth. Placeholder with the final columns
    until the identity models land; emits no rows. -#}
with final as (
    select
        cast(null as varchar) as metric_group,
        cast(null as varchar) as metric,
        cast(null as double) as value,
        cast(null as double) as floor_value,
        cast(null as varchar) as detail
    where 1 = 0
)

select * from final
