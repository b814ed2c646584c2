"""One row per customer_key: cluster id and name, distance to its centroid, 2-D projection.

k comes from cluster_model_selection; outliers are excluded from fitting, then assigned.
Cluster ids are stable across runs: this run's clusters are matched to the previous run's
(labels kept in customer_cluster_versions, read through the source history_registry) by
Hungarian matching on centroids (segkit/ml/continuity.py, docs/history.md). With the var
history__cluster_pinned_version the labels of that stored version are restored (rollback).
"""

from segkit.dbt_io import config_list, to_pandas
from segkit.ml.clustering import cluster_assignments
from segkit.ml.continuity import (
    apply_continuity,
    is_missing_relation,
    read_registry,
    restore_labels,
)


def model(dbt, session):
    dbt.config(materialized="table")
    # one plain dbt.config.get per key (dbt does not see calls nested in str(... or x))
    feature_cols = dbt.config.get("feature_cols")
    algorithm = dbt.config.get("algorithm")
    random_state = dbt.config.get("random_state")
    max_distance = dbt.config.get("continuity_max_distance")
    pinned_version = dbt.config.get("pinned_version")
    features = to_pandas(dbt.ref("customer_features"))
    outliers = to_pandas(dbt.ref("customer_outliers"))[["customer_key", "is_outlier"]]
    selection = to_pandas(dbt.ref("cluster_model_selection"))
    names = to_pandas(dbt.ref("cluster_name_overrides"))
    try:
        registry = dbt.source("history_registry", "customer_cluster_versions")
    except Exception as err:  # the registry does not exist before the first build
        if not is_missing_relation(err):
            raise
        registry = None
    frame = features.merge(outliers, on="customer_key", how="left")
    k = int(selection.loc[selection["is_chosen"], "k"].iloc[0])
    cols = config_list(feature_cols)
    seed = int(random_state or 0)
    overrides = {int(r.cluster_id): str(r.cluster_name) for r in names.itertuples()} or None
    assigned = cluster_assignments(
        frame,
        feature_cols=cols,
        k=k,
        algorithm=str(algorithm or "kmeans"),
        fit_mask=~frame["is_outlier"].fillna(False).astype(bool).to_numpy(),
        names=None,
        random_state=seed,
    )
    as_of_date = features["as_of_date"].max()
    version, previous, used_ids = read_registry(registry, as_of_date, pinned_version or None)
    if pinned_version:
        return restore_labels(frame, assigned, cols, previous, random_state=seed)
    return apply_continuity(frame, assigned, cols, previous, float(max_distance or 2.0),
                            used_ids=used_ids, overrides=overrides, random_state=seed)
