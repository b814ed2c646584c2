{#- About target_pairs distinct record pairs drawn deterministically "at random": records are
    ordered by a hash of their id, and each is paired with the next k records in that order
    for k = 1..K, K = ceil(target_pairs / records) (at most 1024). Portable SQL: the offsets
    come from a cross join of ten 0/1 rows. Pairs come out ordered record_id_l < record_id_r. -#}
{% macro identity_random_pairs(relation, target_pairs) -%}
    with numbered as (
        select
            customer_record_id,
            row_number() over (
                order by {{ dbt.hash('customer_record_id') }}, customer_record_id
            ) as record_number,
            count(*) over () as record_count
        from {{ relation }}
    ),

    bits as (
        select 0 as bit
        union all
        select 1 as bit
    ),

    offsets as (
        select
            {% for i in range(10) %}{{ 2 ** i }} * b{{ i }}.bit + {% endfor %}1 as pair_offset
        from bits as b0
        {%- for i in range(1, 10) %}
        cross join bits as b{{ i }}
        {%- endfor %}
    ),

    sampled as (
        select
            a.customer_record_id as id_a,
            b.customer_record_id as id_b
        from numbered as a
        inner join offsets
            on offsets.pair_offset
            <= ceiling({{ target_pairs }} / cast(a.record_count as {{ identity_type_double() }}))
        inner join numbered as b
            on b.record_number = a.record_number + offsets.pair_offset
    )

    select
        case when id_a < id_b then id_a else id_b end as record_id_l,
        case when id_a < id_b then id_b else id_a end as record_id_r
    from sampled
{%- endmacro %}
