-- depends_on: {{ ref('int_erasure__scope') }}
-- (erasure, docs/privacy.md: runs after int_erasure__scope, whose post-hook removes the rows
--  of erased people from landing first, so this model never reads them)
-- depends_on: {{ ref('stg_raw__orders') }}
{#- One row per (source_system, source_customer_id) that can be trusted. Exact duplicate rows
    are merged; conflicting ones keep the latest updated_at (then the last row read) and the
    others go to quarantine. With no customers input, every customer id seen in the orders
    becomes a stub record so the build still has customers. -#}
{%- set has_customers = relation_has_rows(ref('stg_raw__customers')) %}
with customers as (
    select * from {{ ref('stg_raw__customers') }}
),

ranked as (
    select
        *,
        {{ customer_content_hash() }} as content_hash,
        row_number() over (
            partition by source_system, source_customer_id
            order by updated_at desc nulls last, source_row_id desc
        ) as record_rank
    from customers
    where row_issue is null
),

winners as (
    select * from ranked
    where record_rank = 1
)

{%- if has_customers %}

    select
        source_system || ':' || source_customer_id as customer_record_id,
        source_row_id,
        source_system,
        source_customer_id,
        first_name,
        last_name,
        email,
        email_match_key,
        phone_e164,
        phone_extension,
        street,
        city,
        postcode,
        state,
        country_iso2,
        birth_date,
        gender,
        signup_date,
        has_marketing_consent,
        updated_at,
        field_issues,
        false as is_stub_record
    from winners
{%- else %}
, order_customers as (
    select
        source_system,
        source_customer_id,
        min(source_row_id) as source_row_id
    from {{ ref('stg_raw__orders') }}
    where source_customer_id is not null
    group by source_system, source_customer_id
)

select
    source_system || ':' || source_customer_id as customer_record_id,
    source_row_id,
    source_system,
    source_customer_id,
    cast(null as varchar) as first_name,
    cast(null as varchar) as last_name,
    cast(null as varchar) as email,
    cast(null as varchar) as email_match_key,
    cast(null as varchar) as phone_e164,
    cast(null as varchar) as phone_extension,
    cast(null as varchar) as street,
    cast(null as varchar) as city,
    cast(null as varchar) as postcode,
    cast(null as varchar) as state,
    cast(null as varchar) as country_iso2,
    cast(null as date) as birth_date,
    cast(null as varchar) as gender,
    cast(null as date) as signup_date,
    cast(null as boolean) as has_marketing_consent,
    cast(null as timestamp) as updated_at,
    cast(null as varchar) as field_issues,
    true as is_stub_record
from order_customers
{%- endif %}
