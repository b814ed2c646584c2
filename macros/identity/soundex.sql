{#- American Soundex code of a name (letter + 3 digits, e.g. Robert / Rupert -> R163), the
    phonetic blocking key. Letters only: accents are stripped first; NULL when the name has
    no Latin letter (e.g. CJK), so such names block on other keys. -#}
{% macro soundex(expr) %}
    {{ return(adapter.dispatch('soundex', 'customer_segments')(expr)) }}
{% endmacro %}

{#- Postgres: soundex() from the fuzzystrmatch extension. -#}
{% macro default__soundex(expr) -%}
    nullif(soundex({{ expr }}), '')
{%- endmacro %}

{#- DuckDB has no soundex(): the standard algorithm with translate / regexp_replace.
    Letters -> digit classes (vowels and y -> 0; h and w dropped, so equal codes around them
    merge), runs of one digit collapsed (one regexp: each alternative captures its digit),
    the first letter's own code dropped, zeros removed, then the first letter + the first
    three digits, padded with 0. -#}
{% macro duckdb__soundex(expr) -%}
    {%- set letters = "regexp_replace(upper(strip_accents(" ~ expr ~ ")), '[^A-Z]', '', 'g')" -%}
    {%- set coded = "translate(regexp_replace(" ~ letters ~ ", '[HW]', '', 'g'), "
        ~ "'AEIOUYBFPVCGJKQSXZDTLMNR', '000000111122222222334556')" -%}
    {%- set runs = "'(0)0*|(1)1*|(2)2*|(3)3*|(4)4*|(5)5*|(6)6*'" -%}
    {%- set collapsed = "regexp_replace(" ~ coded ~ ", " ~ runs ~ ", "
        ~ "'\\1\\2\\3\\4\\5\\6\\7', 'g')" -%}
    case
        when {{ letters }} <> '' then left({{ letters }}, 1) || rpad(left(replace(
            case
                when left({{ letters }}, 1) in ('H', 'W') then {{ collapsed }}
                else substr({{ collapsed }}, 2)
            end,
            '0', ''), 3), 3, '0')
    end
{%- endmacro %}

{% macro snowflake__soundex(expr) -%}
    nullif(soundex({{ expr }}), '')
{%- endmacro %}

{% macro bigquery__soundex(expr) -%}
    nullif(soundex({{ expr }}), '')
{%- endmacro %}

{% macro spark__soundex(expr) -%}
    nullif(soundex({{ expr }}), '')
{%- endmacro %}
