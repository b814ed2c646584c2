"""Evaluation of the propensity models (churn, purchase in the next 30 days), long format.

Labels come from time: features as of a cutoff (ml_churn_training_set), outcome observed in
the horizon after it. The winner of a cross-validated comparison is evaluated on a holdout.
Incremental: the comparison and evaluation run on a full build and then every var
ml__reselect_every_days days of as_of_date; a refresh in between keeps the stored rows (and so
the chosen estimator; customer_churn_scores refits it on the current training set every run).
"""

import pandas as pd

from segkit.dbt_io import config_list, to_pandas
from segkit.ml.cadence import decide, nothing_new, stamp
from segkit.ml.churn import fit_and_evaluate
from segkit.ml.features import DEFAULT_FEATURE_COLS
from segkit.ml.guards import binary_label_problem, skipped_rows
from segkit.ml.reporting import COLUMNS, evaluation_rows

TARGETS = {"churn": "is_churned", "purchase_30d": "purchased_next_30d"}


def model(dbt, session):
    dbt.config(materialized="incremental", incremental_strategy="append")
    # one plain dbt.config.get per key (dbt does not see calls nested in int(... or x))
    feature_cols = dbt.config.get("feature_cols")
    random_state = dbt.config.get("random_state")
    every_days = dbt.config.get("reselect_every_days")
    due, previous, as_of_date = decide(dbt, session, to_pandas(dbt.ref("int_run__as_of_date")),
                                       every_days, "model_metrics", "evaluation")
    if not due:
        return nothing_new(session, dbt.this)
    train = to_pandas(dbt.ref("ml_churn_training_set"))
    cols = config_list(feature_cols) or [
        c for c in DEFAULT_FEATURE_COLS if c in train.columns]
    seed = int(random_state or 0)
    frames = []
    for target, label in TARGETS.items():
        problem = binary_label_problem(train[label]) if label in train else "no training rows"
        if problem:
            frames.append(skipped_rows(target, problem, COLUMNS))
            continue
        ev = fit_and_evaluate(train, cols, label_col=label, random_state=seed)
        frames.append(evaluation_rows(ev, target))
    return stamp(pd.concat(frames, ignore_index=True), as_of_date, previous)
