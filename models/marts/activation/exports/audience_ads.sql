{{ config(
    materialized=('external' if target.type == 'duckdb' else 'table'),
    location=activation_export_location('audience_ads', 'csv'),
    format='csv'
) }}
{#- Customer-match audience file for ad platforms: one row per contactable customer whose
    next best action runs in paid media, identified the way Google Customer Match and Meta
    custom audiences expect: SHA-256 hex of the normalized e-mail (trimmed, lower-case) and
    of the phone in E.164 (with '+'). Customers with neither are left out. Text from the rules
    is csv_safe (CSV formula injection). -#}
with audience as (
    select * from {{ ref('int_activation__audience') }}
),

final as (
    select
        {{ activation_sha256('lower(trim(email))') }} as email_sha256,
        {{ activation_sha256('phone_e164') }} as phone_sha256,
        {{ csv_safe('action_id') }} as audience_name,
        {{ csv_safe('rules_version') }} as rules_version,
        as_of_date
    from audience
    where channel = 'ads'
        and (email is not null or phone_e164 is not null)
)

select * from final
order by email_sha256, phone_sha256
