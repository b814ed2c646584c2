{#- One row per customer_key: the population every segment mart is built on, with the few
    golden-record fields segmentation uses (location, gender, birth date for age, signup date,
    consent, how many source systems know the customer). Read from dim_customers, so the
    survivorship rules decide which record supplies each field. -#}
with customers as (
    select * from {{ ref('dim_customers') }}
),

final as (
    select
        customer_key,
        country_iso2,
        city,
        gender,
        birth_date,
        signup_date,
        has_marketing_consent,
        source_count
    from customers
)

select * from final
