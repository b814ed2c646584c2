{#- incremental by file on DuckDB (docs/refresh.md): a refresh lands only raw files not landed
    yet; the pre-hook forgets files no longer in the raw folder -#}
{{ config(
    materialized=land_raw_materialization(),
    on_schema_change='fail',
    pre_hook="{{ land_raw_forget_removed_files('orders') }}",
    post_hook="{{ land_raw_rejects('orders') }}",
) }}
-- depends_on: {{ source('raw', 'orders') }}
{{ land_raw_table('orders') }}
