{#- The comparisons of int_customers__pair_comparisons and their levels (best first), with
    the m / u values of var dedup__comparison_levels, checked: every level the SQL emits
    needs a configured m and u with 0 < value < 1, and no other level may be configured. -#}
{% macro identity_comparison_levels() %}
    {%- set expected = {
        'first_name': ['exact', 'nickname', 'fuzzy_high', 'fuzzy_mid', 'different'],
        'last_name': ['exact', 'fuzzy_high', 'fuzzy_mid', 'different'],
        'birth_date': ['exact', 'transposed_day_month', 'one_digit_off', 'different'],
        'email': ['exact', 'fuzzy', 'different'],
        'phone': ['exact', 'one_edit', 'different'],
        'address': ['house_postcode', 'street_postcode', 'postcode', 'house_city', 'city',
            'different'],
        'gender': ['exact', 'different']} -%}
    {%- set configured = var('dedup__comparison_levels') -%}
    {%- set out = [] -%}
    {%- for comparison, levels in expected.items() -%}
        {%- set cfg = configured.get(comparison) -%}
        {%- if cfg is not mapping or (cfg.keys() | list | sort) != (levels | sort) -%}
            {{ exceptions.raise_compiler_error(
                "var dedup__comparison_levels." ~ comparison ~ " must configure exactly the levels "
                ~ levels | join(', ')) }}
        {%- endif -%}
        {%- for level in levels -%}
            {%- for key in ['m', 'u'] -%}
                {%- set value = cfg[level].get(key) if cfg[level] is mapping else none -%}
                {%- if value is none or value is string or not (0 < value < 1) -%}
                    {{ exceptions.raise_compiler_error(
                        "var dedup__comparison_levels." ~ comparison ~ "." ~ level ~ "." ~ key
                        ~ " must be a number between 0 and 1") }}
                {%- endif -%}
            {%- endfor -%}
            {%- do out.append({'comparison': comparison, 'level': level, 'rank': loop.index,
                'm': cfg[level]['m'] | float, 'u': cfg[level]['u'] | float}) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- for comparison in configured if comparison not in expected -%}
        {{ exceptions.raise_compiler_error(
            "var dedup__comparison_levels: unknown comparison '" ~ comparison ~ "'") }}
    {%- endfor -%}
    {{ return(out) }}
{% endmacro %}
