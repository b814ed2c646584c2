"""BG/NBD and Gamma-Gamma against the published CDNOW results.

Data: ``lifetimes==0.11.3`` ships the CDNOW summaries inside its wheel; the wheel is
downloaded once with pip into ``~/.cache/segkit-testdata`` and read with ``zipfile``
(lifetimes itself is never imported or installed; the data is not committed).
"""

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from ml_synth import make_customers, single_thread  # noqa: F401 (autouse fixture)

from segkit.ml.clv import (
    OUTPUT_COLS,
    customer_clv,
    expected_avg_value,
    expected_purchases,
    fit_bgnbd,
    fit_gamma_gamma,
    prob_alive,
)

CACHE = Path.home() / ".cache" / "segkit-testdata"
WHEEL_GLOB = "[Ll]ifetimes-0.11.3-*.whl"
MEMBER = "lifetimes/datasets/cdnow_customers_summary_with_transactions.csv"
SUMMARY = "lifetimes/datasets/cdnow_customers_summary.csv"     # same customers, no zbar


@pytest.fixture(scope="module")
def cdnow() -> pd.DataFrame:
    wheels = sorted(CACHE.glob(WHEEL_GLOB))
    if not wheels:
        CACHE.mkdir(parents=True, exist_ok=True)
        cmd = [sys.executable, "-m", "pip", "download", "lifetimes==0.11.3", "--no-deps",
               "--only-binary=:all:", "--retries", "1", "--timeout", "20", "-d", str(CACHE),
               "-q"]
        try:
            subprocess.run(cmd, check=True, capture_output=True, timeout=120)
        except (subprocess.SubprocessError, OSError) as exc:
            pytest.skip(f"CDNOW data unavailable: could not download lifetimes==0.11.3 "
                        f"wheel with pip (no network?): {exc}")
        wheels = sorted(CACHE.glob(WHEEL_GLOB))
        if not wheels:
            pytest.skip("CDNOW data unavailable: pip download produced no lifetimes wheel")
    with zipfile.ZipFile(wheels[0]) as zf:
        df = pd.read_csv(io.BytesIO(zf.read(MEMBER)))
        summary = pd.read_csv(io.BytesIO(zf.read(SUMMARY)))
    assert list(summary.columns) == ["ID", "frequency", "recency", "T"]
    np.testing.assert_allclose(summary[["frequency", "recency", "T"]], df[["x", "t_x", "T"]])
    # columns: ID, x (repeat purchases), t_x (weeks first->last purchase), T (weeks since
    # first purchase), zbar (mean value of the repeat purchases, USD)
    assert list(df.columns) == ["ID", "x", "t_x", "T", "zbar"]
    assert len(df) == 2357
    assert (df["t_x"] <= df["T"]).all() and (df.loc[df["x"] == 0, "t_x"] == 0).all()
    return df


def test_bgnbd_reproduces_paper(cdnow):
    p = fit_bgnbd(cdnow["x"], cdnow["t_x"], cdnow["T"])
    for k, ref in {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}.items():
        assert p[k] == pytest.approx(ref, rel=1e-2), (k, p[k])
    assert p["neg_log_likelihood"] == pytest.approx(9582.4, abs=0.5)   # paper: LL = -9582.4
    # paper, section 5: x=2, t_x=30.43, T=38.86 -> 1.226 expected purchases in 39 weeks
    assert expected_purchases(p, 39.0, 2, 30.43, 38.86) == pytest.approx(1.226, abs=2e-3)
    pa = prob_alive(p, cdnow["x"], cdnow["t_x"], cdnow["T"])
    assert ((pa > 0) & (pa <= 1)).all() and (pa[cdnow["x"] == 0] == 1).all()


def test_gamma_gamma_reproduces_paper(cdnow):
    rep = cdnow[cdnow["x"] > 0]
    assert len(rep) == 946
    p, q, v = fit_gamma_gamma(rep["x"], rep["zbar"])
    assert p == pytest.approx(6.25, rel=0.02)
    assert q == pytest.approx(3.74, rel=0.02)
    assert v == pytest.approx(15.44, rel=0.02)
    e = expected_avg_value((p, q, v), rep["x"], rep["zbar"])
    # shrinkage: each estimate lies between the customer's mean and the population mean
    pop = p * v / (q - 1)
    lo, hi = np.minimum(rep["zbar"], pop), np.maximum(rep["zbar"], pop)
    assert ((e >= lo - 1e-9) & (e <= hi + 1e-9)).all()


def test_expected_purchases_stable_for_heavy_buyers(cdnow):
    p = fit_bgnbd(cdnow["x"], cdnow["t_x"], cdnow["T"])
    x = np.array([0, 1, 50, 500, 500])
    out = expected_purchases(p, 52.0, x, np.array([0, 10, 70, 77, 5]), np.full(5, 78.0))
    assert np.isfinite(out).all() and (out >= 0).all()
    assert out[3] > out[2] > out[1] and out[4] < 1e-6      # 500 buys then silent -> dead


def test_customer_clv_on_features_frame():
    df = make_customers(3000, seed=21)
    df.loc[:9, "tenure_days"] = np.nan                  # no purchase history -> NULL outputs
    out = customer_clv(df, horizon_days=180)
    assert list(out.columns) == OUTPUT_COLS
    assert out.loc[:9, "expected_purchases"].isna().all()
    rest = out.iloc[10:]
    assert rest.notna().all().all()
    assert rest["p_alive"].between(0, 1).all() and (rest["expected_value_amount"] >= 0).all()
    # recent frequent buyers are worth more than lapsed one-off buyers
    v = rest["expected_value_amount"].groupby(df["persona"].iloc[10:]).median()
    assert v["recent_high_spenders"] > v["lapsed_bargain"]
    assert customer_clv(df, horizon_days=180).equals(out)
