{#- Person names: Unicode NFC, invisible characters removed, inner whitespace collapsed,
    capitalised after a space, hyphen, apostrophe or dot (like initcap). Scripts without case (CJK, Hebrew) pass through unchanged. -#}
{% macro std_name(expr) %}
    {{ return(adapter.dispatch('std_name', 'customer_segments')(expr)) }}
{% endmacro %}

{% macro default__std_name(expr) -%}
    initcap({{ clean_text(expr) }})
{%- endmacro %}

{#- The text is split into runs of non-separators and single separators (space, hyphen, apostrophe,
    dot) and each run gets an upper-case first letter: the cleaned text is computed once, so
    the cost stays linear in its length (a per-character lambda re-evaluating it was quadratic:
    12 s for one 5,000-character field). -#}
{% macro duckdb__std_name(expr) -%}
    list_aggregate(
        list_transform(
            regexp_extract_all(lower(nfc_normalize({{ clean_text(expr) }})), '[^ ''.-]+|[ ''.-]'),
            lambda w: upper(w[1]) || w[2:]
        ),
        'string_agg', ''
    )
{%- endmacro %}

{#- Why a cleaned name cannot be used: over 100 characters, a single Latin letter (an initial;
    a single CJK character is a real name), or no letter at all (digits, punctuation). -#}
{% macro name_issue(cleaned) -%}
    case
        when {{ cleaned }} is null then null
        when length({{ cleaned }}) > 100 then 'degenerate_name'
        when {{ regex_full_match(cleaned, '[A-Za-z]\\.?') }} then 'degenerate_name'
        when not {{ regex_contains(cleaned, '\\pL') }} then 'degenerate_name'
    end
{%- endmacro %}
