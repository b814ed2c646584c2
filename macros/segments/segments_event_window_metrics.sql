{#- The event metrics counted per day window in int_events__customer_features and
    customer_engagement, and the windows (days, ending on and including the as-of date).
    One place, so the aggregation, the mart and the rule whitelist cannot drift apart.
    Returns {'windows': [7, 30, 90], 'metrics': {metric: event_type or none}}; a metric
    without an event type is computed from sessions or days, not by event type. -#}
{% macro segments_event_window_metrics() %}
    {{ return({
        'windows': [7, 30, 90],
        'event_types': {
            'page_views': 'page_view',
            'product_views': 'product_view',
            'add_to_carts': 'add_to_cart',
            'remove_from_carts': 'remove_from_cart',
            'checkouts': 'checkout',
            'purchases': 'purchase',
            'searches': 'search',
            'logins': 'login',
            'email_opens': 'email_open',
            'email_clicks': 'email_click',
        },
        'other': ['events', 'active_days', 'sessions', 'cart_sessions', 'abandoned_cart_sessions',
                  'cart_abandonment_rate'],
    }) }}
{% endmacro %}
