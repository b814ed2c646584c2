"""segkit.imputation: kNN age imputation and its holdout comparison with the medians."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from segkit.imputation import (
    exact_age,
    fit_knn,
    group_median_predict,
    holdout_mae,
    knn_impute,
)


def _customers(n: int = 1500, signal: bool = True, seed: int = 3) -> pd.DataFrame:
    """Synthetic customers; with signal, age follows behaviour (older = more orders, less
    mobile), else age is independent of every feature."""
    rng = np.random.default_rng(seed)
    frequency = rng.poisson(3, n)
    mobile = rng.random(n)
    age = 25 + 4.0 * frequency - 15 * mobile + rng.normal(0, 2, n) if signal else \
        rng.uniform(18, 80, n)
    return pd.DataFrame({
        "customer_key": [f"c{i:05d}" for i in range(n)],
        "frequency": frequency,
        "mobile_share": mobile,
        "recency_days": rng.integers(0, 400, n),
        "country_iso2": rng.choice(["DE", "US", "FR"], n),
        "gender": rng.choice(["female", "male", None], n),
        "age_years": age,
    })


def test_knn_fills_only_the_gaps_and_keeps_observed_ages():
    df = _customers()
    hidden = df.index % 5 == 0
    df.loc[hidden, "age_years"] = np.nan
    out = knn_impute(df.sample(frac=1, random_state=1), n_neighbors=10)
    assert list(out["customer_key"]) == sorted(df["customer_key"])  # key order, any input order
    merged = out.merge(df, on="customer_key", suffixes=("", "_in"))
    assert merged["is_imputed_age_years"].tolist() == merged["age_years_in"].isna().tolist()
    observed = merged[~merged["is_imputed_age_years"]]
    assert (observed["age_years"] == observed["age_years_in"]).all()
    assert merged["age_years"].notna().all()


def test_knn_is_deterministic():
    df = _customers()
    df.loc[df.index % 4 == 0, "age_years"] = np.nan
    a = knn_impute(df, n_neighbors=15, sample_size=500, random_state=0)
    b = knn_impute(df.iloc[::-1], n_neighbors=15, sample_size=500, random_state=0)
    pd.testing.assert_frame_equal(a, b)


def test_knn_beats_the_medians_when_age_follows_behaviour():
    scores = holdout_mae(_customers(signal=True), n_neighbors=15)
    assert scores["n_holdout"] > 200
    assert scores["mae_knn"] < 0.5 * scores["mae_group_median"], scores
    assert scores["mae_knn"] < 0.5 * scores["mae_global_median"], scores


def test_knn_has_nothing_to_find_when_age_is_independent():
    """Honest baseline: without signal kNN is no better than a median (within noise)."""
    scores = holdout_mae(_customers(signal=False), n_neighbors=50)
    assert scores["mae_knn"] > 0.9 * scores["mae_global_median"], scores


def test_group_median_falls_back_like_the_sql_rule():
    train = pd.DataFrame({
        "country_iso2": ["DE", "DE", "DE", "US", "US"],
        "gender": ["female", "female", "male", "male", "male"],
        "age_years": [30.0, 40.0, 60.0, 20.0, 22.0],
    })
    test = pd.DataFrame({"country_iso2": ["DE", "DE", "US", "FR"],
                         "gender": ["female", None, "female", "male"]})
    pred = group_median_predict(train, test)
    # DE x female; DE (no DE x NULL group); US (no US x female); nobody from FR: everyone
    assert pred.tolist() == [35.0, 40.0, 21.0, 30.0]


def test_sample_size_bounds_the_neighbour_index():
    df = _customers(n=3000)
    imputer = fit_knn(df, n_neighbors=5, sample_size=700, random_state=1)
    assert imputer.model.n_samples_fit_ == 700


def test_categoricals_count_in_the_distance():
    """Two customers identical in behaviour: the neighbour from the same country wins."""
    df = pd.DataFrame({
        "customer_key": ["a", "b", "c"],
        "frequency": [1, 1, 1],
        "country_iso2": ["DE", "US", "DE"],
        "age_years": [30.0, 70.0, np.nan],
    })
    out = knn_impute(df, numeric_cols=["frequency"], categorical_cols=["country_iso2"],
                     n_neighbors=1)
    assert out.loc[out["customer_key"] == "c", "age_years"].item() == 30.0


def test_errors_name_the_problem():
    df = _customers(n=50)
    with pytest.raises(KeyError, match="no_such_feature"):
        fit_knn(df, numeric_cols=["no_such_feature"])
    with pytest.raises(ValueError, match="no row has a known age_years"):
        fit_knn(df.assign(age_years=np.nan))
    with pytest.raises(ValueError, match="n_neighbors"):
        fit_knn(df, n_neighbors=0)
    # nothing to learn from: the gaps stay NULL and nothing is flagged as imputed
    out = knn_impute(df.assign(age_years=np.nan))
    assert out["age_years"].isna().all() and not out["is_imputed_age_years"].any()


def test_exact_age_matches_the_sql_definition():
    birth = pd.Series(["2000-01-01", None, "2030-01-01"])
    as_of = pd.Series(["2024-01-01"] * 3)
    age = exact_age(birth, as_of)
    assert age[0] == pytest.approx(8766 / 365.25)
    assert pd.isna(age[1]) and pd.isna(age[2])


@pytest.mark.dbt
def test_demo_build_measures_knn_beside_the_medians(demo_build):
    """The kNN model covers every customer and its error against truth is in quality_metrics,
    measured on the same customers as the medians (numbers in DECISIONLOG.md)."""
    (customers, knn_rows, gaps) = demo_build.query(
        "select (select count(*) from marts.dim_customers), count(*), "
        "count(*) filter (where is_imputed_age_years) "
        "from intermediate.int_customers__imputed_knn")[0]
    assert knn_rows == customers and gaps > 0
    metrics = dict(demo_build.query(
        "select metric, value from marts.quality_metrics where metric_group = 'imputation'"))
    assert set(metrics) >= {"age_mae_knn", "age_mae_grouped_median", "age_mae_global_median"}
    assert all(0 < v < 40 for v in metrics.values()), metrics
    (in_use,) = demo_build.query(
        "select detail from marts.quality_metrics where metric = 'age_mae_grouped_median'")[0]
    assert in_use.endswith("(in use)")  # the default var imputation__age_method: median
