{{ config(post_hook="{{ land_raw_rejects('events') }}") }}
-- depends_on: {{ source('raw', 'events') }}
{{ land_raw_table('events') }}
