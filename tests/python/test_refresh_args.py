"""`make refresh` and the benchmark's refresh run the same dbt arguments (docs/refresh.md)."""

import re
from pathlib import Path

from segkit.bench.run import main as _bench_main  # noqa: F401  (import proves the module loads)

ROOT = Path(__file__).resolve().parents[2]


def _makefile_refresh_args() -> str:
    text = (ROOT / "Makefile").read_text()
    m = re.search(r"^REFRESH_ARGS \?= (.*)$", text, re.M)
    assert m, "Makefile defines REFRESH_ARGS"
    assert "$(DBT) build $(REFRESH_ARGS)" in text, "make refresh passes REFRESH_ARGS to dbt build"
    return m.group(1).strip()


def test_refresh_skips_unit_tests_only():
    assert _makefile_refresh_args() == "--exclude-resource-type unit_test"


def test_bench_refresh_uses_the_makefile_arguments():
    src = (ROOT / "segkit" / "bench" / "run.py").read_text()
    m = re.search(r'"--refresh-args", default="([^"]*)"', src)
    assert m and m.group(1) == _makefile_refresh_args()
