{{ config(post_hook="{{ land_raw_rejects('orders') }}") }}
-- depends_on: {{ source('raw', 'orders') }}
{{ land_raw_table('orders') }}
