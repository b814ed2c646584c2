"""Synthetic customer_features with planted structure, for the ML unit tests and benchmarks.

Personas are well separated blobs on the log scale of the usual feature columns; a small
share of rows gets planted extreme values (true outliers); a churn label depends on
recency / frequency / sessions through a logistic link.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from segkit.ml import limit_threads
from segkit.ml.features import DEFAULT_FEATURE_COLS

# persona -> (log-mean multipliers applied to base levels). Values are log1p-scale centers.
PERSONAS: dict[str, dict[str, float]] = {
    "recent_high_spenders": {"recency_days": 1.5, "frequency": 2.6, "monetary_amount": 7.5,
                             "sessions_30d": 2.5, "tenure_days": 6.5},
    "lapsed_bargain": {"recency_days": 5.6, "frequency": 0.9, "monetary_amount": 3.5,
                       "sessions_30d": 0.2, "tenure_days": 6.6},
    "window_shoppers": {"recency_days": 4.0, "frequency": 0.5, "monetary_amount": 3.0,
                        "sessions_30d": 3.6, "tenure_days": 5.5},
    "new_engaged": {"recency_days": 2.0, "frequency": 0.8, "monetary_amount": 4.5,
                    "sessions_30d": 2.8, "tenure_days": 2.8},
    "steady_mid": {"recency_days": 3.4, "frequency": 1.9, "monetary_amount": 5.6,
                   "sessions_30d": 1.4, "tenure_days": 7.2},
}
OUTLIER_FEATURES = ["events_per_active_day", "max_orders_per_day", "monetary_amount",
                    "product_views_30d", "avg_order_value_amount", "sessions_90d"]


@pytest.fixture(autouse=True, scope="module")
def single_thread():
    """One OpenMP/BLAS thread per test module: on a busy 2-core machine multi-threaded
    sklearn runs many times slower (spin-waiting) and the folder must stay < 60 s."""
    with limit_threads(1):
        yield


def make_customers(n: int = 6000, n_personas: int = 4, outlier_share: float = 0.005,
                   null_share: float = 0.05, seed: int = 0) -> pd.DataFrame:
    """customer_features-like frame plus ``persona``, ``is_planted_outlier``, ``churned``."""
    rng = np.random.default_rng(seed)
    names = list(PERSONAS)[:n_personas]
    persona = rng.integers(0, n_personas, n)
    noise = 0.25
    cols: dict[str, np.ndarray] = {}
    for key in ("recency_days", "frequency", "monetary_amount", "sessions_30d", "tenure_days"):
        center = np.array([PERSONAS[p][key] for p in names])[persona]
        cols[key] = np.expm1(np.clip(center + rng.normal(0, noise, n), 0, None))
    freq = np.maximum(1, np.round(cols["frequency"] + 1))
    cols["frequency"] = freq
    cols["avg_order_value_amount"] = cols["monetary_amount"] / freq
    cols["tenure_days"] = np.round(np.maximum(cols["tenure_days"], cols["recency_days"]))
    cols["recency_days"] = np.round(cols["recency_days"])
    cols["sessions_90d"] = np.round(cols["sessions_30d"] * 2.5 + rng.poisson(1, n))
    cols["sessions_30d"] = np.round(cols["sessions_30d"])
    cols["product_views_30d"] = np.round(cols["sessions_30d"] * rng.uniform(2, 4, n))
    cols["add_to_carts_30d"] = np.round(cols["product_views_30d"] * rng.uniform(0.05, 0.2, n))
    cols["cart_abandonment_rate"] = rng.beta(2, 3, n)
    cols["orders_90d"] = rng.poisson(np.clip(freq / (1 + cols["recency_days"] / 30), 0, 50))
    cols["orders_30d"] = rng.binomial(cols["orders_90d"].astype(int), 0.35)
    cols["category_count"] = np.minimum(freq, rng.integers(1, 6, n))
    cols["refund_share"] = np.where(rng.random(n) < 0.1, rng.uniform(0, 1, n), 0.0)
    cols["email_opens_90d"] = rng.poisson(4, n).astype(float)
    cols["email_clicks_90d"] = rng.binomial(cols["email_opens_90d"].astype(int), 0.2)
    cols["active_days_90d"] = np.minimum(90, np.round(cols["sessions_90d"] * 0.7))
    cols["days_since_last_activity"] = np.round(cols["recency_days"] * rng.uniform(0.3, 1, n))
    cols["mobile_share"] = rng.beta(3, 2, n)
    cols["events_per_active_day"] = rng.lognormal(2.0, 0.3, n)
    cols["max_orders_per_day"] = np.ones(n) + rng.binomial(1, 0.05, n)
    cols["age_years"] = np.clip(rng.normal(40, 12, n), 18, 90).round()

    planted = rng.random(n) < outlier_share
    for i in np.flatnonzero(planted):   # each outlier: 2 random features blown up 30-300x
        for c in rng.choice(OUTLIER_FEATURES, 2, replace=False):
            cols[c][i] = (cols[c][i] + 1) * rng.uniform(30, 300)

    df = pd.DataFrame({c: cols[c] for c in DEFAULT_FEATURE_COLS})
    for c in ("age_years", "email_opens_90d", "email_clicks_90d", "mobile_share"):
        df.loc[rng.random(n) < null_share, c] = np.nan
    df.insert(0, "customer_key", [f"c{i:07d}" for i in range(n)])
    df["persona"] = np.array(names)[persona]
    df["is_planted_outlier"] = planted
    logit = (-1.0 + 1.6 * (np.log1p(df["recency_days"]) - 3.3)
             - 0.8 * (np.log1p(freq) - 1.3) - 0.3 * (np.log1p(df["sessions_30d"]) - 1.8))
    df["churned"] = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    return df
