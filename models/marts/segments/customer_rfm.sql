-- depends_on: {{ ref('rfm_thresholds') }}
{#- One row per customer_key: recency / frequency / monetary of valid sale orders up to the
    as-of date, their scores (rank-based quantiles among customers with orders, or the ranges
    in seed rfm_thresholds; var rfm__scoring), the rfm_code and the named segment from seed
    rfm_segment_map. Customers without a valid order get 'No Purchases' and no scores. -#}
{%- set bins = rfm_bins() %}
{%- set scoring = var('rfm__scoring', 'quantile') %}
{%- if scoring not in ['quantile', 'thresholds'] %}
    {{ exceptions.raise_compiler_error("var rfm__scoring must be 'quantile' or 'thresholds', got: " ~ scoring) }}
{%- endif %}
with customers as (
    select * from {{ ref('int_customers__segment_base') }}
),

order_features as (
    select * from {{ ref('int_orders__customer_features') }}
),

as_of as (
    select * from {{ ref('int_run__as_of_date') }}
),

segment_map as (
    select * from {{ ref('rfm_segment_map') }}
),

{%- if scoring == 'thresholds' %}

thresholds as (
    select * from {{ ref('rfm_thresholds') }}
),
{%- endif %}

buyers as (
    select
        customer_key,
        recency_days,
        frequency,
        monetary_amount,
        monetary_total_amount,
        first_order_date,
        last_order_date
    from order_features
    where frequency > 0
),

scored as (
    {%- if scoring == 'quantile' %}
    select
        buyers.*,
        {{ rfm_quantile_score('buyers.recency_days', higher_is_better=false) }} as r_score,
        {{ rfm_quantile_score('buyers.frequency') }} as f_score,
        {{ rfm_quantile_score('buyers.monetary_amount') }} as m_score
    from buyers
    {%- else %}
    select
        buyers.*,
        {%- for metric, score in [('recency_days', 'r_score'), ('frequency', 'f_score'), ('monetary_amount', 'm_score')] %}
        (
            select max(thresholds.score) from thresholds
            where thresholds.metric = '{{ metric }}'
                and buyers.{{ metric }} >= thresholds.lower_bound
                and (thresholds.upper_bound is null or buyers.{{ metric }} < thresholds.upper_bound)
        ) as {{ score }}{{ ',' if not loop.last }}
        {%- endfor %}
    from buyers
    {%- endif %}
),

coded as (
    select
        *,
        cast(r_score as {{ dbt.type_string() }})
        || cast(f_score as {{ dbt.type_string() }})
        || cast(m_score as {{ dbt.type_string() }}) as rfm_code,
        {#- the segment map is a 5 x 5 x 5 grid: other bin counts map the middle of their bin onto it #}
        {%- for s in ['r', 'f', 'm'] %}
        {%- if bins == 5 %}
        {{ s }}_score as {{ s }}_map_score{{ ',' if not loop.last }}
        {%- else %}
        cast(1 + floor(({{ s }}_score - 0.5) * 5.0 / {{ bins }}) as integer) as {{ s }}_map_score{{ ',' if not loop.last }}
        {%- endif %}
        {%- endfor %}
    from scored
),

final as (
    select
        customers.customer_key,
        as_of.as_of_date,
        coded.customer_key is not null as has_orders,
        coded.recency_days,
        coalesce(coded.frequency, 0) as frequency,
        coalesce(coded.monetary_amount, 0) as monetary_amount,
        coalesce(coded.monetary_total_amount, 0) as monetary_total_amount,
        coded.first_order_date,
        coded.last_order_date,
        coded.r_score,
        coded.f_score,
        coded.m_score,
        coded.rfm_code,
        case
            when coded.customer_key is null then 'No Purchases'
            else coalesce(segment_map.rfm_segment, 'Unmapped')
        end as rfm_segment,
        '{{ scoring }}' as rfm_scoring
    from customers
    cross join as_of
    left join coded on customers.customer_key = coded.customer_key
    left join segment_map
        on coded.r_map_score = segment_map.r_score
            and coded.f_map_score = segment_map.f_score
            and coded.m_map_score = segment_map.m_score
)

select * from final
