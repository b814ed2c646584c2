"""Privacy: the keyed pseudonymization (key from DBT_ENV_SECRET_PII_KEY through the profile's
plugin, never in artifacts), no raw PII in BI-facing marts or exports (from the dbt manifest),
erasure everywhere (a scan of every column of every relation), the erasure log, and consent
withdrawal reaching the audiences at the next refresh."""

from __future__ import annotations

import csv
import hashlib
import hmac
import json
import os
import shutil
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from segkit import privacy
from tests.python.conftest import run_dbt

SENTINEL = "SENTINEL-pii-key-7f3a9c2e41b8d6"
# column names that are raw PII wherever they appear (besides columns tagged / meta'd pii)
PII_NAMES = {"first_name", "last_name", "full_name", "email", "email_match_key", "phone",
             "phone_e164", "phone_extension", "street", "postcode", "birth_date", "csv_line",
             "raw_record"}
# Quasi-identifiers allowed in BI-facing marts although a model tags them pii: the city is
# tagged in the imputed golden record (part of the address), but alone it is a coarse
# location that segment rules use (Urban Mobile Shoppers); docs/privacy.md.
ALLOWED_QUASI_IDENTIFIERS = {"city"}


# --- unit: keys and hashes ------------------------------------------------------------------

def test_hmac_is_keyed_and_deterministic() -> None:
    a = privacy.hmac_hex(b"k" * 16, "customer-1")
    assert a == hmac.new(b"k" * 16, b"customer-1", hashlib.sha256).hexdigest()
    assert a == privacy.hmac_hex(b"k" * 16, "customer-1")
    assert a != privacy.hmac_hex(b"j" * 16, "customer-1")
    assert privacy.hmac_hex(b"k" * 16, None) is None


def test_ads_hash_normalizes_like_the_platforms_want() -> None:
    expected = hashlib.sha256(b"ann.lee@example.com").hexdigest()
    assert privacy.ads_email_hash("  Ann.Lee@Example.COM ") == expected
    assert privacy.ads_email_hash("   ") is None


def test_key_from_the_profile_value_or_a_local_file(tmp_path: Path) -> None:
    assert privacy.resolve_key(SENTINEL) == SENTINEL.encode()
    key_file = tmp_path / "sub" / "pii_key"
    first = privacy.resolve_key("", str(key_file))
    assert key_file.exists() and oct(key_file.stat().st_mode)[-3:] == "600"
    assert privacy.resolve_key(None, str(key_file)) == first and len(first) >= 32
    with pytest.raises(ValueError, match="at least"):
        privacy.resolve_key("short")


# --- no raw PII in BI-facing marts or exports ---------------------------------------------

def _manifest(build) -> dict:
    return json.loads((build.warehouse.parent / "target" / "manifest.json").read_text())


def _is_pii_column(column: dict) -> bool:
    return "pii" in (column.get("tags") or []) or bool((column.get("meta") or {}).get("pii"))


@pytest.mark.dbt
def test_no_bi_facing_mart_or_export_carries_raw_pii(demo_build) -> None:
    nodes = [n for n in _manifest(demo_build)["nodes"].values() if n["resource_type"] == "model"]
    pii_names = set(PII_NAMES)
    for node in nodes:
        pii_names |= {c.lower() for c, col in node["columns"].items() if _is_pii_column(col)}
    assert {"email", "phone_e164", "birth_date"} <= pii_names
    pii_names -= ALLOWED_QUASI_IDENTIFIERS
    # BI-facing: every model under models/marts (exports included) that is not tagged pii
    # (the restricted identity tables dim_customers, customer_identity_map, ... are)
    facing = [n for n in nodes if n["original_file_path"].startswith("models/marts/")
              and "pii" not in n["tags"]]
    names = {n["name"] for n in facing}
    assert {"customer_segments", "customer_next_best_action", "audience_email", "audience_ads",
            "export_manifest", "erasure_log"} <= names
    offending = []
    for node in facing:
        declared = [c for c, col in node["columns"].items() if _is_pii_column(col)]
        actual = [r[0].lower() for r in demo_build.query(
            "select column_name from information_schema.columns "
            "where table_schema = ? and table_name = ?", [node["schema"], node["alias"]])]
        assert actual, node["name"]
        offending += [(node["name"], c) for c in declared + actual if c in pii_names]
    assert offending == []


# --- one build with a sentinel key, erasure requests and a consent withdrawal -------------

def _people(demo) -> dict:
    """Two customers with records in 2+ systems, orders and events; one consented customer
    in the e-mail audience with a webshop record (for the withdrawal)."""
    rows = demo.query("""
        with o as (select customer_key, count(*) as n from marts.fct_orders group by 1),
             e as (select customer_key, count(*) as n from marts.fct_events group by 1)
        select d.customer_key, d.email
        from marts.dim_customers as d
        inner join o using (customer_key) inner join e using (customer_key)
        where d.source_count >= 2 and d.email is not null
        order by d.customer_key limit 2""")
    by_id = demo.query("""
        select source_system, source_customer_id from marts.customer_identity_map
        where customer_key = ? order by source_system desc limit 1""", [rows[1][0]])[0]
    withdrawn = demo.query("""
        select m.customer_key, m.source_customer_id
        from marts.audience_email as a
        inner join marts.customer_segments as s using (customer_pseudo_id)
        inner join marts.customer_identity_map as m using (customer_key)
        where m.source_system = 'webshop' and m.cluster_record_count = 1
        order by m.customer_key limit 1""")[0]
    return {"by_email": rows[0], "by_id": (rows[1][0], *by_id), "withdrawn": withdrawn}


def _identifiers(demo, keys: list[str], old_raw: Path, new_raw: Path) -> dict:
    ks = ", ".join(f"'{k}'" for k in keys)
    exact, contained, people = set(keys), set(), set()
    exact |= {privacy.hmac_hex(SENTINEL.encode(), k) for k in keys}
    for rid, row, email, phone, first, last, birth in demo.query(f"""
            select customer_record_id, source_row_id, email, phone_e164,
                   first_name, last_name, birth_date
            from intermediate.int_customers__validated
            where customer_record_id in (select customer_record_id from marts.customer_identity_map
                                         where customer_key in ({ks}))"""):
        exact |= {rid, row.replace(str(old_raw / "customers.parquet"),
                                   str(new_raw / "customers" / "part-0.parquet"))}
        contained |= {v.lower() for v in (email, phone) if v}
        if email:
            exact.add(hashlib.sha256(email.strip().lower().encode()).hexdigest())
        if first and last and birth:
            people.add((first, last, birth))
    for (row,) in demo.query(f"""
            select source_row_id from marts.fct_orders where customer_key in ({ks})
            union all select source_row_id from marts.fct_events where customer_key in ({ks})"""):
        exact.add(row.replace(str(old_raw), str(new_raw)))
    return {"exact": exact, "contained": contained, "people": people}


@pytest.fixture(scope="module")
def privacy_build(demo_build, tmp_path_factory):
    base = tmp_path_factory.mktemp("privacy")
    raw = base / "raw"
    shutil.copytree(demo_build.raw_dir, raw)
    people = _people(demo_build)
    # consent withdrawn: a newer copy of the customer's webshop record says no
    (raw / "customers").mkdir()
    shutil.move(raw / "customers.parquet", raw / "customers" / "part-0.parquet")
    customers = pq.read_table(raw / "customers" / "part-0.parquet")
    mask = [s == "webshop" and i == people["withdrawn"][1] for s, i in zip(
        customers["source_system"].to_pylist(), customers["source_customer_id"].to_pylist(),
        strict=True)]
    newer = customers.filter(pa.array(mask)).slice(0, 1).to_pylist()[0]
    newer.update(marketing_consent="no", updated_at="2024-06-30T23:59:00")
    pq.write_table(pa.Table.from_pylist([newer], schema=customers.schema),
                   raw / "customers" / "part-1.parquet")
    # erasure requests: by a noisy e-mail, by a source id, and one for nobody
    email = people["by_email"][1]
    _, system, source_id = people["by_id"]
    with open(raw / "erasure_requests.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["requested_at", "email", "source_system", "source_customer_id"])
        w.writerow(["2024-06-01T10:00:00", f"  {email.upper()} ", "", ""])
        w.writerow(["2024-06-02T10:00:00", "", system.upper(), f" {source_id} "])
        w.writerow(["2024-06-03T10:00:00", "nobody-at-all@example.org", "", ""])
    warehouse = base / "wh" / "segments.duckdb"
    warehouse.parent.mkdir()
    target, logs = base / "target", base / "logs"
    old_env = os.environ.get("DBT_ENV_SECRET_PII_KEY")
    os.environ["DBT_ENV_SECRET_PII_KEY"] = SENTINEL
    try:
        args = ["--log-path", str(logs)]
        run_dbt(["seed", "--quiet", *args], warehouse, raw, target_path=target)
        # the planted withdrawal makes the original record a conflicting duplicate that the
        # generator's truth does not know, so the quarantine-precision floor is not ours to test
        proc = run_dbt(["build", "--exclude", "test_name:quality_value_meets_floor", *args],
                       warehouse, raw, target_path=target)
    finally:
        if old_env is None:
            os.environ.pop("DBT_ENV_SECRET_PII_KEY")
        else:
            os.environ["DBT_ENV_SECRET_PII_KEY"] = old_env
    erased = [people["by_email"][0], people["by_id"][0]]
    return {"warehouse": warehouse, "target": target, "logs": logs, "raw": raw,
            "people": people, "output": proc.stdout,
            "ids": _identifiers(demo_build, erased, demo_build.raw_dir, raw)}


def _connect(path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path), read_only=True)
    privacy.register(con, SENTINEL.encode())  # views call the keyed hash
    return con


def _text_columns(con) -> list[tuple[str, str, str]]:
    return con.execute("""
        select table_schema, table_name, column_name from information_schema.columns
        where table_schema not in ('information_schema', 'pg_catalog')
          and data_type = 'VARCHAR' order by 1, 2, 3""").fetchall()


@pytest.mark.dbt
def test_key_came_through_the_profile(privacy_build) -> None:
    con = _connect(privacy_build["warehouse"])
    rows = con.execute("select customer_key, customer_pseudo_id from marts.customer_segments "
                       "order by customer_key limit 20").fetchall()
    con.close()
    assert rows and all(p == privacy.hmac_hex(SENTINEL.encode(), k) for k, p in rows)


@pytest.mark.dbt
def test_sentinel_key_never_written_to_target_logs_or_warehouse(privacy_build) -> None:
    needle = SENTINEL.encode()
    files = [p for d in (privacy_build["target"], privacy_build["logs"],
                         privacy_build["warehouse"].parent) for p in d.rglob("*") if p.is_file()]
    assert any(p.suffix == ".duckdb" for p in files) and any(p.name == "dbt.log" for p in files)
    assert [str(p) for p in files if needle in p.read_bytes()] == []
    con = _connect(privacy_build["warehouse"])
    hits = [(s, t, c) for s, t, c in _text_columns(con) if con.execute(
        f'select count(*) from "{s}"."{t}" where contains("{c}", ?)', [SENTINEL]).fetchone()[0]]
    con.close()
    assert hits == []


@pytest.mark.dbt
def test_erased_people_are_in_no_table_view_or_export(privacy_build) -> None:
    ids = privacy_build["ids"]
    assert len(ids["exact"]) > 20 and ids["contained"] and ids["people"]
    con = _connect(privacy_build["warehouse"])
    exact, contained = sorted(ids["exact"]), sorted(ids["contained"])
    hits, scanned = [], 0
    for s, t, c in _text_columns(con):
        q = f'"{s}"."{t}"."{c}"'
        where = " or ".join([f"{q} in (select unnest(?))"]
                            + [f"contains(lower({q}), ?)" for _ in contained])
        scanned += 1
        n = con.execute(f'select count(*) from "{s}"."{t}" where {where}',
                        [exact, *contained]).fetchone()[0]
        if n:
            hits.append((s, t, c, n))
    # names + birth date together, wherever a relation has all three
    for s, t in con.execute("""
            select table_schema, table_name from information_schema.columns
            where column_name in ('first_name', 'last_name', 'birth_date')
            group by 1, 2 having count(*) = 3""").fetchall():
        for first, last, birth in ids["people"]:
            n = con.execute(
                f'select count(*) from "{s}"."{t}" where cast(first_name as varchar) = ? '
                'and cast(last_name as varchar) = ? and cast(birth_date as varchar) = ?',
                [first, last, str(birth)]).fetchone()[0]
            if n:
                hits.append((s, t, "name+birth_date", n))
    con.close()
    assert scanned > 200
    assert hits == []
    exports = privacy_build["warehouse"].parent / "exports"
    text = "".join(p.read_text() for p in exports.glob("*.csv"))
    assert text and not [v for v in exact if len(v) == 64 and v in text]


@pytest.mark.dbt
def test_the_erasure_is_logged_and_accounted(privacy_build) -> None:
    con = _connect(privacy_build["warehouse"])
    log = con.execute("select status, matched_customer_count, processed_at is not null "
                      "from marts.erasure_log order by status").fetchall()
    erased = con.execute("select source_table, rows_erased from marts.ingest_accounting "
                         "order by 1").fetchall()
    con.close()
    assert log == [("erased", 1, True), ("erased", 1, True), ("no_match", 0, True)]
    assert all(n > 0 for _, n in erased), erased
    assert "privacy: erasing" in privacy_build["output"]


@pytest.mark.dbt
def test_withdrawn_consent_leaves_the_audiences(privacy_build, demo_build) -> None:
    key = privacy_build["people"]["withdrawn"][0]
    pseudo = privacy.hmac_hex(SENTINEL.encode(), key)
    assert demo_build.query("select count(*) from marts.dim_customers "
                            "where customer_key = ? and has_marketing_consent", [key])[0][0] == 1
    con = _connect(privacy_build["warehouse"])
    consent = con.execute("select has_marketing_consent from marts.dim_customers "
                          "where customer_key = ?", [key]).fetchall()
    in_audience = con.execute("select count(*) from marts.audience_email "
                              "where customer_pseudo_id = ?", [pseudo]).fetchone()[0]
    kept = con.execute("select count(*) from marts.customer_next_best_action "
                       "where customer_key = ?", [key]).fetchone()[0]
    con.close()
    assert consent == [(False,)]
    assert in_audience == 0 and kept == 1
