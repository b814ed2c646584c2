"""Metric wrappers."""

import math

import pandas as pd

from segkit.ml.evaluation import adjusted_rand, pairwise_prf, precision_recall, to_quality_rows


def test_pairwise_prf_ignores_order_and_self_pairs():
    m = pairwise_prf([("a", "b"), ("c", "d"), ("e", "e")], [("b", "a"), ("x", "y")])
    assert m["tp"] == 1 and m["fp"] == 1 and m["fn"] == 1
    assert m["precision"] == 0.5 and m["recall"] == 0.5 and m["f1"] == 0.5
    assert math.isnan(pairwise_prf([], [("a", "b")])["precision"])


def test_precision_recall_and_nulls():
    m = precision_recall(pd.Series([True, True, False, None]), [True, False, True, False])
    assert (m["tp"], m["fp"], m["fn"], m["tn"]) == (1, 1, 1, 1)
    assert m["precision"] == 0.5 and m["recall"] == 0.5


def test_adjusted_rand_and_rows():
    m = adjusted_rand([0, 0, 1, 1], ["x", "x", "y", "y"])
    assert m["adjusted_rand"] == 1.0 and m["n_clusters_true"] == 2
    rows = to_quality_rows("outliers", {"precision": 0.9, "recall": 1})
    assert list(rows.columns) == ["model", "metric", "value"] and len(rows) == 2
    assert rows["value"].dtype == float
