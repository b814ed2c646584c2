{#- A select of one column metrics_json (a JSON object as text) with the headline numbers of
    a Python model's output, read from its relation. Models without an entry get row_count.
    An entry with a third element 'text' is a quoted string (selected_as_of: the day the
    stored selection was made, older than the run's as_of_date when a refresh kept it). -#}
{% macro history_model_metrics(name, relation) %}
    {%- set metrics = {
        'customer_clusters': [
            ('row_count', 'count(*)'),
            ('cluster_count', 'count(distinct case when cluster_id >= 0 then cluster_id end)'),
            ('noise_count', 'sum(case when cluster_id < 0 then 1 else 0 end)'),
            ('mean_distance_to_centroid', 'avg(distance_to_centroid)'),
        ],
        'cluster_model_selection': [
            ('chosen_k', 'max(case when is_chosen then k end)'),
            ('chosen_silhouette', 'max(case when is_chosen then silhouette end)'),
            ('bootstrap_ari_mean', 'max(bootstrap_ari_mean)'),
            ('selected_as_of', 'max(selected_as_of)', 'text'),
        ],
        'customer_outliers': [
            ('row_count', 'count(*)'),
            ('outlier_count', 'sum(case when is_outlier then 1 else 0 end)'),
        ],
        'customer_churn_scores': [
            ('row_count', 'count(*)'),
            ('mean_churn_probability', 'avg(churn_probability)'),
            ('high_risk_count', "sum(case when churn_risk_band = 'high' then 1 else 0 end)"),
        ],
        'model_metrics': [
            ('churn_holdout_roc_auc', "max(case when target = 'churn' and metric = 'roc_auc' and split = 'holdout' then value end)"),
            ('purchase_30d_holdout_roc_auc', "max(case when target = 'purchase_30d' and metric = 'roc_auc' and split = 'holdout' then value end)"),
            ('selected_as_of', 'max(selected_as_of)', 'text'),
        ],
        'customer_clv': [
            ('row_count', 'count(*)'),
            ('mean_expected_value_amount', 'avg(expected_value_amount)'),
            ('mean_p_alive', 'avg(p_alive)'),
        ],
    } %}
    {%- set pairs = metrics.get(name, [('row_count', 'count(*)')]) %}
    {%- set parts = ["'{'"] %}
    {%- for entry in pairs %}
        {%- set key, expr = entry[0], entry[1] %}
        {%- do parts.append("'" ~ ('' if loop.first else ', ') ~ '"' ~ key ~ '": ' ~ "'") %}
        {%- if entry | length > 2 and entry[2] == 'text' %}
            {%- do parts.append("coalesce('\"' || cast(" ~ expr ~ " as " ~ dbt.type_string() ~ ") || '\"', 'null')") %}
        {%- else %}
            {%- do parts.append("coalesce(cast(round(cast(" ~ expr ~ " as " ~ dbt.type_float() ~ "), 6) as "
                ~ dbt.type_string() ~ "), 'null')") %}
        {%- endif %}
    {%- endfor %}
    {%- do parts.append("'}'") %}
    select {{ dbt.concat(parts) }} as metrics_json from {{ relation }}
{% endmacro %}
