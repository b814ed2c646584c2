{#- Spark version of segments_epoch_seconds (macros/segments): Spark has no
    `extract(epoch from ..)`; microseconds since 1970 over 10^6 as a double keep the fraction
    of a second, as DuckDB's epoch() does. -#}
{% macro spark__segments_epoch_seconds(expr) -%}
    cast(unix_micros({{ expr }}) as double) / 1000000
{%- endmacro %}
