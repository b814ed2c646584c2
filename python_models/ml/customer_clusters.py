"""One row per customer_key: cluster id and name, distance to its centroid, 2-D projection.

k comes from cluster_model_selection; outliers are excluded from fitting, then assigned.
"""

from segkit.dbt_io import config_list, to_pandas
from segkit.ml.clustering import cluster_assignments


def model(dbt, session):
    dbt.config(materialized="table")
    # one plain dbt.config.get per key (dbt does not see calls nested in str(... or x))
    feature_cols = dbt.config.get("feature_cols")
    algorithm = dbt.config.get("algorithm")
    random_state = dbt.config.get("random_state")
    features = to_pandas(dbt.ref("customer_features"))
    outliers = to_pandas(dbt.ref("customer_outliers"))[["customer_key", "is_outlier"]]
    selection = to_pandas(dbt.ref("cluster_model_selection"))
    names = to_pandas(dbt.ref("cluster_name_overrides"))
    frame = features.merge(outliers, on="customer_key", how="left")
    k = int(selection.loc[selection["is_chosen"], "k"].iloc[0])
    return cluster_assignments(
        frame,
        feature_cols=config_list(feature_cols),
        k=k,
        algorithm=str(algorithm or "kmeans"),
        fit_mask=~frame["is_outlier"].fillna(False).astype(bool).to_numpy(),
        names={int(r.cluster_id): str(r.cluster_name) for r in names.itertuples()} or None,
        random_state=int(random_state or 0),
    )
