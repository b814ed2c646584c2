"""segkit: Python side of the customer-segments dbt project (generator, ML, evaluation)."""
