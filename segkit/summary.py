"""Print what a build produced: rows in, clean, merged, quarantined by reason, quality.

Usage: python -m segkit.summary [--warehouse PATH]
"""

from __future__ import annotations

import argparse
import sys

from segkit.warehouse import read_only, table_exists, warehouse_path

MART_SCHEMA = "marts"


def _fmt(n: float | int | None) -> str:
    return "-" if n is None else f"{int(n):,}"


def build_summary(con) -> list[str]:
    """Lines of the summary, read from the published marts."""
    lines: list[str] = []
    if table_exists(con, MART_SCHEMA, "ingest_accounting"):
        lines.append("Rows by source table (in = rows read + unreadable CSV lines)")
        lines.append(f"  {'table':<10} {'in':>12} {'clean':>12} {'merged':>10} {'quarantined':>12}")
        rows = con.execute(
            "select source_table, rows_landed, rows_clean, rows_merged, rows_quarantined, "
            "csv_lines_rejected from marts.ingest_accounting order by source_table"
        ).fetchall()
        for table, landed, clean, merged, quarantined, rejected in rows:
            lines.append(
                f"  {table:<10} {_fmt(landed + rejected):>12} {_fmt(clean):>12} {_fmt(merged):>10} "
                f"{_fmt(quarantined + rejected):>12}"
            )
    if table_exists(con, MART_SCHEMA, "quarantine"):
        lines.append("Quarantined rows by reason")
        rows = con.execute(
            "select source_table, reason_code, count(*) from marts.quarantine "
            "group by all order by 3 desc, 1, 2"
        ).fetchall()
        if not rows:
            lines.append("  (none)")
        for table, reason, n in rows:
            lines.append(f"  {table:<10} {reason:<28} {_fmt(n):>10}")
    if table_exists(con, MART_SCHEMA, "dim_customers"):
        (n_customers,) = con.execute("select count(*) from marts.dim_customers").fetchone()
        lines.append(f"Customers (golden records): {_fmt(n_customers)}")
    if table_exists(con, MART_SCHEMA, "quality_metrics"):
        rows = con.execute(
            "select metric_id, value, floor_value, is_passed from marts.quality_metrics "
            "where floor_value is not null order by metric_id"
        ).fetchall()
        if rows:
            lines.append("Quality against known truth (value / floor)")
            for metric_id, value, floor, passed in rows:
                mark = "ok " if passed else "LOW"
                lines.append(f"  {mark} {metric_id:<48} {value:8.4f} / {floor:.2f}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--warehouse", default=None, help="DuckDB file (default: env or warehouse/)"
    )
    args = parser.parse_args(argv)
    path = args.warehouse or warehouse_path()
    try:
        with read_only(path) as con:
            lines = build_summary(con)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print("\n".join(lines))
    print(f"Warehouse: {path} (schemas: marts = published tables, staging, intermediate)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
