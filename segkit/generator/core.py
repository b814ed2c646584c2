"""generate(): the chunked, deterministic pipeline persons -> records -> orders -> events."""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

from . import cdefects, customers, defects, events, evfmt, ofmt, orders, persons, records
from . import config as C
from .activation import plant_uplift, write_truth
from .append import TABLES as APPEND_TABLES
from .append import write_state
from .writer import BackgroundWriter, Sink

DEFAULT_END_DATE = dt.date(2024, 6, 30)
PERSON_SCHEMA = pa.schema([
    ("person_id", pa.int64()), ("persona", pa.string()), ("is_anomaly", pa.bool_()),
    ("anomaly_type", pa.string()), ("churned_in_horizon", pa.bool_()),
    ("orders_in_horizon", pa.int64()), ("revenue_in_horizon", pa.float64())])
STAGES = ("customers", "orders", "events")


def chunk_rng(seed: int, chunk: int) -> np.random.Generator:
    """The random stream of one chunk: PCG64 seeded from (seed, chunk index) only."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, chunk])))


def persons_truth(p: dict) -> pa.Table:
    """persons.parquet rows of one chunk."""
    anomaly = p["anomaly"]
    return pa.table({
        "person_id": pa.array(p["pid"]),
        "persona": pa.array(np.array(C.PERSONAS, dtype=object)[p["persona"]].tolist(), pa.string()),
        "is_anomaly": pa.array(anomaly > 0),
        "anomaly_type": pa.array([None if a == 0 else persons.ANOMALY_TYPES[a - 1]
                                  for a in anomaly.tolist()], pa.string()),
        "churned_in_horizon": pa.array(p["churned_in_horizon"]),
        "orders_in_horizon": pa.array(p["orders_in_horizon"]),
        "revenue_in_horizon": pa.array(p["revenue_in_horizon"])}, schema=PERSON_SCHEMA)


def _schemas() -> dict[str, pa.Schema]:
    """Schemas used for empty outputs (n_customers = 0)."""
    plain = {t: pa.schema([(c, pa.string()) for c in cols]) for t, cols in (
        ("customers", customers.COLUMNS), ("orders", ofmt.COLUMNS), ("events", evfmt.COLUMNS))}
    return {**plain, "persons": PERSON_SCHEMA, "customer_records": cdefects.TRUTH_SCHEMA,
            "row_outcomes": defects.OUTCOME_SCHEMA}


def generate(n_customers: int, seed: int = 42, out_dir: str | Path = "data/demo",
             fmt: str = "parquet", end_date: dt.date = DEFAULT_END_DATE,
             no_contact: bool = False, quiet: bool = True,
             chunk_size: int = C.CHUNK_PERSONS) -> dict[str, int]:
    """Write customers/orders/events (+ truth/) for n_customers persons; returns row counts.

    Same arguments -> byte-identical files. Memory stays bounded by the chunk size.
    """
    if fmt not in ("parquet", "csv"):
        raise ValueError(f"fmt must be 'parquet' or 'csv', not {fmt!r}")
    out = Path(out_dir)
    for table in APPEND_TABLES:     # days appended to an earlier dataset in this directory
        for stale in sorted((out / table).glob("part-append-*")):
            stale.unlink()
    window = C.Window.from_end_date(end_date)
    sinks = {t: Sink(out / f"{t}.{fmt}", fmt) for t in STAGES}
    sinks.update({t: Sink(out / "truth" / f"{t}.parquet", "parquet")
                  for t in ("persons", "customer_records", "row_outcomes")})
    writer = BackgroundWriter(sinks)
    ids = records.IdCounters()
    counters = {"order_webshop": 1, "order_pos": 1, "ev_crm": 1, "ev_webshop": 1}
    totals = {s: [0, 0.0] for s in STAGES}
    started = time.perf_counter()
    n_chunks = max(1, -(-n_customers // chunk_size))
    uplift: list[dict] = []        # planted experiment effect per chunk (activation.py)
    try:
        for chunk in range(n_chunks):
            pid0 = chunk * chunk_size
            n = min(chunk_size, n_customers - pid0)
            if n <= 0:
                break
            rng = chunk_rng(seed, chunk)
            t0 = time.perf_counter()
            p = persons.make(rng, pid0, n, window)
            r = records.make(rng, p, window, ids)
            o = orders.simulate(rng, p, r, window)
            o, planted = plant_uplift(o, p, r, window, seed, chunk)
            uplift.append(planted)
            cols = customers.render(rng, p, r, no_contact)
            cols, cust_out = cdefects.apply(rng, cols, p, r, window, no_contact)
            cust = pa.table(cols)
            writer.put("customers", cust)
            writer.put("customer_records", cdefects.truth(p, r, no_contact))
            t1 = time.perf_counter()
            order_tbl, order_out = ofmt.render(rng, o, r, p, counters, window)
            writer.put("orders", order_tbl)
            t2 = time.perf_counter()
            ev = events.simulate(rng, p, r, o, window)
            ev_tbl, ev_out = evfmt.render(rng, ev, r, counters, seed * 1_000_003 + 17, window)
            writer.put("events", ev_tbl)
            writer.put("persons", persons_truth(p))
            writer.put("row_outcomes", pa.concat_tables([cust_out, order_out, ev_out]))
            t3 = time.perf_counter()
            for stage, rows, secs in (("customers", len(cust), t1 - t0),
                                      ("orders", len(order_tbl), t2 - t1),
                                      ("events", len(ev_tbl), t3 - t2)):
                totals[stage][0] += rows
                totals[stage][1] += secs
            if not quiet:
                print(f"chunk {chunk + 1}/{n_chunks}: {n:,} persons, customers {len(cust):,}, "
                      f"orders {len(order_tbl):,}, events {len(ev_tbl):,} "
                      f"({t3 - t0:.1f}s)", file=sys.stderr, flush=True)
    finally:
        counts = writer.close(_schemas())
    write_truth(out, uplift)
    write_state(out, {"seed": seed, "format": fmt, "end_date": end_date.isoformat(),
                      "base_customers": n_customers, "persons": n_customers,
                      "no_contact": no_contact, "record_ids": dict(ids.next),
                      "counters": counters, "appends": []})
    if not quiet:
        for stage in STAGES:
            print(f"{stage:<10} {totals[stage][0]:>12,} rows {totals[stage][1]:8.1f}s",
                  file=sys.stderr)
        print(f"{'written':<10} {sum(counts.values()):>12,} rows "
              f"{time.perf_counter() - started:8.1f}s total -> {out}", file=sys.stderr)
    return {"persons": n_customers, **counts}
