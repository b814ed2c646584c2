{#- Spark version of identity_connected_components: the same min-label propagation, the same
    number of steps and the same <prefix>_components CTE (record_id, cluster_label,
    component_size, is_converged), but the steps run inside one query with higher-order
    functions over the adjacency lists instead of one self-join CTE per step. Spark's analyzer
    inlines every CTE reference to check a plan, so the unrolled steps (each reading the edge
    CTE again, in a model that reads the components several times) multiplied into a plan that
    did not fit a 2 GB driver heap (docs/scale.md). Step i: each record takes the smallest
    label among its neighbours' labels after step i - 1 (the edges hold a self-loop per
    record); labels start as the record's own id. The whole edge list of one build becomes one
    row here: fine for the local Spark target, not a design for a large cluster. -#}
{% macro spark__identity_connected_components(edges, prefix, steps) -%}
{{ prefix }}_adjacency as (
    select
        record_id,
        collect_list(neighbour_id) as neighbour_ids
    from {{ edges }}
    group by record_id
),

{{ prefix }}_graph as (
    select collect_list(struct(record_id, neighbour_ids)) as adjacency
    from {{ prefix }}_adjacency
),

{{ prefix }}_step_before as (
    select
        adjacency,
        aggregate(
            sequence(1, {{ steps - 1 }}),
            map_from_arrays(
                transform(adjacency, node -> node.record_id),
                transform(adjacency, node -> node.record_id)
            ),
            (labels, step) -> map_from_arrays(
                transform(adjacency, node -> node.record_id),
                transform(adjacency, node -> array_min(transform(node.neighbour_ids, n -> labels[n])))
            )
        ) as labels
    from {{ prefix }}_graph
),

{{ prefix }}_nodes as (
    select
        inline(adjacency),
        labels
    from {{ prefix }}_step_before
),

{{ prefix }}_last_step as (
    select
        record_id,
        array_min(transform(neighbour_ids, n -> labels[n])) as cluster_label,
        labels[record_id] as label_before
    from {{ prefix }}_nodes
),

{{ prefix }}_components as (
    select
        record_id,
        cluster_label,
        count(*) over (partition by cluster_label) as component_size,
        min(case when cluster_label = label_before then 1 else 0 end)
            over (partition by cluster_label)
        = 1 as is_converged
    from {{ prefix }}_last_step
),
{%- endmacro %}
