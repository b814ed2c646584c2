{#- Phone to E.164 ("+<country code><number>"). A trailing extension ("ext 9", "x9", "#9")
    is split off. National numbers (trunk prefix, or bare) take the calling code of the
    record's country, else the source's default country. The inputs are the cleaned phone
    text and the calling code / trunk prefix / national length bounds looked up from the seed
    phone_country_codes. A leading trunk prefix is always dropped (national numbers can be
    shorter than the seed's minimum, e.g. Berlin 030 1234567); a bare national number must fit
    the seed's length range. Result NULL when the number is not 8-15 digits or has letters. -#}
{% macro phone_extension(phone) -%}
    nullif({{ regex_extract('lower(' ~ phone ~ ')', '(?:ext\\.?|extension|x|#)\\s*([0-9]{1,6})\\s*$', 1) }}, '')
{%- endmacro %}

{#- The number without its extension and without a "(0)" trunk digit written after the
    country code ("+49 (0)30 ..."). -#}
{% macro phone_main_part(phone) -%}
    replace({{ regex_replace('lower(' ~ phone ~ ')', '(?:ext\\.?|extension|x|#)\\s*([0-9]{1,6})\\s*$', '', replace_all=false) }}, '(0)', '')
{%- endmacro %}

{% macro std_phone(phone, calling_code, trunk_prefix, national_min, national_max) -%}
    {%- set main = phone_main_part(phone) -%}
    {%- set digits = regex_replace(main, '[^0-9]', '') -%}
    case
        when {{ phone }} is null then null
        when {{ regex_contains(main, '[a-z]') }} then null
        when {{ regex_contains('trim(' ~ main ~ ')', '^\\+') }} then '+' || {{ digits }}
        when substr({{ digits }}, 1, 2) = '00' then '+' || substr({{ digits }}, 3)
        when {{ trunk_prefix }} is not null and substr({{ digits }}, 1, length({{ trunk_prefix }})) = {{ trunk_prefix }}
            and length({{ digits }}) - length({{ trunk_prefix }}) between 4 and {{ national_max }}
            then '+' || {{ calling_code }} || substr({{ digits }}, length({{ trunk_prefix }}) + 1)
        when length({{ digits }}) between {{ national_min }} and {{ national_max }}
            then '+' || {{ calling_code }} || {{ digits }}
        else '+' || {{ digits }}
    end
{%- endmacro %}

{% macro is_valid_e164(e164) -%}
    {{ regex_full_match(e164, '\\+[1-9][0-9]{7,14}') }}
{%- endmacro %}
