"""One row per customer_key: churn and 30-day purchase propensity as of as_of_date, risk band.

The models are refitted on the training set exactly as model_metrics evaluated them (same
split, same random_state, the estimator model_metrics chose), then score today's features.
"""

import pandas as pd

from segkit.dbt_io import config_list, to_pandas
from segkit.ml.churn import fit_and_evaluate, risk_band, score
from segkit.ml.features import DEFAULT_FEATURE_COLS

TARGETS = {"churn": "is_churned", "purchase_30d": "purchased_next_30d"}


def model(dbt, session):
    dbt.config(materialized="table")
    train = to_pandas(dbt.ref("ml_churn_training_set"))
    today = to_pandas(dbt.ref("customer_features"))
    chosen = to_pandas(dbt.ref("model_metrics"))
    chosen = chosen[chosen["metric"] == "is_chosen"].set_index("target")["model"]
    # one plain dbt.config.get per key (dbt does not see calls nested in int(... or x))
    feature_cols = dbt.config.get("feature_cols")
    random_state = dbt.config.get("random_state")
    risk_low = dbt.config.get("risk_low")
    risk_high = dbt.config.get("risk_high")
    cols = config_list(feature_cols) or [
        c for c in DEFAULT_FEATURE_COLS if c in train.columns]
    seed = int(random_state or 0)
    bands = (float(risk_low or 0.3), float(risk_high or 0.6))
    out = pd.DataFrame({"customer_key": today["customer_key"]})
    for target, label in TARGETS.items():
        if target not in chosen.index:  # model_metrics skipped it (too little data): NULLs
            out[f"{target}_probability"] = float("nan")
            continue
        ev = fit_and_evaluate(train, cols, label_col=label, model=str(chosen[target]),
                              random_state=seed, importance=False)  # scoring only
        scored = score(ev.model, today, prob_col=f"{target}_probability", band_col=None)
        # rounded: threaded tree ensembles differ in the 14th decimal between runs
        out[f"{target}_probability"] = scored[f"{target}_probability"].round(10).to_numpy()
    out["churn_risk_band"] = risk_band(out["churn_probability"], bands)
    return out
