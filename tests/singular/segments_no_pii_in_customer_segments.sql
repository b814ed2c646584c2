-- depends_on: {{ ref('customer_segments') }}
{#- customer_segments is read by BI and exports: it must carry no raw PII. Fails with every
    column whose name is a PII field of the input contract or dim_customers (names, e-mail,
    phone, street, postcode, city, state, birth date) or contains one of those words. -#}
{%- set pii = ['first_name', 'last_name', 'full_name', 'email', 'email_match_key', 'phone', 'phone_e164',
    'phone_extension', 'street', 'postcode', 'city', 'state', 'birth_date', 'source_customer_id'] %}
{%- set fragments = ['name', 'email', 'phone', 'street', 'address', 'postcode', 'zip', 'birth'] %}
{%- set allowed = ['rfm_segment', 'primary_segment', 'rule_segments'] %}
{%- set columns = adapter.get_columns_in_relation(ref('customer_segments')) if execute else [] %}
{%- set offending = [] %}
{%- for column in columns %}
    {%- set name = column.name | lower %}
    {%- if name not in allowed and (name in pii or fragments | select('in', name) | list | length > 0) %}
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
