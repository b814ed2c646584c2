"""Churn (or purchase-propensity) classification with honest evaluation.

The label comes from time (built in SQL): features as of a cutoff date, label = event in the
horizon after it (``churned`` = no valid order; for propensity, ``purchased_30d``). The same
functions serve both labels via ``label_col``.

Protocol of :func:`fit_and_evaluate`: stratified split into train / validation / holdout.
Model choice (CV) and fitting use train only; the fitted model is calibrated on validation
(``CalibratedClassifierCV`` on the frozen model, isotonic by default, sigmoid optional) and
the decision threshold maximises F1 on validation; every reported holdout number uses data
not seen by any of those steps. Isotonic calibration is monotone, so fitting it and choosing
the F1 threshold on the same validation rows does not leak ranking information.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.frozen import FrozenEstimator
from sklearn.inspection import permutation_importance
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    average_precision_score,
    brier_score_loss,
    log_loss,
    precision_recall_curve,
    roc_auc_score,
)
from sklearn.model_selection import StratifiedKFold, train_test_split

from segkit.ml.features import prepare_matrix, to_float_matrix

MODEL_NAMES = ("hist_gb", "random_forest")
CV_MAX_ROWS = 50_000
MAX_TRAIN_ROWS = 200_000
HOLDOUT_SHARE = 0.2
VALIDATION_SHARE = 0.2
CALIBRATION = "isotonic"
N_BINS = 10
IMPORTANCE_SAMPLE = 5_000
IMPORTANCE_REPEATS = 3
RISK_THRESHOLDS = (0.3, 0.6)
RISK_LABELS = ("low", "medium", "high")
RFM_COLS = {"recency": "recency_days", "frequency": "frequency", "monetary": "monetary_amount"}
BATCH_SIZE = 200_000


@dataclass
class ChurnModel:
    """A fitted, calibrated classifier plus what is needed to score new rows."""

    estimator: Any             # has predict_proba on the float feature matrix
    feature_cols: list[str]
    threshold: float           # max-F1 threshold chosen on the validation split
    model_name: str
    label_col: str


@dataclass
class ChurnEvaluation:
    """Result of :func:`fit_and_evaluate`."""

    model: ChurnModel
    metrics: pd.DataFrame      # [model, metric, value, split]
    calibration: pd.DataFrame  # [bin, bin_lower, bin_upper, n, mean_predicted, observed_rate]
    importance: pd.DataFrame   # [feature, importance_mean, importance_std, rank]
    cv_table: pd.DataFrame     # output of compare_models (empty if a model was forced)


def make_model(name: str, random_state: int = 0) -> Any:
    """Unfitted estimator with sizes that stay fast at 200k training rows on 2 cores."""
    if name == "hist_gb":
        return HistGradientBoostingClassifier(
            max_iter=150, learning_rate=0.1, max_leaf_nodes=31, min_samples_leaf=50,
            l2_regularization=1.0, early_stopping=False, random_state=random_state)
    if name == "random_forest":
        return RandomForestClassifier(
            n_estimators=100, min_samples_leaf=50, max_features="sqrt", max_samples=0.3,
            n_jobs=-1, random_state=random_state)
    raise ValueError(f"model must be one of {MODEL_NAMES}, got {name!r}")


def _fit(name: str, X: np.ndarray, y: np.ndarray, random_state: int) -> Any:
    """``make_model(name)`` fitted on all cores, then set to predict on one. Fitting a forest in
    threads is deterministic (each tree has its own seed), but ``predict_proba`` with n_jobs > 1
    adds the trees' probabilities in whatever order the threads finish: identical runs
    differed in the last bits, AUC ties broke differently and the permutation importances in
    model_metrics moved by ~1e-5 (DECISIONLOG.md, "Determinism")."""
    est = make_model(name, random_state).fit(X, y)
    if "n_jobs" in est.get_params():
        est.set_params(n_jobs=1)
    return est


def _labels(df: pd.DataFrame, label_col: str) -> np.ndarray:
    y = pd.to_numeric(df[label_col], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    if np.isnan(y).any():
        raise ValueError(f"label column {label_col!r} has NULLs; drop unlabeled rows first")
    y = y.astype(np.int64)
    if set(np.unique(y)) != {0, 1}:
        raise ValueError(f"label column {label_col!r} must contain both 0 and 1")
    return y


def _subsample(idx: np.ndarray, y: np.ndarray, n: int, random_state: int) -> np.ndarray:
    """Stratified subsample of positions ``idx`` down to ``n`` rows (sorted)."""
    if len(idx) <= n:
        return idx
    keep, _ = train_test_split(idx, train_size=n, stratify=y[idx], random_state=random_state)
    return np.sort(keep)


def _proba(est: Any, X: np.ndarray) -> np.ndarray:
    parts = [est.predict_proba(X[i:i + BATCH_SIZE])[:, 1] for i in range(0, len(X), BATCH_SIZE)]
    return np.concatenate(parts) if parts else np.empty(0)


def compare_models(train_df: pd.DataFrame, feature_cols: list[str], label_col: str = "churned",
                   random_state: int = 0, cv: int = 5, max_rows: int = CV_MAX_ROWS,
                   models: tuple[str, ...] = MODEL_NAMES) -> pd.DataFrame:
    """Stratified K-fold CV of the candidate models on (a stratified sample of) ``train_df``.

    Returns:
        DataFrame[model, roc_auc_mean, roc_auc_std, pr_auc_mean, pr_auc_std, brier_mean,
        brier_std, n_folds, n_rows, is_best] (best = highest mean ROC-AUC).
    """
    X, y = to_float_matrix(train_df, feature_cols), _labels(train_df, label_col)
    idx = _subsample(np.arange(len(y)), y, max_rows, random_state)
    X, y = X[idx], y[idx]
    folds = list(StratifiedKFold(cv, shuffle=True, random_state=random_state).split(X, y))
    rows = []
    for name in models:
        scores: dict[str, list[float]] = {"roc_auc": [], "pr_auc": [], "brier": []}
        for tr, te in folds:
            p = _fit(name, X[tr], y[tr], random_state).predict_proba(X[te])[:, 1]
            scores["roc_auc"].append(roc_auc_score(y[te], p))
            scores["pr_auc"].append(average_precision_score(y[te], p))
            scores["brier"].append(brier_score_loss(y[te], p))
        row: dict[str, Any] = {"model": name}
        for m, v in scores.items():
            row[f"{m}_mean"], row[f"{m}_std"] = float(np.mean(v)), float(np.std(v))
        rows.append({**row, "n_folds": cv, "n_rows": len(y)})
    out = pd.DataFrame(rows)
    out["is_best"] = out.index == out["roc_auc_mean"].idxmax()
    return out


def _rfm_baseline(X_tr: np.ndarray, y_tr: np.ndarray, X_te: np.ndarray, random_state: int
                  ) -> np.ndarray:
    """Logistic regression on log1p / median-imputed / standardised RFM columns."""
    cols = [f"c{j}" for j in range(X_tr.shape[1])]
    _, info = prepare_matrix(pd.DataFrame(X_tr, columns=cols), cols, log_cols=cols,
                             scaler="standard", missing_indicators=False)
    lr = LogisticRegression(max_iter=1000, random_state=random_state)
    lr.fit(info.transform(pd.DataFrame(X_tr, columns=cols)), y_tr)
    return lr.predict_proba(info.transform(pd.DataFrame(X_te, columns=cols)))[:, 1]


def calibration_table(y: np.ndarray, p: np.ndarray, n_bins: int = N_BINS) -> pd.DataFrame:
    """Reliability table with ``n_bins`` equal-width probability bins (empty bins kept, n=0)."""
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    b = np.clip(np.digitize(p, edges[1:-1]), 0, n_bins - 1)
    n = np.bincount(b, minlength=n_bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_p = np.bincount(b, weights=p, minlength=n_bins) / n
        obs = np.bincount(b, weights=y, minlength=n_bins) / n
    return pd.DataFrame({"bin": np.arange(n_bins), "bin_lower": edges[:-1],
                         "bin_upper": edges[1:], "n": n.astype(np.int64),
                         "mean_predicted": mean_p, "observed_rate": obs})


IMPORTANCE_COLUMNS = ["feature", "importance_mean", "importance_std", "rank"]


def _permutation_importance(est: Any, X: np.ndarray, y: np.ndarray, hold: np.ndarray,
                            feature_cols: list[str], sample: int, random_state: int
                            ) -> pd.DataFrame:
    """ROC-AUC permutation importance on a stratified sample of the holdout, ranked."""
    imp_idx = _subsample(hold, y, sample, random_state)
    pi = permutation_importance(est, X[imp_idx], y[imp_idx], scoring="roc_auc",
                                n_repeats=IMPORTANCE_REPEATS, random_state=random_state)
    importance = pd.DataFrame({"feature": feature_cols, "importance_mean": pi.importances_mean,
                               "importance_std": pi.importances_std})
    importance = importance.sort_values(["importance_mean", "feature"],
                                        ascending=[False, True], kind="stable")
    importance["rank"] = np.arange(1, len(importance) + 1)
    return importance.reset_index(drop=True)


def fit_and_evaluate(
    df: pd.DataFrame,
    feature_cols: list[str],
    label_col: str = "churned",
    model: str = "auto",
    random_state: int = 0,
    cv: int = 5,
    holdout_share: float = HOLDOUT_SHARE,
    validation_share: float = VALIDATION_SHARE,
    max_train_rows: int = MAX_TRAIN_ROWS,
    calibration: str = CALIBRATION,
    n_bins: int = N_BINS,
    importance_sample: int = IMPORTANCE_SAMPLE,
    rfm_cols: dict[str, str] | None = None,
    importance: bool = True,
) -> ChurnEvaluation:
    """Choose (``model='auto'``: CV on the train split), fit, calibrate and evaluate.

    Returns a :class:`ChurnEvaluation`; ``metrics`` rows cover the chosen model (holdout and
    validation), the uncalibrated model, and baselines ``baseline_recency`` (recency as the
    score), ``baseline_rfm_logreg`` and ``baseline_prevalence`` (constant base rate).
    ``importance=False`` skips the permutation importances (an empty table): the fitted model
    is the same, so a caller that only scores (customer_churn_scores) saves their cost.
    """
    if calibration not in ("isotonic", "sigmoid"):
        raise ValueError("calibration must be 'isotonic' or 'sigmoid'")
    X, y = to_float_matrix(df, feature_cols), _labels(df, label_col)
    all_idx = np.arange(len(y))
    rest, hold = train_test_split(all_idx, test_size=holdout_share, stratify=y,
                                  random_state=random_state)
    tr, val = train_test_split(rest, test_size=validation_share / (1 - holdout_share),
                               stratify=y[rest], random_state=random_state)
    tr = _subsample(tr, y, max_train_rows, random_state)
    val = _subsample(val, y, max_train_rows, random_state)
    cv_table = pd.DataFrame()
    if model == "auto":
        cv_table = compare_models(df.iloc[tr], feature_cols, label_col, random_state, cv)
        model = str(cv_table.loc[cv_table["is_best"], "model"].iloc[0])
    base = _fit(model, X[tr], y[tr], random_state)
    est = CalibratedClassifierCV(FrozenEstimator(base), method=calibration).fit(X[val], y[val])
    p_val = _proba(est, X[val])
    prec, rec, thr = precision_recall_curve(y[val], p_val)
    f1 = 2 * prec[:-1] * rec[:-1] / np.maximum(prec[:-1] + rec[:-1], 1e-12)
    best = int(np.argmax(f1))
    threshold = float(thr[best])
    yh, p_hold, p_raw = y[hold], _proba(est, X[hold]), _proba(base, X[hold])
    pred = p_hold >= threshold
    tp = float(np.sum(pred & (yh == 1)))
    precision = tp / max(pred.sum(), 1)
    recall = tp / max((yh == 1).sum(), 1)
    m: list[tuple[str, str, float, str]] = [
        (model, "roc_auc", roc_auc_score(yh, p_hold), "holdout"),
        (model, "pr_auc", average_precision_score(yh, p_hold), "holdout"),
        (model, "brier", brier_score_loss(yh, p_hold), "holdout"),
        (model, "log_loss", log_loss(yh, np.clip(p_hold, 1e-6, 1 - 1e-6)), "holdout"),
        (model, "f1", 2 * precision * recall / max(precision + recall, 1e-12), "holdout"),
        (model, "precision", precision, "holdout"), (model, "recall", recall, "holdout"),
        (model, "threshold", threshold, "validation"), (model, "f1", f1[best], "validation"),
        (model, "positive_rate", yh.mean(), "holdout"), (model, "n_rows", len(hold), "holdout"),
        (model, "n_rows", len(tr), "train"),
        (f"{model}_uncalibrated", "roc_auc", roc_auc_score(yh, p_raw), "holdout"),
        (f"{model}_uncalibrated", "brier", brier_score_loss(yh, p_raw), "holdout"),
        ("baseline_prevalence", "brier", brier_score_loss(yh, np.full(len(yh), y[tr].mean())),
         "holdout"),
    ]
    rfm = {**RFM_COLS, **(rfm_cols or {})}
    if rfm["recency"] in df.columns:
        r = to_float_matrix(df.iloc[hold], [rfm["recency"]])[:, 0]
        r = np.where(np.isnan(r), np.nanmedian(r) if np.isfinite(r).any() else 0.0, r)
        m += [("baseline_recency", "roc_auc", roc_auc_score(yh, r), "holdout"),
              ("baseline_recency", "pr_auc", average_precision_score(yh, r), "holdout")]
    present = [c for c in rfm.values() if c in df.columns]
    if present:
        Xr = to_float_matrix(df, present)
        p_lr = _rfm_baseline(Xr[tr], y[tr], Xr[hold], random_state)
        m += [("baseline_rfm_logreg", "roc_auc", roc_auc_score(yh, p_lr), "holdout"),
              ("baseline_rfm_logreg", "pr_auc", average_precision_score(yh, p_lr), "holdout"),
              ("baseline_rfm_logreg", "brier", brier_score_loss(yh, p_lr), "holdout")]
    metrics = pd.DataFrame(m, columns=["model", "metric", "value", "split"])
    metrics["value"] = metrics["value"].astype(float)
    importance_table = (_permutation_importance(est, X, y, hold, feature_cols,
                                                importance_sample, random_state)
                        if importance else pd.DataFrame(columns=IMPORTANCE_COLUMNS))
    return ChurnEvaluation(
        model=ChurnModel(est, list(feature_cols), threshold, model, label_col),
        metrics=metrics, calibration=calibration_table(yh, p_hold, n_bins),
        importance=importance_table, cv_table=cv_table)


def risk_band(p: np.ndarray | pd.Series, thresholds: tuple[float, float] = RISK_THRESHOLDS
              ) -> np.ndarray:
    """'low' (p < t0), 'medium' (t0 <= p < t1), 'high' (p >= t1); NaN -> None."""
    lo, hi = thresholds
    if not 0 <= lo <= hi <= 1:
        raise ValueError("thresholds must satisfy 0 <= low <= high <= 1")
    p = np.asarray(p, dtype=float)
    band = np.array(RISK_LABELS, dtype=object)[np.digitize(p, [lo, hi])]
    band[np.isnan(p)] = None
    return band


def score(model: ChurnModel, df: pd.DataFrame, key_col: str = "customer_key",
          prob_col: str = "churn_probability", band_col: str | None = "risk_band",
          thresholds: tuple[float, float] = RISK_THRESHOLDS) -> pd.DataFrame:
    """Score every row in batches -> DataFrame[customer_key, <prob_col>(, <band_col>)]."""
    p = _proba(model.estimator, to_float_matrix(df, model.feature_cols))
    out = pd.DataFrame({"customer_key": df[key_col].to_numpy() if key_col in df
                        else np.arange(len(df)), prob_col: p})
    if band_col:
        out[band_col] = risk_band(p, thresholds)
    return out
