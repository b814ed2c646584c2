"""CLI: python -m segkit.generate --customers N --seed S --out DIR [--format parquet|csv],
or  python -m segkit.generate --append-days N [--seed S] --out DIR  (next N days, as parts)."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

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


def out_dir_problem(out: str | os.PathLike) -> str | None:
    """Why the output directory cannot be written (one line naming the path), or None.

    Creates the directory (with parents) and writes and removes a probe file in it, so a
    path under a file, a read-only mount or a full disk are caught before any generation
    work, not as a traceback at the first write."""
    path = Path(out)
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path, prefix=".segkit-write-probe-"):
            pass
    except OSError as exc:
        return f"cannot write to the output directory {str(path)!r} (--out): {_os_reason(exc)}"
    return None


def _os_reason(exc: OSError) -> str:
    where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
    return f"{exc.strerror or exc}{where}"


def main(argv: list[str] | None = None) -> int:
    """Entry point. Errors a user can cause print one line `error: ...` and return 2."""
    a = parse_args(argv)
    if a.append_days is not None:
        try:
            append_days(a.out, a.append_days, seed=a.seed, quiet=a.quiet)
        except (FileNotFoundError, ValueError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        except OSError as exc:
            print(f"error: cannot write to {a.out!r} (--out): {_os_reason(exc)}", file=sys.stderr)
            return 2
        return 0
    problem = out_dir_problem(a.out)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    try:
        generate(a.customers, seed=42 if a.seed is None else a.seed, out_dir=a.out, fmt=a.format,
                 end_date=a.end_date, no_contact=a.no_contact, quiet=a.quiet)
    except OSError as exc:  # e.g. the disk fills up while writing
        print(f"error: writing the dataset to {a.out!r} (--out) failed: {_os_reason(exc)}",
              file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
