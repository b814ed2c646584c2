{#- Post-hook of int_customers__pair_comparisons when the weights are re-estimated on every
    run (var dedup__reestimate_weights_on_refresh): delete the random-sample rows whose pair
    is no longer in the sample drawn from the current match keys. Nothing otherwise (the
    sample of the last full refresh is kept). -#}
{% macro identity_delete_stale_sample(relation, match_keys) -%}
    {%- if var('dedup__reestimate_weights_on_refresh', false)
            and var('dedup__estimate_u_by_sampling') -%}
    delete from {{ relation }}
    where
        pair_source = 'random_sample'
        and not exists (
            select 1
            from (
                {{ identity_random_pairs(match_keys, var('dedup__u_sample_pairs') | int) }}
            ) as sampled
            where
                sampled.record_id_l = {{ relation.identifier }}.record_id_l
                and sampled.record_id_r = {{ relation.identifier }}.record_id_r
        )
    {%- else -%}
    select 1
    {%- endif -%}
{%- endmacro %}
