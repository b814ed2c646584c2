"""Per run (as_of_date): every customer_features column's equal-frequency bins and every
segment family's shares (segkit/ml/drift.py). Incremental and persisted: a rebuild for the
same as_of_date replaces that date's rows; segment_drift compares the last two runs.
"""

from segkit.dbt_io import to_pandas
from segkit.ml.drift import DIST_COLUMNS, distributions

FAMILIES = {"rfm": "rfm_segment", "primary_rule": "primary_segment",
            "cluster": "cluster_id", "churn_risk": "churn_risk_band"}


def model(dbt, session):
    # one plain dbt.config.get per key
    n_bins = dbt.config.get("n_bins")
    features = to_pandas(dbt.ref("customer_features"))
    segments = to_pandas(dbt.ref("customer_segments"))
    fams = {f: segments[c] for f, c in FAMILIES.items()
            if c in segments and segments[c].notna().any()}
    out = distributions(features, fams, int(n_bins or 10))
    out.insert(0, "as_of_date", features["as_of_date"].max())
    return out[["as_of_date", *DIST_COLUMNS]]
