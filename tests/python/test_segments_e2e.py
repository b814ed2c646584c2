"""Segment marts end to end: generated data built for real, then checked as a whole.

* a 2,000-customer demo dataset is built once (`dbt seed` + `dbt build` of everything the
  segment marts need) and the marts are checked: one row per customer everywhere, exactly one
  RFM and one primary segment per customer, tie handling and bin direction of the scores,
  the feature vector the ML models expect, the churn training set, no PII in the BI table;
* orders-only input (customers and events files deleted) still builds RFM, features and
  customer_segments;
* malicious or malformed rules passed as var segments__rules stop dbt while it parses, with
  the rule's name in the message, before anything is created in the warehouse.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.python.dbt_helpers import ROOT, query, query_dicts, relation_names, run_dbt, tail

pytestmark = pytest.mark.dbt

CUSTOMERS = 2000
SEED = 1
SELECT = ["+segment_profiles", "+ml_churn_training_set"]
# customer_segments is also the project name: select the model by path, never the whole project
SEGMENT_MODELS = ["int_events__sessionized", "customer_rfm", "customer_rule_segments",
                  "path:models/marts/segments/customer_segments.sql", "ml_churn_training_set"]
RFM_SEGMENTS = {
    "Champions", "Loyal", "Potential Loyalist", "New Customers", "Promising", "Need Attention",
    "About To Sleep", "At Risk", "Can't Lose Them", "Hibernating", "Lost", "No Purchases",
}
ML_FEATURES = [
    "recency_days", "frequency", "monetary_amount", "avg_order_value_amount", "tenure_days",
    "category_count", "refund_share", "orders_30d", "orders_90d", "sessions_30d",
    "sessions_90d", "product_views_30d", "add_to_carts_30d", "cart_abandonment_rate",
    "email_opens_90d", "email_clicks_90d", "active_days_90d", "days_since_last_activity",
    "mobile_share", "events_per_active_day", "max_orders_per_day", "age_years",
]
NUMERIC_TYPES = ("INTEGER", "BIGINT", "HUGEINT", "DOUBLE", "FLOAT", "DECIMAL", "SMALLINT")


def _generate(out: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "segkit.generate", "--customers", str(CUSTOMERS),
         "--seed", str(SEED), "--out", str(out)],
        cwd=ROOT, check=True, capture_output=True,
    )
    return out


def _build(warehouse: Path, raw: Path, select: list[str], unit_tests: bool = False) -> str:
    code, out = run_dbt(["seed", "--quiet"], warehouse, raw)
    assert code == 0, tail(out)
    # cautious: only data tests whose parents are all selected; YAML unit tests of every area
    # run in the project's own build, here only the segment ones
    code, out = run_dbt(["build", "--indirect-selection", "cautious", "--select", *select,
                         "--exclude", "test_type:unit"], warehouse, raw)
    assert code == 0, tail(out)
    if unit_tests:
        code, out = run_dbt(
            ["test", "--select", *(f"{m},test_type:unit" for m in SEGMENT_MODELS)], warehouse, raw)
        assert code == 0, tail(out)
    return out


@pytest.fixture(scope="module")
def raw_dir(tmp_path_factory) -> Path:
    return _generate(tmp_path_factory.mktemp("segments_raw") / "raw")


@pytest.fixture(scope="module")
def warehouse(raw_dir, tmp_path_factory) -> Path:
    wh = tmp_path_factory.mktemp("segments_wh") / "w.duckdb"
    _build(wh, raw_dir, SELECT, unit_tests=True)
    return wh


def _count(wh: Path, sql: str) -> int:
    return query(wh, sql)[0][0]


def test_one_row_per_customer_in_every_customer_mart(warehouse):
    customers = _count(
        warehouse, "select count(distinct customer_key) from marts.customer_identity_map")
    assert customers > 0.9 * CUSTOMERS
    for mart in ("customer_rfm", "customer_engagement", "customer_features", "customer_segments"):
        total, distinct = query(
            warehouse, f"select count(*), count(distinct customer_key) from marts.{mart}")[0]
        assert total == distinct == customers, mart


def test_every_customer_has_exactly_one_rfm_and_one_primary_segment(warehouse):
    rows = query_dicts(warehouse, """
        select rfm_segment, primary_segment, has_orders, r_score, f_score, m_score, rfm_code
        from marts.customer_segments""")
    assert all(r["rfm_segment"] in RFM_SEGMENTS for r in rows)
    assert all(r["primary_segment"] for r in rows)
    for r in rows:
        if r["has_orders"]:
            assert r["rfm_segment"] != "No Purchases"
            assert r["rfm_code"] == f"{r['r_score']}{r['f_score']}{r['m_score']}"
        else:
            assert r["rfm_segment"] == "No Purchases" and r["r_score"] is None
    assert {r["rfm_segment"] for r in rows} >= {"Champions", "No Purchases", "Lost"}


def test_buyers_are_exactly_the_customers_with_a_valid_sale(warehouse):
    buyers = _count(warehouse, "select count(*) from marts.customer_rfm where has_orders")
    expected = _count(warehouse, """
        select count(distinct customer_key) from marts.fct_orders
        where is_sale and not is_refund and not is_cancelled and amount_usd > 0
            and ordered_date <= (select as_of_date from intermediate.int_run__as_of_date)""")
    assert buyers == expected > 0


@pytest.mark.parametrize("value, score", [
    ("recency_days", "r_score"), ("frequency", "f_score"), ("monetary_amount", "m_score"),
])
def test_scores_are_monotone_and_ties_share_a_score(warehouse, value, score):
    tied = query(warehouse, f"""
        select {value} from marts.customer_rfm where has_orders
        group by {value} having count(distinct {score}) > 1""")
    assert tied == [], f"equal {value} values with different {score}"
    bands = query(warehouse, f"""
        select {score}, min({value}), max({value}) from marts.customer_rfm
        where has_orders group by {score} order by {score}""")
    # recency: the most recent customers get 5, so the value bands descend as the score rises
    ordered = [(lo, hi) for _, lo, hi in bands]
    if value == "recency_days":
        ordered = ordered[::-1]
    for (_, hi), (lo, _) in zip(ordered, ordered[1:], strict=False):
        assert hi < lo, f"{score} bands overlap: {bands}"


def test_quintiles_are_balanced_for_distinct_values(warehouse):
    # monetary values are nearly all distinct, so the rank-based quintiles hold ~20% each
    shares = query(warehouse, """
        select m_score, count(*) * 1.0 / sum(count(*)) over () from marts.customer_rfm
        where has_orders group by m_score""")
    assert len(shares) == 5
    assert all(0.18 <= share <= 0.22 for _, share in shares), shares


def test_primary_segment_is_the_lowest_priority_rule(warehouse):
    mismatches = query(warehouse, """
        with best as (
            select customer_key, arg_min(rule_name, rule_priority) as rule_name
            from marts.customer_rule_segments group by customer_key
        )
        select s.customer_key from marts.customer_segments as s
        left join best using (customer_key)
        where s.primary_segment != coalesce(best.rule_name, 'Unsegmented')""")
    assert mismatches == []
    rules = {r[0] for r in query(
        warehouse, "select distinct rule_name from marts.customer_rule_segments")}
    assert {"Inactive Users", "VIP Customers", "Urban Mobile Shoppers"} <= rules


def test_feature_vector_has_the_columns_the_models_expect(warehouse):
    types = dict(query(warehouse, """
        select column_name, data_type from information_schema.columns
        where table_schema = 'marts' and table_name = 'customer_features'"""))
    missing = [c for c in ML_FEATURES if c not in types]
    assert missing == []
    assert all(types[c].startswith(NUMERIC_TYPES) for c in ML_FEATURES), types
    assert {"country_iso2", "gender", "city", "customer_key"} <= set(types)
    bad_score = _count(warehouse, """
        select count(*) from marts.customer_engagement
        where engagement_score not between 0 and 100 or engagement_score is null""")
    assert bad_score == 0


def test_churn_training_set_is_features_at_the_cutoff_with_labels(warehouse):
    (rows, churned, purchased, cutoff_ok, leaked) = query(warehouse, """
        select count(*), sum(is_churned::int), sum(purchased_next_30d::int),
            bool_and(as_of_date = label_end_date - interval 90 day),
            sum(case when last_order_date > as_of_date then 1 else 0 end)
        from intermediate.ml_churn_training_set""")[0]
    assert rows > 0 and 0 < churned < rows and 0 < purchased < rows
    assert cutoff_ok and leaked == 0
    # a customer who bought after the cutoff is not churned
    wrong = _count(warehouse, """
        select count(*) from intermediate.ml_churn_training_set as t
        where t.is_churned and exists (
            select 1 from marts.fct_orders as o
            where o.customer_key = t.customer_key and o.is_sale and not o.is_refund
                and not o.is_cancelled and o.amount_usd > 0
                and o.ordered_date > t.as_of_date and o.ordered_date <= t.label_end_date)""")
    assert wrong == 0


def test_customer_segments_carries_no_pii(warehouse):
    columns = {r[0] for r in query(warehouse, """
        select column_name from information_schema.columns
        where table_schema = 'marts' and table_name = 'customer_segments'""")}
    pii = {"first_name", "last_name", "email", "phone_e164", "street", "postcode", "city",
           "birth_date", "source_customer_id"}
    assert columns & pii == set()


def test_orders_only_input_still_builds_rfm_and_features(raw_dir, tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for f in raw_dir.iterdir():
        if f.name.startswith("orders"):
            (shutil.copytree if f.is_dir() else shutil.copyfile)(f, raw / f.name)
    assert not any(raw.glob("customers*")) and not any(raw.glob("events*"))
    wh = tmp_path / "w.duckdb"
    _build(wh, raw, ["+customer_segments", "+segment_profiles"])
    customers, buyers, segments = query(wh, """
        select count(*), sum(has_orders::int), count(distinct rfm_segment)
        from marts.customer_rfm""")[0]
    assert customers > 0 and buyers > 0 and segments >= 5
    (with_events,) = query(wh, "select count(*) from marts.customer_engagement where has_events")[0]
    assert with_events == 0
    assert _count(wh, "select count(*) from marts.customer_segments") == customers


MALICIOUS_RULES = [
    ("Evil Value", {"feature": "orders_30d", "op": ">", "value": "0; drop table x"},
     "expected a number"),
    ("Evil Feature", {"feature": "(select 1)", "op": ">", "value": 1}, "unknown feature"),
    ("Evil Operator", {"feature": "orders_30d", "op": "or 1=1 --", "value": 1}, "unknown operator"),
    ("Evil Text", {"feature": "city", "op": "=", "value": "x\\'; drop table y; --"}, "backslashes"),
    ("Wrong Type", {"feature": "city", "op": ">", "value": 3}, "does not apply to text"),
    ("Bad Window", {"feature": "orders", "window": "30 days", "op": ">", "value": 1}, "window"),
]


@pytest.mark.parametrize("name, condition, reason", MALICIOUS_RULES,
                         ids=[m[0] for m in MALICIOUS_RULES])
def test_bad_rules_fail_at_parse_time_and_run_nothing(tmp_path, name, condition, reason):
    wh = tmp_path / "w.duckdb"
    rules = [{"name": name, "description": "x", "priority": 1, "conditions": [condition]}]
    code, out = run_dbt(["build", "--select", "customer_rule_segments"], wh, tmp_path,
                        vars={"segments__rules": rules})
    assert code != 0
    assert f"segment rule '{name}'" in out, tail(out)
    assert reason in out, tail(out)
    assert not wh.exists() or relation_names(wh) == set(), "nothing may be built"
