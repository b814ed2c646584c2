{#- The var incremental__lookback_days as a checked integer (>= 0): on an incremental run,
    rows dated within this many days before as_of_date are re-validated and re-merged every
    run (docs/refresh.md). -#}
{% macro incremental_lookback_days() %}
    {%- set raw = var('incremental__lookback_days', 3) -%}
    {%- if raw is not number or raw < 0 or raw != (raw | int) -%}
        {{ exceptions.raise_compiler_error(
            "var incremental__lookback_days must be a whole number of days >= 0, got '"
            ~ raw ~ "'") }}
    {%- endif -%}
    {{ return(raw | int) }}
{% endmacro %}
