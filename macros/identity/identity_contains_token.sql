{#- True when the space-separated token list `tokens` contains the single token `token`
    (whole tokens only: "al" is not in "alex alexander"). Portable: dbt.position. -#}
{% macro identity_contains_token(tokens, token) -%}
    {{ dbt.position("' ' || " ~ token ~ " || ' '", "' ' || " ~ tokens ~ " || ' '") }} > 0
{%- endmacro %}
