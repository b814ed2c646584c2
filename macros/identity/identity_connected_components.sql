{#- CTEs labelling the connected components of an undirected graph by min-label propagation,
    unrolled into `steps` portable SQL steps (no recursion): every node starts with its own id
    as label and each step takes the smallest label among itself and its neighbours, so after
    k steps a label has travelled k hops. `edges` is a CTE of (record_id, neighbour_id) in both
    directions plus a self-loop per node. Emits <prefix>_0 .. <prefix>_<steps> and
    <prefix>_components (record_id, cluster_label, component_size, is_converged: no label of
    the component changed in the last step). Ends with a trailing comma. -#}
{% macro identity_connected_components(edges, prefix, steps) -%}
    {%- if steps < 2 -%}
        {{ exceptions.raise_compiler_error("dedup__cluster_iterations must be at least 2") }}
    {%- endif -%}
    {{ return(adapter.dispatch('identity_connected_components', 'customer_segments')(edges, prefix, steps)) }}
{%- endmacro %}

{#- Portable version: one CTE per step (Spark: macros/engines/spark/connected_components.sql). -#}
{% macro default__identity_connected_components(edges, prefix, steps) -%}
{{ prefix }}_0 as (
    select distinct
        record_id,
        record_id as cluster_label
    from {{ edges }}
),
    {%- for i in range(1, steps + 1) %}

{{ prefix }}_{{ i }} as (
    select
        {{ edges }}.record_id,
        min(previous.cluster_label) as cluster_label
    from {{ edges }}
    inner join {{ prefix }}_{{ i - 1 }} as previous
        on {{ edges }}.neighbour_id = previous.record_id
    group by {{ edges }}.record_id
),
    {%- endfor %}

{{ prefix }}_components as (
    select
        last_step.record_id,
        last_step.cluster_label,
        count(*) over (partition by last_step.cluster_label) as component_size,
        min(case when last_step.cluster_label = step_before.cluster_label then 1 else 0 end)
            over (partition by last_step.cluster_label)
        = 1 as is_converged
    from {{ prefix }}_{{ steps }} as last_step
    inner join {{ prefix }}_{{ steps - 1 }} as step_before
        on last_step.record_id = step_before.record_id
),
{%- endmacro %}
