{#- The raw landed row (every contract column, as text) as one JSON object. -#}
{% macro raw_record_json(table_name, alias) %}
    {{ return(adapter.dispatch('raw_record_json', 'customer_segments')(table_name, alias)) }}
{% endmacro %}

{% macro default__raw_record_json(table_name, alias) -%}
    to_json(object_construct(
        {%- for col in raw_contract()[table_name]['columns'] %}
        '{{ col }}', {{ alias }}.{{ col }}{{ ',' if not loop.last }}
        {%- endfor %}
    ))
{%- endmacro %}

{% macro duckdb__raw_record_json(table_name, alias) -%}
    cast(to_json(struct_pack(
        {%- for col in raw_contract()[table_name]['columns'] %}
        {{ col }} := {{ alias }}.{{ col }}{{ ',' if not loop.last }}
        {%- endfor %}
    )) as varchar)
{%- endmacro %}

{% macro bigquery__raw_record_json(table_name, alias) -%}
    to_json_string(struct(
        {%- for col in raw_contract()[table_name]['columns'] %}
        {{ alias }}.{{ col }} as {{ col }}{{ ',' if not loop.last }}
        {%- endfor %}
    ))
{%- endmacro %}
