{#- dbt-spark's persist_constraints takes an unset file_format for 'delta' and then runs
    `alter table .. change column .. set not null`, which Spark's Parquet tables (its own
    default format, and ours) refuse. Constraints are applied only to Delta tables here; the
    contracted not-null columns also have not_null data tests, which run on every engine. -#}
{% macro spark__persist_constraints(relation, model) %}
    {%- set contract_config = config.get('contract') -%}
    {%- if contract_config.enforced and config.get('file_format', 'parquet') == 'delta' %}
        {%- do alter_table_add_constraints(relation, model.constraints) %}
        {%- do alter_column_set_constraints(relation, model.columns) %}
    {%- endif %}
{% endmacro %}
