{#- on-run-start: say what a target does not run. dbt-spark's session method runs no dbt Python
    models, so on Spark the selector `sql_engines` (default there, selectors.yml) leaves out
    every Python model and everything built on it; this names them in the log. Empty SQL. -#}
{% macro engines_run_notice() %}
    {%- if execute and target.type == 'spark' -%}
        {%- set py = [] -%}
        {%- for node in graph.nodes.values() if node.resource_type == 'model' and node.language == 'python' -%}
            {%- do py.append(node.name) -%}
        {%- endfor -%}
        {%- do log("target spark: dbt Python models are not run on this target (dbt-spark session "
            ~ "runs SQL only; docs/scale.md), nor the SQL models and tests built on them. Skipped "
            ~ "Python models: " ~ (py | sort | join(', ')), info=true) -%}
    {%- endif -%}
{% endmacro %}
