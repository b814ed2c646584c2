{#- Both directions of every pair of `pairs` (record_id_l, record_id_r) plus a self-loop per
    record, as (record_id, neighbour_id): the edge list identity_connected_components reads. -#}
{% macro identity_undirected_edges(pairs) -%}
    select
        record_id_l as record_id,
        record_id_r as neighbour_id
    from {{ pairs }}
    union all
    select
        record_id_r as record_id,
        record_id_l as neighbour_id
    from {{ pairs }}
    union all
    select
        record_id_l as record_id,
        record_id_l as neighbour_id
    from {{ pairs }}
    union all
    select
        record_id_r as record_id,
        record_id_r as neighbour_id
    from {{ pairs }}
{%- endmacro %}
