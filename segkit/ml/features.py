"""Feature matrix preparation shared by the outlier, clustering and naming models.

Pipeline (all statistics are learned from the input frame, deterministic, no I/O):

1. numeric conversion (pandas nullable / object columns -> float64, NULL -> NaN);
2. ``log1p`` of heavy-tailed non-negative columns (auto-detected unless ``log_cols`` is given);
3. median imputation of NaN (median of the transformed column) plus optional 0/1
   ``<col>__missing`` indicator columns for features with at least ``MIN_MISSING_SHARE`` NULLs;
4. scaling: ``robust`` (median / IQR with MAD -> std -> 1 fallbacks), ``standard`` or ``none``;
5. optional clipping and optional PCA (full SVD, sign-fixed -> deterministic).

The fitted :class:`MatrixInfo` can transform new frames the same way (``info.transform(df)``).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

DEFAULT_FEATURE_COLS: list[str] = [
    "recency_days", "frequency", "monetary_amount", "avg_order_value_amount", "tenure_days",
    "category_count", "refund_share", "orders_30d", "orders_90d", "sessions_30d",
    "sessions_90d", "product_views_30d", "add_to_carts_30d", "cart_abandonment_rate",
    "email_opens_90d", "email_clicks_90d", "active_days_90d", "days_since_last_activity",
    "mobile_share", "events_per_active_day", "max_orders_per_day", "age_years",
]
SKEW_THRESHOLD = 1.0          # auto log1p when sample skewness exceeds this ...
SKEW_SAMPLE_SIZE = 200_000    # ... measured on a seeded sample of at most this many rows
MIN_MISSING_SHARE = 0.01      # add an is-missing indicator when >= 1 % of a feature is NULL
MAD_TO_SIGMA = 1.4826
IQR_TO_SIGMA = 1.349
SCALERS = ("robust", "standard", "none")


def to_float_matrix(df: pd.DataFrame, cols: list[str]) -> np.ndarray:
    """Return ``df[cols]`` as a float64 array (NULL / pd.NA / non-numeric -> NaN)."""
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise KeyError(f"feature columns not in frame: {missing}")
    out = np.empty((len(df), len(cols)), dtype=np.float64)
    for j, c in enumerate(cols):
        s = pd.to_numeric(df[c], errors="coerce")
        out[:, j] = s.to_numpy(dtype=np.float64, na_value=np.nan)
    out[~np.isfinite(out)] = np.nan
    return out


def robust_scale(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Column-wise (center, sigma) with median/MAD, falling back to IQR, std, then 1.

    The fallback matters for zero-inflated features (MAD = 0): the std is used so a
    handful of non-zero values does not get an infinite robust z-score.
    """
    center = np.nanmedian(values, axis=0)
    mad = np.nanmedian(np.abs(values - center), axis=0) * MAD_TO_SIGMA
    q1, q3 = np.nanpercentile(values, [25, 75], axis=0)
    iqr = (q3 - q1) / IQR_TO_SIGMA
    std = np.nanstd(values, axis=0)
    sigma = np.where(mad > 0, mad, np.where(iqr > 0, iqr, np.where(std > 0, std, 1.0)))
    return np.nan_to_num(center), np.nan_to_num(sigma, nan=1.0)


def detect_log_cols(values: np.ndarray, cols: list[str], random_state: int = 0) -> list[str]:
    """Columns that are non-negative and right-skewed (skewness > ``SKEW_THRESHOLD``)."""
    if len(values) > SKEW_SAMPLE_SIZE:
        rng = np.random.default_rng(random_state)
        values = values[rng.choice(len(values), SKEW_SAMPLE_SIZE, replace=False)]
    chosen = []
    for j, c in enumerate(cols):
        v = values[:, j]
        v = v[~np.isnan(v)]
        if len(v) < 3 or v.min() < 0 or v.std() == 0:
            continue
        skew = float(np.mean(((v - v.mean()) / v.std()) ** 3))
        if skew > SKEW_THRESHOLD:
            chosen.append(c)
    return chosen


@dataclass
class MatrixInfo:
    """Everything needed to reproduce the transformation on another frame."""

    feature_cols: list[str]
    log_cols: list[str]
    impute_values: np.ndarray          # per feature, on the log-transformed scale
    indicator_cols: list[str]          # features that received an is-missing indicator
    center: np.ndarray                 # per output column (features + indicators)
    scale: np.ndarray
    scaler: str
    clip: float | None = None
    pca_components: np.ndarray | None = None   # (n_components, n_columns)
    pca_mean: np.ndarray | None = None
    explained_variance_ratio: np.ndarray | None = None
    columns: list[str] = field(default_factory=list)  # names of the output columns

    def transform_raw(self, df: pd.DataFrame) -> np.ndarray:
        """Log + impute only (unscaled): the scale used for univariate outlier z-scores."""
        raw = to_float_matrix(df, self.feature_cols)
        return _log_impute(raw, self.feature_cols, self.log_cols, self.impute_values)[0]

    def transform(self, df: pd.DataFrame) -> np.ndarray:
        """Apply the fitted transformation to ``df``; returns the model matrix."""
        raw = to_float_matrix(df, self.feature_cols)
        return self._finish(raw)

    def _finish(self, raw: np.ndarray) -> np.ndarray:
        vals, miss = _log_impute(raw, self.feature_cols, self.log_cols, self.impute_values)
        idx = [self.feature_cols.index(c) for c in self.indicator_cols]
        X = np.hstack([vals, miss[:, idx].astype(np.float64)]) if idx else vals
        X = (X - self.center) / self.scale
        if self.clip is not None:
            np.clip(X, -self.clip, self.clip, out=X)
        if self.pca_components is not None:
            X = (X - self.pca_mean) @ self.pca_components.T
        return X


def _log_impute(raw: np.ndarray, cols: list[str], log_cols: list[str],
                impute_values: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    vals = raw.copy()
    for c in log_cols:
        j = cols.index(c)
        vals[:, j] = np.log1p(np.clip(vals[:, j], 0, None))
    miss = np.isnan(vals)
    if impute_values is not None:
        vals = np.where(miss, impute_values, vals)
    return vals, miss


def prepare_matrix(
    df: pd.DataFrame,
    feature_cols: list[str] | None = None,
    log_cols: list[str] | None = None,
    scaler: str = "robust",
    missing_indicators: bool = True,
    clip: float | None = None,
    pca_components: int | float | None = None,
    random_state: int = 0,
) -> tuple[np.ndarray, MatrixInfo]:
    """Build the numeric model matrix from ``df[feature_cols]``.

    Args:
        df: one row per customer.
        feature_cols: numeric columns to use (default :data:`DEFAULT_FEATURE_COLS`
            restricted to the columns present in ``df``).
        log_cols: columns to ``log1p``; ``None`` = auto-detect (non-negative, skew > 1);
            ``[]`` disables the log transform.
        scaler: ``'robust'`` (median/IQR-type), ``'standard'`` (mean/std) or ``'none'``.
        missing_indicators: add ``<col>__missing`` 0/1 columns (scaled like the others would
            distort them, so they are kept 0/1) for features with >= 1 % NULLs.
        clip: clip scaled values to ``[-clip, clip]`` (``None`` = no clipping).
        pca_components: optional PCA output dimension (int) or variance share (float < 1).
        random_state: seed for the skewness sample.

    Returns:
        ``(X, info)`` with ``X`` float64 of shape (n_rows, n_columns) and the fitted info.
    """
    if scaler not in SCALERS:
        raise ValueError(f"scaler must be one of {SCALERS}, got {scaler!r}")
    if feature_cols is None:
        feature_cols = [c for c in DEFAULT_FEATURE_COLS if c in df.columns]
    feature_cols = list(feature_cols)
    if not feature_cols:
        raise ValueError("no feature columns given")
    if len(df) == 0:
        raise ValueError("empty input frame")
    raw = to_float_matrix(df, feature_cols)
    if log_cols is None:
        log_cols = detect_log_cols(raw, feature_cols, random_state)
    log_cols = [c for c in feature_cols if c in set(log_cols)]
    vals, miss = _log_impute(raw, feature_cols, log_cols, None)
    with warnings.catch_warnings():                     # all-NULL column: "All-NaN slice"
        warnings.simplefilter("ignore", RuntimeWarning)
        impute = np.nanmedian(vals, axis=0)
    impute = np.nan_to_num(impute)                       # all-NULL column -> 0
    vals = np.where(miss, impute, vals)
    share = miss.mean(axis=0)
    ind_cols = [c for c, s in zip(feature_cols, share, strict=True)
                if missing_indicators and s >= MIN_MISSING_SHARE and s < 1.0]
    n_ind = len(ind_cols)
    if scaler == "robust":
        center, scale = robust_scale(vals)
    elif scaler == "standard":
        center, scale = vals.mean(axis=0), vals.std(axis=0)
        scale = np.where(scale > 0, scale, 1.0)
    else:
        center, scale = np.zeros(len(feature_cols)), np.ones(len(feature_cols))
    info = MatrixInfo(
        feature_cols=feature_cols, log_cols=log_cols, impute_values=impute,
        indicator_cols=ind_cols, center=np.concatenate([center, np.zeros(n_ind)]),
        scale=np.concatenate([scale, np.ones(n_ind)]), scaler=scaler, clip=clip,
        columns=feature_cols + [f"{c}__missing" for c in ind_cols],
    )
    X = info._finish(raw)
    if pca_components is not None:
        X = _fit_pca(X, info, pca_components, random_state)
    return X, info


def _fit_pca(X: np.ndarray, info: MatrixInfo, n: int | float, random_state: int) -> np.ndarray:
    """Full-SVD PCA on (a sample of) X with deterministic signs; updates ``info`` in place."""
    rng = np.random.default_rng(random_state)
    fit = X if len(X) <= SKEW_SAMPLE_SIZE else X[rng.choice(len(X), SKEW_SAMPLE_SIZE, False)]
    mean = fit.mean(axis=0)
    _, s, vt = np.linalg.svd(fit - mean, full_matrices=False)
    ratio = s**2 / max(float(np.sum(s**2)), 1e-300)
    k = int(np.searchsorted(np.cumsum(ratio), n) + 1) if isinstance(n, float) and n < 1 else int(n)
    k = max(1, min(k, vt.shape[0]))
    comps = vt[:k]
    signs = np.sign(comps[np.arange(k), np.argmax(np.abs(comps), axis=1)])
    comps = comps * signs[:, None]
    info.pca_components, info.pca_mean = comps, mean
    info.explained_variance_ratio = ratio[:k]
    info.columns = [f"pc{i + 1}" for i in range(k)]
    return (X - mean) @ comps.T
