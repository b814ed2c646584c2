{#- var rfm__bins (number of RFM score levels, 2-9 so rfm_code stays one digit per score),
    checked. -#}
{% macro rfm_bins() %}
    {%- set bins = var('rfm__bins', 5) -%}
    {%- if bins is boolean or bins is not integer or bins < 2 or bins > 9 -%}
        {{ exceptions.raise_compiler_error("var rfm__bins must be a whole number from 2 to 9, got: " ~ bins) }}
    {%- endif -%}
    {{ return(bins) }}
{% endmacro %}
