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
    select
        buyers.*,
        {%- if scoring == 'quantile' %}
            {{ rfm_quantile_score('buyers.recency_days', higher_is_better=false) }} as r_score,
            {{ rfm_quantile_score('buyers.frequency') }} as f_score,
            {{ rfm_quantile_score('buyers.monetary_amount') }} as m_score
        {%- else %}
        r_range.score as r_score,
        f_range.score as f_score,
        m_range.score as m_score
        {%- endif %}
    from buyers
    {%- if scoring == 'thresholds' %}
    {%- for metric, alias in [('recency_days', 'r_range'), ('frequency', 'f_range'), ('monetary_amount', 'm_range')] %}
    left join thresholds as {{ alias }}
        on {{ alias }}.metric = '{{ metric }}'
            and buyers.{{ metric }} >= {{ alias }}.lower_bound
            and (buyers.{{ metric }} < {{ alias }}.upper_bound or {{ alias }}.upper_bound is null)
    {%- endfor %}
    {%- endif %}
),

coded as (
    select
        *,
        cast(r_score as {{ dbt.type_string() }})
        || cast(f_score as {{ dbt.type_string() }})
        || cast(m_score as {{ dbt.type_string() }}) as rfm_code,
        {#- the map is a 5 x 5 x 5 grid: a score of another bin count maps by its bin's middle #}
        cast(1 + floor((r_score - 0.5) * 5.0 / {{ bins }}) as integer) as r_map_score,
        cast(1 + floor((f_score - 0.5) * 5.0 / {{ bins }}) as integer) as f_map_score,
        cast(1 + floor((m_score - 0.5) * 5.0 / {{ bins }}) as integer) as m_map_score
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
