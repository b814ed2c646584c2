{#- Sample ratio mismatch: per experiment, the chi-square statistic (1 degree of freedom) of
    the observed control / treatment counts of `model` against the split in `experiments`
    (column treatment_share). Fails with every experiment whose statistic exceeds
    `critical_value` (default 10.828, p < 0.001): a broken assignment, not bad luck. -#}
{% test activation_sample_ratio_mismatch(model, experiments, critical_value=10.828) %}
with counts as (
    select
        experiment_id,
        sum(case when variant = 'treatment' then 1 else 0 end) as treatment_count,
        count(*) as total_count
    from {{ model }}
    group by experiment_id
),

expected as (
    select
        counts.experiment_id,
        counts.treatment_count,
        counts.total_count - counts.treatment_count as control_count,
        counts.total_count * cfg.treatment_share as expected_treatment,
        counts.total_count * (1 - cfg.treatment_share) as expected_control
    from counts
    inner join {{ experiments }} as cfg on counts.experiment_id = cfg.experiment_id
),

scored as (
    select
        *,
        (treatment_count - expected_treatment) * (treatment_count - expected_treatment) / expected_treatment
        + (control_count - expected_control) * (control_count - expected_control) / expected_control
            as chi_square
    from expected
)

select * from scored
where chi_square > {{ critical_value | float }}
{% endtest %}
