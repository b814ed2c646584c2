{{ config(
    materialized='table',
    post_hook=["{{ privacy_apply_erasure(this) }}"]
) }}
{#- Who is erased in this build, decided BEFORE anything reads the staged data (every model
    that reads a stg_raw__ view depends on this one), so no validation, identity, feature,
    model, mart, export or quality metric of the build sees the erased people
    (docs/privacy.md, "Erasure").
    A person is every staged customer record that
      - matches a request (all requests ever: this build's file + the erasure_log of earlier
        builds) by the keyed hash of the e-mail match key or of the source id, or
      - is in the erasure registry (records erased by earlier builds), or
      - shares the e-mail match key with such a record (identity links those exactly), or
      - was in the same identity cluster in the last build's customer_identity_map.
    Re-admission (bad-input class 50): a record that has a customer row saying
    marketing consent yes with updated_at after the request is re-admitted from that consent
    on: its rows dated at or after the consent stay, everything before stays erased.
    Rows: the source_row_id of every suppressed raw customer / order / event row (and of the
    anonymous events sharing an anonymous_id with them), the customer_record_id of every
    fully suppressed record, and the customer_key / customer_pseudo_id those records had in
    the last identity map. The post-hook deletes them from every table right away (landing,
    incremental intermediates, facts, history), and the on-run-end hook empties this table,
    so the identifiers are not kept after the build. -#}
{%- set previous_log = privacy_existing_relation('erasure_log') %}
{%- set registry = privacy_existing_relation('int_erasure__registry') %}
{%- set previous_map = privacy_existing_relation('customer_identity_map') %}
{#- no request ever (the usual build): an empty scope without hashing every record -#}
{%- set has_requests = true %}
{%- set landed_requests = load_relation(ref('base_raw__erasure_requests')) if execute and flags.INTROSPECT else none %}
{%- if landed_requests is not none %}
    {%- set counted = run_query(
        'select count(*) from ' ~ landed_requests
        ~ (' union all select count(*) from ' ~ previous_log if previous_log is not none else '')
        ~ (' union all select count(*) from ' ~ registry if registry is not none else '')) %}
    {%- set total = namespace(n=0) %}
    {%- for row in counted.rows %}{% set total.n = total.n + row[0] %}{% endfor %}
    {%- set has_requests = total.n > 0 %}
{%- endif %}
{#- a constant filter: false prunes every scan below when nobody is to be erased -#}
{%- set active = 'true' if has_requests else 'false' %}
with requests as (
    select
        request_id,
        coalesce(
            cast(requested_at as timestamp),
            cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as timestamp)
        ) as requested_at,
        email_hmac,
        source_system,
        source_customer_id_hmac
    from {{ ref('base_raw__erasure_requests') }}
    {%- if previous_log is not none %}
        union all
        select
            request_id,
            coalesce(requested_at, processed_at) as requested_at,
            email_hmac,
            source_system,
            source_customer_id_hmac
        from {{ previous_log }}
    {%- endif %}
),

customers as (
    select
        source_row_id,
        source_system,
        source_customer_id,
        source_system || ':' || source_customer_id as customer_record_id,
        email_match_key,
        has_marketing_consent,
        updated_at
    from {{ ref('stg_raw__customers') }}
    where source_customer_id is not null and {{ active }}
),

record_hashes as (
    select distinct
        customer_record_id,
        source_system,
        {{ privacy_hmac('email_match_key') }} as email_hmac,
        {{ privacy_hmac('source_customer_id') }} as source_customer_id_hmac,
        {{ privacy_hmac('customer_record_id') }} as record_hmac
    from customers
),

-- two equi-joins, not one join on "a or b" (that would compare every pair at scale)
direct_matches as (
    select
        record_hashes.customer_record_id,
        requests.request_id,
        requests.requested_at
    from record_hashes
    inner join requests on record_hashes.email_hmac = requests.email_hmac
    union all
    select
        record_hashes.customer_record_id,
        requests.request_id,
        requests.requested_at
    from record_hashes
    inner join requests
        on record_hashes.source_customer_id_hmac = requests.source_customer_id_hmac
            and coalesce(requests.source_system, record_hashes.source_system) = record_hashes.source_system
    {%- if registry is not none %}
        union all
        select
            record_hashes.customer_record_id,
            registry.request_id,
            registry.requested_at
        from record_hashes
        inner join {{ registry }} as registry on record_hashes.record_hmac = registry.record_hmac
    {%- endif %}
),

matched_email_keys as (
    select distinct
        customers.email_match_key,
        direct_matches.request_id,
        direct_matches.requested_at
    from customers
    inner join direct_matches on customers.customer_record_id = direct_matches.customer_record_id
    where customers.email_match_key is not null
),

seed_matches as (
    select * from direct_matches
    union distinct
    select
        customers.customer_record_id,
        matched_email_keys.request_id,
        matched_email_keys.requested_at
    from customers
    inner join matched_email_keys on customers.email_match_key = matched_email_keys.email_match_key
),

{% if previous_map is not none %}
    previous_keys as (
        select distinct
            previous_map.customer_key,
            seed_matches.request_id,
            seed_matches.requested_at
        from {{ previous_map }} as previous_map
        inner join seed_matches on previous_map.customer_record_id = seed_matches.customer_record_id
        -- a record re-admitted by a newer consent (class 50) does not pull in its new cluster
        where not exists (
            select 1 from customers
            where customers.customer_record_id = seed_matches.customer_record_id
                and customers.has_marketing_consent
                and customers.updated_at > seed_matches.requested_at
        )
    ),

    matches as (
        select * from seed_matches
        union distinct
        select
            previous_map.customer_record_id,
            previous_keys.request_id,
            previous_keys.requested_at
        from {{ previous_map }} as previous_map
        inner join previous_keys on previous_map.customer_key = previous_keys.customer_key
    ),

{% else %}
    previous_keys as (
        select
            cast(null as {{ dbt.type_string() }}) as customer_key,
            cast(null as {{ dbt.type_string() }}) as request_id,
            cast(null as timestamp) as requested_at
        where 1 = 0
    ),

    matches as (
        select * from seed_matches
    ),

{% endif %}

records as (
    select
        customer_record_id,
        min(requested_at) as requested_at
    from matches
    group by customer_record_id
),

-- class 50: a consent given after the request re-admits the record from that consent on
readmitted as (
    select
        records.customer_record_id,
        min(customers.updated_at) as readmitted_from
    from records
    inner join customers on records.customer_record_id = customers.customer_record_id
    where customers.has_marketing_consent and customers.updated_at > records.requested_at
    group by records.customer_record_id
),

suppressed_records as (
    select
        records.customer_record_id,
        records.requested_at,
        readmitted.readmitted_from,
        readmitted.customer_record_id is not null as is_readmitted
    from records
    left join readmitted on records.customer_record_id = readmitted.customer_record_id
),

customer_rows as (
    select customers.source_row_id
    from customers
    inner join suppressed_records on customers.customer_record_id = suppressed_records.customer_record_id
    where not suppressed_records.is_readmitted
        or not coalesce(customers.updated_at >= suppressed_records.readmitted_from, false)
),

order_rows as (
    select orders.source_row_id
    from {{ ref('stg_raw__orders') }} as orders
    inner join suppressed_records
        on orders.source_system || ':' || orders.source_customer_id = suppressed_records.customer_record_id
    where
        {{ active }}
        and (
            not suppressed_records.is_readmitted
            or not coalesce(orders.ordered_at >= suppressed_records.readmitted_from, false)
        )
),

events as (
    select * from {{ ref('stg_raw__events') }}
    where {{ active }}
),

identified_event_rows as (
    select
        events.source_row_id,
        events.anonymous_id
    from events
    inner join suppressed_records
        on events.source_system || ':' || events.source_customer_id = suppressed_records.customer_record_id
    where not suppressed_records.is_readmitted
        or not coalesce(events.occurred_at >= suppressed_records.readmitted_from, false)
),

person_browsers as (
    select distinct anonymous_id from identified_event_rows
    where anonymous_id is not null
),

-- anonymous events of the same browser (anonymous_id) would be stitched to the person
event_rows as (
    select source_row_id from identified_event_rows
    union distinct
    select events.source_row_id
    from events
    inner join person_browsers on events.anonymous_id = person_browsers.anonymous_id
    where events.source_customer_id is null
),

request_of_record as (
    select
        customer_record_id,
        min(request_id) as request_id
    from matches
    group by customer_record_id
),

final as (
    {%- for t, rows in [('customers', 'customer_rows'), ('orders', 'order_rows'), ('events', 'event_rows')] %}
        select
            '{{ t }}' as source_table,
            'source_row_id' as target_kind,
            source_row_id as target_value,
            cast(null as {{ dbt.type_string() }}) as request_id
        from {{ rows }}
        union all
    {%- endfor %}
    select
        cast(null as {{ dbt.type_string() }}) as source_table,
        'customer_record_id' as target_kind,
        suppressed_records.customer_record_id as target_value,
        request_of_record.request_id
    from suppressed_records
    inner join request_of_record on suppressed_records.customer_record_id = request_of_record.customer_record_id
    where not suppressed_records.is_readmitted
    union all
    select distinct
        cast(null as {{ dbt.type_string() }}) as source_table,
        'customer_key' as target_kind,
        customer_key as target_value,
        request_id
    from previous_keys
    union all
    select distinct
        cast(null as {{ dbt.type_string() }}) as source_table,
        'customer_pseudo_id' as target_kind,
        {{ privacy_hmac('customer_key') }} as target_value,
        request_id
    from previous_keys
)

select * from final
