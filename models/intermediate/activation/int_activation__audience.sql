{{ config(materialized='view') }}
{#- One row per customer who may be contacted now: marketing consent in the golden record
    (the most recent consent wins, so a withdrawal removes the customer at the next
    refresh), not under an erasure request, and not in the control group of a running
    experiment (start_date <= as_of_date <= end_date or open). A view: the clear e-mail and
    phone it carries are read by the export models, which keep only hashes. -#}
with next_best_action as (
    select * from {{ ref('customer_next_best_action') }}
),

customers as (
    select * from {{ ref('dim_customers') }}
),

assignments as (
    select * from {{ ref('customer_experiment_assignments') }}
),

experiments as (
    select * from {{ ref('experiments') }}
),

erased as (
    select target_value as customer_key
    from {{ ref('int_erasure__targets') }}
    where target_kind = 'customer_key'
),

held_out as (
    select distinct assignments.customer_key
    from assignments
    inner join experiments on assignments.experiment_id = experiments.experiment_id
    inner join next_best_action on assignments.customer_key = next_best_action.customer_key
    where assignments.variant = 'control'
        and experiments.start_date <= next_best_action.as_of_date
        and coalesce(experiments.end_date, next_best_action.as_of_date) >= next_best_action.as_of_date
),

final as (
    select
        next_best_action.customer_key,
        next_best_action.customer_pseudo_id,
        next_best_action.as_of_date,
        next_best_action.action_id,
        next_best_action.offer,
        next_best_action.channel,
        next_best_action.rules_version,
        customers.email,
        customers.phone_e164
    from next_best_action
    inner join customers on next_best_action.customer_key = customers.customer_key
    where customers.has_marketing_consent
        and next_best_action.customer_key not in (select customer_key from erased)
        and next_best_action.customer_key not in (select customer_key from held_out)
)

select * from final
