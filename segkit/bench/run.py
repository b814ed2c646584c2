"""`make bench`: per size, generate -> dbt seed + build (timed, peak RSS of the process tree,
load average) -> the floor (same stages without dbt, timed the same way) -> Splink beside our
identity (at --splink-sizes) -> a daily refresh (generator --append-days 1, then dbt build on the
same warehouse) as a share of the full build. Results: a CSV + Markdown table in the results
dir, the same CSV beside docs/benchmarks.md and the generated block of that page.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import yaml

from segkit.bench import splink_compare
from segkit.bench.procmon import Measured, run_measured
from segkit.bench.results import (
    REFRESH_STAGE,
    ratio,
    render_slowest,
    run_status_counts,
    selector_paths,
    stage_seconds,
    write_results,
)

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


def _log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# dbt's console line for a finished node: "12:00:01  35 of 620 OK created sql table model ...",
# "... 36 of 620 PASS not_null_...", "... 37 of 620 SKIP test ...", "... ERROR creating ...";
# project hooks ("1 of 2 OK hook: ...") count separately and are left out
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_DBT_DONE = re.compile(r"\b(\d+) of (\d+) (OK|PASS|WARN|ERROR|FAIL|SKIP|NO-OP)\b(.*)")
PROGRESS_SECONDS = 30.0


def dbt_progress(lines: list[str], state: dict | None = None) -> dict:
    """Fold dbt console lines into {done, total, last, failed}: nodes finished so far (any
    status), the run's node count, the last finished node's name and how many errored or
    failed. Pass the returned dict back in with the next lines to continue counting."""
    st = dict(state or {"done": 0, "total": 0, "last": "", "failed": 0})
    for raw in lines:
        line = _ANSI.sub("", raw)
        if " hook: " in line:
            continue
        m = _DBT_DONE.search(line)
        if not m:
            continue
        st["done"] += 1
        st["total"] = max(st["total"], int(m.group(2)))
        # "created sql table model landing.x ....... [OK in 0.5s]" -> "landing.x"
        words = m.group(4).split(" ..")[0].split(" [")[0].split()
        st["last"] = words[-1] if words else st["last"]
        if m.group(3) in ("ERROR", "FAIL"):
            st["failed"] += 1
    return st


def progress_line(label: str, st: dict, seconds: float) -> str:
    """One progress line: '<label>: 120/620 nodes done (19%), 85 s, last: customer_rfm'."""
    share = f" ({st['done'] / st['total']:.0%})" if st["total"] else ""
    failed = f", {st['failed']} failed" if st["failed"] else ""
    last = f", last: {st['last']}" if st["last"] else ""
    return (f"{label}: {st['done']}/{st['total'] or '?'} nodes done{share}, "
            f"{seconds:.0f} s{failed}{last}")


class _LogProgress:
    """Tail a dbt log file from a thread of the bench's own process (not part of the measured
    process tree, so time and peak RSS are as without it) and print a progress line every
    `every` seconds while something new finished."""

    def __init__(self, log_path: Path, label: str, every: float | None = None):
        self.log_path, self.label = Path(log_path), label
        self.every = PROGRESS_SECONDS if every is None else every
        self.state = dbt_progress([])
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._offset, self._partial, self._t0 = 0, "", time.perf_counter()

    def __enter__(self) -> _LogProgress:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _read_new(self) -> None:
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as fh:
                fh.seek(self._offset)
                chunk = fh.read()
                self._offset = fh.tell()
        except OSError:
            return
        text = self._partial + chunk
        lines = text.split("\n")
        self._partial = lines.pop()  # an unfinished last line waits for the next read
        self.state = dbt_progress(lines, self.state)

    def _run(self) -> None:
        shown = -1
        while not self._stop.wait(self.every):
            self._read_new()
            if self.state["done"] != shown:
                shown = self.state["done"]
                _log(progress_line(self.label, self.state, time.perf_counter() - self._t0))


def run_dbt_measured(cmd: list[str], env: dict[str, str], log_path: Path, label: str) -> Measured:
    """run_measured for a long dbt command, with a progress line on stderr while it runs."""
    with _LogProgress(log_path, label):
        return run_measured(cmd, env, ROOT, log_path=log_path)


# DuckDB memory_limit for the bench: well below the machine's memory (the Python models and
# dbt's own process come on top of it), spilling to the temp dir beyond it. The same at every
# size: with 3GB the 1M build ran out of memory in two concurrent marts.
DEFAULT_MEMORY_LIMIT = "4GB"


def generator_supports_append() -> bool:
    out = subprocess.run([str(VENV_BIN / "python"), "-m", "segkit.generate", "--help"],
                         cwd=ROOT, capture_output=True, text=True)
    return "--append-days" in out.stdout


def raw_row_counts(raw: Path) -> dict[str, int]:
    """Rows per input table (Parquet or CSV, one file or a folder of parts)."""
    con = duckdb.connect()
    out: dict[str, int] = {}
    for table in ("customers", "orders", "events"):
        files = sorted(str(p) for p in list(raw.glob(f"{table}.parquet"))
                       + list(raw.glob(f"{table}/*.parquet"))
                       + list(raw.glob(f"{table}_*.parquet")))
        reader = "read_parquet"
        if not files:
            files = sorted(str(p) for p in list(raw.glob(f"{table}.csv"))
                           + list(raw.glob(f"{table}/*.csv")))
            reader = "read_csv_auto"
        if files:
            out[table] = int(con.execute(
                f"select count(*) from {reader}({files!r})").fetchall()[0][0])
    con.close()
    return out


def _env(workdir: Path, raw: Path, memory_limit: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        SEGMENTS_WAREHOUSE=str(workdir / "segments.duckdb"),
        SEGMENTS_RAW_DIR=str(raw),
        SEGMENTS_MEMORY_LIMIT=memory_limit,
        SEGMENTS_TEMP_DIR=str(workdir / "duckdb_tmp"),
        SEGMENTS_TARGET="dev",
        DBT_PROFILES_DIR=str(ROOT),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
    )
    return env


def _dbt(cmd: str, workdir: Path, *extra: str) -> list[str]:
    return [str(VENV_BIN / "dbt"), cmd, "--target-path", str(workdir / "target"),
            "--log-path", str(workdir / "logs"), *extra]


def _check(m: Measured, what: str, allow: tuple[int, ...] = (0,)) -> None:
    if m.returncode not in allow:
        tail = "\n".join(m.stdout.splitlines()[-30:])
        raise RuntimeError(f"{what} failed (exit {m.returncode}):\n{tail}")


def _measured_row(n: int, stage: str, m: Measured, **kw) -> dict:
    return dict(customers=n, stage=stage, seconds=m.seconds, peak_rss_mb=m.peak_mb,
                load_start=m.load_start, load_end=m.load_end, **kw)


def generate(n: int, seed: int, raw: Path, workdir: Path) -> dict:
    marker = raw / ".bench-generated.json"
    if marker.exists():
        info = json.loads(marker.read_text())
        if info.get("customers") == n and info.get("seed") == seed:
            info["note"] = ("data reused from an earlier bench run; time and memory as measured "
                            f"then ({info.get('at', '?')})")
            return info
    shutil.rmtree(raw, ignore_errors=True)
    _log(f"generating {n:,} customers (seed {seed})")
    m = run_measured([str(VENV_BIN / "python"), "-m", "segkit.generate", "--customers", str(n),
                      "--seed", str(seed), "--out", str(raw), "--quiet"], dict(os.environ), ROOT,
                     log_path=workdir / "generate.log")
    _check(m, "generator")
    info = dict(customers=n, seed=seed, seconds=m.seconds, peak_rss_mb=m.peak_mb,
                load_start=m.load_start, load_end=m.load_end,
                at=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()))
    marker.write_text(json.dumps(info))
    info["note"] = ""
    return info


def bench_size(n: int, args: argparse.Namespace, stage_paths: dict, rows_out: list[dict],
               flush) -> None:
    workdir = Path(args.workdir) / str(n)
    workdir.mkdir(parents=True, exist_ok=True)
    raw = workdir / "raw"
    memory_limit = args.memory_limit or DEFAULT_MEMORY_LIMIT
    env = _env(workdir, raw, memory_limit)

    def add(row: dict) -> None:
        rows_out.append(row)
        flush()

    gen = generate(n, args.seed, raw, workdir)
    counts = raw_row_counts(raw)
    add(dict(customers=n, stage="generate demo data", seconds=gen["seconds"],
             peak_rss_mb=gen["peak_rss_mb"], load_start=gen.get("load_start"),
             load_end=gen.get("load_end"),
             note=", ".join(f"{k} {v:,}" for k, v in counts.items())
             + (f"; {gen['note']}" if gen.get("note") else "")))

    for f in list(workdir.glob("segments.duckdb*")) + [workdir / "duckdb_tmp"]:
        shutil.rmtree(f, ignore_errors=True) if f.is_dir() else f.unlink(missing_ok=True)
    shutil.rmtree(workdir / "target", ignore_errors=True)
    _log(f"{n:,}: dbt seed")
    m = run_measured(_dbt("seed", workdir, "--quiet"), env, ROOT, log_path=workdir / "seed.log")
    _check(m, "dbt seed")
    add(_measured_row(n, "dbt seed", m, note="not part of the build or the floor"))

    _log(f"{n:,}: dbt build (memory_limit {memory_limit})")
    build = run_dbt_measured(_dbt("build", workdir), env, workdir / "build.log",
                             f"{n:,}: dbt build")
    _check(build, "dbt build", allow=(0, 1))
    results = json.loads((workdir / "target" / "run_results.json").read_text())
    manifest = json.loads((workdir / "target" / "manifest.json").read_text())
    shutil.copy(workdir / "target" / "run_results.json", workdir / "run_results_full.json")
    dbt_s = stage_seconds(results, manifest, stage_paths)
    slowest = Path(args.results_dir or Path(args.workdir) / "results") / f"slowest-{n}.md"
    slowest.parent.mkdir(parents=True, exist_ok=True)
    slowest.write_text(render_slowest(f"{n:,} customers: slowest nodes of the full build",
                                      results))
    status = run_status_counts(results)
    status_note = ", ".join(f"{k} {v}" for k, v in sorted(status.items()))
    _log(f"{n:,}: dbt build {build.seconds:.0f}s, peak {build.peak_mb:.0f} MB ({status_note})")
    # saved before the floor, so --floor-only / --refresh-only can go on from this build
    build_info = {"seconds": build.seconds, "peak_rss_mb": build.peak_mb,
                  "load_start": build.load_start, "load_end": build.load_end,
                  "memory_limit": memory_limit, "status_note": status_note}
    (workdir / "full_build.json").write_text(json.dumps(build_info))
    floor_and_rows(n, args, workdir, env, stage_paths, build_info, dbt_s, add)

    if n in args.splink_sizes and not args.no_splink:
        _log(f"{n:,}: Splink comparison")
        for row in splink_compare.compare(
                n, workdir, workdir / "segments.duckdb", raw, env,
                dbt_s.get("identity_resolution"), memory_limit):
            add(row)

    if not args.no_refresh:
        refresh(n, args, workdir, raw, env, counts, build.seconds, add)


def floor_and_rows(n: int, args: argparse.Namespace, workdir: Path, env: dict[str, str],
                   stage_paths: dict, build: dict, dbt_s: dict[str, float], add) -> None:
    """The floor on the build in `workdir` (unless --no-floor), then the stage rows, the
    whole-build row and the floor row."""
    floor_s: dict[str, float] = {}
    floor_m: Measured | None = None
    if not args.no_floor:
        _log(f"{n:,}: floor (compiled SQL in DuckDB + direct segkit.ml calls)")
        floor_m = run_measured(
            [str(VENV_BIN / "python"), "-m", "segkit.bench.floor",
             "--build-db", str(workdir / "segments.duckdb"), "--target", str(workdir / "target"),
             "--floor-db", str(workdir / "floor" / "segments.duckdb"),
             "--out", str(workdir / "floor.json")], env, ROOT, log_path=workdir / "floor.log")
        _check(floor_m, "floor")
        floor_s = json.loads((workdir / "floor.json").read_text())

    for stage in (*stage_paths, "other"):
        if stage in dbt_s or stage in floor_s:
            ml_peak = floor_s.get("ml_peak_rss_mb") if stage == "ml" else None
            add(dict(customers=n, stage=f"stage {stage}", seconds=dbt_s.get(stage),
                     floor_seconds=floor_s.get(stage),
                     ratio=ratio(dbt_s.get(stage), floor_s.get(stage)),
                     peak_rss_mb=ml_peak,
                     note="summed model execution_time (run_results.json) vs the same "
                          "models' SQL / segkit.ml calls in the floor"
                          + ("; peak RSS = the floor's segkit.ml calls in a process of "
                             "their own (dbt runs them inside its process: see the whole "
                             "build's peak)" if ml_peak else "")))
    add(dict(customers=n, stage="dbt data + unit tests", seconds=dbt_s.get("tests"),
             note="summed execution_time; the floor runs no tests"))
    add(dict(customers=n, stage="all models (summed execution_time)",
             seconds=dbt_s.get("models"), floor_seconds=floor_s.get("models"),
             ratio=ratio(dbt_s.get("models"), floor_s.get("models")),
             note="work, not wall: 2 dbt threads can overlap"))
    add(dict(customers=n, stage="whole dbt build", seconds=build["seconds"],
             peak_rss_mb=build["peak_rss_mb"], load_start=build.get("load_start"),
             load_end=build.get("load_end"), floor_seconds=floor_s.get("models"),
             ratio=ratio(build["seconds"], floor_s.get("models")),
             note=f"wall incl. tests; ratio = wall / floor's summed stages; "
                  f"memory_limit {build.get('memory_limit')}; {build.get('status_note', '')}"
                  + (f"; {build['note']}" if build.get("note") else "")))
    if floor_m is not None:
        add(_measured_row(n, "floor (one process, no dbt)", floor_m,
                          note="wall incl. untimed copies of seeds, snapshots and "
                               "Python-model outputs"))


def floor_only(n: int, args: argparse.Namespace, stage_paths: dict, rows_out: list[dict],
               flush) -> None:
    """--floor-only: the floor and the build-vs-floor rows for an earlier full build in
    workdir (its full_build.json, run_results_full.json and target/)."""
    workdir = Path(args.workdir) / str(n)
    full = workdir / "full_build.json"
    if not full.exists() or not (workdir / "run_results_full.json").exists():
        raise SystemExit(f"--floor-only needs a full build in {workdir} first")
    build = json.loads(full.read_text())
    build["note"] = ((build.get("note") + "; ") if build.get("note") else "") + (
        "floor run afterwards with --floor-only on this build")
    results = json.loads((workdir / "run_results_full.json").read_text())
    manifest = json.loads((workdir / "target" / "manifest.json").read_text())
    env = _env(workdir, workdir / "raw", args.memory_limit or build.get("memory_limit")
               or DEFAULT_MEMORY_LIMIT)

    def add(row: dict) -> None:
        rows_out.append(row)
        flush()

    floor_and_rows(n, args, workdir, env, stage_paths, build,
                   stage_seconds(results, manifest, stage_paths), add)


def _link_or_copy(src: str, dst: str) -> None:
    """Parquet files are never rewritten in place (the generator appends new part files and
    replaces truth files by rename), so the refresh copy hard-links them: no 10 GB copy at
    10M customers. Everything else is copied."""
    if src.endswith(".parquet"):
        try:
            os.link(src, dst)
            return
        except OSError:
            pass
    shutil.copy2(src, dst)


def refresh(n: int, args: argparse.Namespace, workdir: Path, raw: Path, env: dict[str, str],
            counts: dict[str, int], full_seconds: float, add) -> None:
    """Append N days of new data to the raw data **at the same path** the full build read,
    then `dbt build` on the full build's warehouse (incremental models process the new rows
    only); time as a share of the full build.

    The path must not change: a row's identity (source_row_id) includes its file's path, and a
    refresh over a copy elsewhere would stage every row a second time (the incremental models
    now stop with an error there, docs/refresh.md). So the pristine data is moved aside,
    a hard-linked copy takes its place for the append, and the pristine data is put back
    afterwards, so a later bench run can reuse it."""
    if not generator_supports_append():
        add(dict(customers=n, stage=REFRESH_STAGE,
                 note="not measured: segkit.generate has no --append-days on this checkout"))
        return
    pristine = workdir / "raw_pristine"
    if pristine.exists():  # an interrupted earlier refresh: its pristine copy is the truth
        shutil.rmtree(raw, ignore_errors=True)
        pristine.rename(raw)
    shutil.rmtree(workdir / "refresh_raw", ignore_errors=True)  # layout of earlier versions
    raw.rename(pristine)
    try:
        shutil.copytree(pristine, raw, copy_function=_link_or_copy)
        _refresh_in_place(n, args, workdir, raw, env, counts, full_seconds, add)
    finally:
        shutil.rmtree(raw, ignore_errors=True)
        pristine.rename(raw)


def _refresh_in_place(n: int, args: argparse.Namespace, workdir: Path, raw: Path,
                      env: dict[str, str], counts: dict[str, int], full_seconds: float,
                      add) -> None:
    _log(f"{n:,}: append {args.append_days} day(s) of data")
    app = run_measured([str(VENV_BIN / "python"), "-m", "segkit.generate", "--append-days",
                        str(args.append_days), "--seed", str(args.seed),
                        "--out", str(raw), "--quiet"], dict(os.environ), ROOT,
                       log_path=workdir / "append.log")
    _check(app, "generator --append-days")
    after = raw_row_counts(raw)
    grown = ", ".join(f"{k} +{after.get(k, 0) - v:,} ({(after.get(k, 0) - v) / max(v, 1):.1%})"
                      for k, v in counts.items())
    add(_measured_row(n, f"refresh: generate --append-days {args.append_days}", app,
                      note=grown))
    _log(f"{n:,}: refresh dbt build")
    ref = run_dbt_measured(_dbt("build", workdir, *args.refresh_args.split()), env,
                           workdir / "refresh.log", f"{n:,}: refresh dbt build")
    _check(ref, "refresh dbt build", allow=(0, 1))
    rres = json.loads((workdir / "target" / "run_results.json").read_text())
    shutil.copy(workdir / "target" / "run_results.json", workdir / "run_results_refresh.json")
    rstat = ", ".join(f"{k} {v}" for k, v in sorted(run_status_counts(rres).items()))
    selection = selection_note((workdir / "refresh.log").read_text(errors="replace"))
    add(_measured_row(n, REFRESH_STAGE, ref,
                      ratio=ratio(ref.seconds, full_seconds),
                      note=f"`dbt build {args.refresh_args}` on the full build's warehouse, "
                           f"raw data appended in place; ratio = refresh / full build wall "
                           f"({full_seconds:.0f} s); {rstat}"
                           + (f"; {selection}" if selection else "")))


_SELECTION_LINE = re.compile(
    r"^(cluster_model_selection|model_metrics): (k sweep|no k sweep|evaluation|no evaluation)"
    r" \((.*)\)\s*$", re.MULTILINE)


def selection_note(log: str) -> str:
    """What the refresh did about model selection (the lines the two selection models print,
    docs/refresh.md): e.g. "model selection re-run (stored selection is 7 days old (>= 7))"
    or "model selection kept (...)"; empty when the log has no such line."""
    found = {m.group(1): (not m.group(2).startswith("no "), m.group(3))
             for m in _SELECTION_LINE.finditer(log)}
    if not found:
        return ""
    parts = [f"{name} {'re-run' if ran else 'kept'} ({why})" for name, (ran, why)
             in sorted(found.items())]
    return "model selection: " + "; ".join(parts)


def splink_only(n: int, args: argparse.Namespace, rows_out: list[dict], flush) -> None:
    """--splink-only: build just what identity resolution needs (`dbt run` of
    +customer_identity_map, untimed prep) and put Splink beside our resolution models."""
    workdir = Path(args.workdir) / str(n)
    workdir.mkdir(parents=True, exist_ok=True)
    raw = workdir / "raw"
    memory_limit = args.memory_limit or DEFAULT_MEMORY_LIMIT
    env = _env(workdir, raw, memory_limit)
    generate(n, args.seed, raw, workdir)
    for f in list(workdir.glob("segments.duckdb*")):
        f.unlink(missing_ok=True)
    _log(f"{n:,}: dbt seed + run +customer_identity_map (prep for the Splink comparison)")
    _check(run_measured(_dbt("seed", workdir, "--quiet"), env, ROOT,
                        log_path=workdir / "seed.log"), "dbt seed")
    prep = run_dbt_measured(_dbt("run", workdir, "--select", "+customer_identity_map"), env,
                            workdir / "identity_prep.log", f"{n:,}: dbt run +customer_identity_map")
    _check(prep, "dbt run +customer_identity_map")
    results = json.loads((workdir / "target" / "run_results.json").read_text())
    manifest = json.loads((workdir / "target" / "manifest.json").read_text())
    stage_paths = selector_paths(yaml.safe_load((ROOT / "selectors.yml").read_text()))
    ours = stage_seconds(results, manifest, stage_paths).get("identity_resolution")
    for row in splink_compare.compare(n, workdir, workdir / "segments.duckdb", raw, env, ours,
                                      memory_limit):
        rows_out.append(row)
        flush()


def refresh_only(n: int, args: argparse.Namespace, rows_out: list[dict], flush) -> None:
    """--refresh-only: the refresh after an earlier full build of the same code in workdir."""
    workdir = Path(args.workdir) / str(n)
    full = workdir / "full_build.json"
    seconds = args.full_build_seconds or (
        json.loads(full.read_text())["seconds"] if full.exists() else None)
    if seconds is None or not (workdir / "segments.duckdb").exists():
        raise SystemExit(f"--refresh-only needs a full build in {workdir} first")
    raw = workdir / "raw"
    env = _env(workdir, raw, args.memory_limit or DEFAULT_MEMORY_LIMIT)

    def add(row: dict) -> None:
        rows_out.append(row)
        flush()

    refresh(n, args, workdir, raw, env, raw_row_counts(raw), float(seconds), add)


def header(args: argparse.Namespace) -> str:
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024 ** 3
    commit = os.environ.get("BENCH_COMMIT") or subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
        text=True).stdout.strip() or "unknown"
    return (
        "## Measured (generated by `make bench`)\n\n"
        f"Last written {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} at commit "
        f"`{commit}` on {os.cpu_count()} cores, {mem_gb:.0f} GB RAM, Python "
        f"{platform.python_version()}, dbt threads 2. **This machine is shared: other "
        "processes run during the bench**; the 1-minute load average at the start and end of "
        "each measured step is in the table (load above the core count means the step shared "
        "the CPUs). Seconds are wall time unless the note says summed execution_time. Peak RSS "
        "is the summed RSS of the measured process tree (polled every 0.2 s) or the kernel's "
        "per-process maximum, whichever is larger. Rows of other sizes come from earlier runs "
        "(see their load and the note on reused data)."
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="dbt build vs. the floor; Splink; daily refresh")
    p.add_argument("--sizes", default=os.environ.get("BENCH_CUSTOMERS") or "100000,1000000",
                   help="comma-separated customer counts (env BENCH_CUSTOMERS)")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--workdir", default=str(ROOT / "bench_out"))
    p.add_argument("--results-dir", default=None, help="default: <workdir>/results")
    p.add_argument("--doc", default=str(ROOT / "docs" / "benchmarks.md"))
    p.add_argument("--no-doc", action="store_true", help="do not touch docs/benchmarks.*")
    p.add_argument("--memory-limit", default=None,
                   help="DuckDB memory_limit (default 4GB)")
    p.add_argument("--splink-sizes", default="100000")
    # 7 days ~ the "1% new data" (one day of the demo is ~0.3% of customers,
    # 0.15% of orders, 0.1% of events: docs/benchmarks.md)
    p.add_argument("--append-days", type=int, default=7)
    p.add_argument("--no-floor", action="store_true")
    p.add_argument("--no-splink", action="store_true")
    p.add_argument("--no-refresh", action="store_true")
    p.add_argument("--refresh-args", default="--exclude-resource-type unit_test",
                   help="dbt arguments of the refresh build; default as `make refresh` "
                        "(REFRESH_ARGS in the Makefile): no unit tests")
    p.add_argument("--refresh-only", action="store_true",
                   help="only the refresh, after an earlier full build in --workdir; its rows "
                        "are merged into the results of that size")
    p.add_argument("--floor-only", action="store_true",
                   help="only the floor, after an earlier full build in --workdir; the "
                        "build-vs-floor rows are merged into the results of that size")
    p.add_argument("--splink-only", action="store_true",
                   help="only the Splink comparison (builds just +customer_identity_map)")
    p.add_argument("--full-build-seconds", type=float, default=None,
                   help="with --refresh-only: the full build's wall seconds (default: "
                        "<workdir>/N/full_build.json)")
    args = p.parse_args(argv)
    args.splink_sizes = {int(s) for s in str(args.splink_sizes).split(",") if s}
    results_dir = Path(args.results_dir or Path(args.workdir) / "results")
    doc = None if args.no_doc else Path(args.doc)
    stage_paths = selector_paths(yaml.safe_load((ROOT / "selectors.yml").read_text()))
    rows: list[dict] = []
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())

    def flush() -> None:
        # after every step, so a long run that is stopped still leaves its numbers
        by_stage = args.refresh_only or args.splink_only or args.floor_only
        write_results(rows, results_dir / "results.csv", results_dir / "results.md", None,
                      header(args), by_stage=by_stage)
        (results_dir / f"run-{stamp}.json").write_text(json.dumps(rows, indent=1, default=str))
        if doc is not None:
            write_results(rows, doc.with_suffix(".csv"), results_dir / "doc_block.md", doc,
                          header(args), by_stage=by_stage)

    for n in [int(s) for s in args.sizes.split(",") if s]:
        if args.refresh_only:
            refresh_only(n, args, rows, flush)
        elif args.splink_only:
            splink_only(n, args, rows, flush)
        elif args.floor_only:
            floor_only(n, args, stage_paths, rows, flush)
        else:
            bench_size(n, args, stage_paths, rows, flush)
    _log(f"wrote {results_dir}" + (f" and {doc}" if doc else ""))
    return 0
