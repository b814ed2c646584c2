{#- CSV formula injection (bad-input class 25, OWASP "CSV Injection"): a text value of a CSV
    export that starts with = + - @, a tab or a carriage return is prefixed with a single
    quote, so a spreadsheet shows it as text instead of running it as a formula. NULL stays
    NULL. Applied to the text columns of the export models only: the warehouse keeps every
    value verbatim. Hashes and pseudonymous ids are hex and never start with these. -#}
{% macro csv_safe(column) %}
    {%- set tab, cr = "'\t'", "'\r'" -%}
    case
        when substr({{ column }}, 1, 1) in ('=', '+', '-', '@', {{ tab }}, {{ cr }})
            then {{ dbt.concat(["''''", column]) }}
        else {{ column }}
    end
{%- endmacro %}
