"""Flatten model evaluations into one long table (model_metrics) the warehouse can hold."""

from __future__ import annotations

import pandas as pd

from segkit.ml.churn import ChurnEvaluation

COLUMNS = ["target", "model", "metric", "split", "value", "detail"]


def evaluation_rows(ev: ChurnEvaluation, target: str) -> pd.DataFrame:
    """Metrics, CV scores, calibration bins and permutation importance as long rows.

    Columns: target, model, metric, split, value, detail. The chosen model is the row with
    metric 'is_chosen' = 1.
    """
    parts = [ev.metrics.assign(detail=None)]
    parts.append(pd.DataFrame([{"model": ev.model.model_name, "metric": "is_chosen",
                                "value": 1.0, "split": "train", "detail": "winner of the CV"}]))
    if not ev.cv_table.empty:
        cv = ev.cv_table.melt(id_vars=["model"], value_vars=[
            c for c in ev.cv_table.columns if c.endswith(("_mean", "_std"))],
            var_name="metric", value_name="value")
        parts.append(cv.assign(split="cv", detail="stratified k-fold on the train split"))
    cal = ev.calibration.dropna(subset=["mean_predicted"])
    for col in ("mean_predicted", "observed_rate", "n"):
        parts.append(pd.DataFrame({
            "model": ev.model.model_name, "metric": "calibration_" + col,
            "value": cal[col].astype(float).to_numpy(), "split": "holdout",
            "detail": [f"bin {int(b)} [{lo:.1f}, {hi:.1f})" for b, lo, hi in
                       zip(cal["bin"], cal["bin_lower"], cal["bin_upper"], strict=True)]}))
    parts.append(pd.DataFrame({
        "model": ev.model.model_name, "metric": "permutation_importance",
        "value": ev.importance["importance_mean"].astype(float).to_numpy(), "split": "holdout",
        "detail": ev.importance["feature"].to_numpy()}))
    out = pd.concat(parts, ignore_index=True).assign(target=target)
    out["value"] = out["value"].astype(float)
    return out[COLUMNS]
