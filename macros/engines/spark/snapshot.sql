{#- dbt snapshots on Spark's plain Parquet tables (docs/scale.md "Snapshots on Spark").

    dbt-spark's snapshot materialization stops unless the table is Delta, Iceberg or Hudi: it
    applies the changes with MERGE INTO, and those jars are not on PyPI. This is the same
    materialization (the root project's version wins over the adapter's) with one difference:
    on a Parquet table the changes are applied by a rewrite instead of MERGE. The staging
    relation is dbt's own (snapshot_staging_table: the same strategy, the same dbt_scd_id,
    dbt_valid_from / dbt_valid_to and hard-delete handling as every other adapter), then

      new table = every existing version, with dbt_valid_to set where the staging relation
                  closes it ('update' / 'delete' rows, matched on dbt_scd_id, current rows
                  only: exactly MERGE's `when matched ... then update`)
                  union all the staging relation's 'insert' rows (MERGE's `when not matched`)

    written to <snapshot>__dbt_rewrite, then swapped in with two renames (the old table is
    kept as <snapshot>__dbt_backup until the swap is done). Spark's Parquet tables have no
    transactions: a build killed between the two renames leaves the previous history in
    <snapshot>__dbt_backup (rename it back); the next run refuses to start while it exists.
    Delta / Iceberg / Hudi tables keep dbt-spark's MERGE. -#}
{% macro spark_snapshot_rewrite_sql(target, staging, columns, staging_column_names) -%}
    {%- set names = config.get("snapshot_table_column_names") or get_snapshot_table_column_names() -%}
    {%- set valid_to_current = config.get("dbt_valid_to_current") -%}
with closing as (
    select
        {{ names.dbt_scd_id }} as closing_scd_id,
        {{ names.dbt_valid_to }} as closing_valid_to
    from {{ staging }}
    where dbt_change_type in ('update', 'delete')
)

select
    {%- for column in columns %}
        {%- if column.name | lower == names.dbt_valid_to | lower %}
    case
        when closing.closing_scd_id is not null then closing.closing_valid_to
        else existing.{{ adapter.quote(column.name) }}
    end as {{ adapter.quote(column.name) }}{{ ',' if not loop.last }}
        {%- else %}
    existing.{{ adapter.quote(column.name) }}{{ ',' if not loop.last }}
        {%- endif %}
    {%- endfor %}
from {{ target }} as existing
left join closing
    on existing.{{ names.dbt_scd_id }} = closing.closing_scd_id
    and (
        existing.{{ names.dbt_valid_to }} is null
        {%- if valid_to_current %}
        or existing.{{ names.dbt_valid_to }} = {{ valid_to_current }}
        {%- endif %}
    )

union all

select
    {%- for column in columns %}
        {%- if column.name | lower in staging_column_names %}
    {{ adapter.quote(column.name) }}{{ ',' if not loop.last }}
        {%- else %}
    cast(null as {{ column.data_type }}) as {{ adapter.quote(column.name) }}{{ ',' if not loop.last }}
        {%- endif %}
    {%- endfor %}
from {{ staging }}
where dbt_change_type = 'insert'
{%- endmacro %}


{% materialization snapshot, adapter='spark' %}

  {%- set target_table = model.get('alias', model.get('name')) -%}

  {%- set strategy_name = config.get('strategy') -%}
  {%- set file_format = config.get('file_format') or 'parquet' -%}
  {%- set grant_config = config.get('grants') -%}

  {% set target_relation_exists, target_relation = get_or_create_relation(
          database=none,
          schema=model.schema,
          identifier=target_table,
          type='table') -%}

  {%- if file_format not in ['parquet', 'delta', 'iceberg', 'hudi'] -%}
    {% do exceptions.raise_compiler_error(
        "snapshot " ~ target_relation ~ ": file_format " ~ file_format ~ " is not supported; "
        ~ "use parquet (rewritten per run, macros/engines/spark/snapshot.sql) or delta, "
        ~ "iceberg or hudi (MERGE)") %}
  {%- endif -%}

  {%- set backup_relation = api.Relation.create(identifier=target_table ~ '__dbt_backup',
                                                schema=model.schema, database=none,
                                                type='table') -%}
  {%- if adapter.get_relation(database=none, schema=model.schema,
                              identifier=target_table ~ '__dbt_backup') is not none -%}
    {% do exceptions.raise_compiler_error(
        "snapshot " ~ target_relation ~ ": " ~ backup_relation ~ " exists, left by a run that "
        ~ "stopped while swapping in the new history. If " ~ target_relation ~ " is missing, "
        ~ "rename the backup back to it; otherwise drop the backup. Then run again.") %}
  {%- endif -%}

  {% if not adapter.check_schema_exists(model.database, model.schema) %}
    {% do create_schema(model.schema) %}
  {% endif %}

  {%- if not target_relation.is_table -%}
    {% do exceptions.relation_wrong_type(target_relation, 'table') %}
  {%- endif -%}

  {{ run_hooks(pre_hooks, inside_transaction=False) }}

  {{ run_hooks(pre_hooks, inside_transaction=True) }}

  {% set strategy_macro = strategy_dispatch(strategy_name) %}
  {% set strategy = strategy_macro(model, "snapshotted_data", "source_data", model['config'], target_relation_exists) %}
  {% set rewrite = false %}

  {% if not target_relation_exists %}

      {% set build_sql = build_snapshot_table(strategy, model['compiled_code']) %}
      {% set final_sql = create_table_as(False, target_relation, build_sql) %}

  {% else %}

      {% set columns = config.get("snapshot_table_column_names") or get_snapshot_table_column_names() %}

      {{ adapter.valid_snapshot_target(target_relation, columns) }}

      {% set staging_table = spark_build_snapshot_staging_table(strategy, sql, target_relation) %}

      -- this may no-op if the database does not require column expansion
      {% do adapter.expand_target_column_types(from_relation=staging_table,
                                               to_relation=target_relation) %}

      {% set missing_columns = adapter.get_missing_columns(staging_table, target_relation)
                                   | rejectattr('name', 'equalto', 'dbt_change_type')
                                   | rejectattr('name', 'equalto', 'DBT_CHANGE_TYPE')
                                   | rejectattr('name', 'equalto', 'dbt_unique_key')
                                   | rejectattr('name', 'equalto', 'DBT_UNIQUE_KEY')
                                   | list %}

      {% do create_columns(target_relation, missing_columns) %}

      {% set source_columns = adapter.get_columns_in_relation(staging_table)
                                   | rejectattr('name', 'equalto', 'dbt_change_type')
                                   | rejectattr('name', 'equalto', 'DBT_CHANGE_TYPE')
                                   | rejectattr('name', 'equalto', 'dbt_unique_key')
                                   | rejectattr('name', 'equalto', 'DBT_UNIQUE_KEY')
                                   | list %}

      {% if target_relation.is_delta or target_relation.is_iceberg or target_relation.is_hudi %}
          {% set quoted_source_columns = [] %}
          {% for column in source_columns %}
            {% do quoted_source_columns.append(adapter.quote(column.name)) %}
          {% endfor %}

          {% set final_sql = snapshot_merge_sql(
                target = target_relation,
                source = staging_table,
                insert_cols = quoted_source_columns
             )
          %}
      {% else %}
          {% set rewrite = true %}
          {% set rewrite_relation = api.Relation.create(identifier=target_table ~ '__dbt_rewrite',
                                                        schema=model.schema, database=none,
                                                        type='table') %}
          {% do adapter.drop_relation(rewrite_relation) %}
          {% set staging_column_names = source_columns | map(attribute='name') | map('lower') | list %}
          {% set rewrite_sql = spark_snapshot_rewrite_sql(
                target_relation, staging_table,
                adapter.get_columns_in_relation(target_relation), staging_column_names) %}
          {% set final_sql = create_table_as(False, rewrite_relation, rewrite_sql) %}
      {% endif %}

  {% endif %}

  {% call statement('main') %}
      {{ final_sql }}
  {% endcall %}

  {% if rewrite %}
      {% do adapter.rename_relation(target_relation, backup_relation) %}
      {% do adapter.rename_relation(rewrite_relation, target_relation) %}
      {% do adapter.drop_relation(backup_relation) %}
  {% endif %}

  {% set should_revoke = should_revoke(target_relation_exists, full_refresh_mode) %}
  {% do apply_grants(target_relation, grant_config, should_revoke) %}

  {% do persist_docs(target_relation, model) %}

  {{ run_hooks(post_hooks, inside_transaction=True) }}

  {{ adapter.commit() }}

  {% if staging_table is defined %}
      {% do post_snapshot(staging_table) %}
  {% endif %}

  {{ run_hooks(post_hooks, inside_transaction=False) }}

  {{ return({'relations': [target_relation]}) }}

{% endmaterialization %}
