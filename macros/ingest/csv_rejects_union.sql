{% macro csv_rejects_union(tables) %}
    {{ return(adapter.dispatch('csv_rejects_union', 'customer_segments')(tables)) }}
{% endmacro %}

{% macro default__csv_rejects_union(tables) -%}
    select
        cast(null as {{ dbt.type_string() }}) as source_table,
        cast(null as {{ dbt.type_string() }}) as source_file,
        cast(null as {{ dbt.type_bigint() }}) as line,
        cast(null as {{ dbt.type_string() }}) as csv_line,
        cast(null as {{ dbt.type_string() }}) as error_type,
        cast(null as {{ dbt.type_string() }}) as error_message,
        cast(null as {{ dbt.type_string() }}) as reason_code
    where 1 = 0
{%- endmacro %}

{% macro duckdb__csv_rejects_union(tables) -%}
    with rejects as (
        {%- for t in tables %}
        select '{{ t }}' as source_table, * from {{ this.schema }}.{{ t }}__csv_rejects
        {{ 'union all' if not loop.last }}
        {%- endfor %}
    ),

    coded as (
        select
            *,
            case error_type
                when 'INVALID ENCODING' then 'csv_invalid_encoding'
                when 'INVALID UNICODE' then 'csv_invalid_encoding'
                when 'UNQUOTED VALUE' then 'csv_unquoted_value'
                when 'TOO MANY COLUMNS' then 'csv_too_many_columns'
                when 'MISSING COLUMNS' then 'csv_missing_columns'
                when 'LINE SIZE OVER MAXIMUM' then 'csv_line_too_long'
                else 'csv_cast_error'
            end as reason_code
        from rejects
    )

    -- one row per rejected line; the reader can report several errors for one line
    select
        source_table,
        source_file,
        line,
        min(csv_line) as csv_line,
        string_agg(distinct error_type, '; ' order by error_type) as error_type,
        string_agg(distinct error_message, '; ' order by error_message) as error_message,
        string_agg(distinct reason_code, ',' order by reason_code) as reason_code
    from coded
    group by source_table, source_file, line
{%- endmacro %}
