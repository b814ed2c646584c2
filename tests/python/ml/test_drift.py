"""PSI between runs (segkit/ml/drift.py)."""

import numpy as np
import pandas as pd

from segkit.ml.drift import (
    MISSING_BIN,
    distributions,
    drift_table,
    feature_distribution,
    feature_psi,
    psi,
    quantile_edges,
    status,
)


def test_psi_zero_for_same_and_known_value():
    assert psi([0.5, 0.5], [0.5, 0.5]) == 0.0
    # (0.7-0.5) ln(0.7/0.5) + (0.3-0.5) ln(0.3/0.5)
    assert abs(psi([0.5, 0.5], [0.7, 0.3]) - (0.2 * np.log(1.4) - 0.2 * np.log(0.6))) < 1e-12


def test_ties_merge_bins_and_nulls_get_their_own():
    v = np.array([0, 0, 0, 0, 0, 0, 1, 1, np.nan, np.nan], dtype=float)
    assert list(quantile_edges(v, 10)) == [0.0, 1.0]
    d = feature_distribution("f", v, 10)
    assert set(d["bin_index"]) == {0, 1, 2, MISSING_BIN}
    assert abs(d["share"].sum() - 1.0) < 1e-12
    assert d.loc[d["bin_index"] == MISSING_BIN, "row_count"].item() == 2


def test_feature_psi_small_for_same_distribution_large_for_shift():
    rng = np.random.default_rng(0)
    ref = feature_distribution("f", rng.normal(0, 1, 5000), 10)
    same = feature_psi(ref, rng.normal(0, 1, 5000))
    moved = feature_psi(ref, rng.normal(1, 1, 5000))
    assert same < 0.02
    assert moved > 0.25


def test_drift_table_first_run_then_comparison():
    rng = np.random.default_rng(0)
    f1 = pd.DataFrame({"customer_key": range(1000), "a": rng.normal(0, 1, 1000),
                       "b": rng.exponential(1, 1000)})
    seg1 = {"rfm": pd.Series(["x"] * 500 + ["y"] * 500)}
    d1 = distributions(f1, seg1, 10).assign(as_of_date=pd.Timestamp("2024-06-01"))
    first = drift_table(d1, f1, "2024-06-01")
    assert set(first["status"]) == {"no_previous_run"}
    assert first["psi"].isna().all()
    f2 = f1.assign(a=f1["a"] + 2.0)                 # a bad load shifts a
    seg2 = {"rfm": pd.Series(["x"] * 900 + ["y"] * 100)}
    d2 = distributions(f2, seg2, 10).assign(as_of_date=pd.Timestamp("2024-06-02"))
    out = drift_table(pd.concat([d1, d2]), f2, "2024-06-02").set_index("name")
    assert out.loc["a", "status"] == "shift"
    assert out.loc["b", "status"] == "stable"
    assert out.loc["rfm", "status"] == "shift"
    assert str(out.loc["a", "previous_as_of_date"]) == "2024-06-01"


def test_status_thresholds():
    assert status(None, 0.1, 0.25) == "no_previous_run"
    assert status(0.05, 0.1, 0.25) == "stable"
    assert status(0.1, 0.1, 0.25) == "moderate"
    assert status(0.3, 0.1, 0.25) == "shift"
