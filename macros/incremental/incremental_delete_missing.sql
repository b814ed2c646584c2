{#- Post-hook of an incremental model: delete the rows of the model whose <key_col> no longer
    occurs in <relation> (optionally filtered by <where>), e.g. a fact whose clean source row
    was superseded. Renders nothing on a full build (the table is rebuilt from scratch). -#}
{% macro incremental_delete_missing(key_col, relation, where=none) %}
    {%- if is_incremental() -%}
    delete from {{ this }}
    where {{ key_col }} not in (
        select current_rows.{{ key_col }} from {{ relation }} as current_rows
        {%- if where %}
        where {{ where }}
        {%- endif %}
    )
    {%- endif -%}
{% endmacro %}
