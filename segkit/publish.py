"""Publish the marts of a green build for readers (BI tools, exports, the report).

Usage: python -m segkit.publish [--warehouse PATH] [--out DIR] [--run-results PATH]

BI tools never open the build's working file (DuckDB allows one writer or many readers, and
a reader holding the file makes the next build fail). After a green `dbt build` this copies
every table of the `marts` schema into a fresh DuckDB file and one Parquet file per mart,
writes a manifest (build id, time, row counts, test summary) into a new release folder, and
switches the `current` symlink to it atomically (readers of an older release keep reading it).
A red build (any error or failed test in run_results.json) publishes nothing and exits 1, so
the last published copy stays as it was.

BI readers get no raw PII (docs/privacy.md): the policy comes from the YAML tags in dbt's
manifest.json, not from a list here. A mart tagged `pii` at model level (restricted: the
golden record, the identity map, the review queue, the quarantine) is not published; from
every other mart each column that is tagged `pii` (or has `meta: {pii: true}`) on that model
is dropped, and so is any column whose name is tagged pii on any model of the project (names
are kept along the lineage, e.g. `city` in customer_features). A mart table the manifest does
not know is not published either. The manifest is found next to run_results.json, in
<warehouse dir>/target or in the project's target/ (or --manifest).
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
PROJECT_ROOT = Path(__file__).resolve().parents[1]
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


def _is_pii(column: dict) -> bool:
    return "pii" in (column.get("tags") or []) or bool((column.get("meta") or {}).get("pii"))


def pii_policy(dbt_manifest: dict, schema: str = "marts") -> dict[str, set[str] | None]:
    """{table: PII columns to drop} for every model / snapshot / seed of `schema` in a dbt
    manifest; None for a restricted table (model tagged pii: not published at all)."""
    nodes = [n for n in dbt_manifest.get("nodes", {}).values()
             if n.get("resource_type") in ("model", "snapshot", "seed")]
    pii_names = {c.lower() for n in nodes for c, col in n.get("columns", {}).items()
                 if _is_pii(col)}
    policy: dict[str, set[str] | None] = {}
    for n in nodes:
        if n.get("schema") != schema:
            continue
        table = (n.get("alias") or n["name"]).lower()
        if "pii" in (n.get("tags") or []):
            policy[table] = None
        else:
            policy[table] = {c.lower() for c, col in n.get("columns", {}).items() if _is_pii(col)}
            policy[table] |= pii_names
    return policy


def find_manifest(warehouse: Path, run_results: Path | None = None) -> Path | None:
    """dbt's manifest.json of the build: next to run_results, else <warehouse dir>/target,
    else the project's target/."""
    candidates = ([run_results.parent] if run_results else []) + [
        warehouse.parent / "target", PROJECT_ROOT / "target"]
    return next((c / "manifest.json" for c in candidates if (c / "manifest.json").exists()), None)


def publish(warehouse: Path, out_dir: Path, summary: dict, schema: str = "marts",
            manifest_path: Path | None = None) -> dict:
    """Copy the marts into out_dir atomically, without restricted marts and PII columns
    (pii_policy); return the manifest."""
    manifest_path = manifest_path or find_manifest(warehouse)
    if manifest_path is None or not Path(manifest_path).exists():
        raise FileNotFoundError("dbt's manifest.json not found (run dbt first or pass --manifest): "
                                "without it the PII columns are unknown, so nothing is published")
    policy = pii_policy(json.loads(Path(manifest_path).read_text()), schema)
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
        withheld: dict[str, list[str] | str] = {}
        for t in tables:
            drop = policy.get(t.lower(), None)
            if drop is None:  # restricted, or unknown to the manifest
                withheld[t] = ("restricted (tag pii)" if t.lower() in policy
                               else "not in the manifest")
                continue
            cols = [c for (c,) in con.execute(
                "select column_name from information_schema.columns where table_catalog = 'build' "
                "and table_schema = ? and table_name = ? order by ordinal_position",
                [schema, t]).fetchall()]
            keep = [c for c in cols if c.lower() not in drop]
            if len(keep) < len(cols):
                withheld[t] = [c for c in cols if c.lower() in drop]
            if not keep:
                continue
            select = ", ".join('"' + c.replace('"', '""') + '"' for c in keep)
            con.execute(f'create table {schema}."{t}" as select {select} from build.{schema}."{t}"')
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
        "withheld_pii": withheld,
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
    parser.add_argument("--manifest", default=None,
                        help="dbt's manifest.json (default: next to run_results.json)")
    args = parser.parse_args(argv)
    warehouse = Path(args.warehouse) if args.warehouse else warehouse_path()
    out_dir = Path(args.out) if args.out else warehouse.parent / "published"
    green, summary = build_status(Path(args.run_results))
    if not green:
        print(f"error: the last dbt build is not green; nothing published "
              f"(failed: {', '.join(summary.get('failed_nodes', [])[:5]) or summary.get('error')})",
              file=sys.stderr)
        return 1
    manifest_path = Path(args.manifest) if args.manifest else find_manifest(
        warehouse, Path(args.run_results))
    if manifest_path is None:
        print("error: dbt's manifest.json not found (pass --manifest): without it the PII "
              "columns are unknown; nothing published", file=sys.stderr)
        return 1
    manifest = publish(warehouse, out_dir, summary, manifest_path=manifest_path)
    print(f"published {len(manifest['row_counts'])} marts to {out_dir / 'current'} "
          "(segments.duckdb, parquet/, manifest.json); restricted marts and PII columns "
          f"withheld from {len(manifest['withheld_pii'])} marts (manifest.json withheld_pii)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
