{#- One row per customer_key: the population every segment mart is built on, with the few
    golden fields segmentation uses (location, gender, birth date for age, signup date,
    consent). Read from the identity map and the validated records; when a customer has
    several records, the most recently updated one supplies the fields. -#}
with identity_map as (
    select * from {{ ref('customer_identity_map') }}
),

records as (
    select * from {{ ref('int_customers__validated') }}
),

ranked as (
    select
        identity_map.customer_key,
        records.country_iso2,
        records.city,
        records.gender,
        records.birth_date,
        records.signup_date,
        records.has_marketing_consent,
        row_number() over (
            partition by identity_map.customer_key
            order by records.updated_at desc nulls last, records.customer_record_id asc
        ) as record_rank
    from identity_map
    inner join records on identity_map.customer_record_id = records.customer_record_id
),

final as (
    select
        customer_key,
        country_iso2,
        city,
        gender,
        birth_date,
        signup_date,
        has_marketing_consent
    from ranked
    where record_rank = 1
)

select * from final
