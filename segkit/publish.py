"""Publish the marts of a green build for readers (BI tools, exports, the report).

Usage: python -m segkit.publish [--warehouse PATH] [--out DIR] [--run-results PATH]

BI tools never open the build's working file (DuckDB allows one writer or many readers, and
a reader holding the file makes the next build fail). After a green `dbt build` this copies
every table of the `marts` schema into a fresh DuckDB file and one Parquet file per mart,
writes a manifest (build id, time, row counts, test summary) into a new release folder, and
switches the `current` symlink to it atomically (readers of an older release keep reading it).
A red build (any error or failed test in run_results.json) publishes nothing and exits 1, so
the last published copy stays as it was.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

import duckdb

from segkit.warehouse import warehouse_path

KEEP_RELEASES = 2
GREEN = {"success", "pass", "warn", "skipped", "no-op"}


def build_status(run_results: Path) -> tuple[bool, dict]:
    """(is_green, summary) from dbt's run_results.json."""
    if not run_results.exists():
        return False, {"error": f"{run_results} not found: run dbt build first"}
    data = json.loads(run_results.read_text())
    statuses = Counter(str(r["status"]).lower() for r in data["results"])
    failed = [r["unique_id"] for r in data["results"] if str(r["status"]).lower() not in GREEN]
    summary = {
        "invocation_id": data["metadata"].get("invocation_id"),
        "generated_at": data["metadata"].get("generated_at"),
        "command": " ".join(data.get("args", {}).get("invocation_command", "").split()[:3]),
        "statuses": dict(statuses),
        "failed_nodes": failed[:50],
    }
    return not failed, summary


def publish(warehouse: Path, out_dir: Path, summary: dict, schema: str = "marts") -> dict:
    """Copy the marts into out_dir atomically; return the manifest."""
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = out_dir / f".publishing-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    (staging / "parquet").mkdir(parents=True)
    db_file = staging / "segments.duckdb"
    con = duckdb.connect(str(db_file))
    try:
        con.execute(f"attach '{warehouse}' as build (read_only)")
        tables = [t for (t,) in con.execute(
            "select table_name from information_schema.tables where table_catalog = 'build' "
            "and table_schema = ? and table_type = 'BASE TABLE' order by 1", [schema]).fetchall()]
        con.execute(f"create schema {schema}")
        counts: dict[str, int] = {}
        for t in tables:
            con.execute(f'create table {schema}."{t}" as select * from build.{schema}."{t}"')
            counts[t] = con.execute(f'select count(*) from {schema}."{t}"').fetchone()[0]
            con.execute(f"copy {schema}.\"{t}\" to '{staging / 'parquet' / (t + '.parquet')}' "
                        "(format parquet)")
        con.execute("detach build")
    finally:
        con.close()
    manifest = {
        "build": summary,
        "published_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "source_warehouse": str(warehouse),
        "row_counts": counts,
    }
    (staging / "manifest.json").write_text(json.dumps(manifest, indent=2))
    release = out_dir / "releases" / time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    release = release.with_name(f"{release.name}-{uuid.uuid4().hex[:8]}")
    release.parent.mkdir(parents=True, exist_ok=True)
    staging.rename(release)
    link_tmp = out_dir / f".current-{os.getpid()}"
    link_tmp.unlink(missing_ok=True)
    link_tmp.symlink_to(release.relative_to(out_dir))
    os.replace(link_tmp, out_dir / "current")  # atomic switch: readers see old or new, never half
    others = sorted((p for p in (out_dir / "releases").iterdir() if p != release),
                    key=lambda p: p.stat().st_mtime_ns)
    for old in others[: max(0, len(others) - (KEEP_RELEASES - 1))]:
        shutil.rmtree(old, ignore_errors=True)
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="publish the marts after a green build")
    parser.add_argument("--warehouse", default=None)
    parser.add_argument("--out", default=None, help="default: <warehouse dir>/published")
    parser.add_argument("--run-results", default="target/run_results.json")
    args = parser.parse_args(argv)
    warehouse = Path(args.warehouse) if args.warehouse else warehouse_path()
    out_dir = Path(args.out) if args.out else warehouse.parent / "published"
    green, summary = build_status(Path(args.run_results))
    if not green:
        print(f"error: the last dbt build is not green; nothing published "
              f"(failed: {', '.join(summary.get('failed_nodes', [])[:5]) or summary.get('error')})",
              file=sys.stderr)
        return 1
    manifest = publish(warehouse, out_dir, summary)
    print(f"published {len(manifest['row_counts'])} marts to {out_dir / 'current'} "
          "(segments.duckdb, parquet/, manifest.json)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
