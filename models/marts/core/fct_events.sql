{#- Incremental (docs/refresh.md): a refresh rewrites only events whose clean row is new or
    gone (a newer version won) or whose customer_key changed (identity map, or an anonymous_id
    identified by a later login); the post-hook drops events that have no clean row any more.
    The result equals a full build. -#}
{{ config(
    materialized='incremental',
    unique_key='event_key',
    on_schema_change='fail',
    post_hook="{{ incremental_delete_missing('source_row_id', ref('int_events__validated'), \"outcome = 'clean'\") }}"
) }}
with events as (
    select * from {{ ref('int_events__validated') }}
    where outcome = 'clean'
),

identity_map as (
    select * from {{ ref('customer_identity_map') }}
),

anonymous_identity as (
    select * from {{ ref('int_events__anonymous_identity') }}
),

keyed as (
    select
        events.source_system || ':' || events.event_id as event_key,
        events.source_system,
        events.event_id,
        coalesce(direct.customer_key, stitched.customer_key) as customer_key,
        events.source_customer_id is null and stitched.customer_key is not null as is_stitched,
        events.source_customer_id is null as is_anonymous,
        events.anonymous_id,
        events.session_id,
        events.event_type,
        events.occurred_at,
        events.occurred_date,
        events.product_id,
        events.product_category,
        events.page_url,
        events.device,
        events.channel,
        events.source_row_id
    from events
    left join identity_map as direct
        on events.source_system = direct.source_system
            and events.source_customer_id = direct.source_customer_id
    left join anonymous_identity
        on events.source_customer_id is null
            and events.anonymous_id = anonymous_identity.anonymous_id
    left join identity_map as stitched
        on anonymous_identity.source_system = stitched.source_system
            and anonymous_identity.source_customer_id = stitched.source_customer_id
),
{%- if is_incremental() %}

    changed as (
        select keyed.event_key from keyed
        left join {{ this }} as stored
            on keyed.event_key = stored.event_key
        where stored.event_key is null
            or stored.source_row_id != keyed.source_row_id
            or stored.customer_key is distinct from keyed.customer_key
            or stored.is_stitched != keyed.is_stitched
    ),

    final as (
        select keyed.* from keyed
        where keyed.event_key in (select changed.event_key from changed)
    )
{%- else %}

    final as (
        select * from keyed
    )
{%- endif %}

select * from final
