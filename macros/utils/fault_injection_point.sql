{#- A fault-injection seam for the reliability tests (docs/reliability.md, K1): a post-hook of
    every model, run inside the model's transaction, that fails the model when var
    `test__fail_inside_transaction_of` names it. A failure there rolls the transaction back
    exactly as a kill -9 at that moment would, so a test can prove, deterministically, what a
    kill between the write and the commit leaves behind. Renders nothing otherwise (dbt skips
    an empty hook). -#}
{% macro fault_injection_point() %}
    {%- if execute and var('test__fail_inside_transaction_of', '') == this.identifier -%}
        {{ exceptions.raise_compiler_error(
            "fault injected inside the transaction of " ~ this
            ~ " (var test__fail_inside_transaction_of)") }}
    {%- endif -%}
{% endmacro %}
