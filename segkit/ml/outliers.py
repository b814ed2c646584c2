"""Customer outlier detection: two univariate and two multivariate detectors plus a vote.

Every detector returns ``(flag, score)`` per row, score oriented "higher = more unusual":

* robust z-score: ``max_j |x_j - median_j| / (1.4826 * MAD_j)`` on the log1p / imputed scale;
  flag when > ``z_threshold`` (default 6, i.e. only extreme values, not ordinary heavy tails);
* IQR (Tukey fences): ``max_j`` distance beyond ``[Q1 - k IQR, Q3 + k IQR]`` in IQR units,
  default ``k = 3`` ("far out"); flag when > 0;
* IsolationForest fitted on a sample, scores everyone; flag the top ``contamination`` share;
* LocalOutlierFactor fitted on a 10k sample with ``novelty=True``; everyone scored in batches;
  flag the top ``contamination`` share.

``is_outlier = outlier_votes >= min_votes``. Thresholds for the two model-based detectors are
quantiles of the full-population scores, so exactly ~``contamination`` of rows get that vote.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.ensemble import IsolationForest
from sklearn.neighbors import LocalOutlierFactor

from segkit.ml.features import prepare_matrix, robust_scale

Z_THRESHOLD = 6.0
IQR_K = 4.0
REASON_MIN_Z = 3.0      # features named in outlier_reasons need |z| >= this ...
REASON_TOP_N = 3        # ... and at most this many are named
LOF_NEIGHBORS = 20
LOF_SAMPLE_SIZE = 10_000   # LOF scoring cost ~ rows x sample; 10k: ~28 CPU-s per 1M rows
IFOREST_TREES = 200
BATCH_SIZE = 100_000
OUTPUT_COLS = [
    "customer_key", "zscore_flag", "zscore_score", "iqr_flag", "iqr_score", "iforest_flag",
    "iforest_score", "lof_flag", "lof_score", "outlier_votes", "is_outlier", "outlier_reasons",
]


def robust_z_matrix(values: np.ndarray) -> np.ndarray:
    """Per-feature robust z-scores (median / MAD, with IQR -> std fallbacks)."""
    center, sigma = robust_scale(values)
    return (values - center) / sigma


def zscore_detector(values: np.ndarray, z_threshold: float = Z_THRESHOLD
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Flag rows whose largest absolute robust z-score exceeds ``z_threshold``."""
    score = np.abs(robust_z_matrix(values)).max(axis=1)
    return score > z_threshold, score


def iqr_detector(values: np.ndarray, k: float = IQR_K) -> tuple[np.ndarray, np.ndarray]:
    """Tukey fences per feature; score = largest distance beyond a fence in IQR units.

    Features with IQR = 0 (zero-inflated) use ``1.349 * robust sigma`` as their IQR so that
    every non-zero value is not automatically outside the fences.
    """
    q1, q3 = np.percentile(values, [25, 75], axis=0)
    iqr = q3 - q1
    _, sigma = robust_scale(values)
    iqr = np.where(iqr > 0, iqr, sigma * 1.349)
    lo, hi = q1 - k * iqr, q3 + k * iqr
    excess = np.maximum(np.maximum(lo - values, values - hi), 0.0) / iqr
    score = excess.max(axis=1)
    return score > 0, score


def _sample_idx(n: int, size: int, random_state: int) -> np.ndarray:
    if n <= size:
        return np.arange(n)
    return np.sort(np.random.default_rng(random_state).choice(n, size, replace=False))


def _top_share(score: np.ndarray, contamination: float) -> np.ndarray:
    threshold = np.quantile(score, 1.0 - contamination)
    return score > threshold


def iforest_detector(X: np.ndarray, contamination: float = 0.01, sample_size: int = 20_000,
                     n_estimators: int = IFOREST_TREES, random_state: int = 0
                     ) -> tuple[np.ndarray, np.ndarray]:
    """IsolationForest fitted on a sample; score = ``-score_samples`` (higher = more anomalous)."""
    idx = _sample_idx(len(X), sample_size, random_state)
    model = IsolationForest(n_estimators=n_estimators, random_state=random_state)
    model.fit(X[idx])
    score = np.concatenate([-model.score_samples(X[i:i + BATCH_SIZE])
                            for i in range(0, len(X), BATCH_SIZE)])
    return _top_share(score, contamination), score


def lof_detector(X: np.ndarray, contamination: float = 0.01, sample_size: int = 20_000,
                 n_neighbors: int = LOF_NEIGHBORS, random_state: int = 0
                 ) -> tuple[np.ndarray, np.ndarray]:
    """LOF (novelty mode) fitted on a sample, everyone scored in batches; score = LOF value.

    Rows that are themselves in the fit sample are scored as new points as well, which is
    consistent for all rows (a point's distance to itself is 0, which slightly lowers its LOF).
    """
    idx = _sample_idx(len(X), sample_size, random_state)
    n_neighbors = max(1, min(n_neighbors, len(idx) - 1))
    model = LocalOutlierFactor(n_neighbors=n_neighbors, novelty=True, algorithm="brute")
    model.fit(X[idx])
    score = np.concatenate([-model.score_samples(X[i:i + BATCH_SIZE])
                            for i in range(0, len(X), BATCH_SIZE)])
    return _top_share(score, contamination), score


def _reasons(z: np.ndarray, cols: list[str], rows: np.ndarray, methods: list[np.ndarray],
             names: list[str]) -> list[str | None]:
    """Human readable reason for each row index in ``rows`` (others get ``None``)."""
    out: list[str | None] = [None] * len(z)
    absz = np.abs(z)
    for i in rows:
        order = np.argsort(-absz[i], kind="stable")[:REASON_TOP_N]
        parts = [f"{cols[j]} very {'high' if z[i, j] > 0 else 'low'} (z={z[i, j]:.1f})"
                 for j in order if absz[i, j] >= REASON_MIN_Z]
        if not parts:
            flagged = [n for n, m in zip(names, methods, strict=True) if m[i]]
            parts = ["unusual combination of features (" + ", ".join(flagged) + ")"]
        out[i] = "; ".join(parts)
    return out


def detect_outliers(
    df: pd.DataFrame,
    feature_cols: list[str] | None = None,
    min_votes: int = 2,
    contamination: float = 0.01,
    sample_size: int = 20_000,
    lof_sample_size: int = LOF_SAMPLE_SIZE,
    z_threshold: float = Z_THRESHOLD,
    iqr_k: float = IQR_K,
    n_neighbors: int = LOF_NEIGHBORS,
    key_col: str = "customer_key",
    random_state: int = 0,
) -> pd.DataFrame:
    """Run the four detectors and the vote on ``df[feature_cols]``.

    Args:
        df: one row per customer with ``key_col`` and the feature columns (NULLs allowed).
        feature_cols: numeric features (default: ``features.DEFAULT_FEATURE_COLS`` present).
        min_votes: number of detectors (of 4) that must flag a row for ``is_outlier``.
        contamination: share flagged by each of IsolationForest and LOF.
        sample_size: rows used to fit IsolationForest.
        lof_sample_size: rows used to fit LOF (every row is then scored against them; a
            smaller reference set is faster and less prone to masking by outlier groups).
        z_threshold / iqr_k: univariate extremeness thresholds.
        n_neighbors: LOF neighbourhood size.
        key_col: customer identifier column, copied to the output.
        random_state: seed for sampling and IsolationForest.

    Returns:
        DataFrame with columns :data:`OUTPUT_COLS` in input row order; ``outlier_reasons`` is
        filled for ``is_outlier`` rows only (``None`` elsewhere).
    """
    if not 0 < contamination < 0.5:
        raise ValueError("contamination must be in (0, 0.5)")
    # no is-missing indicators: IsolationForest isolates the small "NULL" groups in a few
    # splits and would flag missingness instead of unusual behaviour
    X, info = prepare_matrix(df, feature_cols, missing_indicators=False,
                             random_state=random_state)
    values = info.transform_raw(df)          # log1p + imputed, unscaled: univariate scale
    z = robust_z_matrix(values)
    z_score = np.abs(z).max(axis=1)
    z_flag = z_score > z_threshold
    iqr_flag, iqr_score = iqr_detector(values, iqr_k)
    if_flag, if_score = iforest_detector(X, contamination, sample_size,
                                         random_state=random_state)
    lof_flag, lof_score = lof_detector(X, contamination, lof_sample_size, n_neighbors,
                                       random_state)
    methods = [z_flag, iqr_flag, if_flag, lof_flag]
    votes = np.sum(methods, axis=0)
    is_out = votes >= min_votes
    reasons = _reasons(z, info.feature_cols, np.flatnonzero(is_out), methods,
                       ["robust z", "IQR", "isolation forest", "LOF"])
    return pd.DataFrame({
        "customer_key": df[key_col].to_numpy() if key_col in df else np.arange(len(df)),
        "zscore_flag": z_flag, "zscore_score": z_score,
        "iqr_flag": iqr_flag, "iqr_score": iqr_score,
        "iforest_flag": if_flag, "iforest_score": if_score,
        "lof_flag": lof_flag, "lof_score": lof_score,
        "outlier_votes": votes.astype(np.int64), "is_outlier": is_out,
        "outlier_reasons": pd.Series(reasons, dtype="object"),
    })
