"""Customer records: which source systems know a person, and the record-level facts
(ids, signup, moved address, which contact fields the record carries)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import config as C
from . import strs
from .persons import city_table


@dataclass
class IdCounters:
    """Next free running number per source system, carried across chunks."""

    next: dict[str, int] = field(default_factory=lambda: {s: 1 for s in C.SOURCES})


def source_sets(rng: np.random.Generator, p: dict) -> np.ndarray:
    """(n, 3) bool membership of each person in crm / webshop / pos."""
    n = len(p["pid"])
    member = C.SOURCE_SETS[strs.pick(rng, C.SOURCE_SET_P, n)].copy()
    crm_only = (p["persona"] == C.WINDOW) & (rng.random(n) < C.CRM_ONLY_WINDOW_SHOPPER)
    member[crm_only] = (True, False, False)
    shops = member[:, C.WEB] | member[:, C.POS]
    anomalous = p["anomaly"] > 0
    member[:, C.WEB] |= (p["anomaly"] == 1) | (anomalous & ~shops)
    return member


def record_ids(source: str, k: np.ndarray, legacy: np.ndarray) -> pa.Array:
    """Id strings for running numbers k: crm C0000123, webshop 123, pos P-123; legacy
    crm/pos records use the bare number, which collides with webshop ids on purpose."""
    bare = strs.int_str(k)
    if source == "webshop":
        return bare
    if source == "crm":
        styled = strs.fixed_width(np.hstack([strs.literal(len(k), "C"), strs.digits(k, 7)]))
    else:
        styled = strs.join("P-", bare)
    return pc.if_else(pa.array(legacy), bare, styled)


def make(rng: np.random.Generator, p: dict, window: C.Window, counters: IdCounters) -> dict:
    """Build the customer records of one chunk of persons (sorted by source, then id)."""
    n = len(p["pid"])
    member = source_sets(rng, p)
    person = [np.flatnonzero(member[:, s]) for s in range(3)]
    # a second record inside one of the person's sources (new account, store re-signup)
    dup_person = np.flatnonzero(rng.random(n) < C.SAME_SOURCE_DUPLICATE)
    choices = member[dup_person].astype(float) * rng.random((len(dup_person), 3))
    dup_source = choices.argmax(axis=1)
    cols: dict[str, list[np.ndarray]] = {"person": [], "source": [], "is_dup": []}
    for s in range(3):
        extra = dup_person[dup_source == s]
        rows = np.r_[person[s], extra]
        cols["person"].append(rows)
        cols["source"].append(np.full(len(rows), s))
        cols["is_dup"].append(np.r_[np.zeros(len(person[s]), bool), np.ones(len(extra), bool)])
    r = {k: np.concatenate(v) for k, v in cols.items()}
    # shuffle within source, then number sequentially: ids do not follow person order
    order = np.lexsort((rng.random(len(r["person"])), r["source"]))
    r = {k: v[order] for k, v in r.items()}
    m = len(r["person"])
    # primary = the person's first record in priority webshop > pos > crm (least noisy)
    prio = np.array([2, 0, 1])[r["source"]] * 2 + r["is_dup"]
    best = np.full(n, 99)
    np.minimum.at(best, r["person"], prio)
    r["primary"] = prio == best[r["person"]]
    k = np.zeros(m, dtype=np.int64)
    ids = []
    for s, name in enumerate(C.SOURCES):
        rows = np.flatnonzero(r["source"] == s)
        k[rows] = counters.next[name] + np.arange(len(rows))
        counters.next[name] += len(rows)
        legacy = rng.random(len(rows)) < C.LEGACY_NUMERIC_ID.get(name, 0.0)
        ids.append(record_ids(name, k[rows], legacy))
    r["id"] = pa.concat_arrays(ids) if ids else pa.array([], pa.string())
    r["k"] = k
    _record_facts(rng, p, r, window)
    r["rec_of"], r["dup_of"] = _lookup(n, r)
    return r


def _record_facts(rng: np.random.Generator, p: dict, r: dict, window: C.Window) -> None:
    """Signup/update times, moved addresses and contact presence per record (in place)."""
    m = len(r["person"])
    pers, src = r["person"], r["source"]
    end = window.end_day
    lag = np.array([30, 20, 200])[src] * rng.random(m) ** 2
    signup = p["first_seen"][pers] + lag.astype(np.int64)
    signup = np.where(r["is_dup"], signup + rng.integers(100, 700, m), signup)
    r["signup_day"] = np.minimum(signup, end - 1)
    upd_from = np.maximum(r["signup_day"], window.start // 86400)
    span = (end - upd_from) * 86400 + C.DAY_END_SECONDS
    r["updated_secs"] = upd_from * 86400 + (rng.random(m) * span).astype(np.int64)
    r["moved"] = ~r["primary"] & (rng.random(m) < 0.05)
    for key in ("city", "street", "house", "pc_k"):
        r[key] = p[key][pers].copy()
    mv = np.flatnonzero(r["moved"])
    cities = city_table()
    country = p["country"][pers[mv]]
    r["city"][mv] = cities["offset"][country] + rng.integers(0, 1000, len(mv)) % cities["size"][
        country]
    r["street"][mv] = rng.integers(0, 1000, len(mv))
    r["house"][mv] = rng.integers(1, 200, len(mv))
    r["pc_k"][mv] = rng.integers(0, 30, len(mv))
    names = C.SOURCES
    has_e = np.array([C.RECORD_HAS_EMAIL[s] for s in names])[src]
    has_p = np.array([C.RECORD_HAS_PHONE[s] for s in names])[src]
    r["has_email"] = p["has_email"][pers] & (rng.random(m) < has_e)
    r["has_phone"] = p["has_phone"][pers] & (rng.random(m) < has_p)
    r["has_birth"] = rng.random(m) < np.array([0.9, 0.6, 0.5])[src]
    r["consent"] = rng.random(m) < np.array([0.7, 0.45, 0.3])[src]


def _lookup(n: int, r: dict) -> tuple[np.ndarray, np.ndarray]:
    """(n, 3) record index of each person's first and second record per source (-1: none)."""
    rec_of = np.full((n, 3), -1, dtype=np.int64)
    dup_of = np.full((n, 3), -1, dtype=np.int64)
    first = ~r["is_dup"]
    rows = np.flatnonzero(first)
    rec_of[r["person"][rows], r["source"][rows]] = rows
    rows = np.flatnonzero(~first)
    dup_of[r["person"][rows], r["source"][rows]] = rows
    return rec_of, dup_of
