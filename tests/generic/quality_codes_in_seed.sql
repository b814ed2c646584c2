{#- A column of comma-separated codes (e.g. issue_codes): fails with one row per code that is
    not a value of `field` in the relation `to` (a seed of codes), and with the rows that hold
    more than `max_codes` codes (which this test could not check). NULL columns pass. -#}
{% test quality_codes_in_seed(model, column_name, to, field, max_codes=20) %}

    with lists as (
        select distinct {{ column_name }} as code_list
        from {{ model }}
        where {{ column_name }} is not null
    ),

    codes as (
        {%- for i in range(1, max_codes + 1) %}
            select trim({{ dbt.split_part('code_list', "','", i) }}) as code
            from lists
            {{ 'union all' if not loop.last }}
        {%- endfor %}
    ),

    known as (
        select {{ field }} as code from {{ to }}
    ),

    unknown_codes as (
        select distinct codes.code
        from codes
        left join known on codes.code = known.code
        where codes.code != '' and known.code is null
    ),

    too_long as (
        select code_list as code
        from lists
        where {{ dbt.length('code_list') }} - {{ dbt.length(dbt.replace('code_list', "','", "''")) }}
            >= {{ max_codes }}
    )

    select * from unknown_codes
    union all
    select * from too_long

{% endtest %}
