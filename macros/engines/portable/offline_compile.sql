{#- Offline compile (`dbt compile --no-introspect`, the Snowflake / BigQuery dialect check in
    CI): there is no warehouse to ask whether an incremental model's table exists, so the
    model compiles as a full build. With introspection on (every real run) this is dbt's own
    is_incremental(). -#}
{% macro is_incremental() %}
    {%- if execute and not flags.INTROSPECT -%}{{ return(false) }}{%- endif -%}
    {{ return(dbt.is_incremental()) }}
{% endmacro %}
