"""Behavioural events as sessions: browsing funnels, cart/checkout abandonment, purchases
matching webshop orders, anonymous visits later identified by login, e-mail opens/clicks
from the CRM, and bot bursts. Numeric only; rendering happens in evfmt."""

from __future__ import annotations

import numpy as np

from . import catalog, strs
from . import config as C

T = {name: i for i, name in enumerate(catalog.EVENT_TYPE_NAMES)}
KIND_BROWSE, KIND_CART, KIND_CHECKOUT, KIND_PURCHASE, KIND_EMAIL, KIND_BOT, KIND_LOGIN = range(7)
TS_VARIANT_WEIGHTS = (0.55, 0.15, 0.29, 0.01)     # utc_z, offset, naive, epoch_ms per session
PRODUCTS_PER_CATEGORY = 2000


def _browse_sessions(rng: np.random.Generator, p: dict, r: dict, window: C.Window) -> dict:
    """Browsing sessions of persons with a webshop record (count ~ persona x activity)."""
    n = len(p["pid"])
    web = r["rec_of"][:, C.WEB]
    lo = np.maximum(p["active_from"], window.start)
    hi = np.maximum(p["active_until"], lo)
    days = (hi - lo) / 86400.0
    rate = C.SESSIONS_PER_YEAR[p["persona"]] / 365.0 * rng.gamma(2.0, 0.5, n)
    count = np.where(web >= 0, rng.poisson(rate * days), 0)
    person, _ = strs.segment_index(count)
    k = len(person)
    start = lo[person] + (rng.random(k) * (hi - lo)[person]).astype(np.int64)
    u = rng.random(k)
    cart_p = np.where(p["persona"][person] == C.BARGAIN, 0.2, 0.12)
    kind = np.where(u < cart_p, KIND_CART, np.where(u < cart_p + 0.04, KIND_CHECKOUT, KIND_BROWSE))
    n_ev = rng.geometric(1.0 / C.EVENTS_PER_SESSION[p["persona"][person]])
    anon = (kind == KIND_BROWSE) & (rng.random(k) < 0.12)
    return {"person": person, "start": start, "kind": kind, "n": n_ev, "anon": anon}


def _purchase_sessions(rng: np.random.Generator, o: dict) -> dict:
    """One session per webshop order, ending with the purchase at the order time."""
    rows = np.flatnonzero(o["source"] == C.WEB)
    k = len(rows)
    return {"person": o["person"][rows], "start": o["t"][rows], "kind":
            np.full(k, KIND_PURCHASE), "n": 2 + rng.geometric(0.4, k), "anon": np.zeros(k, bool),
            "category": o["category"][rows], "rec": o["rec"][rows], "ends_at": o["t"][rows]}


def _email_sessions(rng: np.random.Generator, p: dict, r: dict, window: C.Window) -> dict:
    """E-mail opens (plus a click 25% of the time) for CRM records with an e-mail address."""
    crm = np.flatnonzero((r["source"] == C.CRM) & r["has_email"] & r["consent"])
    person = r["person"][crm]
    lo = np.maximum(r["signup_day"][crm] * 86400, window.start)
    hi = np.maximum(np.minimum(p["active_until"][person] + 90 * 86400, window.end), lo)
    rate = C.EMAIL_SENDS_PER_YEAR / 365.0 * C.EMAIL_OPEN_RATE[p["persona"][person]]
    count = rng.poisson(rate * (hi - lo) / 86400.0 * rng.gamma(2.0, 0.5, len(crm)))
    idx, _ = strs.segment_index(count)
    k = len(idx)
    start = lo[idx] + (rng.random(k) * (hi - lo)[idx]).astype(np.int64)
    n_ev = 1 + (rng.random(k) < C.EMAIL_CLICK_RATE)
    return {"person": person[idx], "start": start, "kind": np.full(k, KIND_EMAIL), "n": n_ev,
            "anon": np.zeros(k, bool), "rec": crm[idx]}


def _extra_sessions(rng: np.random.Generator, p: dict, r: dict, s: dict, window: C.Window
                    ) -> list[dict]:
    """Bot bursts, identifying logins after anonymous visits, never-identified visitors."""
    n = len(p["pid"])
    bots = np.flatnonzero((p["anomaly"] == 1) & (r["rec_of"][:, C.WEB] >= 0))
    bot = {"person": bots, "start": window.end - rng.integers(1, 600, len(bots)) * 86400
           + rng.integers(0, 80000, len(bots)), "kind": np.full(len(bots), KIND_BOT),
           "n": rng.integers(C.BOT_EVENTS[0], C.BOT_EVENTS[1] + 1, len(bots)),
           "anon": np.zeros(len(bots), bool)}
    anon_rows = np.flatnonzero(s["anon"])
    last_anon = np.full(n, -1, dtype=np.int64)
    np.maximum.at(last_anon, s["person"][anon_rows], s["start"][anon_rows])
    who = np.flatnonzero((last_anon >= 0) & (rng.random(n) < 0.6))
    login = {"person": who, "start": np.minimum(last_anon[who] + rng.integers(300, 3600, len(who)),
                                                window.end - 60),
             "kind": np.full(len(who), KIND_LOGIN), "n": np.ones(len(who), dtype=np.int64),
             "anon": np.zeros(len(who), bool)}
    v = max(1, int(len(s["person"]) * 0.03))
    visitors = {"person": np.full(v, -1), "start": window.start + (rng.random(v) * (
        window.end - window.start - 3600)).astype(np.int64), "kind": np.full(v, KIND_BROWSE),
        "n": rng.geometric(0.3, v), "anon": np.ones(v, bool)}
    return [bot, login, visitors]


def _concat(parts: list[dict], keys: tuple[str, ...], defaults: dict) -> dict:
    """Concatenate session dicts, filling absent keys with defaults."""
    out = {}
    for key in keys:
        out[key] = np.concatenate([
            d[key] if key in d else np.full(len(d["person"]), defaults[key]) for d in parts])
    return out


def simulate(rng: np.random.Generator, p: dict, r: dict, o: dict, window: C.Window) -> dict:
    """All sessions and events of one chunk (numeric arrays), ordered crm block first, then
    webshop blocks by timestamp style, sessions by start time within a block."""
    browse = _browse_sessions(rng, p, r, window)
    extra = _extra_sessions(rng, p, r, browse, window)
    parts = [_email_sessions(rng, p, r, window), browse, _purchase_sessions(rng, o), *extra]
    keys = ("person", "start", "kind", "n", "anon", "category", "rec", "ends_at")
    s = _concat(parts, keys, {"category": -1, "rec": -1, "ends_at": -1, "anon": False})
    k = len(s["person"])
    has_person = s["person"] >= 0
    pers = np.where(has_person, s["person"], 0)
    s["rec"] = np.where(s["rec"] >= 0, s["rec"], np.where(has_person, r["rec_of"][pers, C.WEB], -1))
    alt = np.where(has_person, r["dup_of"][pers, C.WEB], -1)
    use_alt = (s["kind"] != KIND_EMAIL) & (alt >= 0) & (rng.random(k) < 0.3)
    s["rec"] = np.where(use_alt, alt, s["rec"])
    s["cookie"] = np.where(has_person, p["pid"][pers] * 4 + 1, -(np.arange(k) + 7))
    s["source"] = np.where(s["kind"] == KIND_EMAIL, C.CRM, C.WEB)
    s["variant"] = np.where(s["source"] == C.CRM, -1, strs.pick(rng, TS_VARIANT_WEIGHTS, k))
    app = (s["source"] == C.WEB) & (rng.random(k) < C.APP_SHARE[p["persona"][pers]])
    s["channel"] = np.where(s["source"] == C.CRM, 2, np.where(app, 1, 0))
    dev = strs.pick_by(rng, C.DEVICE_MIX, p["persona"][pers])
    s["device"] = np.where(app, 1 + (rng.random(k) < 0.15), np.where(s["kind"] == KIND_BOT, 0, dev))
    s["has_sid"] = (s["source"] == C.WEB) & (rng.random(k) < 0.7)
    s["sid"] = rng.integers(1, 2**62, k)
    s["login_first"] = (s["kind"] == KIND_LOGIN) | ((s["kind"] != KIND_EMAIL) & ~s["anon"]
                                                     & (rng.random(k) < 0.15))
    fav = np.where(has_person, p["fav_category"][pers], rng.integers(0, 8, k))
    persona = np.where(has_person, p["persona"][pers], C.WINDOW)
    s["focus"] = np.where(s["category"] >= 0, s["category"], np.where(
        rng.random(k) < 0.6, fav, strs.pick_by(rng, C.CATEGORY_PREF, persona)))
    # one tracker / integration per session: the same spellings for all its events
    s["type_alias"] = strs.pick(rng, catalog.EVENT_ALIAS_WEIGHTS, k).astype(np.int8)
    s["category_alias"] = strs.pick(rng, catalog.CATEGORY_ALIAS_WEIGHTS, k).astype(np.int8)
    order = np.lexsort((s["start"], s["variant"]))
    s = {key: v[order] for key, v in s.items()}
    return {"sessions": s, "events": _expand(rng, s, window)}


def _expand(rng: np.random.Generator, s: dict, window: C.Window) -> dict:
    """Events of the sessions: types by funnel position, times by small gaps, products.

    Per-event work is kept to a few passes over small dtypes; funnel positions are set by
    index assignment on session boundaries instead of full-length conditionals.
    """
    kind = s["kind"]
    need = np.select([kind == KIND_PURCHASE, kind == KIND_CHECKOUT, kind == KIND_CART],
                     [3, 2, 1], 0) + s["login_first"] + 1
    n = np.where(kind == KIND_LOGIN, 1, np.where(kind == KIND_EMAIL, s["n"],
                                                   np.maximum(s["n"], need)))
    m = int(n.sum())
    sess = np.repeat(np.arange(len(n), dtype=np.int32), n)
    first = np.cumsum(n) - n
    last = first + n - 1
    base = np.array([T["page_view"], T["product_view"], T["search"]], dtype=np.int8)
    etype = base[(rng.random(m, dtype=np.float32) * 2.2).astype(np.int8).clip(0, 2)]
    etype[first] = T["page_view"]
    for kd, tail in ((KIND_CART, ("add_to_cart",)), (KIND_CHECKOUT, ("add_to_cart", "checkout")),
                     (KIND_PURCHASE, ("add_to_cart", "checkout", "purchase"))):
        rows = last[kind == kd]
        for back, name in enumerate(reversed(tail)):
            etype[rows - back] = T[name]
    cart = np.flatnonzero(kind == KIND_CART)
    rem = cart[(n[cart] > 3) & (rng.random(len(cart)) < 0.25)]
    etype[last[rem] - 1], etype[last[rem]] = T["add_to_cart"], T["remove_from_cart"]
    etype[first[s["login_first"]]] = T["login"]
    mail = kind == KIND_EMAIL
    etype[first[mail]] = T["email_open"]
    etype[last[mail & (n == 2)]] = T["email_click"]
    bot = np.flatnonzero(kind == KIND_BOT)
    if len(bot):
        rows = np.concatenate([np.arange(first[b], last[b] + 1) for b in bot])
        etype[rows] = np.where(rng.random(len(rows)) < 0.5, T["page_view"], T["product_view"])
    mean_gap = np.where(kind == KIND_BOT, 0.3, np.where(mail, 120.0, 40.0)).astype(np.float32)
    gaps = (rng.standard_exponential(m, dtype=np.float32) * mean_gap[sess]).astype(np.int32)
    np.minimum(gaps, 1500, out=gaps)
    gaps[first] = 0
    cum = np.cumsum(gaps, dtype=np.int64)
    offset = cum - cum[first][sess]
    shift = np.where(s["ends_at"] >= 0, offset[last], 0)
    t = (s["start"] - shift)[sess] + offset
    np.clip(t, window.start, window.end, out=t)
    focus = s["focus"].astype(np.int8)[sess]
    stray = rng.random(m, dtype=np.float32) < 0.2
    cat = np.where(stray, rng.integers(0, 8, m, dtype=np.int8), focus)
    rank = (PRODUCTS_PER_CATEGORY * rng.random(m, dtype=np.float32) ** 2).astype(np.int32)
    product = cat.astype(np.int32) * PRODUCTS_PER_CATEGORY + np.minimum(rank, 1999)
    return {"session": sess, "type": etype, "t": t, "category": cat, "product": product}
