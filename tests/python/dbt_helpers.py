"""Helpers for tests that run dbt for real: one build = one warehouse file in a temp folder.

Usage::

    from tests.python.dbt_helpers import materialize_raw_dir, query, run_dbt

    raw = materialize_raw_dir(FIXTURES / "nasty", tmp / "raw")
    code, out = run_dbt(["seed", "--quiet"], tmp / "w.duckdb", raw)
    code, out = run_dbt(["build"], tmp / "w.duckdb", raw, vars={"as_of_date": "2024-06-30"})
    rows = query(tmp / "w.duckdb", "select count(*) from marts.quarantine")

For several runs in a row on different inputs, DbtWorkspace keeps the paths fixed so dbt
can reuse its partial parse (see below).

Every run gets its own warehouse, DuckDB temp folder, dbt target/ and logs/ folders next to
the warehouse file, so tests (and engineers) can build side by side without sharing a file
lock or partial-parse state, and the repository's own target/ is never touched. The warehouse
is only ever opened read-only by `query`, and only after dbt has exited (DuckDB allows one
writer or many readers per file, never both).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
DBT = Path(sys.executable).parent / "dbt"
# Raw fixture files are stored as <name>.csv.raw: dbt reads every *.csv under tests/fixtures/
# as a unit-test fixture (unique names, UTF-8 only), which raw test data cannot satisfy.
RAW_SUFFIX = ".raw"


def dbt_env(
    warehouse: Path, raw_dir: Path, extra: Mapping[str, str] | None = None,
    project_dir: Path = ROOT,
) -> dict[str, str]:
    """Environment for a dbt run writing `warehouse` from the raw files in `raw_dir`."""
    env = dict(os.environ)
    env.update(
        SEGMENTS_WAREHOUSE=str(warehouse),
        SEGMENTS_RAW_DIR=str(raw_dir),
        SEGMENTS_TEMP_DIR=str(Path(warehouse).parent / "duckdb_tmp"),
        # dbt.log beside the warehouse unless --log-path says otherwise (parallel workers)
        DBT_LOG_PATH=str(Path(warehouse).parent / "logs"),
        DBT_PROFILES_DIR=str(project_dir),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
    )
    env.update(extra or {})
    return env


def run_dbt(
    args: Sequence[str],
    warehouse: Path | str,
    raw_dir: Path | str,
    *,
    vars: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 900,
    project_dir: Path | str = ROOT,
    work: Path | str | None = None,
) -> tuple[int, str]:
    """Run `dbt <args>` in the project against `warehouse`, reading raw files from `raw_dir`.

    `vars` becomes `--vars` (JSON); `env` adds environment variables; `project_dir` is the
    dbt project (default: this repository). target/ and logs/ go into `work` (default: next
    to the warehouse file). Returns (exit code, stdout + stderr); never raises on a dbt
    failure, so callers can assert on expected errors.
    """
    warehouse = Path(warehouse).resolve()
    work = Path(work).resolve() if work is not None else warehouse.parent
    cmd = [str(DBT), *args, "--target-path", str(work / "target"), "--log-path", str(work / "logs")]
    if vars:
        cmd += ["--vars", json.dumps(dict(vars))]
    project_dir = Path(project_dir)
    proc = subprocess.run(
        cmd, cwd=project_dir, env=dbt_env(warehouse, Path(raw_dir).resolve(), env, project_dir),
        capture_output=True, text=True, timeout=timeout,
    )
    return proc.returncode, proc.stdout + proc.stderr


def tail(output: str, lines: int = 60) -> str:
    """The last lines of a dbt output, for assertion messages."""
    return "\n".join(output.splitlines()[-lines:])


def query(warehouse: Path | str, sql: str, params: Sequence[Any] | None = None) -> list[tuple]:
    """Run one query on the warehouse opened read-only (closed again at once)."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, list(params or [])).fetchall()
    finally:
        con.close()


def query_dicts(warehouse: Path | str, sql: str, params: Sequence[Any] | None = None) -> list[dict]:
    """Like `query`, each row as a {column: value} dict."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        cur = con.execute(sql, list(params or []))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
    finally:
        con.close()


def relation_names(warehouse: Path | str) -> set[str]:
    """Every table and view of the warehouse as 'schema.name'."""
    rows = query(
        warehouse, "select table_schema || '.' || table_name from information_schema.tables"
    )
    return {r[0] for r in rows}


def materialize_raw_dir(src: Path | str, dst: Path | str) -> Path:
    """Copy a raw fixture folder to `dst` as the pipeline expects it.

    Files named `<name>.raw` become `<name>` (e.g. orders.csv.raw -> orders.csv; sub-folders
    such as orders/part-1.csv.raw are kept); every other file (case.json, scripts, expected
    outcomes) is left behind. Returns `dst`.
    """
    src, dst = Path(src), Path(dst)
    dst.mkdir(parents=True, exist_ok=True)
    for f in sorted(src.rglob(f"*{RAW_SUFFIX}")):
        target = dst / f.relative_to(src).with_name(f.name[: -len(RAW_SUFFIX)])
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(f, target)
    return dst


class DbtWorkspace:
    """One folder whose paths stay the same across consecutive dbt runs on different inputs.

    dbt re-parses the whole project (10+ s) whenever the env vars it reads (raw dir, warehouse)
    or the `--vars` change between runs; a workspace keeps `raw/`, `warehouse.duckdb`,
    `target/` and `logs/` fixed, so runs after the first reuse dbt's partial parse. Load the
    next input with `load_raw`, start from an empty warehouse with `drop_warehouse`, and keep a
    finished state with `snapshot` (a copy that later runs do not touch). Runs are sequential:
    one workspace is one DuckDB writer.

        ws = DbtWorkspace(tmp_path)
        ws.load_raw(FIXTURES / "nasty")
        code, out = ws.run(["build"], vars={"as_of_date": "2024-06-30"})
        built = ws.snapshot("nasty")          # query(built, ...) any time later
    """

    def __init__(self, root: Path | str):
        self.root = Path(root).resolve()
        self.raw_dir = self.root / "raw"
        self.warehouse = self.root / "warehouse.duckdb"
        self.root.mkdir(parents=True, exist_ok=True)

    def load_raw(self, src: Path | str) -> Path:
        """Replace the raw folder's content with the fixture folder `src` (materialize_raw_dir)."""
        shutil.rmtree(self.raw_dir, ignore_errors=True)
        return materialize_raw_dir(src, self.raw_dir)

    def drop_warehouse(self) -> None:
        """Delete the warehouse file (and its WAL): the next run starts from nothing."""
        for p in (self.warehouse, self.warehouse.with_name(self.warehouse.name + ".wal")):
            p.unlink(missing_ok=True)

    def run(self, args: Sequence[str], *, vars: Mapping[str, Any] | None = None,
            env: Mapping[str, str] | None = None, timeout: float = 900) -> tuple[int, str]:
        """`run_dbt` on this workspace's raw folder and warehouse; returns (exit code, output)."""
        return run_dbt(args, self.warehouse, self.raw_dir, vars=vars, env=env, timeout=timeout)

    def snapshot(self, name: str) -> Path:
        """Copy the warehouse (after dbt has exited) to snapshots/<name>.duckdb; returns it."""
        out = self.root / "snapshots" / f"{name}.duckdb"
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.warehouse, out)
        wal = self.warehouse.with_name(self.warehouse.name + ".wal")
        if wal.exists():
            shutil.copyfile(wal, out.with_name(out.name + ".wal"))
        return out


def snapshot_specs(manifest_path: Path | str) -> list[tuple[str, list[str], str | None]]:
    """(schema.name, unique key columns, dbt_valid_to_current) of every snapshot in a dbt
    manifest.json, so checks stay generic over whatever snapshots the project has."""
    manifest = json.loads(Path(manifest_path).read_text())
    specs = []
    for node in manifest["nodes"].values():
        if node["resource_type"] != "snapshot":
            continue
        key = node["config"].get("unique_key")
        keys = [key] if isinstance(key, str) else list(key or [])
        specs.append((f"{node['schema']}.{node['alias']}", keys,
                      node["config"].get("dbt_valid_to_current")))
    return sorted(specs)


def current_snapshot_duplicates(warehouse: Path | str, manifest_path: Path | str) -> dict[str, int]:
    """{snapshot: keys with more than one current row} for every snapshot table that exists
    in the warehouse (a snapshot not built yet is skipped). {} or all zeros = healthy."""
    existing = relation_names(warehouse)
    out = {}
    for relation, keys, valid_to_current in snapshot_specs(manifest_path):
        if relation not in existing or not keys:
            continue
        current = "dbt_valid_to is null"
        if valid_to_current:
            current = f"({current} or dbt_valid_to = {valid_to_current})"
        key_sql = ", ".join(keys)
        (n,) = query(warehouse, f"select count(*) from (select {key_sql} from {relation} "
                                f"where {current} group by {key_sql} having count(*) > 1)")[0]
        out[relation] = n
    return out
