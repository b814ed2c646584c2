{#- One row per customer_key and declarative rule segment the customer satisfies. Rules are
    YAML (var segments__rules in dbt_project.yml), compiled by segment_rules() over the
    whitelisted features of customer_features, customer_rfm and customer_engagement; a
    condition on a NULL feature is not satisfied. -#}
{%- set rules = segment_rules() %}
{%- set features = segment_rule_features() %}
with customer_features as (
    select * from {{ ref('customer_features') }}
),

customer_rfm as (
    select * from {{ ref('customer_rfm') }}
),

customer_engagement as (
    select * from {{ ref('customer_engagement') }}
),

rule_base as (
    select
        customer_features.customer_key,
        {%- for name, feature in features.items() %}
        customer_{{ feature.source }}.{{ name }},
        {%- endfor %}
        customer_features.as_of_date
    from customer_features
    left join customer_rfm on customer_features.customer_key = customer_rfm.customer_key
    left join customer_engagement on customer_features.customer_key = customer_engagement.customer_key
),

flags as (
    select
        customer_key,
        {%- for rule in rules %}
        coalesce({{ rule.condition_sql }}, false) as matches_rule_{{ loop.index }},
        {%- endfor %}
        as_of_date
    from rule_base
),

memberships as (
    {%- for rule in rules %}
    {%- if not loop.first %}
    union all
    {%- endif %}
    select
        customer_key,
        {{ segments_string_literal(rule.name, 'rule name') }} as rule_name,
        {{ rule.priority }} as rule_priority,
        as_of_date
    from flags
    where matches_rule_{{ loop.index }}
    {%- else %}
    select
        customer_key,
        cast(null as {{ dbt.type_string() }}) as rule_name,
        0 as rule_priority,
        as_of_date
    from flags
    where false
    {%- endfor %}
),

final as (
    select
        customer_key,
        rule_name,
        cast(rule_priority as integer) as rule_priority,
        as_of_date
    from memberships
)

select * from final
