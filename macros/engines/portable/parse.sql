{#- Engine-neutral versions of the text parsers (DuckDB has its own in macros/standardize):
    the same rules, built from small dispatched pieces (try-parse with a format, epoch to
    timestamp, local time to UTC, try-cast), so each engine only supplies those pieces. -#}

{#- strftime codes (the project's format language) to an engine's own format codes. -#}
{% macro strftime_to_engine_format(fmt) %}
    {{ return(adapter.dispatch('strftime_to_engine_format', 'customer_segments')(fmt)) }}
{% endmacro %}

{#- Snowflake's format model (default). -#}
{% macro default__strftime_to_engine_format(fmt) -%}
    {%- set codes = {'%Y': 'YYYY', '%m': 'MM', '%d': 'DD', '%H': 'HH24', '%M': 'MI', '%S': 'SS',
                     '%f': 'FF6', '%b': 'MON', '%z': 'TZH:TZM'} -%}
    {%- set out = [] -%}
    {%- for tok in modules.re.findall('%[A-Za-z]|[A-Za-z]+|[^%A-Za-z]+', fmt) -%}
        {%- if tok in codes -%}{%- do out.append(codes[tok]) -%}
        {%- elif modules.re.fullmatch('[A-Za-z]+', tok) -%}{%- do out.append('"' ~ tok ~ '"') -%}
        {%- else -%}{%- do out.append(tok) -%}{%- endif -%}
    {%- endfor -%}
    {{ return(out | join('')) }}
{%- endmacro %}

{#- A text parsed with one strftime format as a naive timestamp; NULL when it does not fit. -#}
{% macro try_parse_timestamp(expr, fmt) %}
    {{ return(adapter.dispatch('try_parse_timestamp', 'customer_segments')(expr, fmt)) }}
{% endmacro %}

{% macro default__try_parse_timestamp(expr, fmt) -%}
    try_to_timestamp_ntz({{ expr }}, {{ sql_string_literal(strftime_to_engine_format(fmt)) }})
{%- endmacro %}

{#- A naive timestamp read as local time in zone `tz`, returned as naive UTC. -#}
{% macro local_to_utc(ts, tz) %}
    {{ return(adapter.dispatch('local_to_utc', 'customer_segments')(ts, tz)) }}
{% endmacro %}

{% macro default__local_to_utc(ts, tz) -%}
    convert_timezone({{ sql_string_literal(tz) }}, 'UTC', {{ ts }})
{%- endmacro %}

{#- Epoch milliseconds / seconds (bigint) to a naive UTC timestamp. -#}
{% macro epoch_to_timestamp(expr, unit) %}
    {{ return(adapter.dispatch('epoch_to_timestamp', 'customer_segments')(expr, unit)) }}
{% endmacro %}

{% macro default__epoch_to_timestamp(expr, unit) -%}
    to_timestamp_ntz({{ expr }}, {{ 3 if unit == 'ms' else 0 }})
{%- endmacro %}

{#- Text with an explicit offset (+01:00, +0100; 'Z' already replaced) parsed with one
    strftime format ending in %z, as a naive UTC timestamp. -#}
{% macro try_parse_timestamp_offset(expr, fmt) %}
    {{ return(adapter.dispatch('try_parse_timestamp_offset', 'customer_segments')(expr, fmt)) }}
{% endmacro %}

{% macro default__try_parse_timestamp_offset(expr, fmt) -%}
    convert_timezone('UTC', try_to_timestamp_tz({{ expr }}, {{ sql_string_literal(strftime_to_engine_format(fmt)) }}))::timestamp_ntz
{%- endmacro %}

{#- cast that yields NULL instead of failing. -#}
{% macro try_cast_to(expr, type) %}
    {{ return(adapter.dispatch('try_cast_to', 'customer_segments')(expr, type)) }}
{% endmacro %}

{% macro default__try_cast_to(expr, type) -%}
    {{ dbt.safe_cast(expr, type) }}
{%- endmacro %}

{#- ---- the parsers (same rules as duckdb__parse_timestamp / parse_date / parse_amount) ---- -#}
{% macro default__parse_timestamp(expr, source_system_expr) -%}
    {%- set settings = source_settings() -%}
    case
        when {{ expr }} is null then null
        when {{ regex_full_match(expr, '[0-9]{13}') }} then {{ epoch_to_timestamp(try_cast_to(expr, dbt.type_bigint()), 'ms') }}
        when {{ regex_full_match(expr, '[0-9]{10}') }} then {{ epoch_to_timestamp(try_cast_to(expr, dbt.type_bigint()), 's') }}
        when {{ regex_contains(expr, '[0-9][T ][0-9].*(Z|[+\\-][0-9]{2}:?[0-9]{2})$') }}
            then coalesce(
                {%- for f in ['%Y-%m-%dT%H:%M:%S%z', '%Y-%m-%d %H:%M:%S%z', '%Y-%m-%dT%H:%M:%S.%f%z', '%Y-%m-%dT%H:%M%z'] %}
                {{ try_parse_timestamp_offset(regex_replace(expr, 'Z$', '+00:00', replace_all=false), f) }}{{ ',' if not loop.last }}
                {%- endfor %}
            )
        else case {{ source_system_expr }}
            {%- for name, s in settings.items() if name != 'default' %}
            when {{ sql_string_literal(name) }} then {{ _portable_naive_ts(expr, s) }}
            {%- endfor %}
            else {{ _portable_naive_ts(expr, settings['default']) }}
        end
    end
{%- endmacro %}

{% macro _portable_naive_ts(expr, s) -%}
    {%- set parts = [] -%}
    {%- for f in s['timestamp_formats'] + s['date_formats'] -%}
        {%- do parts.append(try_parse_timestamp(expr, f)) -%}
    {%- endfor -%}
    {{ local_to_utc('coalesce(' ~ parts | join(', ') ~ ')', s['timezone']) }}
{%- endmacro %}

{% macro default__parse_date(expr, source_system_expr) -%}
    {%- set settings = source_settings() -%}
    case
        when {{ expr }} is null then null
        else case {{ source_system_expr }}
            {%- for name, s in settings.items() if name != 'default' %}
            when {{ sql_string_literal(name) }} then {{ _portable_date(expr, s) }}
            {%- endfor %}
            else {{ _portable_date(expr, settings['default']) }}
        end
    end
{%- endmacro %}

{% macro _portable_date(expr, s) -%}
    {%- set parts = [] -%}
    {%- for f in s['date_formats'] + s['timestamp_formats'] -%}
        {%- do parts.append(try_parse_timestamp(expr, f)) -%}
    {%- endfor -%}
    cast(coalesce({{ parts | join(', ') }}) as date)
{%- endmacro %}

{% macro default__parse_amount(expr, decimal_separator_expr) -%}
    {%- set n = regex_replace(expr, '[^0-9,.\\-]', '') -%}
    {%- set has_comma = dbt.position("','", n) ~ ' > 0' -%}
    {%- set has_dot = dbt.position("'.'", n) ~ ' > 0' -%}
    {{ try_cast_to(
        "case
            when not " ~ regex_full_match('trim(' ~ regex_replace(expr, '[$€£]|[A-Za-z]{3}', '') ~ ')', '-?[0-9][0-9., ]*') ~ " then null
            when " ~ has_comma ~ " and " ~ has_dot ~ " then
                case
                    when " ~ dbt.position("','", 'reverse(' ~ n ~ ')') ~ " < " ~ dbt.position("'.'", 'reverse(' ~ n ~ ')') ~ "
                        then replace(replace(" ~ n ~ ", '.', ''), ',', '.')
                    else replace(" ~ n ~ ", ',', '')
                end
            when " ~ has_comma ~ " then
                case
                    when " ~ decimal_separator_expr ~ " = '.' and " ~ regex_full_match(n, '-?[0-9]{1,3}(,[0-9]{3})+') ~ "
                        then replace(" ~ n ~ ", ',', '')
                    else replace(" ~ n ~ ", ',', '.')
                end
            when " ~ decimal_separator_expr ~ " = ',' and " ~ regex_full_match(n, '-?[0-9]{1,3}(\\.[0-9]{3})+') ~ "
                then replace(" ~ n ~ ", '.', '')
            else " ~ n ~ "
        end",
        'decimal(18, 2)') }}
{%- endmacro %}
