{#- Two window columns that tell copies from conflicts among rows without other problems
    (pre_issues is null) sharing (source_system, <id_col>): copy_rank numbers identical
    contents, winning_hash is the content of the latest version (by <ts_col>). -#}
{% macro duplicate_ranks(id_col, ts_col) -%}
    case when pre_issues is null then
            row_number() over (
                partition by source_system, {{ id_col }}, content_hash, pre_issues is null
                order by source_row_id
            )
    end as copy_rank,
    case when pre_issues is null then
            first_value(content_hash) over (
                partition by source_system, {{ id_col }}, pre_issues is null
                order by {{ ts_col }} desc, content_hash desc
            )
    end as winning_hash
{%- endmacro %}
