"""Unit tests of `python -m segkit.generate --append-days N` (segkit.generator.append)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import duckdb
import pytest

from segkit.generate import main
from segkit.generator import generate
from segkit.generator.append import append_days, load_state


def _hashes(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.md5(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("base") / "raw"
    generate(1500, seed=3, out_dir=out)
    return out


def _copy(src: Path, dst: Path) -> Path:
    import shutil
    shutil.copytree(src, dst)
    return dst


def test_append_writes_new_parts_and_leaves_existing_files(base, tmp_path):
    out = _copy(base, tmp_path / "raw")
    before = _hashes(out)
    counts = append_days(out, 1)
    after = _hashes(out)
    for name in ("customers.parquet", "orders.parquet", "events.parquet"):
        assert after[name] == before[name]
    for table in ("customers", "orders", "events"):
        assert f"{table}/part-append-0001.parquet" in after
        assert counts[table] > 0
    assert load_state(out)["end_date"] == "2024-07-01"


def test_append_is_deterministic_in_one_call_or_many(base, tmp_path):
    a = _copy(base, tmp_path / "a")
    b = _copy(base, tmp_path / "b")
    append_days(a, 2)
    assert main(["--append-days", "1", "--seed", "3", "--out", str(b), "--quiet"]) == 0
    assert main(["--append-days", "1", "--out", str(b), "--quiet"]) == 0
    assert _hashes(a) == _hashes(b)


def test_regenerating_removes_appended_parts(base, tmp_path):
    out = _copy(base, tmp_path / "raw")
    append_days(out, 1)
    generate(1500, seed=3, out_dir=out)
    assert _hashes(out) == _hashes(base)


@pytest.fixture(scope="module")
def appended(base, tmp_path_factory) -> Path:
    out = _copy(base, tmp_path_factory.mktemp("app") / "raw")
    append_days(out, 2)
    return out


def _q(sql: str):
    return duckdb.sql(sql).fetchall()


def test_truth_stays_consistent(appended):
    d = str(appended)
    recs = f"read_parquet('{d}/truth/customer_records.parquet')"
    persons = f"read_parquet('{d}/truth/persons.parquet')"
    outcomes = f"read_parquet('{d}/truth/row_outcomes.parquet')"
    # one truth row per record and per person; every record belongs to a known person
    assert _q(f"select count(*) - count(distinct (source_system, source_customer_id)) "
              f"from {recs}") == [(0,)]
    assert _q(f"select count(*) - count(distinct person_id) from {persons}") == [(0,)]
    assert _q(f"select count(*) from {recs} where person_id not in "
              f"(select person_id from {persons})") == [(0,)]
    state = load_state(appended)
    assert _q(f"select count(*) from {persons}") == [(state["persons"],)]
    assert state["persons"] > 1500
    # every appended customer row with an id is a known record (new or updated)
    parts = f"read_parquet('{d}/customers/*.parquet')"
    assert _q(f"select count(*) from {parts} as c where c.source_customer_id is not null and "
              f"not exists (select 1 from {recs} as r where r.source_system = c.source_system "
              f"and r.source_customer_id = c.source_customer_id)") == [(0,)]
    # every planted order / event defect points at a row that exists in the raw data
    for table, key in (("orders", "order_id"), ("events", "event_id")):
        raw = f"read_parquet(['{d}/{table}.parquet', '{d}/{table}/*.parquet'])"
        assert _q(f"select count(*) from {outcomes} as o where o.source_table = '{table}' and "
                  f"not exists (select 1 from {raw} as r where r.source_system = o.source_system"
                  f" and r.{key} = o.record_id)") == [(0,)]
        # ids stay unique across base and parts (apart from planted duplicates)
        dups = _q(f"select count(*) from (select source_system, {key} from {raw} group by all "
                  f"having count(*) > 1) as x where ({key}) not in (select record_id from "
                  f"{outcomes} where defect in ('exact_duplicate', 'conflicting_duplicate'))")
        assert dups == [(0,)]


def test_updated_records_are_newer_versions_with_truth(appended):
    d = str(appended)
    outcomes = f"read_parquet('{d}/truth/row_outcomes.parquet')"
    upd = _q(f"select source_system, record_id from {outcomes} "
             f"where defect = 'superseded_version'")
    assert len(upd) >= 2
    raw = f"read_parquet(['{d}/customers.parquet', '{d}/customers/*.parquet'], filename = true)"
    for system, rid in upd[:5]:
        rows = _q(f"select filename, street from {raw} where source_system = '{system}' "
                  f"and source_customer_id = '{rid}' order by filename")
        assert len(rows) == 2, rows
        assert rows[0][0].endswith("customers.parquet") and "part-append" in rows[1][0]
        assert rows[0][1] != rows[1][1]       # moved: another street in the new version
    assert _q(f"select distinct expected_outcome, expected_reason_code from {outcomes} "
              f"where defect = 'superseded_version'") == [("quarantined", "conflicting_duplicate")]


def test_new_day_and_late_events(appended):
    d = str(appended)
    state = load_state(appended)
    assert [a["day"] for a in state["appends"]] == ["2024-07-01", "2024-07-02"]
    assert sum(a["late_events"] for a in state["appends"]) > 0
    # ISO-written webshop timestamps: most on the new days, some late (before the old end)
    days = dict(_q(
        f"select substr(occurred_at, 1, 10) as day, count(*) from "
        f"read_parquet('{d}/events/part-append-*.parquet') "
        f"where regexp_matches(occurred_at, '^\\d{{4}}-\\d{{2}}-\\d{{2}}T') group by 1"))
    assert days.get("2024-07-01", 0) + days.get("2024-07-02", 0) > sum(days.values()) / 2
    assert any(dt.date.fromisoformat(k) < dt.date(2024, 7, 1) for k in days)
    new_ids = _q(f"select count(*) from read_parquet('{d}/truth/persons.parquet') "
                 f"where persona = 'new_customer' and churned_in_horizon is null")
    assert new_ids[0][0] == state["persons"] - 1500


def test_csv_dataset_appends_csv_parts(tmp_path):
    out = tmp_path / "raw"
    generate(300, seed=1, out_dir=out, fmt="csv")
    append_days(out, 1)
    assert (out / "orders" / "part-append-0001.csv").exists()
    header = (out / "orders" / "part-append-0001.csv").read_text().splitlines()[0]
    assert header == (out / "orders.csv").read_text().splitlines()[0]


def test_errors_name_the_problem(base, tmp_path, capsys):
    with pytest.raises(FileNotFoundError, match="generator_state.json"):
        append_days(tmp_path, 1)
    out = _copy(base, tmp_path / "raw")
    assert main(["--append-days", "1", "--seed", "4", "--out", str(out)]) == 2
    assert "differs from the dataset's seed 3" in capsys.readouterr().err
    state = json.loads((out / "truth" / "generator_state.json").read_text())
    assert state["appends"] == []
    with pytest.raises(SystemExit):
        main(["--out", str(out)])


def test_earlier_orders_are_resent_as_replays_and_newer_versions(appended):
    d = str(appended)
    base = f"read_parquet('{d}/orders.parquet')"
    parts = f"read_parquet('{d}/orders/*.parquet')"
    outcomes = f"read_parquet('{d}/truth/row_outcomes.parquet')"
    rows = _q(f"select p.*, b.* from {parts} as p inner join {base} as b "
              f"on p.source_system = b.source_system and p.order_id = b.order_id")
    assert len(rows) >= 4
    width = len(rows[0]) // 2
    identical = [r for r in rows if r[:width] == r[width:]]
    newer = [r for r in rows if r[:width] != r[width:]]
    assert identical and newer
    expected = dict(_q(
        f"select o.defect, count(*) from {outcomes} as o where o.source_table = 'orders' and "
        f"(o.source_system, o.record_id) in (select (p.source_system, p.order_id) from {parts} "
        f"as p inner join {base} as b on p.source_system = b.source_system "
        f"and p.order_id = b.order_id) group by 1"))
    assert expected == {"exact_duplicate": len(identical), "conflicting_duplicate": len(newer)}
