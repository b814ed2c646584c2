{#- The declarative segment rules, validated and compiled: a list of
    {name, description, priority, condition_sql}, sorted by priority (lower wins). Rules are
    the var segments__rules (YAML in dbt_project.yml under "# --- segments ---"; pass
    --vars to try others). Vars are known while dbt parses, so a bad rule stops the
    project at parse time, before anything runs; every error names the rule
    (docs/segments.md, "The rule language"). -#}
{% macro segment_rules() %}
    {%- set rules = var('segments__rules', []) -%}
    {%- set origin = 'var segments__rules' -%}
    {%- if rules is none -%}{{ return([]) }}{%- endif -%}
    {%- if rules is string or rules is mapping or rules is not sequence -%}
        {{ exceptions.raise_compiler_error(origin ~ " must be a list of rules") }}
    {%- endif -%}
    {%- set features = segment_rule_features() -%}
    {%- set compiled = [] -%}
    {%- set seen_names = [] -%}
    {%- set seen_priorities = [] -%}
    {%- for rule in rules -%}
        {%- set label = "segment rule #" ~ loop.index ~ " in " ~ origin -%}
        {%- if rule is not mapping -%}
            {{ exceptions.raise_compiler_error(label ~ ": a rule is a mapping with name, description, priority, conditions") }}
        {%- endif -%}
        {%- set name = rule.get('name') -%}
        {%- if name is not string or name | trim | length == 0 or name | length > 100 -%}
            {{ exceptions.raise_compiler_error(label ~ ": name must be a non-empty text of at most 100 characters") }}
        {%- endif -%}
        {%- set where = "segment rule '" ~ name ~ "'" -%}
        {%- for key in rule if key not in ['name', 'description', 'priority', 'conditions'] -%}
            {{ exceptions.raise_compiler_error(where ~ ": unknown key " ~ (key | tojson)
                ~ " (allowed: name, description, priority, conditions)") }}
        {%- endfor -%}
        {%- if name | lower in seen_names -%}
            {{ exceptions.raise_compiler_error(where ~ ": the name is used by another rule") }}
        {%- endif -%}
        {%- set priority = rule.get('priority') -%}
        {%- if priority is boolean or priority is not integer or priority < 0 -%}
            {{ exceptions.raise_compiler_error(where ~ ": priority must be a whole number >= 0, got "
                ~ (priority | tojson)) }}
        {%- endif -%}
        {%- if priority in seen_priorities -%}
            {{ exceptions.raise_compiler_error(where ~ ": priority " ~ priority ~ " is used by another rule") }}
        {%- endif -%}
        {%- set description = rule.get('description', '') -%}
        {%- if description is not string -%}
            {{ exceptions.raise_compiler_error(where ~ ": description must be text") }}
        {%- endif -%}
        {%- if 'conditions' not in rule -%}
            {{ exceptions.raise_compiler_error(where ~ ": conditions are missing") }}
        {%- endif -%}
        {#- literals are checked here too, so a bad name fails with the rule's position -#}
        {%- do segments_string_literal(name, label) -%}
        {%- do segments_string_literal(description, where ~ " description") -%}
        {%- set condition_sql = compile_segment_condition(rule['conditions'], name, features) -%}
        {%- do seen_names.append(name | lower) -%}
        {%- do seen_priorities.append(priority) -%}
        {%- do compiled.append({'name': name, 'description': description, 'priority': priority,
                                'condition_sql': condition_sql}) -%}
    {%- endfor -%}
    {{ return(compiled | sort(attribute='priority')) }}
{% endmacro %}
