{#- Checks the numeric vars a user is likely to set (dbt_project.yml or --vars) and stops
    the parse with one line naming the var, what it must be and what it got, before any model
    runs. Called from int_run__as_of_date, so every invocation that parses the project checks
    them (a --vars change forces a full re-parse). Vars that are not set are not checked; the
    models keep their own defaults. Rule: [name, minimum, maximum, minimum excluded?]. -#}
{% macro validate_vars() %}
    {%- set rules = [
        ['quality__future_tolerance_days', 0, none, false],
        ['quality__max_order_amount', 0, none, true],
        ['quality__max_item_count', 0, none, true],
        ['quality__max_age_years', 0, 200, true],
        ['quality__max_share_orders_before_signup', 0, 1, false],
        ['ingest__volume_max_drop_share', 0, 1, false],
        ['dedup__max_block_size', 2, none, false],
        ['dedup__max_cluster_size', 2, none, false],
        ['dedup__em_iterations', 0, 1000, false],
        ['dedup__u_sample_pairs', 0, none, true],
        ['dedup__cluster_iterations', 1, 1000, false],
        ['dedup__tf_max_adjustment_bits', 0, 64, false],
        ['dedup__expected_duplicates_per_record', 0, none, true],
        ['dedup__jw_high', 0, 1, false],
        ['dedup__jw_mid', 0, 1, false],
        ['dedup__merge_threshold', 0, 1, false],
        ['dedup__review_threshold', 0, 1, false],
        ['engagement__session_gap_minutes', 0, none, true],
        ['engagement__bot_events_per_minute', 0, none, true],
        ['segments__min_segment_size', 0, none, false],
        ['segments__overlap_min_share', 0, 1, false],
        ['churn__horizon_days', 0, 3650, true],
        ['quality__floor_outlier_precision', 0, 1, false],
        ['quality__floor_outlier_recall', 0, 1, false],
        ['quality__floor_persona_ari', -1, 1, false],
    ] -%}
    {%- for rule in rules -%}
        {%- set name, low, high, open_low = rule -%}
        {%- set value = var(name, none) -%}
        {%- if value is not none -%}
            {%- set bound = (('> ' if open_low else '>= ') ~ low)
                ~ ((' and <= ' ~ high) if high is not none else '') -%}
            {%- set is_number = value is number and value is not sameas true
                and value is not sameas false -%}
            {%- if not is_number or (open_low and value <= low) or (not open_low and value < low)
                or (high is not none and value > high) -%}
                {{ exceptions.raise_compiler_error(
                    "var " ~ name ~ " must be a number " ~ bound ~ ", got '" ~ value
                    ~ "' (set in dbt_project.yml vars or --vars)") }}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set merge = var('dedup__merge_threshold', none) -%}
    {%- set review = var('dedup__review_threshold', none) -%}
    {%- if merge is not none and review is not none and review > merge -%}
        {{ exceptions.raise_compiler_error(
            "var dedup__review_threshold (" ~ review ~ ") must not be above dedup__merge_threshold ("
            ~ merge ~ ")") }}
    {%- endif -%}
    {%- set high = var('dedup__jw_high', none) -%}
    {%- set mid = var('dedup__jw_mid', none) -%}
    {%- if high is not none and mid is not none and mid > high -%}
        {{ exceptions.raise_compiler_error(
            "var dedup__jw_mid (" ~ mid ~ ") must not be above dedup__jw_high (" ~ high ~ ")") }}
    {%- endif -%}
{% endmacro %}
