{#- Comparison key of a name: lower case, accents stripped (ß -> ss), only the letters a-z
    kept, so "José-Luis" = "jose luis" = "joseluis". Names with no Latin letter (CJK, Hebrew)
    keep their own lower-cased characters without spaces and punctuation. NULL when empty. -#}
{% macro identity_name_key(expr) %}
    {{ return(adapter.dispatch('identity_name_key', 'customer_segments')(expr)) }}
{% endmacro %}

{#- Engines without an accent-stripping function: the common Latin-1 / Latin Extended-A
    accented letters are translated explicitly. -#}
{% macro default__identity_name_key(expr) -%}
    coalesce(
        nullif(regexp_replace(translate(replace(lower({{ expr }}), 'ß', 'ss'),
            'àáâãäåāăąçćčďèéêëēėęěìíîïīįłñńňòóôõöøōőŕřśšşťùúûüūůűųýÿźżž',
            'aaaaaaaaacccdeeeeeeeeiiiiiilnnnoooooooorrssstuuuuuuuuyyzzz'),
            '[^a-z]', ''), ''),
        nullif(regexp_replace(lower({{ expr }}), '[[:space:][:punct:]]', ''), '')
    )
{%- endmacro %}

{% macro duckdb__identity_name_key(expr) -%}
    coalesce(
        nullif(regexp_replace(strip_accents(replace(lower({{ expr }}), 'ß', 'ss')),
            '[^a-z]', '', 'g'), ''),
        nullif(regexp_replace(lower({{ expr }}), '[[:space:][:punct:]]', '', 'g'), '')
    )
{%- endmacro %}

{% macro bigquery__identity_name_key(expr) -%}
    coalesce(
        nullif(regexp_replace(regexp_replace(normalize(replace(lower({{ expr }}), 'ß', 'ss'), nfd),
            r'\p{M}', ''), r'[^a-z]', ''), ''),
        nullif(regexp_replace(lower({{ expr }}), r'[\s\p{P}]', ''), '')
    )
{%- endmacro %}

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
    nullif(trim(regexp_replace(strip_accents(replace(lower({{ expr }}), 'ß', 'ss')),
        '[^a-z0-9]+', ' ', 'g')), '')
{%- endmacro %}

{% macro bigquery__identity_text_key(expr) -%}
    nullif(trim(regexp_replace(regexp_replace(normalize(replace(lower({{ expr }}), 'ß', 'ss'), nfd),
        r'\p{M}', ''), r'[^a-z0-9]+', ' ')), '')
{%- endmacro %}

{#- Street key: the text key with the usual street-type words shortened, so that
    "Main Street" = "main st" and "Hauptstraße" = "hauptstr". Plain replace(), portable. -#}
{% macro identity_street_key(expr) -%}
    {%- set words = {'street': 'st', 'strasse': 'str', 'avenue': 'ave', 'road': 'rd',
        'drive': 'dr', 'lane': 'ln', 'boulevard': 'blvd', 'place': 'pl', 'court': 'ct',
        'square': 'sq', 'terrace': 'ter', 'highway': 'hwy', 'apartment': 'apt',
        'platz': 'pl'} -%}
    {%- set ns = namespace(sql="' ' || " ~ identity_text_key(expr) ~ " || ' '") -%}
    {%- for word, short in words.items() -%}
        {%- if word in ['strasse', 'platz'] -%}
            {%- set ns.sql = "replace(" ~ ns.sql ~ ", '" ~ word ~ " ', '" ~ short ~ " ')" -%}
        {%- else -%}
            {%- set ns.sql = "replace(" ~ ns.sql ~ ", ' " ~ word ~ " ', ' " ~ short ~ " ')" -%}
        {%- endif -%}
    {%- endfor -%}
    nullif(trim({{ ns.sql }}), '')
{%- endmacro %}
