{{ config(materialized='view') }}
{#- Everything that identifies a person under an erasure request, one row per
    (target_kind, target_value): the erasure scope of this build (int_erasure__scope: the
    source_row_id of every suppressed raw customer, order and event row, the record ids of
    the suppressed records, the customer_key / customer_pseudo_id they had in the last
    identity map), without a key that a re-admitted person holds again in this build's
    identity map (class 50: a key is the md5 of the earliest record, so a record that comes
    back after a new consent can get its old key). A view over the scope, which the
    on-run-end hook privacy_apply_erasure uses as its safety net and then empties: after the
    build, this view is empty and no table keeps the erased people's identifiers. -#}
with scope as (
    select * from {{ ref('int_erasure__scope') }}
),

identity_map as (
    select * from {{ ref('customer_identity_map') }}
),

live_keys as (
    select distinct scope.target_value as customer_key
    from scope
    inner join identity_map on scope.target_value = identity_map.customer_key
    where scope.target_kind = 'customer_key'
),

kept as (
    select
        'customer_key' as target_kind,
        customer_key as target_value
    from live_keys
    union all
    select
        'customer_pseudo_id' as target_kind,
        {{ privacy_hmac('customer_key') }} as target_value
    from live_keys
),

final as (
    select distinct
        scope.target_kind,
        scope.target_value
    from scope
    left join kept
        on scope.target_kind = kept.target_kind
            and scope.target_value = kept.target_value
    where kept.target_value is null
)

select * from final
