{#- Standardization quality against the generator's truth (no rows on real data without
    truth): the share of records whose true email / phone / birth date / country we recover. -#}
{%- set truth = truth_relation('customer_records') %}
{%- if truth is none %}
    select
        cast(null as varchar) as metric_group,
        cast(null as varchar) as metric,
        cast(null as double) as value,
        cast(null as double) as floor_value,
        cast(null as varchar) as detail
    where false
{%- else %}
with records as (
    select * from {{ ref('int_customers__validated') }}
),

truth as (
    select * from {{ truth }}
),

joined as (
    select
        records.*,
        truth.true_email,
        truth.true_phone_e164,
        truth.true_birth_date,
        truth.true_country_iso2
    from records
    inner join truth
        on records.source_system = truth.source_system
        and records.source_customer_id = truth.source_customer_id
),

rates as (
    select
        avg(case when true_email is not null then
            case when email_match_key = {{ email_match_key('lower(true_email)') }} then 1.0 else 0.0 end end) as email_rate,
        avg(case when true_phone_e164 is not null then
            case when phone_e164 = true_phone_e164 then 1.0 else 0.0 end end) as phone_rate,
        avg(case when true_birth_date is not null then
            case when birth_date = cast(true_birth_date as date) then 1.0 else 0.0 end end) as birth_date_rate,
        avg(case when true_country_iso2 is not null then
            case when country_iso2 = true_country_iso2 then 1.0 else 0.0 end end) as country_rate,
        count(*) as records_compared
    from joined
),

final as (
    select 'standardization' as metric_group, 'email_recovered_rate' as metric, email_rate as value,
        {{ var('quality__floor_email_recovered', 0.9) }} as floor_value,
        'share of records with a true email whose email match key equals the truth' as detail
    from rates
    union all
    select 'standardization', 'phone_recovered_rate', phone_rate,
        {{ var('quality__floor_phone_recovered', 0.9) }},
        'share of records with a true phone whose E.164 phone equals the truth'
    from rates
    union all
    select 'standardization', 'birth_date_recovered_rate', birth_date_rate,
        {{ var('quality__floor_birth_date_recovered', 0.9) }},
        'share of records with a true birth date whose parsed birth date equals the truth'
    from rates
    union all
    select 'standardization', 'country_recovered_rate', country_rate,
        {{ var('quality__floor_country_recovered', 0.95) }},
        'share of records with a true country whose ISO-2 country equals the truth'
    from rates
    union all
    select 'standardization', 'records_compared', cast(records_compared as double), null,
        'validated customer records found in the truth table'
    from rates
)

select * from final
{%- endif %}
