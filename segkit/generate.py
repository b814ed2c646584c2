"""CLI: python -m segkit.generate --customers N --seed S --out DIR [--format parquet|csv],
or  python -m segkit.generate --append-days N [--seed S] --out DIR  (next N days, as parts)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from segkit.generator import DEFAULT_END_DATE, generate
from segkit.generator.append import append_days


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    ap = argparse.ArgumentParser(prog="python -m segkit.generate", description=(
        "Generate dirty customers/orders/events with ground truth (see docs/generator.md), "
        "or append the next day(s) to a generated dataset (docs/refresh.md)."))
    ap.add_argument("--customers", type=int, help="number of persons (new dataset)")
    ap.add_argument("--append-days", type=int, metavar="N",
                    help="append the next N days to the dataset in --out (new part files)")
    ap.add_argument("--seed", type=int, default=None,
                    help="random seed (default 42; with --append-days: the dataset's own)")
    ap.add_argument("--out", required=True, help="output directory")
    ap.add_argument("--format", choices=("parquet", "csv"), default="parquet")
    ap.add_argument("--end-date", type=dt.date.fromisoformat, default=DEFAULT_END_DATE,
                    help="last day of the data (YYYY-MM-DD); history covers 730 days before")
    ap.add_argument("--no-contact", action="store_true", help="write no e-mails or phones")
    ap.add_argument("--quiet", action="store_true", help="no progress on stderr")
    args = ap.parse_args(argv)
    if (args.customers is None) == (args.append_days is None):
        ap.error("give either --customers N (new dataset) or --append-days N (append)")
    if args.customers is not None and args.customers < 0:
        ap.error("--customers must be >= 0")
    if args.append_days is not None and args.append_days < 1:
        ap.error("--append-days must be >= 1")
    return args


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    a = parse_args(argv)
    if a.append_days is not None:
        try:
            append_days(a.out, a.append_days, seed=a.seed, quiet=a.quiet)
        except (FileNotFoundError, ValueError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        return 0
    generate(a.customers, seed=42 if a.seed is None else a.seed, out_dir=a.out, fmt=a.format,
             end_date=a.end_date, no_contact=a.no_contact, quiet=a.quiet)
    return 0


if __name__ == "__main__":
    sys.exit(main())
