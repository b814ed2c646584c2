"""Same answers on two engines: the SQL marts built on DuckDB and on Apache Spark (local mode,
dbt-spark session) from the same small demo data, compared row by row (docs/scale.md).

Also: segkit.dbt_io.to_pandas on the DataFrame types of the warehouses that run dbt Python
models (Snowpark, BigQuery DataFrames, Spark), with fakes.
"""

from __future__ import annotations

import math
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from segkit.dbt_io import pandas_method, to_pandas
from tests.python.apt_install import apt_install
from tests.python.dbt_helpers import DBT, ROOT, dbt_env

CUSTOMERS = 400
SEED = 7
# Marts compared row by row: (schema.table, key columns).
MARTS = {
    "customer_rfm": ["customer_key"],
    "customer_engagement": ["customer_key"],
    "customer_rule_segments": ["customer_key", "rule_name"],
}
# Identity tables that build on Spark, compared row by row: (schema.table, key columns).
IDENTITY_TABLES = {
    "int_customers__candidate_pairs": ["record_id_l", "record_id_r"],
    "int_customers__match_weights": ["comparison", "comparison_level"],
    "int_customers__scored_pairs": ["record_id_l", "record_id_r"],
}
# Documented engine differences (docs/scale.md "Spark vs DuckDB"): columns left out of the
# row-by-row comparison, with the reason. Keep this empty unless the doc justifies an entry.
_BOOKKEEPING = {
    "compared_in_invocation": "dbt invocation id of the run: differs between any two builds",
    "weights_version": "md5 of the weights printed as text: Spark and DuckDB print doubles "
                       "differently; the weights themselves are compared",
}
KNOWN_COLUMN_DIFFERENCES: dict[str, dict[str, str]] = {
    "int_customers__match_weights": {"weights_version": _BOOKKEEPING["weights_version"]},
    "int_customers__scored_pairs": _BOOKKEEPING,
}
FLOAT_TOLERANCE = 1e-6


# ---- dbt_io on every warehouse's DataFrame (fakes) --------------------------------------------

class _ColumnMagic:
    """Like Spark / Snowpark DataFrames: any unknown attribute is a column object."""

    def __init__(self, frame: pd.DataFrame):
        self._frame = frame

    def __getattr__(self, name):
        return ("column", name)


class FakeSnowpark(_ColumnMagic):
    def to_pandas(self):  # Snowpark: upper-case column names
        return self._frame.rename(columns=str.upper)


class FakeSpark(_ColumnMagic):
    def toPandas(self):  # noqa: N802 - Spark's name
        return self._frame.copy()


class FakeBigFrames:
    def __init__(self, frame):
        self._frame = frame

    def to_pandas(self):
        return self._frame.copy()


FRAME = pd.DataFrame({"customer_key": ["b", "a"], "x": [2.0, 1.0]})


@pytest.mark.parametrize("cls,method", [(FakeSnowpark, "to_pandas"), (FakeSpark, "toPandas"),
                                        (FakeBigFrames, "to_pandas")])
def test_to_pandas_reads_each_warehouse_dataframe(cls, method):
    rel = cls(FRAME)
    assert pandas_method(rel) == method
    out = to_pandas(rel)
    assert list(out.columns) == ["customer_key", "x"]
    assert out["customer_key"].tolist() == ["a", "b"]


def test_to_pandas_never_calls_a_column_named_like_a_method():
    # a Spark frame's `.df` is the column "df" (not callable); the class has no df method
    assert pandas_method(FakeSpark(FRAME)) == "toPandas"


def test_to_pandas_accepts_pandas_and_rejects_unknown_types():
    assert to_pandas(FRAME)["customer_key"].tolist() == ["a", "b"]
    with pytest.raises(TypeError, match="object"):
        to_pandas(object())


def test_to_pandas_reads_duckdb_relations():
    con = duckdb.connect()
    rel = con.sql("select * from (values ('b', 2), ('a', 1)) as t(customer_key, x)")
    assert pandas_method(rel) == "df"
    assert to_pandas(rel)["customer_key"].tolist() == ["a", "b"]


# ---- comparison helpers (pure) ------------------------------------------------------------------

def normalize(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Columns lower-cased and sorted, rows sorted by key, timestamps / dates as ISO text,
    decimals as floats: the form in which two engines' answers are compared."""
    out = frame.copy()
    out.columns = [str(c).lower() for c in out.columns]
    for c in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[c]):
            out[c] = out[c].dt.strftime("%Y-%m-%dT%H:%M:%S")
        elif out[c].dtype == object:
            sample = out[c].dropna()
            if len(sample) and all(hasattr(v, "isoformat") for v in sample.head(20)):
                out[c] = out[c].map(lambda v: None if v is None else v.isoformat())
            elif len(sample) and all(type(v).__name__ == "Decimal" for v in sample.head(20)):
                out[c] = out[c].map(lambda v: None if v is None else float(v))
    out = out[sorted(out.columns)]
    return out.sort_values(keys, kind="stable").reset_index(drop=True)


def _same(a, b) -> bool:
    a_null = a is None or (isinstance(a, float) and math.isnan(a)) or a is pd.NA
    b_null = b is None or (isinstance(b, float) and math.isnan(b)) or b is pd.NA
    if a_null or b_null:
        return a_null and b_null
    if isinstance(a, bool) or isinstance(b, bool):
        return bool(a) == bool(b)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(float(a), float(b), rel_tol=FLOAT_TOLERANCE, abs_tol=FLOAT_TOLERANCE)
    return str(a) == str(b)


def row_differences(left: pd.DataFrame, right: pd.DataFrame, keys: list[str],
                    ignore: set[str] = frozenset()) -> list[str]:
    """Every difference between two engines' answers, as readable lines: missing columns,
    rows only on one side, and each differing cell (key, column, left, right)."""
    diffs: list[str] = []
    lcols, rcols = set(left.columns) - ignore, set(right.columns) - ignore
    diffs += [f"column {c} only on the left" for c in sorted(lcols - rcols)]
    diffs += [f"column {c} only on the right" for c in sorted(rcols - lcols)]
    lk = left.set_index(keys, drop=False)
    rk = right.set_index(keys, drop=False)
    only_l = lk.index.difference(rk.index)
    only_r = rk.index.difference(lk.index)
    diffs += [f"row {k} only on the left" for k in only_l[:20]]
    diffs += [f"row {k} only on the right" for k in only_r[:20]]
    common = lk.index.intersection(rk.index)
    for c in sorted(lcols & rcols):
        lv, rv = lk.loc[common, c].tolist(), rk.loc[common, c].tolist()
        for k, a, b in zip(common, lv, rv, strict=True):
            if not _same(a, b):
                diffs.append(f"{c} at {k}: {a!r} != {b!r}")
    return diffs


def partitions(mapping: pd.DataFrame, record: str, cluster: str) -> set[frozenset]:
    """Records grouped by cluster, the cluster's name forgotten: two identity maps agree
    'up to key naming' when these sets are equal."""
    return {frozenset(g[record]) for _, g in mapping.groupby(cluster)}


def test_normalize_and_row_differences():
    left = pd.DataFrame({"K": ["a", "b"], "v": [1.0, 2.0],
                         "t": pd.to_datetime(["2024-01-01", None])})
    right = pd.DataFrame({"k": ["b", "a"], "v": [2.0 + 1e-9, 1.5],
                          "t": [None, "2024-01-01T00:00:00"]})
    diffs = row_differences(normalize(left, ["k"]), normalize(right, ["k"]), ["k"])
    assert diffs == ["v at a: 1.0 != 1.5"]


def test_row_differences_reports_missing_rows_and_columns():
    left = pd.DataFrame({"k": ["a", "b"], "x": [1, 2]})
    right = pd.DataFrame({"k": ["a"], "y": [1]})
    diffs = row_differences(left, right, ["k"])
    assert "column x only on the left" in diffs and "column y only on the right" in diffs
    assert "row b only on the left" in diffs


def test_partitions_ignore_cluster_names():
    a = pd.DataFrame({"r": [1, 2, 3], "c": ["x", "x", "y"]})
    b = pd.DataFrame({"r": [1, 2, 3], "c": ["q", "q", "z"]})
    c = pd.DataFrame({"r": [1, 2, 3], "c": ["q", "z", "z"]})
    assert partitions(a, "r", "c") == partitions(b, "r", "c") != partitions(c, "r", "c")


# ---- the real comparison ------------------------------------------------------------------------

def _java_ok() -> bool:
    if shutil.which("java") is None:
        return False
    proc = subprocess.run(["java", "-version"], capture_output=True, text=True)
    return proc.returncode == 0


def _pyspark_ok() -> bool:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return False
    return True


# Same vars on both engines. privacy__hmac_function: Spark has no keyed hash; md5 stands in
# for this throwaway build (docs/privacy.md). dedup__u_sample_pairs: the u estimation compares
# sampled random record pairs; at 400 customers the default samples every pair (~160k), each
# with four Jaro-Winkler comparisons, which Spark's interpreted SQL lambdas take minutes for.
# dedup__em_iterations: Spark's analyzer inlines every CTE to check a plan, and its time and
# memory grow steeply with the unrolled EM steps of int_customers__match_weights (6 steps:
# 1.5 min, 8: out of a 2 GB heap after 10 min); the run notice refuses more than 6 on Spark
# (var spark__max_em_iterations, docs/scale.md).
SPARK_MAX_EM_ITERATIONS = 5
VARS = ("{privacy__hmac_function: md5, dedup__u_sample_pairs: 20000, "
        f"dedup__em_iterations: {SPARK_MAX_EM_ITERATIONS}}}")
# The compared tables and everything upstream of them (seeds included); their data tests run
# in the slow full-build test below, to keep `make test` within its time budget.
PARITY_SELECT = ["+customer_rfm", "+customer_engagement", "+customer_rule_segments",
                 "+customer_identity_map", "+quarantine"]


def _build(target: str, workdir: Path, raw: Path, args: list[str],
           dbt_vars: str = VARS) -> tuple[float, int, str]:
    """`dbt build <args>` on `target` in its own folder (warehouse file, Spark warehouse and
    metastore, target/, logs/); returns (seconds, exit code, stdout)."""
    extra = {"SEGMENTS_TARGET": target, "SEGMENTS_SPARK_DIR": str(workdir / "spark"),
             "SEGMENTS_SPARK_CORES": "2"}
    env = dbt_env(workdir / "w.duckdb", raw, extra)
    cmd = [str(DBT), "build", *args, "--vars", dbt_vars,
           "--target-path", str(workdir / "target"), "--log-path", str(workdir / "logs")]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=3000)
    return time.perf_counter() - t0, proc.returncode, proc.stdout


def _failures(out: str) -> str:
    bad = [ln for ln in out.splitlines() if "ERROR" in ln or "FAIL" in ln or "Error" in ln]
    return "\n".join(bad)[-6000:]


def _skip_without_spark():
    if not _java_ok():  # Java from Debian's packages when missing (issue 10)
        why = apt_install("openjdk-17-jre-headless")
        if not _java_ok():
            pytest.skip("Java is not installed and `apt-get install openjdk-17-jre-headless` "
                        f"failed ({why or 'no java afterwards'}): the Spark comparison needs "
                        "Java 17")
    if not _pyspark_ok():
        pytest.skip("pyspark is not installed (requirements.txt pins it)")


def _demo_raw(base: Path) -> Path:
    raw = base / "raw"
    subprocess.run([sys.executable, "-m", "segkit.generate", "--customers", str(CUSTOMERS),
                    "--seed", str(SEED), "--out", str(raw), "--quiet"], check=True, cwd=ROOT)
    return raw


@pytest.fixture(scope="module")
def two_engines(tmp_path_factory):
    """The compared marts (and their upstream seeds and models) built on DuckDB and on Spark
    from the same raw files; the build times are printed."""
    _skip_without_spark()
    base = tmp_path_factory.mktemp("engines")
    raw = _demo_raw(base)
    args = ["--select", *PARITY_SELECT, "--resource-type", "seed", "--resource-type", "model"]
    results = {}
    for target in ("dev", "spark"):
        work = base / target
        work.mkdir()
        seconds, code, out = _build(target, work, raw, args)
        if target == "dev":
            assert code == 0, f"dbt build on {target} failed:\n{_failures(out)}"
        results[target] = {"seconds": seconds, "work": work, "log": out, "code": code}
    print(f"\nbuild seconds, {CUSTOMERS} customers, compared marts and upstream: "
          f"duckdb {results['dev']['seconds']:.0f}, spark {results['spark']['seconds']:.0f}")
    return results


@pytest.mark.dbt
@pytest.mark.slow
def test_spark_builds_every_sql_model_seed_and_test(tmp_path):
    """The whole project on Spark: every seed, SQL model, snapshot and data test of the
    default selection there (sql_engines: no Python models and nothing built on them; the
    learned columns of the SQL marts are NULL), with the notice naming the skipped Python
    models. Unit tests are left out."""
    _skip_without_spark()
    raw = _demo_raw(tmp_path)
    # unit tests check the SQL logic on fixtures and run on DuckDB in make test; here the
    # question is whether the models and their data tests run on Spark
    seconds, code, out = _build("spark", tmp_path / "spark", raw,
                                ["--exclude-resource-type", "unit_test"])
    assert code == 0, f"dbt build on spark failed:\n{_failures(out)}"
    assert "Using default selector sql_engines" in out
    assert "dbt Python models are not run on this target" in out
    assert "OK created sql table model marts.customer_segments" in out
    assert "OK snapshotted history.segment_membership_snapshot" in out
    print(f"\nfull Spark build, {CUSTOMERS} customers: {seconds:.0f} s")


@pytest.mark.dbt
@pytest.mark.slow
def test_spark_snapshot_history_matches_duckdb(tmp_path):
    """segment_membership_snapshot on Spark's Parquet tables (the project's snapshot
    materialization rewrites the table where dbt-spark would MERGE into Delta): two builds,
    the second as of a later date so memberships change, give the same history as DuckDB,
    row by row, with closed versions and one current version per customer."""
    _skip_without_spark()
    raw = _demo_raw(tmp_path)
    select = ["--select", "+segment_membership_snapshot", "quarantine_reasons",
              "--exclude-resource-type", "unit_test", "--indirect-selection", "cautious"]
    # without the learned families on both engines (Spark runs no Python models)
    base_vars = VARS[:-1] + ", segments__include_ml: false"
    history = {}
    for target in ("dev", "spark"):
        work = tmp_path / target
        for as_of in (None, "2024-09-30"):
            dbt_vars = base_vars + (f", as_of_date: '{as_of}'}}" if as_of else "}")
            args = select + (["--full-refresh"] if as_of else [])
            _seconds, code, out = _build(target, work, raw, args, dbt_vars)
            assert code == 0, f"dbt build on {target} (as of {as_of}) failed:\n{_failures(out)}"
        assert "OK snapshotted history.segment_membership_snapshot" in out
        results = {target: {"work": work}}
        history[target] = (_duck(results, "history.segment_membership_snapshot")
                           if target == "dev" else
                           _spark(results, "history", "segment_membership_snapshot"))
    keys = ["customer_key", "dbt_valid_from"]
    duck, spark = (normalize(history[t], keys) for t in ("dev", "spark"))
    closed = duck[duck["dbt_valid_to"].notna()]
    current = duck[duck["dbt_valid_to"].isna()]
    assert len(closed) > 0, "the later as_of_date changed no membership: nothing tested"
    assert current["customer_key"].is_unique
    assert set(closed["customer_key"]) <= set(current["customer_key"])
    diffs = row_differences(duck, spark, keys, set())
    assert not diffs, f"{len(diffs)} differences in the history:\n" + "\n".join(diffs[:40])


def _spark_build_ok(results) -> None:
    """The Spark build of the compared marts succeeded; any failure fails (no expected
    failures left: the identity models are full-refresh tables on Spark, docs/scale.md)."""
    spark = results["spark"]
    assert spark["code"] == 0, f"dbt build on spark failed:\n{_failures(spark['log'])}"


@pytest.mark.dbt
def test_spark_builds_the_compared_marts(two_engines):
    _spark_build_ok(two_engines)
    # on Spark the identity models are tables (no row deletes), on DuckDB incremental
    model = "model intermediate.int_customers__candidate_pairs"
    assert f"sql table {model}" in two_engines["spark"]["log"]
    assert f"sql incremental {model}" in two_engines["dev"]["log"]


def _duck(results, sql_table: str) -> pd.DataFrame:
    path = results["dev"]["work"] / "w.duckdb"
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(f"select * from {sql_table}").df()


def _spark(results, schema: str, table: str) -> pd.DataFrame:
    """A Spark table read from its Parquet files in the local warehouse (after dbt exited)."""
    folder = results["spark"]["work"] / "spark" / "warehouse" / f"{schema}.db" / table
    assert folder.is_dir(), f"no Spark table {schema}.{table} at {folder}"
    with duckdb.connect() as con:
        return con.execute(f"select * from read_parquet('{folder}/*.parquet')").df()


def _assert_same_rows(results, schema: str, table: str, keys: list[str]) -> None:
    """The table on both engines, row by row (known bookkeeping columns left out)."""
    _spark_build_ok(results)
    duck = normalize(_duck(results, f"{schema}.{table}"), keys)
    spark = normalize(_spark(results, schema, table), keys)
    assert len(duck) > 0
    ignore = set(KNOWN_COLUMN_DIFFERENCES.get(table, {}))
    diffs = row_differences(duck, spark, keys, ignore)
    assert not diffs, f"{len(diffs)} differences in {table}:\n" + "\n".join(diffs[:40])


@pytest.mark.dbt
@pytest.mark.parametrize("table", sorted(IDENTITY_TABLES))
def test_identity_tables_agree_row_by_row(two_engines, table):
    _assert_same_rows(two_engines, "intermediate", table, IDENTITY_TABLES[table])


@pytest.mark.dbt
@pytest.mark.parametrize("mart", sorted(MARTS))
def test_marts_agree_row_by_row(two_engines, mart):
    _assert_same_rows(two_engines, "marts", mart, MARTS[mart])


@pytest.mark.dbt
def test_identity_map_agrees_up_to_key_naming(two_engines):
    _spark_build_ok(two_engines)
    duck = _duck(two_engines, "marts.customer_identity_map")
    spark = _spark(two_engines, "marts", "customer_identity_map")
    record = "customer_record_id"
    assert len(duck) == len(spark) > 0
    assert set(duck[record]) == set(spark[record])
    assert partitions(duck, record, "customer_key") == partitions(spark, record, "customer_key")
    # the keys themselves are md5 of the smallest record id on both engines
    assert set(duck["customer_key"]) == set(spark["customer_key"])


@pytest.mark.dbt
def test_quarantine_counts_by_reason_agree(two_engines):
    """Quarantine does not depend on identity resolution: compared whatever the rest did."""
    q = ("select source_table, reason_code, count(*) as n from {} "
         "group by 1, 2 order by 1, 2")
    duck = _duck(two_engines, "(" + q.format("marts.quarantine") + ")")
    spark_rows = _spark(two_engines, "marts", "quarantine")
    spark = (spark_rows.groupby(["source_table", "reason_code"]).size()
             .rename("n").reset_index().sort_values(["source_table", "reason_code"]))
    assert duck["n"].sum() > 0
    d = {(r.source_table, r.reason_code): int(r.n) for r in duck.itertuples()}
    s = {(r.source_table, r.reason_code): int(r.n) for r in spark.itertuples()}
    assert d == s
