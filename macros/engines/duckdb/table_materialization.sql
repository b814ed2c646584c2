{#- dbt-duckdb 1.11.1's table materialization, overridden in the root project for two
    windows in which a kill -9 left a relation behind (issue 11, K1; docs/reliability.md,
    DECISIONLOG.md). Everything else is the adapter's code unchanged.

    1. A Python model's frame was written to `<model>__dbt_tmp` by a second connection, in its
       own auto-committed transaction, before the transaction that renames it into place had
       begun: a kill in between left the table (found by the x20 kill test on customer_clv).
       Here the transaction is opened first and the frame is written on the build's own
       connection (duckdb_python_write_in_transaction), so the write, the swap and the drop
       of the old table commit together.
    2. The old table (`<model>__dbt_backup`) was dropped after the commit: a kill in between
       left it. Here it is dropped inside the transaction (DuckDB drops transactionally).

    Models with foreign keys are still built in place, as the adapter does. -#}
{% materialization table, adapter="duckdb", supported_languages=['sql', 'python'] %}

  {%- set language = model['language'] -%}

  {%- set existing_relation = load_cached_relation(this) -%}
  {%- set target_relation = this.incorporate(type='table') %}
  {%- set intermediate_relation =  make_intermediate_relation(target_relation) -%}
  {%- set preexisting_intermediate_relation = load_cached_relation(intermediate_relation) -%}
  {%- set backup_relation_type = 'table' if existing_relation is none else existing_relation.type -%}
  {%- set backup_relation = make_backup_relation(target_relation, backup_relation_type) -%}
  {%- set preexisting_backup_relation = load_cached_relation(backup_relation) -%}
  {%- set use_ducklake_table_workarounds = adapter.use_ducklake_table_workarounds(target_relation) -%}
  {%- set build_in_place = has_foreign_key_constraints(existing_relation) -%}
  {%- set dropped_dependents = [] -%}
  {% set grant_config = config.get('grants') %}

  {{ drop_relation_if_exists(preexisting_intermediate_relation) }}
  {{ drop_relation_if_exists(preexisting_backup_relation) }}

  {{ run_hooks(pre_hooks, inside_transaction=False) }}

  -- `BEGIN` happens here:
  {{ run_hooks(pre_hooks, inside_transaction=True) }}
  {%- if language == 'python' -%}
    {#- a SQL model's first statement opens the transaction; a Python job does not -#}
    {% call statement('open_transaction', auto_begin=True, fetch_result=True) -%} select 1 {%- endcall %}
  {%- endif -%}
  {%- set partitioned_by = duckdb__get_partitioned_by(target_relation, false) -%}
  {%- set sorted_by = duckdb__get_sorted_by(target_relation, false) -%}

  {% if build_in_place %}
    {% if existing_relation is not none %}
      {% set dropped_dependents = drop_relation_for_rebuild(existing_relation) %}
    {% endif %}
    {% call statement('main', language=language) -%}
      {{- segments_table_as(target_relation, compiled_code, language, partitioned_by, sorted_by) }}
    {%- endcall %}
    {% do restore_foreign_key_dependents(dropped_dependents) %}
  {% else %}
    {% call statement('main', language=language) -%}
      {{- segments_table_as(intermediate_relation, compiled_code, language, partitioned_by, sorted_by) }}
    {%- endcall %}

    {% if existing_relation is not none %}
        {% do drop_indexes_on_relation(existing_relation) %}
        {% if existing_relation.is_table and may_be_foreign_key_target(existing_relation) %}
          {% set dropped_dependents = drop_foreign_key_dependents(existing_relation) %}
        {% endif %}
        {{ adapter.rename_relation(existing_relation, backup_relation) }}
    {% endif %}

    {{ adapter.rename_relation(intermediate_relation, target_relation) }}
    {% do restore_foreign_key_dependents(dropped_dependents) %}
  {% endif %}

  {% do create_indexes(target_relation) %}

  {{ run_hooks(post_hooks, inside_transaction=True) }}

  {% set should_revoke = should_revoke(existing_relation, full_refresh_mode=True) %}
  {% do apply_grants(target_relation, grant_config, should_revoke=should_revoke) %}
  {% if not use_ducklake_table_workarounds %}
    {% do persist_docs(target_relation, model) %}
    {#- (2) the old table goes in the same transaction as the swap -#}
    {{ drop_relation_if_exists(backup_relation) }}
  {% endif %}

  -- `COMMIT` happens here
  {{ adapter.commit() }}

  {% if use_ducklake_table_workarounds %}
    {% if partitioned_by %}
      {% call statement('reassert_partitioned_by', auto_begin=False) -%}
        {{ duckdb__alter_table_set_partitioned_by(target_relation, partitioned_by) }}
      {%- endcall %}
    {% endif %}
    {% if sorted_by %}
      {% call statement('reassert_sorted_by', auto_begin=False) -%}
        {{ duckdb__alter_table_set_sorted_by(target_relation, sorted_by) }}
      {%- endcall %}
    {% endif %}
    {% do persist_docs(target_relation, model) %}
  {% endif %}

  {{ drop_relation_if_exists(backup_relation) }}

  {{ run_hooks(post_hooks, inside_transaction=False) }}

  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}


{#- The statement of the table materialization: the adapter's create_table_as for SQL; for
    Python, the model code plus a write that stays on the build's connection. -#}
{% macro segments_table_as(relation, compiled_code, language, partitioned_by, sorted_by) -%}
  {%- if language == 'python' and not (partitioned_by or sorted_by) -%}
    {{ duckdb_python_write_in_transaction(relation, compiled_code) }}
  {%- else -%}
    {{ create_table_as(False, relation, compiled_code, language, partitioned_by=partitioned_by, sorted_by=sorted_by) }}
  {%- endif -%}
{%- endmacro %}


{#- dbt-duckdb runs `model(dbt, con)` on the build's connection, then hands a pandas frame to
    `materialize` on a NEW cursor (its own connection and transaction), but a DuckDB relation
    to `materialize` on the build's connection. `model` is wrapped so that a frame comes back
    as a relation over it (`con.from_df`, no copy), and the table is created in the
    transaction the materialization opened. -#}
{% macro duckdb_python_write_in_transaction(relation, compiled_code) -%}
{{ compiled_code }}

_segments_user_model = model


def model(dbt, session):
    import duckdb
    import pandas
    df = _segments_user_model(dbt, session)
    if isinstance(df, duckdb.DuckDBPyRelation):
        return df
    if isinstance(df, pandas.DataFrame):
        return session.from_df(df)
    try:
        return session.from_arrow(df)
    except Exception as err:
        raise TypeError(
            "{{ relation.identifier }}: a Python table model must return a pandas DataFrame, "
            "an Arrow table or a DuckDB relation, not " + type(df).__name__) from err


def materialize(df, con):
    tmp_name = '__dbt_python_model_df_' + '{{ relation.identifier }}'
    con.register(tmp_name, df)
    con.execute('create table {{ relation }} as select * from ' + tmp_name)
    con.unregister(tmp_name)
{%- endmacro %}
