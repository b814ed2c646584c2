"""Clustering: k selection, persona recovery, determinism, label stability."""

import numpy as np
import pytest
from ml_synth import make_customers, single_thread  # noqa: F401 (autouse fixture)
from sklearn.datasets import make_blobs

from segkit.ml.clustering import (
    ALGORITHMS,
    bootstrap_ari,
    cluster_assignments,
    fit_clusters,
    project_2d,
    select_k,
)
from segkit.ml.evaluation import adjusted_rand
from segkit.ml.features import prepare_matrix


@pytest.fixture(scope="module")
def personas():
    df = make_customers(6000, n_personas=4, seed=2)
    X, _ = prepare_matrix(df, missing_indicators=False, clip=10.0)
    return df, X


@pytest.mark.parametrize("planted_k", [3, 4, 6])
def test_select_k_finds_planted_k(planted_k):
    X, _ = make_blobs(3000, n_features=8, centers=planted_k, cluster_std=1.0,
                      center_box=(-10, 10), random_state=planted_k)
    ks = select_k(X, range(2, 9), sample_size=2000, silhouette_sample_size=1500)
    assert list(ks.columns) == ["k", "silhouette", "davies_bouldin", "calinski_harabasz",
                                "inertia", "combined_score", "is_chosen", "reason"]
    assert ks["is_chosen"].sum() == 1
    assert ks.loc[ks["is_chosen"], "k"].item() == planted_k
    assert ks.loc[ks["is_chosen"], "reason"].item().startswith("chosen")


def test_kmeans_recovers_personas_and_excludes_outliers_from_fit(personas):
    df, X = personas
    mask = ~df["is_planted_outlier"].to_numpy()
    res = fit_clusters(X, "kmeans", 4, fit_mask=mask, sample_size=3000)
    assert adjusted_rand(res.labels, df["persona"])["adjusted_rand"] > 0.9
    assert res.centroids.shape == (4, X.shape[1])
    assert np.isfinite(res.distance).all() and (res.distance >= 0).all()
    sizes = np.bincount(res.labels)
    assert (np.diff(sizes) <= 0).all()                       # ids ordered by size
    assert res.params["fit_rows"] == 3000


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_all_algorithms_assign_everyone(personas, algorithm):
    df, X = personas
    res = fit_clusters(X, algorithm, 4, sample_size=2000, random_state=1)
    assert len(res.labels) == len(X) and res.labels.min() >= -1
    ari = adjusted_rand(res.labels, df["persona"])["adjusted_rand"]
    assert ari > (0.3 if algorithm == "dbscan" else 0.6), (algorithm, ari)
    noise = res.labels == -1
    assert np.isnan(res.distance[noise]).all() and np.isfinite(res.distance[~noise]).all()
    if algorithm != "dbscan":
        assert not noise.any()
    else:
        assert "eps" in res.params


def test_determinism_and_label_stability(personas):
    _, X = personas
    a = fit_clusters(X, "kmeans", 4, sample_size=3000, random_state=0)
    b = fit_clusters(X, "kmeans", 4, sample_size=3000, random_state=0)
    np.testing.assert_array_equal(a.labels, b.labels)
    np.testing.assert_array_equal(a.centroids, b.centroids)
    # another seed (other sample, other init) -> same partition gets the same ids
    c = fit_clusters(X, "kmeans", 4, sample_size=3000, random_state=7)
    assert (a.labels == c.labels).mean() > 0.98


def test_bootstrap_stability_and_projection(personas):
    _, X = personas
    boot = bootstrap_ari(X, 4, n_boot=4, sample_size=2000)
    assert list(boot.columns) == ["bootstrap", "ari"] and len(boot) == 4
    assert boot["ari"].mean() > 0.9
    xy = project_2d(X, sample_size=3000)
    assert list(xy.columns) == ["pca_x", "pca_y"] and len(xy) == len(X)
    assert xy.equals(project_2d(X, sample_size=3000))


def test_cluster_assignments_end_to_end(personas):
    df, _ = personas
    out = cluster_assignments(df, k=4, fit_mask=~df["is_planted_outlier"], sample_size=3000,
                              names={0: "Custom zero"})
    assert list(out.columns) == ["customer_key", "cluster_id", "cluster_name",
                                 "distance_to_centroid", "pca_x", "pca_y"]
    assert out["cluster_name"].notna().all()
    assert out.groupby("cluster_id")["cluster_name"].nunique().eq(1).all()
    assert out.groupby("cluster_name")["cluster_id"].nunique().eq(1).all()
    assert (out.loc[out["cluster_id"] == 0, "cluster_name"] == "Custom zero").all()
    assert adjusted_rand(out["cluster_id"], df["persona"])["adjusted_rand"] > 0.9


def test_cluster_assignments_chooses_k_when_missing():
    df = make_customers(1500, n_personas=3, seed=4)
    out = cluster_assignments(df, sample_size=1500)
    assert out["cluster_id"].nunique() >= 2
