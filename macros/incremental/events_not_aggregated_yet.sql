{#- The refresh filter of an aggregate over int_events__sessionized (docs/refresh.md): the
    rows whose `key_col` (actor_key or customer_key) has an event that int_events__sessionized
    recomputed in an invocation `aggregate` has not aggregated yet (its built_from_invocation).
    A refresh then replaces all aggregate rows of those keys (delete+insert on key_col); a run
    that failed in between is caught up by the next one. -#}
{% macro events_not_aggregated_yet(key_col, aggregate) %}
    {{ key_col }} in (
        select refreshed.{{ key_col }} from {{ ref('int_events__sessionized') }} as refreshed
        where refreshed.refreshed_in_invocation not in (
            select done.built_from_invocation from {{ aggregate }} as done
        )
    )
{%- endmacro %}
