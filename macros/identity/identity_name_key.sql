{#- Comparison key of a name: lower case, accents stripped (ß -> ss; ø, ł -> o, l, which
    have no Unicode decomposition, on every engine), only the letters a-z
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
        nullif(regexp_replace(strip_accents(translate(replace(lower({{ expr }}), 'ß', 'ss'), 'øł', 'ol')),
            '[^a-z]', '', 'g'), ''),
        nullif(regexp_replace(lower({{ expr }}), '[[:space:][:punct:]]', '', 'g'), '')
    )
{%- endmacro %}

{% macro bigquery__identity_name_key(expr) -%}
    coalesce(
        nullif(regexp_replace(regexp_replace(normalize(translate(replace(lower({{ expr }}), 'ß', 'ss'), 'øł', 'ol'), nfd),
            r'\p{M}', ''), r'[^a-z]', ''), ''),
        nullif(regexp_replace(lower({{ expr }}), r'[\s\p{P}]', ''), '')
    )
{%- endmacro %}
