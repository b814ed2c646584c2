{#- Post-hook of the incremental pair tables: delete the rows whose pair
    (record_id_l, record_id_r) is no longer in `candidates`, the current candidate pairs
    (only rows with pair_source = 'candidate' when `candidates_only`). Portable SQL (a
    correlated NOT EXISTS). -#}
{% macro identity_delete_stale_pairs(relation, candidates, candidates_only=false) -%}
    delete from {{ relation }}
    where
        {% if candidates_only %}pair_source = 'candidate' and {% endif -%}
        not exists (
            select 1
            from {{ candidates }} as candidates
            where
                candidates.record_id_l = {{ relation.identifier }}.record_id_l
                and candidates.record_id_r = {{ relation.identifier }}.record_id_r
        )
{%- endmacro %}
