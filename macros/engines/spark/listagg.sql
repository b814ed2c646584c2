{#- dbt-spark's listagg drops the order_by_clause (with a warning), which would make ordered
    lists (name-pair blocking keys, rule lists) differ from DuckDB's. Spark 4 has LISTAGG ...
    WITHIN GROUP: this overrides the adapter's version for this project. NULLs are skipped as
    on every engine; limit_num is not supported (no caller uses it).
    A DISTINCT list ordered by its own measure (`distinct x` ... `order by x`) is built from
    collect_set instead: Spark 4.3's optimizer fails on LISTAGG(DISTINCT ..) WITHIN GROUP next
    to another DISTINCT aggregate (ClassCastException in RewriteDistinctAggregates, seen in
    dim_customers). Same result: the distinct non-NULL values sorted ascending, NULL when
    there is none. -#}
{% macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- if limit_num -%}
        {{ exceptions.raise_compiler_error("listagg with limit_num is not supported on Spark in this project") }}
    {%- endif -%}
    {%- set m = modules.re.match('(?is)^\\s*distinct\\s+(.+?)\\s*$', measure) -%}
    {%- if m and order_by_clause -%}
        {%- set expr = m.group(1) -%}
        {%- if modules.re.sub('\\s+', ' ', order_by_clause.strip().lower())
                != 'order by ' ~ modules.re.sub('\\s+', ' ', expr.lower()) -%}
            {{ exceptions.raise_compiler_error(
                "listagg(distinct ...) on Spark needs the list ordered by its own measure, got "
                ~ order_by_clause) }}
        {%- endif -%}
        case when count({{ expr }}) > 0
            then array_join(array_sort(collect_set({{ expr }})), {{ delimiter_text }}) end
    {%- else -%}
    listagg({{ measure }}, {{ delimiter_text }})
    {%- if order_by_clause %} within group ({{ order_by_clause }}){%- endif -%}
    {%- endif -%}
{%- endmacro %}
