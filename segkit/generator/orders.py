"""Order behaviour: a buy-till-you-die process per person (Poisson purchases with a
per-purchase dropout), simulated through the withheld 90-day horizon after end-date."""

from __future__ import annotations

import numpy as np

from . import catalog, geo, strs
from . import config as C

CURRENCIES = tuple(catalog.FX_RATES)               # USD, EUR, GBP, CAD, AUD
COUNTRY_CURRENCY = np.array([CURRENCIES.index(geo.CURRENCY[c]) for c in geo.COUNTRIES])
FX = np.array([catalog.FX_RATES[c] for c in CURRENCIES])


def _arrivals(rng: np.random.Generator, p: dict, shop: np.ndarray, window: C.Window
              ) -> tuple[np.ndarray, np.ndarray]:
    """(person, time) of every purchase until dropout, up to the end of the horizon."""
    n = len(p["pid"])
    persona = p["persona"]
    rate = C.ORDERS_PER_YEAR[persona] / 365.0 * rng.gamma(C.RATE_GAMMA_SHAPE,
                                                          1 / C.RATE_GAMMA_SHAPE, n)
    start = np.maximum(window.start, p["first_seen"] * 86400 + rng.integers(0, 86400, n))
    stop = np.full(n, window.horizon_end, dtype=np.int64)
    lapsed = persona == C.LAPSED
    stop[lapsed] = window.start + rng.integers(60, 530, int(lapsed.sum())) * 86400
    span = np.maximum(stop - start, 0)
    count = np.where(shop, rng.poisson(rate * span / 86400.0), 0)
    keep = np.minimum(count, rng.geometric(C.DROPOUT_P[persona]))
    # the first `keep` of `count` sorted uniform arrivals, via exponential spacings (no sort)
    person, _ = strs.segment_index(keep)
    gaps = rng.exponential(1.0, len(person))
    cum = np.cumsum(gaps)
    seg_end = np.cumsum(keep)
    before = np.r_[0.0, cum][seg_end - keep]          # cumulative sum before each segment
    within = cum - before[person]
    total = within[np.maximum(seg_end - 1, 0)] if len(cum) else np.zeros(n)
    total = np.where(keep > 0, total, 0.0) + rng.gamma(np.maximum(count - keep, 0) + 1.0)
    t = start[person] + (span[person] * within / total[person]).astype(np.int64)
    # activity (browsing) ends some weeks after the last purchase for those who dropped out
    last = np.zeros(n, dtype=np.int64)
    np.maximum.at(last, person, t)
    dropped = keep < count
    alive = np.where(dropped, last + rng.integers(0, 60, n) * 86400, stop)
    p["active_from"] = start
    p["active_until"] = np.minimum(alive, window.end)
    # anomalies: fraud-like spikes (many orders in one day), extreme spenders buy often enough
    fraud = np.flatnonzero((p["anomaly"] == 2) & shop)
    k = rng.integers(C.FRAUD_ORDERS[0], C.FRAUD_ORDERS[1] + 1, len(fraud))
    day = window.end // 86400 - rng.integers(1, 365, len(fraud))
    fp, _ = strs.segment_index(k)
    ft = (day[fp] * 86400 + rng.integers(0, 86400, len(fp))).astype(np.int64)
    extreme = np.flatnonzero((p["anomaly"] == 3) & shop)
    ep = np.repeat(extreme, 3)
    et = window.start + (rng.random(len(ep)) * (window.end - window.start)).astype(np.int64)
    person = np.r_[person, fraud[fp], ep]
    t = np.r_[t, ft, et]
    return person, t


def simulate(rng: np.random.Generator, p: dict, r: dict, window: C.Window) -> dict:
    """Observed orders (numeric) of one chunk plus horizon truth written into p."""
    n = len(p["pid"])
    rec_of, dup_of = r["rec_of"], r["dup_of"]
    shop = (rec_of[:, C.WEB] >= 0) | (rec_of[:, C.POS] >= 0)
    person, t = _arrivals(rng, p, shop, window)
    k = len(person)
    persona = p["persona"][person]
    spend = rng.gamma(4.0, 0.25, n)               # person-level spend multiplier
    fav = strs.pick_by(rng, C.CATEGORY_PREF, p["persona"])
    p["fav_category"] = fav
    cat = np.where(rng.random(k) < 0.4, fav[person], strs.pick_by(rng, C.CATEGORY_PREF, persona))
    price = C.BASKET_MEAN[persona] * np.array(catalog.CATEGORY_PRICE)[cat] * spend[person]
    amount = price * rng.lognormal(0.0, C.BASKET_SIGMA, k)
    extreme = p["anomaly"][person] == 3
    mult = rng.uniform(*C.EXTREME_MULTIPLIER, k)
    amount = np.where(extreme, amount * mult, amount).clip(1.0, 95_000.0).round(2)
    currency = COUNTRY_CURRENCY[p["country"][person]]
    horizon = t > window.end
    _horizon_truth(p, person[horizon], amount[horizon] * FX[currency[horizon]])
    obs = ~horizon
    person, t, cat, amount, currency = person[obs], t[obs], cat[obs], amount[obs], currency[obs]
    persona = persona[obs]
    k = len(person)
    # which shop system and which of the person's records gets the order
    both = (rec_of[:, C.WEB] >= 0) & (rec_of[:, C.POS] >= 0)
    web_share = np.where(both, rng.uniform(0.2, 0.8, n), (rec_of[:, C.WEB] >= 0).astype(float))
    source = np.where(rng.random(k) < web_share[person], C.WEB, C.POS)
    rec = rec_of[person, source]
    alt = dup_of[person, source]
    rec = np.where((alt >= 0) & (rng.random(k) < 0.3), alt, rec)
    group = strs.pick(rng, catalog.STATUS_GROUP_WEIGHTS, k)
    recent = t > window.end - 14 * 86400
    group = np.where((group == 1) & ~recent, 0, group)
    group = np.where((group == 0) & recent & (rng.random(k) < 0.15), 1, group)
    items = 1 + rng.poisson(C.ITEMS_MEAN[persona] - 1)
    refund_neg = (group == 3) & (rng.random(k) < 0.4)
    order = np.lexsort((t, source))
    o = {"person": person, "t": t, "category": cat, "amount": amount, "currency": currency,
         "source": source, "rec": rec, "group": group, "items": items, "refund_neg": refund_neg}
    return {key: v[order] for key, v in o.items()}


def _horizon_truth(p: dict, person: np.ndarray, revenue_usd: np.ndarray) -> None:
    """Write orders_in_horizon / revenue_in_horizon / churned_in_horizon into p."""
    n = len(p["pid"])
    p["orders_in_horizon"] = np.bincount(person, minlength=n).astype(np.int64)
    p["revenue_in_horizon"] = np.bincount(person, weights=revenue_usd, minlength=n).round(2)
    p["churned_in_horizon"] = p["orders_in_horizon"] == 0
