"""One row per customer_key: BG/NBD expected purchases and P(alive), Gamma-Gamma spend, CLV."""

import pandas as pd

from segkit.dbt_io import to_pandas
from segkit.ml.clv import OUTPUT_COLS, customer_clv
from segkit.ml.guards import null_output

MIN_REPEAT_CUSTOMERS = 10


def model(dbt, session):
    dbt.config(materialized="table")
    # one plain dbt.config.get per key (dbt does not see calls nested in float(... or x))
    horizon_days = dbt.config.get("horizon_days")
    margin = dbt.config.get("margin")
    random_state = dbt.config.get("random_state")
    features = to_pandas(dbt.ref("customer_features"))
    # refs as plain statements: dbt's parser does not see a ref() inside a subscript
    as_of_row = to_pandas(dbt.ref("int_run__as_of_date"))
    as_of = pd.Timestamp(as_of_row["as_of_date"].iloc[0])
    first = pd.to_datetime(features["first_order_date"])
    features["days_since_first_order"] = (as_of - first).dt.days
    if features["frequency"].fillna(0).gt(1).sum() < MIN_REPEAT_CUSTOMERS:
        # too few repeat buyers to fit BG/NBD + Gamma-Gamma: every value NULL
        return null_output(features["customer_key"], OUTPUT_COLS)
    return customer_clv(
        features,
        horizon_days=float(horizon_days or 365),
        tenure_col="days_since_first_order",
        margin=float(margin or 1.0),
        random_state=int(random_state or 0),
    )
