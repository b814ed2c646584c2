{#- One row per (blocking rule, block key, record): every record whose keys for that rule
    are all present, with the rule's position and block-size cap. The block key joins the
    rule's keys with '|'. -#}
{% macro identity_block_members(match_keys) -%}
    {%- for rule in identity_blocking_rules() %}
        select
            {{ sql_string_literal(rule['name']) }} as blocking_rule,
            {{ loop.index }} as blocking_rule_rank,
            {{ rule['max_block_size'] }} as max_block_size,
            {%- set parts = [] -%}
            {%- for key in rule['keys'] -%}
                {%- do parts.append('cast(' ~ key ~ ' as ' ~ dbt.type_string() ~ ')') -%}
                {%- if not loop.last %}{% do parts.append("'|'") %}{% endif -%}
            {%- endfor %}
            {{ dbt.concat(parts) }} as block_key,
            customer_record_id
        from {{ match_keys }}
        where {{ rule['keys'] | join(' is not null and ') }} is not null
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
{%- endmacro %}
