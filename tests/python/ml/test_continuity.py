"""Cluster label continuity (segkit/ml/continuity.py): Hungarian matching on centroids."""

import numpy as np
import pandas as pd
import pytest

from segkit.ml.continuity import (
    choose_previous_version,
    match_centroids,
    restore_labels,
    stable_labels,
)


def _blobs(centers, n=50, seed=0):
    rng = np.random.default_rng(seed)
    X = np.vstack([rng.normal(c, 0.1, size=(n, len(c))) for c in centers])
    labels = np.repeat(np.arange(len(centers)), n)
    return X, labels


def test_relabelled_clusters_keep_previous_ids():
    X, truth = _blobs([(0, 0), (5, 0), (0, 5)])
    previous = np.array([7, 3, 9])[truth]          # the previous run called them 7, 3, 9
    raw = np.array([2, 0, 1])[truth]                # this run's fit numbers them differently
    cont = stable_labels(X, raw, previous, max_distance=1.0)
    assert (cont.labels == previous).all()
    assert cont.mapping == {2: 7, 0: 3, 1: 9}
    assert set(cont.lineage["event"]) == {"continued"}
    assert (cont.lineage["centroid_distance"] < 0.1).all()


def test_birth_and_death_get_new_ids_and_are_recorded():
    X, truth = _blobs([(0, 0), (5, 0), (0, 5), (9, 9)])
    previous = np.array([0, 1, 2, -2])[truth]       # blob 3's customers are new
    raw = truth.copy()
    raw[truth == 2] = 0                             # blob 2 merged into blob 0's cluster
    cont = stable_labels(X, raw, previous, max_distance=1.5, used_ids={0, 1, 2, 5},
                         previous_ids={0, 1, 2, 4})
    lin = cont.lineage
    born = lin[lin["event"] == "born"]
    died = lin[lin["event"] == "died"]
    assert list(born["cluster_id"]) == [6, 7]       # above every id ever used (5)
    assert sorted(died["previous_cluster_id"]) == [0, 2, 4]   # 4: all its customers left
    assert (cont.labels[truth == 1] == 1).all()     # the untouched group keeps its id
    assert (cont.labels[truth == 3] == 7).all()
    assert len(set(cont.labels[truth == 0])) == 1 and cont.labels[truth == 0][0] == 6


def test_far_match_is_not_a_continuation():
    X, truth = _blobs([(0, 0), (5, 0)])
    previous = truth.copy()
    shifted = X + np.array([3.0, 0.0])              # every group moved 3 units
    cont = stable_labels(shifted, truth, previous, max_distance=1.0)
    # previous centroids are measured on the current rows of the same customers, so a pure
    # shift of everyone is no movement at all
    assert set(cont.lineage["event"]) == {"continued"}
    X2 = X.copy()
    X2[truth == 1] += np.array([0.0, 4.0])
    raw = truth.copy()
    prev_only_first = np.where(truth == 0, 0, -2)
    cont2 = stable_labels(X2, raw, prev_only_first, max_distance=1.0)
    assert cont2.lineage.set_index("cluster_id").loc[1, "event"] == "born"


def test_first_run_keeps_fitted_ids():
    X, truth = _blobs([(0, 0), (5, 0)])
    cont = stable_labels(X, truth, np.full(len(truth), -2), max_distance=1.0)
    assert (cont.labels == truth).all()
    assert set(cont.lineage["event"]) == {"first_run"}


def test_noise_stays_noise():
    X, truth = _blobs([(0, 0), (5, 0)])
    raw = truth.copy()
    raw[:3] = -1
    cont = stable_labels(X, raw, np.array([4, 8])[truth], max_distance=1.0)
    assert (cont.labels[:3] == -1).all()
    assert (cont.labels[3:] == np.array([4, 8])[truth][3:]).all()


def test_hungarian_beats_greedy():
    prev = np.array([[0.0], [1.0]])
    cur = np.array([[0.6], [2.0]])                  # greedy would give 0.6 -> 1.0
    pairs, _ = match_centroids(prev, cur, max_distance=5.0)
    assert sorted((r, c) for r, c, _ in pairs) == [(0, 0), (1, 1)]


def test_choose_previous_version_skips_same_date_and_validates_pin():
    reg = pd.DataFrame({"version_id": ["a", "b", "c"], "version_sequence": [1, 2, 3],
                        "as_of_date": pd.to_datetime(["2024-06-01", "2024-06-08",
                                                      "2024-06-08"])})
    assert choose_previous_version(reg, "2024-06-08") == "a"
    assert choose_previous_version(reg, "2024-06-15") == "c"
    assert choose_previous_version(reg, "2024-06-01") is None
    assert choose_previous_version(reg, "2024-06-15", pinned="a") == "a"
    with pytest.raises(ValueError, match="history__cluster_pinned_version"):
        choose_previous_version(reg, "2024-06-15", pinned="zzz")


def test_restore_labels_gives_back_the_version_and_places_newcomers():
    rng = np.random.default_rng(1)
    n = 60
    frame = pd.DataFrame({
        "customer_key": [f"c{i:03d}" for i in range(2 * n)],
        "x": np.concatenate([rng.normal(0, 0.1, n), rng.normal(10, 0.1, n)]),
        "y": np.concatenate([rng.normal(0, 0.1, n), rng.normal(10, 0.1, n)]),
    })
    assigned = pd.DataFrame({"customer_key": frame["customer_key"], "cluster_id": 0,
                             "cluster_name": "x", "distance_to_centroid": 0.0,
                             "pca_x": 0.0, "pca_y": 0.0})
    known = frame.iloc[list(range(0, n - 5)) + list(range(n, 2 * n - 5))]
    version = pd.DataFrame({"customer_key": known["customer_key"],
                            "cluster_id": np.where(known["x"] > 5, 4, 2),
                            "cluster_name": np.where(known["x"] > 5, "Far", "Near")})
    out = restore_labels(frame, assigned, ["x", "y"], version)
    expect = np.where(frame["x"] > 5, 4, 2)
    assert (out["cluster_id"].to_numpy() == expect).all()   # newcomers by nearest centroid
    assert set(out.loc[out["cluster_id"] == 4, "cluster_name"]) == {"Far"}
    assert (out["cluster_event"] == "restored").all()
