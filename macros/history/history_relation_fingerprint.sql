{#- SQL expression of a one-row query's select list: a fingerprint of a relation's content
    (row count and an order-independent checksum). Floats are rounded to 3 decimals (and
    -0.0 folded into 0.0): parallel float sums differ in the last bits, and an input such as
    model_metrics carries permutation importances that vary around 1e-5 between identical
    runs; neither may make a new version. Dispatched: DuckDB hashes every column; the
    default falls back to the row count only. -#}
{% macro history_relation_fingerprint(relation) %}
    {{ return(adapter.dispatch('history_relation_fingerprint', 'customer_segments')(relation)) }}
{% endmacro %}

{% macro default__history_relation_fingerprint(relation) %}
    (select cast(count(*) as {{ dbt.type_string() }}) from {{ relation }})
{% endmacro %}

{% macro duckdb__history_relation_fingerprint(relation) %}
    {%- set parts = [] %}
    {%- for col in adapter.get_columns_in_relation(relation) %}
        {%- set name = adapter.quote(col.name) %}
        {%- if col.dtype | lower in ['double', 'float', 'real', 'float8', 'float4'] %}
            {%- do parts.append('(round(t.' ~ name ~ ', 3) + 0.0)') %}
        {%- else %}
            {%- do parts.append('t.' ~ name) %}
        {%- endif %}
    {%- endfor %}
    (
        select cast(count(*) as varchar) || ':' || cast(coalesce(sum(hash({{ parts | join(', ') }})), 0) as varchar)
        from {{ relation }} as t
    )
{% endmacro %}
