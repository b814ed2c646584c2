"""A quoted as_of_date that is shaped like a date but is not in the calendar (2024-02-30)
stops dbt with a compile error naming the var, not a database conversion error (issue 9).
(Unquoted, dbt's own YAML reader fails before the project runs: docs/reliability.md.)"""

from __future__ import annotations

import pytest

from tests.python.dbt_helpers import FIXTURES, materialize_raw_dir, run_dbt, tail

pytestmark = pytest.mark.dbt


@pytest.mark.parametrize("day, days", [("2024-02-30", 29), ("2023-02-29", 28), ("2024-04-31", 30)])
def test_impossible_as_of_date_names_the_var(tmp_path, day, days):
    raw = materialize_raw_dir(FIXTURES / "bad_files" / "bom_crlf", tmp_path / "raw")
    code, out = run_dbt(["compile", "--select", "int_run__as_of_date"], tmp_path / "w.duckdb",
                        raw, vars={"as_of_date": day})
    assert code != 0, tail(out)
    assert "Compilation Error" in out, tail(out)
    assert (f"var as_of_date must be a date like 2024-06-30, got: {day} "
            f"(that month has {days} days)") in out, tail(out)
    assert "Conversion Error" not in out


def test_make_passes_as_of_date_quoted():
    """`make build AS_OF_DATE=...` hands dbt a quoted date, so the check above (not YAML's
    date constructor) reports an impossible one."""
    import re
    import shlex
    import subprocess
    from pathlib import Path

    import yaml

    root = Path(__file__).resolve().parents[2]
    for target in ("build", "refresh"):
        dry = subprocess.run(["make", "-n", "-C", str(root), target, "AS_OF_DATE=2024-02-30"],
                             capture_output=True, text=True, check=True).stdout
        line = next(x for x in dry.splitlines() if re.search(r"dbt build", x))
        args = shlex.split(line)
        parsed = yaml.safe_load(args[args.index("--vars") + 1])
        assert parsed == {"as_of_date": "2024-02-30"}, line
