{#- One rule condition (a leaf {feature, op, value[, window]} or a group {all: [...]} /
    {any: [...]}, or a plain list meaning all) compiled to a SQL boolean expression over the
    whitelisted feature columns. Feature names and operators are only ever emitted from the
    whitelist / operator table, values only as typed literals; anything else is a compile
    error naming the rule. -#}
{% macro compile_segment_condition(node, rule_name, features, depth=0) %}
    {%- set where = "segment rule '" ~ rule_name ~ "'" -%}
    {%- if depth > 8 -%}
        {{ exceptions.raise_compiler_error(where ~ ": conditions nested deeper than 8 levels") }}
    {%- endif -%}
    {%- if node is mapping and ('all' in node or 'any' in node) -%}
        {%- if node | length != 1 -%}
            {{ exceptions.raise_compiler_error(
                where ~ ": a group has exactly one key, 'all' or 'any'; got " ~ (node.keys() | list | tojson)) }}
        {%- endif -%}
        {%- set joiner = ' and ' if 'all' in node else ' or ' -%}
        {%- set items = node['all'] if 'all' in node else node['any'] -%}
    {%- elif node is sequence and node is not string and node is not mapping -%}
        {%- set joiner = ' and ' -%}
        {%- set items = node -%}
    {%- elif node is mapping -%}
        {{ return(segment_rule_leaf_sql(node, where, features)) }}
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            where ~ ": a condition is a mapping {feature, op, value} or a group {all|any: [...]}, got "
            ~ (node | tojson)) }}
    {%- endif -%}
    {%- if items is not sequence or items is string or items is mapping or items | length == 0 -%}
        {{ exceptions.raise_compiler_error(where ~ ": a group needs a non-empty list of conditions") }}
    {%- endif -%}
    {%- set parts = [] -%}
    {%- for item in items -%}
        {%- do parts.append(compile_segment_condition(item, rule_name, features, depth + 1)) -%}
    {%- endfor -%}
    {{ return('(' ~ parts | join(joiner) ~ ')') }}
{% endmacro %}
