{#- The engagement score (0-100) as a SQL expression over the columns of
    int_events__customer_features (qualified by `relation`). Each component of var
    engagement__score_components turns one feature into 0..1 and the score is the
    weight-averaged sum times 100 (docs/segments.md):
      log:     min(1, ln(1 + x) / ln(1 + cap))   counts with diminishing returns
      linear:  min(1, x / cap)
      recency: max(0, 1 - x / cap)               x = days since something; NULL -> 0
    A NULL count is 0. Features and scales are checked at compile time. -#}
{% macro engagement_score(relation) %}
    {%- set default_components = [
        {'feature': 'days_since_last_event', 'scale': 'recency', 'cap': 90, 'weight': 25},
        {'feature': 'sessions_30d', 'scale': 'log', 'cap': 20, 'weight': 25},
        {'feature': 'product_views_30d', 'scale': 'log', 'cap': 50, 'weight': 15},
        {'feature': 'add_to_carts_30d', 'scale': 'log', 'cap': 10, 'weight': 15},
        {'feature': 'purchases_30d', 'scale': 'log', 'cap': 5, 'weight': 10},
        {'feature': 'email_clicks_90d', 'scale': 'log', 'cap': 10, 'weight': 10},
    ] -%}
    {%- set components = var('engagement__score_components', default_components) -%}
    {%- set spec = segments_event_window_metrics() -%}
    {%- set allowed = ['days_since_last_event', 'max_product_views_10m_30d', 'max_abandoned_cart_adds_30d'] -%}
    {%- for w in spec['windows'] -%}
        {%- for m in (spec['event_types'].keys() | list) + spec['other'] -%}
            {%- do allowed.append(m ~ '_' ~ w ~ 'd') -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- if components is not sequence or components is string or components | length == 0 -%}
        {{ exceptions.raise_compiler_error("var engagement__score_components must be a non-empty list") }}
    {%- endif -%}
    {%- set terms = [] -%}
    {%- set ns = namespace(total=0) -%}
    {%- for c in components -%}
        {%- set where = "engagement__score_components[" ~ loop.index0 ~ "]" -%}
        {%- if c is not mapping or c.get('feature') not in allowed -%}
            {{ exceptions.raise_compiler_error(where ~ ": feature must be one of " ~ allowed | join(', ')) }}
        {%- endif -%}
        {%- for k in ['cap', 'weight'] -%}
            {%- if c.get(k) is not number or c.get(k) is boolean or c.get(k) <= 0 -%}
                {{ exceptions.raise_compiler_error(where ~ ": " ~ k ~ " must be a positive number") }}
            {%- endif -%}
        {%- endfor -%}
        {%- set x = relation ~ '.' ~ c['feature'] -%}
        {%- set cap = c['cap'] | float -%}
        {%- if c.get('scale') == 'log' -%}
            {%- set term = 'least(1.0, ln(1 + coalesce(' ~ x ~ ', 0)) / ln(' ~ (1 + cap) ~ '))' -%}
        {%- elif c.get('scale') == 'linear' -%}
            {%- set term = 'least(1.0, coalesce(' ~ x ~ ', 0) / ' ~ cap ~ ')' -%}
        {%- elif c.get('scale') == 'recency' -%}
            {%- set term = 'coalesce(greatest(0.0, 1.0 - ' ~ x ~ ' / ' ~ cap ~ '), 0)' -%}
        {%- else -%}
            {{ exceptions.raise_compiler_error(where ~ ": scale must be log, linear or recency") }}
        {%- endif -%}
        {%- do terms.append((c['weight'] | float) ~ ' * ' ~ term) -%}
        {%- set ns.total = ns.total + (c['weight'] | float) -%}
    {%- endfor -%}
    round(cast(100.0 * ({{ terms | join(' + ') }}) / {{ ns.total }} as double), 1)
{%- endmacro %}
