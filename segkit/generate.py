"""CLI: python -m segkit.generate --customers N --seed S --out DIR [--format parquet|csv]."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from segkit.generator import DEFAULT_END_DATE, generate


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    ap = argparse.ArgumentParser(prog="python -m segkit.generate", description=(
        "Generate dirty customers/orders/events with ground truth (see docs/generator.md)."))
    ap.add_argument("--customers", type=int, required=True, help="number of persons")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--out", required=True, help="output directory")
    ap.add_argument("--format", choices=("parquet", "csv"), default="parquet")
    ap.add_argument("--end-date", type=dt.date.fromisoformat, default=DEFAULT_END_DATE,
                    help="last day of the data (YYYY-MM-DD); history covers 730 days before")
    ap.add_argument("--no-contact", action="store_true", help="write no e-mails or phones")
    ap.add_argument("--quiet", action="store_true", help="no progress on stderr")
    args = ap.parse_args(argv)
    if args.customers < 0:
        ap.error("--customers must be >= 0")
    return args


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    a = parse_args(argv)
    generate(a.customers, seed=a.seed, out_dir=a.out, fmt=a.format, end_date=a.end_date,
             no_contact=a.no_contact, quiet=a.quiet)
    return 0


if __name__ == "__main__":
    sys.exit(main())
