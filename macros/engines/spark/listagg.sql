{#- dbt-spark's listagg drops the order_by_clause (with a warning), which would make ordered
    lists (name-pair blocking keys, rule lists) differ from DuckDB's. Spark 4 has LISTAGG ...
    WITHIN GROUP: this overrides the adapter's version for this project. NULLs are skipped as
    on every engine; limit_num is not supported (no caller uses it). -#}
{% macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- if limit_num -%}
        {{ exceptions.raise_compiler_error("listagg with limit_num is not supported on Spark in this project") }}
    {%- endif -%}
    listagg({{ measure }}, {{ delimiter_text }})
    {%- if order_by_clause %} within group ({{ order_by_clause }}){%- endif -%}
{%- endmacro %}
