{#- The warehouse relation of a model of this project as it exists now, or none. Used to
    read the state a model left in an earlier build without a ref (the erasure scope reads
    the erasure log, the erasure registry and the last identity map, which are built after
    it): no DAG edge, so no cycle, and none on the first build. -#}
{% macro privacy_existing_relation(model_name) %}
    {#- offline compile (--no-introspect, the dialect check): no warehouse to ask -#}
    {%- if not execute or not flags.INTROSPECT -%}{{ return(none) }}{%- endif -%}
    {%- for node in graph.nodes.values() if node.resource_type == 'model' and node.name == model_name -%}
        {{ return(adapter.get_relation(database=node.database, schema=node.schema, identifier=node.alias)) }}
    {%- endfor -%}
    {{ return(none) }}
{% endmacro %}
