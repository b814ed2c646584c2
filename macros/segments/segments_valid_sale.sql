{#- The one definition of a valid sale order (fct_orders columns, qualified by `alias`):
    a sale, not cancelled, not refunded, with a positive USD amount. Pending orders are not
    sales; zero-amount orders (replacements, data errors) are not purchases. -#}
{% macro segments_valid_sale(alias) -%}
    ({{ alias }}.is_sale and not {{ alias }}.is_refund and not {{ alias }}.is_cancelled
    and {{ alias }}.amount_usd > 0)
{%- endmacro %}
