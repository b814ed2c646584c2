{#- The blocking rules of var dedup__blocking_rules, checked: a rule is {name, keys} with an
    optional max_block_size (default var dedup__max_block_size); the name is a plain
    identifier and every key a column of int_customers__match_keys from the whitelist below,
    so configuration can never inject SQL. -#}
{% macro identity_blocking_rules() %}
    {%- set allowed = ['email_match_key', 'phone_e164', 'name_pair_key', 'first_name_key',
        'first_name_canonical', 'last_name_key', 'first_name_soundex', 'last_name_soundex',
        'first_initial', 'last_initial', 'initials_key', 'birth_date', 'birth_year',
        'postcode_key', 'city_key', 'street_name_key', 'house_number', 'gender'] -%}
    {%- set where = 'var dedup__blocking_rules' -%}
    {%- set names = [] -%}
    {%- set out = [] -%}
    {%- for rule in var('dedup__blocking_rules') -%}
        {%- if rule is not mapping or 'name' not in rule or 'keys' not in rule -%}
            {{ exceptions.raise_compiler_error(where ~ ": each rule needs a name and keys") }}
        {%- endif -%}
        {%- set name = rule['name'] | string -%}
        {%- if not modules.re.match('^[a-z][a-z0-9_]*$', name) or name in names -%}
            {{ exceptions.raise_compiler_error(
                where ~ ": invalid or repeated name '" ~ name ~ "'") }}
        {%- endif -%}
        {%- do names.append(name) -%}
        {%- if rule['keys'] is string or rule['keys'] | length == 0 -%}
            {{ exceptions.raise_compiler_error(where ~ "." ~ name ~ ": keys must be a list") }}
        {%- endif -%}
        {%- for key in rule['keys'] if key not in allowed -%}
            {{ exceptions.raise_compiler_error(where ~ "." ~ name ~ ": unknown key '" ~ key
                ~ "' (allowed: " ~ allowed | join(', ') ~ ")") }}
        {%- endfor -%}
        {%- set cap = rule.get('max_block_size', var('dedup__max_block_size')) -%}
        {%- if cap is string or cap is boolean or not (cap is number) or cap < 2 -%}
            {{ exceptions.raise_compiler_error(where ~ "." ~ name
                ~ ": max_block_size must be a number >= 2") }}
        {%- endif -%}
        {%- do out.append({'name': name, 'keys': rule['keys'], 'max_block_size': cap | int}) -%}
    {%- endfor -%}
    {%- for name in var('dedup__exact_identifier_rules', []) if name not in names -%}
        {{ exceptions.raise_compiler_error(
            "var dedup__exact_identifier_rules: '" ~ name ~ "' is not a blocking rule") }}
    {%- endfor -%}
    {{ return(out) }}
{% endmacro %}
