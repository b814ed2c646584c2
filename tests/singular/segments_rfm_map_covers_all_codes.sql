{#- The RFM segment map has exactly one row for each of the 125 score combinations 1-5, its
    rfm_code agrees with its scores, and every segment is a named one. Fails with the codes
    that are missing, duplicated or inconsistent. -#}
with segment_map as (
    select * from {{ ref('rfm_segment_map') }}
),

scores as (
    {%- for s in range(1, 6) %}
        {%- if not loop.first %}
            union all
        {%- endif %}
        select {{ s }} as score
    {%- endfor %}
),

all_codes as (
    select
        r.score as r_score,
        f.score as f_score,
        m.score as m_score
    from scores as r
    cross join scores as f
    cross join scores as m
),

coverage as (
    select
        all_codes.r_score,
        all_codes.f_score,
        all_codes.m_score,
        count(segment_map.rfm_segment) as mapped_count,
        min(segment_map.rfm_code) as rfm_code,
        min(segment_map.rfm_segment) as rfm_segment
    from all_codes
    left join segment_map
        on all_codes.r_score = segment_map.r_score
            and all_codes.f_score = segment_map.f_score
            and all_codes.m_score = segment_map.m_score
    group by all_codes.r_score, all_codes.f_score, all_codes.m_score
),

failures as (
    select
        r_score,
        f_score,
        m_score,
        mapped_count,
        rfm_code,
        rfm_segment
    from coverage
    where mapped_count != 1
        or rfm_code != cast(r_score as varchar) || cast(f_score as varchar) || cast(m_score as varchar)
        or rfm_segment not in (
            'Champions', 'Loyal', 'Potential Loyalist', 'New Customers', 'Promising', 'Need Attention',
            'About To Sleep', 'At Risk', 'Can''t Lose Them', 'Hibernating', 'Lost'
        )
    union all
    select
        r_score,
        f_score,
        m_score,
        0 as mapped_count,
        rfm_code,
        rfm_segment
    from segment_map
    where r_score not between 1 and 5 or f_score not between 1 and 5 or m_score not between 1 and 5
)

select * from failures
