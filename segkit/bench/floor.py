"""The floor: the build's stages without dbt. Run as a child process of the bench, so its
time and peak memory are measured like the dbt build's:

    python -m segkit.bench.floor --build-db W/segments.duckdb --target W/target \
        --floor-db W/floor/segments.duckdb --out W/floor.json

SQL: every SQL model's compiled SQL executed in dependency order as `create table` (or view)
in one DuckDB connection with the same memory settings as the dbt profile; no dbt, no tests,
no hooks. Python models: the same segkit.ml calls as the dbt Python models, with the same
config (read from the manifest), in this one process; their outputs are not written back
(the SQL models downstream read the build's copy, copied untimed). model_metrics and
customer_churn_scores both fit the propensity models in dbt (two models, no side channel);
the floor fits once.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import yaml

from segkit.bench.results import is_identity_resolution, node_stage, selector_paths

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ("landing", "staging", "intermediate", "marts", "seeds")


def model_order(manifest: dict) -> list[dict]:
    """Model nodes in a dependency-respecting order (Kahn's algorithm, sorted ties)."""
    nodes = {k: v for k, v in manifest["nodes"].items() if v["resource_type"] == "model"}
    deps = {k: [d for d in v["depends_on"]["nodes"] if d in nodes] for k, v in nodes.items()}
    done: list[str] = []
    done_set: set[str] = set()
    remaining = dict(deps)
    while remaining:
        ready = sorted(k for k, d in remaining.items() if all(x in done_set for x in d))
        if not ready:
            raise RuntimeError("cycle in the model graph")
        for k in ready:
            done.append(k)
            done_set.add(k)
            del remaining[k]
    return [nodes[k] for k in done]


def connect(path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path))
    con.execute("set TimeZone = 'UTC'")
    con.execute("set preserve_insertion_order = false")
    if os.environ.get("SEGMENTS_MEMORY_LIMIT"):
        con.execute(f"set memory_limit = '{os.environ['SEGMENTS_MEMORY_LIMIT']}'")
    if os.environ.get("SEGMENTS_TEMP_DIR"):
        con.execute(f"set temp_directory = '{os.environ['SEGMENTS_TEMP_DIR']}'")
    # the functions the profile's plugins register on dbt's connections
    try:
        from segkit import privacy
    except ImportError:  # a checkout without the privacy plugin
        return con
    privacy.register(con, privacy.resolve_key(os.environ.get(privacy.ENV_KEY) or None))
    return con


def run_sql_floor(build_db: Path, target: Path, floor_db: Path,
                  stage_paths: dict[str, list[str]]) -> dict[str, float]:
    """Seconds per stage of the compiled SQL models run directly."""
    manifest = json.loads((target / "manifest.json").read_text())
    shutil.rmtree(floor_db.parent, ignore_errors=True)
    floor_db.parent.mkdir(parents=True)
    con = connect(floor_db)
    schemas = set(SCHEMAS) | {node["schema"] for node in manifest["nodes"].values()
                              if node["resource_type"] in ("model", "seed", "snapshot")}
    for schema in sorted(schemas):
        con.execute(f"create schema if not exists {schema}")
    # seeds are inputs, not work: copied from the build
    con.execute(f"attach '{build_db}' as build_copy (read_only)")
    # so are snapshots (history state the history models read): copied, untimed
    for node in manifest["nodes"].values():
        if node["resource_type"] == "snapshot":
            relation = f"{node['schema']}.{node['alias']}"
            con.execute(f"create table {relation} as select * from build_copy.{relation}")
    for (schema, name) in con.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_catalog = 'build_copy' and table_schema = 'seeds'"
    ).fetchall():
        con.execute(f"create table {schema}.{name} as select * from build_copy.{schema}.{name}")
    # tables the landing post-hooks write (CSV input only): copied when the build has them
    for table in ("customers", "orders", "events"):
        name = f"{table}__csv_rejects"
        exists = con.execute(
            "select count(*) from information_schema.tables where table_catalog = 'build_copy' "
            f"and table_schema = 'landing' and table_name = '{name}'").fetchone()[0]
        if exists:
            con.execute(f"create table landing.{name} as select * from build_copy.landing.{name}")
    seconds: dict[str, float] = {}
    for node in model_order(manifest):
        kind = node["config"].get("materialized", "table")
        if kind == "ephemeral":
            continue
        relation = f"{node['schema']}.{node['alias']}"
        if node.get("language") != "sql":
            # Python models are timed by run_ml_floor; their output is copied (untimed) so the
            # SQL models downstream of them can run
            con.execute(f"create or replace table {relation} as "
                        f"select * from build_copy.{relation}")
            continue
        compiled = target / "compiled" / node["package_name"] / node["original_file_path"]
        if not compiled.exists():
            continue
        sql = compiled.read_text().replace(f'"{build_db.stem}".', "")
        verb = "view" if kind == "view" else "table"
        t0 = time.perf_counter()
        con.execute(f"create or replace {verb} {relation} as {sql}")
        secs = time.perf_counter() - t0
        stage = node_stage(node, stage_paths)
        seconds[stage] = seconds.get(stage, 0.0) + secs
        seconds["models"] = seconds.get("models", 0.0) + secs
        if is_identity_resolution(node):
            seconds["identity_resolution"] = seconds.get("identity_resolution", 0.0) + secs
    con.execute("detach build_copy")
    con.close()
    return seconds


def _config(manifest: dict, model: str) -> dict:
    for node in manifest["nodes"].values():
        if node["resource_type"] == "model" and node["name"] == model:
            return node.get("config", {})
    return {}


def run_ml_floor(floor_db: Path, manifest: dict) -> float:
    """The Python-model stages as direct library calls in this process, as the dbt Python
    models make them (python_models/ml): outliers, k selection + bootstrap stability,
    clustering, churn and purchase models (evaluate once, score), CLV."""
    import pandas as pd

    from segkit.dbt_io import config_list, to_pandas
    from segkit.ml.churn import fit_and_evaluate, score
    from segkit.ml.clustering import bootstrap_ari, cluster_assignments, select_k
    from segkit.ml.clv import customer_clv
    from segkit.ml.features import DEFAULT_FEATURE_COLS, prepare_matrix
    from segkit.ml.guards import usable_k_range
    from segkit.ml.outliers import IQR_K, Z_THRESHOLD, detect_outliers

    con = duckdb.connect(str(floor_db), read_only=True)
    # reading the inputs is part of the work (the dbt models read them too)
    t0 = time.perf_counter()
    features = to_pandas(con.execute("select * from marts.customer_features"))
    train = to_pandas(con.execute("select * from intermediate.ml_churn_training_set"))
    as_of = pd.Timestamp(con.execute(
        "select as_of_date from intermediate.int_run__as_of_date").fetchone()[0])
    con.close()

    oc = _config(manifest, "customer_outliers")
    out = detect_outliers(
        features, feature_cols=config_list(oc.get("feature_cols")),
        min_votes=int(oc.get("min_votes") or 2),
        contamination=float(oc.get("contamination") or 0.01),
        sample_size=int(oc.get("sample_size") or 20000),
        z_threshold=float(oc.get("z_threshold") or Z_THRESHOLD),
        iqr_k=float(oc.get("iqr_k") or IQR_K), random_state=int(oc.get("random_state") or 0))
    is_out = out.set_index("customer_key")["is_outlier"].reindex(features["customer_key"])
    fit_mask = ~is_out.fillna(False).astype(bool).to_numpy()

    sc = _config(manifest, "cluster_model_selection")
    seed = int(sc.get("random_state") or 0)
    X, _ = prepare_matrix(features[fit_mask], config_list(sc.get("feature_cols")),
                          missing_indicators=False, clip=10.0)
    selection = select_k(X, k_range=usable_k_range(len(X), int(sc.get("k_min") or 2),
                                                   int(sc.get("k_max") or 10)),
                         random_state=seed)
    k = int(selection.loc[selection["is_chosen"].astype(bool), "k"].iloc[0])
    if len(X) >= 50:
        bootstrap_ari(X, k, n_boot=10, sample_size=min(len(X), 20000), random_state=seed)
    cc = _config(manifest, "customer_clusters")
    cluster_assignments(features, feature_cols=config_list(cc.get("feature_cols")), k=k,
                        algorithm=str(cc.get("algorithm") or "kmeans"), fit_mask=fit_mask,
                        random_state=int(cc.get("random_state") or 0))

    pc = _config(manifest, "customer_churn_scores")
    cols = config_list(pc.get("feature_cols")) or [
        c for c in DEFAULT_FEATURE_COLS if c in train.columns]
    for label in ("is_churned", "purchased_next_30d"):
        ev = fit_and_evaluate(train, cols, label_col=label,
                              random_state=int(pc.get("random_state") or 0))
        score(ev.model, features, band_col=None)

    vc = _config(manifest, "customer_clv")
    features["days_since_first_order"] = (as_of - pd.to_datetime(
        features["first_order_date"])).dt.days
    customer_clv(features, horizon_days=float(vc.get("horizon_days") or 365),
                 tenure_col="days_since_first_order", margin=float(vc.get("margin") or 1.0),
                 random_state=int(vc.get("random_state") or 0))
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="the benchmark floor (no dbt)")
    p.add_argument("--build-db", required=True)
    p.add_argument("--target", required=True)
    p.add_argument("--floor-db", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--ml-only", action="store_true",
                   help="only the Python-model stages on an existing floor db (the child "
                        "process that main starts, so their peak memory is their own)")
    a = p.parse_args(argv)
    target = Path(a.target)
    manifest = json.loads((target / "manifest.json").read_text())
    if a.ml_only:
        Path(a.out).write_text(json.dumps({"ml": run_ml_floor(Path(a.floor_db), manifest)}))
        return 0
    stage_paths = selector_paths(yaml.safe_load((ROOT / "selectors.yml").read_text()))
    seconds = run_sql_floor(Path(a.build_db), target, Path(a.floor_db), stage_paths)
    ml, seconds["ml_peak_rss_mb"] = run_ml_floor_in_child(Path(a.floor_db), target,
                                                          Path(a.out).with_suffix(".ml.json"))
    seconds["ml"] = seconds.get("ml", 0.0) + ml
    seconds["models"] = seconds.get("models", 0.0) + ml
    Path(a.out).write_text(json.dumps(seconds, indent=2))
    return 0


def run_ml_floor_in_child(floor_db: Path, target: Path, out: Path) -> tuple[float, float]:
    """run_ml_floor in a child process: (its seconds, its peak RSS in MiB). The child reads
    the floor db the SQL stages wrote and holds nothing else, so its peak is what the direct
    scikit-learn calls need (the peak of the Python-model stage)."""
    subprocess.run([sys.executable, "-m", "segkit.bench.floor", "--ml-only",
                    "--build-db", "-", "--floor-db", str(floor_db), "--target", str(target),
                    "--out", str(out)], check=True)
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return json.loads(out.read_text())["ml"], peak_kib / 1024


if __name__ == "__main__":
    raise SystemExit(main())
