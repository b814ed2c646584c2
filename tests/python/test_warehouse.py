"""segkit.warehouse without dbt: health check (lock, leftover / truncated / damaged WAL),
recovery, leftover swap relations and the order-free fingerprint of the marts (K2, K5, K6
building blocks; the end-to-end fault scenarios are in test_faults.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb

from segkit import warehouse


# --------------------------------------------------------------------------------------------
def _make_db(path: Path, leave_wal: bool = False) -> None:
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute("create table marts.a as select range as i, 'x' || range as s from range(1000)")
    con.execute("checkpoint")
    if leave_wal:  # like a build killed before DuckDB's checkpoint at close
        con.execute("pragma disable_checkpoint_on_shutdown")
        con.execute("set checkpoint_threshold = '10GB'")
        con.execute("create table marts.b as select range as i from range(200000)")
        con.execute("insert into marts.a select range, 'late' from range(5)")
    con.close()


def test_fingerprint_is_order_free_and_sees_every_change(tmp_path):
    db = tmp_path / "w.duckdb"
    con = duckdb.connect(str(db))
    try:
        con.execute("create schema marts")
        con.execute("create table marts.t as select range as k, range * 1.5::double as v, "
                    "now() as computed_at from range(100)")
        base = warehouse.fingerprint(con)
        con.execute("create or replace table marts.t as select * from marts.t order by k desc")
        assert warehouse.fingerprint(con) == base, "row order must not matter"
        con.execute("update marts.t set computed_at = computed_at + interval 1 day")
        assert warehouse.fingerprint(con) == base, "build-time columns are volatile"
        con.execute("update marts.t set v = v * (1 + 1e-14) where k = 3")
        assert warehouse.fingerprint(con) == base, "the last bits of a float do not count"
        con.execute("update marts.t set v = v + 1e-6 where k = 3")
        changed = warehouse.fingerprint(con)
        assert changed != base
        con.execute("update marts.t set v = 4.5 where k = 3")
        con.execute("insert into marts.t select * from marts.t where k = 7")
        assert warehouse.fingerprint(con)["t"].startswith("rows:101 "), "a duplicate shows"
        con.execute("delete from marts.t where k = 7")
        con.execute("insert into marts.t select 7, 10.5::double, now()")
        assert warehouse.fingerprint(con) == base
        con.execute("alter table marts.t add column extra integer")
        assert warehouse.fingerprint(con) != base, "a new column changes it"
    finally:
        con.close()


def test_leftover_relations_are_found(tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    try:
        con.execute("create schema marts")
        con.execute("create table marts.fine as select 1 as x")
        assert warehouse.leftover_relations(con) == []
        con.execute("create table marts.fct__dbt_tmp as select 1 as x")
        con.execute("create view marts.fct__dbt_backup as select 1 as x")
        assert warehouse.leftover_relations(con) == ["marts.fct__dbt_backup", "marts.fct__dbt_tmp"]
    finally:
        con.close()


def test_check_ok_missing_and_unclean(tmp_path):
    db = tmp_path / "w.duckdb"
    assert warehouse.check(db).status == "missing"
    _make_db(db)
    assert warehouse.check(db).status == "ok"
    db2 = tmp_path / "w2.duckdb"
    _make_db(db2, leave_wal=True)
    health = warehouse.check(db2)
    assert health.status == "unclean" and health.usable
    assert str(warehouse.wal_path(db2)) in health.message and "did not finish" in health.message


def test_check_names_the_pid_holding_the_lock(tmp_path):
    """K5/K6: a writer holds the file -> 'locked', the message names its PID, exit code 3."""
    db = tmp_path / "w.duckdb"
    _make_db(db)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
         "print('ready', flush=True); time.sleep(60)", str(db)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        health = warehouse.check(db)
        assert health.status == "locked" and not health.usable
        assert health.pid == holder.pid and f"process {holder.pid}" in health.message
        assert "published copy" in health.message
        assert warehouse.main(["check", "--warehouse", str(db)]) == 3
    finally:
        holder.kill()
        holder.wait()
    assert warehouse.check(db).status == "ok"


def _truncate(path: Path, keep: float) -> None:
    with open(path, "r+b") as f:
        f.truncate(int(path.stat().st_size * keep))


def corrupt_file(path: Path, at: float) -> None:
    with open(path, "r+b") as f:
        f.seek(int(path.stat().st_size * at))
        f.write(b"\xff" * 64)


def test_truncated_wal_is_reported_and_the_committed_data_survives(tmp_path):
    """K2 (truncated): DuckDB replays what was written whole and drops the cut transaction
    without an error of its own; check() says so in one message naming the WAL."""
    db = tmp_path / "w.duckdb"
    _make_db(db, leave_wal=True)
    _truncate(warehouse.wal_path(db), 0.5)
    health = warehouse.check(db)
    assert health.status == "unclean" and health.usable, health
    assert "dropped any cut short" in health.message
    assert str(warehouse.wal_path(db)) in health.message
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("select count(*) from marts.a").fetchone()[0] in (1000, 1005)
    finally:
        con.close()


def test_corrupt_wal_stops_with_the_recovery_and_recover_moves_it_aside(tmp_path, capsys):
    """K2 (damaged): a clear error naming the WAL and the documented recovery, exit 2; recover
    moves file + WAL aside (nothing deleted) and the next check is clean."""
    db = tmp_path / "w.duckdb"
    _make_db(db, leave_wal=True)
    corrupt_file(warehouse.wal_path(db), 0.5)
    health = warehouse.check(db)
    assert health.status == "corrupt" and not health.usable
    assert str(warehouse.wal_path(db)) in health.message and "recover" in health.message
    assert warehouse.main(["check", "--warehouse", str(db)]) == 2
    assert "write-ahead log" in capsys.readouterr().err
    assert warehouse.main(["recover", "--warehouse", str(db)]) == 0
    moved = list(tmp_path.glob("w.duckdb.broken-*"))
    assert len(moved) == 1 and {p.name for p in moved[0].iterdir()} == {"w.duckdb", "w.duckdb.wal"}
    assert warehouse.check(db).status == "missing"


