{#- An RFM score 1..bins by rank-based quantiles (a window expression; use it in a query
    over the scored population only). score = 1 + floor(bins * (rank - 1) / n), where rank
    is the min-rank of the value (1 = worst) and n the population size: with distinct values
    this is exactly NTILE(bins); tied values share the min-rank and so the same score - the
    score of the first position the value occupies (docs/segments.md). `higher_is_better`
    is false for recency_days, so the most recent customers get the top score. -#}
{% macro rfm_quantile_score(value_expr, higher_is_better=true) %}
    {%- set bins = rfm_bins() -%}
    cast(1 + floor(
        cast({{ bins }} * (rank() over (order by {{ value_expr }} {{ 'asc' if higher_is_better else 'desc' }}) - 1) as double)
        / count(*) over ()
    ) as integer)
{%- endmacro %}
