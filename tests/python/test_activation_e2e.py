"""Activation: next best action, experiments (assignment, SRM, readout against the planted
truth) and audience exports, on the session's demo build; plus unit tests of the pieces the
SQL and the generator must agree on."""

from __future__ import annotations

import csv
import hashlib
import shutil
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from segkit.generator import activation as gen_activation
from tests.python.conftest import ROOT, run_dbt

SEEDS = ROOT / "seeds"


def _seed_rows(name: str) -> list[dict[str, str]]:
    with open(SEEDS / f"{name}.csv", newline="") as f:
        return list(csv.DictReader(f))


# --- unit: the generator and the SQL use the same assignment -----------------------------

def test_bucket_is_md5_prefix_over_two_to_the_32() -> None:
    assert gen_activation.bucket("s", "crm:C1") == (
        int(hashlib.md5(b"s:crm:C1").hexdigest()[:8], 16) / 2**32)
    assert 0 <= gen_activation.bucket("x", "y") < 1


def test_generator_experiment_matches_the_seed() -> None:
    seed = {r["experiment_id"]: r for r in _seed_rows("experiments")}
    for exp in gen_activation.EXPERIMENTS:
        row = seed[exp["experiment_id"]]
        assert row["salt"] == exp["salt"]
        assert float(row["treatment_share"]) == exp["treatment_share"]
        assert row["start_date"] == exp["start_date"].isoformat()


# --- next best action ---------------------------------------------------------------------

@pytest.mark.dbt
def test_one_action_per_customer_with_reason_and_version(demo_build) -> None:
    n_customers = demo_build.query("select count(*) from marts.customer_segments")[0][0]
    rows = demo_build.query(
        "select count(*), count(distinct customer_key), count(distinct rules_version), "
        "min(length(rules_version)), sum(case when reason is null then 1 else 0 end) "
        "from marts.customer_next_best_action")[0]
    assert rows[0] == rows[1] == n_customers
    assert rows[2] == 1 and rows[3] == 32 and rows[4] == 0
    actions = {r["action_id"] for r in _seed_rows("next_best_actions")}
    used = {r[0] for r in demo_build.query(
        "select distinct action_id from marts.customer_next_best_action")}
    assert used <= actions and len(used) >= 4, used


@pytest.mark.dbt
def test_rules_version_is_the_hash_of_the_seed(demo_build) -> None:
    parts = []
    for r in sorted(_seed_rows("next_best_actions"), key=lambda r: r["action_id"]):
        parts.append("|".join([r["action_id"], r["action"], r["offer"], r["channel"],
                               r["priority"], r["conditions"], r["description"]]))
    # fields joined by '|', rows (ordered by action_id) by the two characters backslash-n
    expected = hashlib.md5("\\n".join(parts).encode()).hexdigest()
    got = demo_build.query("select distinct rules_version from marts.customer_next_best_action")
    assert got == [(expected,)]


@pytest.mark.dbt
def test_priority_order_and_default(demo_build) -> None:
    # the top-priority rule (outlier review) always wins for outliers
    wrong = demo_build.query("""
        select count(*) from marts.customer_next_best_action as a
        inner join marts.customer_segments as s using (customer_key)
        where s.is_outlier and a.action_id != 'review_outlier'""")[0][0]
    assert wrong == 0
    # save_high_value (priority 10) for non-outlier big spenders at risk, checked independently
    expected = demo_build.query("""
        select count(*) from marts.customer_segments
        where not coalesce(is_outlier, false) and m_score >= 4
          and (rfm_segment in ('At Risk', 'Can''t Lose Them') or churn_risk_band = 'high')""")[0][0]
    got = demo_build.query(
        "select count(*) from marts.customer_next_best_action where action_id = 'save_high_value'")
    assert got[0][0] == expected > 0
    # the default only when nothing matched, and always then
    bad = demo_build.query("""
        select count(*) from marts.customer_next_best_action
        where is_default_action != (matched_rule_count = 0)""")[0][0]
    assert bad == 0
    assert demo_build.query("select count(*) from marts.customer_next_best_action "
                            "where is_default_action and action_id = 'keep_warm'")[0][0] > 0


def _scratch_copy(demo_build, tmp_path: Path) -> Path:
    warehouse = tmp_path / "w.duckdb"
    shutil.copy(demo_build.warehouse, warehouse)
    return warehouse


@pytest.mark.dbt
@pytest.mark.parametrize("conditions, message", [
    ('{"all": [{"feature": "email", "op": "=", "value": "x"}]}', 'unknown feature "email"'),
    ('{"all": [{"feature": "m_score", "op": ">", "value": "1; drop table marts.fct_orders"}]}',
     "expected a number"),
    ('{"all": [{"feature": "(select 1)", "op": "=", "value": 1}]}', "unknown feature"),
    ('{"all": [{"feature": "rfm_segment", "op": "like", "value": "%"}]}', "unknown operator"),
    ('{"all": [', "not valid JSON"),
])
def test_bad_rule_is_a_compile_error_naming_the_action(demo_build, tmp_path, conditions,
                                                        message) -> None:
    warehouse = _scratch_copy(demo_build, tmp_path)
    con = duckdb.connect(str(warehouse))
    con.execute("update seeds.next_best_actions set conditions = ? where action_id = 'reward_vip'",
                [conditions])
    con.close()
    proc = run_dbt(["compile", "-s", "customer_next_best_action"], warehouse, demo_build.raw_dir,
                   check=False, target_path=tmp_path / "target")
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "reward_vip" in out and message in out, out[-2000:]
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute("select count(*) from marts.fct_orders").fetchone()[0] > 0
    con.close()


@pytest.mark.dbt
def test_quotes_in_rule_values_round_trip_as_literals(demo_build, tmp_path) -> None:
    warehouse = _scratch_copy(demo_build, tmp_path)
    con = duckdb.connect(str(warehouse))
    values = '["Can\'t Lose Them", "x\') or 1=1 --"]'
    con.execute("update seeds.next_best_actions set conditions = ? where action_id = 'reward_vip'",
                ['{"all": [{"feature": "rfm_segment", "op": "in", "value": ' + values + '}]}'])
    con.close()
    proc = run_dbt(["compile", "-s", "customer_next_best_action"], warehouse, demo_build.raw_dir,
                   check=False, target_path=tmp_path / "target")
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-2000:]
    compiled = tmp_path / "target" / "compiled"
    sql = next(compiled.rglob("customer_next_best_action.sql")).read_text()
    assert "'Can''t Lose Them'" in sql and "'x'') or 1=1 --'" in sql


# --- experiments ----------------------------------------------------------------------------

@pytest.mark.dbt
def test_assignment_is_the_documented_hash_of_the_anchor(demo_build) -> None:
    salts = {r["experiment_id"]: (r["salt"], float(r["treatment_share"]))
             for r in _seed_rows("experiments")}
    rows = demo_build.query("""
        select a.experiment_id, a.variant, x.anchor_record_id
        from marts.customer_experiment_assignments as a
        inner join intermediate.int_customers__experiment_anchor as x using (customer_key)""")
    assert rows
    for experiment_id, variant, anchor in rows:
        salt, share = salts[experiment_id]
        expected = "treatment" if gen_activation.bucket(salt, anchor) < share else "control"
        assert variant == expected


@pytest.mark.dbt
def test_sample_ratio_is_close_to_the_split(demo_build) -> None:
    shares = {r["experiment_id"]: float(r["treatment_share"]) for r in _seed_rows("experiments")}
    for experiment_id, treated, total in demo_build.query("""
            select experiment_id, sum(case when variant = 'treatment' then 1 else 0 end), count(*)
            from marts.customer_experiment_assignments group by 1"""):
        p = shares[experiment_id]
        chi2 = ((treated - total * p) ** 2 / (total * p)
                + (total - treated - total * (1 - p)) ** 2 / (total * (1 - p)))
        assert chi2 < 10.828, (experiment_id, treated, total)


@pytest.mark.dbt
def test_srm_test_fails_on_a_broken_split(demo_build, tmp_path) -> None:
    warehouse = _scratch_copy(demo_build, tmp_path)
    con = duckdb.connect(str(warehouse))
    con.execute("""update marts.customer_experiment_assignments set variant = 'treatment'
                   where experiment_id = 'spring_reactivation' and assignment_bucket < 0.7""")
    con.close()
    selector = "customer_experiment_assignments,test_name:activation_sample_ratio_mismatch"
    proc = run_dbt(["test", "-s", selector],
                   warehouse, demo_build.raw_dir, check=False, target_path=tmp_path / "target")
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0 and "activation_sample_ratio_mismatch" in out, out[-2000:]


@pytest.mark.dbt
def test_readout_confidence_interval_contains_the_planted_uplift(demo_build) -> None:
    truth = pq.read_table(demo_build.raw_dir / "truth" / "experiments.parquet").to_pylist()[0]
    got = {metric: (low, lift, high) for metric, low, lift, high in demo_build.query("""
        select metric, lift_ci_low, lift, lift_ci_high from marts.experiment_readout
        where experiment_id = ?""", [truth["experiment_id"]])}
    low, lift, high = got["conversion"]
    assert low <= truth["true_conversion_lift"] <= high, (got, truth)
    assert low > 0, "the planted conversion uplift is detected"
    low, lift, high = got["revenue_per_customer"]
    assert low <= truth["true_revenue_lift_per_customer"] <= high, (got, truth)
    # no effect was planted in the other experiment: its interval holds 0
    for low, high in demo_build.query("""
            select lift_ci_low, lift_ci_high from marts.experiment_readout
            where experiment_id = 'loyalty_holdout'"""):
        assert low <= 0 <= high


# --- exports ------------------------------------------------------------------------------

def _export_dir(demo_build) -> Path:
    return demo_build.warehouse.parent / "exports"


@pytest.mark.dbt
def test_exports_are_files_beside_the_warehouse_with_a_manifest(demo_build) -> None:
    out = _export_dir(demo_build)
    assert not str(out).startswith(str(ROOT))
    with open(out / "manifest.csv", newline="") as f:
        manifest = {r["export_name"]: r for r in csv.DictReader(f)}
    assert set(manifest) == {"audience_email", "audience_ads"}
    for name, row in manifest.items():
        path = Path(row["file_path"])
        assert path == out / f"{name}.csv" and path.exists()
        with open(path, newline="") as f:
            n = sum(1 for _ in csv.DictReader(f))
        assert n == int(row["row_count"]) > 0


@pytest.mark.dbt
def test_audiences_hold_only_consented_customers_outside_holdouts(demo_build) -> None:
    bad = demo_build.query("""
        select count(*) from marts.audience_email as e
        inner join marts.customer_segments as s using (customer_pseudo_id)
        where not coalesce(s.has_marketing_consent, false)""")[0][0]
    assert bad == 0
    held_out = demo_build.query("""
        select count(*) from marts.audience_email as e
        inner join marts.customer_experiment_assignments as a using (customer_pseudo_id)
        where a.variant = 'control'""")[0][0]
    assert held_out == 0
    # ad identifiers: SHA-256 of the trimmed lower-case e-mail of consented customers only
    emails = demo_build.query(
        "select email from marts.dim_customers where has_marketing_consent and email is not null")
    consented = {hashlib.sha256(e.strip().lower().encode()).hexdigest() for (e,) in emails}
    ads = [h for (h,) in demo_build.query(
        "select email_sha256 from marts.audience_ads where email_sha256 is not null")]
    assert ads and set(ads) <= consented
    assert all(len(h) == 64 for h in ads)
