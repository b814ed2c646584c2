{#- The raw landed row as one JSON object on Spark: every contract column, NULLs kept as
    null (Spark's to_json drops NULL fields unless told not to; DuckDB keeps them). -#}
{% macro spark__raw_record_json(table_name, alias) -%}
    to_json(named_struct(
        {%- for col in raw_contract()[table_name]['columns'] %}
        '{{ col }}', {{ alias }}.{{ col }}{{ ',' if not loop.last }}
        {%- endfor %}
    ), map('ignoreNullFields', 'false'))
{%- endmacro %}
