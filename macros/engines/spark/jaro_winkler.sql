{#- Jaro-Winkler similarity in plain Spark SQL (higher-order functions; Spark has no native
    one), the same definition as DuckDB's jaro_winkler_similarity: match window
    max(len) / 2 - 1, greedy left-to-right matching, half the out-of-order matches (rounded
    down, as DuckDB does) are the
    transpositions, and the Winkler prefix boost (up to 4 characters, scale 0.1) only when
    the Jaro similarity is above 0.7. NULL when either side is NULL or empty. One
    `aggregate` walks the left string carrying the right string's matched flags and the
    matched left characters; its finish step computes the score. -#}
{% macro spark_jaro_winkler_sql(left, right) -%}
    {%- set s1 = '(' ~ left ~ ')' -%}
    {%- set s2 = '(' ~ right ~ ')' -%}
    {%- set l1 = 'length' ~ s1 -%}
    {%- set l2 = 'length' ~ s2 -%}
    {%- set w = 'greatest(cast(floor(greatest(' ~ l1 ~ ', ' ~ l2 ~ ') / 2) as int) - 1, 0)' -%}
    {%- set lo = 'greatest(1, jw_i - ' ~ w ~ ')' -%}
    {%- set hi = 'least(' ~ l2 ~ ', jw_i + ' ~ w ~ ')' -%}
    {%- set pick -%}
        coalesce(element_at(filter(sequence({{ lo }}, {{ hi }}), jw_j -> jw_j between {{ lo }} and {{ hi }}
            and substr({{ s2 }}, jw_j, 1) = substr({{ s1 }}, jw_i, 1)
            and not element_at(jw_acc.m2, jw_j)), 1), 0)
    {%- endset -%}
    {%- set c2 -%}
        array_join(filter(transform(sequence(1, {{ l2 }}),
            jw_q -> if(element_at(jw_acc.m2, jw_q), substr({{ s2 }}, jw_q, 1), cast(null as string))),
            jw_z -> jw_z is not null), '')
    {%- endset -%}
    {%- set m = 'length(jw_acc.c1)' -%}
    {%- set t -%}
        size(filter(sequence(1, greatest({{ m }}, 1)),
            jw_k -> jw_k <= {{ m }} and substr(jw_acc.c1, jw_k, 1) != substr({{ c2 }}, jw_k, 1))) div 2
    {%- endset -%}
    {%- set jaro -%}
        if({{ m }} = 0, 0.0,
            ({{ m }} / {{ l1 }} + {{ m }} / {{ l2 }} + ({{ m }} - {{ t }}) / {{ m }}) / 3.0)
    {%- endset -%}
    {%- set prefix -%}
        aggregate(sequence(1, least(4, {{ l1 }}, {{ l2 }})), 0,
            (jw_n, jw_p) -> if(jw_n = jw_p - 1 and substr({{ s1 }}, jw_p, 1) = substr({{ s2 }}, jw_p, 1), jw_p, jw_n))
    {%- endset -%}
    case
        when nullif({{ left }}, '') is not null and nullif({{ right }}, '') is not null then
            aggregate(
                sequence(1, {{ l1 }}),
                named_struct('m2', array_repeat(false, {{ l2 }}), 'c1', ''),
                (jw_acc, jw_i) -> named_struct(
                    'm2', if({{ pick }} > 0,
                        transform(jw_acc.m2, (jw_x, jw_y) -> jw_x or jw_y + 1 = {{ pick }}), jw_acc.m2),
                    'c1', if({{ pick }} > 0, concat(jw_acc.c1, substr({{ s1 }}, jw_i, 1)), jw_acc.c1)),
                jw_acc -> if({{ jaro }} > 0.7,
                    {{ jaro }} + {{ prefix }} * 0.1 * (1 - {{ jaro }}),
                    {{ jaro }})
            )
    end
{%- endmacro %}
