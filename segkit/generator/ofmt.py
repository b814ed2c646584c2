"""Orders rendered as raw text columns (amount/currency styles per source and country),
with the listed order defects and their row_outcomes."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import catalog, defects, evfmt, strs, timefmt
from . import config as C
from .orders import CURRENCIES

COLUMNS = ("source_system", "order_id", "source_customer_id", "ordered_at", "amount", "currency",
           "status", "channel", "item_count", "product_category")
STATUS_VOCAB = (catalog.SALE_STATUSES + catalog.PENDING_STATUSES + catalog.CANCELLED_STATUSES
                + catalog.REFUND_STATUSES)
GROUPS = (catalog.SALE_STATUSES, catalog.PENDING_STATUSES, catalog.CANCELLED_STATUSES,
          catalog.REFUND_STATUSES)
EUR = CURRENCIES.index("EUR")
LUT2 = [f"{i:02d}" for i in range(100)]
LUT3 = [f"{i:03d}" for i in range(1000)]


def amount_text(amount: np.ndarray, comma: np.ndarray, grouped: np.ndarray) -> pa.Array:
    """Absolute amounts with two decimals, decimal comma or dot, optional thousands groups."""
    cents = np.round(np.abs(amount) * 100).astype(np.int64)
    ip, fp = cents // 100, cents % 100
    dec = pc.if_else(pa.array(comma), pa.scalar(","), pa.scalar("."))
    thou = pc.if_else(pa.array(comma), pa.scalar("."), pa.scalar(","))
    plain = strs.join(strs.int_str(ip), dec, strs.take(LUT2, fp))
    big = strs.join(strs.int_str(ip // 1000), thou, strs.take(LUT3, ip % 1000), dec,
                    strs.take(LUT2, fp))
    return pc.if_else(pa.array(grouped & (ip >= 1000)), big, plain)


def _money(rng: np.random.Generator, o: dict) -> tuple[pa.Array, pa.Array, np.ndarray]:
    """(amount text, currency text, decimal-comma flag) per order."""
    k = len(o["t"])
    cur = o["currency"]
    web = o["source"] == C.WEB
    eu_pos = ~web & (cur == EUR)
    style = np.where(web, strs.pick(rng, (0.6, 0.2, 0.2), k), strs.pick(rng, (0.4, 0.6, 0.0), k))
    symbol = strs.take([catalog.CURRENCY_SYMBOL[c] for c in CURRENCIES], cur)
    code = strs.take(CURRENCIES, cur)
    with_symbol = (web & (style == 1)) | (~web & ~eu_pos & (style == 0))
    grouped = with_symbol | (eu_pos & (style == 0))
    text = amount_text(o["amount"], eu_pos, grouped)
    text = pc.if_else(pa.array(with_symbol), strs.join(symbol, text), text)
    text = pc.if_else(pa.array(eu_pos & (style == 0)), strs.join(text, " €"), text)
    text = pc.if_else(pa.array(web & (style == 2)), strs.join(text, " ", code), text)
    negative = (o["group"] == 3) & o["refund_neg"]
    text = pc.if_else(pa.array(negative), strs.join("-", text), text)
    usd = cur == CURRENCIES.index("USD")
    unambiguous = np.isin(cur, [CURRENCIES.index(c) for c in ("USD", "EUR", "GBP")])
    empty = np.select([web & (style == 0), web & (style == 1), web & (style == 2), eu_pos],
                      [usd & (rng.random(k) < 0.15), unambiguous & (rng.random(k) < 0.5),
                       rng.random(k) < 0.5, np.zeros(k, bool)], usd & (rng.random(k) < 0.3))
    code = pc.if_else(pa.array(rng.random(k) < 0.03), pc.utf8_lower(code), code)
    currency = pc.if_else(pa.array(empty), pa.scalar(None, pa.string()), code)
    return text, currency, eu_pos


def _status_codes(rng: np.random.Generator, group: np.ndarray) -> np.ndarray:
    """Raw status spelling per order, drawn within its status group."""
    out = np.zeros(len(group), dtype=np.int64)
    offset = 0
    for g, names in enumerate(GROUPS):
        rows = np.flatnonzero(group == g)
        w = catalog.SALE_STATUS_WEIGHTS if g == 0 else [1.0] * len(names)
        out[rows] = offset + strs.pick(rng, w, len(rows))
        offset += len(names)
    return out


def _base_columns(rng: np.random.Generator, o: dict, r: dict, p: dict, counters: dict[str, int],
                  window: C.Window) -> tuple[dict[str, pa.Array], np.ndarray]:
    """All order columns for the simulated orders (no defects yet) and the comma flag."""
    k = len(o["t"])
    src = o["source"]
    cols: dict[str, pa.Array] = {"source_system": strs.take(C.SOURCES, src)}
    ids = []
    for s in (C.WEB, C.POS):
        rows = np.flatnonzero(src == s)
        key = f"order_{C.SOURCES[s]}"
        seq = counters[key] + np.arange(len(rows))
        counters[key] += len(rows)
        if s == C.WEB:
            ids.append((rows, strs.int_str(100_000 + seq)))
        else:
            store = rng.integers(1, 61, len(rows))
            ids.append((rows, strs.concat_fixed(strs.digits(store, 3), "-", strs.digits(seq, 7))))
    cols["order_id"] = strs.assemble(k, ids)
    cols["source_customer_id"] = r["id"].take(pa.array(o["rec"]))
    cols["ordered_at"] = strs.assemble(k, [
        (np.flatnonzero(src == s), timefmt.timestamps(rng, o["t"][src == s], C.SOURCES[s]))
        for s in (C.WEB, C.POS)])
    cols["amount"], cols["currency"], comma = _money(rng, o)
    status = strs.take(STATUS_VOCAB, _status_codes(rng, o["group"]))
    rows = np.flatnonzero(rng.random(k) < 0.02)
    cols["status"] = strs.patch(status, rows, strs.join(status.take(pa.array(rows)), " "))
    persona = p["persona"][o["person"]]
    web_ch = np.where(rng.random(k) < C.APP_SHARE[persona], 1, np.where(rng.random(k) < 0.08, 2, 0))
    cols["channel"] = pc.if_else(pa.array(src == C.WEB), strs.take(catalog.WEB_ORDER_CHANNELS,
                                 web_ch), strs.take(catalog.POS_ORDER_CHANNELS,
                                                    (rng.random(k) < 0.1).astype(np.int64)))
    rows = np.flatnonzero(rng.random(k) < C.NULL_TOKEN_RATE)
    cols["channel"] = strs.patch(cols["channel"], rows, strs.take(
        catalog.NULL_TOKENS, rng.integers(0, len(catalog.NULL_TOKENS), len(rows))))
    cols["item_count"] = strs.int_str(o["items"])
    flat, off, size = evfmt.alias_tables()["category"]
    cdf = np.cumsum(catalog.CATEGORY_ALIAS_WEIGHTS)
    a = np.minimum(np.searchsorted(cdf / cdf[-1], rng.random(k), side="right"),
                   size[o["category"]] - 1)
    cat = strs.take(flat, off[o["category"]] + a)
    rows = np.flatnonzero(rng.random(k) < C.NULL_TOKEN_RATE)
    cols["product_category"] = strs.patch(cat, rows, strs.take(
        catalog.NULL_TOKENS, rng.integers(0, len(catalog.NULL_TOKENS), len(rows))))
    return cols, comma


def _pick(rng: np.random.Generator, pool: tuple[str, ...] | list[str], k: int) -> list[str]:
    """k random members of a pool."""
    return [pool[i] for i in rng.integers(0, len(pool), k)]


def render(rng: np.random.Generator, o: dict, r: dict, p: dict, counters: dict[str, int],
           window: C.Window) -> tuple[pa.Table, pa.Table]:
    """Orders table and row_outcomes of one chunk."""
    k = len(o["t"])
    cols, comma = _base_columns(rng, o, r, p, counters, window)
    src = o["source"]
    elig = {"negative_amount": o["group"] == 0, "zero_amount": o["group"] == 0,
            "conflicting_duplicate": o["t"] < window.end - 3 * 86400}
    rows = defects.allocate(rng, "orders", k, elig)
    patches: dict[str, list[tuple[np.ndarray, list | pa.Array]]] = {c: [] for c in COLUMNS}
    for code in ("unparseable_date", "invalid_date", "future_timestamp"):
        for s in (C.WEB, C.POS):
            rw = rows[code][src[rows[code]] == s]
            if code == "unparseable_date":
                vals = timefmt.unparseable_date_text(rng, len(rw))
            elif code == "invalid_date":
                vals = timefmt.invalid_date_text(rng, C.SOURCES[s], len(rw))
            else:
                fut = window.end + rng.integers(30, 700, len(rw)) * 86400
                vals = timefmt.timestamps(rng, fut, C.SOURCES[s])
            patches["ordered_at"].append((rw, vals))
    rw = rows["negative_amount"]
    patches["amount"].append((rw, strs.join("-", cols["amount"].take(pa.array(rw)))))
    rw = rows["amount_out_of_range"]
    patches["amount"].append((rw, [("1.000.000,00" if comma[i] else v) for i, v in zip(
        rw, _pick(rng, ("99999999", "250000.00", "$1,500,000.00", "99999999.99"), len(rw)),
        strict=True)]))
    rw = rows["unparseable_amount"]
    patches["amount"].append((rw, _pick(rng, ("abc", "12..5", "1,2,3", "twelve", "$", "4O.00"),
                                        len(rw))))
    rw = rows["zero_amount"]
    patches["amount"].append((rw, ["0,00" if comma[i] else "0.00" for i in rw]))
    rw = rows["missing_fx_rate"]
    patches["amount"].append((rw, amount_text(o["amount"][rw], comma[rw], np.zeros(len(rw), bool))))
    patches["currency"].append((rw, [catalog.MISSING_FX_CURRENCY] * len(rw)))
    rw = rows["unknown_currency"]
    patches["currency"].append((rw, _pick(rng, catalog.UNKNOWN_CURRENCIES, len(rw))))
    rw = rows["invalid_quantity"]
    patches["item_count"].append((rw, _pick(rng, ("two", "-1", "1.5", "many"), len(rw))))
    rw = rows["unknown_status"]
    patches["status"].append((rw, _pick(rng, catalog.UNKNOWN_STATUSES, len(rw))))
    rw = rows["orphan_order"]
    fake = rng.integers(0, 99_999_999, len(rw))
    patches["source_customer_id"].append((rw, [("9" if src[i] == C.WEB else "P-9") + f"{f:08d}"
                                               for i, f in zip(rw, fake, strict=True)]))
    rw = rows["missing_required"]
    patches["source_customer_id"].append((rw, [None] * len(rw)))
    for col, items in patches.items():
        if items:
            rws = np.concatenate([x for x, _ in items])
            vals = pa.concat_arrays([v if isinstance(v, pa.Array) else pa.array(v, pa.string())
                                     for _, v in items])
            cols[col] = strs.patch(cols[col], rws, vals)
    return _finish(rng, o, r, cols, rows, comma, window)


def _finish(rng: np.random.Generator, o: dict, r: dict, cols: dict[str, pa.Array],
            rows: dict[str, np.ndarray], comma: np.ndarray, window: C.Window
            ) -> tuple[pa.Table, pa.Table]:
    """Insert duplicate copies after their originals and build the outcomes."""
    k = len(o["t"])
    dup, conf = rows["exact_duplicate"], rows["conflicting_duplicate"]
    source_rows = np.r_[np.arange(k), dup, conf]
    key = np.r_[np.arange(k) * 3, dup * 3 + 1, conf * 3 + 2]
    perm = np.argsort(key, kind="stable")
    final = source_rows[perm]
    pos_of = np.empty(len(perm), dtype=np.int64)
    pos_of[perm] = np.arange(len(perm))
    table = pa.table({c: cols[c] for c in COLUMNS}).take(pa.array(final))
    dup_pos, conf_pos = pos_of[k: k + len(dup)], pos_of[k + len(dup):]
    # the conflicting copy is newer (it wins): later time, other amount and status
    later = np.minimum(o["t"][conf] + rng.integers(3600, 72 * 3600, len(conf)), window.end)
    new = {"ordered_at": strs.assemble(len(conf), [
        (np.flatnonzero(o["source"][conf] == s),
         timefmt.timestamps(rng, later[o["source"][conf] == s], C.SOURCES[s]))
        for s in (C.WEB, C.POS)]),
        "amount": amount_text(o["amount"][conf] * rng.uniform(0.5, 0.9, len(conf)), comma[conf],
                              np.zeros(len(conf), bool)),
        "status": pa.array(_pick(rng, ("shipped", "delivered", "Completed"), len(conf)))}
    for col, vals in new.items():
        i = table.column_names.index(col)
        table = table.set_column(i, col, strs.patch(table[col].combine_chunks(), conf_pos, vals))
    defective = np.zeros(k, dtype=bool)
    for rw in rows.values():
        defective[rw] = True
    rec_ok = o["rec"] >= 0
    before = ~defective & rec_ok & (o["t"] // 86400 < r["signup_day"][o["rec"]] - 1)
    listed = [(code, pos_of[rw]) for code, rw in rows.items()
              if code not in ("exact_duplicate", "conflicting_duplicate")]
    listed += [("exact_duplicate", dup_pos), ("conflicting_duplicate", pos_of[conf]),
               ("order_before_signup", pos_of[np.flatnonzero(before)])]
    return table, defects.outcomes("orders", table["source_system"].combine_chunks(),
                                   table["order_id"].combine_chunks(), listed)
