{#- Truth tables written by the demo generator (<truth_dir>/<name>.parquet). Returns the
    read_parquet(...) expression, or none when there is no truth (a user's real data), so
    quality models can emit no rows instead of failing. DuckDB only. -#}
{% macro truth_relation(name) %}
    {%- if not execute or target.type != 'duckdb' -%}{{ return(none) }}{%- endif -%}
    {%- set truth_dir = var('truth_dir') or ((var('raw_dir') | string).rstrip('/') ~ '/truth') -%}
    {%- set path_sql = (truth_dir ~ '/' ~ name ~ '.parquet') | replace("'", "''") -%}
    {%- set found = run_query("select count(*) from glob('" ~ path_sql ~ "')") -%}
    {%- if found.rows[0][0] == 0 -%}{{ return(none) }}{%- endif -%}
    {{ return("read_parquet('" ~ path_sql ~ "')") }}
{% endmacro %}

{#- True when the relation has at least one row (execute time; true while parsing). -#}
{% macro relation_has_rows(relation) %}
    {%- if not execute or not flags.INTROSPECT -%}{{ return(true) }}{%- endif -%}
    {%- if adapter.get_relation(relation.database, relation.schema, relation.identifier) is none -%}
        {{ return(true) }}
    {%- endif -%}
    {%- set n = run_query("select count(*) from (select 1 from " ~ relation ~ " limit 1) as probe") -%}
    {{ return(n.rows[0][0] > 0) }}
{% endmacro %}
