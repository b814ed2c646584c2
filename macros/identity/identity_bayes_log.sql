{#- Natural log of one comparison's Bayes factor m / u, or of the prior odds m / (1 - m) for
    the '_prior' row (whose m is the probability that two random records match). -#}
{% macro identity_bayes_log(comparison, m, u) -%}
    case
        when {{ comparison }} = '_prior' then ln({{ m }} / (1 - {{ m }}))
        else ln({{ m }} / {{ u }})
    end
{%- endmacro %}
