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
    nullif(trim(regexp_replace(
        regexp_replace(normalize(replace(lower({{ expr }}), 'ß', 'ss'), nfd), r'\p{M}', ''),
        r'[^a-z0-9]+', ' ')), '')
{%- endmacro %}

{#- Street name key: the text key of the street without house numbers and without street-type
    words (street, st, avenue, road, ...; German "-strasse" / "-str"), so "Main Street 12" and
    "12 Main St." both give "main", "Hauptstraße 5" and "Hauptstr. 7" give "haupt". The house
    number is compared on its own (identity_house_number). -#}
{% macro identity_street_name_key(expr) %}
    {{ return(adapter.dispatch('identity_street_name_key', 'customer_segments')(expr)) }}
{% endmacro %}

{#- Snowflake, BigQuery, Spark: regexp_replace replaces every match. -#}
{% macro default__identity_street_name_key(expr) -%}
    nullif(trim(regexp_replace(regexp_replace(regexp_replace(
        {{ identity_text_key(expr) }},
        '(strasse|str)\\b', ''),
        '\\b([0-9]+[a-z]?|street|st|avenue|ave|road|rd|boulevard|blvd|drive|dr|lane|ln|court|ct'
        || '|place|pl|square|sq|apartment|apt|unit|suite)\\b', ''),
        ' +', ' ')), '')
{%- endmacro %}

{% macro duckdb__identity_street_name_key(expr) -%}
    nullif(trim(regexp_replace(regexp_replace(regexp_replace(
        {{ identity_text_key(expr) }},
        '(strasse|str)\b', '', 'g'),
        '\b([0-9]+[a-z]?|street|st|avenue|ave|road|rd|boulevard|blvd|drive|dr|lane|ln|court|ct'
        || '|place|pl|square|sq|apartment|apt|unit|suite)\b', '', 'g'),
        ' +', ' ', 'g')), '')
{%- endmacro %}

{#- House number: the first number in the street text (with a letter suffix: "12a"). -#}
{% macro identity_house_number(expr) %}
    {{ return(adapter.dispatch('identity_house_number', 'customer_segments')(expr)) }}
{% endmacro %}

{% macro default__identity_house_number(expr) -%}
    nullif(regexp_substr({{ identity_text_key(expr) }}, '\\b[0-9]+[a-z]?\\b'), '')
{%- endmacro %}

{% macro duckdb__identity_house_number(expr) -%}
    nullif(regexp_extract({{ identity_text_key(expr) }}, '\b[0-9]+[a-z]?\b'), '')
{%- endmacro %}

{% macro bigquery__identity_house_number(expr) -%}
    nullif(regexp_extract({{ identity_text_key(expr) }}, r'\b[0-9]+[a-z]?\b'), '')
{%- endmacro %}
