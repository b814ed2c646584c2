{#- Path of an export file: <directory of the DuckDB warehouse file>/exports/<name>.<ext>
    (created by the profile plugin segkit.exports), or <var activation__export_dir>/... when
    that var is set. Never inside the repository's tracked folders. -#}
{% macro activation_export_location(name, ext) %}
    {%- set configured = var('activation__export_dir', '') -%}
    {%- if configured -%}
        {%- set dir = configured | string -%}
    {%- else -%}
        {%- set path = (target.get('path') or 'warehouse/segments.duckdb') | string -%}
        {%- set dir = (path.rsplit('/', 1)[0] if '/' in path else '.') ~ '/exports' -%}
    {%- endif -%}
    {{ return(dir.rstrip('/') ~ '/' ~ name ~ '.' ~ ext) }}
{% endmacro %}
