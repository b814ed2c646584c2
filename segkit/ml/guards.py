"""Checks that decide whether a model can be fitted at all, so tiny inputs degrade to NULLs
with a reason instead of failing the build."""

from __future__ import annotations

import numpy as np
import pandas as pd

MIN_PER_CLASS = 10


def binary_label_problem(labels: pd.Series, min_per_class: int = MIN_PER_CLASS) -> str | None:
    """None when a binary classifier can be fitted and evaluated, else the reason it cannot."""
    y = pd.to_numeric(labels, errors="coerce").dropna().astype(int)
    counts = y.value_counts()
    n_pos, n_neg = int(counts.get(1, 0)), int(counts.get(0, 0))
    if min(n_pos, n_neg) < min_per_class:
        return (f"needs at least {min_per_class} examples of each class; "
                f"got {n_pos} positive and {n_neg} negative")
    return None


def skipped_rows(target: str, reason: str, columns: list[str]) -> pd.DataFrame:
    """One model_metrics-shaped row saying why a model was not fitted."""
    row = {c: None for c in columns}
    row.update(target=target, model="none", metric="skipped", split="train", value=np.nan,
               detail=reason)
    return pd.DataFrame([row], columns=columns)


def null_output(keys: pd.Series, columns: list[str], key_col: str = "customer_key"
                ) -> pd.DataFrame:
    """A model output with every value NULL: one row per key."""
    out = pd.DataFrame({c: np.full(len(keys), np.nan) for c in columns if c != key_col})
    out.insert(0, key_col, keys.to_numpy())
    return out


def usable_k_range(n_rows: int, k_min: int, k_max: int, rows_per_cluster: int = 5
                   ) -> range:
    """The candidate k values that leave about rows_per_cluster rows per cluster."""
    return range(k_min, max(k_min, min(k_max, n_rows // rows_per_cluster)) + 1)
