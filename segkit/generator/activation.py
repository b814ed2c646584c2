"""A known uplift planted for the treatment group of an experiment, so the readout model
(experiment_readout) can be checked against truth.

Assignment is the project's own (seed experiments, model customer_experiment_assignments):
bucket = first 32 bits of md5("<salt>:<anchor record id>") / 2**32, treatment when
bucket < treatment_share. The anchor is the person's earliest record (signup day, then
"<source_system>:<source_customer_id>"). Every treatment person who shops gets one extra
completed order after the start date with probability EXTRA_ORDER_PROBABILITY. Truth per
experiment (truth/experiments.parquet): the average effect on the treated in conversion
(share with a valid order in the readout window) and in revenue per customer (USD).

A separate random stream per (seed, chunk) is used, so everything drawn before the orders
are rendered (persons, records, customers) is unchanged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from . import config as C

EXPERIMENTS = (
    {"experiment_id": "spring_reactivation", "salt": "spring-2024-7c1f",
     "treatment_share": 0.5, "start_date": dt.date(2024, 5, 1)},
)
PLANTED_EXPERIMENT = "spring_reactivation"
EXTRA_ORDER_PROBABILITY = 0.15
STREAM = 8  # third element of the SeedSequence: the activation stream of a chunk
TRUTH_SCHEMA = pa.schema([
    ("experiment_id", pa.string()), ("start_date", pa.date32()), ("treatment_persons", pa.int64()),
    ("control_persons", pa.int64()), ("planted_orders", pa.int64()),
    ("extra_order_probability", pa.float64()), ("true_conversion_lift", pa.float64()),
    ("true_revenue_lift_per_customer", pa.float64())])


def bucket(salt: str, unit_id: str) -> float:
    """Assignment bucket in [0, 1): first 32 bits of md5("<salt>:<unit_id>")."""
    return int(hashlib.md5(f"{salt}:{unit_id}".encode()).hexdigest()[:8], 16) / 2**32


def anchor_ids(n_persons: int, r: dict) -> list[str | None]:
    """Per person: id "<source>:<source_customer_id>" of its earliest record (signup day,
    then id); None for a person without records."""
    pairs = zip(r["source"].tolist(), r["id"].to_pylist(), strict=True)
    ids = [f"{C.SOURCES[s]}:{i}" for s, i in pairs]
    best: list[tuple[int, str] | None] = [None] * n_persons
    for person, day, rid in zip(r["person"].tolist(), r["signup_day"].tolist(), ids, strict=True):
        key = (day, rid)
        if best[person] is None or key < best[person]:
            best[person] = key
    return [None if b is None else b[1] for b in best]


def treatment(n_persons: int, r: dict, salt: str, share: float) -> np.ndarray:
    """Bool per person: assigned to treatment."""
    return np.array([a is not None and bucket(salt, a) < share for a in anchor_ids(n_persons, r)],
                    dtype=bool)


def plant_uplift(o: dict, p: dict, r: dict, window: C.Window, seed: int,
                 chunk: int) -> tuple[dict, dict]:
    """Orders of one chunk plus the planted ones; returns (orders, truth counts)."""
    from .orders import COUNTRY_CURRENCY, FX  # local: orders imports this package's config

    exp = next(e for e in EXPERIMENTS if e["experiment_id"] == PLANTED_EXPERIMENT)
    n = len(p["pid"])
    start = (exp["start_date"] - dt.date(1970, 1, 1)).days * 86400
    treated = treatment(n, r, exp["salt"], exp["treatment_share"])
    counts = {"treatment_persons": int(treated.sum()), "control_persons": int(n - treated.sum()),
              "planted_orders": 0, "conversion_gain": 0, "revenue_usd": 0.0}
    if start >= window.end:
        return o, counts
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, chunk, STREAM])))
    rec_of = r["rec_of"]
    can_shop = (rec_of[:, C.WEB] >= 0) | (rec_of[:, C.POS] >= 0)
    lucky = treated & can_shop & (rng.random(n) < EXTRA_ORDER_PROBABILITY)
    person = np.flatnonzero(lucky)
    k = len(person)
    in_window = (o["t"] >= start) & (o["group"] == 0)
    converted = np.zeros(n, dtype=bool)
    converted[o["person"][in_window]] = True
    source = np.where(rec_of[person, C.WEB] >= 0, C.WEB, C.POS)
    currency = COUNTRY_CURRENCY[p["country"][person]]
    amount = rng.lognormal(np.log(60.0), 0.5, k).clip(5.0, 2000.0).round(2)
    extra = {
        "person": person, "t": start + (rng.random(k) * (window.end - start)).astype(np.int64),
        "category": p["fav_category"][person], "amount": amount, "currency": currency,
        "source": source, "rec": rec_of[person, source], "group": np.zeros(k, dtype=np.int64),
        "items": np.ones(k, dtype=np.int64), "refund_neg": np.zeros(k, dtype=bool)}
    merged = {key: np.concatenate([o[key], extra[key].astype(o[key].dtype)]) for key in o}
    order = np.lexsort((merged["t"], merged["source"]))
    counts.update(planted_orders=k, conversion_gain=int((~converted[person]).sum()),
                  revenue_usd=float((amount * FX[currency]).sum()))
    return {key: v[order] for key, v in merged.items()}, counts


def write_truth(out_dir: str | Path, chunks: list[dict]) -> None:
    """truth/experiments.parquet from the per-chunk counts of plant_uplift."""
    exp = next(e for e in EXPERIMENTS if e["experiment_id"] == PLANTED_EXPERIMENT)
    treated = sum(c["treatment_persons"] for c in chunks)
    gain = sum(c["conversion_gain"] for c in chunks)
    revenue = sum(c["revenue_usd"] for c in chunks)
    row = {"experiment_id": exp["experiment_id"], "start_date": exp["start_date"],
           "treatment_persons": treated,
           "control_persons": sum(c["control_persons"] for c in chunks),
           "planted_orders": sum(c["planted_orders"] for c in chunks),
           "extra_order_probability": EXTRA_ORDER_PROBABILITY,
           "true_conversion_lift": gain / treated if treated else None,
           "true_revenue_lift_per_customer": revenue / treated if treated else None}
    path = Path(out_dir) / "truth" / "experiments.parquet"
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist([row], schema=TRUTH_SCHEMA), path)
