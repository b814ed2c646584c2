{#- Every feature the rule whitelist (segment_rule_features) offers is a column of the mart it
    is read from, so a rule that compiles also runs. Fails with the missing features. -#}
{%- set relations = {'features': ref('customer_features'), 'rfm': ref('customer_rfm'),
    'engagement': ref('customer_engagement')} %}
{%- set missing = [] %}
{%- if execute %}
    {%- set available = {} %}
    {%- for source, relation in relations.items() %}
        {%- do available.update({source: adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list}) %}
    {%- endfor %}
    {%- for name, feature in segment_rule_features().items() %}
        {%- if name not in available[feature.source] %}
            {%- do missing.append(feature.source ~ '.' ~ name) %}
        {%- endif %}
    {%- endfor %}
{%- endif %}
{%- if missing %}
    {%- for name in missing %}
select '{{ name }}' as missing_feature{{ ' union all' if not loop.last }}
    {%- endfor %}
{%- else %}
select cast(null as varchar) as missing_feature
where false
{%- endif %}
