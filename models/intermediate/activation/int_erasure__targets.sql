{{ config(materialized='view') }}
{#- Everything that identifies a person under an erasure request, one row per
    (target_kind, target_value): customer_key, customer_pseudo_id, customer_record_id and
    the source_row_id of every raw customer, order and event row of the person's records and
    of the anonymous events stitched to the person.
    A request (erasure_log, all requests ever) matches records by the keyed hash of the
    e-mail match key or of the source id; the person is the whole identity cluster of a
    matched record, so duplicates in other systems go too. A view, so the identifiers of
    erased people are never stored: exports and activation models filter on it, and the
    on-run-end hook privacy_apply_erasure deletes by it everywhere (docs/privacy.md). -#}
with requests as (
    select * from {{ ref('erasure_log') }}
),

pseudonyms as (
    select * from {{ ref('int_customers__pseudonyms') }}
),

identity_map as (
    select * from {{ ref('customer_identity_map') }}
),

matched_records as (
    select distinct pseudonyms.customer_record_id
    from requests
    inner join pseudonyms
        on requests.email_hmac = pseudonyms.email_hmac
            or (
                requests.source_customer_id_hmac = pseudonyms.source_customer_id_hmac
                and coalesce(requests.source_system, pseudonyms.source_system) = pseudonyms.source_system
            )
),

erased_keys as (
    select distinct identity_map.customer_key
    from identity_map
    inner join matched_records on identity_map.customer_record_id = matched_records.customer_record_id
),

erased_records as (
    select
        identity_map.customer_record_id,
        identity_map.source_system,
        identity_map.source_customer_id
    from identity_map
    inner join erased_keys on identity_map.customer_key = erased_keys.customer_key
    union
    select
        pseudonyms.customer_record_id,
        pseudonyms.source_system,
        cast(null as {{ dbt.type_string() }}) as source_customer_id
    from pseudonyms
    inner join matched_records on pseudonyms.customer_record_id = matched_records.customer_record_id
),

erased_rows as (
    {#- the staging views, not the validated tables: those are incremental, and rows erased
        in an earlier build are no longer in them while the landing tables have them again -#}
    {%- for t in ['customers', 'orders', 'events'] %}
        select {{ t }}_rows.source_row_id
        from {{ ref('stg_raw__' ~ t) }} as {{ t }}_rows
        inner join erased_records
            on {{ t }}_rows.source_system = erased_records.source_system
                and {{ t }}_rows.source_customer_id = erased_records.source_customer_id
        union all
    {%- endfor %}
    -- anonymous events stitched to the person carry no customer id of theirs
    select stitched_events.source_row_id
    from {{ ref('fct_events') }} as stitched_events
    inner join erased_keys on stitched_events.customer_key = erased_keys.customer_key
),

final as (
    select
        'customer_key' as target_kind,
        customer_key as target_value
    from erased_keys
    union all
    select
        'customer_pseudo_id' as target_kind,
        {{ privacy_hmac('customer_key') }} as target_value
    from erased_keys
    union all
    select distinct
        'customer_record_id' as target_kind,
        customer_record_id as target_value
    from erased_records
    union all
    select distinct
        'source_row_id' as target_kind,
        source_row_id as target_value
    from erased_rows
)

select * from final
