"""Events rendered as raw text columns (dictionary-encoded where the vocabulary is small),
with the listed event defects and their row_outcomes."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import catalog, defects, events, strs, timefmt
from . import config as C

COLUMNS = ("source_system", "event_id", "source_customer_id", "anonymous_id", "session_id",
           "event_type", "occurred_at", "product_id", "product_category", "page_url", "device",
           "channel")
T = events.T
PRODUCT_EVENTS = (T["product_view"], T["add_to_cart"], T["remove_from_cart"], T["purchase"])
SEARCH_TERMS = ("tv", "headphones", "sofa", "lamp", "sneakers", "dress", "lipstick", "serum",
                "tent", "yoga mat", "novel", "cookbook", "lego", "puzzle", "coffee", "olive oil")
SHOP = "https://shop.example.com"


@lru_cache(maxsize=1)
def alias_tables() -> dict[str, tuple[list[str], np.ndarray, np.ndarray]]:
    """Flattened alias vocabularies with per-canonical offsets and sizes."""
    out = {}
    for name, table in (("event", catalog.EVENT_TYPES), ("category", catalog.CATEGORIES)):
        flat: list[str] = []
        off, size = [], []
        for aliases in table.values():
            off.append(len(flat))
            size.append(len(aliases))
            flat.extend(aliases)
        out[name] = (flat, np.array(off), np.array(size))
    return out


@lru_cache(maxsize=1)
def url_vocab() -> tuple[list[str], dict[str, int]]:
    """All page URLs: fixed pages, category pages, search pages, then one per product."""
    fixed = [SHOP + "/", SHOP + "/cart", SHOP + "/checkout", SHOP + "/checkout/complete",
             SHOP + "/account/login"]
    fixed += [f"{SHOP}/c/{c.replace('_', '-')}" for c in catalog.CATEGORY_NAMES]
    fixed += [f"{SHOP}/search?q={t.replace(' ', '+')}" for t in SEARCH_TERMS]
    fixed += [f"https://news.example.com/c/{k:03d}?utm_source=newsletter" for k in range(12)]
    index = {"home": 0, "cart": 1, "checkout": 2, "complete": 3, "login": 4, "category": 5,
             "search": 5 + len(catalog.CATEGORY_NAMES),
             "mail": 5 + len(catalog.CATEGORY_NAMES) + len(SEARCH_TERMS), "product": len(fixed)}
    return fixed + [f"{SHOP}/p/{s}" for s in product_vocab()], index


@lru_cache(maxsize=1)
def product_vocab() -> list[str]:
    """SKU strings for all product codes (category * 2000 + rank)."""
    n = len(catalog.CATEGORY_NAMES) * events.PRODUCTS_PER_CATEGORY
    return [f"SKU-{(k // events.PRODUCTS_PER_CATEGORY + 1) * 100000 + k % 2000:06d}"
            for k in range(n)]


def _alias_codes(canon: np.ndarray, k: np.ndarray, table: str) -> np.ndarray:
    """Code of the k-th written alias of each canonical value (capped at its alias count)."""
    _, off, size = alias_tables()[table]
    return (off[canon] + np.minimum(k, size[canon] - 1)).astype(np.int32)


def _compact_dict(per_session: np.ndarray, use: np.ndarray, sess: np.ndarray,
                  prefix: str, salt: int) -> pa.DictionaryArray:
    """Dictionary column of hex ids for the sessions flagged in `use` (null elsewhere);
    sessions sharing a key (one cookie, several visits) share one dictionary entry."""
    rows = np.flatnonzero(use)
    keys, inverse = np.unique(per_session[rows], return_inverse=True)
    code = np.full(len(use), -1, dtype=np.int64)
    code[rows] = inverse
    vocab = strs.concat_fixed(prefix, strs.digits_fast(strs.mix64(keys, salt), 4, 16))
    return strs.dict_array(code[sess], vocab)


def render(rng: np.random.Generator, ev: dict, r: dict, counters: dict[str, int], salt: int,
           window: C.Window) -> tuple[pa.Table, pa.Table]:
    """Events table and row_outcomes of one chunk."""
    s, e = ev["sessions"], ev["events"]
    m = len(e["t"])
    sess = e["session"]
    src = s["source"][sess]
    n_crm = int((src == C.CRM).sum())          # crm block comes first
    counter = np.r_[counters["ev_crm"] + np.arange(n_crm),
                    counters["ev_webshop"] + np.arange(m - n_crm)]
    counters["ev_crm"] += n_crm
    counters["ev_webshop"] += m - n_crm
    etype = e["type"]
    ecode = _alias_codes(etype, s["type_alias"][sess], "event")
    ccode = _alias_codes(e["category"], s["category_alias"][sess], "category")
    rec = s["rec"][sess]
    has_cust = (rec >= 0) & ~s["anon"][sess]
    rows = defects.allocate(rng, "events", m, {"orphan_event": has_cust})
    # replayed events: identical copies right after their originals
    dup = rows["exact_duplicate"]
    order = np.sort(np.r_[np.arange(m), dup])
    sess, src, counter, etype = sess[order], src[order], counter[order], etype[order]
    ecode, ccode, rec, has_cust = ecode[order], ccode[order], rec[order], has_cust[order]
    t, cat, product = e["t"][order], e["category"][order], e["product"][order]
    new_pos = {code: np.searchsorted(order, rw) for code, rw in rows.items()}
    new_pos["exact_duplicate"] = np.searchsorted(order, dup) + 1
    k = len(order)
    n_crm_out = int((src == C.CRM).sum())
    cols: dict[str, pa.Array] = {}
    cols["source_system"] = strs.dict_array(src, C.SOURCES)
    cols["event_id"] = strs.concat_blocks([
        strs.hcat(n_crm_out, ["EM", strs.digits(counter[:n_crm_out], 10)]),
        strs.hcat(k - n_crm_out, ["evt_", strs.digits_fast(strs.mix64(counter[n_crm_out:], salt),
                                                           4, 16)])])
    orphan = new_pos["orphan_event"]
    enc = pc.dictionary_encode(pa.concat_arrays([r["id"], _orphan_ids(rng, len(orphan))]))
    unique_code = enc.indices.to_numpy(zero_copy_only=False)
    cust = np.where(has_cust, rec, -1)
    cust[orphan] = len(r["id"]) + np.arange(len(orphan))
    cust = np.where(cust >= 0, unique_code[np.maximum(cust, 0)], -1)
    cols["source_customer_id"] = strs.dict_array(cust, enc.dictionary)
    identify = s["anon"] | (s["kind"] == events.KIND_LOGIN)
    cols["anonymous_id"] = _compact_dict(s["cookie"], identify, sess, "anon-", salt + 1)
    cols["session_id"] = _compact_dict(s["sid"], s["has_sid"], sess, "s_", salt + 2)
    unknown = new_pos["unknown_event_type"]
    n_alias = len(alias_tables()["event"][0])
    ecode[unknown] = n_alias + rng.integers(0, len(catalog.UNKNOWN_EVENT_TYPES), len(unknown))
    cols["event_type"] = strs.dict_array(ecode, alias_tables()["event"][0]
                                         + list(catalog.UNKNOWN_EVENT_TYPES))
    cols["occurred_at"] = _occurred_at(rng, s["variant"][sess], t, new_pos, src, window)
    is_prod = np.isin(etype, PRODUCT_EVENTS)
    cols["product_id"] = strs.dict_array(product, product_vocab(), is_prod)
    app = s["channel"][sess] == 1
    urls, ui = url_vocab()
    cat_page = (etype == T["page_view"]) & (product % 2 == 0)
    url = np.select([etype == T["purchase"], etype == T["remove_from_cart"], is_prod,
                     etype == T["checkout"], etype == T["login"],
                     cat_page, etype == T["page_view"], etype == T["search"],
                     etype == T["email_click"]],
                    [ui["complete"], ui["cart"], ui["product"] + product, ui["checkout"],
                     ui["login"], ui["category"] + cat, ui["home"],
                     ui["search"] + product % len(SEARCH_TERMS), ui["mail"] + counter % 12], -1)
    cols["page_url"] = strs.dict_array(url, urls, ~app)
    cols["product_category"] = strs.dict_array(ccode, alias_tables()["category"][0],
                                               is_prod | cat_page)
    cols["device"] = strs.dict_array(s["device"][sess], catalog.DEVICES)
    cols["channel"] = strs.dict_array(s["channel"][sess], catalog.EVENT_CHANNELS)
    table = pa.table({c: cols[c] for c in COLUMNS})
    return table, _outcomes(table, [(code, new_pos[code]) for code in rows])


def _outcomes(table: pa.Table, listed: list[tuple[str, np.ndarray]]) -> pa.Table:
    """row_outcomes for the listed rows of the events table."""
    rows = np.concatenate([p for _, p in listed]) if listed else np.zeros(0, np.int64)
    idx = pa.array(rows.astype(np.int64))
    sys_col = table["source_system"].take(idx).combine_chunks().dictionary_decode()
    id_col = table["event_id"].take(idx).combine_chunks()
    spans, pos = [], 0
    for code, p in listed:
        spans.append((code, np.arange(pos, pos + len(p))))
        pos += len(p)
    return defects.outcomes("events", sys_col, id_col, spans)


def _orphan_ids(rng: np.random.Generator, k: int) -> pa.Array:
    """Customer ids that exist in no source system (webshop-style numbers from 9e9)."""
    return strs.int_str(9_000_000_000 + rng.integers(0, 999_999_999, k))


def _occurred_at(rng: np.random.Generator, variant: np.ndarray, t: np.ndarray,
                 pos: dict[str, np.ndarray], src: np.ndarray, window: C.Window) -> pa.Array:
    """Timestamps in contiguous per-format blocks (crm, then webshop styles), then defects."""
    bounds = np.searchsorted(variant, np.arange(-1, 5))
    mats = []
    for v, (a, b) in enumerate(zip(bounds[:-1], bounds[1:], strict=True)):
        secs = t[a:b]
        if v == 0:
            mats.append(timefmt.render(timefmt.to_local(secs, "Europe/Berlin"), "%d/%m/%Y %H:%M"))
        elif v == 1:
            mats.append(timefmt.render(secs, "%Y-%m-%dT%H:%M:%SZ"))
        elif v == 2:
            code = strs.pick(rng, timefmt.OFFSET_WEIGHTS, b - a)
            shift = np.array([timefmt.offset_seconds(o) for o in timefmt.OFFSETS])[code]
            lut = np.frombuffer("".join(timefmt.OFFSETS).encode(), np.uint8).reshape(-1, 6)
            mats.append(np.hstack([timefmt.render(secs + shift, "%Y-%m-%dT%H:%M:%S"), lut[code]]))
        elif v == 3:
            mats.append(timefmt.render(secs, "%Y-%m-%d %H:%M:%S"))
        elif v == 4:
            mats.append(strs.digits(secs * 1000 + rng.integers(0, 1000, b - a), 13))
    return _date_defects(rng, strs.concat_blocks(mats), pos, src, window)


def _date_defects(rng: np.random.Generator, col: pa.Array, pos: dict[str, np.ndarray],
                  src: np.ndarray, window: C.Window) -> pa.Array:
    """Patch unparseable / invalid / future / missing timestamps into the column."""
    rows, vals = [], []
    for code in ("unparseable_date", "invalid_date", "future_timestamp", "missing_required"):
        p = pos[code]
        if code == "unparseable_date":
            rows.append(p)
            vals += timefmt.unparseable_date_text(rng, len(p))
        elif code == "missing_required":
            rows.append(p)
            vals += [None] * len(p)
        else:
            for s_code, name in enumerate(C.SOURCES):
                ps = p[src[p] == s_code]
                rows.append(ps)
                if code == "invalid_date":
                    vals += timefmt.invalid_date_text(rng, name, len(ps))
                else:
                    fut = window.end + rng.integers(30, 700, len(ps)) * 86400
                    vals += timefmt.timestamps(rng, fut, name).to_pylist()
    return strs.patch(col, np.concatenate(rows), vals)
