"""Read-only access to the DuckDB warehouse the dbt build writes.

DuckDB allows one writer or many readers per file, never both: these helpers open the file
read-only and close it at once, so they never hold the lock while a build runs.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

DEFAULT_WAREHOUSE = "warehouse/segments.duckdb"


def warehouse_path() -> Path:
    """Path of the warehouse file: env SEGMENTS_WAREHOUSE or warehouse/segments.duckdb."""
    return Path(os.environ.get("SEGMENTS_WAREHOUSE", DEFAULT_WAREHOUSE))


@contextmanager
def read_only(path: Path | str | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the warehouse read-only; raise a one-line error when it does not exist."""
    p = Path(path) if path is not None else warehouse_path()
    if not p.exists():
        raise FileNotFoundError(f"warehouse {p} does not exist: run `make run` first")
    con = duckdb.connect(str(p), read_only=True)
    try:
        yield con
    finally:
        con.close()


def table_exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    """True when schema.table exists in the open warehouse."""
    row = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, table],
    ).fetchone()
    return bool(row and row[0])


# --------------------------------------------------------------------------------------------
# Health check before a build, recovery, and an order-free fingerprint of the marts
# (docs/reliability.md). Every function here opens the file read-only, if at all.
# --------------------------------------------------------------------------------------------
# columns that hold the build's own identity or wall-clock time (run_started_at, invocation_id,
# now()) or snapshot bookkeeping: they differ between two builds of the same data by design,
# so the fingerprint leaves them out. Any other column that differs is a real difference.
VOLATILE_COLUMNS = frozenset({
    "computed_at", "detected_at",  # quality_metrics, quarantine
    "invocation_id", "run_at",  # model_runs
    "first_invocation_id", "first_built_at",  # history_runs
})
VOLATILE_PREFIXES = ("dbt_",)
# relations dbt-duckdb creates while it swaps a table in; one left behind is a half-done swap
LEFTOVER_MARKERS = ("__dbt_tmp", "__dbt_backup")

_LOCK_PID = re.compile(r"Conflicting lock is held in (?P<prog>.*?) \(PID (?P<pid>\d+)\)")


@dataclass(frozen=True)
class Health:
    """What `check` found: status ok / missing / unclean / locked / corrupt and one message."""

    status: str
    message: str
    pid: int | None = None

    @property
    def usable(self) -> bool:
        """A build may go on (the file is absent, fine, or its leftover WAL replayed)."""
        return self.status in ("ok", "missing", "unclean")


def wal_path(path: Path | str) -> Path:
    """The write-ahead log DuckDB keeps next to the file (`<file>.wal`)."""
    p = Path(path)
    return p.with_name(p.name + ".wal")


def recovery_hint(path: Path | str) -> str:
    """The documented recovery for a warehouse that cannot be opened (docs/reliability.md)."""
    return (f"recovery: `python -m segkit.warehouse recover --warehouse {path}` moves the file "
            "and its WAL aside (nothing is deleted), then `make build` rebuilds every table from "
            "the raw files; snapshot tables (schema history: the only state raw data cannot "
            "rebuild) are restored from their last backup (docs/reliability.md); BI keeps "
            "reading the last published copy meanwhile")


def check(path: Path | str | None = None) -> Health:
    """Can a build write the warehouse now? Opens it read-only once and closes it at once.

    * `locked`: another process (a build, a notebook, a BI tool) holds the file: DuckDB allows
      one writer or many readers; the message names its PID;
    * `corrupt`: the file or its write-ahead log cannot be read back (a damaged WAL fails the
      replay with a checksum error): the message names the file and the recovery;
    * `unclean`: a WAL is left over (a build was killed, or the machine stopped, before
      DuckDB's checkpoint at close). DuckDB replays every transaction that was written whole;
      a transaction cut short (a truncated WAL) is dropped, which is harmless here because
      every build recomputes its tables from raw; the message says so.
    """
    p = Path(path) if path is not None else warehouse_path()
    if not p.exists():
        if wal_path(p).exists():
            return Health("corrupt", f"warehouse {p} is missing but its WAL {wal_path(p)} is "
                          f"there; {recovery_hint(p)}")
        return Health("missing", f"warehouse {p} does not exist yet: the build creates it")
    wal = wal_path(p)
    wal_info = None
    if wal.exists():
        st = wal.stat()
        wal_info = (st.st_size, time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(st.st_mtime)))
    try:
        con = duckdb.connect(str(p), read_only=True)
        try:
            con.execute("select count(*) from information_schema.tables").fetchone()
        finally:
            con.close()
    except duckdb.Error as e:
        text = str(e).splitlines()[0]
        m = _LOCK_PID.search(text)
        if m or "Could not set lock" in text:
            pid = int(m["pid"]) if m else None
            who = f"process {pid} ({m['prog']})" if m else "another process"
            return Health("locked", f"warehouse {p} is in use by {who}: DuckDB allows one writer "
                          "or many readers, never both. Wait for that build to finish or close "
                          "that reader; BI tools should read the published copy "
                          "(warehouse/published/current), never the build's file", pid)
        what = f"its write-ahead log {wal}" if "WAL" in text else "the file"
        return Health("corrupt", f"warehouse {p} cannot be opened: {what} is damaged ({text}); "
                      f"{recovery_hint(p)}")
    if wal_info:
        size, mtime = wal_info
        return Health("unclean", f"warehouse {p}: a write-ahead log ({wal}, {size} bytes, last "
                      f"written {mtime}) was left by a build that did not finish; DuckDB replayed "
                      "every transaction written whole and dropped any cut short. The next build "
                      "recomputes every table from raw; if this keeps happening, "
                      f"{recovery_hint(p)}")
    return Health("ok", f"warehouse {p} is fine")


def recover(path: Path | str | None = None, now: float | None = None) -> Path:
    """Move the warehouse and its WAL aside into `<file>.broken-<UTC time>/`; return that
    folder. Nothing is deleted: the folder can be inspected or removed by hand."""
    p = Path(path) if path is not None else warehouse_path()
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(now if now is not None else time.time()))
    dest = p.with_name(f"{p.name}.broken-{stamp}")
    dest.mkdir(parents=True, exist_ok=False)
    for f in (p, wal_path(p)):
        if f.exists():
            os.replace(f, dest / f.name)
    return dest


def leftover_relations(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Relations a dbt-duckdb table swap left behind (`…__dbt_tmp`, `…__dbt_backup`)."""
    rows = con.execute(
        "select table_schema || '.' || table_name from information_schema.tables "
        "where " + " or ".join("contains(table_name, ?)" for _ in LEFTOVER_MARKERS)
        + " order by 1", list(LEFTOVER_MARKERS)).fetchall()
    return [r[0] for r in rows]


def _is_volatile(column: str) -> bool:
    c = column.lower()
    return c in VOLATILE_COLUMNS or c.startswith(VOLATILE_PREFIXES)


FLOAT_DIGITS = 10
_FLOAT_TYPES = ("DOUBLE", "FLOAT", "REAL")


def _hash_expr(column: str, data_type: str) -> str:
    """The column as hashed: floating-point values as text with FLOAT_DIGITS significant
    digits. DuckDB sums doubles in parallel, in no fixed order, and scikit-learn's threaded
    fits do the same, so the last bits of a float differ between two builds of the same data
    (measured: 0.5608302619720477 vs ...478); everything else is hashed exactly."""
    col = '"' + column.replace('"', '""') + '"'
    fmt = f"'%.{FLOAT_DIGITS}g'"
    if data_type.upper() in _FLOAT_TYPES:
        return f"printf({fmt}, {col})"
    if data_type.upper() in tuple(t + "[]" for t in _FLOAT_TYPES):
        return f"list_transform({col}, lambda x: printf({fmt}, x))"
    return col


def fingerprint(con: duckdb.DuckDBPyConnection, schema: str = "marts") -> dict[str, str]:
    """{table: 'rows:<n> cols:<hash> data:<hash>'} for every base table of `schema`.

    Order-free: the data hash is the sum (as a 128-bit integer) of one hash per row, so two
    builds that write the same rows in a different order agree, while a missing, duplicated or
    changed row (or column) changes it. Volatile columns (build time, dbt_* snapshot columns)
    are left out; floats count to FLOAT_DIGITS significant digits (see _hash_expr). Equal
    fingerprints = the same marts, byte for byte in every other column."""
    tables = [t for (t,) in con.execute(
        "select table_name from information_schema.tables where table_schema = ? "
        "and table_type = 'BASE TABLE' order by 1", [schema]).fetchall()]
    out: dict[str, str] = {}
    for t in tables:
        cols = con.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = ? and table_name = ? order by column_name", [schema, t]
        ).fetchall()
        kept = [(c, ty) for c, ty in cols if not _is_volatile(c)]
        col_sig = hashlib.sha256(repr(kept).encode()).hexdigest()[:16]
        if kept:
            args = ", ".join(_hash_expr(c, ty) for c, ty in kept)
            n, h = con.execute(
                f'select count(*), coalesce(sum(hash({args})::hugeint), 0) '
                f'from "{schema}"."{t}"').fetchone()
        else:
            (n,), h = con.execute(f'select count(*) from "{schema}"."{t}"').fetchone(), 0
        out[t] = f"rows:{n} cols:{col_sig} data:{int(h):x}"
    return out


def main(argv: list[str] | None = None) -> int:
    """`python -m segkit.warehouse check|recover [--warehouse PATH]` (make build runs check).

    check: exit 0 when a build may go on (a leftover WAL is reported on stderr), 3 when
    another process holds the file, 2 when it cannot be opened. recover: move it aside."""
    parser = argparse.ArgumentParser(description="warehouse health check and recovery")
    parser.add_argument("command", choices=["check", "recover"])
    parser.add_argument("--warehouse", default=None)
    args = parser.parse_args(argv)
    path = Path(args.warehouse) if args.warehouse else warehouse_path()
    if args.command == "recover":
        if not path.exists() and not wal_path(path).exists():
            print(f"warehouse {path} does not exist: nothing to recover", file=sys.stderr)
            return 0
        dest = recover(path)
        print(f"moved {path} (and its WAL) to {dest}; now run `make build` to rebuild from raw")
        return 0
    health = check(path)
    if health.status in ("ok", "missing"):
        return 0
    print(("warning: " if health.usable else "error: ") + health.message, file=sys.stderr)
    return 0 if health.usable else (3 if health.status == "locked" else 2)


if __name__ == "__main__":
    raise SystemExit(main())
