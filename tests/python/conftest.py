"""Shared fixtures: one generated demo dataset and one real dbt build per test session.

Tests that only read the demo build's warehouse use `demo_build` so the suite runs dbt once;
tests that need other inputs (bad files, orders-only, no contact data) run their own builds.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
DEMO_CUSTOMERS = int(os.environ.get("SEGMENTS_TEST_CUSTOMERS", "2000"))
DEMO_SEED = 7


@dataclass
class Build:
    """A finished dbt build: its warehouse file, raw input and dbt output."""

    warehouse: Path
    raw_dir: Path
    output: str

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        con = duckdb.connect(str(self.warehouse), read_only=True)
        try:
            return con.execute(sql, params or []).fetchall()
        finally:
            con.close()

    def df(self, sql: str):
        con = duckdb.connect(str(self.warehouse), read_only=True)
        try:
            return con.execute(sql).df()
        finally:
            con.close()


def dbt_env(warehouse: Path, raw_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        SEGMENTS_WAREHOUSE=str(warehouse),
        SEGMENTS_RAW_DIR=str(raw_dir),
        DBT_PROFILES_DIR=str(ROOT),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
        SEGMENTS_TEMP_DIR=str(warehouse.parent / "duckdb_tmp"),
        # dbt.log beside the warehouse unless --log-path says otherwise: parallel test
        # workers never rotate one shared log file
        DBT_LOG_PATH=str(warehouse.parent / "logs"),
    )
    return env


def run_dbt(args: list[str], warehouse: Path, raw_dir: Path, check: bool = True,
            target_path: Path | None = None) -> subprocess.CompletedProcess:
    """Run the venv's dbt in the project with the given warehouse and raw directory."""
    cmd = [str(BIN / "dbt"), *args]
    if target_path is not None:
        # logs next to the target: tests run in parallel (pytest-xdist) never share dbt.log
        cmd += ["--target-path", str(target_path),
                "--log-path", str(Path(target_path).parent / "logs")]
    proc = subprocess.run(cmd, cwd=ROOT, env=dbt_env(warehouse, raw_dir),
                          capture_output=True, text=True)
    if check and proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-60:])
        pytest.fail(f"dbt {' '.join(args)} failed (exit {proc.returncode}):\n{tail}")
    return proc


def generate(out: Path, customers: int, seed: int, *extra: str) -> Path:
    subprocess.run(
        [str(BIN / "python"), "-m", "segkit.generate", "--customers", str(customers),
         "--seed", str(seed), "--out", str(out), "--quiet", *extra],
        cwd=ROOT, check=True,
    )
    return out


@pytest.fixture(scope="session")
def demo_raw(tmp_path_factory) -> Path:
    return generate(tmp_path_factory.mktemp("demo") / "raw", DEMO_CUSTOMERS, DEMO_SEED)


@pytest.fixture(scope="session")
def demo_build(demo_raw, tmp_path_factory) -> Build:
    """seed + build of the whole project on the demo dataset (as_of_date from the data)."""
    wdir = tmp_path_factory.mktemp("demo_wh")
    warehouse = wdir / "segments.duckdb"
    target = wdir / "target"
    run_dbt(["seed", "--quiet"], warehouse, demo_raw, target_path=target)
    proc = run_dbt(["build"], warehouse, demo_raw, target_path=target)
    return Build(warehouse=warehouse, raw_dir=demo_raw, output=proc.stdout)
