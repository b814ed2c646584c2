{#- Every feature the rule whitelist (segment_rule_features) offers is a column of the mart it
    is read from, so a rule that compiles also runs. Fails with the missing features. -#}
{%- set relations = {'features': ref('customer_features'), 'rfm': ref('customer_rfm'),
    'engagement': ref('customer_engagement')} %}
{%- set missing = [] %}
{%- if execute %}
    {%- set available = {} %}
    {%- for source, relation in relations.items() %}
        {%- set names = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list %}
        {%- do available.update({source: names}) %}
    {%- endfor %}
    {%- for name, feature in segment_rule_features().items() %}
        {%- if name not in available[feature.source] %}
            {%- do missing.append(feature.source ~ '.' ~ name) %}
        {%- endif %}
    {%- endfor %}
{%- endif %}
with found as (
    {%- for name in missing %}
    {%- if not loop.first %}
    union all
    {%- endif %}
    select '{{ name }}' as missing_feature
    {%- else %}
    select cast(null as varchar) as missing_feature
    where false
    {%- endfor %}
)

select missing_feature from found
