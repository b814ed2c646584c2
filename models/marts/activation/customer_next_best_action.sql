{#- One row per customer_key: the single next best action. Rules come from the seed
    next_best_actions (conditions over customer_segments columns, compiled by nba_rules with
    the segment rule compiler); the satisfied rule with the lowest priority number wins, the
    default row (empty conditions) catches everyone else. Customers under an erasure
    request are left out. rules_version is a hash of the
    whole seed, so a changed rule gives a new version. -#}
{%- set rules = nba_rules(ref('next_best_actions')) %}
with segments as (
    select * from {{ ref('customer_segments') }}
),

actions as (
    select * from {{ ref('next_best_actions') }}
),

erased as (
    select target_value as customer_key
    from {{ ref('int_erasure__targets') }}
    where target_kind = 'customer_key'
),

rules_version as (
    select
        {{ dbt.hash(dbt.listagg(
            dbt.concat(['action_id', "'|'", 'action', "'|'", 'offer', "'|'", 'channel', "'|'",
                        'cast(priority as ' ~ dbt.type_string() ~ ')', "'|'", "coalesce(conditions, '')",
                        "'|'", "coalesce(description, '')"]),
            "'\\n'", 'order by action_id'
        )) }} as rules_version
    from actions
),

fired as (
    select
        customer_key,
        customer_pseudo_id,
        as_of_date,
        has_marketing_consent,
        {%- if rules | length > 0 %}
            case
                {%- for rule in rules %}
                    when coalesce({{ rule.condition_sql }}, false) then {{ rule.priority }}
                {%- endfor %}
            end as action_priority,
            0
            {%- for rule in rules if not rule.is_default %}
                + case when coalesce({{ rule.condition_sql }}, false) then 1 else 0 end
            {%- endfor %} as matched_rule_count
        {%- else %}
            cast(null as integer) as action_priority,
            0 as matched_rule_count
        {%- endif %}
    from segments
    where customer_key not in (select customer_key from erased)
),

final as (
    select
        fired.customer_key,
        fired.customer_pseudo_id,
        fired.as_of_date,
        actions.action_id,
        actions.action,
        actions.offer,
        actions.channel,
        cast(fired.action_priority as integer) as action_priority,
        actions.conditions is null as is_default_action,
        case
            when actions.conditions is null then 'default: no action rule matched'
            else 'rule ' || actions.action_id || ' (priority ' || cast(actions.priority as {{ dbt.type_string() }})
                || '): ' || coalesce(actions.description, '')
        end as reason,
        cast(fired.matched_rule_count as integer) as matched_rule_count,
        fired.has_marketing_consent,
        rules_version.rules_version
    from fired
    left join actions on fired.action_priority = actions.priority
    cross join rules_version
)

select * from final
