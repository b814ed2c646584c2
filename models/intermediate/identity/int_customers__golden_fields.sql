{#- Survivorship: for each customer and field group, the source record that supplies the
    golden value, by the rule of seed survivorship_rules: most_frequent (the value most of
    the customer's records carry), source_priority (the first source in the rule's list),
    earliest (the smallest value), most_recent (latest updated_at). Every rule breaks ties
    by most recent, then source priority, then record id, so the choice is deterministic.
    Grouped fields (name, address, phone) come from one record together. Single-record
    customers take their own values without ranking (most customers: the cheap path).
    One row per (customer_key, field_group) that has at least one value. -#}
with clusters as (
    select * from {{ ref('int_customers__clusters') }}
),

records as (
    select * from {{ ref('int_customers__validated') }}
),

rules as (
    select * from {{ ref('survivorship_rules') }}
),

keyed_records as (
    select
        clusters.customer_key,
        clusters.cluster_record_count,
        records.*
    from records
    inner join clusters on records.customer_record_id = clusters.customer_record_id
),

field_values as (
    {%- set groups = {
        'name': "coalesce(first_name, '') || '|' || coalesce(last_name, '')",
        'email': 'email',
        'phone': "phone_e164 || coalesce(' x' || phone_extension, '')",
        'address': "coalesce(street, '') || '|' || coalesce(postcode, '') || '|'
            || coalesce(city, '') || '|' || coalesce(state, '') || '|'
            || coalesce(country_iso2, '')",
        'birth_date': 'cast(birth_date as ' ~ dbt.type_string() ~ ')',
        'gender': 'gender',
        'signup_date': 'cast(signup_date as ' ~ dbt.type_string() ~ ')',
        'marketing_consent': 'cast(has_marketing_consent as ' ~ dbt.type_string() ~ ')'} %}
    {%- set present = {
        'name': 'first_name is not null or last_name is not null',
        'address': 'coalesce(street, postcode, city) is not null'} %}
    {%- for group, value_sql in groups.items() %}
        select
            customer_key,
            cluster_record_count,
            customer_record_id,
            source_system,
            updated_at,
            '{{ group }}' as field_group,
            {{ value_sql }} as value_text
        from keyed_records
        where {{ present.get(group, value_sql ~ ' is not null') }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

ranked as (
    select
        field_values.*,
        rules.survivorship_rule,
        count(*) over (
            partition by
                field_values.customer_key, field_values.field_group, field_values.value_text
        ) as value_record_count,
        count(*) over (
            partition by field_values.customer_key, field_values.field_group
        ) as candidate_record_count,
        coalesce(nullif({{ dbt.position(
            "'|' || field_values.source_system || '|'", "'|' || rules.source_priority || '|'"
        ) }}, 0), 9999) as source_rank
    from field_values
    left join rules on field_values.field_group = rules.field_group
    where field_values.cluster_record_count > 1
),

sort_keys as (
    select
        *,
        case when survivorship_rule = 'most_frequent' then value_record_count end as frequency_key,
        case when survivorship_rule = 'source_priority' then source_rank end as priority_key,
        case when survivorship_rule = 'earliest' then value_text end as earliest_key
    from ranked
),

chosen as (
    select
        *,
        row_number() over (
            partition by customer_key, field_group
            order by
                frequency_key desc nulls last,
                priority_key asc nulls last,
                earliest_key asc nulls last,
                updated_at desc nulls last,
                source_rank asc,
                customer_record_id asc
        ) as choice_rank
    from sort_keys
),

single_record_values as (
    select
        field_values.customer_key,
        field_values.field_group,
        coalesce(rules.survivorship_rule, 'most_recent') as survivorship_rule,
        field_values.customer_record_id as source_record_id,
        field_values.source_system,
        1 as value_record_count,
        1 as candidate_record_count
    from field_values
    left join rules on field_values.field_group = rules.field_group
    where field_values.cluster_record_count = 1
),

final as (
    select
        customer_key,
        field_group,
        coalesce(survivorship_rule, 'most_recent') as survivorship_rule,
        customer_record_id as source_record_id,
        source_system,
        value_record_count,
        candidate_record_count
    from chosen
    where choice_rank = 1
    union all
    select * from single_record_values
)

select * from final
