{#- Spark pieces of the text parsers (macros/engines/portable/parse.sql). Java datetime
    patterns: single letters parse one or two digits (like strftime's %d / %m / %H); a
    pattern that does not fit, or an impossible date (2024-02-30), gives NULL with
    try_to_timestamp. -#}
{% macro spark__strftime_to_engine_format(fmt) -%}
    {%- set codes = {'%Y': 'yyyy', '%m': 'M', '%d': 'd', '%H': 'H', '%M': 'm', '%S': 's',
                     '%f': 'SSSSSS', '%b': 'MMM', '%z': 'XXX'} -%}
    {%- set out = [] -%}
    {%- for tok in modules.re.findall('%[A-Za-z]|[A-Za-z]+|[^%A-Za-z]+', fmt) -%}
        {%- if tok in codes -%}{%- do out.append(codes[tok]) -%}
        {%- elif modules.re.fullmatch('[A-Za-z]+', tok) -%}{%- do out.append("''" ~ tok ~ "''") -%}
        {%- else -%}{%- do out.append(tok) -%}{%- endif -%}
    {%- endfor -%}
    {{ return(out | join('')) }}
{%- endmacro %}

{% macro spark__try_parse_timestamp(expr, fmt) -%}
    try_to_timestamp({{ expr }}, '{{ strftime_to_engine_format(fmt) }}')
{%- endmacro %}

{#- The session time zone is UTC (profiles.yml), so a parsed offset lands in UTC. Both
    +01:00 and +0100 are read (DuckDB's %z takes either). -#}
{% macro spark__try_parse_timestamp_offset(expr, fmt) -%}
    coalesce(
        try_to_timestamp({{ expr }}, '{{ strftime_to_engine_format(fmt) }}'),
        try_to_timestamp({{ expr }}, '{{ strftime_to_engine_format(fmt) | replace("XXX", "XX") }}')
    )
{%- endmacro %}

{% macro spark__local_to_utc(ts, tz) -%}
    to_utc_timestamp({{ ts }}, {{ sql_string_literal(tz) }})
{%- endmacro %}

{% macro spark__epoch_to_timestamp(expr, unit) -%}
    {{ 'timestamp_millis' if unit == 'ms' else 'timestamp_seconds' }}({{ expr }})
{%- endmacro %}

{% macro spark__try_cast_to(expr, type) -%}
    try_cast({{ expr }} as {{ type }})
{%- endmacro %}
