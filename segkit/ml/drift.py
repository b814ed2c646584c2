"""Population stability index (PSI) between two runs, for features and segment shares.

Each run persists its distributions (``distributions``): per numeric feature the
equal-frequency bins of that run (inner edges = quantiles; ties merge bins, so a 0/1 feature
has two bins) with the share of customers in each, NULLs in their own bin ``-1``; per
segment family the share of each segment. The next run measures drift against them:

- feature: this run's values are counted in the *previous* run's bins (the standard PSI with
  the previous run as the expected distribution);
- segment family: the two runs' stored shares, matched by segment name.

``PSI = sum((actual - expected) * ln(actual / expected))`` with shares floored at ``EPSILON``
so an empty bin does not give infinity. Rule of thumb (vars): < 0.1 stable, 0.1-0.25
moderate, >= 0.25 shift.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

EPSILON = 1e-4
MISSING_BIN = -1
DIST_COLUMNS = ["distribution_kind", "name", "bin_index", "bin_label", "lower_edge",
                "upper_edge", "row_count", "share"]
DRIFT_COLUMNS = ["distribution_kind", "name", "psi", "status", "bin_count", "detail"]
EXCLUDED = {"customer_key", "as_of_date"}


def numeric_columns(df: pd.DataFrame) -> list[str]:
    """Numeric and boolean columns of ``df`` except keys and dates, in frame order."""
    out = []
    for c in df.columns:
        if c in EXCLUDED:
            continue
        s = df[c]
        if pd.api.types.is_bool_dtype(s) or (pd.api.types.is_numeric_dtype(s)
                                             and not pd.api.types.is_datetime64_any_dtype(s)):
            out.append(c)
    return out


def _as_float(values) -> np.ndarray:
    s = pd.Series(values)
    if pd.api.types.is_bool_dtype(s) or s.dtype == object:
        s = s.astype("float64") if not s.dtype == object else pd.to_numeric(s, errors="coerce")
    return pd.to_numeric(s, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)


def quantile_edges(values: np.ndarray, n_bins: int) -> np.ndarray:
    """Unique inner bin edges at the 1/n .. (n-1)/n quantiles of the non-NULL values."""
    v = values[~np.isnan(values)]
    if len(v) == 0 or n_bins < 2:
        return np.empty(0)
    q = np.quantile(v, np.arange(1, n_bins) / n_bins, method="lower")
    return np.unique(np.round(q, 9))


def bin_index(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Bin per value: i such that edges[i-1] < v <= edges[i] (0 below the first edge, last
    bin above the last); NULL -> ``MISSING_BIN``."""
    idx = np.searchsorted(edges, values, side="left").astype(np.int64)
    idx[np.isnan(values)] = MISSING_BIN
    return idx


def feature_distribution(name: str, values, n_bins: int) -> pd.DataFrame:
    """The run's equal-frequency bins of one feature with counts and shares."""
    v = _as_float(values)
    edges = quantile_edges(v, n_bins)
    idx = bin_index(v, edges)
    rows = []
    lowers = np.concatenate([[-np.inf], edges])
    uppers = np.concatenate([edges, [np.inf]])
    for i in range(len(edges) + 1):
        n = int((idx == i).sum())
        rows.append(("feature", name, i, f"({lowers[i]:g}, {uppers[i]:g}]", lowers[i],
                     uppers[i], n))
    n_missing = int((idx == MISSING_BIN).sum())
    if n_missing:
        rows.append(("feature", name, MISSING_BIN, "NULL", np.nan, np.nan, n_missing))
    out = pd.DataFrame(rows, columns=DIST_COLUMNS[:-1])
    out["share"] = out["row_count"] / max(len(v), 1)
    return out


def category_distribution(kind: str, name: str, labels) -> pd.DataFrame:
    """Shares of each label (NULL as its own label), labels sorted."""
    s = pd.Series(labels, dtype="object").astype("string").fillna("NULL")
    counts = s.value_counts().sort_index()
    out = pd.DataFrame({"distribution_kind": kind, "name": name,
                        "bin_index": np.arange(len(counts), dtype=np.int64),
                        "bin_label": counts.index.astype(str), "lower_edge": np.nan,
                        "upper_edge": np.nan, "row_count": counts.to_numpy(dtype=np.int64)})
    out["share"] = out["row_count"] / max(len(s), 1)
    return out


def distributions(features: pd.DataFrame, segments: dict[str, pd.Series], n_bins: int
                  ) -> pd.DataFrame:
    """Every feature's bins and every segment family's shares of one run."""
    parts = [feature_distribution(c, features[c], n_bins) for c in numeric_columns(features)]
    parts += [category_distribution("segment_share", fam, labels)
              for fam, labels in segments.items()]
    if not parts:
        return pd.DataFrame(columns=DIST_COLUMNS)
    return pd.concat(parts, ignore_index=True)[DIST_COLUMNS]


def psi(expected: np.ndarray, actual: np.ndarray, epsilon: float = EPSILON) -> float:
    """Population stability index of two aligned share vectors."""
    e = np.clip(np.asarray(expected, dtype=float), epsilon, None)
    a = np.clip(np.asarray(actual, dtype=float), epsilon, None)
    return float(np.sum((a - e) * np.log(a / e)))


def feature_psi(reference: pd.DataFrame, values) -> float:
    """PSI of ``values`` against one feature's stored bins (``reference`` rows of
    :func:`feature_distribution`)."""
    v = _as_float(values)
    ref = reference.sort_values("bin_index")
    edges = ref.loc[ref["bin_index"] >= 0, "upper_edge"].to_numpy(dtype=float)[:-1]
    idx = bin_index(v, edges)
    actual = np.array([(idx == i).sum() for i in ref["bin_index"]], dtype=float)
    if MISSING_BIN not in set(ref["bin_index"]):
        expected = ref["share"].to_numpy(dtype=float)
        missing = float((idx == MISSING_BIN).sum())
        if missing:
            actual = np.append(actual, missing)
            expected = np.append(expected, 0.0)
    else:
        expected = ref["share"].to_numpy(dtype=float)
    return psi(expected, actual / max(len(v), 1))


def share_psi(reference: pd.DataFrame, current: pd.DataFrame) -> float:
    """PSI of two runs' category shares matched by bin_label (a missing label has share 0)."""
    ref = reference.set_index("bin_label")["share"]
    cur = current.set_index("bin_label")["share"]
    labels = sorted(set(ref.index) | set(cur.index))
    return psi(ref.reindex(labels).fillna(0.0).to_numpy(), cur.reindex(labels).fillna(0.0)
               .to_numpy())


def status(value: float | None, moderate: float, shift: float) -> str:
    """stable / moderate / shift from the thresholds; no_previous_run when value is None."""
    if value is None or np.isnan(value):
        return "no_previous_run"
    return "shift" if value >= shift else "moderate" if value >= moderate else "stable"


def drift_table(history: pd.DataFrame, features: pd.DataFrame, as_of_date,
                moderate: float = 0.1, shift: float = 0.25) -> pd.DataFrame:
    """PSI per feature and per segment family between this run and the latest earlier one.

    Args:
        history: stored distributions of all runs (``as_of_date`` + :data:`DIST_COLUMNS`),
            including this run's.
        features: this run's customer_features (values of the features to bin).
        as_of_date: this run.
    Returns:
        DataFrame[previous_as_of_date, DRIFT_COLUMNS]; without an earlier run one row per
        distribution with status ``no_previous_run`` and NULL psi.
    """
    dates = pd.to_datetime(history["as_of_date"])
    now = pd.Timestamp(as_of_date)
    current = history[dates == now]
    earlier = sorted(dates[dates < now].unique())
    previous_date = earlier[-1] if earlier else None
    reference = history[dates == previous_date] if previous_date is not None else None
    rows = []
    for (kind, name), cur in current.groupby(["distribution_kind", "name"], sort=True):
        ref = None if reference is None else reference[
            (reference["distribution_kind"] == kind) & (reference["name"] == name)]
        if ref is None or ref.empty:
            detail = "no previous run" if reference is None else "not in the previous run"
            rows.append((kind, name, np.nan, "no_previous_run", len(cur), detail))
            continue
        if kind == "feature" and name in features.columns:
            value = feature_psi(ref, features[name])
            detail = "this run counted in the previous run's bins"
        else:
            value = share_psi(ref, cur)
            detail = "shares matched by segment"
        rows.append((kind, name, round(value, 10), status(value, moderate, shift), len(ref),
                     detail))
    out = pd.DataFrame(rows, columns=DRIFT_COLUMNS)
    out.insert(0, "previous_as_of_date",
               pd.NaT if previous_date is None else pd.Timestamp(previous_date))
    out["previous_as_of_date"] = pd.to_datetime(out["previous_as_of_date"]).dt.date
    return out
