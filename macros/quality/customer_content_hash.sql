{#- Hash of the standardized content of a customer record: two rows with the same source id
    and the same hash are copies (merged), different hashes are conflicting versions. -#}
{% macro customer_content_hash() -%}
    md5({% call concat_skip_nulls("'|'") %}coalesce(first_name, ''), coalesce(last_name, ''), coalesce(email, ''),
        coalesce(phone_e164, ''), coalesce(street, ''), coalesce(city, ''), coalesce(postcode, ''),
        coalesce(country_iso2, ''), coalesce(cast(birth_date as varchar), ''),
        coalesce(cast(updated_at as varchar), ''){% endcall %})
{%- endmacro %}
