{#- Filter for an incremental model: only rows whose <key_col> is not yet in the model's own
    table. Outside an incremental run it renders nothing (all rows). -#}
{% macro incremental_unseen_rows(key_col, alias=none) %}
    {%- if is_incremental() -%}
        {%- set col = (alias ~ '.' ~ key_col) if alias else key_col -%}
    where {{ col }} not in (select seen.{{ key_col }} from {{ this }} as seen)
    {%- endif -%}
{% endmacro %}
