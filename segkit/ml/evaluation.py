"""Small evaluation wrappers returning plain dicts (-> rows of a ``quality_metrics`` table).

* :func:`pairwise_prf` - entity resolution style precision / recall / F1 over unordered pairs;
* :func:`precision_recall` - binary flags vs truth (e.g. outliers vs planted outliers);
* :func:`adjusted_rand` - clustering vs known groups (chance-corrected, 0 = random, 1 = equal);
* :func:`to_quality_rows` - dict -> DataFrame[model, metric, value].
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score


def _safe_div(a: float, b: float) -> float:
    return float(a) / float(b) if b else float("nan")


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p == p and r == r and (p + r) > 0 else float("nan")


def _pairs(pairs: Iterable[tuple[Hashable, Hashable]]) -> set[frozenset]:
    """Normalise pairs to unordered sets, ignoring self-pairs."""
    return {frozenset(p) for p in pairs if len(frozenset(p)) == 2}


def pairwise_prf(pred_pairs: Iterable[tuple[Hashable, Hashable]],
                 true_pairs: Iterable[tuple[Hashable, Hashable]]) -> dict[str, float]:
    """Precision / recall / F1 of predicted vs true pairs (order within a pair ignored).

    Returns dict(precision, recall, f1, tp, fp, fn); precision is NaN without predictions,
    recall NaN without true pairs.
    """
    pred, true = _pairs(pred_pairs), _pairs(true_pairs)
    tp = len(pred & true)
    p, r = _safe_div(tp, len(pred)), _safe_div(tp, len(true))
    return {"precision": p, "recall": r, "f1": _f1(p, r), "tp": float(tp),
            "fp": float(len(pred - true)), "fn": float(len(true - pred))}


def _bool(v: Iterable[bool]) -> np.ndarray:
    """Boolean array from a list / array / Series (NULL -> False)."""
    s = v if isinstance(v, pd.Series) else pd.Series(v if hasattr(v, "__len__") else list(v))
    return s.astype("boolean").fillna(False).to_numpy(dtype=bool)


def precision_recall(flags: Iterable[bool], truth: Iterable[bool]) -> dict[str, float]:
    """Confusion counts and precision / recall / F1 of boolean ``flags`` against ``truth``
    (NULL counts as False)."""
    f, t = _bool(flags), _bool(truth)
    if f.shape != t.shape:
        raise ValueError(f"flags and truth differ in length: {f.shape} vs {t.shape}")
    tp = int(np.sum(f & t))
    fp, fn = int(np.sum(f & ~t)), int(np.sum(~f & t))
    p, r = _safe_div(tp, tp + fp), _safe_div(tp, tp + fn)
    return {"precision": p, "recall": r, "f1": _f1(p, r), "tp": float(tp), "fp": float(fp),
            "fn": float(fn), "tn": float(np.sum(~f & ~t)), "n_flagged": float(f.sum()),
            "n_true": float(t.sum())}


def adjusted_rand(labels: Iterable[Hashable], truth: Iterable[Hashable]) -> dict[str, float]:
    """Adjusted Rand index plus the number of groups on each side."""
    a, b = pd.Series(list(labels)), pd.Series(list(truth))
    if len(a) != len(b):
        raise ValueError(f"labels and truth differ in length: {len(a)} vs {len(b)}")
    return {"adjusted_rand": float(adjusted_rand_score(b.astype(str), a.astype(str))),
            "n": float(len(a)), "n_clusters_pred": float(a.nunique()),
            "n_clusters_true": float(b.nunique())}


def to_quality_rows(model: str, metrics: dict[str, float]) -> pd.DataFrame:
    """``{'precision': .9, ...}`` -> DataFrame[model, metric, value] (value as float)."""
    return pd.DataFrame({"model": model, "metric": list(metrics),
                         "value": [float(v) for v in metrics.values()]},
                        columns=["model", "metric", "value"])
