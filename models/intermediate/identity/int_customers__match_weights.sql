{#- Fellegi-Sunter parameters, one row per comparison level plus one '_prior' row.
    u = P(level | different persons), counted on the random record pairs with add-one
    (Laplace) smoothing, so a level never seen among random pairs gets u = 1 / (pairs + levels),
    not 0. m = P(level | same person), estimated
    by expectation-maximisation on the candidate pairs with u held fixed: the pairs are grouped
    by comparison pattern, and each of var dedup__em_iterations unrolled steps computes every
    pattern's match probability (E) and re-estimates m and the prior (M). The prior is the
    probability that two random records match: expected matching pairs / all record pairs
    (blocking is assumed to keep almost every match). Missing levels (NULL) add no evidence.
    Every floating-point sum adds its terms in a fixed order (macro ordered_sum, an ordered
    window), so identical runs give bit-identical weights (DECISIONLOG.md, "Determinism").
    With the flags off, the YAML values of dedup__comparison_levels are used as they are.
    Incremental (docs/identity.md, "Incremental refresh"): the weights are estimated on a full
    refresh and frozen on incremental runs (the run writes nothing), so the scores of stored
    pairs stay valid and only new pairs need scoring; var
    dedup__reestimate_weights_on_refresh: true re-estimates them on every run from all pairs and
    the current u sample, exactly as a full refresh would (then every pair is scored again
    when the weights_version changed). -#}
{{ config(
    materialized=incremental_if_row_deletes(),
    unique_key=['comparison', 'comparison_level'],
    incremental_strategy='delete+insert',
    on_schema_change='fail'
) }}
{%- set reestimate = var('dedup__reestimate_weights_on_refresh', false) %}
{%- if reestimate is not boolean %}
    {{ exceptions.raise_compiler_error(
        "var dedup__reestimate_weights_on_refresh must be true or false, got " ~ reestimate) }}
{%- endif %}
{%- if is_incremental() and not reestimate %}
-- frozen: keep the stored estimates
select * from {{ this }} where 1 = 0
{%- else %}
    {%- set levels = identity_comparison_levels() %}
    {%- set comparisons = identity_comparisons() %}
    {%- set level_columns = [] %}
    {%- for c in comparisons %}{% do level_columns.append(c ~ '_level') %}{% endfor %}
    {%- set iterations = var('dedup__em_iterations') | int if var('dedup__estimate_m_by_em') else 0 %}
    {%- set double = identity_type_double() %}
    with comparisons as (
        select * from {{ ref('int_customers__pair_comparisons') }}
    ),

    match_keys as (
        select * from {{ ref('int_customers__match_keys') }}
    ),

    record_totals as (
        select
            count(*) as record_count,
            count(*) * (count(*) - 1) / 2.0 as record_pair_count
        from match_keys
    ),

    configured_levels as (
        {%- for row in levels %}
            select
                '{{ row.comparison }}' as comparison,
                '{{ row.level }}' as comparison_level,
                {{ row.rank }} as level_rank,
                cast({{ row.m }} as {{ double }}) as m_configured,
                cast({{ row.u }} as {{ double }}) as u_configured
            {%- if not loop.last %}
                union all
            {%- endif %}
        {%- endfor %}
    ),

    sample_levels as (
        {%- for c in comparisons %}
            select
                '{{ c }}' as comparison,
                {{ c }}_level as comparison_level
            from comparisons
            where pair_source = 'random_sample' and {{ c }}_level is not null
            {%- if not loop.last %}
                union all
            {%- endif %}
        {%- endfor %}
    ),

    sample_counts as (
        select
            comparison,
            comparison_level,
            count(*) as sample_pair_count
        from sample_levels
        group by comparison, comparison_level
    ),

    u_estimates as (
        select
            configured_levels.*,
            coalesce(sample_counts.sample_pair_count, 0) as sample_pair_count,
            {%- if var('dedup__estimate_u_by_sampling') %}
                (coalesce(sample_counts.sample_pair_count, 0) + 1.0)
                / (
                    sum(coalesce(sample_counts.sample_pair_count, 0) + 1.0)
                        over (partition by configured_levels.comparison)
                ) as u
            {%- else %}
            configured_levels.u_configured as u
        {%- endif %}
        from configured_levels
        left join sample_counts
            on
                configured_levels.comparison = sample_counts.comparison
                and configured_levels.comparison_level = sample_counts.comparison_level
    ),

    parameter_rows as (
        select
            comparison,
            comparison_level,
            level_rank,
            m_configured,
            u_configured,
            sample_pair_count,
            u
        from u_estimates
        union all
        select
            '_prior' as comparison,
            'prior' as comparison_level,
            0 as level_rank,
            least(
                0.5,
                {{ var('dedup__expected_duplicates_per_record') | float }} * record_count
                / nullif(record_pair_count, 0)
            ) as m_configured,
            cast(null as {{ double }}) as u_configured,
            0 as sample_pair_count,
            cast(null as {{ double }}) as u
        from record_totals
    ),

    patterns as (
        select
            {{ level_columns | join(',\n        ') }},
            count(*) as pair_count
        from comparisons
        where pair_source = 'candidate'
        group by
            {{ level_columns | join(',\n        ') }}
    ),

    numbered_patterns as (
        select
            *,
            row_number() over (order by {{ level_columns | join(', ') }}) as pattern_id
        from patterns
    ),

    pattern_levels as (
        {%- for c in comparisons %}
            select
                pattern_id,
                pair_count,
                '{{ c }}' as comparison,
                {{ c }}_level as comparison_level
            from numbered_patterns
            where {{ c }}_level is not null
            union all
        {%- endfor %}
        select
            pattern_id,
            pair_count,
            '_prior' as comparison,
            'prior' as comparison_level
        from numbered_patterns
    ),

    params_0 as (
        select
            comparison,
            comparison_level,
            m_configured as m,
            u
        from parameter_rows
    ),
    {%- for i in range(1, iterations + 1) %}

        posterior_{{ i }} as (
            select
                pattern_levels.pattern_id,
                max(pattern_levels.pair_count) as pair_count,
                1.0 / (
                    1.0 + exp(-{{ ordered_sum(
                        identity_bayes_log('params.comparison', 'params.m', 'params.u'),
                        'params.comparison') }})
                ) as match_probability
            from pattern_levels
            inner join params_{{ i - 1 }} as params
                on
                    pattern_levels.comparison = params.comparison
                    and pattern_levels.comparison_level = params.comparison_level
            group by pattern_levels.pattern_id
        ),

        expected_{{ i }} as (
            select
                pattern_levels.comparison,
                pattern_levels.comparison_level,
                {{ ordered_sum('pattern_levels.pair_count * posterior.match_probability',
                               'pattern_levels.pattern_id') }} as expected_matches
            from pattern_levels
            inner join posterior_{{ i }} as posterior
                on pattern_levels.pattern_id = posterior.pattern_id
            group by pattern_levels.comparison, pattern_levels.comparison_level
        ),

        params_{{ i }} as (
            select
                parameter_rows.comparison,
                parameter_rows.comparison_level,
                case
                    when parameter_rows.comparison = '_prior'
                        then least(0.5, greatest(
                                1e-12,
                                coalesce(expected.expected_matches, 0)
                                / nullif(record_totals.record_pair_count, 0)
                            ))
                    else (coalesce(expected.expected_matches, 0) + parameter_rows.m_configured)
                        / (
                            sum(coalesce(expected.expected_matches, 0))
                                over (
                                    partition by parameter_rows.comparison
                                    order by parameter_rows.comparison_level
                                    rows between unbounded preceding and unbounded following
                                )
                            + 1.0
                        )
                end as m,
                parameter_rows.u
            from parameter_rows
            cross join record_totals
            left join expected_{{ i }} as expected
                on
                    parameter_rows.comparison = expected.comparison
                    and parameter_rows.comparison_level = expected.comparison_level
        ),
    {%- endfor %}

    estimates as (
        select
            parameter_rows.comparison,
            parameter_rows.comparison_level,
            parameter_rows.level_rank,
            estimated.m as m_probability,
            estimated.u as u_probability,
            case
                when parameter_rows.comparison = '_prior' then estimated.m / (1 - estimated.m)
                else estimated.m / estimated.u
            end as bayes_factor,
            {{ identity_bayes_log('parameter_rows.comparison', 'estimated.m', 'estimated.u') }}
            / ln(2.0) as match_weight,
            parameter_rows.m_configured,
            parameter_rows.u_configured,
            parameter_rows.sample_pair_count,
            {{ "'em'" if iterations > 0 else "'configured'" }} as m_method,
            {{ "'random_sample'" if var('dedup__estimate_u_by_sampling') else "'configured'" }}
                as u_method,
            {{ iterations }} as em_iterations
        from parameter_rows
        inner join params_{{ iterations }} as estimated
            on
                parameter_rows.comparison = estimated.comparison
                and parameter_rows.comparison_level = estimated.comparison_level
    ),

    -- what scoring reads (weights in bits, log2 u for the term-frequency adjustment) to 9
    -- decimals: equal estimates give an equal version, whatever the last bits of the sums
    version as (
        select
            {{ dbt.hash(dbt.listagg(
                "comparison || ':' || comparison_level || ':' || cast(round(match_weight, 9) as "
                ~ dbt.type_string() ~ ") || ':' || coalesce(cast(round(ln(u_probability) / ln(2.0), 9) as "
                ~ dbt.type_string() ~ "), '')", "'|'", "order by comparison, comparison_level")) }}
                as weights_version
        from estimates
    ),

    final as (
        select
            estimates.*,
            version.weights_version
        from estimates
        cross join version
    )

    select * from final
{%- endif %}
