"""One row per customer_key: four outlier detectors, their vote and the reasons (segkit.ml)."""

from segkit.dbt_io import config_list, to_pandas
from segkit.ml.outliers import detect_outliers


def model(dbt, session):
    dbt.config(materialized="table")
    features = to_pandas(dbt.ref("customer_features"))
    return detect_outliers(
        features,
        feature_cols=config_list(dbt.config.get("feature_cols")),
        min_votes=int(dbt.config.get("min_votes") or 2),
        contamination=float(dbt.config.get("contamination") or 0.01),
        sample_size=int(dbt.config.get("sample_size") or 20000),
        random_state=int(dbt.config.get("random_state") or 0),
    )
