{#- One row per raw row (or unreadable CSV line) that could not be trusted. -#}
{%- set tables = ['customers', 'orders', 'events'] %}
with reasons as (
    select * from {{ ref('quarantine_reasons') }}
),

{% for t in tables %}
    {{ t }}_landed as (
        select * from {{ ref('base_raw__' ~ t) }}
    ),

    {{ t }}_quarantined as (
        select
            '{{ t }}' as source_table,
            outcomes.source_system,
            outcomes.source_row_id,
            {{ raw_record_json(t, t ~ '_landed') }} as raw_record,
            outcomes.issue_codes
        from {{ ref('int_' ~ t ~ ('__row_outcomes' if t == 'customers' else '__validated')) }} as outcomes
        inner join {{ t }}_landed
            on outcomes.source_row_id
                = {{ t }}_landed._source_file || '#' || cast({{ t }}_landed._source_row_number as varchar)
        where outcomes.outcome = 'quarantined'
    ),

{% endfor %}
csv_rejects as (
    select * from {{ ref('base_raw__csv_rejects') }}
),

unioned as (
    {%- for t in tables %}
        select * from {{ t }}_quarantined
        union all
    {%- endfor %}
    select
        source_table,
        cast(null as varchar) as source_system,
        source_file || ':line ' || cast(line as varchar) as source_row_id,
        csv_line as raw_record,
        reason_code as issue_codes
    from csv_rejects
),

ranked as (
    select
        unioned.*,
        (
            select reasons.reason_code
            from reasons
            where {{ text_contains("',' || unioned.issue_codes || ','", "',' || reasons.reason_code || ','") }}
            order by reasons.severity_rank
            limit 1
        ) as reason_code
    from unioned
),

final as (
    select
        ranked.source_table,
        ranked.source_system,
        ranked.source_row_id,
        ranked.raw_record,
        ranked.reason_code,
        reasons.reason,
        ranked.issue_codes,
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as timestamp) as detected_at
    from ranked
    left join reasons on ranked.reason_code = reasons.reason_code
)

select * from final
