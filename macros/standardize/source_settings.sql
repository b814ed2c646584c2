{#- Settings of every source system from the var raw__source_settings, validated so that no
    configured text can change the SQL: formats use strftime codes and separators only,
    zones are IANA names, separators one of '.' or ','. -#}
{% macro source_settings() %}
    {%- set raw = var('raw__source_settings') -%}
    {%- if 'default' not in raw -%}
        {{ exceptions.raise_compiler_error("var raw__source_settings needs a 'default' entry") }}
    {%- endif -%}
    {%- set fmt_re = modules.re.compile('^[%A-Za-z0-9 :/.,T+\\-]+$') -%}
    {%- set name_re = modules.re.compile('^[A-Za-z][A-Za-z0-9_\\-]*$') -%}
    {%- set tz_re = modules.re.compile('^[A-Za-z_]+(/[A-Za-z_+\\-0-9]+)*$') -%}
    {%- set out = {} -%}
    {%- for name, s in raw.items() -%}
        {%- if not name_re.match(name | string) -%}
            {{ exceptions.raise_compiler_error("var raw__source_settings: invalid source system name '" ~ name ~ "'") }}
        {%- endif -%}
        {%- for key in ['date_formats', 'timestamp_formats'] -%}
            {%- for f in s.get(key, []) -%}
                {%- if not fmt_re.match(f | string) -%}
                    {{ exceptions.raise_compiler_error("var raw__source_settings." ~ name ~ "." ~ key ~ ": invalid format '" ~ f ~ "'") }}
                {%- endif -%}
            {%- endfor -%}
        {%- endfor -%}
        {%- if not tz_re.match(s.get('timezone', 'UTC') | string) -%}
            {{ exceptions.raise_compiler_error("var raw__source_settings." ~ name ~ ".timezone: invalid zone '" ~ s.get('timezone') ~ "'") }}
        {%- endif -%}
        {%- if s.get('decimal_separator', '.') not in ['.', ','] -%}
            {{ exceptions.raise_compiler_error("var raw__source_settings." ~ name ~ ".decimal_separator must be '.' or ','") }}
        {%- endif -%}
        {%- for key in ['default_currency', 'default_country'] -%}
            {%- if not modules.re.match('^[A-Z]{2,3}$', s.get(key, 'US') | string) -%}
                {{ exceptions.raise_compiler_error("var raw__source_settings." ~ name ~ "." ~ key ~ ": expected an ISO code, got '" ~ s.get(key) ~ "'") }}
            {%- endif -%}
        {%- endfor -%}
        {%- do out.update({name: {
            'date_formats': s.get('date_formats', ['%Y-%m-%d']) | list,
            'timestamp_formats': s.get('timestamp_formats', ['%Y-%m-%d %H:%M:%S']) | list,
            'timezone': s.get('timezone', 'UTC'),
            'decimal_separator': s.get('decimal_separator', '.'),
            'default_currency': s.get('default_currency', 'USD'),
            'default_country': s.get('default_country', 'US')}}) -%}
    {%- endfor -%}
    {{ return(out) }}
{% endmacro %}

{#- SQL expression choosing a per-source setting for the row's source_system. -#}
{% macro source_setting(source_system_expr, key) -%}
    {%- set settings = source_settings() -%}
    case {{ source_system_expr }}
        {%- for name, s in settings.items() if name != 'default' %}
        when {{ sql_string_literal(name) }} then {{ sql_string_literal(s[key]) }}
        {%- endfor %}
        else {{ sql_string_literal(settings['default'][key]) }}
    end
{%- endmacro %}
