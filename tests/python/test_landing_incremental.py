"""Landing is incremental by file on DuckDB (docs/refresh.md): a refresh reads only the raw
files not landed yet, the CSV reject scan too, and forgets files that are gone. Checked against
a full build of the same folder: the landing tables and the CSV rejects must be equal row by
row after an appended day (with a ragged CSV line), after a run with nothing new, and after a
part file is removed."""

from __future__ import annotations

import subprocess
from pathlib import Path

import duckdb
import pytest
from conftest import BIN, ROOT, generate, run_dbt

pytestmark = pytest.mark.dbt

LANDING = ("base_raw__customers", "base_raw__orders", "base_raw__events", "base_raw__csv_rejects")
SELECT = ["--select", *LANDING]


def _rows(warehouse: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {t: con.execute(f"select * from landing.{t} order by all").fetchall()
                for t in LANDING}
    finally:
        con.close()


def _full(raw: Path, tmp: Path) -> dict[str, list[tuple]]:
    wh = tmp / "full.duckdb"
    if wh.exists():
        wh.unlink()
    run_dbt(["run", "--full-refresh", *SELECT], wh, raw, target_path=tmp / "target_full")
    return _rows(wh)


def _compiled(target: Path, model: str) -> str:
    return next(target.glob(f"compiled/**/landing/{model}.sql")).read_text()


@pytest.mark.slow
def test_landing_reads_only_new_files_and_equals_a_full_build(tmp_path):
    raw = generate(tmp_path / "raw", 200, 5, "--format", "csv")
    wh, target = tmp_path / "inc.duckdb", tmp_path / "target_inc"
    run_dbt(["run", *SELECT], wh, raw, target_path=target)

    subprocess.run([str(BIN / "python"), "-m", "segkit.generate", "--append-days", "1",
                    "--out", str(raw), "--quiet"], cwd=ROOT, check=True)
    # a hand-delivered part with one ragged line (too many columns): a CSV reject
    header = (raw / "orders.csv").read_text().splitlines()[0]
    manual = raw / "orders" / "part-manual.csv"
    row = '"webshop","m{}","55","2024-07-01 08:00:00","4.31","EUR","SHIPPED","web","2","Beauty"'
    manual.write_text(f"{header}\n{row.format(1)}\n{row.format(2)},\"x\"\n")
    run_dbt(["run", *SELECT], wh, raw, target_path=target)
    sql = _compiled(target, "base_raw__orders")
    assert "part-append-0001.csv" in sql and "part-manual.csv" in sql
    assert f"{raw}/orders.csv" not in sql          # the landed file is not read again
    after_append = _rows(wh)
    assert after_append == _full(raw, tmp_path)
    assert any(r[1].endswith("part-manual.csv") for r in after_append["base_raw__csv_rejects"])

    run_dbt(["run", *SELECT], wh, raw, target_path=target)
    assert _rows(wh) == after_append                # nothing new: nothing changes
    assert "read_csv" not in _compiled(target, "base_raw__orders")

    manual.unlink()
    run_dbt(["run", *SELECT], wh, raw, target_path=target)
    after_remove = _rows(wh)
    assert after_remove == _full(raw, tmp_path)
    assert not any("part-manual" in str(r) for t in LANDING for r in after_remove[t])
