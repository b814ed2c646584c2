{#- The whitelist of features a segment rule may test: name -> {type, source}. `type` is
    number, text or boolean (it decides which operators and values are allowed); `source`
    is the relation the column is read from in customer_rule_segments: features
    (customer_features), rfm (customer_rfm) or engagement (customer_engagement). A feature
    in more than one mart is read from the first. Nothing outside this list reaches SQL. -#}
{% macro segment_rule_features() %}
    {%- set out = {} -%}
    {%- set numbers = {
        'features': ['age_years', 'recency_days', 'frequency', 'monetary_amount', 'monetary_total_amount',
                     'avg_order_value_amount', 'tenure_days', 'category_count', 'refund_share',
                     'orders_30d', 'orders_90d', 'orders_365d', 'revenue_90d_amount', 'max_orders_per_day',
                     'avg_days_between_orders', 'sessions_7d', 'sessions_30d', 'sessions_90d',
                     'product_views_30d', 'product_views_90d', 'add_to_carts_30d', 'purchases_30d',
                     'cart_abandonment_rate', 'email_opens_90d', 'email_clicks_90d', 'active_days_30d',
                     'active_days_90d', 'days_since_last_event', 'days_since_last_activity',
                     'mobile_share', 'app_share', 'events_per_active_day', 'max_product_views_10m_30d',
                     'max_events_1m_90d', 'max_abandoned_cart_adds_30d', 'engagement_score',
                     'source_count'],
        'rfm': ['r_score', 'f_score', 'm_score'],
        'engagement': ['desktop_share', 'tablet_share', 'web_share', 'email_share',
                       'max_events_hour_90d', 'avg_session_minutes_90d'],
    } -%}
    {%- set texts = {
        'features': ['country_iso2', 'city', 'gender', 'age_band', 'favourite_category'],
        'rfm': ['rfm_code', 'rfm_segment'],
        'engagement': ['engagement_level'],
    } -%}
    {%- set booleans = {
        'features': ['has_marketing_consent', 'has_orders', 'has_events'],
        'engagement': ['is_bot_suspect'],
    } -%}
    {%- for type_name, groups in [('number', numbers), ('text', texts), ('boolean', booleans)] -%}
        {%- for source in ['features', 'rfm', 'engagement'] -%}
            {%- for name in groups.get(source, []) if name not in out -%}
                {%- do out.update({name: {'type': type_name, 'source': source}}) -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endfor -%}
    {#- every windowed event metric of customer_engagement (docs/segments.md) -#}
    {%- set spec = segments_event_window_metrics() -%}
    {%- for w in spec['windows'] -%}
        {%- for m in (spec['event_types'].keys() | list) + spec['other'] -%}
            {%- set name = m ~ '_' ~ w ~ 'd' -%}
            {%- if name not in out -%}
                {%- do out.update({name: {'type': 'number', 'source': 'engagement'}}) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(out) }}
{% endmacro %}
