"""Splink beside our identity resolution, on the same standardized records (issue 4).

Splink is installed only for the benchmark, in its own venv (.venv-splink, pinned in
requirements-bench-splink.txt), never in the project's .venv: it brings its own duckdb and
pyarrow versions. The job itself is segkit/bench/splink_job.py, run by that venv's Python;
this module (project venv) prepares its input from the bench's built warehouse, measures the
job like the dbt build (wall time, peak RSS of the process tree), and scores both
clusterings with the same pairwise precision / recall / F1 against the generator's truth.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb

from segkit.bench.procmon import run_measured
from segkit.bench.results import cluster_pair_counts, pairwise_scores

ROOT = Path(__file__).resolve().parents[2]
REQUIREMENTS = ROOT / "requirements-bench-splink.txt"
VENV = ROOT / ".venv-splink"
JOB = Path(__file__).with_name("splink_job.py")

# the records our identity models resolve, with the cleaning our staging applied
INPUT_SQL = """
with v as (
    select
        customer_record_id, source_system, source_customer_id,
        nullif(lower(trim(first_name)), '') as fn,
        nullif(lower(trim(last_name)), '') as ln,
        email_match_key, phone_e164, birth_date,
        nullif(upper(replace(postcode, ' ', '')), '') as postcode,
        nullif(lower(trim(street)), '') as street
    from w.intermediate.int_customers__validated
    where not is_stub_record
)
select
    customer_record_id as unique_id, source_system, source_customer_id,
    fn as first_name, ln as last_name,
    case when fn is not null and ln is not null then fn || ' ' || ln end as first_name_surname,
    case when fn is not null and ln is not null then least(fn, ln) || '|' || greatest(fn, ln)
    end as name_pair,
    left(fn, 1) as first_initial, left(ln, 1) as last_initial,
    email_match_key as email, phone_e164, birth_date, postcode, street
from v
"""


def ensure_venv(python: str = sys.executable) -> tuple[Path | None, str]:
    """Create/refresh .venv-splink from the pinned requirements; (python path, message)."""
    py = VENV / "bin" / "python"
    stamp = VENV / ".installed"
    if py.exists() and stamp.exists() and stamp.stat().st_mtime >= REQUIREMENTS.stat().st_mtime:
        return py, "ok"
    try:
        if not py.exists():
            subprocess.run([python, "-m", "venv", str(VENV)], check=True,
                           capture_output=True, text=True)
        subprocess.run([str(py), "-m", "pip", "install", "--quiet", "-r", str(REQUIREMENTS)],
                       check=True, capture_output=True, text=True)
    except subprocess.CalledProcessError as err:
        tail = "\n".join((err.stdout + err.stderr).splitlines()[-5:])
        return None, f"Splink could not be installed from PyPI: {tail}"
    stamp.touch()
    return py, "ok"


def export_input(build_db: Path, out: Path) -> int:
    con = duckdb.connect()
    con.execute(f"attach '{build_db}' as w (read_only)")
    con.execute(f"copy ({INPUT_SQL}) to '{out}' (format parquet)")
    n = con.execute(f"select count(*) from read_parquet('{out}')").fetchone()[0]
    con.close()
    return int(n)


def score_clusters(clusters_sql: str, records: Path, truth: Path) -> tuple:
    """Pairwise (precision, recall, f1, records scored) of a clustering, given as SQL with
    columns unique_id, cluster_id, over the input records that have a truth row."""
    con = duckdb.connect()
    rows = con.execute(f"""
        select c.cluster_id, t.person_id
        from read_parquet('{records}') as r
        inner join ({clusters_sql}) as c on c.unique_id = r.unique_id
        inner join read_parquet('{truth}') as t
            on t.source_system = r.source_system
            and trim(cast(t.source_customer_id as varchar)) = r.source_customer_id
    """).fetchall()
    con.close()
    p, r, f1 = pairwise_scores(*cluster_pair_counts(rows))
    return p, r, f1, len(rows)


def compare(n: int, workdir: Path, build_db: Path, raw: Path, env: dict[str, str],
            ours_seconds: float | None, memory_limit: str, sweep: bool = True) -> list[dict]:
    """Rows for the results table: our identity resolution and Splink, side by side."""
    rows: list[dict] = []
    out = workdir / "splink"
    out.mkdir(parents=True, exist_ok=True)
    truth = raw / "truth" / "customer_records.parquet"
    records = out / "records.parquet"
    n_records = export_input(build_db, records)
    ours_sql = (f"select customer_record_id as unique_id, customer_key as cluster_id "
                f"from read_parquet('{out / 'ours.parquet'}')")
    con = duckdb.connect()
    con.execute(f"attach '{build_db}' as w (read_only)")
    con.execute(f"copy (select customer_record_id, customer_key from "
                f"w.marts.customer_identity_map) to '{out / 'ours.parquet'}' (format parquet)")
    con.close()
    p, r, f1, scored = score_clusters(ours_sql, records, truth)
    rows.append(dict(customers=n, stage="identity resolution: ours (dbt models)",
                     seconds=ours_seconds, precision=p, recall=r, f1=f1,
                     note=f"{n_records:,} records, {scored:,} with truth; seconds = summed "
                          "execution_time of models/intermediate/identity + "
                          "customer_identity_map; threshold 0.95"))
    # our resolution models again, alone, right before Splink (similar machine load): the
    # inputs are the built tables, so this times exactly the resolution work, plus dbt's start.
    # --full-refresh: from scratch, as Splink works (and the incremental identity models need
    # int_customers__skipped_blocks, which the +customer_identity_map prep does not build)
    ours = run_measured(
        [str(Path(sys.executable).parent / "dbt"), "run", "--full-refresh", "--select",
         "path:models/intermediate/identity", "customer_identity_map",
         "--target-path", str(workdir / "target_identity"), "--log-path", str(workdir / "logs")],
        env, ROOT, log_path=out / "identity_rerun.log")
    ratio_basis = "ours summed execution_time in the prep build"
    if ours.returncode == 0:
        rows.append(dict(customers=n, stage="identity resolution: ours, re-run alone",
                         seconds=ours.seconds, peak_rss_mb=ours.peak_mb,
                         load_start=ours.load_start, load_end=ours.load_end,
                         note="`dbt run --full-refresh` of the resolution models on the built "
                              "warehouse, process wall incl. dbt start-up and parse"))
        ours_seconds = ours.seconds
        ratio_basis = "ours re-run alone"
    else:
        tail = " ".join(ours.stdout.splitlines()[-3:])[-300:]
        rows.append(dict(customers=n, stage="identity resolution: ours, re-run alone",
                         note=f"the re-run failed, so the ratio uses the summed time: {tail}"))
    py, message = ensure_venv()
    if py is None:
        rows.append(dict(customers=n, stage="identity resolution: Splink", note=message))
        return rows
    cmd = [str(py), str(JOB), "--input", str(records), "--out", str(out),
           "--memory-limit", memory_limit]
    if sweep:
        cmd.append("--sweep")
    m = run_measured(cmd, env, ROOT, log_path=out / "splink.log")
    if m.returncode != 0:
        tail = " ".join(m.stdout.splitlines()[-3:])[-400:]
        rows.append(dict(customers=n, stage="identity resolution: Splink",
                         seconds=m.seconds, peak_rss_mb=m.peak_mb, load_start=m.load_start,
                         load_end=m.load_end, note=f"Splink job failed: {tail}"))
        return rows
    info = json.loads((out / "splink.json").read_text())
    phases = info["phases_s"]
    for thr in info["thresholds"]:
        sp, sr, sf, _ = score_clusters(
            f"select unique_id, cluster_id from read_parquet('{out / f'clusters_{thr}.parquet'}')",
            records, truth)
        primary = thr == info["primary_threshold"]
        rows.append(dict(
            customers=n,
            stage=f"identity resolution: Splink {info['splink_version']}"
                  + ("" if primary else f" at {thr} (untimed, same predictions)"),
            seconds=m.seconds if primary else None,
            ratio=(m.seconds / ours_seconds) if primary and ours_seconds else None,
            peak_rss_mb=m.peak_mb if primary else None, precision=sp, recall=sr, f1=sf,
            load_start=m.load_start if primary else None,
            load_end=m.load_end if primary else None,
            note=(f"threshold {thr}; process wall incl. Python start; phases: "
                  + ", ".join(f"{k} {v:.1f}s" for k, v in phases.items())
                  + f"; ratio = Splink / {ratio_basis}; DuckDB {info['duckdb_version']}")
                  if primary else f"threshold {thr}"))
    return rows
