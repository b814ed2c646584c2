{#- The next-best-action rules of the seed `relation` (next_best_actions), validated and
    compiled: a list of {action_id, priority, condition_sql, is_default} sorted by priority
    (lower wins). `conditions` is JSON in the rule language of the segment rules
    (docs/segments.md) over the columns of nba_features(); the one row with empty conditions
    is the default action and must have the highest priority number. Read at execute time
    (seeds are tables); every error names the action. Only whitelisted column names,
    operators and typed literals reach SQL. -#}
{% macro nba_rules(relation) %}
    {#- offline compile (--no-introspect: dialect check) cannot read the seed either -#}
    {%- if not execute or not flags.INTROSPECT -%}{{ return([]) }}{%- endif -%}
    {#- compile / lint before the seed is loaded: no rules yet (build loads the seed first) -#}
    {%- if adapter.get_relation(relation.database, relation.schema, relation.identifier) is none -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set origin = 'seed next_best_actions' -%}
    {%- set result = run_query(
        'select action_id, cast(priority as ' ~ dbt.type_string() ~ '), conditions from '
        ~ relation ~ ' order by 1') -%}
    {%- set features = nba_features() -%}
    {%- set compiled = [] -%}
    {%- set seen_ids = [] -%}
    {%- set seen_priorities = [] -%}
    {%- set defaults = [] -%}
    {%- for row in result.rows -%}
        {%- set action_id = row[0] -%}
        {%- if action_id is not string or not modules.re.fullmatch('[a-z][a-z0-9_]{0,63}', action_id) -%}
            {{ exceptions.raise_compiler_error(origin ~ ": action_id must be lower-case letters, digits and _ "
                ~ "(at most 64), got " ~ (action_id | string | tojson)) }}
        {%- endif -%}
        {%- set where = "next best action '" ~ action_id ~ "' (" ~ origin ~ ")" -%}
        {%- if action_id in seen_ids -%}
            {{ exceptions.raise_compiler_error(where ~ ": action_id is used by another row") }}
        {%- endif -%}
        {%- set priority_text = (row[1] or '') | string -%}
        {%- if not modules.re.fullmatch('[0-9]{1,9}', priority_text) -%}
            {{ exceptions.raise_compiler_error(where ~ ": priority must be a whole number >= 0, got "
                ~ (priority_text | tojson)) }}
        {%- endif -%}
        {%- set priority = priority_text | int -%}
        {%- if priority in seen_priorities -%}
            {{ exceptions.raise_compiler_error(where ~ ": priority " ~ priority ~ " is used by another action") }}
        {%- endif -%}
        {%- set text = (row[2] or '') | string | trim -%}
        {%- if text == '' -%}
            {%- do defaults.append({'action_id': action_id, 'priority': priority}) -%}
            {%- set condition_sql = 'true' -%}
        {%- else -%}
            {%- set parsed = fromjson(text, none) -%}
            {%- if parsed is none -%}
                {{ exceptions.raise_compiler_error(where ~ ": conditions are not valid JSON: " ~ (text | tojson)) }}
            {%- endif -%}
            {%- set condition_sql = compile_segment_condition(parsed, action_id ~ "' in '" ~ origin, features) -%}
        {%- endif -%}
        {%- do seen_ids.append(action_id) -%}
        {%- do seen_priorities.append(priority) -%}
        {%- do compiled.append({'action_id': action_id, 'priority': priority,
                                'condition_sql': condition_sql, 'is_default': text == ''}) -%}
    {%- endfor -%}
    {%- if defaults | length != 1 -%}
        {{ exceptions.raise_compiler_error(origin ~ ": exactly one action must have empty conditions (the "
            ~ "default for customers no rule matches); found " ~ (defaults | map(attribute='action_id') | list | tojson)) }}
    {%- endif -%}
    {%- if defaults[0]['priority'] != seen_priorities | max -%}
        {{ exceptions.raise_compiler_error("next best action '" ~ defaults[0]['action_id'] ~ "' (" ~ origin
            ~ "): the default action needs the highest priority number") }}
    {%- endif -%}
    {{ return(compiled | sort(attribute='priority')) }}
{% endmacro %}
