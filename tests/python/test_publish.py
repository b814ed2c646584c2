"""Publishing after green: atomic switch, manifest, and a red build publishes nothing."""

from __future__ import annotations

import json

import duckdb
import pytest

from segkit import publish

pytestmark = pytest.mark.dbt


def _run_results(path, statuses):
    path.write_text(json.dumps({
        "metadata": {"invocation_id": "test-id", "generated_at": "2024-01-01T00:00:00Z"},
        "args": {"invocation_command": "dbt build"},
        "results": [{"unique_id": f"model.x.m{i}", "status": s} for i, s in enumerate(statuses)],
    }))
    return path


def test_green_build_is_published_and_readable(demo_build, tmp_path):
    rr = _run_results(tmp_path / "rr.json", ["success", "pass", "warn"])
    out = tmp_path / "pub"
    code = publish.main(["--warehouse", str(demo_build.warehouse), "--out", str(out),
                         "--run-results", str(rr)])
    assert code == 0
    manifest = json.loads((out / "current" / "manifest.json").read_text())
    assert manifest["build"]["invocation_id"] == "test-id"
    con = duckdb.connect(str(out / "current" / "segments.duckdb"), read_only=True)
    try:
        n = con.execute("select count(*) from marts.fct_orders").fetchone()[0]
    finally:
        con.close()
    assert n == manifest["row_counts"]["fct_orders"] > 0
    assert (out / "current" / "parquet" / "fct_orders.parquet").exists()


def test_red_build_leaves_the_published_copy_alone(demo_build, tmp_path):
    out = tmp_path / "pub"
    green = _run_results(tmp_path / "green.json", ["success"])
    assert publish.main(["--warehouse", str(demo_build.warehouse), "--out", str(out),
                         "--run-results", str(green)]) == 0
    before = (out / "current").resolve()
    red = _run_results(tmp_path / "red.json", ["success", "fail", "error"])
    assert publish.main(["--warehouse", str(demo_build.warehouse), "--out", str(out),
                         "--run-results", str(red)]) == 1
    assert (out / "current").resolve() == before


def test_a_reader_holding_the_published_copy_does_not_block_a_new_publish(demo_build, tmp_path):
    out = tmp_path / "pub"
    rr = _run_results(tmp_path / "rr.json", ["success"])
    args = ["--warehouse", str(demo_build.warehouse), "--out", str(out), "--run-results", str(rr)]
    assert publish.main(args) == 0
    reader = duckdb.connect(str(out / "current" / "segments.duckdb"), read_only=True)
    try:
        assert publish.main(args) == 0
        assert reader.execute("select count(*) from marts.fct_orders").fetchone()[0] >= 0
    finally:
        reader.close()
