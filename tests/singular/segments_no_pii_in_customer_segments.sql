-- depends_on: {{ ref('customer_segments') }}
{#- customer_segments is read by BI and exports: it must carry no raw PII. Fails with every
    column whose name is tagged `pii` on any model of the project, is a PII field of the
    input contract / dim_customers (names, e-mail, phone, street, postcode, city, state, birth
    date, source ids), or contains one of the words email, phone, street, address, postcode,
    zip, birth. -#}
{%- set pii = ['first_name', 'last_name', 'full_name', 'name', 'email', 'email_match_key', 'phone',
    'phone_e164', 'phone_extension', 'street', 'postcode', 'city', 'state', 'birth_date',
    'source_customer_id'] %}
{%- set fragments = ['email', 'phone', 'street', 'address', 'postcode', 'zip', 'birth'] %}
{%- set columns = adapter.get_columns_in_relation(ref('customer_segments')) if execute else [] %}
{%- if execute %}
    {%- for node in graph.nodes.values() if node.resource_type in ['model', 'seed', 'snapshot'] %}
        {%- for column in node.columns.values() if 'pii' in (column.tags or []) %}
            {%- do pii.append(column.name | lower) %}
        {%- endfor %}
    {%- endfor %}
{%- endif %}
{%- set offending = [] %}
{%- for column in columns %}
    {%- set name = column.name | lower %}
    {%- if name in pii or fragments | select('in', name) | list | length > 0 %}
        {%- do offending.append(name) %}
    {%- endif %}
{%- endfor %}
with found as (
    {%- for name in offending %}
    {%- if not loop.first %}
    union all
    {%- endif %}
    select '{{ name }}' as pii_column
    {%- else %}
        select cast(null as varchar) as pii_column
        where false
    {%- endfor %}
)

select pii_column from found
