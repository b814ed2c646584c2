"""Read-only access to the DuckDB warehouse the dbt build writes.

DuckDB allows one writer or many readers per file, never both: these helpers open the file
read-only and close it at once, so they never hold the lock while a build runs.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
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
