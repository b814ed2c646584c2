"""The benchmark floor (segkit/bench/floor.py) on the session's demo build: every SQL model's
compiled SQL runs without dbt, and gives the same marts as the build, so the bench compares
dbt with the same work (docs/benchmarks.md)."""

from __future__ import annotations

import json

import duckdb
import pytest

from segkit.bench import floor

# deterministic marts of the build (no invocation ids or wall-clock times in their rows)
COMPARED = ["marts.customer_rfm", "marts.customer_rule_segments", "marts.customer_segments",
            "marts.dim_customers", "marts.quarantine", "marts.segment_history"]


@pytest.mark.dbt
def test_floor_runs_the_build_s_sql_and_gets_the_same_marts(demo_build, tmp_path):
    target = demo_build.warehouse.parent / "target"
    floor_db = tmp_path / "floor" / "segments.duckdb"
    out = tmp_path / "floor.json"
    assert floor.main(["--build-db", str(demo_build.warehouse), "--target", str(target),
                       "--floor-db", str(floor_db), "--out", str(out)]) == 0
    seconds = json.loads(out.read_text())
    for stage in ("staging", "identity", "segments", "ml", "history", "models"):
        assert seconds.get(stage, 0) > 0, (stage, seconds)
    # the Python-model stage's own peak (a child process that loads pandas and scikit-learn)
    assert 100 < seconds["ml_peak_rss_mb"] < 4096, seconds
    with duckdb.connect(str(floor_db), read_only=True) as con:
        con.execute(f"attach '{demo_build.warehouse}' as build (read_only)")
        for relation in COMPARED:
            n = con.execute(f"select count(*) from build.{relation}").fetchone()[0]
            assert n > 0, relation
            for a, b in ((relation, f"build.{relation}"), (f"build.{relation}", relation)):
                extra = con.execute(
                    f"select count(*) from (select * from {a} except all select * from {b})"
                ).fetchone()[0]
                assert extra == 0, f"{relation}: {extra} rows of {a} not in {b}"
