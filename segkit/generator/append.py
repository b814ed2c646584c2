"""Append the next day(s) of data to a generated dataset (`--append-days N`).

Each appended day is written as new part files (`customers/`, `orders/`, `events/` folders
beside the original files, which stay untouched) and the truth files are extended so the
quality metrics keep working. One day brings:

* new persons (new_customer persona) with their customer records, signed up that day;
* orders of existing persons (rate: their withheld horizon orders / 90 per day) and of
  some new persons, rendered with the same dirty formats and listed defects as the base;
* behavioural sessions of the active persons and anonymous visitors on that day, and a share
  of sessions that arrive late (dated 1-2 days before the previous end: late data);
* updated customer records: a newer version (moved address, newer updated_at) of existing
  records; the pipeline keeps the newest and quarantines the older version as a conflicting
  duplicate, which the truth records as expected.

Day k of a dataset draws from its own stream seeded by (seed, APPEND_STREAM + k) only, so
the same base + seed give byte-identical appends, whether added one call at a time or several
days in one call. The state needed to continue (ids, counters, end date) is kept in
truth/generator_state.json, written by generate().
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

from . import (
    catalog,
    cdefects,
    customers,
    defects,
    events,
    evfmt,
    geo,
    ofmt,
    persons,
    records,
    strs,
    timefmt,
)
from . import config as C
from .orders import COUNTRY_CURRENCY
from .writer import Sink

STATE_FILE = "generator_state.json"
APPEND_STREAM = 10_000_000          # rng stream of appended day k: (seed, APPEND_STREAM + k)
NEW_PERSONS_PER_DAY = 0.002         # new persons per day, share of the base population
NEW_PERSON_FIRST_ORDER = 0.35       # chance a new person orders on the signup day
UPDATED_RECORDS_PER_DAY = 0.001     # existing records re-sent with a newer version per day
RESENT_ORDERS = 0.01               # earlier orders re-sent: as many replays as new versions
LATE_SESSION_SHARE = 0.05           # sessions delivered late ...
LATE_DAYS = (1, 3)                  # ... by 1 or 2 days (before the previous end)
TABLES = ("customers", "orders", "events")
TRUTH = ("persons", "customer_records", "row_outcomes")


def state_path(out: Path) -> Path:
    """Where the generator keeps what an append needs to continue."""
    return Path(out) / "truth" / STATE_FILE


def write_state(out: Path, state: dict) -> None:
    """Write the state atomically (temp file + rename)."""
    path = state_path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(state, indent=2, sort_keys=True) + "\n")
    os.replace(tmp, path)


def load_state(out: Path) -> dict:
    """Read the state of a generated dataset; a clear error when there is none."""
    path = state_path(out)
    if not path.exists():
        raise FileNotFoundError(
            f"{path} not found: --append-days needs a dataset written by this generator "
            f"(python -m segkit.generate --customers N --out {out})")
    return json.loads(path.read_text())


def _read_raw(out: Path, table: str, fmt: str,
              columns: tuple[str, ...] = customers.COLUMNS) -> pa.Table:
    """All rows of one raw table (the file and its part folder), every column as text."""
    files = [out / f"{table}.{fmt}"] if (out / f"{table}.{fmt}").exists() else []
    files += sorted((out / table).glob(f"*.{fmt}")) if (out / table).is_dir() else []
    parts = []
    for f in files:
        if fmt == "parquet":
            t = pq.read_table(f)
        else:
            t = pcsv.read_csv(f, convert_options=pcsv.ConvertOptions(
                column_types={c: pa.string() for c in columns},
                strings_can_be_null=True, quoted_strings_can_be_null=False))
        parts.append(t.select(list(columns)).cast(pa.schema(
            [(c, pa.string()) for c in columns])))
    return pa.concat_tables(parts)


def _population(truth: dict[str, pa.Table], rng: np.random.Generator, day0: int,
                end: int) -> tuple[dict, dict]:
    """Synthetic person (p) and record (r) arrays over every known person for one day, in
    the shape events.simulate / ofmt.render expect (local person index 0..n-1)."""
    pt = truth["persons"]
    pid = pt["person_id"].to_numpy()
    persona = np.array([C.PERSONAS.index(x) for x in pt["persona"].to_pylist()])
    churned = pc.fill_null(pt["churned_in_horizon"], False).to_numpy(zero_copy_only=False)
    oih = pc.fill_null(pt["orders_in_horizon"], 0).to_numpy()
    is_new = pc.is_null(pt["churned_in_horizon"]).to_numpy(zero_copy_only=False)
    n = len(pid)
    active = ~churned | (persona == C.WINDOW) | is_new
    p = {"pid": pid, "persona": persona, "anomaly": np.zeros(n, dtype=np.int64),
         "active_from": np.full(n, day0, dtype=np.int64),
         "active_until": np.where(active, end, day0).astype(np.int64),
         "fav_category": strs.pick_by(rng, C.CATEGORY_PREF, persona),
         "oih": oih, "is_new": is_new}
    rt = truth["customer_records"]
    local = np.searchsorted(pid, rt["person_id"].to_numpy())
    source = np.array([C.SOURCES.index(s) for s in rt["source_system"].to_pylist()])
    country = np.array([geo.COUNTRIES.index(c) for c in rt["true_country_iso2"].to_pylist()])
    m = len(local)
    order = np.lexsort((np.arange(m), source, local))
    first = np.ones(m, dtype=bool)
    same = (local[order][1:] == local[order][:-1]) & (source[order][1:] == source[order][:-1])
    first[order[1:][same]] = False
    rec_of = np.full((n, 3), -1, dtype=np.int64)
    dup_of = np.full((n, 3), -1, dtype=np.int64)
    rec_of[local[first], source[first]] = np.flatnonzero(first)
    dup_of[local[~first], source[~first]] = np.flatnonzero(~first)
    p["country"] = np.zeros(n, dtype=np.int64)
    p["country"][local] = country
    r = {"person": local, "source": source, "id": rt["source_customer_id"].combine_chunks(),
         "has_email": pc.is_valid(rt["true_email"]).to_numpy(zero_copy_only=False),
         "consent": rng.random(m) < np.array([0.7, 0.45, 0.3])[source],
         "signup_day": np.zeros(m, dtype=np.int64), "rec_of": rec_of, "dup_of": dup_of}
    return p, r


def _day_orders(rng: np.random.Generator, p: dict, r: dict, day0: int, end: int) -> dict:
    """Orders of one day (numeric, in the shape of orders.simulate's output)."""
    rec_of, dup_of = r["rec_of"], r["dup_of"]
    shop = (rec_of[:, C.WEB] >= 0) | (rec_of[:, C.POS] >= 0)
    rate = np.where(p["is_new"], NEW_PERSON_FIRST_ORDER, p["oih"] / C.HORIZON_DAYS)
    count = np.where(shop, rng.poisson(rate), 0)
    person, _ = strs.segment_index(count)
    k = len(person)
    t = day0 + (rng.random(k) * (end - day0)).astype(np.int64)
    persona = p["persona"][person]
    cat = np.where(rng.random(k) < 0.4, p["fav_category"][person],
                   strs.pick_by(rng, C.CATEGORY_PREF, persona))
    price = C.BASKET_MEAN[persona] * np.array(catalog.CATEGORY_PRICE)[cat] * rng.gamma(4.0, 0.25, k)
    amount = (price * rng.lognormal(0.0, C.BASKET_SIGMA, k)).clip(1.0, 95_000.0).round(2)
    both = (rec_of[person, C.WEB] >= 0) & (rec_of[person, C.POS] >= 0)
    web_share = np.where(both, 0.5, (rec_of[person, C.WEB] >= 0).astype(float))
    source = np.where(rng.random(k) < web_share, C.WEB, C.POS)
    rec = rec_of[person, source]
    alt = dup_of[person, source]
    rec = np.where((alt >= 0) & (rng.random(k) < 0.3), alt, rec)
    group = strs.pick(rng, catalog.STATUS_GROUP_WEIGHTS, k)
    group = np.where((group == 0) & (rng.random(k) < 0.15), 1, group)   # recent: pending
    order = np.lexsort((t, source))
    o = {"person": person, "t": t, "category": cat, "amount": amount,
         "currency": COUNTRY_CURRENCY[p["country"][person]], "source": source, "rec": rec,
         "group": group, "items": 1 + rng.poisson(C.ITEMS_MEAN[persona] - 1),
         "refund_neg": (group == 3) & (rng.random(k) < 0.4)}
    return {key: v[order] for key, v in o.items()}


def _new_persons(rng: np.random.Generator, state: dict, window: C.Window, no_contact: bool
                 ) -> tuple[pa.Table, pa.Table, pa.Table, pa.Table]:
    """New persons signed up on the window's end day: (customers rows, customer_records
    truth, persons truth, row_outcomes)."""
    n = max(1, round(state["base_customers"] * NEW_PERSONS_PER_DAY))
    p = persons.make(rng, state["persons"], n, window)
    p["persona"][:] = C.NEW
    p["first_seen"][:] = window.end_day
    ids = records.IdCounters(dict(state["record_ids"]))
    r = records.make(rng, p, window, ids)
    state["record_ids"] = dict(ids.next)
    day0 = window.end_day * 86400
    r["signup_day"][:] = window.end_day
    r["updated_secs"] = day0 + (rng.random(len(r["person"])) * C.DAY_END_SECONDS).astype(np.int64)
    cols = customers.render(rng, p, r, no_contact)
    cols, outcomes = cdefects.apply(rng, cols, p, r, window, no_contact)
    state["persons"] += n
    truth = pa.table({
        "person_id": pa.array(p["pid"]), "persona": pa.array([C.PERSONAS[C.NEW]] * n),
        "is_anomaly": pa.array(np.zeros(n, dtype=bool)),
        "anomaly_type": pa.nulls(n, pa.string()), "churned_in_horizon": pa.nulls(n, pa.bool_()),
        "orders_in_horizon": pa.nulls(n, pa.int64()),
        "revenue_in_horizon": pa.nulls(n, pa.float64())})
    return pa.table(cols), cdefects.truth(p, r, no_contact), truth, outcomes


def _updated_records(rng: np.random.Generator, out: Path, fmt: str, truth: dict[str, pa.Table],
                     window: C.Window) -> tuple[pa.Table, pa.Table]:
    """Newer versions of existing, defect-free records: moved street, newer updated_at."""
    rt = truth["customer_records"]
    planted = truth["row_outcomes"].filter(pc.equal(truth["row_outcomes"]["source_table"],
                                                    "customers"))
    key = pc.binary_join_element_wise(rt["source_system"], rt["source_customer_id"], ":")
    used = pc.binary_join_element_wise(planted["source_system"], planted["record_id"], ":")
    free = np.flatnonzero(~pc.is_in(key, value_set=used.combine_chunks()).to_numpy(
        zero_copy_only=False))
    k = min(len(free), max(1, round(len(rt) * UPDATED_RECORDS_PER_DAY)))
    pick = np.sort(rng.choice(free, size=k, replace=False)) if k else free[:0]
    raw = _read_raw(out, "customers", fmt)
    raw_key = pc.binary_join_element_wise(raw["source_system"], raw["source_customer_id"], ":")
    chosen = key.take(pa.array(pick)).combine_chunks()
    rows = raw.filter(pc.is_in(raw_key, value_set=chosen))
    # one row per chosen record (defect-free records have exactly one raw row)
    rows_key = pc.binary_join_element_wise(rows["source_system"], rows["source_customer_id"], ":")
    order = pc.sort_indices(pa.table({"k": rows_key}), sort_keys=[("k", "ascending")])
    rows = rows.take(order)
    m = len(rows)
    src = np.array([C.SOURCES.index(s) for s in rows["source_system"].to_pylist()])
    day0 = window.end_day * 86400
    upd = day0 + (rng.random(m) * C.DAY_END_SECONDS).astype(np.int64)
    country_of = dict(zip(key.to_pylist(), rt["true_country_iso2"].to_pylist(), strict=True))
    country = np.array([geo.COUNTRIES.index(country_of[x]) for x in
                        pc.binary_join_element_wise(rows["source_system"],
                                                    rows["source_customer_id"], ":").to_pylist()],
                       dtype=np.int64)
    flat, off, size = customers.street_table()
    sname = strs.take(flat, off[country] + rng.integers(0, 1000, m) % size[country])
    street = strs.join(strs.int_str(rng.integers(1, 200, m)), " ", sname)
    cols = {c: rows[c].combine_chunks() for c in customers.COLUMNS}
    cols["street"] = street
    cols["updated_at"] = strs.assemble(m, [
        (np.flatnonzero(src == s), timefmt.timestamps(rng, upd[src == s], name))
        for s, name in enumerate(C.SOURCES)])
    table = pa.table(cols)
    outcomes = defects.outcomes("customers", table["source_system"].combine_chunks(),
                                table["source_customer_id"].combine_chunks(),
                                [("superseded_version", np.arange(m))])
    return table, outcomes


def _resent_orders(rng: np.random.Generator, out: Path, fmt: str, outcomes: pa.Table,
                   k: int, day0: int, end: int) -> tuple[pa.Table, pa.Table]:
    """Orders of earlier days sent again: k exact replays (merged by the pipeline) and k newer
    versions (ordered on the new day, shipped: the new version wins, the old one is quarantined
    as a conflicting duplicate). Drawn among earlier orders without any planted outcome."""
    raw = _read_raw(out, "orders", fmt, ofmt.COLUMNS)
    planted = outcomes.filter(pc.equal(outcomes["source_table"], "orders"))
    key = pc.binary_join_element_wise(raw["source_system"], raw["order_id"], ":")
    used = pc.binary_join_element_wise(planted["source_system"], planted["record_id"], ":")
    free = np.flatnonzero(~pc.is_in(key, value_set=used.combine_chunks()).to_numpy(
        zero_copy_only=False) & pc.is_valid(raw["order_id"]).to_numpy(zero_copy_only=False))
    k = min(k, len(free) // 2)
    pick = rng.choice(free, size=2 * k, replace=False) if k else free[:0]
    replay, update = np.sort(pick[:k]), np.sort(pick[k:])
    new = raw.take(pa.array(update, pa.int64()))
    src = np.array([C.SOURCES.index(x) for x in new["source_system"].to_pylist()], dtype=np.int64)
    secs = day0 + (rng.random(len(update)) * (end - day0)).astype(np.int64)
    ordered = strs.assemble(len(update), [
        (np.flatnonzero(src == s), timefmt.timestamps(rng, secs[src == s], name))
        for s, name in enumerate(C.SOURCES)])
    status = pa.array([("shipped", "delivered")[i] for i in rng.integers(0, 2, len(update))])
    new = new.set_column(new.column_names.index("ordered_at"), "ordered_at", ordered)
    new = new.set_column(new.column_names.index("status"), "status", status)
    table = pa.concat_tables([raw.take(pa.array(replay, pa.int64())), new])
    truth = defects.outcomes("orders", table["source_system"].combine_chunks(),
                             table["order_id"].combine_chunks(),
                             [("exact_duplicate", np.arange(k)),
                              ("conflicting_duplicate", np.arange(k, 2 * k))])
    return table, truth


def _late(rng: np.random.Generator, ev: dict) -> int:
    """Shift a share (at least one) of the non-purchase sessions 1-2 days back (delivered
    late); returns the number of late events."""
    s, e = ev["sessions"], ev["events"]
    eligible = np.flatnonzero(s["kind"] != events.KIND_PURCHASE)
    k = min(len(eligible), max(1, int(rng.binomial(len(eligible), LATE_SESSION_SHARE))))
    late = np.zeros(len(s["kind"]), dtype=bool)
    late[rng.choice(eligible, size=k, replace=False) if k else eligible] = True
    shift = np.where(late, rng.integers(*LATE_DAYS, len(late)) * 86400, 0)
    e["t"] = e["t"] - shift[e["session"]]
    return int(late[e["session"]].sum())


def append_day(out: Path, state: dict, truth: dict[str, pa.Table]) -> dict[str, pa.Table]:
    """Generate the next day; updates state and truth in place; returns the raw tables."""
    index = len(state["appends"]) + 1
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(
        [state["seed"], APPEND_STREAM + index])))
    end_date = dt.date.fromisoformat(state["end_date"]) + dt.timedelta(days=1)
    window = C.Window.from_end_date(end_date)
    day0 = window.end_day * 86400
    day_window = C.Window(end_date, day0, window.end, window.horizon_end)
    no_contact = state["no_contact"]
    new_cust, new_records, new_persons, cust_out = _new_persons(rng, state, window, no_contact)
    upd_cust, upd_out = _updated_records(rng, out, state["format"], truth, window)
    truth["customer_records"] = pa.concat_tables([truth["customer_records"], new_records])
    truth["persons"] = pa.concat_tables([truth["persons"], new_persons])
    p, r = _population(truth, rng, day0, window.end)
    o = _day_orders(rng, p, r, day0, window.end)
    counters = state["counters"]
    order_tbl, order_out = ofmt.render(rng, o, r, p, counters, window)
    resent, resent_out = _resent_orders(rng, out, state["format"], truth["row_outcomes"],
                                        max(1, round(len(order_tbl) * RESENT_ORDERS)), day0,
                                        window.end)
    order_tbl = pa.concat_tables([order_tbl, resent.select(order_tbl.column_names).cast(
        order_tbl.schema)])
    ev = events.simulate(rng, p, r, o, day_window)
    late = _late(rng, ev)
    ev_tbl, ev_out = evfmt.render(rng, ev, r, counters, state["seed"] * 1_000_003 + 17, window)
    truth["row_outcomes"] = pa.concat_tables([truth["row_outcomes"], cust_out, upd_out,
                                              order_out, resent_out, ev_out])
    state["end_date"] = end_date.isoformat()
    state["appends"].append({"day": end_date.isoformat(), "customers": len(new_cust)
                             + len(upd_cust), "orders": len(order_tbl), "events": len(ev_tbl),
                             "late_events": late})
    upd_cust = upd_cust.select(new_cust.column_names).cast(new_cust.schema)
    return {"customers": pa.concat_tables([new_cust, upd_cust]),
            "orders": order_tbl, "events": ev_tbl}


def _write_truth(out: Path, truth: dict[str, pa.Table]) -> None:
    """Rewrite the truth tables atomically (truth is not an input: no parts needed)."""
    for name in TRUTH:
        path = out / "truth" / f"{name}.parquet"
        tmp = path.with_suffix(".parquet.tmp")
        pq.write_table(truth[name], tmp, compression="zstd")
        os.replace(tmp, path)


def append_days(out_dir: str | Path, days: int, seed: int | None = None,
                quiet: bool = True) -> dict[str, int]:
    """Append `days` days to the dataset in out_dir; returns the rows written per table."""
    out = Path(out_dir)
    state = load_state(out)
    if seed is not None and seed != state["seed"]:
        raise ValueError(f"--seed {seed} differs from the dataset's seed {state['seed']} "
                         f"({state_path(out)}); omit --seed or pass the same one")
    if days < 1:
        raise ValueError("--append-days must be >= 1")
    truth = {name: pq.read_table(out / "truth" / f"{name}.parquet") for name in TRUTH}
    totals = dict.fromkeys(TABLES, 0)
    fmt = state["format"]
    for _ in range(days):
        t0 = time.perf_counter()
        # a day is small: defects at their listed rates only (no per-chunk minimum, which
        # would make most of a small day's rows defective)
        min_per_chunk, C.MIN_PER_CHUNK = C.MIN_PER_CHUNK, 0
        try:
            tables = append_day(out, state, truth)
        finally:
            C.MIN_PER_CHUNK = min_per_chunk
        index = len(state["appends"])
        for name, table in tables.items():
            sink = Sink(out / name / f"part-append-{index:04d}.{fmt}", fmt)
            sink.write(table)
            sink.close()
            totals[name] += len(table)
        _write_truth(out, truth)
        write_state(out, state)
        if not quiet:
            info = state["appends"][-1]
            print(f"appended {info['day']}: customers {info['customers']:,}, orders "
                  f"{info['orders']:,}, events {info['events']:,} (late {info['late_events']:,}) "
                  f"({time.perf_counter() - t0:.1f}s)", file=sys.stderr, flush=True)
    return totals
