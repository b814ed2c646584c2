{{ config(
    materialized=('external' if target.type == 'duckdb' else 'table'),
    location=activation_export_location('audience_email', 'csv'),
    format='csv'
) }}
{#- Audience file for the e-mail tool: one row per contactable customer whose next best
    action goes out by e-mail. No clear address: the tool matches its contacts on the
    pseudonymous id or on the SHA-256 of the normalized (trimmed, lower-case) e-mail. Text from
    the rules is csv_safe (a leading = + - @ gets a quote: CSV formula injection). -#}
with audience as (
    select * from {{ ref('int_activation__audience') }}
),

final as (
    select
        customer_pseudo_id,
        {{ activation_sha256('lower(trim(email))') }} as email_sha256,
        {{ csv_safe('action_id') }} as action_id,
        {{ csv_safe('offer') }} as offer,
        {{ csv_safe('rules_version') }} as rules_version,
        as_of_date
    from audience
    where channel = 'email'
)

select * from final
order by customer_pseudo_id
