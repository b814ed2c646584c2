{#- Incremental (docs/refresh.md): raw files are immutable and a new day arrives as new part
    files, so a refresh stages only the rows of landed files not staged yet. A changed
    file, mapping seed or source setting needs `dbt build --full-refresh`. -#}
{{ config(materialized='incremental', unique_key='source_row_id', on_schema_change='fail') }}
{{- incremental_check_staged_files(ref('base_raw__events')) }}
with source as (
    select * from {{ ref('base_raw__events') }}
    {{- incremental_unstaged_landed_rows(ref('base_raw__events')) }}
),

event_types as (
    select * from {{ ref('event_type_aliases') }}
),

category_aliases as (
    select * from {{ ref('category_aliases') }}
),

cleaned as (
    select
        _source_file || '#' || cast(_source_row_number as varchar) as source_row_id,
        coalesce(lower({{ clean_text('source_system') }}), {{ sql_string_literal(var('raw__default_source_system')) }})
            as source_system,
        {{ clean_text('event_id') }} as event_id_text,
        {{ clean_text('source_customer_id') }} as source_customer_id,
        {{ clean_text('anonymous_id') }} as anonymous_id,
        {{ clean_text('session_id') }} as session_id,
        upper({{ clean_text('event_type') }}) as event_type_text,
        {{ clean_text('occurred_at') }} as occurred_at_text,
        {{ clean_text('product_id') }} as product_id,
        upper({{ clean_text('product_category') }}) as category_text,
        {{ clean_text('page_url') }} as page_url,
        lower({{ clean_text('device') }}) as device,
        lower({{ clean_text('channel') }}) as channel
    from source
),

parsed as (
    select
        cleaned.*,
        coalesce(cleaned.event_id_text, 'row:' || cleaned.source_row_id) as event_id,
        {{ parse_timestamp('occurred_at_text', 'source_system') }} as occurred_at
    from cleaned
),

final as (
    select
        parsed.source_row_id,
        parsed.source_system,
        parsed.event_id,
        parsed.event_id_text is null as is_generated_event_id,
        parsed.source_customer_id,
        parsed.anonymous_id,
        parsed.session_id,
        coalesce(event_types.event_type, 'unknown') as event_type,
        parsed.occurred_at,
        cast(parsed.occurred_at as date) as occurred_date,
        parsed.product_id,
        coalesce(category_aliases.category, case when parsed.category_text is not null then 'other' end)
            as product_category,
        parsed.page_url,
        case
            when parsed.device in ('mobile', 'phone', 'smartphone', 'ios', 'android') then 'mobile'
            when parsed.device in ('tablet', 'ipad') then 'tablet'
            when parsed.device in ('desktop', 'pc', 'mac', 'laptop', 'web') then 'desktop'
            when parsed.device is not null then 'other'
        end as device,
        parsed.channel,
        nullif({% call concat_skip_nulls("','") %}
            case
                when parsed.event_type_text is null or parsed.occurred_at_text is null
                    or (parsed.source_customer_id is null and parsed.anonymous_id is null)
                    then 'missing_required'
            end,
            {{ date_parse_issue('parsed.occurred_at_text', 'parsed.occurred_at') }},
            -- sentinel dates (1900-01-01 and the like) on the required timestamp
            case
                when
                    parsed.occurred_at
                    < cast({{ sql_string_literal(var('quality__min_plausible_date')) }} as timestamp)
                    then 'invalid_date'
            end,
            case
                when parsed.event_type_text is not null and event_types.event_type is null then 'unknown_event_type'
            end
        {% endcall %}, '') as row_issues
    from parsed
    left join event_types on parsed.event_type_text = upper(event_types.alias)
    left join category_aliases on parsed.category_text = upper(category_aliases.alias)
)

select * from final
