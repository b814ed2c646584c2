"""Schema drift between runs (class 4, fault K10) and file encodings (classes 11, 12).

* Drift: four deliveries of orders.csv (tests/fixtures/bad_input_drift/) landed one after the
  other into one warehouse with `dbt build -s +ingest_schema_drift`: an added column is
  ignored, logged in landing.ingest_schema_drift and warns (once); a dropped optional column
  is logged and warns; a dropped required column stops the build naming the file and the
  column before anything is written.
* Encodings: the latin-1 and UTF-16 files of tests/fixtures/bad_files/ landed with and
  without the var raw__csv_dialect.<table>.encoding (`dbt run -s landing`).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.python.dbt_helpers import FIXTURES, DbtWorkspace, query, tail

pytestmark = pytest.mark.dbt

DRIFT = FIXTURES / "bad_input_drift"
BAD_FILES = FIXTURES / "bad_files"
AS_OF = {"as_of_date": "2024-06-30"}
# each "delivery" below replaces orders.csv in place, which needs --full-refresh (raw files are
# immutable for an incremental run, docs/refresh.md); the drift log is persisted state
# (full_refresh: false), so it keeps its history across these runs
DRIFT_SELECT = ["build", "--full-refresh", "--select", "+ingest_schema_drift", "--exclude",
                "resource_type:unit_test", "test_type:singular"]


def _drift_test_status(ws: DbtWorkspace) -> str:
    results = json.loads((ws.root / "target" / "run_results.json").read_text())["results"]
    found = [r["status"] for r in results
             if r["unique_id"].startswith("test.customer_segments.ingest_no_new_schema_drift")]
    assert len(found) == 1, [r["unique_id"] for r in results]
    return found[0]


def _drift_rows(ws: DbtWorkspace) -> dict[tuple[str, str], tuple]:
    rows = query(ws.warehouse,
                 "select column_name, drift_type, source_table, column_position, "
                 "first_seen_invocation_id, source_file from landing.ingest_schema_drift")
    return {(r[0], r[1]): r[2:] for r in rows}


def _orders(ws: DbtWorkspace) -> list[tuple]:
    return query(ws.warehouse,
                 "select order_id, channel, ordered_at from landing.base_raw__orders order by 1")


def test_schema_drift_between_runs(tmp_path):
    ws = DbtWorkspace(tmp_path / "drift")

    # run 1: the contract exactly -> no drift, the warn test passes
    ws.load_raw(DRIFT / "run1_contract")
    code, out = ws.run(DRIFT_SELECT, vars=AS_OF)
    assert code == 0, tail(out)
    assert _drift_rows(ws) == {}
    assert _drift_test_status(ws) == "pass"
    assert "schema drift" not in out

    # run 2: + utm_source -> ignored, logged, warns, named in the output
    ws.load_raw(DRIFT / "run2_added_column")
    code, out = ws.run(DRIFT_SELECT, vars=AS_OF)
    assert code == 0, tail(out)
    assert _drift_test_status(ws) == "warn", tail(out)
    assert "has a new column 'utm_source'" in out and "orders.csv" in out, tail(out)
    drift = _drift_rows(ws)
    assert set(drift) == {("utm_source", "extra_column")}, drift
    table, position, first_run, source_file = drift[("utm_source", "extra_column")]
    assert (table, position) == ("orders", 11)
    assert source_file.endswith("orders.csv")
    columns = {r[0] for r in query(ws.warehouse, "select column_name from information_schema."
                                   "columns where table_name = 'base_raw__orders'")}
    assert "utm_source" not in columns and "channel" in columns
    assert [r[0] for r in _orders(ws)] == ["o_1", "o_2", "o_3"]

    # run 3: channel (optional) dropped -> logged as missing, warns for channel only;
    # utm_source is known: its first sighting stays run 2's
    ws.load_raw(DRIFT / "run3_dropped_optional")
    code, out = ws.run(DRIFT_SELECT, vars=AS_OF)
    assert code == 0, tail(out)
    assert _drift_test_status(ws) == "warn", tail(out)
    assert "has no column 'channel'" in out, tail(out)
    assert "'utm_source'" not in out, "a known extra column must not warn again"
    drift = _drift_rows(ws)
    assert set(drift) == {("utm_source", "extra_column"), ("channel", "missing_column")}, drift
    assert drift[("utm_source", "extra_column")][2] == first_run
    assert drift[("channel", "missing_column")][2] != first_run
    landed_before = _orders(ws)
    assert [r[1] for r in landed_before] == [None] * 4
    drift_before = _drift_rows(ws)

    # run 4: the required ordered_at dropped -> a clear error naming file and column, and
    # nothing is written: landing and the drift log are exactly as after run 3
    ws.load_raw(DRIFT / "run4_dropped_required")
    code, out = ws.run(DRIFT_SELECT, vars=AS_OF)
    assert code != 0, tail(out)
    assert "Compilation Error" in out, tail(out)
    assert "orders.csv has no column 'ordered_at' (required for table 'orders')" in out, tail(out)
    assert _orders(ws) == landed_before
    assert _drift_rows(ws) == drift_before


# --------------------------------------------------------------------------------------------
# encodings
# --------------------------------------------------------------------------------------------
def _dialect(encoding: str) -> dict:
    return {"raw__csv_dialect": {"default": {"delimiter": ",", "quote": '"'},
                                 "orders": {"encoding": encoding}}}


@pytest.fixture(scope="module")
def enc_ws(tmp_path_factory) -> DbtWorkspace:
    return DbtWorkspace(tmp_path_factory.mktemp("encoding"))


def _land(ws: DbtWorkspace, case: str, run_vars: dict | None = None) -> tuple[int, str]:
    ws.drop_warehouse()
    ws.load_raw(BAD_FILES / case)
    return ws.run(["run", "-s", "landing"], vars={**AS_OF, **(run_vars or {})})


def _rejects(warehouse: Path) -> list[tuple]:
    return query(warehouse, "select line, reason_code from landing.base_raw__csv_rejects "
                            "where source_table = 'orders' order by 1")


def test_latin1_line_in_utf8_file_is_quarantined_with_an_encoding_hint(enc_ws):
    """Class 11 (Q): undeclared, the latin-1 line is a csv_invalid_encoding reject (it reaches
    quarantine), the other lines land, and the log says how to declare the encoding."""
    code, out = _land(enc_ws, "latin1_bytes")
    assert code == 0, tail(out)
    assert _rejects(enc_ws.warehouse) == [(3, "csv_invalid_encoding")]
    (landed,) = query(enc_ws.warehouse, "select count(*) from landing.base_raw__orders")[0]
    assert landed == 2
    assert "1 line(s) are not valid UTF-8" in out and "encoding: latin-1" in out, tail(out)


def test_latin1_file_with_declared_encoding_is_normalized(enc_ws):
    """Class 11 (N): with encoding latin-1 declared for orders every line lands, decoded."""
    code, out = _land(enc_ws, "latin1_bytes", _dialect("ISO-8859-1"))
    assert code == 0, tail(out)
    assert _rejects(enc_ws.warehouse) == []
    rows = dict(query(enc_ws.warehouse,
                      "select order_id, product_category from landing.base_raw__orders"))
    assert len(rows) == 3 and rows["o_latin1"] == "Caf\u00e9", rows


def test_utf16_file_stops_with_an_encoding_hint(enc_ws):
    """Class 12 (E): undeclared, a UTF-16 file stops the build naming the file and the fix."""
    code, out = _land(enc_ws, "utf16_file")
    assert code != 0 and "Compilation Error" in out, tail(out)
    assert "orders.csv is not UTF-8 text" in out, tail(out)
    assert "encoding: utf-16" in out, tail(out)


def test_utf16_file_with_declared_encoding_is_normalized(enc_ws):
    """Class 12 (N): with encoding utf-16 declared the file lands like its UTF-8 twin."""
    code, out = _land(enc_ws, "utf16_file", _dialect("utf-16"))
    assert code == 0, tail(out)
    assert _rejects(enc_ws.warehouse) == []
    rows = query(enc_ws.warehouse, "select order_id, source_system, amount, product_category "
                                   "from landing.base_raw__orders order by 1")
    assert rows == [("o_1", "webshop", "19.99", "Electronics"),
                    ("o_2", "webshop", "19.99", "Electronics")], rows


def test_unsupported_encoding_is_a_compile_error_naming_the_var(enc_ws):
    code, out = _land(enc_ws, "latin1_bytes", _dialect("cp1252"))
    assert code != 0, tail(out)
    assert "var raw__csv_dialect.orders.encoding must be one of utf-8, utf-16, latin-1" in out, (
        tail(out))
