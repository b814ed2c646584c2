{#- The select of fct_events from the clean event rows of `source` (a relation or CTE name):
    the event key, the customer_key through the identity map (or, for an anonymous event, the
    login that identified its anonymous_id) and the event columns. -#}
{% macro fct_events_keyed(source, identity_map, anonymous_identity) %}
    select
        events.source_system || ':' || events.event_id as event_key,
        events.source_system,
        events.event_id,
        coalesce(direct.customer_key, stitched.customer_key) as customer_key,
        events.source_customer_id,
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
    from {{ source }} as events
    left join {{ identity_map }} as direct
        on events.source_system = direct.source_system
            and events.source_customer_id = direct.source_customer_id
    left join {{ anonymous_identity }} as anonymous_identity
        on events.source_customer_id is null
            and events.anonymous_id = anonymous_identity.anonymous_id
    left join {{ identity_map }} as stitched
        on anonymous_identity.source_system = stitched.source_system
            and anonymous_identity.source_customer_id = stitched.source_customer_id
{% endmacro %}
