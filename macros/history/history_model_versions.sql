{#- One select per Python model the calling model depends on (model.depends_on.nodes): its
    name, version_id and what the id is made of. version_id = md5 of the model name, its code
    checksum, its parameters (custom config keys, JSON with sorted keys) and a fingerprint of
    every model / seed it reads. Same code, parameters and inputs -> same version_id, so a
    rebuild on the same data records no new version. Returns a list of
    {name, relation, sql} (sql selects model_name, version_id, code_checksum,
    parameters_json, input_fingerprint). Empty at parse time. -#}
{% macro history_model_versions(only=none) %}
    {%- set standard = ['enabled', 'alias', 'schema', 'database', 'tags', 'meta', 'materialized',
        'incremental_strategy', 'persist_docs', 'post-hook', 'pre-hook', 'quoting',
        'column_types', 'full_refresh', 'unique_key', 'on_schema_change', 'grants', 'packages',
        'docs', 'contract', 'event_time', 'access', 'group', 'submission_method',
        'python_version', 'on_configuration_change', 'lookback', 'batch_size', 'begin',
        'concurrent_batches', 'labels', 'sql_header', 'freshness', 'batch_id',
        'imports', 'external_access_integrations', 'secrets', 'plugin', 'config_keys_used',
        'config_keys_defaults', 'meta_keys_used', 'meta_keys_defaults', 'static_analysis'] %}
    {%- set out = [] %}
    {%- if not execute %}{{ return(out) }}{%- endif %}
    {%- for node_id in model.depends_on.nodes | sort %}
        {%- set node = graph.nodes.get(node_id) %}
        {%- if node and node.resource_type == 'model' and node.language == 'python'
            and (only is none or node.name == only) %}
            {%- set params = {} %}
            {%- for key, value in node.config.items() %}
                {%- if key not in standard and not key.startswith('_') %}
                    {%- do params.update({key: value}) %}
                {%- endif %}
            {%- endfor %}
            {%- set inputs = [] %}
            {%- for dep_id in node.depends_on.nodes | sort %}
                {%- set dep = graph.nodes.get(dep_id) %}
                {%- if dep and dep.resource_type in ['model', 'seed', 'snapshot'] %}
                    {%- set rel = api.Relation.create(
                        database=dep.database, schema=dep.schema, identifier=dep.alias) %}
                    {%- do inputs.append("'" ~ dep.name ~ "=' || " ~ history_relation_fingerprint(rel)) %}
                {%- endif %}
            {%- endfor %}
            {%- set fingerprint = inputs | join(" || ';' || ") if inputs else "''" %}
            {%- set params_json = tojson(params, sort_keys=true) %}
            {%- set sql %}
                select
                    cast('{{ node.name }}' as {{ dbt.type_string() }}) as model_name,
                    cast({{ dbt.hash(dbt.concat([
                        "'" ~ node.name ~ "|'",
                        "'" ~ node.checksum.checksum ~ "|'",
                        sql_string_literal(params_json), "'|'",
                        "fingerprint"])) }} as {{ dbt.type_string() }}) as version_id,
                    cast('{{ node.checksum.checksum }}' as {{ dbt.type_string() }}) as code_checksum,
                    cast({{ sql_string_literal(params_json) }} as {{ dbt.type_string() }}) as parameters_json,
                    cast(fingerprint as {{ dbt.type_string() }}) as input_fingerprint
                from (select {{ fingerprint }} as fingerprint) as fp
            {%- endset %}
            {%- do out.append({'name': node.name,
                'relation': api.Relation.create(database=node.database, schema=node.schema,
                    identifier=node.alias),
                'sql': sql}) %}
        {%- endif %}
    {%- endfor %}
    {{ return(out) }}
{% endmacro %}
