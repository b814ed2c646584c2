"""One row per customer_key: four outlier detectors, their vote and the reasons (segkit.ml)."""

from segkit.dbt_io import config_list, to_pandas
from segkit.ml.outliers import IQR_K, Z_THRESHOLD, detect_outliers


def model(dbt, session):
    dbt.config(materialized="table")
    # one plain dbt.config.get call per key: dbt finds the keys a Python model uses by
    # parsing these calls, and a call nested in `int(... or default)` is not seen (the YAML
    # value then never reaches the model)
    feature_cols = dbt.config.get("feature_cols")
    min_votes = dbt.config.get("min_votes")
    contamination = dbt.config.get("contamination")
    sample_size = dbt.config.get("sample_size")
    z_threshold = dbt.config.get("z_threshold")
    iqr_k = dbt.config.get("iqr_k")
    random_state = dbt.config.get("random_state")
    features = to_pandas(dbt.ref("customer_features"))
    return detect_outliers(
        features,
        feature_cols=config_list(feature_cols),
        min_votes=int(min_votes or 2),
        contamination=float(contamination or 0.01),
        sample_size=int(sample_size or 20000),
        z_threshold=float(z_threshold or Z_THRESHOLD),
        iqr_k=float(iqr_k or IQR_K),
        random_state=int(random_state or 0),
    )
