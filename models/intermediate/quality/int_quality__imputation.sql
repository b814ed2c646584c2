-- depends_on: {{ ref('customer_identity_map') }}
-- depends_on: {{ ref('int_customers__imputed') }}
-- depends_on: {{ ref('int_run__as_of_date') }}
-- depends_on: {{ ref('int_customers__imputed_knn') }}
{#- Imputation quality against the generator's truth (no rows without truth): for customers
    whose age was imputed, the mean absolute error against the true age of the grouped median
    (country x gender), of the kNN estimate (int_customers__imputed_knn) and of the baseline of
    one global median, all on the same customers. The method in use (var
    imputation__age_method) is named in the detail. -#}
{%- set records = truth_relation('customer_records') %}
{%- if records is none %}
    {{ empty_quality_metrics() }}
{%- else %}
with imputed as (
    select * from {{ ref('int_customers__imputed') }}
),

knn as (
    select * from {{ ref('int_customers__imputed_knn') }}
),

as_of as (
    select * from {{ ref('int_run__as_of_date') }}
),

true_ages as (
    select
        identity_map.customer_key,
        min({{ dbt.datediff('cast(truth.true_birth_date as date)', 'as_of.as_of_date', 'day') }}) / 365.25
            as true_age
    from {{ ref('customer_identity_map') }} as identity_map
    inner join {{ records }} as truth
        on identity_map.source_system = truth.source_system
        and identity_map.source_customer_id = truth.source_customer_id
    cross join as_of
    where truth.true_birth_date is not null
    group by identity_map.customer_key
),

global_median as (
    select {{ median('age_years') }} as median_age
    from imputed
    where not is_imputed_age
),

errors as (
    select
        abs(imputed.age_median_estimate - true_ages.true_age) as grouped_error,
        abs(knn.age_years - true_ages.true_age) as knn_error,
        abs(global_median.median_age - true_ages.true_age) as global_error
    from imputed
    inner join true_ages on imputed.customer_key = true_ages.customer_key
    left join knn on imputed.customer_key = knn.customer_key
    cross join global_median
    where imputed.is_imputed_age
),

final as (
    select
        'imputation' as metric_group,
        'age_mae_grouped_median' as metric,
        avg(grouped_error) as value,
        cast(null as double) as floor_value,
        'imputed ages: mean absolute error in years of the country x gender median'
        || '{{ " (in use)" if var("imputation__age_method", "median") == "median" else "" }}' as detail
    from errors
    union all
    select
        'imputation',
        'age_mae_knn',
        avg(knn_error),
        cast(null as double),
        'the same customers: kNN on behaviour, country and gender (int_customers__imputed_knn)'
        || '{{ " (in use)" if var("imputation__age_method", "median") == "knn" else "" }}'
    from errors
    union all
    select
        'imputation',
        'age_mae_global_median',
        avg(global_error),
        cast(null as double),
        'baseline: the same customers imputed with one global median age'
    from errors
)

select * from final
{%- endif %}
