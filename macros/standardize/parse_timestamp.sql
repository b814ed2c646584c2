{#- Text to a UTC timestamp. Tried in order: epoch milliseconds (13 digits), epoch seconds
    (10 digits), ISO-8601 with 'Z' or an offset (converted to UTC), then the source's own
    timestamp formats and date formats (the first that parses wins: the documented
    day/month rule), read in the source's time zone and converted to UTC. -#}
{% macro parse_timestamp(expr, source_system_expr) %}
    {{ return(adapter.dispatch('parse_timestamp', 'customer_segments')(expr, source_system_expr)) }}
{% endmacro %}

{% macro duckdb__parse_timestamp(expr, source_system_expr) -%}
    {%- set settings = source_settings() -%}
    case
        when {{ expr }} is null then null
        when regexp_full_match({{ expr }}, '[0-9]{13}') then make_timestamp(try_cast({{ expr }} as bigint) * 1000)
        when regexp_full_match({{ expr }}, '[0-9]{10}') then make_timestamp(try_cast({{ expr }} as bigint) * 1000000)
        when regexp_matches({{ expr }}, '[0-9][T ][0-9].*(Z|[+\-][0-9]{2}:?[0-9]{2})$')
            {#- one try_strptime per format: the list form rolls impossible dates over when the
                format has %z (2024-02-30T10:00+00:00 became 2024-03-01, DuckDB 2.0) -#}
            then cast(coalesce(
                {%- for f in ['%Y-%m-%dT%H:%M:%S%z', '%Y-%m-%d %H:%M:%S%z', '%Y-%m-%dT%H:%M:%S.%f%z', '%Y-%m-%dT%H:%M%z'] %}
                try_strptime(regexp_replace({{ expr }}, 'Z$', '+00:00'), '{{ f }}'){{ ',' if not loop.last }}
                {%- endfor %}
            ) as timestamp)
        else case {{ source_system_expr }}
            {%- for name, s in settings.items() if name != 'default' %}
            when {{ sql_string_literal(name) }} then {{ _naive_ts(expr, s) }}
            {%- endfor %}
            else {{ _naive_ts(expr, settings['default']) }}
        end
    end
{%- endmacro %}

{% macro _naive_ts(expr, s) -%}
    {%- set fmts = s['timestamp_formats'] + s['date_formats'] -%}
    cast(timezone({{ sql_string_literal(s['timezone']) }}, try_strptime({{ expr }}, [{{ sql_string_list(fmts) }}])) as timestamp)
{%- endmacro %}

{#- Text to a date with the source's date formats (then its timestamp formats). -#}
{% macro parse_date(expr, source_system_expr) %}
    {{ return(adapter.dispatch('parse_date', 'customer_segments')(expr, source_system_expr)) }}
{% endmacro %}

{% macro duckdb__parse_date(expr, source_system_expr) -%}
    {%- set settings = source_settings() -%}
    case
        when {{ expr }} is null then null
        else case {{ source_system_expr }}
            {%- for name, s in settings.items() if name != 'default' %}
            when {{ sql_string_literal(name) }} then cast(try_strptime({{ expr }}, [{{ sql_string_list(s['date_formats'] + s['timestamp_formats']) }}]) as date)
            {%- endfor %}
            else cast(try_strptime({{ expr }}, [{{ sql_string_list(settings['default']['date_formats'] + settings['default']['timestamp_formats']) }}]) as date)
        end
    end
{%- endmacro %}

{#- Why a non-empty date text did not parse: it is shaped like a date (and time) but cannot
    exist (2024-02-30, 00/00/0000) -> invalid_date; anything else -> unparseable_date. -#}
{% macro date_parse_issue(raw_expr, parsed_expr) -%}
    case
        when {{ raw_expr }} is not null and {{ parsed_expr }} is null then
            case
                when {{ regex_full_match(
                    raw_expr,
                    '[0-9]{1,4}[\\-/.][0-9]{1,2}[\\-/.][0-9]{1,4}([ T][0-9]{1,2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?)?(Z|[+\\-][0-9]{2}:?[0-9]{2})?'
                ) }}
                    then 'invalid_date'
                else 'unparseable_date'
            end
    end
{%- endmacro %}

{#- True when a naive timestamp text (no epoch, no offset) names a local time that does not
    exist in the source's zone: it falls in the spring-forward gap of daylight saving time
    (2024-03-31 02:30 in Europe/Berlin). parse_timestamp still converts it (DuckDB reads it
    with the offset before the change: 02:30 Berlin -> 01:30 UTC); this flags it
    (`dst_gap_time`, class 28). Detected by a round trip: local -> UTC -> local differs. -#}
{% macro naive_time_in_dst_gap(expr, source_system_expr) %}
    {{ return(adapter.dispatch('naive_time_in_dst_gap', 'customer_segments')(expr, source_system_expr)) }}
{% endmacro %}

{% macro default__naive_time_in_dst_gap(expr, source_system_expr) -%}
    false
{%- endmacro %}

{% macro duckdb__naive_time_in_dst_gap(expr, source_system_expr) -%}
    {%- set settings = source_settings() -%}
    coalesce(
        case
            when {{ expr }} is null then false
            when regexp_full_match({{ expr }}, '[0-9]{10}|[0-9]{13}') then false
            when regexp_matches({{ expr }}, '[0-9][T ][0-9].*(Z|[+\-][0-9]{2}:?[0-9]{2})$') then false
            else case {{ source_system_expr }}
                {%- for name, s in settings.items() if name != 'default' %}
                when {{ sql_string_literal(name) }} then {{ _dst_gap(expr, s) }}
                {%- endfor %}
                else {{ _dst_gap(expr, settings['default']) }}
            end
        end,
        false
    )
{%- endmacro %}

{% macro _dst_gap(expr, s) -%}
    {%- set fmts = s['timestamp_formats'] + s['date_formats'] -%}
    {%- set zone = sql_string_literal(s['timezone']) -%}
    {%- set local = 'try_strptime(' ~ expr ~ ', [' ~ sql_string_list(fmts) ~ '])' -%}
    timezone({{ zone }}, timezone({{ zone }}, {{ local }})) <> {{ local }}
{%- endmacro %}
