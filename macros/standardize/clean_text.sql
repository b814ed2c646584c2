{#- Trimmed text with invisible characters (NBSP, zero-width, BOM, tabs) removed and the
    NULL-like tokens of the var quality__null_tokens turned into NULL. -#}
{% macro clean_text(expr) %}
    {{ return(adapter.dispatch('clean_text', 'customer_segments')(expr)) }}
{% endmacro %}

{% macro default__clean_text(expr) %}
    {%- set tokens = var('quality__null_tokens', ['n/a', 'na', 'null', 'none', '-', '--', 'nan', 'nil', '?']) -%}
    case
        when lower(trim(regexp_replace({{ expr }}, '[\\s\u00a0\u200b\u200c\u200d\ufeff]+', ' ')))
            in ({{ sql_string_list(tokens | map('lower') | list) }}, '')
            then null
        else trim(regexp_replace({{ expr }}, '[\\s\u00a0\u200b\u200c\u200d\ufeff]+', ' '))
    end
{% endmacro %}

{% macro duckdb__clean_text(expr) %}
    {%- set tokens = var('quality__null_tokens', ['n/a', 'na', 'null', 'none', '-', '--', 'nan', 'nil', '?']) -%}
    nullif(
        case
            when lower(trim(regexp_replace({{ expr }}, '[\s\x{00a0}\x{200b}\x{200c}\x{200d}\x{feff}]+', ' ', 'g')))
                in ({{ sql_string_list(tokens | map('lower') | list) }})
                then null
            else trim(regexp_replace({{ expr }}, '[\s\x{00a0}\x{200b}\x{200c}\x{200d}\x{feff}]+', ' ', 'g'))
        end,
        ''
    )
{% endmacro %}
