{#- Delete every row that identifies an erased person from every table of the warehouse.
    Called twice per build (docs/privacy.md, "Erasure"):
      - as the post-hook of int_erasure__scope, with that table as `targets`: BEFORE any
        model reads the staged data, so landing, incremental intermediates, facts, history
        and snapshots hold none of the erased people while the build runs;
      - as the on-run-end hook, without arguments: the safety net. Targets are
        int_erasure__targets (the scope minus keys a re-admitted person holds again); the
        deletes can be switched off with var privacy__erase_on_run_end: false (tests prove
        the build is clean without them). Then the scope table is emptied, so the erased
        people's identifiers are not kept after the build.
    The targets (customer keys, pseudonymous ids, record ids, raw row ids) are copied into
    a temporary table; then every base table of the warehouse is inspected through
    information_schema, and every column that carries one of those kinds of identifier
    becomes a delete condition:
      customer_key, *_customer_key, customer_key_*         -> customer_key
      *record_id, record_id_*                              -> customer_record_id
      *pseudo_id                                           -> customer_pseudo_id
      source_row_id; _source_file + _source_row_number     -> source_row_id
      source_system + source_customer_id                   -> customer_record_id
    So landing, intermediate, marts, snapshots/history and incremental tables are all
    covered without a list to keep up to date. Views need nothing (they read the tables);
    export files are written from tables that no longer hold erased people. Returns the
    SQL for dbt to run; empty when there is nothing to do. -#}
{% macro privacy_apply_erasure(targets=none) %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set scope = privacy_existing_relation('int_erasure__scope') -%}
    {%- set finally = [] -%}
    {%- if targets is none -%}
        {#- on-run-end: the safety net over int_erasure__targets, then empty the scope -#}
        {%- set targets = privacy_existing_relation('int_erasure__targets') -%}
        {%- if scope is none or run_query('select count(*) from ' ~ scope).rows[0][0] == 0 -%}
            {{ return('') }}  {#- nothing was erased in this invocation (no DELETE on engines without it) -#}
        {%- endif -%}
        {%- do finally.append('delete from ' ~ scope) -%}
        {%- if targets is none or scope is none or not var('privacy__erase_on_run_end', true) -%}
            {{ return(finally | join(';\n')) }}
        {%- endif -%}
    {%- endif -%}
    {%- set counted = run_query('select count(*) from ' ~ targets) -%}
    {%- if counted.rows[0][0] == 0 -%}{{ return(finally | join(';\n')) }}{%- endif -%}
    {#- every base table of the warehouse (information_schema), so tables added later and
        tables dbt does not manage are covered too -#}
    {%- set columns = run_query(
        "select c.table_schema, c.table_name, lower(c.column_name) "
        ~ "from information_schema.columns as c inner join information_schema.tables as t "
        ~ "on c.table_catalog = t.table_catalog and c.table_schema = t.table_schema "
        ~ "and c.table_name = t.table_name "
        ~ "where t.table_type = 'BASE TABLE' and c.table_catalog = '" ~ targets.database ~ "' "
        ~ "and c.table_schema not in ('information_schema', 'pg_catalog') "
        ~ "order by 1, 2, c.ordinal_position") -%}
    {%- set tables = {} -%}
    {%- for row in columns.rows -%}
        {%- set key = row[0] ~ '.' ~ row[1] -%}
        {%- if scope is not none and row[0] == scope.schema and row[1] == scope.identifier -%}
            {#- the scope itself: emptied at the end, never used as a delete target -#}
        {%- elif key not in tables -%}
            {%- do tables.update({key: {'relation': api.Relation.create(
                database=targets.database, schema=row[0], identifier=row[1]), 'cols': []}}) -%}
        {%- endif -%}
        {%- if key in tables -%}
            {%- do tables[key]['cols'].append(row[2]) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set tmp = '__segments_erasure_targets' -%}
    {%- set statements = ['create or replace temp table ' ~ tmp ~ ' as select * from ' ~ targets] -%}
    {%- for key, t in tables.items() | sort -%}
        {%- set conditions = [] -%}
        {%- for col in t['cols'] -%}
            {%- set q = col if modules.re.fullmatch('[a-z_][a-z0-9_]*', col) else adapter.quote(col) -%}
            {%- set kind = none -%}
            {%- if col == 'customer_key' or col.endswith('_customer_key') or col.startswith('customer_key_') -%}
                {%- set kind = 'customer_key' -%}
            {%- elif col.endswith('record_id') or col.startswith('record_id_') -%}
                {%- set kind = 'customer_record_id' -%}
            {%- elif col.endswith('pseudo_id') -%}
                {%- set kind = 'customer_pseudo_id' -%}
            {%- elif col == 'source_row_id' -%}
                {%- set kind = 'source_row_id' -%}
            {%- endif -%}
            {%- if kind is not none -%}
                {%- do conditions.append('cast(' ~ q ~ ' as ' ~ dbt.type_string() ~ ') in (select target_value from ' ~ tmp
                    ~ " where target_kind = '" ~ kind ~ "')") -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if '_source_file' in t['cols'] and '_source_row_number' in t['cols'] -%}
            {%- do conditions.append("(_source_file || '#' || cast(_source_row_number as " ~ dbt.type_string() ~ ")) in (select target_value from "
                ~ tmp ~ " where target_kind = 'source_row_id')") -%}
        {%- endif -%}
        {%- if 'source_system' in t['cols'] and 'source_customer_id' in t['cols'] -%}
            {%- do conditions.append("(source_system || ':' || source_customer_id) in (select target_value from "
                ~ tmp ~ " where target_kind = 'customer_record_id')") -%}
        {%- endif -%}
        {%- if conditions | length > 0 -%}
            {%- do statements.append('delete from ' ~ t['relation'] ~ ' where ' ~ conditions | join(' or ')) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- do statements.append('drop table ' ~ tmp) -%}
    {%- do log('privacy: erasing ' ~ counted.rows[0][0] ~ ' identifiers from ' ~ (statements | length - 2)
        ~ ' tables (' ~ ('before the build reads them' if finally | length == 0 else 'safety net at run end') ~ ')',
        info=true) -%}
    {{ return((statements + finally) | join(';\n') ~ ';') }}
{% endmacro %}
