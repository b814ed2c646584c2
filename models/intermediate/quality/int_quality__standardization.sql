-- depends_on: {{ ref('int_customers__validated') }}
-- depends_on: {{ ref('base_raw__customers') }}
{#- Standardization quality against the generator's truth (no rows on real data without
    truth): among records whose raw field is present (not empty / NULL-like), the share whose
    standardized value equals the true one. A raw value the generator deliberately corrupted
    (a typo'd email, a bad phone) counts as not recovered, so the rates sit below 1. -#}
{%- set truth = truth_relation('customer_records') %}
{%- if truth is none %}
    {{ empty_quality_metrics() }}
{%- else %}
with records as (
    select * from {{ ref('int_customers__validated') }}
),

landed as (
    select
        _source_file || '#' || cast(_source_row_number as varchar) as source_row_id,
        {{ clean_text('email') }} is not null as has_raw_email,
        {{ clean_text('phone') }} is not null as has_raw_phone,
        {{ clean_text('birth_date') }} is not null as has_raw_birth_date,
        {{ clean_text('country') }} is not null as has_raw_country
    from {{ ref('base_raw__customers') }}
),

truth as (
    select * from {{ truth }}
),

joined as (
    select
        records.*,
        landed.has_raw_email,
        landed.has_raw_phone,
        landed.has_raw_birth_date,
        landed.has_raw_country,
        truth.true_email,
        truth.true_phone_e164,
        truth.true_birth_date,
        truth.true_country_iso2
    from records
    inner join landed on records.source_row_id = landed.source_row_id
    inner join truth
        on records.source_system = truth.source_system
        and records.source_customer_id = truth.source_customer_id
),

rates as (
    select
        avg(case when true_email is not null and has_raw_email then
            case when email_match_key = {{ email_match_key('lower(true_email)') }} then 1.0 else 0.0 end end) as email_rate,
        avg(case when true_phone_e164 is not null and has_raw_phone then
            case when phone_e164 = true_phone_e164 then 1.0 else 0.0 end end) as phone_rate,
        avg(case when true_birth_date is not null and has_raw_birth_date then
            case when birth_date = cast(true_birth_date as date) then 1.0 else 0.0 end end) as birth_date_rate,
        avg(case when true_country_iso2 is not null and has_raw_country then
            case when country_iso2 = true_country_iso2 then 1.0 else 0.0 end end) as country_rate,
        count(*) as records_compared
    from joined
),

final as (
    select 'standardization' as metric_group, 'email_recovered_rate' as metric, email_rate as value,
        {{ var('quality__floor_email_recovered', 0.95) }} as floor_value,
        'records with a raw and a true email: share whose email match key equals the truth' as detail
    from rates
    union all
    select 'standardization', 'phone_recovered_rate', phone_rate,
        {{ var('quality__floor_phone_recovered', 0.95) }},
        'records with a raw and a true phone: share whose E.164 phone equals the truth'
    from rates
    union all
    select 'standardization', 'birth_date_recovered_rate', birth_date_rate,
        {{ var('quality__floor_birth_date_recovered', 0.95) }},
        'records with a raw and a true birth date: share whose parsed birth date equals the truth'
    from rates
    union all
    select 'standardization', 'country_recovered_rate', country_rate,
        {{ var('quality__floor_country_recovered', 0.98) }},
        'records with a raw and a true country: share whose ISO-2 country equals the truth'
    from rates
    union all
    select 'standardization', 'records_compared', cast(records_compared as double), null,
        'validated customer records found in the truth table'
    from rates
)

select * from final
{%- endif %}
