{#- Person names: Unicode NFC, invisible characters removed, inner whitespace collapsed,
    capitalised after a space, hyphen, apostrophe or dot (like initcap). Scripts without case (CJK, Hebrew) pass through unchanged. -#}
{% macro std_name(expr) %}
    {{ return(adapter.dispatch('std_name', 'customer_segments')(expr)) }}
{% endmacro %}

{% macro default__std_name(expr) -%}
    initcap({{ clean_text(expr) }})
{%- endmacro %}

{% macro duckdb__std_name(expr) -%}
    {%- set s = 'lower(nfc_normalize(' ~ clean_text(expr) ~ '))' -%}
    list_aggregate(
        list_transform(
            range(1, length({{ s }}) + 1),
            lambda i: case
                when i = 1 or substr({{ s }}, i - 1, 1) in (' ', '-', '''', '.') then upper(substr({{ s }}, i, 1))
                else substr({{ s }}, i, 1)
            end
        ),
        'string_agg', ''
    )
{%- endmacro %}

{#- Why a cleaned name cannot be used: empty, one character, digits only, or over 100 chars. -#}
{% macro name_issue(cleaned) -%}
    case
        when {{ cleaned }} is null then null
        when length({{ cleaned }}) > 100 then 'degenerate_name'
        when length({{ cleaned }}) < 2 then 'degenerate_name'
        when regexp_full_match({{ cleaned }}, '[0-9 .\-]+') then 'degenerate_name'
    end
{%- endmacro %}
