"""Segment history end to end: two periods, a rebuild, cluster continuity and a rollback.

One warehouse, built in sequence (dbt for real, only the models the history needs, data
tests run once at the end on the history models):

1. period A (as_of_date 2024-06-23, later rows are future -> quarantined),
2. the registry's labels of A are swapped for clusters 0 and 1 (a "previous run" that
   numbered the groups differently) and a customer only A knew is added to the snapshot (a
   hard delete at B), then period B (2024-06-30: a week more data),
3. period B rebuilt on the same inputs -> no new history, version or registry rows,
4. rollback: B rebuilt with var history__cluster_pinned_version = A's version, with the data
   tests of everything it rebuilds (the history models included).
"""

from __future__ import annotations

import duckdb
import pytest

from tests.python.conftest import DEMO_SEED, generate
from tests.python.dbt_helpers import DbtWorkspace, query, query_dicts, tail

pytestmark = pytest.mark.dbt

A, B = "2024-06-23", "2024-06-30"
CUSTOMERS = 1000
UPSTREAM = ["+path:models/history", "+path:python_models/history", "+path:snapshots",
            # incremental identity reads its sibling int_customers__skipped_blocks
            "path:models/intermediate/identity"]
NO_TESTS = ["--exclude-resource-type", "test", "unit_test"]
COUNTS = {
    "snapshot": "select count(*) from history.segment_membership_snapshot",
    "history": "select count(*) from marts.segment_history",
    "runs": "select count(*) from marts.history_runs",
    "model_runs": "select count(*) from marts.model_runs",
    "registry": "select count(*) from history.customer_cluster_versions",
    "lineage": "select count(*) from marts.cluster_lineage",
    "distributions": "select count(*) from history.history_distributions",
    "transitions": "select sum(customer_count) from marts.segment_transitions",
}


def _counts(wh) -> dict[str, int]:
    return {k: query(wh, q)[0][0] for k, q in COUNTS.items()}


def _build(ws: DbtWorkspace, as_of: str, select=UPSTREAM, **extra) -> None:
    code, out = ws.run(["build", "--select", *select, *NO_TESTS],
                       vars={"as_of_date": as_of, **extra})
    assert code == 0, tail(out)


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    ws = DbtWorkspace(tmp_path_factory.mktemp("history"))
    generate(ws.raw_dir, CUSTOMERS, DEMO_SEED)
    _build(ws, A)                               # seeds are upstream: built here too
    state = {"a": ws.snapshot("a")}
    con = duckdb.connect(str(ws.warehouse))
    # a previous run that called cluster 0 "1" and cluster 1 "0"
    con.execute("update history.customer_cluster_versions set cluster_id = case cluster_id "
                "when 0 then 1 when 1 then 0 else cluster_id end")
    # a customer who was in period A and is gone in B (hard delete)
    con.execute(f"""
        insert into history.segment_membership_snapshot by name
        select 'ghost' as customer_key, 'Champions' as rfm_segment,
            'Unsegmented' as primary_segment, '0' as cluster_segment,
            'low' as churn_risk_band, 'x' as membership_hash, false as is_deleted,
            timestamp '{A}' as membership_changed_at, 'ghost' as dbt_scd_id,
            timestamp '{A}' as dbt_updated_at, timestamp '{A}' as dbt_valid_from,
            null as dbt_valid_to""")
    con.close()
    _build(ws, B)
    state["b"] = ws.snapshot("b")
    _build(ws, B)
    state["b_again"] = ws.snapshot("b_again")
    version_a = query(state["b"], "select version_id from history.customer_cluster_versions "
                      "where version_sequence = 1")[0][0]
    # rollback, with the data tests of everything it rebuilds (history models included)
    code, out = ws.run(["build", "--select", *[f"customer_clusters+,{u}" for u in UPSTREAM[:3]],
                        "history_transitions_sum_to_population",
                        "--exclude-resource-type", "unit_test", "--indirect-selection",
                        "cautious"],
                       vars={"as_of_date": B, "history__cluster_pinned_version": version_a})
    state["rollback"] = ws.snapshot("rollback")
    state["test_code"], state["test_out"] = code, out
    state["version_a"] = version_a
    return state


def test_two_periods_give_history_and_transitions(history):
    wh = history["b"]
    assert [r[0].isoformat() for r in query(wh, "select as_of_date from marts.history_runs "
                                                "order by 1")] == [A, B]
    # customers who changed RFM segment between A and B have two stretches, one closed
    changed = query(wh, """
        select count(*) from (
            select customer_key from marts.segment_history where segment_family = 'rfm'
            group by customer_key having count(*) = 2 and count(valid_to) = 1)""")[0][0]
    assert changed > 50
    per_period = query_dicts(wh, """
        select period_date, segment_family, sum(customer_count) as total,
               sum(case when from_segment = '(new)' then customer_count else 0 end) as entries,
               sum(case when from_segment <> to_segment then customer_count else 0 end) as moved
        from marts.segment_transitions group by 1, 2 order by 1, 2""")
    first = [r for r in per_period if r["period_date"].isoformat() == A]
    second = [r for r in per_period if r["period_date"].isoformat() == B]
    assert {r["segment_family"] for r in first} == {"rfm", "primary_rule", "cluster",
                                                   "churn_risk"}
    assert all(r["entries"] == r["total"] for r in first)       # first period: all entries
    rfm_b = next(r for r in second if r["segment_family"] == "rfm")
    population_b = query(wh, "select count(*) from marts.customer_segments")[0][0]
    assert rfm_b["total"] == population_b + 1                   # + the deleted ghost
    assert rfm_b["moved"] == changed + 1                        # movers + the ghost's exit
    days = query(wh, "select min(days_in_segment), max(days_in_segment) "
                     "from marts.customer_time_in_segment")[0]
    assert days == (0, 7)


def test_hard_delete_closes_the_history(history):
    wh = history["b"]
    versions = query(wh, "select is_deleted, dbt_valid_from, dbt_valid_to "
                         "from history.segment_membership_snapshot "
                         "where customer_key = 'ghost' order by dbt_valid_from")
    assert [(v[0], v[1].date().isoformat()) for v in versions] == [(False, A), (True, B)]
    stretches = query(wh, "select segment_family, is_current, cast(valid_to as date) "
                          "from marts.segment_history where customer_key = 'ghost'")
    assert len(stretches) == 4 and all(not s[1] and s[2].isoformat() == B for s in stretches)
    exits = query(wh, "select segment_family, from_segment, customer_count from "
                      "marts.segment_transitions where to_segment = '(exited)'"
                      f" and period_date = '{B}' order by 1")
    assert exits == [("churn_risk", "low", 1), ("cluster", "0", 1),
                     ("primary_rule", "Unsegmented", 1), ("rfm", "Champions", 1)]
    assert query(wh, "select count(*) from marts.customer_time_in_segment "
                     "where customer_key = 'ghost'") == [(0,)]


def test_rebuild_on_same_inputs_adds_nothing(history):
    assert _counts(history["b_again"]) == _counts(history["b"])
    assert query(history["b_again"], "select count(distinct version_id) from "
                 "history.customer_cluster_versions")[0][0] == 2


def test_model_runs_records_one_version_per_model_and_period(history):
    rows = query_dicts(history["b"], "select model_name, count(*) as versions, "
                       "count(distinct as_of_date) as dates from marts.model_runs group by 1")
    assert {r["model_name"] for r in rows} >= {"customer_clusters", "customer_outliers",
                                               "customer_churn_scores", "customer_clv"}
    assert all(r["versions"] == 2 and r["dates"] == 2 for r in rows)
    params = query(history["b"], "select parameters_json, metrics_json from marts.model_runs "
                   "where model_name = 'customer_clusters' limit 1")[0]
    assert '"feature_cols"' in params[0] and '"cluster_count"' in params[1]


def test_model_selection_is_made_again_only_on_its_cadence(history):
    """ml__reselect_every_days (7): A's full build chooses (sequence 1); B, 7 days later,
    chooses again (sequence 2, the older rows deleted); B rebuilt keeps B's choice."""
    sql = ("select selected_as_of, selection_sequence, count(*) from marts.{} "
           "group by 1, 2 order by 1")
    for table in ("cluster_model_selection", "model_metrics"):
        for state in ("b", "b_again"):
            rows = query(history[state], sql.format(table))
            assert [(r[0].isoformat(), r[1]) for r in rows] == [(B, 2)], (table, state, rows)
    recorded = query(history["b_again"], """
        select model_name, cast(as_of_date as varchar), metrics_json from marts.model_runs
        where model_name in ('cluster_model_selection', 'model_metrics') order by 1, 2""")
    assert [(r[0], r[1]) for r in recorded] == [
        ("cluster_model_selection", A), ("cluster_model_selection", B),
        ("model_metrics", A), ("model_metrics", B)]
    days = [A, B, A, B]
    assert all(f'"selected_as_of": "{d}"' in r[2]
               for r, d in zip(recorded, days, strict=True)), recorded


def test_relabelled_cluster_keeps_its_id(history):
    # B's fit numbers clusters by size, like A's; continuity must follow the swapped registry
    overlap = query_dicts(history["b"], """
        select prev.cluster_id as previous_id, cur.cluster_id as current_id, count(*) as n
        from history.customer_cluster_versions as prev
        inner join marts.customer_clusters as cur on prev.customer_key = cur.customer_key
        where prev.version_sequence = 1
        group by 1, 2""")
    best: dict[int, tuple[int, int]] = {}
    for r in overlap:
        if r["n"] > best.get(r["previous_id"], (-1, 0))[1]:
            best[r["previous_id"]] = (r["current_id"], r["n"])
    continued = query(history["b"], "select cluster_id from marts.cluster_lineage where "
                      f"as_of_date = '{B}' and lineage_event = 'continued'")
    assert {0, 1} <= {r[0] for r in continued}
    # the group the (swapped) previous run called 1 is still called 1, and 0 still 0
    assert best[0][0] == 0 and best[1][0] == 1
    unswapped = query(history["a"], "select cluster_id, count(*) from marts.customer_clusters "
                      "group by 1 order by 2 desc limit 1")[0][0]
    assert unswapped == 0                     # A's own fit called the largest group 0
    lineage_a = query(history["b"], "select distinct lineage_event from marts.cluster_lineage "
                      f"where as_of_date = '{A}'")
    assert lineage_a == [("first_run",)]


def test_drift_first_run_then_measured(history):
    first = query(history["a"], "select distinct status from marts.segment_drift")
    assert first == [("no_previous_run",)]
    rows = query_dicts(history["b"], "select name, psi, status, previous_as_of_date "
                       "from marts.segment_drift")
    assert all(r["previous_as_of_date"].isoformat() == A for r in rows)
    psi = {r["name"]: r["psi"] for r in rows}
    assert psi["recency_days"] is not None and psi["rfm"] is not None
    assert all(v is None or v >= 0 for v in psi.values())
    # a week of data moves recency-like features more than birth-year-like ones
    assert psi["days_since_last_activity"] > psi["age_years"]


def test_rollback_restores_previous_labels(history):
    wh = history["rollback"]
    mismatched = query(wh, f"""
        select count(*), sum(case when prev.cluster_id <> cur.cluster_id then 1 else 0 end)
        from history.customer_cluster_versions as prev
        inner join marts.customer_clusters as cur on prev.customer_key = cur.customer_key
        where prev.version_id = '{history["version_a"]}'""")[0]
    assert mismatched[0] > 800 and mismatched[1] == 0
    assert query(wh, "select distinct cluster_event from marts.customer_clusters") == [
        ("restored",)]
    # recorded as a new version and, in the history, as a correction of period B
    assert query(wh, "select count(*) from marts.model_runs where model_name = "
                 "'customer_clusters' and parameters_json like '%pinned_version\": \"%'"
                 f" and parameters_json like '%{history['version_a']}%'")[0][0] == 1
    corrected = query(wh, f"""
        select count(*) from history.segment_membership_snapshot
        where dbt_valid_from = cast('{B}' as timestamp) + interval 1 second""")[0][0]
    assert corrected > 0


def test_history_data_tests_pass(history):
    assert history["test_code"] == 0, tail(history["test_out"])
