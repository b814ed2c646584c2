"""Tests of the demo-data generator (segkit.generator): determinism, volumes, truth
consistency, defect coverage, seed coverage, CSV/Parquet equality and --no-contact."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import pyarrow.parquet as pq
import pytest

from segkit import generate as cli
from segkit.generator import catalog, config, generate, seeds

N = 2000
END = dt.date(2024, 6, 30)
TABLES = ("customers", "orders", "events")
TRUTH = ("persons", "customer_records", "row_outcomes")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Datasets generated once per module: two identical runs, another seed, CSV, no contact."""
    base = tmp_path_factory.mktemp("gen")
    runs = {"a": {}, "b": {}, "other_seed": {"seed": 43}, "csv": {"fmt": "csv"},
            "no_contact": {"no_contact": True}}
    out = {}
    for name, kwargs in runs.items():
        out[name] = base / name
        generate(N, seed=kwargs.pop("seed", 42), out_dir=out[name], **kwargs)
    return out


def read(d: Path, table: str) -> pa.Table:
    """A generated table (parquet)."""
    sub = "truth/" if table in TRUTH else ""
    return pq.read_table(d / f"{sub}{table}.parquet")


def outcomes(d: Path, table: str, defect: str | None = None) -> pa.Table:
    """row_outcomes of one source table (optionally one defect)."""
    t = read(d, "row_outcomes")
    t = t.filter(pc.equal(t["source_table"], table))
    return t if defect is None else t.filter(pc.equal(t["defect"], defect))


def keys(t: pa.Table, id_col: str) -> set[tuple[str, str]]:
    """(source_system, id) pairs of a table."""
    return set(zip(t["source_system"].to_pylist(), t[id_col].to_pylist(), strict=True))


def test_same_seed_gives_identical_bytes(data: dict[str, Path]) -> None:
    files = [f"{t}.parquet" for t in TABLES] + [f"truth/{t}.parquet" for t in TRUTH]
    for f in files:
        assert (data["a"] / f).read_bytes() == (data["b"] / f).read_bytes(), f


def test_other_seed_gives_other_data(data: dict[str, Path]) -> None:
    for t in TABLES:
        assert (data["a"] / f"{t}.parquet").read_bytes() != (
            data["other_seed"] / f"{t}.parquet").read_bytes()


def test_all_raw_columns_are_strings_with_contract_names(data: dict[str, Path]) -> None:
    contract = {
        "customers": ["source_system", "source_customer_id", "first_name", "last_name", "email",
                      "phone", "street", "city", "postcode", "state", "country", "birth_date",
                      "gender", "signup_date", "marketing_consent", "updated_at"],
        "orders": ["source_system", "order_id", "source_customer_id", "ordered_at", "amount",
                   "currency", "status", "channel", "item_count", "product_category"],
        "events": ["source_system", "event_id", "source_customer_id", "anonymous_id",
                   "session_id", "event_type", "occurred_at", "product_id", "product_category",
                   "page_url", "device", "channel"]}
    for t, cols in contract.items():
        schema = pq.read_schema(data["a"] / f"{t}.parquet")
        assert schema.names == cols
        assert all(f.type == pa.string() for f in schema)


def test_row_count_ratios(data: dict[str, Path]) -> None:
    n_cust = read(data["a"], "customers").num_rows
    n_ord = read(data["a"], "orders").num_rows
    n_ev = read(data["a"], "events").num_rows
    assert read(data["a"], "persons").num_rows == N
    assert 1.2 <= n_cust / N <= 1.5
    assert 3.5 <= n_ord / N <= 6.5
    assert 30 <= n_ev / N <= 55


def test_every_customer_record_is_in_truth(data: dict[str, Path]) -> None:
    cust = read(data["a"], "customers")
    truth = read(data["a"], "customer_records")
    with_id = cust.filter(pc.is_valid(cust["source_customer_id"]))
    assert keys(with_id, "source_customer_id") == keys(truth, "source_customer_id")
    assert len(keys(truth, "source_customer_id")) == truth.num_rows    # key is unique
    persons = set(read(data["a"], "persons")["person_id"].to_pylist())
    assert set(truth["person_id"].to_pylist()) <= persons


def test_ids_collide_across_systems_but_not_within(data: dict[str, Path]) -> None:
    truth = read(data["a"], "customer_records")
    ids = {s: set(truth.filter(pc.equal(truth["source_system"], s))["source_customer_id"]
                  .to_pylist()) for s in config.SOURCES}
    assert ids["webshop"] & (ids["crm"] | ids["pos"])
    assert any(i.startswith("C0") for i in ids["crm"]) and any(i.startswith("P-") for i in
                                                               ids["pos"])


def test_orders_and_events_reference_known_customers_or_are_listed(data: dict[str, Path]) -> None:
    known = keys(read(data["a"], "customers"), "source_customer_id")
    for table, id_col, orphan in (("orders", "order_id", "orphan_order"),
                                  ("events", "event_id", "orphan_event")):
        t = read(data["a"], table)
        t = t.filter(pc.is_valid(t["source_customer_id"]))
        listed = keys(outcomes(data["a"], table, orphan), "record_id")
        assert listed
        for sys_, cid, rid in zip(t["source_system"].to_pylist(),
                                  t["source_customer_id"].to_pylist(), t[id_col].to_pylist(),
                                  strict=True):
            assert (sys_, cid) in known or (sys_, rid) in listed, (table, sys_, cid, rid)
    missing = outcomes(data["a"], "orders", "missing_required")
    orders = read(data["a"], "orders")
    assert pc.sum(pc.is_null(orders["source_customer_id"])).as_py() == missing.num_rows


def test_persona_and_anomaly_shares(data: dict[str, Path]) -> None:
    persons = read(data["a"], "persons").to_pandas()
    shares = persons["persona"].value_counts(normalize=True)
    for name, share in zip(config.PERSONAS, config.PERSONA_SHARES, strict=True):
        assert abs(shares[name] - share) < 0.04, name
    assert 0.005 <= persons["is_anomaly"].mean() <= 0.02
    assert set(persons["anomaly_type"].dropna()) == {"bot", "fraud_spike", "extreme_spender"}
    assert (persons["churned_in_horizon"] == (persons["orders_in_horizon"] == 0)).all()
    assert (persons["revenue_in_horizon"] >= 0).all()


def test_churn_follows_recency(data: dict[str, Path]) -> None:
    persons = read(data["a"], "persons").to_pandas().set_index("person_id")
    truth = read(data["a"], "customer_records").to_pandas()
    orders = read(data["a"], "orders").to_pandas()
    o = orders.merge(truth, on=["source_system", "source_customer_id"])
    o = o[o["ordered_at"].str.match(r"^\d{4}-\d\d-\d\dT.*Z$")]      # one easy format suffices
    last = o.groupby("person_id")["ordered_at"].max().str[:10]
    recent = persons.loc[last[last >= "2024-05-01"].index, "churned_in_horizon"].mean()
    stale = persons.loc[last[last < "2023-06-30"].index, "churned_in_horizon"].mean()
    never = persons.loc[persons.index.difference(o["person_id"].unique()), "churned_in_horizon"]
    assert recent < 0.6 < stale
    assert never.mean() > 0.7


def test_every_defect_class_is_present(data: dict[str, Path]) -> None:
    out = read(data["a"], "row_outcomes").to_pandas()
    for table, defects in config.DEFECTS.items():
        got = out[out["source_table"] == table]
        assert set(defects) <= set(got["defect"]), table
        for code, (_, outcome, reason) in defects.items():
            rows = got[got["defect"] == code]
            assert (rows["expected_outcome"] == outcome).all(), code
            assert (rows["expected_reason_code"].isna() if reason is None else
                    (rows["expected_reason_code"] == reason)).all(), code
    assert "order_before_signup" in set(out["defect"])
    assert out["expected_outcome"].isin(
        ["clean", "normalized", "flagged", "quarantined", "merged"]).all()
    reasons = set(out["expected_reason_code"].dropna())
    seed_reasons = set((ROOT / "seeds" / "quarantine_reasons.csv").read_text().split()) \
        if (ROOT / "seeds" / "quarantine_reasons.csv").exists() else None
    if seed_reasons is not None:
        text = (ROOT / "seeds" / "quarantine_reasons.csv").read_text()
        assert all(f"\n{r}," in text for r in reasons), reasons


def test_defect_rows_look_like_their_defect(data: dict[str, Path]) -> None:
    orders = read(data["a"], "orders").to_pandas()
    by_id = orders.groupby(["source_system", "order_id"])
    out = outcomes(data["a"], "orders").to_pandas()
    ids = {c: set(zip(g["source_system"], g["record_id"], strict=True))
           for c, g in out.groupby("defect")}
    sizes = by_id.size()
    assert all(sizes[k] == 2 for k in ids["exact_duplicate"] | ids["conflicting_duplicate"])
    for k in ids["exact_duplicate"]:
        rows = by_id.get_group(k)
        assert rows.iloc[0].equals(rows.iloc[1])
    for k in ids["conflicting_duplicate"]:
        assert by_id.get_group(k)["amount"].nunique() == 2
    neg = orders.set_index(["source_system", "order_id"]).loc[sorted(ids["negative_amount"])]
    assert neg["amount"].str.startswith("-").all()
    assert not neg["status"].str.strip().str.upper().isin(["REFUNDED", "RETURNED"]).any()
    cur = orders.set_index(["source_system", "order_id"]).loc[sorted(ids["missing_fx_rate"])]
    assert (cur["currency"] == catalog.MISSING_FX_CURRENCY).all()
    assert (sizes.drop(list(ids["exact_duplicate"] | ids["conflicting_duplicate"])) == 1).all()


def _parses(text: str, source: str) -> bool:
    """Whether a timestamp is in one of the formats documented for its source system."""
    if source == "webshop":
        if re.fullmatch(r"\d{13}", text):
            return True
        text = re.sub(r"(Z|[+-]\d\d:\d\d)$", "", text).replace("T", " ")
        fmts = ("%Y-%m-%d %H:%M:%S",)
    elif source == "crm":
        fmts = ("%d/%m/%Y %H:%M",)
    else:
        if re.fullmatch(r"\d{10}", text):
            return True
        fmts = ("%m/%d/%Y %H:%M", "%m/%d/%Y", "%b %d %Y")
    for f in fmts:
        try:
            dt.datetime.strptime(text, f)
            return True
        except ValueError:
            pass
    return False


def test_timestamps_use_the_source_formats(data: dict[str, Path]) -> None:
    date_defects = {"unparseable_date", "invalid_date", "future_timestamp", "missing_required"}
    for table, id_col, ts in (("orders", "order_id", "ordered_at"),
                              ("events", "event_id", "occurred_at"),
                              ("customers", "source_customer_id", "updated_at")):
        t = read(data["a"], table).to_pandas()
        out = outcomes(data["a"], table).to_pandas()
        bad = set(zip(out.loc[out["defect"].isin(date_defects), "source_system"],
                      out.loc[out["defect"].isin(date_defects), "record_id"], strict=True))
        for sys_, rid, value in zip(t["source_system"], t[id_col], t[ts], strict=True):
            if (sys_, rid) in bad or (table == "customers" and rid is None):
                continue
            assert _parses(value, sys_), (table, sys_, value)
    fut = outcomes(data["a"], "orders", "future_timestamp")
    assert fut.num_rows > 0


def _upper_trim(values: list[str | None]) -> set[str]:
    return {v.strip().upper() for v in values if v is not None and v not in catalog.NULL_TOKENS}


def _seed_aliases(name: str) -> set[str]:
    table = pcsv.read_csv(ROOT / "seeds" / f"{name}.csv", convert_options=pcsv.ConvertOptions(
        column_types={"alias": pa.string(), "raw_status": pa.string()}))
    return set(table.column(0).to_pylist())


def test_emitted_aliases_are_seeded(data: dict[str, Path]) -> None:
    cust = read(data["a"], "customers")
    orders = read(data["a"], "orders")
    events = read(data["a"], "events")
    assert _upper_trim(cust["country"].to_pylist()) <= _seed_aliases("country_aliases")
    cats = _upper_trim(orders["product_category"].to_pylist() +
                       events["product_category"].to_pylist())
    assert cats <= _seed_aliases("category_aliases")
    unknown_status = set(outcomes(data["a"], "orders", "unknown_status")["record_id"].to_pylist())
    ok = orders.filter(pc.invert(pc.is_in(orders["order_id"], pa.array(list(unknown_status)))))
    assert _upper_trim(ok["status"].to_pylist()) <= _seed_aliases("order_status_map")
    assert _upper_trim(orders["status"].to_pylist()) - _seed_aliases("order_status_map")
    unknown_ev = outcomes(data["a"], "events", "unknown_event_type")["record_id"]
    ok = events.filter(pc.invert(pc.is_in(events["event_id"], unknown_ev)))
    assert _upper_trim(ok["event_type"].to_pylist()) <= _seed_aliases("event_type_aliases")
    seeded_currencies = set(pcsv.read_csv(ROOT / "seeds" / "fx_rates.csv")["currency"]
                            .to_pylist())
    assert catalog.MISSING_FX_CURRENCY not in seeded_currencies


def test_seed_files_match_the_generator_vocabularies() -> None:
    for name, (header, rows) in seeds.seed_rows().items():
        committed = (ROOT / "seeds" / f"{name}.csv").read_text(encoding="utf-8")
        assert committed == seeds.render_csv(header, rows), name
    nick = (ROOT / "seeds" / "name_nicknames.csv").read_text().splitlines()
    assert nick[0] == "nickname,name" and len(nick) > 60


def test_csv_and_parquet_carry_the_same_content(data: dict[str, Path]) -> None:
    for t in TABLES:
        par = read(data["a"], t)
        types = {name: pa.string() for name in par.column_names}
        csv_t = pcsv.read_csv(data["csv"] / f"{t}.csv", convert_options=pcsv.ConvertOptions(
            column_types=types, null_values=[""], strings_can_be_null=True,
            quoted_strings_can_be_null=True))
        par = pa.table({c: pc.if_else(pc.equal(par[c], ""), None, par[c])
                        for c in par.column_names})
        assert csv_t.column_names == par.column_names
        assert csv_t.equals(par), t
    for t in TRUTH:
        assert (data["a"] / "truth" / f"{t}.parquet").read_bytes() == (
            data["csv"] / "truth" / f"{t}.parquet").read_bytes()


def test_no_contact_writes_no_emails_or_phones(data: dict[str, Path]) -> None:
    cust = read(data["no_contact"], "customers")
    assert cust.num_rows > N
    assert pc.all(pc.is_null(cust["email"])).as_py()
    assert pc.all(pc.is_null(cust["phone"])).as_py()
    truth = read(data["no_contact"], "customer_records")
    assert pc.all(pc.is_null(truth["true_email"])).as_py()
    # the same persons and records as with contact data
    assert read(data["no_contact"], "persons").equals(read(data["a"], "persons"))


def test_cli_writes_files_and_reports_progress(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--customers", "300", "--seed", "5", "--out", str(tmp_path / "x"),
                     "--format", "csv", "--end-date", "2023-12-31"]) == 0
    err = capsys.readouterr().err
    assert "customers" in err and "events" in err and "rows" in err
    for t in TABLES:
        assert (tmp_path / "x" / f"{t}.csv").stat().st_size > 0
    assert (tmp_path / "x" / "truth" / "row_outcomes.parquet").exists()
    as_text = pcsv.ConvertOptions(column_types={"order_id": pa.string()})
    orders = pcsv.read_csv(tmp_path / "x" / "orders.csv", convert_options=as_text)
    listed = set(outcomes(tmp_path / "x", "orders")["record_id"].to_pylist())
    stamps = [s for s, i in zip(orders["ordered_at"].to_pylist(), orders["order_id"].to_pylist(),
                                strict=True) if i not in listed and s and s[4:5] == "-"]
    assert stamps and max(s[:10] for s in stamps) <= "2023-12-31"
    cli.main(["--customers", "0", "--out", str(tmp_path / "empty"), "--quiet"])
    assert pq.read_table(tmp_path / "empty" / "orders.parquet").num_rows == 0
    assert capsys.readouterr().err == ""


def test_chunks_are_independent_and_ids_unique(tmp_path: Path) -> None:
    generate(1500, seed=9, out_dir=tmp_path, chunk_size=500)
    truth = read(tmp_path, "customer_records")
    assert len(keys(truth, "source_customer_id")) == truth.num_rows
    persons = read(tmp_path, "persons")
    assert persons["person_id"].to_pylist() == list(range(1500))
    assert pq.ParquetFile(tmp_path / "events.parquet").num_row_groups == 3
    ev = read(tmp_path, "events")
    dup = set(outcomes(tmp_path, "events", "exact_duplicate")["record_id"].to_pylist())
    ids = ev["event_id"].to_pylist()
    assert len(set(ids)) == len(ids) - len(dup)
    assert np.isfinite(read(tmp_path, "persons")["revenue_in_horizon"].to_numpy()).all()
