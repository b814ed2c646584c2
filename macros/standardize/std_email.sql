{#- Email: lower-cased, trimmed, a leading 'mailto:' removed. NULL when it is not a plausible
    address (is_valid_email tells the two NULLs apart). -#}
{% macro std_email_raw(expr) -%}
    {{ regex_replace('lower(' ~ clean_text(expr) ~ ')', '^mailto:', '', replace_all=false) }}
{%- endmacro %}

{% macro is_valid_email(expr) -%}
    {{ regex_full_match(expr, '[a-z0-9._%+\\-]+@[a-z0-9\\-]+(\\.[a-z0-9\\-]+)*\\.[a-z]{2,}') }}
{%- endmacro %}

{#- Match key for identity resolution: the +tag is dropped and, for Gmail, dots in the local
    part too (Gmail ignores both). The email itself keeps them. -#}
{% macro email_match_key(email) -%}
    case
        when split_part({{ email }}, '@', 2) in ('gmail.com', 'googlemail.com')
            then replace({{ regex_replace('split_part(' ~ email ~ ", '@', 1)", '\\+.*$', '', replace_all=false) }}, '.', '') || '@gmail.com'
        else {{ regex_replace('split_part(' ~ email ~ ", '@', 1)", '\\+.*$', '', replace_all=false) }} || '@' || split_part({{ email }}, '@', 2)
    end
{%- endmacro %}
