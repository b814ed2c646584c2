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
