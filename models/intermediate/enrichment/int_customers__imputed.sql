{#- One row per customer_key: the golden record's gaps filled for analytics (never for
    activation), each with an is_imputed_<col> flag, and is_incomplete for customers that had
    a gap. Documented groupings: gender = most frequent gender among customers with the same
    first name (at least 3 of them, and a clear majority); age = median age of customers with
    the same country and gender (then country, then everyone); city = most frequent city for
    the same country and postcode. Ages are as of the build's as_of_date. With var
    imputation__age_method 'knn' a missing age is the kNN estimate of int_customers__imputed_knn
    (behaviour + country + gender neighbours; the medians remain the fallback). -#}
{%- set age_method = var('imputation__age_method', 'median') %}
{%- if age_method not in ['median', 'knn'] %}
    {{ exceptions.raise_compiler_error(
        "var imputation__age_method must be 'median' or 'knn', got '" ~ age_method ~ "'") }}
{%- endif %}
with customers as (
    select * from {{ ref('dim_customers') }}
),

as_of as (
    select * from {{ ref('int_run__as_of_date') }}
),
{%- if age_method == 'knn' %}

knn_ages as (
    select * from {{ ref('int_customers__imputed_knn') }}
),
{%- endif %}

aged as (
    select
        customers.customer_key,
        customers.first_name,
        customers.gender,
        customers.country_iso2,
        customers.postcode,
        customers.city,
        customers.birth_date,
        {{ dbt.datediff('customers.birth_date', 'as_of.as_of_date', 'day') }} / 365.25 as age_years -- noqa: LT05
    from customers
    cross join as_of
),

gender_by_name as (
    select
        first_name,
        gender,
        count(*) as n,
        sum(count(*)) over (partition by first_name) as name_total,
        row_number() over (partition by first_name order by count(*) desc, gender) as gender_rank
    from aged
    where first_name is not null and gender in ('female', 'male')
    group by first_name, gender
),

name_gender as (
    select
        first_name,
        gender
    from gender_by_name
    where gender_rank = 1 and name_total >= 3 and n >= 0.8 * name_total
),

with_gender as (
    select
        aged.*,
        coalesce(aged.gender, name_gender.gender) as gender_filled,
        aged.gender is null and name_gender.gender is not null as is_imputed_gender
    from aged
    left join name_gender on aged.first_name = name_gender.first_name
),

age_by_group as (
    select
        country_iso2,
        gender_filled,
        {{ median('age_years') }} as median_age
    from with_gender
    where age_years is not null
    group by country_iso2, gender_filled
),

age_by_country as (
    select
        country_iso2,
        {{ median('age_years') }} as median_age
    from with_gender
    where age_years is not null
    group by country_iso2
),

age_overall as (
    select {{ median('age_years') }} as median_age
    from with_gender
    where age_years is not null
),

city_by_postcode as (
    select
        country_iso2,
        postcode,
        city,
        row_number() over (partition by country_iso2, postcode order by count(*) desc, city) as city_rank
    from aged
    where postcode is not null and city is not null
    group by country_iso2, postcode, city
),

final as (
    select
        with_gender.customer_key,
        with_gender.gender_filled as gender,
        with_gender.is_imputed_gender,
        coalesce(
            with_gender.age_years,
            {%- if age_method == 'knn' %}
            knn_ages.age_years,
            {%- endif %}
            age_by_group.median_age,
            age_by_country.median_age,
            age_overall.median_age
        ) as age_years,
        with_gender.age_years is null as is_imputed_age,
        coalesce(age_by_group.median_age, age_by_country.median_age, age_overall.median_age) as age_median_estimate,
        case
            when with_gender.age_years is not null then cast(null as {{ dbt.type_string() }})
            {%- if age_method == 'knn' %}
                when knn_ages.age_years is not null then 'knn'
            {%- endif %}
            else 'group_median'
        end as age_imputation_method,
        coalesce(with_gender.city, city_by_postcode.city) as city,
        with_gender.city is null and city_by_postcode.city is not null as is_imputed_city,
        with_gender.gender is null or with_gender.age_years is null or with_gender.city is null as is_incomplete
    from with_gender
    cross join age_overall
    left join age_by_group
        on with_gender.country_iso2 is not distinct from age_by_group.country_iso2
            and with_gender.gender_filled is not distinct from age_by_group.gender_filled
    left join age_by_country on with_gender.country_iso2 is not distinct from age_by_country.country_iso2
    {%- if age_method == 'knn' %}
        left join knn_ages on with_gender.customer_key = knn_ages.customer_key
    {%- endif %}
    left join city_by_postcode
        on with_gender.country_iso2 = city_by_postcode.country_iso2
            and with_gender.postcode = city_by_postcode.postcode
            and city_by_postcode.city_rank = 1
)

select * from final
