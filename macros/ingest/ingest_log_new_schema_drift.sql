{#- Log one WARNING line per schema drift the warehouse has not seen yet (a column of a
    table not seen in any earlier run), naming the file and the column. `known` is the
    ingest_schema_drift relation on an incremental run, none on the first. -#}
{% macro ingest_log_new_schema_drift(rows, known) %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set seen = [] -%}
    {%- if known is not none -%}
        {%- for r in run_query("select distinct source_table, column_name, drift_type from " ~ known).rows -%}
            {%- do seen.append([r[0], r[1], r[2]]) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- for r in rows if [r[0], r[2], r[4]] not in seen -%}
        {%- if r[4] == 'extra_column' -%}
            {%- do log("WARNING schema drift: raw input file " ~ r[1] ~ " has a new column '" ~ r[2]
                ~ "' that is not in the input contract of table '" ~ r[0]
                ~ "': ignored (logged in ingest_schema_drift)", info=true) -%}
        {%- else -%}
            {%- do log("WARNING schema drift: raw input file " ~ r[1] ~ " has no column '" ~ r[2]
                ~ "' (optional for table '" ~ r[0] ~ "'): landed as NULL (logged in ingest_schema_drift)",
                info=true) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return('') }}
{% endmacro %}
