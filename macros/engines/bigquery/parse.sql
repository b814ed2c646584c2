{#- BigQuery pieces of the text parsers (macros/engines/portable/parse.sql): it reads
    strftime codes itself (fractions as %E*S), DATETIME is the naive type. -#}
{% macro bigquery__strftime_to_engine_format(fmt) -%}
    {{ return(fmt | replace('%S.%f', '%E*S') | replace('%z', '%Ez')) }}
{%- endmacro %}

{% macro bigquery__try_parse_timestamp(expr, fmt) -%}
    safe.parse_datetime({{ sql_string_literal(strftime_to_engine_format(fmt)) }}, {{ expr }})
{%- endmacro %}

{% macro bigquery__try_parse_timestamp_offset(expr, fmt) -%}
    datetime(safe.parse_timestamp({{ sql_string_literal(strftime_to_engine_format(fmt)) }}, {{ expr }}), 'UTC')
{%- endmacro %}

{% macro bigquery__local_to_utc(ts, tz) -%}
    datetime(timestamp({{ ts }}, {{ sql_string_literal(tz) }}), 'UTC')
{%- endmacro %}

{% macro bigquery__epoch_to_timestamp(expr, unit) -%}
    datetime({{ 'timestamp_millis' if unit == 'ms' else 'timestamp_seconds' }}({{ expr }}), 'UTC')
{%- endmacro %}
