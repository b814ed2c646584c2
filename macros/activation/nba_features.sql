{#- The whitelist of customer_segments columns a next-best-action rule may test:
    name -> {type}. Rules are compiled by the segment rule compiler
    (compile_segment_condition), so only these names and its operators reach SQL. -#}
{% macro nba_features() %}
    {%- set out = {} -%}
    {%- for name in ['r_score', 'f_score', 'm_score', 'recency_days', 'frequency', 'monetary_amount',
                     'sessions_30d', 'engagement_score', 'days_since_last_activity', 'cluster_id',
                     'outlier_votes', 'churn_probability', 'purchase_30d_probability',
                     'expected_purchases', 'p_alive', 'expected_value_amount', 'rule_segment_count'] -%}
        {%- do out.update({name: {'type': 'number'}}) -%}
    {%- endfor -%}
    {%- for name in ['rfm_segment', 'rfm_code', 'primary_segment', 'cluster_name', 'churn_risk_band',
                     'engagement_level', 'country_iso2', 'age_band', 'gender'] -%}
        {%- do out.update({name: {'type': 'text'}}) -%}
    {%- endfor -%}
    {%- for name in ['is_outlier', 'has_marketing_consent', 'has_orders', 'has_events', 'is_bot_suspect'] -%}
        {%- do out.update({name: {'type': 'boolean'}}) -%}
    {%- endfor -%}
    {{ return(out) }}
{% endmacro %}
