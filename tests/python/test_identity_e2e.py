"""Identity resolution end to end: generate ~2,000 customers (with and without contact data),
run the real `dbt seed` + `dbt build` of the identity models, and check the result against the
generator's truth (truth/customer_records: source record -> person_id, true_email).

Asserted: pairwise F1 at or above its floor (var dedup__floors, as reported by
int_quality__dedup and recomputed here from the truth), no household pair (different persons
sharing an email) merged, and every validated record in customer_identity_map exactly once.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.python.dbt_helpers import ROOT, DbtWorkspace, query, tail

pytestmark = pytest.mark.dbt

CUSTOMERS = 2000
SEED = 42
SELECT = ["+dim_customers", "+int_quality__dedup", "+dedup_review_queue"]


def _generate(out: Path, *extra: str) -> Path:
    subprocess.run(
        [sys.executable, "-m", "segkit.generate", "--customers", str(CUSTOMERS),
         "--seed", str(SEED), "--out", str(out), "--quiet", *extra],
        cwd=ROOT, check=True,
    )
    return out


def _build(ws: DbtWorkspace, raw: Path, name: str) -> Path:
    shutil.rmtree(ws.raw_dir, ignore_errors=True)
    shutil.copytree(raw, ws.raw_dir)
    ws.drop_warehouse()
    code, out = ws.run(["seed", "--quiet"])
    assert code == 0, tail(out)
    code, out = ws.run(["build", "-s", *SELECT, "--indirect-selection", "cautious"])
    assert code == 0, tail(out)
    return ws.snapshot(name)


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """{'contact': (warehouse, raw), 'no_contact': (warehouse, raw)}, built one after the other
    in one workspace so the second run reuses dbt's partial parse."""
    root = tmp_path_factory.mktemp("identity")
    raws = {
        "contact": _generate(root / "raw_contact"),
        "no_contact": _generate(root / "raw_no_contact", "--no-contact"),
    }
    ws = DbtWorkspace(root / "ws")
    return {name: (_build(ws, raw, name), raw) for name, raw in raws.items()}


def _metrics(warehouse: Path) -> dict[str, tuple[float, float | None, str]]:
    rows = query(warehouse, "select metric, value, floor_value, detail "
                            "from intermediate.int_quality__dedup")
    return {m: (v, f, d) for m, v, f, d in rows}


def _truth_pairs(warehouse: Path, raw: Path) -> dict[str, float]:
    """Pairwise counts recomputed from the truth file and the identity map."""
    truth = (raw / "truth" / "customer_records.parquet").as_posix()
    sql = f"""
        with labelled as (
            select m.customer_key, cast(t.person_id as varchar) as person_id, t.true_email
            from marts.customer_identity_map as m
            inner join read_parquet('{truth}') as t
                on m.source_system = t.source_system
                and m.source_customer_id = t.source_customer_id
        ),
        tp as (select sum(n * (n - 1) / 2) as v from (
            select count(*) as n from labelled group by customer_key, person_id)),
        pred as (select sum(n * (n - 1) / 2) as v from (
            select count(*) as n from labelled group by customer_key)),
        act as (select sum(n * (n - 1) / 2) as v from (
            select count(*) as n from labelled group by person_id)),
        household as (
            select count(*) as v
            from labelled as l
            inner join labelled as r
                on l.true_email = r.true_email and l.person_id < r.person_id
            where l.customer_key = r.customer_key
        )
        select tp.v, pred.v, act.v, household.v from tp, pred, act, household
    """
    tp, pred, act, household = query(warehouse, sql)[0]
    precision, recall = tp / pred, tp / act
    return {"f1": 2 * precision * recall / (precision + recall), "household_merges": household}


@pytest.mark.parametrize("kind", ["contact", "no_contact"])
def test_pairwise_f1_meets_its_floor(builds, kind):
    warehouse, raw = builds[kind]
    metrics = _metrics(warehouse)
    value, floor, detail = metrics["pairwise_f1"]
    assert floor is not None, detail
    assert ("without contact" in detail) == (kind == "no_contact"), detail
    assert value >= floor, f"pairwise F1 {value:.4f} < floor {floor} ({detail})"
    assert _truth_pairs(warehouse, raw)["f1"] == pytest.approx(value, abs=1e-9)
    blocking, blocking_floor, detail = metrics["blocking_recall"]
    assert blocking >= blocking_floor, detail


@pytest.mark.parametrize("kind", ["contact", "no_contact"])
def test_no_household_pair_is_merged(builds, kind):
    warehouse, raw = builds[kind]
    assert _truth_pairs(warehouse, raw)["household_merges"] == 0


@pytest.mark.parametrize("kind", ["contact", "no_contact"])
def test_every_validated_record_is_mapped_exactly_once(builds, kind):
    warehouse, _ = builds[kind]
    (missing, duplicated, unknown, records) = query(warehouse, """
        select
            (select count(*) from intermediate.int_customers__validated as v
             where not exists (select 1 from marts.customer_identity_map as m
                               where m.customer_record_id = v.customer_record_id)),
            (select count(*) from (select customer_record_id from marts.customer_identity_map
                                   group by customer_record_id having count(*) > 1)),
            (select count(*) from marts.customer_identity_map as m
             where not exists (select 1 from intermediate.int_customers__validated as v
                               where v.customer_record_id = m.customer_record_id)),
            (select count(*) from intermediate.int_customers__validated)
    """)[0]
    assert records > CUSTOMERS
    assert (missing, duplicated, unknown) == (0, 0, 0)
    (customers, keys) = query(warehouse, """
        select (select count(*) from marts.dim_customers),
               (select count(distinct customer_key) from marts.customer_identity_map)
    """)[0]
    assert customers == keys
