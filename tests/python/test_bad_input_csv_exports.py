"""Bad-input class 25, CSV formula injection (docs/bad_input.md): text that a spreadsheet
would run as a formula (a leading = + - @, tab or carriage return) is kept verbatim in the
warehouse and written with a leading single quote into the CSV exports (OWASP "CSV Injection",
macro csv_safe in models/marts/activation/exports).

The only text of the exports that does not come from a hash is the next-best-action
configuration (action id, offer, rules version), so the attempt comes through the seed: a
copy of the project whose `next_best_actions.csv` gives the default action (keep_warm) the
offer `=HYPERLINK(...)`. The copy re-runs the next best action and the exports on a copy of
the demo build's warehouse (`dbt seed -s next_best_actions` + `dbt run -s
customer_next_best_action+`), and the export files on disk are read back. The value-level
cases (+, -, @, tab, text left alone, NULL) are the unit test
audience_email__formula_text_is_quoted_for_spreadsheets.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from tests.python.dbt_helpers import ROOT, query, run_dbt, tail

pytestmark = pytest.mark.dbt

FORMULA = '=HYPERLINK("http://evil.example","click")'
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
IGNORE = shutil.ignore_patterns(".git", ".venv*", ".secrets", "target", "logs", "warehouse",
                                "data", "reports", "dbt_packages", "python", "__pycache__")


@pytest.fixture(scope="module")
def formula_export(demo_build, tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("csv_exports")
    project = root / "project"
    shutil.copytree(ROOT, project, ignore=IGNORE)
    seed = project / "seeds" / "next_best_actions.csv"
    with open(seed, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    for r in rows[1:]:
        if r[header.index("action_id")] == "keep_warm":
            r[header.index("offer")] = FORMULA
    with open(seed, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    wh_dir = root / "wh"
    wh_dir.mkdir()
    warehouse = wh_dir / demo_build.warehouse.name
    for p in demo_build.warehouse.parent.glob(demo_build.warehouse.name + "*"):
        shutil.copyfile(p, wh_dir / p.name)
    for args in (["seed", "-s", "next_best_actions", "--full-refresh", "--quiet"],
                 ["run", "-s", "customer_next_best_action+"]):
        code, out = run_dbt(args, warehouse, demo_build.raw_dir, project_dir=project, work=root)
        assert code == 0, tail(out)
    return {"warehouse": warehouse, "exports": wh_dir / "exports"}


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_formula_offer_is_verbatim_in_the_warehouse(formula_export):
    offers = dict(query(formula_export["warehouse"],
                        "select action_id, max(offer) from marts.customer_next_best_action "
                        "where action_id = 'keep_warm' group by 1"))
    assert offers == {"keep_warm": FORMULA}


def test_formula_offer_is_quoted_in_the_csv_export(formula_export):
    rows = _read(formula_export["exports"] / "audience_email.csv")
    keep_warm = [r for r in rows if r["action_id"] == "keep_warm"]
    assert keep_warm, "the demo has keep_warm customers in the e-mail audience"
    assert {r["offer"] for r in keep_warm} == {"'" + FORMULA}
    # other offers that start with a letter or a digit are unchanged
    assert {r["offer"] for r in rows if r["action_id"] != "keep_warm"} <= {
        "20% off premium", "early access to new collection", "free shipping on next order",
        "10% off second order", "15% off", "none"}


def test_no_cell_of_any_export_file_starts_like_a_formula(formula_export):
    files = sorted(formula_export["exports"].glob("*.csv"))
    assert {f.name for f in files} >= {"audience_email.csv", "audience_ads.csv", "manifest.csv"}
    for f in files:
        for row in _read(f):
            bad = {k: v for k, v in row.items() if v and v.startswith(TRIGGERS)}
            assert not bad, f"{f.name}: {bad}"
