"""End-to-end: the whole project built for real on generated demo data."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.dbt


def test_every_raw_row_is_accounted_for(demo_build):
    rows = demo_build.query(
        "select source_table, rows_landed, rows_clean, rows_merged, rows_quarantined "
        "from marts.ingest_accounting"
    )
    assert {r[0] for r in rows} == {"customers", "orders", "events"}
    for table, landed, clean, merged, quarantined in rows:
        assert landed > 0, table
        assert landed == clean + merged + quarantined, table
        assert quarantined > 0, f"the demo data plants bad {table} rows"


def test_quarantine_rows_have_known_reasons_and_raw_json(demo_build):
    unknown = demo_build.query(
        "select distinct q.reason_code from marts.quarantine q "
        "left join seeds.quarantine_reasons r using (reason_code) where r.reason_code is null"
    )
    assert unknown == []
    bad_json = demo_build.query(
        "select count(*) from marts.quarantine where source_row_id like '%#%' "
        "and json_valid(raw_record) is not true"
    )
    assert bad_json == [(0,)]


def test_quarantine_matches_planted_defects(demo_build):
    metrics = dict(demo_build.query(
        "select metric, value from marts.quality_metrics where metric_group = 'quarantine' "
        "and (metric like 'recall__%' or metric like 'precision__%')"
    ))
    assert metrics, "truth is present in the demo data, so quarantine recall/precision exist"
    for name, value in metrics.items():
        assert value >= 0.9, (name, value)


def test_quality_floors_pass(demo_build):
    failing = demo_build.query(
        "select metric_id, value, floor_value from marts.quality_metrics where is_passed = false"
    )
    assert failing == []


def test_facts_are_keyed_to_customers(demo_build):
    (missing,) = demo_build.query(
        "select count(*) from marts.fct_orders where customer_key is null"
    )[0]
    assert missing == 0


def test_summary_prints_reasons(demo_build):
    out = subprocess.run(
        [sys.executable, "-m", "segkit.summary", "--warehouse", str(demo_build.warehouse)],
        capture_output=True, text=True, check=True,
    ).stdout
    assert "Quarantined rows by reason" in out
    assert "orders" in out and "customers" in out
