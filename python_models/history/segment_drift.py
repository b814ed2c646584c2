"""PSI of each customer_features column and of each segment family's shares between this
run and the previous one (history_distributions), with a status from the thresholds
(segkit/ml/drift.py). Without a previous run: one row per distribution saying so.
"""

from segkit.dbt_io import to_pandas
from segkit.ml.drift import drift_table


def model(dbt, session):
    dbt.config(materialized="table")
    # one plain dbt.config.get per key
    psi_moderate = dbt.config.get("psi_moderate")
    psi_shift = dbt.config.get("psi_shift")
    history = to_pandas(dbt.ref("history_distributions"))
    features = to_pandas(dbt.ref("customer_features"))
    as_of_date = features["as_of_date"].max()
    out = drift_table(history, features, as_of_date,
                      moderate=float(psi_moderate), shift=float(psi_shift))
    out.insert(0, "as_of_date", as_of_date)
    return out
