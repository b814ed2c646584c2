{#- Comparison and blocking keys of every customer record that can be matched (stub records,
    known only from orders, carry no attributes and are left out: each is its own customer).
    Names become accent-free letter keys, nicknames map to a formal first name, streets split
    into a street-name key and a house number, postcodes and cities get normalized keys, and
    each name gets its frequency among the records of the same country (for the term-frequency
    adjustment of exact name agreement: names cluster by country, and candidate pairs almost
    always share one). match_key_hash fingerprints every key a pair is blocked and compared on
    (not the country frequencies): the incremental identity models recompute the pairs of a
    record whose hash is new or changed (docs/identity.md, "Incremental refresh"). -#}
{%- set hashed_columns = ['first_name_key', 'first_name_canonical', 'first_name_variants',
    'last_name_key', 'email_match_key', 'phone_e164', 'street_name_key', 'house_number',
    'city_key', 'postcode_key', 'birth_date', 'country_iso2', 'gender'] %}
with records as (
    select * from {{ ref('int_customers__validated') }}
    where not is_stub_record
),

nicknames as (
    select * from {{ ref('name_nicknames') }}
),

nickname_keys as (
    select
        {{ identity_name_key('nickname') }} as nickname_key,
        min({{ identity_name_key('name') }}) as canonical_key,
        {{ dbt.listagg(identity_name_key('name'), "' '", 'order by ' ~ identity_name_key('name')) }}
            as formal_keys
    from nicknames
    group by {{ identity_name_key('nickname') }}
),

keyed as (
    select
        customer_record_id,
        source_system,
        {{ identity_name_key('first_name') }} as first_name_key,
        {{ identity_name_key('last_name') }} as last_name_key,
        email_match_key,
        phone_e164,
        {{ identity_street_name_key('street') }} as street_name_key,
        {{ identity_house_number('street') }} as house_number,
        {{ identity_text_key('city') }} as city_key,
        replace({{ identity_text_key('postcode') }}, ' ', '') as postcode_key,
        birth_date,
        cast(extract(year from birth_date) as integer) as birth_year,
        country_iso2,
        case when gender in ('female', 'male') then gender end as gender
    from records
),

with_nicknames as (
    select
        keyed.*,
        coalesce(nickname_keys.canonical_key, keyed.first_name_key) as first_name_canonical,
        count(*) over (partition by keyed.country_iso2) as country_record_count,
        case
            when keyed.first_name_key is not null
                then keyed.first_name_key || coalesce(' ' || nickname_keys.formal_keys, '')
        end as first_name_variants
    from keyed
    left join nickname_keys on keyed.first_name_key = nickname_keys.nickname_key
),

final as (
    select
        customer_record_id,
        source_system,
        first_name_key,
        first_name_canonical,
        first_name_variants,
        last_name_key,
        {{ soundex('first_name_canonical') }} as first_name_soundex,
        {{ soundex('last_name_key') }} as last_name_soundex,
        left(first_name_canonical, 1) as first_initial,
        left(last_name_key, 1) as last_initial,
        case
            when first_name_canonical is not null and last_name_key is not null
                then least(left(first_name_canonical, 1), left(last_name_key, 1))
                    || greatest(left(first_name_canonical, 1), left(last_name_key, 1))
        end as initials_key,
        case
            when first_name_canonical is not null and last_name_key is not null
                then least(first_name_canonical, last_name_key)
                    || '|' || greatest(first_name_canonical, last_name_key)
        end as name_pair_key,
        case
            when first_name_canonical is not null
                then count(*) over (partition by country_iso2, first_name_canonical)
                    / cast(country_record_count as {{ identity_type_double() }})
        end as first_name_frequency,
        case
            when last_name_key is not null
                then count(*) over (partition by country_iso2, last_name_key)
                    / cast(country_record_count as {{ identity_type_double() }})
        end as last_name_frequency,
        email_match_key,
        phone_e164,
        street_name_key,
        house_number,
        city_key,
        postcode_key,
        birth_date,
        birth_year,
        country_iso2,
        gender,
        {{ identity_record_hash(hashed_columns) }} as match_key_hash
    from with_nicknames
)

select * from final
