{#- Every value of `column_name` (a segment) has at least `min_size` rows (default: var
    segments__min_segment_size). Fails with the small segments; use severity warn, a small
    segment is a signal to review the rules, not a broken build. -#}
{% test segments_min_segment_size(model, column_name, min_size=none) %}
{%- set floor = min_size if min_size is not none else var('segments__min_segment_size', 10) %}
with sizes as (
    select
        {{ column_name }} as segment_name,
        count(*) as segment_size
    from {{ model }}
    where {{ column_name }} is not null
    group by {{ column_name }}
)

select * from sizes
where segment_size < {{ floor | int }}
{% endtest %}
