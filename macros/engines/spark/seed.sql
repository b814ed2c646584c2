{#- Seeds on Spark: the seed YAML declares text columns as `varchar` (DuckDB, Snowflake and
    BigQuery read it as unbounded text); Spark's parser wants a length, so a bare varchar /
    text column type becomes `string`. Otherwise dbt-spark's spark__create_csv_table and
    spark__load_csv_rows. -#}
{% macro spark_seed_type(type) %}
    {{- return('string' if (type | string | lower | trim) in ['varchar', 'text'] else type) -}}
{% endmacro %}

{% macro spark__create_csv_table(model, agate_table) %}
  {%- set column_override = model['config'].get('column_types', {}) -%}
  {%- set quote_seed_column = model['config'].get('quote_columns', None) -%}

  {% set sql %}
    create table {{ this.render() }} (
        {%- for col_name in agate_table.column_names -%}
            {%- set inferred_type = adapter.convert_type(agate_table, loop.index0) -%}
            {%- set type = column_override.get(col_name, inferred_type) -%}
            {%- set type = spark_seed_type(type) -%}
            {%- set column_name = (col_name | string) -%}
            {{ adapter.quote_seed_column(column_name, quote_seed_column) }} {{ type }} {%- if not loop.last -%}, {%- endif -%}
        {%- endfor -%}
    )
    {{ file_format_clause() }}
    {{ partition_cols(label="partitioned by") }}
    {{ clustered_cols(label="clustered by") }}
    {{ location_clause() }}
    {{ comment_clause() }}
  {% endset %}

  {% call statement('_') -%}
    {{ sql }}
  {%- endcall %}

  {{ return(sql) }}
{% endmacro %}

{#- Rows as literals, not bindings: the session connection pastes bindings into the SQL
    without escaping quotes (a seed text "can't" broke the statement). Text is escaped the way
    Spark reads literals (backslash before a quote or backslash). -#}
{% macro spark__load_csv_rows(model, agate_table) %}
  {% set batch_size = get_batch_size() %}
  {% set column_override = model['config'].get('column_types', {}) %}
  {% set statements = [] %}
  {% for chunk in agate_table.rows | batch(batch_size) %}
      {% set sql %}
          insert into {{ this.render() }} values
          {% for row in chunk -%}
              ({%- for col_name in agate_table.column_names -%}
                  {%- set inferred_type = adapter.convert_type(agate_table, loop.index0) -%}
                  {%- set type = spark_seed_type(column_override.get(col_name, inferred_type)) -%}
                  {%- set value = row[loop.index0] -%}
                  {%- if value is none -%}
                    cast(null as {{ type }})
                  {%- else -%}
                    cast('{{ value | string | replace('\\', '\\\\') | replace("'", "\\'") }}' as {{ type }})
                  {%- endif -%}
                  {%- if not loop.last %},{% endif -%}
              {%- endfor -%})
              {%- if not loop.last %},{% endif %}
          {%- endfor %}
      {% endset %}
      {% do adapter.add_query(sql, abridge_sql_log=True) %}
      {% if loop.index0 == 0 %}
          {% do statements.append(sql) %}
      {% endif %}
  {% endfor %}
  {{ return(statements[0]) }}
{% endmacro %}
