"""Injection through data, seeds, vars and rule YAML (catalogue classes 23-25, 46, 47): every
attempt either round-trips as plain data or stops dbt with a compile error naming the setting
or the rule, and every table still exists afterwards.

Fixtures elsewhere (counted in docs/reliability.md): data rows bad_23/24/25 of the nasty
dataset (test_bad_input.py::test_injection_looking_text_is_stored_verbatim), six malicious
rules passed as var segments__rules (test_segments_e2e.py::
test_bad_rules_fail_at_parse_time_and_run_nothing), and the unit test
customer_rule_segments__nested_groups_lists_and_quotes (a quote inside a rule value). This
module adds the rest:

* `BAD_VARS`: vars whose values try to change the SQL -> a compile error naming the var,
  nothing written to the warehouse (`dbt build` of the model that reads the var);
* one real build (`round_trip`) of the nasty dataset where a seed row, a rule name and rule
  values, a NULL-token var, a raw column header and the raw folder's own path carry quotes
  and SQL: each comes out as the same text, and every relation of the build exists.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from tests.python.dbt_helpers import (
    FIXTURES,
    ROOT,
    materialize_raw_dir,
    query,
    relation_names,
    run_dbt,
    tail,
)

pytestmark = pytest.mark.dbt

AS_OF_DATE = "2024-06-30"
SOURCE_SETTINGS = yaml.safe_load((ROOT / "dbt_project.yml").read_text())["vars"][
    "raw__source_settings"]


def _settings(**webshop) -> dict:
    s = json.loads(json.dumps(SOURCE_SETTINGS))
    s["webshop"].update(webshop)
    return {"raw__source_settings": s}


# (id, vars, model to build, text the error must contain)
BAD_VARS = [
    ("as_of_date", {"as_of_date": "2024-06-30' or 1=1 --"}, "int_run__as_of_date",
     "var as_of_date must be a date"),
    ("timezone", _settings(timezone="UTC'); drop table marts.fct_orders; --"), "stg_raw__orders",
     "var raw__source_settings.webshop.timezone: invalid zone"),
    ("date_format", _settings(timestamp_formats=["%Y-%m-%d'); drop table seeds.fx_rates; --"]),
     "stg_raw__orders", "var raw__source_settings.webshop.timestamp_formats: invalid format"),
    ("currency", _settings(default_currency="USD' || (select 1) || '"), "stg_raw__orders",
     "var raw__source_settings.webshop.default_currency: expected an ISO code"),
    ("null_token", {"quality__null_tokens": ["n/a", "x'); drop table marts.fct_orders; --"]},
     "stg_raw__orders", "unsafe literal in configuration"),
    ("rfm_bins", {"rfm__bins": "5; drop table marts.customer_rfm"}, "customer_rfm",
     "var rfm__bins must be a whole number from 2 to 9"),
    ("session_gap", {"engagement__session_gap_minutes": "30 or 1=1"}, "int_run__as_of_date",
     "var engagement__session_gap_minutes must be a number"),
    ("max_order_amount", {"quality__max_order_amount": "1e9; drop table marts.fct_orders"},
     "int_run__as_of_date", "var quality__max_order_amount must be a number"),
    ("rule_backslash_name", {"segments__rules": [
        {"name": "x\\'; drop table y; --", "description": "d", "priority": 1,
         "conditions": [{"feature": "frequency", "op": ">=", "value": 0}]}]},
     "customer_rule_segments", "text values may not contain backslashes"),
]


@pytest.mark.parametrize("name, run_vars, model, message", BAD_VARS,
                         ids=[b[0] for b in BAD_VARS])
def test_injection_through_vars_stops_with_an_error_naming_it(tmp_path, name, run_vars, model,
                                                              message):
    wh = tmp_path / "w.duckdb"
    raw = materialize_raw_dir(FIXTURES / "nasty", tmp_path / "raw")
    code, out = run_dbt(["build", "--select", model, "--exclude", "resource_type:unit_test"],
                        wh, raw, vars={"as_of_date": AS_OF_DATE, **run_vars})
    assert code != 0, f"{name}: dbt must stop"
    assert message in out, tail(out)
    assert "Compilation Error" in out or "compilation error" in out.lower(), tail(out)
    built = relation_names(wh) if wh.exists() else set()
    assert not {r for r in built if r.split(".")[0] in ("marts", "staging", "intermediate")}, (
        f"{name}: nothing may be built, found {sorted(built)}")


# --------------------------------------------------------------------------------------------
# round trip: one build where the injection attempts must come out as data
# --------------------------------------------------------------------------------------------
SEED_ALIAS = "Books'); DROP TABLE seeds.category_aliases; --"
RULE_NAME = "O'Reilly \"VIPs\"); drop table marts.customer_rule_segments; --"
RULE_LIST_VALUE = "x'); drop table marts.fct_orders; --"
NULL_TOKEN = "o'reilly"
HEADER = 'utm"); drop table marts.fct_orders; --'
RAW_DIR_NAME = "it's raw; drop"


@dataclass
class RoundTrip:
    warehouse: Path
    code: int
    output: str
    built: set[str]


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory) -> RoundTrip:
    root = tmp_path_factory.mktemp("injection")
    project = root / "project"
    shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(
        ".git", ".venv*", ".secrets", "target", "logs", "warehouse", "data", "reports",
        "dbt_packages", "python", "__pycache__"))
    with open(project / "seeds" / "category_aliases.csv", "a", encoding="utf-8") as f:
        f.write(f"\"{SEED_ALIAS.upper()}\",fashion\n")
    raw = materialize_raw_dir(FIXTURES / "nasty", root / RAW_DIR_NAME)
    orders = raw / "orders.csv"
    rows = list(csv.reader(io.StringIO(orders.read_text(encoding="utf-8"))))
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow([*rows[0], HEADER])
    for r in rows[1:]:
        w.writerow([*r, "x"])
    w.writerow(["webshop", "inj_seed_alias", "c_ok", "2024-03-05T10:00:00", "10.00", "USD",
                "completed", "web", "1", SEED_ALIAS, "x"])
    orders.write_text(out.getvalue(), encoding="utf-8")
    rules = [
        {"name": RULE_NAME, "description": "it's \"quoted\"; -- not SQL", "priority": 1,
         "conditions": [{"feature": "frequency", "op": ">=", "value": 0}]},
        {"name": "List Literal", "description": "d", "priority": 2,
         "conditions": [{"feature": "city", "op": "not_in",
                         "value": [RULE_LIST_VALUE, "O'Reilly"]}]},
    ]
    run_vars = {"as_of_date": AS_OF_DATE, "segments__rules": rules,
                "quality__null_tokens": ["n/a", "null", "none", "-", NULL_TOKEN]}
    wh = root / "w.duckdb"
    code, out_seed = run_dbt(["seed", "--quiet"], wh, raw, vars=run_vars, project_dir=project,
                             work=root)
    assert code == 0, tail(out_seed)
    code, output = run_dbt(
        ["build", "--select", "+customer_rule_segments", "+fct_orders", "ingest_schema_drift",
         "--exclude", "resource_type:unit_test", "--indirect-selection", "cautious"],
        wh, raw, vars=run_vars, project_dir=project, work=root)
    manifest = json.loads((root / "target" / "manifest.json").read_text())
    results = json.loads((root / "target" / "run_results.json").read_text())["results"]
    ok = {r["unique_id"] for r in results if r["status"] == "success"}
    built = {f"{n['schema']}.{n['alias']}" for uid, n in manifest["nodes"].items()
             if uid in ok and n["resource_type"] in ("model", "seed")
             and n["config"].get("materialized") != "ephemeral"}
    return RoundTrip(wh, code, output, built)


def test_round_trip_build_is_green_and_every_relation_exists(round_trip):
    assert round_trip.code == 0, tail(round_trip.output)
    missing = round_trip.built - relation_names(round_trip.warehouse)
    assert round_trip.built and not missing, sorted(missing)
    assert "marts.customer_rule_segments" in round_trip.built


def test_seed_value_with_sql_round_trips(round_trip):
    rows = query(round_trip.warehouse,
                 "select category from seeds.category_aliases where alias = ?",
                 [SEED_ALIAS.upper()])
    assert rows == [("fashion",)]
    (cat,) = query(round_trip.warehouse,
                   "select product_category from marts.fct_orders where order_id = ?",
                   ["inj_seed_alias"])[0]
    assert cat == "fashion"


def test_rule_name_and_list_values_round_trip(round_trip):
    names = dict(query(round_trip.warehouse,
                       "select rule_name, count(*) from marts.customer_rule_segments group by 1"))
    (customers,) = query(round_trip.warehouse, "select count(*) from marts.dim_customers")[0]
    assert names.get(RULE_NAME) == customers > 0, names
    assert names.get("List Literal", 0) > 0, names


def test_null_token_with_a_quote_is_a_literal(round_trip):
    """The customer whose last name is exactly the configured token (any case) gets NULL;
    nobody else changes."""
    landed = dict(query(round_trip.warehouse,
                        "select source_customer_id, last_name from landing.base_raw__customers "
                        "where lower(trim(last_name)) = ?", [NULL_TOKEN]))
    assert landed, "the nasty fixture has a customer named O'Reilly"
    cleaned = dict(query(round_trip.warehouse,
                         "select source_customer_id, last_name "
                         "from staging.stg_raw__customers where source_customer_id in "
                         f"({', '.join('?' for _ in landed)})", list(landed)))
    assert cleaned and all(v is None for v in cleaned.values()), cleaned


def test_sql_looking_header_and_quoted_raw_path_are_harmless(round_trip):
    (n,) = query(round_trip.warehouse, "select count(*) from landing.base_raw__orders")[0]
    assert n > 40
    columns = {r[0] for r in query(
        round_trip.warehouse,
        "select column_name from information_schema.columns where table_name = 'base_raw__orders'")}
    assert HEADER not in columns, "extra columns are ignored, never pasted into SQL"
    # ... and logged as data (class 4): the SQL-looking header is a row of the drift log
    # (the header as written by the CSV writer: quoted, its quote doubled)
    drift = query(round_trip.warehouse,
                  "select source_table, column_position, column_name "
                  "from landing.ingest_schema_drift where drift_type = 'extra_column'")
    assert [d[:2] for d in drift] == [("orders", 11)], drift
    assert drift[0][2].replace('""', '"') == HEADER, drift
    (path_ok,) = query(round_trip.warehouse,
                       "select bool_and(contains(_source_file, ?)) from landing.base_raw__orders",
                       [RAW_DIR_NAME])[0]
    assert path_ok
