{{ config(
    materialized=('external' if target.type == 'duckdb' else 'table'),
    location=activation_export_location('manifest', 'csv'),
    format='csv'
) }}
{#- One row per audience export of this build: destination, file, format, row count and
    the rules version, so a loader can check a file before it uploads it. -#}
{%- set exports = [
    {'name': 'audience_email', 'destination': 'email_tool'},
    {'name': 'audience_ads', 'destination': 'ad_platforms'},
] %}
with
{%- for e in exports %}
    {{ e.name }}_count as (
        select
            '{{ e.name }}' as export_name,
            '{{ e.destination }}' as destination,
            {{ sql_string_literal(activation_export_location(e.name, 'csv')) }} as file_path,
            'csv' as file_format,
            count(*) as row_count
        from {{ ref(e.name) }}
    ),
{%- endfor %}

rules as (
    select
        max(rules_version) as rules_version,
        max(as_of_date) as as_of_date
    from {{ ref('customer_next_best_action') }}
),

counts as (
    {%- for e in exports %}
        select * from {{ e.name }}_count
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

final as (
    select
        counts.export_name,
        counts.destination,
        counts.file_path,
        counts.file_format,
        cast(counts.row_count as bigint) as row_count,
        {{ csv_safe('rules.rules_version') }} as rules_version,
        rules.as_of_date
    from counts
    cross join rules
)

select * from final
order by export_name
