"""The bad-input catalogue (docs/bad_input.md), proven on hand-made raw data.

* tests/fixtures/nasty/: one raw dataset where each bad row is one class of the catalogue,
  with a stable id. It is built once for real (dbt seed + dbt build, as_of_date fixed) and
  every row of expected_outcomes.csv is asserted against the warehouse: quarantined with the
  expected reason code, normalized to the expected value, flagged in field_issues, or merged
  (and counted in marts.ingest_accounting).
* tests/fixtures/bad_files/<case>/: tiny raw folders for problems of a whole file; each is
  landed alone (`dbt run -s landing`) and must either stop with an error that names the file
  and the column, or succeed with the rows / rejects its case.json lists.

Raw fixture files are stored as *.csv.raw (see dbt_helpers.materialize_raw_dir).
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from tests.python.dbt_helpers import FIXTURES, DbtWorkspace, query, relation_names, tail

pytestmark = pytest.mark.dbt

NASTY = FIXTURES / "nasty"
BAD_FILES = FIXTURES / "bad_files"
AS_OF_DATE = "2024-06-30"
# every dbt run of the module uses the same vars (a change would make dbt parse again); the
# before-signup warn test (class 31) warns on any such order here: the fixture has one
RUN_VARS = {"as_of_date": AS_OF_DATE, "quality__max_share_orders_before_signup": 0}

ID_COLUMN = {"customers": "source_customer_id", "orders": "order_id", "events": "event_id"}
# where a trusted (clean or flagged) row of each table can be read back, standardized
CLEAN_RELATION = {
    "customers": "intermediate.int_customers__validated",
    "orders": "marts.fct_orders",
    "events": "marts.fct_events",
}
# every landed row of each table with its outcome (clean / merged_exact / quarantined)
OUTCOME_RELATION = {
    "customers": "intermediate.int_customers__row_outcomes",
    "orders": "intermediate.int_orders__validated",
    "events": "intermediate.int_events__validated",
}
# where an erased record must be absent (the privacy delete covers every table)
ERASED_RELATIONS = {
    "customers": ("landing.base_raw__customers", "staging.stg_raw__customers",
                  "intermediate.int_customers__validated", "marts.customer_identity_map"),
}
CHECK_COLUMN = re.compile(r"^(?:(?:length|lower)\()?[a-z_0-9]+\)?$")

SQL_TEXT = "Robert'); DROP TABLE customers;--"
JINJA_TEXT = "{{ var('x') }}"
JINJA_BLOCK = "{% do run_query('drop table marts.fct_orders') %}"
FORMULA_TEXT = '=HYPERLINK("http://evil.example","click")'


def _load_expected() -> list[dict[str, str]]:
    with open(NASTY / "expected_outcomes.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


EXPECTED = _load_expected()
NASTY_ROWS = [r for r in EXPECTED if not r["record_id"].startswith("bad_files/")]
BAD_FILE_ROWS = [r for r in EXPECTED if r["record_id"].startswith("bad_files/")]
BAD_FILE_CASES = sorted(p.name for p in BAD_FILES.iterdir() if (p / "case.json").exists())


def _row_id(row: dict[str, str]) -> str:
    parts = [row["class_no"], row["table"], row["record_id"], row["source_system"],
             row["expected"], row["check_column"]]
    return "-".join(p for p in parts if p)


def as_text(value) -> str:
    """A warehouse value as the text expected_outcomes.csv writes it ('' for NULL)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# --------------------------------------------------------------------------------------------
# the nasty dataset: one real build
# --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> DbtWorkspace:
    """All dbt runs of this module share fixed paths, so only the first one parses in full."""
    return DbtWorkspace(tmp_path_factory.mktemp("bad_input"))


@dataclass
class NastyBuild:
    warehouse: Path  # a copy of the warehouse after the build (read-only use)
    exit_code: int
    output: str
    built: set[str]  # schema.name of every seed and model the build wrote
    failed: list[str]  # nodes that errored or failed (models, tests), with their message
    warned: set[str]  # unique ids of the data tests that warned


@pytest.fixture(scope="module")
def nasty_build(workspace) -> NastyBuild:
    """seed + build of the nasty dataset.

    YAML unit tests are left out: they never read the raw input (they run with the normal
    build tests) and take a third of the build time. A failing node does not stop the module:
    test_nasty_build_is_green names it, the other tests check what was built."""
    workspace.drop_warehouse()
    workspace.load_raw(NASTY)
    run_vars = RUN_VARS
    code, out = workspace.run(["seed", "--quiet"], vars=run_vars)
    assert code == 0, f"dbt seed failed:\n{tail(out)}"
    code, out = workspace.run(["build", "--exclude", "resource_type:unit_test"], vars=run_vars)
    target = workspace.root / "target"
    manifest = json.loads((target / "manifest.json").read_text())
    results = json.loads((target / "run_results.json").read_text())["results"]
    status = {r["unique_id"]: r["status"] for r in results}
    built = {
        f"{n['schema']}.{n['alias']}"
        for uid, n in manifest["nodes"].items()
        if (n["resource_type"] == "seed" and n["config"].get("enabled", True))
        or (n["resource_type"] == "model" and status.get(uid) == "success")
    }
    failed = [f"{r['unique_id']}: {r['status']}: ...{(r.get('message') or '').strip()[-300:]}"
              for r in results if r["status"] in ("error", "fail")]
    warned = {r["unique_id"] for r in results if r["status"] == "warn"}
    return NastyBuild(workspace.snapshot("nasty"), code, out, built, failed, warned)


@pytest.fixture(scope="module")
def nasty(nasty_build) -> Path:
    """The nasty build's warehouse; the models the catalogue checks read must exist."""
    needed = {"marts.quarantine", "marts.fct_orders", "marts.fct_events", "marts.ingest_accounting",
              "intermediate.int_customers__validated"}
    missing = needed - nasty_build.built
    assert not missing, f"not built: {sorted(missing)}\n" + "\n".join(nasty_build.failed)
    return nasty_build.warehouse


def test_nasty_build_is_green(nasty_build):
    """Every model and data test of the project builds / passes on the nasty dataset."""
    assert nasty_build.exit_code == 0 and not nasty_build.failed, (
        "the nasty dataset breaks the build:\n" + "\n".join(nasty_build.failed)
        + "\n" + tail(nasty_build.output, 20))


def _quarantine_codes(warehouse: Path, table: str, record_id: str) -> list[str]:
    id_col = ID_COLUMN[table]
    rows = query(
        warehouse,
        "select reason_code from marts.quarantine where source_table = ? and case "
        f"when json_valid(raw_record) then json_extract_string(raw_record, '$.{id_col}') = ? "
        "else contains(raw_record, ?) end",
        [table, record_id, record_id],
    )
    return [r[0] for r in rows]


@pytest.mark.parametrize("row", NASTY_ROWS, ids=[_row_id(r) for r in NASTY_ROWS])
def test_nasty_row_outcome(nasty, row):
    table, record_id, expected = row["table"], row["record_id"], row["expected"]
    id_col = ID_COLUMN[table]
    if expected == "quarantined":
        codes = _quarantine_codes(nasty, table, record_id)
        assert row["expected_code"] in codes, (
            f"{table} {record_id!r}: expected reason {row['expected_code']}, got {codes}")
        return
    if expected == "merged":
        (n,) = query(
            nasty,
            f"select count(*) from {OUTCOME_RELATION[table]} "
            f"where {id_col} = ? and source_system = ? and outcome = 'merged_exact'",
            [record_id, row["source_system"]],
        )[0]
        assert n >= 1, f"{table} {record_id!r}: no merged_exact copy"
        return
    if expected == "erased":  # class 49: under an erasure request, gone from every layer
        for relation in ERASED_RELATIONS[table]:
            (n,) = query(nasty, f"select count(*) from {relation} where {id_col} = ?",
                         [record_id])[0]
            assert n == 0, f"{table} {record_id!r}: erased, but {n} row(s) in {relation}"
        return
    assert expected in ("normalized", "flagged"), f"unknown expected outcome {expected!r}"
    column = row["check_column"]
    assert CHECK_COLUMN.match(column), f"check_column {column!r} is not a plain column"
    issues = "field_issues" if table != "events" else "cast(null as varchar)"
    rows = query(
        nasty,
        f"select {column}, {issues} from {CLEAN_RELATION[table]} where {id_col} = ? "
        "and source_system = ?",
        [record_id, row["source_system"]],
    )
    assert len(rows) == 1, (
        f"{table} {record_id!r} ({row['source_system']}): expected one trusted row in "
        f"{CLEAN_RELATION[table]}, found {len(rows)}")
    value, field_issues = rows[0]
    assert as_text(value) == row["expected_value"], (
        f"{table} {record_id!r}.{column}: expected {row['expected_value']!r}, got {value!r}")
    if expected == "flagged":
        assert row["expected_code"] in (field_issues or "").split(","), (
            f"{table} {record_id!r}: expected field issue {row['expected_code']}, "
            f"got {field_issues!r}")


def test_every_raw_row_accounted_and_merges_counted(nasty):
    accounting = {
        r[0]: r[1:]
        for r in query(
            nasty,
            "select source_table, rows_landed, rows_clean, rows_merged, rows_quarantined, "
            "csv_lines_rejected from marts.ingest_accounting",
        )
    }
    merged_expected = Counter(r["table"] for r in NASTY_ROWS if r["expected"] == "merged")
    for table in ("customers", "orders", "events"):
        landed, clean, merged, quarantined, _ = accounting[table]
        assert landed == clean + merged + quarantined, table
        assert merged == merged_expected[table], (table, merged, merged_expected[table])
    # the CSV lines the reader could not split are counted and quarantined, not lost
    assert accounting["customers"][4] == 1  # the latin-1 line
    assert accounting["orders"][4] == 3  # too few, too many, unterminated quote
    (unknown,) = query(
        nasty,
        "select count(*) from marts.quarantine q left join seeds.quarantine_reasons r "
        "using (reason_code) where r.reason_code is null",
    )[0]
    assert unknown == 0, "every quarantined row carries a reason code from the seed"


def test_every_bad_fixture_row_has_an_expected_outcome():
    """Each bad_* row of the raw CSVs is listed in expected_outcomes.csv (and vice versa)."""
    listed = {(r["table"], r["record_id"]) for r in NASTY_ROWS}
    found = set()
    for table, id_col in ID_COLUMN.items():
        # the table's file and its part files (class 5: a part that lacks a column)
        for path in [NASTY / f"{table}.csv.raw", *sorted((NASTY / table).glob("*.csv.raw"))]:
            text = path.read_bytes().decode("utf-8", errors="replace")
            for rec in csv.DictReader(text.lstrip("\ufeff").splitlines()):
                rid = rec.get(id_col) or ""
                if rid.startswith("bad_"):
                    found.add((table, rid))
    # CSV lines that cannot be parsed still carry their id in the text
    for table, rid in list(found):
        assert (table, rid) in listed, f"{table} row {rid!r} has no expected outcome"
    ids_in_files = {rid for _, rid in found}
    for _table, rid in listed:
        if rid.startswith("bad_"):
            assert rid in ids_in_files, rid
    classes = {int(r["class_no"]) for r in EXPECTED}
    assert len(classes) >= 30, sorted(classes)
    cases = {r["record_id"].split("/", 1)[1] for r in BAD_FILE_ROWS}
    assert cases == set(BAD_FILE_CASES)


def test_injection_looking_text_is_stored_verbatim(nasty_build, nasty):
    """SQL-, Jinja- and formula-looking values are data: verbatim in landing and in the facts,
    never executed or rendered, and every model of the project still exists afterwards."""
    landed = dict(query(
        nasty,
        "select source_customer_id, first_name || '|' || last_name "
        "from landing.base_raw__customers "
        "where source_customer_id in ('bad_23_sql', 'bad_24_jinja', 'bad_25_formula')",
    ))
    assert landed["bad_23_sql"] == f"Ann|{SQL_TEXT}"
    assert landed["bad_24_jinja"] == f"{JINJA_TEXT}|{JINJA_BLOCK}"
    assert landed["bad_25_formula"] == f"Ann|{FORMULA_TEXT}"
    events = {r[0]: r[1:] for r in query(
        nasty,
        "select event_id, page_url, product_id, session_id from marts.fct_events "
        "where event_id like 'bad_2%'",
    )}
    assert events["bad_23_sql_url"][0] == "x'); DROP TABLE marts.fct_events;--"
    assert events["bad_24_jinja_url"][:2] == (JINJA_TEXT, JINJA_BLOCK)
    assert events["bad_25_formula_url"] == (FORMULA_TEXT, "+cmd|' /C calc'!A0", "@SUM(1+1)")
    order_ids = {r[0] for r in query(nasty, "select order_id from marts.fct_orders")}
    assert {"bad_23_sql'); DROP TABLE orders;--", "bad_24_jinja_{{ var('x') }}",
            "=bad_25_formula()"} <= order_ids
    # every table / view the build made is still there
    missing = nasty_build.built - relation_names(nasty)
    assert not missing, f"relations missing after the build: {sorted(missing)}"
    (n_orders,) = query(nasty, "select count(*) from marts.fct_orders")[0]
    assert n_orders > 0


def test_unicode_names_round_trip(nasty):
    """Names come out NFC, with non-Latin scripts and emoji preserved byte for byte."""
    rows = query(
        nasty,
        "select first_name, last_name from intermediate.int_customers__validated "
        "where first_name is not null or last_name is not null",
    )
    for first, last in rows:
        for name in (first, last):
            if name is not None:
                assert unicodedata.normalize("NFC", name) == name, repr(name)
    names = {r[0] for r in rows}
    assert {"Jos\u00e9", "李雷", "שלום", "🦆 Duck"} <= names


def test_degenerate_names_are_kept_whole_in_landing(nasty):
    (length,) = query(
        nasty,
        "select length(first_name) from landing.base_raw__customers "
        "where source_customer_id = 'bad_22_very_long'",
    )[0]
    assert length == 501


# --------------------------------------------------------------------------------------------
# whole-file problems: land each bad file alone
# --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def bad_file_runs(workspace) -> dict[str, tuple[dict, int, str, Path | None]]:
    """Land every bad_files case alone (`dbt run -s landing`), one after the other in the
    shared workspace; case -> (spec, exit code, output, warehouse copy when it succeeded).
    Cases with their own --vars go last: changing vars makes dbt parse again."""
    specs = {c: json.loads((BAD_FILES / c / "case.json").read_text(encoding="utf-8"))
             for c in BAD_FILE_CASES}
    runs = {}
    for case in sorted(BAD_FILE_CASES, key=lambda c: (bool(specs[c].get("vars")), c)):
        spec = specs[case]
        workspace.drop_warehouse()
        raw = workspace.load_raw(BAD_FILES / case)
        long_line = spec.get("append_long_line")
        if long_line:  # generated here: a multi-MB fixture has no place in the repository
            with open(raw / long_line["file"], "ab") as f:
                f.write(b"webshop,o_long,c_1,2024-03-05T10:00:00,1.00,USD,completed,web,1,<p>"
                        + b"x" * long_line["bytes"] + b"</p>\n")
        run_vars = {**RUN_VARS, **spec.get("vars", {})}
        code, out = workspace.run(["run", "-s", "landing"], vars=run_vars)
        runs[case] = (spec, code, out, workspace.snapshot(case) if code == 0 else None)
    return runs


@pytest.mark.parametrize("case", BAD_FILE_CASES)
def test_bad_file(bad_file_runs, case):
    spec, code, out, warehouse = bad_file_runs[case]
    for text in spec.get("must_mention", []):
        assert text in out, f"{case}: the dbt output does not mention {text!r}:\n{tail(out)}"
    if spec["expect"] == "error":
        assert code != 0, f"{case}: dbt should have stopped with an error:\n{tail(out)}"
        assert "Compilation Error" in out, tail(out)
        return
    assert code == 0, f"{case}: dbt should have succeeded:\n{tail(out)}"
    for table, n in spec.get("landed", {}).items():
        assert table in ID_COLUMN, table
        (landed,) = query(warehouse, f"select count(*) from landing.base_raw__{table}")[0]
        assert landed == n, (case, table, landed, n)
    rejects = query(
        warehouse,
        "select source_table, line, reason_code from landing.base_raw__csv_rejects order by 1, 2",
    )
    assert [list(r) for r in rejects] == spec.get("rejects", []), case
    for table, record_id, column, value in spec.get("values", []):
        assert table in ID_COLUMN and CHECK_COLUMN.match(column), (table, column)
        rows = query(
            warehouse,
            f"select {column} from landing.base_raw__{table} where {ID_COLUMN[table]} = ?",
            [record_id],
        )
        assert rows == [(value,)], (case, record_id, column, rows)


def test_bot_burst_customer_is_flagged(nasty):
    """Class 44: 40 events in one minute are all kept, and their customer is_bot_suspect
    (customer_engagement, var engagement__bot_events_per_minute) while the ordinary customer
    c_ok (a 10-second burst outside the 90-day window) is not."""
    flags = dict(query(
        nasty,
        "select m.source_customer_id, e.is_bot_suspect from marts.customer_identity_map m "
        "join marts.customer_engagement e using (customer_key) "
        "where m.source_system = 'webshop' and m.source_customer_id in ('bad_44_bot', 'c_ok')",
    ))
    assert flags.get("bad_44_bot") is True and flags.get("c_ok") is False, flags
    (kept,) = query(
        nasty, "select count(*) from marts.fct_events where event_id like 'bad_44_bot_%'")[0]
    assert kept == 40


CATALOGUE_ROW = re.compile(r"^\| (\d+) \| ([^|]+) \|(.*)\|$")
STATUSES = ("done", "partial", "not yet", "n/a")


def test_catalogue_doc_lists_all_51_classes_with_status_and_existing_tests():
    """docs/bad_input.md has one row per class 1-51, each with a status, and every test the
    proof column names exists in tests/python."""
    doc = (FIXTURES.parents[1] / "docs" / "bad_input.md").read_text(encoding="utf-8")
    rows = {int(m[1]): m[3] for line in doc.splitlines() if (m := CATALOGUE_ROW.match(line))}
    assert sorted(rows) == list(range(1, 52)), sorted(set(range(1, 52)) - set(rows))
    sources = "\n".join(p.read_text(encoding="utf-8")
                        for p in (FIXTURES.parent / "python").rglob("test_*.py"))
    for no, rest in rows.items():
        cells = [c.strip() for c in rest.split("|")]
        status, proof = cells[-2], cells[-1]
        assert status.startswith(STATUSES), (no, status)
        for name in re.findall(r"\b(test_[a-z0-9_]+)\b(?!\.py)", proof):
            assert f"def {name}(" in sources, f"class {no}: {name} does not exist"
        if not status.startswith(("not yet", "n/a")):
            assert proof and proof != "—", f"class {no} is {status} without a proof"


def _test_ids(warned: set[str], name: str) -> list[str]:
    return [uid for uid in warned if uid.split(".")[2] == name]


def test_orders_before_signup_make_the_warn_test_warn(nasty_build, nasty):
    """Class 31: the order dated before its customer's signup is kept and flagged
    (test_nasty_row_outcome), and the warn-severity test quality_orders_before_signup_share
    warns: the share is above var quality__max_share_orders_before_signup (0 here). The
    volume test does not warn: every raw table landed rows on this first run."""
    (before,) = query(nasty, "select count(*) from marts.fct_orders where is_before_signup")[0]
    assert before >= 1
    assert _test_ids(nasty_build.warned, "quality_orders_before_signup_share"), (
        f"the before-signup test did not warn; warned: {sorted(nasty_build.warned)}")
    assert not _test_ids(nasty_build.warned, "ingest_volume_drop"), sorted(nasty_build.warned)
    assert nasty_build.exit_code == 0  # a warning, not a failure


def test_erasure_request_variants_match_on_the_normalized_key(nasty):
    """Class 49: a request for '  ERINRASE+newsletter@GMail.com ' (spaces, upper case, a plus
    tag, the gmail dot left out) erases the customer whose e-mail is Erin.Rase@gmail.com (the
    record is gone: test_nasty_row_outcome 'erased'); a request for an unknown person is logged
    no_match, not an error; the erased raw row is accounted as rows_erased."""
    log = query(nasty, "select status, matched_customer_count from marts.erasure_log "
                       "order by status")
    assert log == [("erased", 1), ("no_match", 0)], log
    (erased,) = query(nasty, "select rows_erased from marts.ingest_accounting "
                             "where source_table = 'customers'")[0]
    assert erased == 1
    # the lookalike customers of the fixture (Ann Lee, same phone) are all still there
    (ann,) = query(nasty, "select count(*) from intermediate.int_customers__validated "
                          "where source_customer_id = 'bad_17_email_case'")[0]
    assert ann == 1


def _landing_build(workspace, raw_src: Path, name: str, orders_lines: int | None = None):
    """`dbt run -s landing` + `dbt test -s ingest_volume_drop` on a raw folder, in the
    workspace's warehouse as it is (the volume log keeps the earlier runs); orders.csv replaced
    by a part file with its first `orders_lines` lines when given. Returns (exit code, output,
    warned tests, volume log)."""
    raw = workspace.load_raw(raw_src)
    if orders_lines is not None:  # a new file name: landing may skip a path it landed before
        lines = (raw / "orders.csv").read_bytes().splitlines(keepends=True)
        (raw / "orders.csv").unlink()
        (raw / "orders" / "part-cut.csv").write_bytes(b"".join(lines[:orders_lines]))
    code, out = workspace.run(["run", "-s", "landing"], vars=RUN_VARS)
    if code == 0:  # the landing run, then the volume test (other landing tests read seeds)
        code, out = workspace.run(["test", "-s", "ingest_volume_drop"], vars=RUN_VARS)
    results = json.loads((workspace.root / "target" / "run_results.json").read_text())["results"]
    warned = {r["unique_id"] for r in results if r["status"] == "warn"}
    log = query(workspace.warehouse, "select source_table, rows_landed from "
                "landing.ingest_volume_log where invocation_id = (select invocation_id from "
                "landing.ingest_volume_log order by run_at desc limit 1) order by 1")
    workspace.snapshot(name)
    return code, out, warned, dict(log)


def test_header_only_file_and_a_volume_drop_make_the_volume_test_warn(workspace):
    """Class 2: rows landed per raw table and run go to landing.ingest_volume_log, and the
    warn-severity test ingest_volume_drop warns when the latest run landed 0 rows (a
    header-only file) or more than var ingest__volume_max_drop_share (0.5) fewer rows than the
    run before. Three runs into one warehouse: the nasty data (no warning), the same with
    orders.csv cut to 5 rows (a drop: 6 orders with the part file, warns), the header-only
    orders file alone (0 rows: warns)."""
    workspace.drop_warehouse()
    code, out, warned, log = _landing_build(workspace, NASTY, "volume_1")
    assert code == 0, tail(out)
    assert log["orders"] > 10 and not _test_ids(warned, "ingest_volume_drop"), (log, warned)
    code, out, warned, log = _landing_build(workspace, NASTY, "volume_2", orders_lines=6)
    assert code == 0, tail(out)
    assert log["orders"] == 6 and _test_ids(warned, "ingest_volume_drop"), (log, warned)
    code, out, warned, log = _landing_build(workspace, BAD_FILES / "header_only", "volume_3")
    assert code == 0, tail(out)
    assert log["orders"] == 0 and _test_ids(warned, "ingest_volume_drop"), (log, warned)
    assert "WARN" in out and "ingest_volume_drop" in out
    (runs,) = query(workspace.warehouse,
                    "select count(distinct invocation_id) from landing.ingest_volume_log")[0]
    assert runs == 3
