-- depends_on: {{ ref('base_raw__customers') }}
-- depends_on: {{ ref('base_raw__orders') }}
-- depends_on: {{ ref('base_raw__events') }}
{# CSV lines the reader could not split into the header's fields, one row per line, with
    the reader's error mapped to a quarantine reason code. Written by the landing models'
    post-hooks (land_raw_rejects); always empty for Parquet input and on cloud warehouses. #}
{{ csv_rejects_union(['customers', 'orders', 'events']) }}
