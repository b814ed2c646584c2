"""Snowflake / BigQuery: the project compiles for both without a connection, and every compiled
model parses in that dialect with no DuckDB-only function left (segkit/dialect_check.py)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from segkit.dialect_check import (
    Problem,
    called_names,
    check_dir,
    check_sql,
    compiled_model_files,
    sqlglot_dialect,
)
from tests.python.dbt_helpers import DBT, ROOT

# ---- pure functions -----------------------------------------------------------------------

def test_sqlglot_dialect_names_and_unknown_target():
    assert sqlglot_dialect("snowflake") == "snowflake"
    assert sqlglot_dialect("bigquery") == "bigquery"
    with pytest.raises(ValueError, match="postgres"):
        sqlglot_dialect("postgres")


def test_check_sql_accepts_portable_sql():
    sql = "select a, count(*) as n from db.s.t where b like 'x%' group by a"
    assert check_sql(sql, "snowflake") == []
    assert check_sql(sql, "bigquery") == []


def test_check_sql_reports_a_syntax_error():
    (p,) = check_sql("select a from t where (b = 1", "snowflake", "m.sql")
    assert p.kind == "parse_error" and p.path == "m.sql"


def test_check_sql_flags_duckdb_only_functions_even_when_sqlglot_knows_them():
    sql = ("select regexp_full_match(a, 'x'), regexp_matches(a, 'y'), "
           "list_transform(l, x -> x + 1), epoch(ts) from t")
    kinds = {(p.kind, p.detail) for p in check_sql(sql, "snowflake")}
    assert {("duckdb_only_function", n) for n in
            ("regexp_full_match", "regexp_matches", "list_transform", "epoch")} <= kinds


def test_check_sql_flags_functions_missing_in_the_dialect():
    sql = "select concat_ws('|', a, b), try_cast(c as int) from t"
    found = {p.detail for p in check_sql(sql, "bigquery")}
    assert found == {"concat_ws", "try_cast"}
    # Snowflake has both, but its concat_ws returns NULL on any NULL part (not skipped)
    (p,) = check_sql(sql, "snowflake")
    assert p.kind == "differs_in_snowflake" and p.detail.startswith("concat_ws: ")
    assert check_sql("select try_cast(c as int) from t", "snowflake") == []


def test_check_sql_duckdb_dialect_only_checks_syntax():
    assert check_sql("select regexp_full_match(a, 'x') from t", "duckdb") == []


def test_check_sql_empty_file():
    assert [p.kind for p in check_sql("  \n", "bigquery")] == ["empty"]


def test_called_names_reads_the_text_not_sqlglots_mapping():
    # sqlglot maps regexp_matches onto its REGEXP_LIKE class; the written name must survive
    assert "regexp_matches" in called_names("select regexp_matches(a, 'b') from t", "snowflake")
    # a column or table named like a function is not a call
    assert "epoch" not in called_names("select epoch from t", "snowflake")


def test_compiled_model_files_skips_yaml_test_folders(tmp_path):
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "a.sql").write_text("select 1")
    (tmp_path / "m" / "_x.yml").mkdir()
    (tmp_path / "m" / "_x.yml" / "not_null_a.sql").write_text("select 1")
    assert [p.name for p in compiled_model_files(tmp_path)] == ["a.sql"]
    n, problems = check_dir(tmp_path, "bigquery")
    assert n == 1 and problems == []


def test_problem_str_names_file_and_kind():
    assert str(Problem("a.sql", "parse_error", "boom")) == "a.sql: parse_error: boom"


# ---- the real project, compiled offline ------------------------------------------------------

def _fake_bigquery_keyfile(path: Path) -> Path:
    """A syntactically valid service-account key (a fresh RSA key, no account behind it): the
    BigQuery adapter loads the key file when it starts, compile never uses it."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    path.write_text(json.dumps({
        "type": "service_account", "project_id": "offline-compile", "private_key_id": "0",
        "private_key": pem, "client_email": "compile@offline-compile.iam.gserviceaccount.com",
        "client_id": "0", "token_uri": "https://oauth2.googleapis.com/token"}))
    return path


def compile_offline(target: str, out: Path) -> Path:
    """`dbt compile --target <target>` with dummy credentials and no warehouse: introspection
    off (macros that would query fall back to offline answers), no cache population. Python
    models are left out: their compiled form is adapter Python, not SQL (docs/scale.md)."""
    env = dict(os.environ)
    env.update(
        DBT_PROFILES_DIR=str(ROOT), DBT_SEND_ANONYMOUS_USAGE_STATS="false",
        SNOWFLAKE_ACCOUNT="offline", SNOWFLAKE_USER="offline", SNOWFLAKE_DATABASE="analytics",
        SNOWFLAKE_WAREHOUSE="compute", DBT_ENV_SECRET_SNOWFLAKE_PASSWORD="not-a-secret",
        BIGQUERY_PROJECT="offline-compile",
        DBT_ENV_SECRET_BIGQUERY_KEYFILE=str(_fake_bigquery_keyfile(out / "keyfile.json")),
    )
    cmd = [str(DBT), "compile", "--target", target, "--no-introspect", "--no-populate-cache",
           "--select", "resource_type:model", "--exclude", "path:python_models",
           "--indirect-selection", "empty", "--vars", "{privacy__hmac_function: util.pii_hmac}",
           "--target-path", str(out / "target"), "--log-path", str(out / "logs")]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, f"dbt compile --target {target} failed:\n{proc.stdout[-4000:]}"
    return out / "target" / "compiled" / "customer_segments" / "models"


@pytest.mark.dbt
@pytest.mark.parametrize("target", ["snowflake", "bigquery"])
def test_project_compiles_and_parses_in_warehouse_dialect(target, tmp_path):
    compiled = compile_offline(target, tmp_path)
    n, problems = check_dir(compiled, sqlglot_dialect(target))
    sql_models = [p for p in (ROOT / "models").rglob("*.sql")]
    assert n >= len(sql_models) * 0.9, f"only {n} compiled models for {len(sql_models)} SQL models"
    # no known gaps left: every compiled model is clean in the warehouse's dialect
    assert not problems, "\n".join(map(str, problems))
    # the dispatch really picked this warehouse's macros (not DuckDB's)
    text = "\n".join(f.read_text() for f in compiled_model_files(compiled))
    assert "regexp_full_match" not in text and "try_strptime" not in text
    assert ("regexp_like(" if target == "snowflake" else "regexp_contains(") in text
    # issue-code lists and content hashes skip NULL parts on both (concat_skip_nulls): no
    # concat_ws, which BigQuery lacks and Snowflake's returns NULL for on any NULL part
    assert "concat_ws(" not in text.lower()
    assert ("array_construct_compact(" if target == "snowflake" else "array_to_string([") in text
