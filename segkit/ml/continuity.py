"""Cluster label continuity across runs: "cluster 3" keeps meaning the same group.

A new run's clusters are matched to the previous run's by the Hungarian algorithm
(``scipy.optimize.linear_sum_assignment``) on the Euclidean distance between centroids. Both
sets of centroids are measured in the *current* run's scaled feature space: the previous
centroid of cluster j is the mean of the current feature rows of the customers the previous
run put in j (customers present in both runs). So a change of scaling between runs does not
look like a moved cluster, and no centroid has to be stored.

A matched pair farther apart than ``max_distance`` is not a continuation: the new cluster is
born (it gets an id never used before) and the old one dies. Unmatched clusters (k grew or
shrank) are births / deaths too. ``-1`` (DBSCAN noise) is never matched and stays ``-1``.

Rollback (``restore_labels``): the labels of a stored version are given back to the
customers it labelled; customers it did not know get the nearest of its centroids.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from segkit.ml.clustering import NOISE_LABEL, NOISE_NAME, nearest_centroid
from segkit.ml.features import prepare_matrix
from segkit.ml.naming import cluster_profiles, name_clusters

EVENTS = ("continued", "born", "died", "first_run", "restored")
LINEAGE_COLUMNS = ["previous_cluster_id", "cluster_id", "centroid_distance", "event"]


@dataclass
class Continuity:
    """Output of :func:`stable_labels` (``labels`` aligned with the input rows)."""

    labels: np.ndarray          # stable id per row (-1 stays -1)
    mapping: dict[int, int]     # raw id -> stable id
    lineage: pd.DataFrame       # LINEAGE_COLUMNS, one row per current and per dead cluster


def centroids_by_label(X: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(ids, centroids): the mean row of ``X`` per label >= 0, ids ascending."""
    labels = np.asarray(labels)
    ids = np.unique(labels[labels >= 0]).astype(np.int64)
    if len(ids) == 0:
        return ids, np.empty((0, X.shape[1]))
    return ids, np.vstack([X[labels == i].mean(axis=0) for i in ids])


def match_centroids(prev: np.ndarray, cur: np.ndarray, max_distance: float
                    ) -> tuple[list[tuple[int, int, float]], np.ndarray]:
    """Hungarian matching of rows of ``cur`` to rows of ``prev`` (minimum total distance).

    Returns (pairs (cur_index, prev_index, distance) with distance <= max_distance, the full
    distance matrix of shape (len(cur), len(prev))).
    """
    if len(prev) == 0 or len(cur) == 0:
        return [], np.empty((len(cur), len(prev)))
    dist = np.linalg.norm(cur[:, None, :] - prev[None, :, :], axis=2)
    rows, cols = linear_sum_assignment(dist)
    pairs = [(int(r), int(c), float(dist[r, c])) for r, c in zip(rows, cols, strict=True)
             if dist[r, c] <= max_distance]
    return pairs, dist


def stable_labels(X: np.ndarray, raw_labels: np.ndarray, previous_labels: np.ndarray,
                  max_distance: float, used_ids: set[int] | None = None,
                  previous_ids: set[int] | None = None) -> Continuity:
    """Renumber ``raw_labels`` so matched clusters keep the previous run's ids.

    Args:
        X: current scaled feature matrix (rows = customers).
        raw_labels: this run's cluster per row (0..k-1, -1 noise).
        previous_labels: the previous run's stable cluster per row, -2 (or any value < -1)
            where the customer was not in the previous run; all < -1 = no previous run.
        max_distance: largest centroid distance that still counts as the same cluster.
        used_ids: every id ever given out before (births get ids above all of them).
        previous_ids: every cluster of the previous run; one without a customer in this
            run dies (distance NULL).

    Returns:
        :class:`Continuity` with stable labels, the raw -> stable map and the lineage.
    """
    raw_labels = np.asarray(raw_labels, dtype=np.int64)
    previous_labels = np.asarray(previous_labels, dtype=np.int64)
    cur_ids, cur_c = centroids_by_label(X, raw_labels)
    known = previous_labels >= 0
    prev_ids, prev_c = centroids_by_label(X[known], previous_labels[known])
    if len(prev_ids) == 0:      # first run: ids as fitted
        lineage = pd.DataFrame({"previous_cluster_id": pd.array([None] * len(cur_ids),
                                                                dtype="Int64"),
                                "cluster_id": cur_ids, "centroid_distance": np.nan,
                                "event": "first_run"})
        return Continuity(raw_labels.copy(), {int(i): int(i) for i in cur_ids}, lineage)
    pairs, _ = match_centroids(prev_c, cur_c, max_distance)
    mapping = {int(cur_ids[r]): int(prev_ids[c]) for r, c, _ in pairs}
    taken = set(used_ids or ()) | {int(i) for i in prev_ids}
    next_id = max(taken) + 1 if taken else 0
    for i in cur_ids:                       # births, in raw order (by size)
        if int(i) not in mapping:
            mapping[int(i)] = next_id
            next_id += 1
    lut = {**mapping, NOISE_LABEL: NOISE_LABEL}
    labels = np.array([lut[int(v)] for v in raw_labels], dtype=np.int64)
    matched_prev = {int(prev_ids[c]): d for _, c, d in pairs}
    rows = []
    for r, i in enumerate(cur_ids):
        stable = mapping[int(i)]
        if stable in matched_prev:
            rows.append((stable, stable, matched_prev[stable], "continued"))
        else:
            d = float(np.linalg.norm(prev_c - cur_c[r], axis=1).min())
            rows.append((None, stable, d, "born"))
    for c, p in enumerate(prev_ids):
        if int(p) not in matched_prev:
            d = float(np.linalg.norm(cur_c - prev_c[c], axis=1).min()) if len(cur_c) else np.nan
            rows.append((int(p), None, d, "died"))
    for p in sorted(set(previous_ids or ()) - {int(i) for i in prev_ids} - {NOISE_LABEL}):
        rows.append((int(p), None, np.nan, "died"))
    lineage = pd.DataFrame(rows, columns=LINEAGE_COLUMNS)
    lineage["previous_cluster_id"] = lineage["previous_cluster_id"].astype("Int64")
    lineage["cluster_id"] = lineage["cluster_id"].astype("Int64")
    lineage = lineage.sort_values(["cluster_id", "previous_cluster_id"], na_position="last",
                                  kind="stable").reset_index(drop=True)
    return Continuity(labels, mapping, lineage)


def previous_labels_for(keys: pd.Series, previous: pd.DataFrame) -> np.ndarray:
    """The previous run's cluster_id aligned with ``keys`` (-2 where the key is unknown)."""
    if previous is None or previous.empty:
        return np.full(len(keys), -2, dtype=np.int64)
    lut = dict(zip(previous["customer_key"], previous["cluster_id"], strict=True))
    return np.array([int(lut.get(k, -2)) for k in keys], dtype=np.int64)


def choose_previous_version(registry: pd.DataFrame, as_of_date, pinned: str | None = None
                            ) -> str | None:
    """The version to continue from (or to restore, when ``pinned``).

    ``registry`` has one row per version: version_id, version_sequence, as_of_date. The
    previous version is the last one recorded for the latest as_of_date before ``as_of_date``
    (a rebuild of the same date never continues from itself). A pinned id that is not in the
    registry raises ``ValueError`` naming it.
    """
    if pinned:
        if registry.empty or pinned not in set(registry["version_id"]):
            raise ValueError(f"var history__cluster_pinned_version: no customer_clusters "
                             f"version {pinned!r} in customer_cluster_versions")
        return pinned
    if registry.empty:
        return None
    earlier = registry[pd.to_datetime(registry["as_of_date"]) < pd.Timestamp(as_of_date)]
    if earlier.empty:
        return None
    earlier = earlier.sort_values(["as_of_date", "version_sequence"], kind="stable")
    return str(earlier["version_id"].iloc[-1])


def _names(frame: pd.DataFrame, labels: np.ndarray, feature_cols: list[str],
           overrides: dict[int, str] | None) -> pd.Series:
    named = name_clusters(cluster_profiles(frame, labels, feature_cols), overrides)
    name_map = dict(zip(named["cluster_id"], named["cluster_name"], strict=True))
    return pd.Series(labels).map(name_map).fillna(NOISE_NAME)


def _distances(X: np.ndarray, labels: np.ndarray) -> np.ndarray:
    ids, cents = centroids_by_label(X, labels)
    pos = {int(i): j for j, i in enumerate(ids)}
    out = np.full(len(X), np.nan)
    for i, j in pos.items():
        m = labels == i
        out[m] = np.linalg.norm(X[m] - cents[j], axis=1)
    return out


def apply_continuity(frame: pd.DataFrame, assigned: pd.DataFrame, feature_cols: list[str],
                     previous: pd.DataFrame | None, max_distance: float,
                     used_ids: set[int] | None = None, overrides: dict[int, str] | None = None,
                     random_state: int = 0) -> pd.DataFrame:
    """Give ``assigned`` (``clustering.cluster_assignments`` output, rows aligned with
    ``frame``) the previous run's ids; names are regenerated on the stable ids (so the
    ``overrides`` seed refers to stable ids). Adds ``cluster_event`` (continued / born /
    first_run) and ``centroid_shift`` (distance to the matched previous centroid).
    """
    X, info = prepare_matrix(frame, feature_cols, missing_indicators=False, clip=10.0,
                             random_state=random_state)
    prev = previous_labels_for(frame["customer_key"], previous)
    prev_ids = set() if previous is None else {int(i) for i in previous["cluster_id"]}
    cont = stable_labels(X, assigned["cluster_id"].to_numpy(), prev, max_distance, used_ids,
                         prev_ids)
    out = assigned.copy()
    out["cluster_id"] = cont.labels
    out["cluster_name"] = _names(frame, cont.labels, info.feature_cols, overrides).to_numpy()
    current = cont.lineage[cont.lineage["cluster_id"].notna()]
    event = dict(zip(current["cluster_id"].astype(int), current["event"], strict=True))
    shift = dict(zip(current["cluster_id"].astype(int), current["centroid_distance"],
                     strict=True))
    out["cluster_event"] = [event.get(int(c), "noise") for c in cont.labels]
    out["centroid_shift"] = [float(shift[int(c)]) if int(c) in shift and event[int(c)] ==
                             "continued" else np.nan for c in cont.labels]
    return out


def restore_labels(frame: pd.DataFrame, assigned: pd.DataFrame, feature_cols: list[str],
                   version: pd.DataFrame, random_state: int = 0) -> pd.DataFrame:
    """Rollback: the labels and names of a stored version instead of this run's fit.

    Customers in ``version`` (customer_key, cluster_id, cluster_name) keep its label; others
    get the nearest of its centroids (measured in the current scaled space).
    """
    X, _ = prepare_matrix(frame, feature_cols, missing_indicators=False, clip=10.0,
                          random_state=random_state)
    prev = previous_labels_for(frame["customer_key"], version)
    ids, cents = centroids_by_label(X[prev >= 0], prev[prev >= 0])
    labels = prev.copy()
    unknown = labels < -1
    if unknown.any() and len(ids):
        labels[unknown] = ids[nearest_centroid(X[unknown], cents)]
    labels[labels < -1] = NOISE_LABEL
    names = (version.drop_duplicates("cluster_id").set_index("cluster_id")["cluster_name"]
             .to_dict())
    out = assigned.copy()
    out["cluster_id"] = labels
    out["cluster_name"] = pd.Series(labels).map(names).fillna(NOISE_NAME).to_numpy()
    out["distance_to_centroid"] = _distances(X, labels)
    out["cluster_event"] = "restored"
    out["centroid_shift"] = np.nan
    return out


def is_missing_relation(err: Exception) -> bool:
    """The error a warehouse raises for a table that does not exist (yet)."""
    text = f"{type(err).__name__} {err}".lower()
    return "does not exist" in text or "not found" in text or "catalog" in text


def read_registry(relation, as_of_date, pinned: str | None = None
                  ) -> tuple[str | None, pd.DataFrame | None, set[int]]:
    """From the label registry (customer_cluster_versions, a DuckDB relation or None on the
    first build): the version to continue from / restore, its labels and every id used.

    Only the chosen version's rows are read into pandas (``filter`` on the relation).
    """
    if relation is None:
        if pinned:
            raise ValueError(f"var history__cluster_pinned_version: {pinned!r} given but "
                             "customer_cluster_versions does not exist yet")
        return None, None, set()
    versions = relation.aggregate(
        "version_id, version_sequence, as_of_date, max(cluster_id) as max_cluster_id",
        "version_id, version_sequence, as_of_date").df()
    version = choose_previous_version(versions, as_of_date, pinned or None)
    used = {int(v) for v in versions["max_cluster_id"].dropna()}
    used = set(range(max(used) + 1)) if used else set()
    if version is None:
        return None, None, used
    labels = (relation.filter(f"version_id = '{version}'")
              .project("customer_key, cluster_id, cluster_name").df())
    return version, labels, used
