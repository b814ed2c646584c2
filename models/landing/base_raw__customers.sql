{{ config(post_hook="{{ land_raw_rejects('customers') }}") }}
-- depends_on: {{ source('raw', 'customers') }}
{{ land_raw_table('customers') }}
