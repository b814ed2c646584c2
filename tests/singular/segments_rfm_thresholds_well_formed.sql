{#- Seed rfm_thresholds (used when var rfm__scoring is 'thresholds'): per metric, scores
    1..rfm__bins once each, and ranges [lower_bound, upper_bound) that neither overlap nor
    leave gaps, the last one open-ended. Fails with the offending rows. -#}
with thresholds as (
    select * from {{ ref('rfm_thresholds') }}
),

ordered as (
    select
        metric,
        score,
        lower_bound,
        upper_bound,
        lead(lower_bound) over (partition by metric order by lower_bound) as next_lower_bound,
        count(*) over (partition by metric) as score_count,
        count(*) over (partition by metric, score) as same_score_count
    from thresholds
)

select * from ordered
where metric not in ('recency_days', 'frequency', 'monetary_amount')
    or score not between 1 and {{ var('rfm__bins', 5) }}
    or score_count != {{ var('rfm__bins', 5) }}
    or same_score_count != 1
    or (next_lower_bound is null and upper_bound is not null)
    or (next_lower_bound is not null and (upper_bound is null or upper_bound != next_lower_bound))
