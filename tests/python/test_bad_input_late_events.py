"""Bad-input class 45, late-arriving events (docs/bad_input.md, docs/refresh.md): an event
delivered after the run that covered its date.

One small generated dataset (300 persons) is built, then a new part file brings three late
webshop events and an incremental run (`dbt run`, as `make refresh`) follows:

* LATE-IN: dated one day before as_of_date, inside the lookback (var incremental__lookback_days);
* LATE-OUT: dated 40 days before, far beyond the lookback;
* a late copy of an event older than the lookback, with the same event id, a later time and
  another page: a conflicting duplicate whose group lies wholly outside the lookback.

The incremental run must pick up all three (late rows are new rows, found by their
source_row_id whatever their date; a duplicate group with a new row is re-ranked), and
fct_events and the quarantine must then equal a `--full-refresh` of the same data (the
scheduled full refresh changes nothing). So "beyond the lookback" needs no full refresh here:
the lookback only bounds which old rows are re-validated when nothing new arrived for them.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml
from conftest import ROOT, generate, run_dbt

from segkit.warehouse import fingerprint

pytestmark = pytest.mark.dbt

LOOKBACK = yaml.safe_load((ROOT / "dbt_project.yml").read_text())["vars"][
    "incremental__lookback_days"]
# as in test_incremental_e2e: incremental identity reads its sibling int_customers__skipped_blocks
SELECT = ["--select", "+fct_events", "+quarantine", "+int_customers__skipped_blocks"]
ISO = "%Y-%m-%dT%H:%M:%S"


def _one(warehouse: Path, sql: str, params: list | None = None):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def _fingerprints(warehouse: Path) -> dict[str, object]:
    """fct_events' order-free fingerprint, and the quarantine's rows without detected_at (the
    time a row was first quarantined: a build time, not a result)."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        cols = [c for (c,) in con.execute(
            "select column_name from information_schema.columns where table_schema = 'marts' "
            "and table_name = 'quarantine' and column_name != 'detected_at' order by 1").fetchall()]
        quarantine = sorted(con.execute(
            f"select {', '.join(cols)} from marts.quarantine").fetchall(), key=repr)
        return {"fct_events": fingerprint(con, "marts")["fct_events"], "quarantine": quarantine}
    finally:
        con.close()


@pytest.fixture(scope="module")
def late(tmp_path_factory) -> dict:
    base = tmp_path_factory.mktemp("late_events")
    raw = generate(base / "raw", 300, 11)
    warehouse = base / "wh" / "w.duckdb"
    warehouse.parent.mkdir()
    target = base / "target"
    run_dbt(["seed", "--quiet"], warehouse, raw, target_path=target)
    run_dbt(["run", *SELECT], warehouse, raw, target_path=target)
    (as_of,) = _one(warehouse, "select as_of_date from intermediate.int_run__as_of_date")[0]
    # a known webshop customer's clean page view as the template, and a clean event older than
    # the lookback for the late conflicting copy (times as the warehouse read them: UTC)
    picks = {}
    for name, extra in (("template", "event_type = 'page_view'"),
                        ("old", f"occurred_date < date '{as_of}' - interval {LOOKBACK + 30} day")):
        picks[name] = _one(warehouse, f"""
            select event_id, occurred_at from marts.fct_events
            where source_system = 'webshop' and customer_key is not null and {extra}
              and event_id in (select event_id from marts.fct_events group by 1
                               having count(*) = 1)
            order by event_id limit 1""")[0]
    events = pq.read_table(raw / "events.parquet")
    rows = {r["event_id"]: r for r in events.to_pylist() if r["source_system"] == "webshop"}
    template, old = rows[picks["template"][0]], rows[picks["old"][0]]
    old_id, old_time = picks["old"]
    day = datetime.combine(as_of, datetime.min.time()) + timedelta(hours=10)
    new_rows = [
        dict(template, event_id="LATE-IN", occurred_at=(day - timedelta(days=1)).strftime(ISO)),
        dict(template, event_id="LATE-OUT", occurred_at=(day - timedelta(days=40)).strftime(ISO)),
        dict(old, occurred_at=(old_time + timedelta(minutes=1)).strftime(ISO),
             page_url="https://shop.example/late-copy"),
    ]
    (raw / "events").mkdir()
    pq.write_table(pa.Table.from_pylist(new_rows, schema=events.schema),
                   raw / "events" / "part-late.parquet")
    refresh = run_dbt(["run", *SELECT], warehouse, raw, target_path=target)
    incremental = _fingerprints(warehouse)
    after_refresh = {
        eid: _one(warehouse, "select occurred_at, page_url from marts.fct_events "
                             "where source_system = 'webshop' and event_id = ?", [eid])
        for eid in ("LATE-IN", "LATE-OUT", old_id)}
    conflict = _one(warehouse, """
        select count(*) from marts.quarantine
        where source_table = 'events' and reason_code = 'conflicting_duplicate'
          and json_extract_string(raw_record, '$.event_id') = ?""", [old_id])[0][0]
    run_dbt(["run", "--full-refresh", *SELECT], warehouse, raw, target_path=target)
    return {"as_of": as_of, "old_id": old_id, "old_time": old_time, "rows": after_refresh,
            "conflict": conflict, "incremental": incremental, "full": _fingerprints(warehouse),
            "output": refresh.stdout}


def test_late_events_inside_and_beyond_the_lookback_arrive_with_the_incremental_run(late):
    rows = late["rows"]
    day = datetime.combine(late["as_of"], datetime.min.time()) + timedelta(hours=10)
    assert rows["LATE-IN"] == [(day - timedelta(days=1), rows["LATE-IN"][0][1])], rows
    assert rows["LATE-OUT"] == [(day - timedelta(days=40), rows["LATE-OUT"][0][1])], rows
    assert 40 > LOOKBACK + 1  # LATE-OUT really lies beyond the lookback


def test_a_late_conflicting_copy_beyond_the_lookback_wins_and_the_old_row_is_quarantined(late):
    assert late["rows"][late["old_id"]] == [
        (late["old_time"] + timedelta(minutes=1), "https://shop.example/late-copy")]
    assert late["conflict"] == 1


def test_the_scheduled_full_refresh_changes_nothing(late):
    """fct_events and the quarantine after the incremental run equal a --full-refresh of the
    same raw data (order-free fingerprints; detected_at is a build time)."""
    assert late["incremental"]["fct_events"] == late["full"]["fct_events"]
    assert late["incremental"]["quarantine"] == late["full"]["quarantine"]
