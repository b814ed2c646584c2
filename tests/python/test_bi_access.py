"""Readers and writers (docs/bi_access.md): a BI reader of the published copy never blocks a
build and a build in progress never breaks the reader; a reader that holds the working file
does block the build (the reason the copy exists), with an error that says so.

Each test runs a real `dbt build` of a few models on a private copy of the demo warehouse
while reader connections are open.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from segkit.publish import publish
from tests.python.conftest import ROOT, dbt_env

pytestmark = pytest.mark.dbt

BIN = Path(sys.executable).parent
# a real build that rewrites published marts (tables are dropped and re-created)
BUILD_SELECT = ["path:models/marts/segments/customer_segments.sql", "segment_profiles"]
COUNT_SQL = "select count(*), sum(hash(customer_key)) from marts.customer_segments"


@pytest.fixture
def copy(demo_build, tmp_path):
    """A private copy of the demo warehouse, published once: (working file, published dir)."""
    working = tmp_path / "segments.duckdb"
    shutil.copyfile(demo_build.warehouse, working)
    published = tmp_path / "published"
    publish(working, published, {"invocation_id": "test", "statuses": {"success": 1}},
            manifest_path=demo_build.warehouse.parent / "target" / "manifest.json")
    return working, published, demo_build.raw_dir


def _start_build(working: Path, raw_dir: Path, target: Path) -> subprocess.Popen:
    cmd = [str(BIN / "dbt"), "build", "--select", *BUILD_SELECT, "--target-path", str(target)]
    return subprocess.Popen(cmd, cwd=ROOT, env=dbt_env(working, raw_dir),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_published_readers_never_block_a_build_nor_break_during_it(copy, tmp_path):
    working, published, raw_dir = copy
    current = published / "current" / "segments.duckdb"
    # three kinds of BI reader, all open for the whole build
    direct = duckdb.connect(str(current), read_only=True)
    attached = duckdb.connect()
    attached.execute(f"attach '{current}' as bi (read_only)")
    parquet = duckdb.connect()
    parquet_file = (published / "current" / "parquet" / "customer_segments.parquet").resolve()
    try:
        before = direct.execute(COUNT_SQL).fetchone()
        build = _start_build(working, raw_dir, tmp_path / "target")
        reads, errors = 0, []
        while build.poll() is None:
            for con, sql in ((direct, COUNT_SQL),
                             (attached, COUNT_SQL.replace("marts.", "bi.marts.")),
                             (parquet, COUNT_SQL.replace("marts.customer_segments",
                                                         f"'{parquet_file}'"))):
                try:
                    assert con.execute(sql).fetchone() == before
                    reads += 1
                except (duckdb.Error, AssertionError) as exc:  # pragma: no cover - the failure
                    errors.append(repr(exc))
            time.sleep(0.2)
        output = build.stdout.read()
        assert build.returncode == 0, f"the build failed while readers were open:\n{output[-3000:]}"
        assert "customer_segments" in output and "PASS=" in output
        assert not errors, errors[:5]
        assert reads >= 9, f"only {reads} reads happened during the build"

        # publishing the new build switches `current`; the open readers keep their release
        old_release = current.resolve()
        publish(working, published, {"invocation_id": "test-2", "statuses": {"success": 1}})
        assert current.resolve() != old_release
        assert direct.execute(COUNT_SQL).fetchone() == before
        assert attached.execute(COUNT_SQL.replace("marts.", "bi.marts.")).fetchone() == before
        fresh = duckdb.connect(str(current), read_only=True)
        try:
            assert fresh.execute(COUNT_SQL).fetchone() == before  # same data, rebuilt
        finally:
            fresh.close()
    finally:
        direct.close()
        attached.close()
        parquet.close()


def test_a_reader_holding_the_working_file_blocks_the_build(copy, tmp_path):
    """Why BI tools must not open the working file: DuckDB allows one writer or many readers
    per file, so an open read-only connection makes the build fail - with a lock error that
    names the file. Once the reader closes, the same build runs."""
    working, _, raw_dir = copy
    reader = duckdb.connect(str(working), read_only=True)
    try:
        build = _start_build(working, raw_dir, tmp_path / "target")
        output = build.communicate(timeout=600)[0]
        assert build.returncode != 0
        # dbt's one line before its traceback names the file and the lock
        message = output[output.index("Encountered an error:"):].splitlines()[1]
        assert f'Could not set lock on file "{working}"' in message, output[-2000:]
        assert output.index(message) < output.find("Traceback") or "Traceback" not in output
    finally:
        reader.close()
    build = _start_build(working, raw_dir, tmp_path / "target")
    output = build.communicate(timeout=600)[0]
    assert build.returncode == 0, output[-3000:]
