{#- The input contract (DESIGN.md): every column of each raw table, and the minimum columns
    without which the table cannot be used. All raw values are text. -#}
{% macro raw_contract() %}
    {{ return({
        'customers': {
            'required': false,
            'columns': ['source_system', 'source_customer_id', 'first_name', 'last_name', 'email',
                        'phone', 'street', 'city', 'postcode', 'state', 'country', 'birth_date',
                        'gender', 'signup_date', 'marketing_consent', 'updated_at'],
            'minimum': [['source_customer_id']],
        },
        'orders': {
            'required': true,
            'columns': ['source_system', 'order_id', 'source_customer_id', 'ordered_at', 'amount',
                        'currency', 'status', 'channel', 'item_count', 'product_category'],
            'minimum': [['source_customer_id'], ['ordered_at'], ['amount']],
        },
        'events': {
            'required': false,
            'columns': ['source_system', 'event_id', 'source_customer_id', 'anonymous_id',
                        'session_id', 'event_type', 'occurred_at', 'product_id',
                        'product_category', 'page_url', 'device', 'channel'],
            'minimum': [['event_type'], ['occurred_at'], ['source_customer_id', 'anonymous_id']],
        },
        'erasure_requests': {
            'required': false,
            'columns': ['requested_at', 'email', 'source_system', 'source_customer_id'],
            'minimum': [['email', 'source_customer_id']],
        },
    }) }}
{% endmacro %}
