{#- on-run-start: say what a target does not run. dbt-spark's session method runs no dbt Python
    models, so on Spark the selector `sql_engines` (default there, selectors.yml) leaves out
    every Python model and everything built on it; this names them in the log. Empty SQL.
    Also refuses, before anything is built, an EM depth Spark cannot plan: the EM steps of
    int_customers__match_weights are unrolled self-joins, and Spark's analyzer
    (DeduplicateRelations) takes time and memory exponential in their number (measured: 6
    steps 1.5 min, 8 steps out of a 2 GB driver heap after 10 min; docs/scale.md). -#}
{% macro engines_run_notice() %}
    {%- if execute and target.type == 'spark' -%}
        {%- set py = [] -%}
        {%- for node in graph.nodes.values() if node.resource_type == 'model' and node.language == 'python' -%}
            {%- do py.append(node.name) -%}
        {%- endfor -%}
        {%- do log("target spark: dbt Python models are not run on this target (dbt-spark session "
            ~ "runs SQL only; docs/scale.md), nor the SQL models and tests built on them. Skipped "
            ~ "Python models: " ~ (py | sort | join(', ')), info=true) -%}
        {%- set max_em = var('spark__max_em_iterations', 6) | int -%}
        {%- if var('dedup__estimate_m_by_em') and (var('dedup__em_iterations') | int) > max_em -%}
            {{ exceptions.raise_compiler_error(
                "target spark: var dedup__em_iterations is " ~ var('dedup__em_iterations')
                ~ ", Spark plans at most " ~ max_em ~ " unrolled EM steps of "
                ~ "int_customers__match_weights (its analyzer grows exponentially with them). "
                ~ "Pass --vars '{dedup__em_iterations: " ~ max_em ~ "}' on Spark (docs/scale.md).") }}
        {%- endif -%}
    {%- endif -%}
{% endmacro %}
