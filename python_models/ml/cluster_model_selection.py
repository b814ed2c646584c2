"""One row per candidate k: silhouette, Davies-Bouldin, Calinski-Harabasz, inertia, the choice,
and for the chosen k the stability of the clustering (mean / min bootstrap ARI).

Fitted on customers that are not outliers (customer_outliers), as customer_clusters is.
Incremental: the sweep runs on a full build and then every var ml__reselect_every_days days of
as_of_date; a refresh in between keeps the stored rows (segkit/ml/cadence.py, docs/refresh.md).
"""

from segkit.dbt_io import config_list, to_pandas
from segkit.ml.cadence import decide, nothing_new, stamp
from segkit.ml.clustering import bootstrap_ari, select_k
from segkit.ml.features import prepare_matrix
from segkit.ml.guards import usable_k_range


def model(dbt, session):
    dbt.config(materialized="incremental", incremental_strategy="append")
    # one plain dbt.config.get per key (dbt does not see calls nested in int(... or x))
    feature_cols = dbt.config.get("feature_cols")
    k_min = dbt.config.get("k_min")
    k_max = dbt.config.get("k_max")
    random_state = dbt.config.get("random_state")
    every_days = dbt.config.get("reselect_every_days")
    due, previous, as_of_date = decide(dbt, session, to_pandas(dbt.ref("int_run__as_of_date")),
                                       every_days, "cluster_model_selection", "k sweep")
    if not due:
        return nothing_new(session, dbt.this)
    features = to_pandas(dbt.ref("customer_features"))
    outliers = to_pandas(dbt.ref("customer_outliers"))[["customer_key", "is_outlier"]]
    frame = features.merge(outliers, on="customer_key", how="left")
    frame = frame[~frame["is_outlier"].fillna(False).astype(bool)]
    X, _ = prepare_matrix(frame, config_list(feature_cols),
                          missing_indicators=False, clip=10.0)
    k_min, k_max = int(k_min or 2), int(k_max or 10)
    seed = int(random_state or 0)
    selection = select_k(X, k_range=usable_k_range(len(X), k_min, k_max), random_state=seed)
    chosen = selection["is_chosen"].astype(bool)
    selection["bootstrap_ari_mean"] = float("nan")
    selection["bootstrap_ari_min"] = float("nan")
    if len(X) >= 50:
        k = int(selection.loc[chosen, "k"].iloc[0])
        boot = bootstrap_ari(X, k, n_boot=10, sample_size=min(len(X), 20000), random_state=seed)
        selection.loc[chosen, "bootstrap_ari_mean"] = float(boot["ari"].mean())
        selection.loc[chosen, "bootstrap_ari_min"] = float(boot["ari"].min())
    return stamp(selection, as_of_date, previous)
