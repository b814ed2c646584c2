"""Fault injection (RELIABILITY.md K1-K15, docs/reliability.md): each scenario with the outcome
it must have, on the 2,000-customer demo data.

The reference is the session's `demo_build` (seed + build of the demo data): its marts'
order-free fingerprint (segkit.warehouse.fingerprint) is what every rerun after a fault must
give again, and its published copy (segkit.publish) is what a failed build must leave alone.

Quick ones run in `make test`; the ones marked `chaos` (20 kills, disk full, corrupt WAL
rebuild, machine time zone) only in `make chaos`. Fault builds leave the YAML unit tests out
(`--exclude resource_type:unit_test`): they never read or write the warehouse's tables and
take a third of a build.

Secrets (K15) and the 10M-customer scale run are tested elsewhere (see docs/reliability.md).
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from segkit import publish, warehouse
from tests.python.dbt_helpers import (
    DBT,
    ROOT,
    current_snapshot_duplicates,
    dbt_env,
    run_dbt,
    tail,
)
from tests.python.test_warehouse import corrupt_file

pytestmark = pytest.mark.dbt

SEED = 20261124
NO_UNIT = ["--exclude", "resource_type:unit_test"]
# a slice of the DAG with children of every kind (SQL marts, history models, the snapshot,
# data tests): the scenarios that need "a build" but not a whole one build this
SLICE = ["--select", "customer_rfm+"]
START = re.compile(r"\b(\d+) of (\d+) START (.*?)\s*\.{2,}")


# --------------------------------------------------------------------------------------------
# the reference build and its published copy
# --------------------------------------------------------------------------------------------
def fingerprint_of(path: Path) -> dict[str, str]:
    with warehouse.read_only(path) as con:
        return warehouse.fingerprint(con)


def leftovers_of(path: Path) -> list[str]:
    with warehouse.read_only(path) as con:
        return warehouse.leftover_relations(con)


@dataclass
class Reference:
    warehouse: Path
    raw_dir: Path
    marts: dict[str, str]
    published: Path  # the published/ folder (current -> a release)
    release: Path  # what current pointed to after the green build
    published_marts: dict[str, str]


@pytest.fixture(scope="module")
def reference(demo_build, tmp_path_factory) -> Reference:
    marts = fingerprint_of(demo_build.warehouse)
    assert len(marts) > 10 and all(not v.startswith("rows:0 ") for k, v in marts.items()
                                   if k in ("fct_orders", "customer_segments"))
    out = tmp_path_factory.mktemp("faults_published") / "published"
    publish.publish(demo_build.warehouse, out, {"invocation_id": "reference"})
    release = (out / "current").resolve()
    return Reference(demo_build.warehouse, demo_build.raw_dir, marts, out, release,
                     fingerprint_of(out / "current" / "segments.duckdb"))


def copy_of_reference(ref: Reference, dst: Path) -> Path:
    dst.mkdir(parents=True, exist_ok=True)
    wh = dst / "w.duckdb"
    shutil.copyfile(ref.warehouse, wh)
    assert not warehouse.wal_path(ref.warehouse).exists()
    return wh


def assert_published_unchanged(ref: Reference, run_results: Path) -> None:
    """publish after this (red) build refuses, and the published copy is the green one."""
    code = publish.main(["--warehouse", str(ref.warehouse), "--out", str(ref.published),
                         "--run-results", str(run_results)])
    assert code == 1, "a red build must publish nothing"
    assert (ref.published / "current").resolve() == ref.release
    assert fingerprint_of(ref.published / "current" / "segments.duckdb") == ref.published_marts


# Marts measured NOT to be deterministic between two identical builds: compared by row count
# and columns only, until fixed (docs/reliability.md, "What is not proven"). Empty: model_metrics
# (permutation importance of the threaded random forest) and model_runs (hashes it) were here
# until the forest predicted on one thread (segkit/ml/churn.py::_fit, DECISIONLOG.md).
KNOWN_UNSTABLE: dict[str, str] = {}


def _comparable(table: str, fp: str | None) -> str | None:
    if fp is None or table not in KNOWN_UNSTABLE:
        return fp
    return fp.split(" data:")[0]


def assert_converged(ref: Reference, wh: Path) -> None:
    """Every mart of the reference build is there with the same fingerprint. (A mart the
    reference lacks is ignored: in a shared checkout a model can be added between the two
    builds.)"""
    got = fingerprint_of(wh)
    diff = {t: (got.get(t), want) for t, want in ref.marts.items()
            if _comparable(t, got.get(t)) != _comparable(t, want)}
    assert not diff, f"marts differ from the reference build (got, reference): {diff}"


def statuses(work: Path) -> dict[str, tuple[str, str]]:
    results = json.loads((work / "target" / "run_results.json").read_text())["results"]
    return {r["unique_id"]: (r["status"], r.get("message") or "") for r in results}


def descendants(work: Path, uid: str) -> set[str]:
    child_map = json.loads((work / "target" / "manifest.json").read_text())["child_map"]
    seen, todo = set(), [uid]
    while todo:
        for c in child_map.get(todo.pop(), []):
            if c not in seen:
                seen.add(c)
                todo.append(c)
    return seen


def assert_healthy_after_fault(wh: Path, work: Path) -> None:
    """The file opens (a leftover WAL replays), no half-swapped relations, <= 1 current
    snapshot row per key."""
    health = warehouse.check(wh)
    assert health.usable, health.message
    if not wh.exists():
        return
    assert leftovers_of(wh) == [], "temp / backup relations left behind"
    manifest = work / "target" / "manifest.json"
    if manifest.exists():
        dups = current_snapshot_duplicates(wh, manifest)
        assert not any(dups.values()), f"snapshot keys with > 1 current row: {dups}"


# --------------------------------------------------------------------------------------------
# K1: kill -9 anywhere
# --------------------------------------------------------------------------------------------
def kill_build_at(wh: Path, raw: Path, work: Path, fraction: float, jitter: float) -> str:
    """Start `dbt build`; when node number ceil(fraction * total) STARTs, wait `jitter` s and
    SIGKILL the process group. Returns the node running when killed ('finished' if the build
    ended first)."""
    cmd = [str(DBT), "build", *NO_UNIT, "--target-path", str(work / "target"),
           "--log-path", str(work / "logs")]
    env = dbt_env(wh, raw, {"PYTHONUNBUFFERED": "1"})
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    timer: threading.Timer | None = None
    killed_at = "finished"
    lines: list[str] = []
    try:
        for line in proc.stdout:
            lines.append(line)
            m = START.search(line)
            if not m or timer is not None or " START hook" in line:  # on-run-start/-end hooks
                continue
            n, total = int(m[1]), int(m[2])
            if n >= max(1, round(fraction * total)):
                killed_at = f"{n}/{total} {m[3]} +{jitter:.2f}s"
                timer = threading.Timer(jitter, os.killpg, (proc.pid, signal.SIGKILL))
                timer.start()
        proc.wait(timeout=900)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        if timer is not None:
            timer.join()
    if proc.returncode != -signal.SIGKILL:
        # not killed: only a build that got to its end green is acceptable here
        assert proc.returncode == 0, f"dbt build failed by itself:\n{tail(''.join(lines))}"
        killed_at = f"finished before the kill ({killed_at})"
    return killed_at


@pytest.mark.parametrize("kills", [pytest.param(3, id="x3"),
                                   pytest.param(20, id="x20", marks=pytest.mark.chaos)])
def test_kill9_at_random_points_then_rerun_converges(reference, tmp_path, kills):
    """K1: kill -9 at seeded random nodes (seed, SQL / Python model, test, snapshot), one after
    the other on the same file (the first on an empty warehouse); after each: the file opens,
    no __dbt_tmp / __dbt_backup relation, <= 1 current snapshot row per key. Then a rerun is
    green and its marts equal the reference build's (this is also K7: no double rows)."""
    rng = random.Random(SEED + kills)
    wh = tmp_path / "w.duckdb"
    log = []
    for _ in range(kills):
        point = kill_build_at(wh, reference.raw_dir, tmp_path, rng.random(), rng.uniform(0, 1.5))
        log.append(point)
        assert_healthy_after_fault(wh, tmp_path)
    print("killed at:\n  " + "\n  ".join(log))
    code, out = run_dbt(["build", *NO_UNIT], wh, reference.raw_dir, work=tmp_path)
    assert code == 0, tail(out)
    assert_healthy_after_fault(wh, tmp_path)
    assert_converged(reference, wh)
    assert sum(not p.startswith("finished") for p in log) >= kills - 1, log


@pytest.mark.parametrize("model", ["customer_clv", "customer_clusters", "dim_customers"])
def test_a_fault_between_write_and_commit_leaves_no_relation_behind(reference, tmp_path, model):
    """K1, the window the x20 kill test found (docs/reliability.md): a table model fails
    inside its transaction, after its new table was written and swapped in and before the
    commit, as a kill -9 at that moment would stop it (fault_injection_point). Nothing may be
    left: no `__dbt_tmp` / `__dbt_backup` relation, and the model's table as it was. With
    dbt-duckdb's own table materialization a Python model (customer_clv, customer_clusters)
    left `<model>__dbt_tmp`: its frame was written and committed on a second connection
    before the swap's transaction began (macros/engines/duckdb/table_materialization.sql).
    dim_customers is a SQL table model, for comparison."""
    wh = copy_of_reference(reference, tmp_path)
    code, out = run_dbt(["run", "--select", model, "--vars",
                         json.dumps({"test__fail_inside_transaction_of": model})],
                        wh, reference.raw_dir, work=tmp_path)
    assert code != 0, tail(out)
    assert "fault injected inside the transaction" in out, tail(out)
    # a failed model, unlike a killed one, still reaches the on-run-end cleanup
    # (drop_leftover_dbt_relations), which logs each relation it has to drop
    assert "dropping leftover" not in out, tail(out)
    assert leftovers_of(wh) == [], "the fault left a temp / backup relation"
    got = fingerprint_of(wh)
    assert got.get(model) == reference.marts[model], f"{model} changed after the fault"
    # the same model without the fault swaps in cleanly
    code, out = run_dbt(["run", "--select", model], wh, reference.raw_dir, work=tmp_path)
    assert code == 0, tail(out)
    assert leftovers_of(wh) == []
    assert fingerprint_of(wh).get(model) == reference.marts[model]


# --------------------------------------------------------------------------------------------
# K6 (and K5): two builds at once
# --------------------------------------------------------------------------------------------
def test_second_build_at_once_fails_on_the_lock_and_nothing_doubles(reference, tmp_path):
    wh = copy_of_reference(reference, tmp_path)
    first_work, second_work = tmp_path / "first", tmp_path / "second"
    # parse the second build's project first (dbt parse opens no warehouse), so that it starts
    # within seconds while the first build still holds the file
    code, out = run_dbt(["parse"], wh, reference.raw_dir, work=second_work)
    assert code == 0, tail(out)
    # the first build is the whole project, not the slice: it must still hold the file when
    # the second one opens it, also on a loaded machine (make test runs two pytest workers;
    # with the slice, the first build once finished before the second reached the file)
    cmd = [str(DBT), "build", *NO_UNIT, "--target-path", str(first_work / "target"),
           "--log-path", str(first_work / "logs")]
    first = subprocess.Popen(cmd, cwd=ROOT, env=dbt_env(wh, reference.raw_dir,
                                                        {"PYTHONUNBUFFERED": "1"}),
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = []
    try:
        for line in first.stdout:  # the first build has opened the file once a node started
            lines.append(line)
            if START.search(line):
                break
        assert first.poll() is None, "".join(lines)
        started = time.monotonic()
        code, out = run_dbt(["build", *SLICE, *NO_UNIT], wh, reference.raw_dir, work=second_work)
        elapsed = time.monotonic() - started
        rest = first.stdout.read()
        first.wait(timeout=900)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    assert code != 0, "the second build must fail"
    assert "Could not set lock" in out and f"PID {first.pid}" in out, tail(out)
    assert elapsed < 120, elapsed
    # check() naming a lock holder is proven in test_warehouse.py with a held connection: a
    # running dbt build does not hold the file between connections, so asserting it here raced
    assert first.returncode == 0, tail("".join(lines) + rest)
    assert_healthy_after_fault(wh, first_work)
    assert_converged(reference, wh)


# --------------------------------------------------------------------------------------------
# K4 / K3: out of memory, disk full
# --------------------------------------------------------------------------------------------
def test_out_of_memory_is_a_clean_error_and_a_rerun_converges(reference, tmp_path):
    """K4: memory_limit far below the need and no room to spill -> DuckDB's 'Out of Memory
    Error' names the cause, no table is half written, nothing is published; with the limit
    back the same build converges."""
    wh = copy_of_reference(reference, tmp_path)
    starved = {"SEGMENTS_MEMORY_LIMIT": "4MB", "SEGMENTS_MAX_TEMP": "1MB"}
    code, out = run_dbt(["build", *SLICE, *NO_UNIT], wh, reference.raw_dir, env=starved,
                        work=tmp_path)
    assert code != 0
    assert "Out of Memory Error" in out, tail(out)
    assert_healthy_after_fault(wh, tmp_path)
    assert_converged(reference, wh)  # the old tables stay whole
    assert_published_unchanged(reference, tmp_path / "target" / "run_results.json")
    code, out = run_dbt(["build", *SLICE, *NO_UNIT], wh, reference.raw_dir, work=tmp_path)
    assert code == 0, tail(out)
    assert_converged(reference, wh)


def _mount_tmpfs(where: Path, size_kb: int) -> bool:
    where.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(where)],
                          capture_output=True, text=True)
    return proc.returncode == 0


@pytest.mark.chaos
def test_disk_full_is_a_clean_error_and_a_rerun_after_freeing_space_converges(reference,
                                                                               tmp_path):
    """K3: the warehouse on a tmpfs with ~1 MB free (or, where tmpfs cannot be mounted, the
    DuckDB temp directory capped at 1 MB with little memory: the message names the limit).
    A clean IO error naming the file and the cause; the published copy untouched; more
    space, rerun, same marts."""
    disk = tmp_path / "disk"
    size_kb = reference.warehouse.stat().st_size // 1024 + 1024
    mounted = _mount_tmpfs(disk, size_kb)
    try:
        wh = copy_of_reference(reference, disk)
        if mounted:
            env = {"SEGMENTS_TEMP_DIR": str(disk / "duckdb_tmp")}
        else:  # fallback: the spill directory is what runs full
            env = {"SEGMENTS_MEMORY_LIMIT": "24MB", "SEGMENTS_MAX_TEMP": "1MB"}
        code, out = run_dbt(["build", *NO_UNIT], wh, reference.raw_dir, env=env, work=tmp_path)
        print("disk full via", "tmpfs" if mounted else "max_temp_directory_size")
        assert code != 0
        if mounted:
            assert "No space left on device" in out and str(disk) in out, tail(out)
        else:
            assert "max_temp_directory_size" in out, tail(out)
        assert_healthy_after_fault(wh, tmp_path)
        assert_published_unchanged(reference, tmp_path / "target" / "run_results.json")
        if mounted:  # free space: grow the file system
            subprocess.run(["mount", "-o", f"remount,size={size_kb * 4}k", str(disk)], check=True)
            env = {"SEGMENTS_TEMP_DIR": str(disk / "duckdb_tmp")}
        else:
            env = {}
        code, out = run_dbt(["build", *NO_UNIT], wh, reference.raw_dir, env=env, work=tmp_path)
        assert code == 0, tail(out)
        assert_converged(reference, wh)
    finally:
        if mounted:
            subprocess.run(["umount", str(disk)], check=False)


# --------------------------------------------------------------------------------------------
# K11 / K12: a failing test, a raising Python model
# --------------------------------------------------------------------------------------------
INJECTED_TEST = "tests/singular/zz_fault_injected_failure.sql"
INJECTED_MESSAGE = "fault injected by test_faults"
IGNORE = shutil.ignore_patterns(".git", ".venv*", ".secrets", "target", "logs", "warehouse",
                                "data", "reports", "dbt_packages", "python", "__pycache__")


@pytest.fixture(scope="module")
def faulty_project(tmp_path_factory) -> Path:
    """A copy of the project with a data test that always fails (on customer_rfm) and a Python
    model (customer_outliers) that raises."""
    project = tmp_path_factory.mktemp("faulty") / "project"
    shutil.copytree(ROOT, project, ignore=IGNORE)
    (project / INJECTED_TEST).write_text(
        "-- always fails: every customer is returned\n"
        "select customer_key from {{ ref('customer_rfm') }}\n")
    model = project / "python_models" / "ml" / "customer_outliers.py"
    text = model.read_text()
    head = '    dbt.config(materialized="table")\n'
    assert head in text
    model.write_text(text.replace(head, head + f"    raise RuntimeError({INJECTED_MESSAGE!r})\n"))
    return project


def test_failing_test_skips_downstream_and_publishes_nothing(reference, faulty_project,
                                                             tmp_path):
    """K11: a data test fails mid-build -> everything downstream of its model SKIPs, the
    published copy stays at the last green build, the marts are the old ones."""
    wh = copy_of_reference(reference, tmp_path)
    code, out = run_dbt(["build", *SLICE, *NO_UNIT], wh, reference.raw_dir,
                        project_dir=faulty_project, work=tmp_path)
    assert code != 0
    status = statuses(tmp_path)
    failed = [u for u, (s, _) in status.items() if "zz_fault_injected_failure" in u]
    assert failed and status[failed[0]][0] == "fail", status.get(failed[0] if failed else "")
    downstream = {u for u in descendants(tmp_path, "model.customer_segments.customer_rfm")
                  if u in status and not u.startswith("test.")}
    assert downstream, "customer_rfm has children in the slice"
    not_skipped = {u: status[u][0] for u in downstream if status[u][0] != "skipped"}
    assert not not_skipped, not_skipped
    assert_healthy_after_fault(wh, tmp_path)
    assert_converged(reference, wh)
    assert_published_unchanged(reference, tmp_path / "target" / "run_results.json")


def test_raising_python_model_keeps_its_old_table_and_skips_children(reference, faulty_project,
                                                                     tmp_path):
    """K12: customer_outliers raises -> that model errors (the message is in the output), its
    old table stays, its children SKIP, nothing is published."""
    wh = copy_of_reference(reference, tmp_path)
    code, out = run_dbt(["build", "--select", "customer_outliers+", *NO_UNIT], wh,
                        reference.raw_dir, project_dir=faulty_project, work=tmp_path)
    assert code != 0
    assert INJECTED_MESSAGE in out, tail(out)
    status = statuses(tmp_path)
    uid = "model.customer_segments.customer_outliers"
    assert status[uid][0] == "error", status[uid]
    children = {u for u in descendants(tmp_path, uid) if u in status}
    assert any(u.startswith("model.") for u in children)
    not_skipped = {u: status[u][0] for u in children if status[u][0] != "skipped"}
    assert not not_skipped, not_skipped
    assert_healthy_after_fault(wh, tmp_path)
    assert_converged(reference, wh)  # customer_outliers included: the old table is whole
    assert_published_unchanged(reference, tmp_path / "target" / "run_results.json")


# --------------------------------------------------------------------------------------------
# K2 end to end, K13 time zone (chaos: each a whole build)
# --------------------------------------------------------------------------------------------
@pytest.mark.chaos
def test_corrupt_wal_on_the_warehouse_then_documented_recovery_converges(reference, tmp_path):
    """K2: a damaged WAL on the real warehouse: the build's preflight (make build runs
    `python -m segkit.warehouse check`) stops with the message, dbt itself cannot open the
    file either; `recover` + a build from raw gives the reference marts."""
    wh = copy_of_reference(reference, tmp_path)
    con = duckdb.connect(str(wh))
    con.execute("pragma disable_checkpoint_on_shutdown")
    con.execute("set checkpoint_threshold = '10GB'")
    con.execute("create or replace table marts.customer_rfm as "
                "select * from marts.customer_rfm order by customer_key desc")
    con.close()
    corrupt_file(warehouse.wal_path(wh), 0.5)
    check = subprocess.run([sys.executable, "-m", "segkit.warehouse", "check", "--warehouse",
                            str(wh)], cwd=ROOT, capture_output=True, text=True)
    assert check.returncode == 2 and "write-ahead log" in check.stderr, check.stderr
    code, out = run_dbt(["build", *NO_UNIT], wh, reference.raw_dir, work=tmp_path)
    assert code != 0 and "Failure while replaying WAL" in out, tail(out)
    assert warehouse.main(["recover", "--warehouse", str(wh)]) == 0
    code, out = run_dbt(["build", *NO_UNIT], wh, reference.raw_dir, work=tmp_path)
    assert code == 0, tail(out)
    assert_converged(reference, wh)


@pytest.mark.chaos
def test_machine_time_zone_does_not_change_the_marts(reference, tmp_path):
    """K13: the same build with the process time zone far from the reference's gives the same
    marts (the profile sets DuckDB's TimeZone to UTC)."""
    here = time.strftime("%z")
    zone = "Asia/Tokyo" if here != "+0900" else "America/New_York"
    wh = tmp_path / "w.duckdb"
    code, out = run_dbt(["build", *NO_UNIT], wh, reference.raw_dir, env={"TZ": zone},
                        work=tmp_path)
    assert code == 0, tail(out)
    assert_converged(reference, wh)
