{#- One leaf condition {feature, op, value[, window]} of a segment rule as SQL: the column
    name is taken from the whitelist and the operator from the operator table below, so only
    text that was written here reaches SQL. `where` names the rule in errors. -#}
{% macro segment_rule_leaf_sql(leaf, where, features) %}
    {%- set operators = {
        '>': ['number'], '>=': ['number'], '<': ['number'], '<=': ['number'],
        '=': ['number', 'text', 'boolean'], '!=': ['number', 'text', 'boolean'],
        'between': ['number'], 'in': ['number', 'text'], 'not_in': ['number', 'text'],
        'is_null': ['number', 'text', 'boolean'], 'not_null': ['number', 'text', 'boolean'],
    } -%}
    {%- for key in leaf if key not in ['feature', 'op', 'value', 'window'] -%}
        {{ exceptions.raise_compiler_error(where ~ ": unknown key " ~ (key | tojson)
            ~ " in a condition (allowed: feature, op, value, window)") }}
    {%- endfor -%}
    {%- set requested = leaf.get('feature') -%}
    {%- if requested is not string -%}
        {{ exceptions.raise_compiler_error(where ~ ": every condition needs a feature name") }}
    {%- endif -%}
    {%- if 'window' in leaf -%}
        {%- set window = leaf['window'] -%}
        {%- if window is not string or not modules.re.fullmatch('[0-9]{1,3}d', window) -%}
            {{ exceptions.raise_compiler_error(where ~ ": window must look like 7d / 30d / 90d, got "
                ~ (window | tojson)) }}
        {%- endif -%}
        {%- set requested = requested ~ '_' ~ window -%}
    {%- endif -%}
    {%- if requested not in features -%}
        {{ exceptions.raise_compiler_error(where ~ ": unknown feature " ~ (requested | tojson)
            ~ "; allowed features: " ~ (features.keys() | sort | join(', '))) }}
    {%- endif -%}
    {#- the column name comes from the whitelist, not from the rule -#}
    {%- set column = (features.keys() | select('equalto', requested) | first) -%}
    {%- set kind = features[column]['type'] -%}
    {%- set op = leaf.get('op') -%}
    {%- if op is not string or op not in operators -%}
        {{ exceptions.raise_compiler_error(where ~ ": unknown operator " ~ (op | tojson)
            ~ "; allowed: " ~ (operators.keys() | join(', '))) }}
    {%- endif -%}
    {%- set op_sql = (operators.keys() | select('equalto', op) | first) -%}
    {%- if kind not in operators[op_sql] -%}
        {{ exceptions.raise_compiler_error(where ~ ": operator " ~ (op | tojson) ~ " does not apply to "
            ~ kind ~ " feature " ~ column) }}
    {%- endif -%}
    {%- if op_sql in ['is_null', 'not_null'] -%}
        {%- if 'value' in leaf -%}
            {{ exceptions.raise_compiler_error(where ~ ": operator " ~ op_sql ~ " takes no value") }}
        {%- endif -%}
        {{ return('(' ~ column ~ (' is null' if op_sql == 'is_null' else ' is not null') ~ ')') }}
    {%- endif -%}
    {%- if 'value' not in leaf -%}
        {{ exceptions.raise_compiler_error(where ~ ": operator " ~ op_sql ~ " needs a value") }}
    {%- endif -%}
    {%- set value = leaf['value'] -%}
    {%- set context = where ~ ", feature " ~ column -%}
    {%- if op_sql == 'between' -%}
        {%- if value is string or value is mapping or value is not sequence or value | length != 2 -%}
            {{ exceptions.raise_compiler_error(context ~ ": between needs a list of two numbers [low, high]") }}
        {%- endif -%}
        {%- set low = segment_rule_value_sql(value[0], kind, context) -%}
        {%- set high = segment_rule_value_sql(value[1], kind, context) -%}
        {%- if value[0] > value[1] -%}
            {{ exceptions.raise_compiler_error(context ~ ": between needs low <= high") }}
        {%- endif -%}
        {{ return('(' ~ column ~ ' between ' ~ low ~ ' and ' ~ high ~ ')') }}
    {%- elif op_sql in ['in', 'not_in'] -%}
        {%- if value is string or value is mapping or value is not sequence or value | length == 0 -%}
            {{ exceptions.raise_compiler_error(context ~ ": " ~ op_sql ~ " needs a non-empty list of values") }}
        {%- endif -%}
        {%- set literals = [] -%}
        {%- for v in value -%}
            {%- do literals.append(segment_rule_value_sql(v, kind, context)) -%}
        {%- endfor -%}
        {{ return('(' ~ column ~ (' in (' if op_sql == 'in' else ' not in (') ~ literals | join(', ') ~ '))') }}
    {%- else -%}
        {%- if value is not string and value is not number and value is not boolean -%}
            {{ exceptions.raise_compiler_error(context ~ ": operator " ~ op_sql ~ " needs a single value") }}
        {%- endif -%}
        {{ return('(' ~ column ~ ' ' ~ op_sql ~ ' ' ~ segment_rule_value_sql(value, kind, context) ~ ')') }}
    {%- endif -%}
{% endmacro %}
