{#- Money text to a decimal. Currency symbols / codes and spaces are removed; the decimal
    separator is the last of '.' and ',' when both occur, otherwise decided by the source's
    decimal_separator setting (a lone ',' followed by exactly three digits in a '.'-source is
    a thousands separator). NULL when no number can be read. -#}
{% macro parse_amount(expr, decimal_separator_expr) %}
    {{ return(adapter.dispatch('parse_amount', 'customer_segments')(expr, decimal_separator_expr)) }}
{% endmacro %}

{% macro duckdb__parse_amount(expr, decimal_separator_expr) -%}
    {%- set n = "regexp_replace(" ~ expr ~ ", '[^0-9,.\\-]', '', 'g')" -%}
    try_cast(
        case
            when not regexp_full_match(trim(regexp_replace({{ expr }}, '[$€£]|[A-Za-z]{3}', '', 'g')), '-?[0-9][0-9., ]*') then null
            when contains({{ n }}, ',') and contains({{ n }}, '.') then
                case
                    when instr(reverse({{ n }}), ',') < instr(reverse({{ n }}), '.')
                        then replace(replace({{ n }}, '.', ''), ',', '.')
                    else replace({{ n }}, ',', '')
                end
            when contains({{ n }}, ',') then
                case
                    when {{ decimal_separator_expr }} = '.' and regexp_full_match({{ n }}, '-?[0-9]{1,3}(,[0-9]{3})+')
                        then replace({{ n }}, ',', '')
                    else replace({{ n }}, ',', '.')
                end
            when {{ decimal_separator_expr }} = ',' and regexp_full_match({{ n }}, '-?[0-9]{1,3}(\.[0-9]{3})+')
                then replace({{ n }}, '.', '')
            else {{ n }}
        end
        as decimal(18, 2)
    )
{%- endmacro %}

{#- Currency named in the amount text (symbol or 3-letter code), else NULL. -#}
{% macro amount_text_currency(expr) -%}
    case
        when {{ text_contains(expr, "'€'") }} then 'EUR'
        when {{ text_contains(expr, "'£'") }} then 'GBP'
        when {{ text_contains(expr, "'$'") }} then 'USD'
        when {{ regex_contains(expr, '[0-9]') }} and {{ regex_contains(expr, '(^|[^A-Za-z])[A-Za-z]{3}([^A-Za-z]|$)') }}
            then upper({{ regex_extract(expr, '(?:^|[^A-Za-z])([A-Za-z]{3})(?:[^A-Za-z]|$)', 1) }})
    end
{%- endmacro %}
