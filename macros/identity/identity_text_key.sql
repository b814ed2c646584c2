{#- Comparison key of free text (street, city, postcode): lower case, accents stripped,
    every run of characters other than a-z / 0-9 turned into one space, trimmed. -#}
{% macro identity_text_key(expr) %}
    {{ return(adapter.dispatch('identity_text_key', 'customer_segments')(expr)) }}
{% endmacro %}

{% macro default__identity_text_key(expr) -%}
    nullif(trim(regexp_replace(translate(replace(lower({{ expr }}), 'ß', 'ss'),
        'àáâãäåāăąçćčďèéêëēėęěìíîïīįłñńňòóôõöøōőŕřśšşťùúûüūůűųýÿźżž',
        'aaaaaaaaacccdeeeeeeeeiiiiiilnnnoooooooorrssstuuuuuuuuyyzzz'),
        '[^a-z0-9]+', ' ')), '')
{%- endmacro %}

{% macro duckdb__identity_text_key(expr) -%}
    nullif(trim(regexp_replace(strip_accents(translate(replace(lower({{ expr }}), 'ß', 'ss'), 'øł', 'ol')),
        '[^a-z0-9]+', ' ', 'g')), '')
{%- endmacro %}

{% macro bigquery__identity_text_key(expr) -%}
    nullif(trim(regexp_replace(
        regexp_replace(normalize(translate(replace(lower({{ expr }}), 'ß', 'ss'), 'øł', 'ol'), nfd), r'\p{M}', ''),
        r'[^a-z0-9]+', ' ')), '')
{%- endmacro %}
