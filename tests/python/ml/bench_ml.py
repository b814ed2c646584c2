"""Timing / memory benchmark of segkit.ml on synthetic customer_features (not a test).

    PYTHONPATH=. .venv/bin/python tests/python/ml/bench_ml.py --rows 1000000 [--threads 1]

Each step runs in its own subprocess so its peak RSS is reported separately; data
generation time is excluded from the step time (it is reported by the ``data`` step).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

STEPS = ["data", "prepare_matrix", "detect_outliers", "select_k", "kmeans", "gmm",
         "agglomerative", "dbscan", "cluster_assignments", "bootstrap_ari",
         "churn_fit_and_evaluate", "churn_score", "customer_clv"]


def run_step(step: str, rows: int, threads: int) -> dict:
    from segkit.ml import limit_threads

    with limit_threads(threads or None):
        return _run_step(step, rows)


def _run_step(step: str, rows: int) -> dict:
    import numpy as np
    from ml_synth import make_customers

    from segkit.ml import churn, clustering, clv, features, outliers

    t0 = time.perf_counter()
    df = make_customers(rows, n_personas=5, seed=0)
    gen = time.perf_counter() - t0
    cols = features.DEFAULT_FEATURE_COLS
    pre = {}
    if step in ("kmeans", "gmm", "agglomerative", "dbscan", "select_k", "bootstrap_ari"):
        X, _ = features.prepare_matrix(df, cols, missing_indicators=False, clip=10.0)
    if step == "churn_score":
        model = churn.fit_and_evaluate(df, cols, model="hist_gb").model
    t = time.perf_counter()
    cpu0 = _cpu()
    if step == "data":
        pre["seconds_generate"] = gen
    elif step == "prepare_matrix":
        features.prepare_matrix(df, cols)
    elif step == "detect_outliers":
        out = outliers.detect_outliers(df, cols)
        pre["is_outlier_share"] = float(out["is_outlier"].mean())
    elif step == "select_k":
        ks = clustering.select_k(X)
        pre["chosen_k"] = int(ks.loc[ks["is_chosen"], "k"].item())
    elif step in ("kmeans", "gmm", "agglomerative", "dbscan"):
        res = clustering.fit_clusters(X, step, 5)
        pre["n_clusters"] = int(res.labels.max()) + 1
        pre["noise_share"] = float(np.mean(res.labels < 0))
    elif step == "cluster_assignments":
        clustering.cluster_assignments(df, cols, k=5)
    elif step == "bootstrap_ari":
        pre["mean_ari"] = float(clustering.bootstrap_ari(X, 5)["ari"].mean())
    elif step == "churn_fit_and_evaluate":
        ev = churn.fit_and_evaluate(df, cols)
        m = ev.metrics
        pre["model"] = ev.model.model_name
        pre["holdout_auc"] = float(m.loc[(m.metric == "roc_auc") & (m.split == "holdout")
                                         & (m.model == ev.model.model_name), "value"].item())
    elif step == "churn_score":
        churn.score(model, df)
    elif step == "customer_clv":
        clv.customer_clv(df)
    secs, cpu = time.perf_counter() - t, _cpu() - cpu0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"step": step, "rows": rows, "wall_s": round(secs, 1), "cpu_s": round(cpu, 1),
            "peak_rss_mb": round(rss), "load1": round(os.getloadavg()[0], 1), **pre}


def _cpu() -> float:
    """User + system CPU seconds of this process (all threads)."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--step", default=None)
    ap.add_argument("--threads", type=int, default=1, help="OpenMP/BLAS threads, 0 = no cap")
    args = ap.parse_args()
    if args.step:
        print(json.dumps(run_step(args.step, args.rows, args.threads)))
        return
    for step in STEPS:
        out = subprocess.run([sys.executable, __file__, "--rows", str(args.rows),
                              "--threads", str(args.threads), "--step", step],
                             capture_output=True, text=True)
        line = out.stdout.strip().splitlines()[-1] if out.stdout.strip() else out.stderr[-500:]
        print(line, flush=True)


if __name__ == "__main__":
    main()
