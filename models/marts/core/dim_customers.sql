{#- The golden record: one row per customer_key (a person after deduplication), each field
    group taken from the record chosen by the survivorship rules (seed survivorship_rules,
    via int_customers__golden_fields), with the record that supplied it, how many records
    and source systems were merged, and when the customer was first and last seen. -#}
{#- Field groups and the columns each supplies, in the output's order. -#}
{%- set group_columns = {
    'name': ['first_name', 'last_name'],
    'email': ['email'],
    'phone': ['phone_e164', 'phone_extension'],
    'address': ['street', 'postcode', 'city', 'state', 'country_iso2'],
    'birth_date': ['birth_date'],
    'gender': ['gender'],
    'signup_date': ['signup_date'],
    'marketing_consent': [],
} %}
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

-- Each chosen field group (one row per customer_key and group) with the values of the
-- record that supplies it, pivoted to one row per customer. One join with the records
-- instead of one per group: eight joins held eight hash tables of every record at once and
-- ran out of memory at 1M customers under a 4 GB DuckDB limit (docs/benchmarks.md).
picked as (
    select
        golden_fields.customer_key,
        golden_fields.field_group,
        golden_fields.source_record_id,
        {%- for g, columns in group_columns.items() %}
            {%- for c in columns %}
                records.{{ c }},
            {%- endfor %}
        {%- endfor %}
        case
            when records.has_marketing_consent then 1
            when not records.has_marketing_consent then 0
        end as marketing_consent_flag
    from golden_fields
    left join records on golden_fields.source_record_id = records.customer_record_id
),

chosen as (
    select
        customer_key,
        {%- for g, columns in group_columns.items() %}
            max(case when field_group = '{{ g }}' then source_record_id end) as {{ g }}_record_id,
            {%- for c in columns %}
                max(case when field_group = '{{ g }}' then {{ c }} end) as {{ c }},
            {%- endfor %}
        {%- endfor %}
        max(
            case when field_group = 'marketing_consent' then marketing_consent_flag end
        ) = 1 as has_marketing_consent
    from picked
    group by customer_key
),

final as (
    select
        customers.customer_key,
        chosen.first_name,
        chosen.last_name,
        chosen.email,
        chosen.phone_e164,
        chosen.phone_extension,
        chosen.street,
        chosen.postcode,
        chosen.city,
        chosen.state,
        chosen.country_iso2,
        chosen.birth_date,
        chosen.gender,
        chosen.signup_date,
        chosen.has_marketing_consent,
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
)

select * from final
