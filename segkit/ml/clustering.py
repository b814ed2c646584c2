"""Customer clustering: choice of k, fitting on a sample, assignment of every row.

Super-linear steps run on samples (k selection, Ward, DBSCAN, GMM/KMeans fitting); every row
is then assigned in batches (nearest centroid, GMM posterior, or nearest DBSCAN core point).
Cluster ids are relabelled by descending size (ties: lexicographic centroid) so identical
data yields identical ids. ``-1`` is the DBSCAN noise label.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn import config_context
from sklearn.cluster import DBSCAN, AgglomerativeClustering, KMeans
from sklearn.metrics import (
    adjusted_rand_score,
    calinski_harabasz_score,
    davies_bouldin_score,
    silhouette_score,
)
from sklearn.mixture import GaussianMixture
from sklearn.neighbors import NearestNeighbors

from segkit.ml.features import prepare_matrix
from segkit.ml.naming import cluster_profiles, name_clusters

ALGORITHMS = ("kmeans", "gmm", "dbscan", "agglomerative")
FIT_SAMPLE_SIZE = 50_000
AGGLOMERATIVE_MAX_SAMPLE = 10_000   # Ward needs an n^2/2 distance matrix: 10k -> 400 MB
DBSCAN_MAX_SAMPLE = 10_000          # also the max number of core points queried per row
DBSCAN_KNEE_QUANTILE = 0.99         # knee searched on the k-distance curve below this quantile
SILHOUETTE_SAMPLE_SIZE = 10_000
SILHOUETTE_WORKING_MB = 128         # chunk size of the pairwise distances (sklearn default 1 GB)
TIE_TOLERANCE = 0.05
KMEANS_N_INIT = 4
DBSCAN_MIN_SAMPLES = 10
BATCH_SIZE = 100_000
NOISE_LABEL = -1
NOISE_NAME = "Unassigned (noise)"
Assigner = Callable[[np.ndarray], np.ndarray]


@dataclass
class ClusterResult:
    """Output of :func:`fit_clusters` (arrays aligned with the rows of X)."""

    labels: np.ndarray       # int64 cluster id per row, -1 = noise (DBSCAN only)
    centroids: np.ndarray    # (n_clusters, n_columns); row i is the centroid of cluster i
    distance: np.ndarray     # Euclidean distance to own centroid, NaN for noise
    algorithm: str
    params: dict


def _sample(n: int, size: int, rng: np.random.Generator) -> np.ndarray:
    return np.arange(n) if n <= size else np.sort(rng.choice(n, size, replace=False))


def _batched(fn: Assigner, X: np.ndarray) -> np.ndarray:
    parts = [fn(X[i:i + BATCH_SIZE]) for i in range(0, len(X), BATCH_SIZE)]
    return np.concatenate(parts) if parts else np.empty(0)


def nearest_centroid(X: np.ndarray, centroids: np.ndarray) -> np.ndarray:
    """Index of the nearest centroid for each row (batched, squared-distance trick)."""
    c2 = (centroids**2).sum(axis=1)

    def one(b: np.ndarray) -> np.ndarray:
        return np.argmin(c2[None, :] - 2.0 * b @ centroids.T, axis=1)
    return _batched(one, X).astype(np.int64)


def _knee(y: np.ndarray) -> int:
    """Index of the knee of a monotone curve (max distance to the chord, Kneedle-style)."""
    if len(y) < 3:
        return len(y) - 1
    x = np.linspace(0.0, 1.0, len(y))
    yn = (y - y.min()) / max(y.max() - y.min(), 1e-12)
    chord = yn[0] + (yn[-1] - yn[0]) * x
    return int(np.argmax(np.abs(chord - yn)))


def dbscan_eps(X: np.ndarray, min_samples: int = DBSCAN_MIN_SAMPLES,
               knee_quantile: float = DBSCAN_KNEE_QUANTILE) -> float:
    """eps = knee of the sorted ``min_samples``-th neighbour distance curve.

    The top ``1 - knee_quantile`` of the curve (isolated points) is cut before the knee
    search; otherwise a few extreme distances flatten the curve and eps becomes so large
    that everything merges into one cluster.
    """
    nn = NearestNeighbors(n_neighbors=min(min_samples, len(X) - 1) + 1).fit(X)
    dist = np.sort(nn.kneighbors(X)[0][:, -1])
    dist = dist[: max(3, int(np.ceil(len(dist) * knee_quantile)))]
    return float(max(dist[_knee(dist)], 1e-9))


def _fit_model(Xf: np.ndarray, algorithm: str, k: int, random_state: int,
               min_samples: int, eps: float | None) -> tuple[np.ndarray, Assigner, dict]:
    """Fit on ``Xf``; return (centroids, assigner for any rows, extra params)."""
    if algorithm == "kmeans":
        km = KMeans(k, n_init=KMEANS_N_INIT, random_state=random_state).fit(Xf)
        cents = km.cluster_centers_
        return cents, lambda b: nearest_centroid(b, cents), {}
    if algorithm == "gmm":
        gm = GaussianMixture(k, covariance_type="full", reg_covar=1e-4,
                             random_state=random_state).fit(Xf)
        return gm.means_, lambda b: _batched(gm.predict, b).astype(np.int64), {}
    if algorithm == "agglomerative":
        lab = AgglomerativeClustering(k, linkage="ward").fit_predict(Xf)
        cents = np.vstack([Xf[lab == c].mean(axis=0) for c in range(k)])
        return cents, lambda b: nearest_centroid(b, cents), {}
    if algorithm == "dbscan":
        eps = dbscan_eps(Xf, min_samples) if eps is None else eps
        db = DBSCAN(eps=eps, min_samples=min_samples).fit(Xf)
        core = Xf[db.core_sample_indices_]
        core_lab = db.labels_[db.core_sample_indices_]
        n_cl = int(core_lab.max()) + 1 if len(core_lab) else 0
        if n_cl == 0:
            return np.empty((0, Xf.shape[1])), lambda b: np.full(len(b), NOISE_LABEL), {
                "eps": eps}
        cents = np.vstack([core[core_lab == c].mean(axis=0) for c in range(n_cl)])
        nn = NearestNeighbors(n_neighbors=1).fit(core)

        def assign(b: np.ndarray) -> np.ndarray:
            d, i = nn.kneighbors(b)
            return np.where(d[:, 0] <= eps, core_lab[i[:, 0]], NOISE_LABEL).astype(np.int64)
        return cents, lambda b: _batched(assign, b), {"eps": eps}
    raise ValueError(f"algorithm must be one of {ALGORITHMS}, got {algorithm!r}")


def _relabel(labels: np.ndarray, centroids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Renumber clusters by descending size, ties by lexicographic centroid; drop empty ones."""
    n = len(centroids)
    if n == 0:
        return labels, centroids
    sizes = np.bincount(labels[labels >= 0], minlength=n)
    keys = [np.round(centroids[:, j], 9) for j in range(centroids.shape[1] - 1, -1, -1)]
    order = np.lexsort([*keys, -sizes])
    order = order[sizes[order] > 0]
    mapping = np.full(n, NOISE_LABEL, dtype=np.int64)
    mapping[order] = np.arange(len(order))
    new = np.where(labels >= 0, mapping[np.clip(labels, 0, None)], NOISE_LABEL)
    return new.astype(np.int64), centroids[order]


def fit_clusters(
    X: np.ndarray,
    algorithm: str = "kmeans",
    k: int = 5,
    fit_mask: np.ndarray | None = None,
    sample_size: int = FIT_SAMPLE_SIZE,
    dbscan_min_samples: int = DBSCAN_MIN_SAMPLES,
    dbscan_eps_value: float | None = None,
    random_state: int = 0,
) -> ClusterResult:
    """Fit ``algorithm`` on a sample of the rows allowed by ``fit_mask``; assign every row.

    Args:
        X: model matrix (e.g. from ``features.prepare_matrix``).
        algorithm: ``kmeans`` | ``gmm`` | ``dbscan`` | ``agglomerative`` (Ward).
        k: number of clusters (ignored by DBSCAN, which finds its own).
        fit_mask: boolean per row; ``False`` rows (e.g. outliers) are not used for fitting
            but are still assigned.
        sample_size: fitting sample (capped at 10k for Ward and 20k for DBSCAN).
        dbscan_min_samples / dbscan_eps_value: DBSCAN parameters; eps ``None`` = knee of the
            k-distance curve.
        random_state: seed for sampling and the estimators.
    """
    rng = np.random.default_rng(random_state)
    eligible = np.arange(len(X)) if fit_mask is None else np.flatnonzero(np.asarray(fit_mask))
    cap = {"agglomerative": AGGLOMERATIVE_MAX_SAMPLE, "dbscan": DBSCAN_MAX_SAMPLE}
    size = min(sample_size, cap.get(algorithm, sample_size))
    fit_idx = eligible[_sample(len(eligible), size, rng)]
    if algorithm != "dbscan" and len(fit_idx) < k:
        raise ValueError(f"need at least k={k} rows to fit, got {len(fit_idx)}")
    cents, assign, extra = _fit_model(X[fit_idx], algorithm, k, random_state,
                                      dbscan_min_samples, dbscan_eps_value)
    labels, cents = _relabel(assign(X), cents)
    if algorithm in ("gmm", "dbscan"):   # centroids of the final assignment
        cents = np.vstack([X[labels == c].mean(axis=0) for c in range(len(cents))]) \
            if len(cents) else cents
    dist = np.full(len(X), np.nan)
    ok = labels >= 0
    for i in range(0, len(X), BATCH_SIZE):
        sl = slice(i, i + BATCH_SIZE)
        lab, m = labels[sl], ok[sl]
        d = np.full(len(lab), np.nan)
        d[m] = np.linalg.norm(X[sl][m] - cents[lab[m]], axis=1)
        dist[sl] = d
    params = {"k": len(cents), "fit_rows": len(fit_idx), **extra}
    return ClusterResult(labels, cents, dist, algorithm, params)


def select_k(
    X: np.ndarray,
    k_range: Iterable[int] = range(2, 11),
    sample_size: int = 20_000,
    silhouette_sample_size: int = SILHOUETTE_SAMPLE_SIZE,
    tie_tolerance: float = TIE_TOLERANCE,
    random_state: int = 0,
) -> pd.DataFrame:
    """Score KMeans for each k on a sample and choose k.

    Rule: ``combined = 0.5 * minmax(silhouette) + 0.5 * (1 - minmax(davies_bouldin))`` over
    the tried ks; every k within ``tie_tolerance`` of the best combined score is a candidate
    and the candidate closest to the inertia elbow (Kneedle knee) wins, then the smaller k.

    Returns:
        DataFrame[k, silhouette, davies_bouldin, calinski_harabasz, inertia, combined_score,
        is_chosen, reason] (one row per k).
    """
    rng = np.random.default_rng(random_state)
    Xs = X[_sample(len(X), sample_size, rng)]
    sil_idx = _sample(len(Xs), silhouette_sample_size, rng)
    rows = []
    for k in sorted(set(int(k) for k in k_range)):
        if k < 2 or k >= len(Xs):
            continue
        km = KMeans(k, n_init=KMEANS_N_INIT, random_state=random_state).fit(Xs)
        lab = km.labels_
        with config_context(working_memory=SILHOUETTE_WORKING_MB):
            sil = (silhouette_score(Xs[sil_idx], lab[sil_idx])
                   if len(np.unique(lab[sil_idx])) > 1 else np.nan)
        rows.append({"k": k, "silhouette": float(sil),
                     "davies_bouldin": float(davies_bouldin_score(Xs, lab)),
                     "calinski_harabasz": float(calinski_harabasz_score(Xs, lab)),
                     "inertia": float(km.inertia_)})
    if not rows:
        raise ValueError("no valid k in k_range (need 2 <= k < n_rows)")
    out = pd.DataFrame(rows)

    def mm(v: pd.Series) -> np.ndarray:
        v = v.fillna(v.min()).to_numpy()
        return (v - v.min()) / (v.max() - v.min()) if v.max() > v.min() else np.ones(len(v))
    out["combined_score"] = 0.5 * mm(out["silhouette"]) + 0.5 * (1 - mm(out["davies_bouldin"]))
    best = out["combined_score"].max()
    elbow_k = int(out["k"].iloc[_knee(out["inertia"].to_numpy())])
    cand = out[out["combined_score"] >= best - tie_tolerance]
    gap = (cand["k"] - elbow_k).abs()
    chosen = int(cand.loc[gap == gap.min(), "k"].min())
    out["is_chosen"] = out["k"] == chosen
    out["reason"] = [
        (f"chosen: combined silhouette/DB score {s:.3f} within {tie_tolerance} of best "
         f"{best:.3f}; closest to inertia elbow k={elbow_k}") if k == chosen
        else (f"candidate (score {s:.3f}) but farther from elbow k={elbow_k}"
              if k in set(cand["k"]) else f"combined score {s:.3f} < best {best:.3f}")
        for k, s in zip(out["k"], out["combined_score"], strict=True)
    ]
    return out


def project_2d(X: np.ndarray, sample_size: int = 100_000, random_state: int = 0
               ) -> pd.DataFrame:
    """PCA to 2-D (fitted on a sample, full SVD, signs fixed) -> DataFrame[pca_x, pca_y]."""
    rng = np.random.default_rng(random_state)
    Xs = X[_sample(len(X), sample_size, rng)]
    mean = Xs.mean(axis=0)
    _, _, vt = np.linalg.svd(Xs - mean, full_matrices=False)
    comps = vt[:2]
    comps = comps * np.sign(comps[np.arange(len(comps)), np.argmax(np.abs(comps), axis=1)])[
        :, None]
    xy = _batched(lambda b: (b - mean) @ comps.T, X).reshape(len(X), -1)
    if xy.shape[1] < 2:
        xy = np.hstack([xy, np.zeros((len(X), 2 - xy.shape[1]))])
    return pd.DataFrame({"pca_x": xy[:, 0], "pca_y": xy[:, 1]})


def bootstrap_ari(X: np.ndarray, k: int, n_boot: int = 10, sample_size: int = 20_000,
                  algorithm: str = "kmeans", random_state: int = 0) -> pd.DataFrame:
    """Stability: refit on bootstrap resamples, compare assignments of a fixed evaluation set.

    Returns DataFrame[bootstrap, ari]; ARI near 1 = stable partition.
    """
    rng = np.random.default_rng(random_state)
    Xe = X[_sample(len(X), sample_size, rng)]
    _, ref_assign, _ = _fit_model(Xe, algorithm, k, random_state, DBSCAN_MIN_SAMPLES, None)
    ref = ref_assign(Xe)
    rows = []
    for b in range(n_boot):
        boot = rng.choice(len(Xe), len(Xe), replace=True)
        _, assign, _ = _fit_model(Xe[boot], algorithm, k, random_state + b + 1,
                                  DBSCAN_MIN_SAMPLES, None)
        rows.append({"bootstrap": b, "ari": float(adjusted_rand_score(ref, assign(Xe)))})
    return pd.DataFrame(rows, columns=["bootstrap", "ari"])


def cluster_assignments(
    df: pd.DataFrame,
    feature_cols: list[str] | None = None,
    k: int | None = None,
    algorithm: str = "kmeans",
    fit_mask: np.ndarray | pd.Series | None = None,
    names: dict[int, str] | None = None,
    sample_size: int = FIT_SAMPLE_SIZE,
    missing_indicators: bool = False,
    clip: float | None = 10.0,
    key_col: str = "customer_key",
    random_state: int = 0,
) -> pd.DataFrame:
    """Prepare features, (choose k,) fit, assign, name and project every customer.

    ``fit_mask`` (e.g. ``~is_outlier``) selects the rows used for fitting; everyone is
    assigned. ``k=None`` runs :func:`select_k` over 2..10. ``names`` overrides generated names.

    Returns:
        DataFrame[customer_key, cluster_id, cluster_name, distance_to_centroid, pca_x, pca_y].
    """
    X, info = prepare_matrix(df, feature_cols, missing_indicators=missing_indicators,
                             clip=clip, random_state=random_state)
    mask = None if fit_mask is None else np.asarray(fit_mask, dtype=bool)
    if k is None and algorithm != "dbscan":
        fit_rows = X if mask is None else X[mask]
        ks = select_k(fit_rows, random_state=random_state)
        k = int(ks.loc[ks["is_chosen"], "k"].iloc[0])
    res = fit_clusters(X, algorithm, k or 0, mask, sample_size, random_state=random_state)
    named = name_clusters(cluster_profiles(df, res.labels, info.feature_cols), names)
    name_map = dict(zip(named["cluster_id"], named["cluster_name"], strict=True))
    xy = project_2d(X, random_state=random_state)
    return pd.DataFrame({
        "customer_key": df[key_col].to_numpy() if key_col in df else np.arange(len(df)),
        "cluster_id": res.labels,
        "cluster_name": pd.Series(res.labels).map(name_map).fillna(NOISE_NAME).to_numpy(),
        "distance_to_centroid": res.distance,
        "pca_x": xy["pca_x"].to_numpy(), "pca_y": xy["pca_y"].to_numpy(),
    })
