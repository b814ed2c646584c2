"""CLI: python -m segkit.report [--warehouse PATH] [--out reports/segments.html].

Without --warehouse the report reads the published copy of the last green build
(<warehouse dir>/published/current/segments.duckdb) when there is one, else the working
warehouse (env SEGMENTS_WAREHOUSE or warehouse/segments.duckdb).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

from segkit.report import build_report
from segkit.warehouse import warehouse_path

DEFAULT_OUT = "reports/segments.html"


def default_warehouse() -> tuple[Path, str]:
    """(path, label): the published copy when present, else the working warehouse."""
    working = warehouse_path()
    published = working.parent / "published" / "current" / "segments.duckdb"
    if published.exists():
        return published, "published copy"
    return working, "working warehouse"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m segkit.report",
        description="Write the segment report (one self-contained HTML file) from the marts.")
    parser.add_argument("--warehouse", default=None,
                        help="DuckDB file to read (default: the published copy of the last green "
                             "build, else env SEGMENTS_WAREHOUSE or warehouse/segments.duckdb)")
    parser.add_argument("--out", default=DEFAULT_OUT, help=f"HTML file (default {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    if args.warehouse:
        warehouse, source = Path(args.warehouse), "warehouse file"
    else:
        warehouse, source = default_warehouse()
    print(f"report: reading {warehouse} ({source}, read-only)", file=sys.stderr, flush=True)
    try:
        build_report(warehouse, args.out, source=source)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except duckdb.IOException as exc:
        first = str(exc).strip().splitlines()[0]
        print(f"error: cannot open {warehouse} read-only ({first}); a dbt build may be writing "
              "it: read the published copy with --warehouse "
              "warehouse/published/current/segments.duckdb", file=sys.stderr)
        return 1
    out = Path(args.out)
    print(f"report: wrote {out} ({out.stat().st_size / 1e6:.1f} MB)", file=sys.stderr)
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
