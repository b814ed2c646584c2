"""Every failure a user can cause prints one clear line saying what and where, before any
traceback: bad vars, a missing raw file or raw directory, a bad rule, a missing warehouse.

Each case runs the real command (dbt, python -m, make) and checks the first error message
line: it names the thing (var, file, rule) and appears before any traceback; the command
exits non-zero.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.python.conftest import ROOT, dbt_env

BIN = Path(sys.executable).parent
ANSI = re.compile(r"\x1b\[[0-9;]*m")
TIMESTAMP = re.compile(r"^\d\d:\d\d:\d\d(\.\d+)?\s+")
# dbt's headers right before the message line itself
HEADER = re.compile(
    r"^(Encountered an error:|(Compilation|Runtime|Parsing|Database) Error( in .*)?)$")


def first_error_message(output: str) -> tuple[str, int]:
    """(the first error message line, its line number): the first line after dbt's error
    headers, or the first line starting with 'error:' (our CLIs and argparse)."""
    lines = [TIMESTAMP.sub("", ANSI.sub("", line)).strip() for line in output.splitlines()]
    after_header = False
    for i, line in enumerate(lines):
        if not line:
            continue
        if HEADER.match(line):
            after_header = True
            continue
        if after_header or re.match(r"^([\w. -]+: )?error: ", line):
            return line, i
    return "", -1


def traceback_line(output: str) -> int:
    lines = output.splitlines()
    return next((i for i, line in enumerate(lines) if line.startswith("Traceback")), len(lines))


def assert_one_clear_line(proc: subprocess.CompletedProcess, *expected: str) -> str:
    output = ANSI.sub("", proc.stdout + proc.stderr)
    assert proc.returncode != 0, f"exit 0 for a user error:\n{output[-2000:]}"
    line, at = first_error_message(output)
    assert line, f"no error message line:\n{output[-3000:]}"
    assert at < traceback_line(output), f"traceback before the message:\n{output[:3000]}"
    for word in expected:
        assert word in line, f"{word!r} not in the first error line {line!r}"
    return line


def dbt(args: list[str], tmp_path: Path, raw_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "dbt"), *args, "--target-path", str(tmp_path / "target"),
         "--log-path", str(tmp_path / "logs")],
        cwd=ROOT, env=dbt_env(tmp_path / "w.duckdb", raw_dir), capture_output=True, text=True,
        timeout=900)


# ---- the parser of the first error line ------------------------------------------------------

def test_first_error_message_reads_dbt_and_cli_output():
    dbt_out = ("\x1b[0m12:00:01  Running with dbt=1.11\n12:00:05  Encountered an error:\n"
               "Compilation Error in model m (models/m.sql)\n  var x must be a number, got 'a'\n"
               "  > in macro v\n")
    assert first_error_message(dbt_out)[0] == "var x must be a number, got 'a'"
    run_out = ("12:00:01  1 of 5 ERROR creating sql table model landing.b ... [ERROR in 0.1s]\n"
               "12:00:01  2 of 5 SKIP test not_null_b_x ... [SKIP]\n"
               "12:00:02  Completed with 1 error, 0 partial successes, and 0 warnings:\n"
               "12:00:02  Failure in model b (models/b.sql)\n"
               "12:00:02    Compilation Error in model b (models/b.sql)\n"
               "  raw input 'orders' ...\n")
    assert first_error_message(run_out)[0] == "raw input 'orders' ..."
    assert first_error_message("report: reading x\nerror: warehouse x does not exist\n")[0] \
        == "error: warehouse x does not exist"
    assert first_error_message("all fine\n") == ("", -1)


# ---- bad vars (stop the parse: nothing runs) ----------------------------------------------

BAD_VARS = [
    ("{as_of_date: yesterday}", ["var as_of_date", "got: yesterday"]),
    ("{as_of_date: '2024-13-01'}", ["var as_of_date", "2024-13-01"]),
    ("{quality__max_order_amount: -5}", ["var quality__max_order_amount", "> 0", "-5"]),
    ("{churn__horizon_days: -30}", ["var churn__horizon_days", "-30"]),
    ("{segments__min_segment_size: -1}", ["var segments__min_segment_size", ">= 0"]),
    ("{rfm__bins: 12}", ["var rfm__bins must be a whole number from 2 to 9"]),
    ("{dedup__merge_threshold: 0.1}", ["dedup__review_threshold", "dedup__merge_threshold"]),
    ("{quality__max_item_count: lots}", ["var quality__max_item_count", "lots"]),
    ("{imputation__age_method: mean}", ["var imputation__age_method", "'median' or 'knn'",
                                        "mean"]),
]


@pytest.mark.dbt
@pytest.mark.parametrize("bad_vars,expected", BAD_VARS, ids=[v for v, _ in BAD_VARS])
def test_bad_var_names_the_var(bad_vars, expected, tmp_path, demo_raw):
    proc = dbt(["build", "--select", "int_run__as_of_date", "--vars", bad_vars], tmp_path,
               demo_raw)
    assert_one_clear_line(proc, *expected)
    assert not (tmp_path / "w.duckdb").exists() or "START" not in proc.stdout  # nothing ran


@pytest.mark.dbt
def test_bad_rule_names_the_rule(tmp_path, demo_raw):
    rules = ("{segments__rules: [{name: Big Spenders, priority: 1, description: x, "
             "conditions: [{feature: monetary_amont, op: '>', value: 100}]}]}")
    proc = dbt(["build", "--select", "int_run__as_of_date", "--vars", rules], tmp_path, demo_raw)
    assert_one_clear_line(proc, "segment rule 'Big Spenders'", 'unknown feature "monetary_amont"')


# ---- missing raw input ----------------------------------------------------------------------

@pytest.mark.dbt
def test_missing_orders_file_names_the_file(tmp_path, demo_raw):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copyfile(demo_raw / "customers.parquet", raw / "customers.parquet")
    proc = dbt(["build", "--select", "base_raw__orders"], tmp_path, raw)
    assert_one_clear_line(proc, "raw input 'orders' is required", f"{raw}/orders.parquet")


@pytest.mark.dbt
def test_missing_raw_dir_names_the_dir(tmp_path):
    missing = tmp_path / "no_such_dir"
    proc = dbt(["build", "--select", "base_raw__orders"], tmp_path, missing)
    assert_one_clear_line(proc, f"raw directory '{missing}' does not exist", "SEGMENTS_RAW_DIR")


# ---- our own commands -------------------------------------------------------------------------

def test_report_on_a_missing_warehouse(tmp_path):
    env = dict(os.environ, SEGMENTS_WAREHOUSE=str(tmp_path / "none.duckdb"))
    proc = subprocess.run([str(BIN / "python"), "-m", "segkit.report", "--out",
                           str(tmp_path / "r.html")], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert_one_clear_line(proc, "error: warehouse", "none.duckdb does not exist", "make run")


def test_make_report_on_a_missing_warehouse(tmp_path):
    if shutil.which("make") is None or not (ROOT / ".venv" / ".installed").exists():
        pytest.skip("make or the project's .venv is not available")
    env = dict(os.environ, SEGMENTS_WAREHOUSE=str(tmp_path / "none.duckdb"))
    proc = subprocess.run(["make", "--no-print-directory", "report"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert_one_clear_line(proc, "none.duckdb does not exist")


def test_publish_without_a_build(tmp_path):
    proc = subprocess.run([str(BIN / "python"), "-m", "segkit.publish", "--warehouse",
                           str(tmp_path / "w.duckdb"), "--run-results",
                           str(tmp_path / "run_results.json")],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert_one_clear_line(proc, "error: the last dbt build is not green", "run_results.json")


def test_generator_rejects_a_negative_size(tmp_path):
    proc = subprocess.run([str(BIN / "python"), "-m", "segkit.generate", "--customers", "-5",
                           "--out", str(tmp_path / "raw")], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert_one_clear_line(proc, "--customers must be >= 0")
