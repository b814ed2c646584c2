{#- The golden record: one row per customer_key (a person after deduplication), each field
    group taken from the record chosen by the survivorship rules (seed survivorship_rules,
    via int_customers__golden_fields), with the record that supplied it, how many records
    and source systems were merged, and when the customer was first and last seen. -#}
{%- set groups = ['name', 'email', 'phone', 'address', 'birth_date', 'gender', 'signup_date',
    'marketing_consent'] %}
with clusters as (
    select * from {{ ref('int_customers__clusters') }}
),

records as (
    select * from {{ ref('int_customers__validated') }}
),

golden_fields as (
    select * from {{ ref('int_customers__golden_fields') }}
),

customers as (
    select
        clusters.customer_key,
        count(*) as record_count,
        count(distinct clusters.source_system) as source_count,
        {{ dbt.listagg(
            'distinct clusters.source_system', "','", 'order by clusters.source_system'
        ) }} as source_systems,
        min(coalesce(records.signup_date, cast(records.updated_at as date))) as first_seen_date,
        max(cast(records.updated_at as date)) as last_seen_date,
        min(case when clusters.is_stub_record then 1 else 0 end) = 1 as is_stub_customer
    from clusters
    inner join records on clusters.customer_record_id = records.customer_record_id
    group by clusters.customer_key
),

chosen as (
    select
        customer_key,
        {%- for g in groups %}
            max(case when field_group = '{{ g }}' then source_record_id end) as {{ g }}_record_id,
        {%- endfor %}
        count(*) as field_group_count
    from golden_fields
    group by customer_key
),

final as (
    select
        customers.customer_key,
        name_source.first_name,
        name_source.last_name,
        email_source.email,
        phone_source.phone_e164,
        phone_source.phone_extension,
        address_source.street,
        address_source.postcode,
        address_source.city,
        address_source.state,
        address_source.country_iso2,
        birth_date_source.birth_date,
        gender_source.gender,
        signup_date_source.signup_date,
        marketing_consent_source.has_marketing_consent,
        chosen.name_record_id as name_source_record_id,
        chosen.email_record_id as email_source_record_id,
        chosen.phone_record_id as phone_source_record_id,
        chosen.address_record_id as address_source_record_id,
        chosen.birth_date_record_id as birth_date_source_record_id,
        customers.record_count,
        customers.source_count,
        customers.source_systems,
        customers.first_seen_date,
        customers.last_seen_date,
        customers.is_stub_customer
    from customers
    left join chosen on customers.customer_key = chosen.customer_key
    {%- for g in groups %}
        left join records as {{ g }}_source
            on chosen.{{ g }}_record_id = {{ g }}_source.customer_record_id
    {%- endfor %}
)

select * from final
