"""kNN imputation of a numeric customer attribute (age) from behaviour and demographics.

The SQL model int_customers__imputed fills gaps by group medians (age: country x gender).
This module is the alternative it can switch to (var ``imputation__age_method: knn``): the
age of a customer without a usable birth date is the mean age of the ``n_neighbors`` most
similar customers with a known age, where "similar" is the Euclidean distance on

* the behavioural features of ``customer_features`` (prepared like the ML models:
  ``log1p`` of skewed counts, median fill plus missing indicators, robust scaling,
  clipped), and
* one-hot country and gender, weighted by ``categorical_weight`` (in robust-z units).

The neighbours come from a deterministic sample of at most ``sample_size`` customers with a
known age (the index is O(sample)), so it scales to millions of customers.
:func:`holdout_mae` measures kNN against the group-median and global-median rules on customers
whose age is known but hidden, which is how the method is chosen (docs/imputation in
docs/segments.md and DECISIONLOG.md report the numbers).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.neighbors import KNeighborsRegressor

from segkit.ml.features import prepare_matrix

TARGET = "age_years"
KNN_FEATURE_COLS: list[str] = [
    "recency_days", "frequency", "monetary_amount", "avg_order_value_amount", "tenure_days",
    "category_count", "refund_share", "orders_90d", "sessions_90d", "product_views_90d",
    "add_to_carts_30d", "cart_abandonment_rate", "email_opens_90d", "email_clicks_90d",
    "active_days_90d", "days_since_last_activity", "mobile_share", "app_share",
    "events_per_active_day",
]
CATEGORICAL_COLS: list[str] = ["country_iso2", "gender"]
N_NEIGHBORS = 50
SAMPLE_SIZE = 20_000
CATEGORICAL_WEIGHT = 1.0
CLIP = 5.0


@dataclass
class KnnImputer:
    """A fitted kNN imputer: the feature preparation and the regressor."""

    numeric_cols: list[str]
    categorical_cols: list[str]
    categories: dict[str, list[str]]
    categorical_weight: float
    info: object
    model: KNeighborsRegressor

    def matrix(self, df: pd.DataFrame) -> np.ndarray:
        """The distance space of df: prepared numeric features, then weighted one-hots."""
        parts = [self.info.transform(df)] if self.numeric_cols else []
        for col in self.categorical_cols:
            values = df[col].astype("string").fillna("") if col in df.columns else \
                pd.Series([""] * len(df), dtype="string")
            cats = self.categories[col]
            onehot = np.zeros((len(df), len(cats)), dtype=np.float64)
            codes = pd.Categorical(values, categories=cats).codes
            rows = np.flatnonzero(codes >= 0)
            onehot[rows, codes[rows]] = self.categorical_weight
            parts.append(onehot)
        if not parts:
            raise ValueError("kNN imputation needs at least one feature column")
        return np.hstack(parts)

    def predict(self, df: pd.DataFrame) -> np.ndarray:
        return self.model.predict(self.matrix(df))


def exact_age(birth_date: pd.Series, as_of_date: pd.Series) -> pd.Series:
    """Age in years, days / 365.25 as in int_customers__imputed (NULL when either date is
    missing or the birth date lies after the as-of date)."""
    birth = pd.to_datetime(birth_date, errors="coerce")
    as_of = pd.to_datetime(as_of_date, errors="coerce")
    days = (as_of - birth).dt.days.astype("float64")
    return (days / 365.25).where(days >= 0)


def _present(df: pd.DataFrame, cols: list[str] | None, default: list[str]) -> list[str]:
    wanted = default if cols is None else cols
    missing = [c for c in wanted if c not in df.columns]
    if cols is not None and missing:
        raise KeyError(f"kNN imputation: feature columns not in the input: {missing}")
    return [c for c in wanted if c in df.columns]


def fit_knn(df: pd.DataFrame, target: str = TARGET, numeric_cols: list[str] | None = None,
            categorical_cols: list[str] | None = None, n_neighbors: int = N_NEIGHBORS,
            sample_size: int = SAMPLE_SIZE, categorical_weight: float = CATEGORICAL_WEIGHT,
            random_state: int = 0) -> KnnImputer:
    """Fit on (a seeded sample of at most sample_size) rows of df whose target is known."""
    if n_neighbors < 1:
        raise ValueError(f"n_neighbors must be at least 1, got {n_neighbors}")
    numeric = _present(df, numeric_cols, KNN_FEATURE_COLS)
    categorical = _present(df, categorical_cols, CATEGORICAL_COLS)
    y_all = pd.to_numeric(df[target], errors="coerce")
    known = df[y_all.notna()]
    if known.empty:
        raise ValueError(f"kNN imputation: no row has a known {target}")
    if len(known) > sample_size:
        rng = np.random.default_rng(random_state)
        idx = np.sort(rng.choice(len(known), size=sample_size, replace=False))
        known = known.iloc[idx]
    y = pd.to_numeric(known[target], errors="coerce").to_numpy(dtype=np.float64)
    info = None
    if numeric:
        _, info = prepare_matrix(known, feature_cols=numeric, scaler="robust",
                                 missing_indicators=True, clip=CLIP, random_state=random_state)
    categories = {c: sorted(known[c].dropna().astype(str).unique().tolist())
                  for c in categorical}
    imputer = KnnImputer(numeric, categorical, categories, categorical_weight, info,
                         KNeighborsRegressor(n_neighbors=min(n_neighbors, len(known)),
                                             algorithm="brute"))
    imputer.model.fit(imputer.matrix(known), y)
    return imputer


def knn_impute(df: pd.DataFrame, key: str = "customer_key", target: str = TARGET,
               **kwargs) -> pd.DataFrame:
    """One row per row of df: key, the target (observed, else the kNN estimate) and
    is_imputed_<target>. Rows are returned in key order."""
    ordered = df.sort_values(key, kind="stable").reset_index(drop=True)
    observed = pd.to_numeric(ordered[target], errors="coerce")
    out = pd.DataFrame({key: ordered[key].astype(str), target: observed.astype("float64"),
                        f"is_imputed_{target}": observed.isna().to_numpy()})
    gaps = observed.isna().to_numpy()
    if gaps.any() and observed.notna().any():
        imputer = fit_knn(ordered, target=target, **kwargs)
        out.loc[gaps, target] = np.round(imputer.predict(ordered[gaps]), 4)
    else:
        out[f"is_imputed_{target}"] = False
    return out


def group_median_predict(train: pd.DataFrame, test: pd.DataFrame, target: str = TARGET,
                         groups: tuple[str, ...] = ("country_iso2", "gender")) -> np.ndarray:
    """The SQL rule of int_customers__imputed, in pandas: median of the same groups, then of
    the first group, then of everyone (NULL group values form their own group)."""
    overall = float(train[target].median())
    pred = pd.Series(np.nan, index=test.index)
    for n in range(len(groups), 0, -1):
        cols = list(groups[:n])
        med = train.groupby(cols, dropna=False)[target].median().rename("_m").reset_index()
        merged = test[cols].merge(med, on=cols, how="left")
        merged.index = test.index
        pred = pred.fillna(merged["_m"])
    return pred.fillna(overall).to_numpy(dtype=np.float64)


def holdout_mae(df: pd.DataFrame, target: str = TARGET, holdout_share: float = 0.2,
                random_state: int = 0, **kwargs) -> dict[str, float]:
    """Hide the target of a seeded share of the rows that have one; mean absolute error of
    kNN, the group median and one global median on those rows (fitted on the rest)."""
    known = df[pd.to_numeric(df[target], errors="coerce").notna()].reset_index(drop=True)
    known = known.assign(**{target: pd.to_numeric(known[target]).astype("float64")})
    rng = np.random.default_rng(random_state)
    test_mask = rng.random(len(known)) < holdout_share
    train, test = known[~test_mask], known[test_mask]
    if train.empty or test.empty:
        raise ValueError("holdout_mae needs rows with a known target on both sides")
    truth = test[target].to_numpy(dtype=np.float64)
    knn = fit_knn(train, target=target, random_state=random_state, **kwargs).predict(test)
    group = group_median_predict(train, test, target)
    glob = np.full(len(test), float(train[target].median()))
    return {
        "n_holdout": float(len(test)),
        "mae_knn": float(np.mean(np.abs(knn - truth))),
        "mae_group_median": float(np.mean(np.abs(group - truth))),
        "mae_global_median": float(np.mean(np.abs(glob - truth))),
    }
