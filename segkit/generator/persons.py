"""Persons: the ground truth behind customer records (numeric arrays, one row per person)."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import config as C
from . import geo, names, strs

ORIGIN_MIX = np.array([0.30, 0.10, 0.10, 0.05, 0.15, 0.10, 0.20])   # order of names.ORIGINS
EMAIL_STYLES = (".", "", "_", "-")                                   # first<sep>last
ANOMALY_TYPES = ("bot", "fraud_spike", "extreme_spender")


@lru_cache(maxsize=1)
def city_table() -> dict[str, np.ndarray | list[str]]:
    """All cities of all countries flattened, with per-country offsets and sizes."""
    rows = [(ci, *c) for ci, code in enumerate(geo.COUNTRIES) for c in geo.CITIES[code]]
    offsets = np.zeros(len(geo.COUNTRIES), dtype=np.int64)
    sizes = np.array([len(geo.CITIES[c]) for c in geo.COUNTRIES], dtype=np.int64)
    offsets[1:] = np.cumsum(sizes)[:-1]
    return {"country": np.array([r[0] for r in rows]), "name": [r[1] for r in rows],
            "state": [r[2] for r in rows], "prefix": [r[3] for r in rows],
            "offset": offsets, "size": sizes}


def _zipf_index(rng: np.random.Generator, sizes: np.ndarray, power: float) -> np.ndarray:
    """Index in [0, size) skewed towards 0 (popular entries first)."""
    return np.minimum((sizes * rng.random(len(sizes)) ** power).astype(np.int64), sizes - 1)


def _pick_names(rng: np.random.Generator, country: np.ndarray, gender: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray]:
    """First- and last-name indices by origin (70% the country's own) and gender."""
    n = len(country)
    _, franges = names.first_name_table()
    _, lranges = names.last_name_table()
    own = np.array([names.ORIGINS.index(geo.COUNTRY_ORIGIN[c]) for c in geo.COUNTRIES])
    origin = np.where(rng.random(n) < 0.7, own[country], strs.pick(rng, ORIGIN_MIX, n))
    g = np.where(gender == 2, rng.integers(0, 2, n), gender)
    f_off = np.array([[franges[(o, s)][0] for s in "FM"] for o in names.ORIGINS])
    f_size = np.array([[franges[(o, s)][1] for s in "FM"] for o in names.ORIGINS])
    first = f_off[origin, g] + _zipf_index(rng, f_size[origin, g], 1.8)
    # last names are drawn independently of the first-name origin 20% of the time
    l_origin = np.where(rng.random(n) < 0.8, origin, strs.pick(rng, ORIGIN_MIX, n))
    l_off = np.array([lranges[o][0] for o in names.ORIGINS])
    l_size = np.array([lranges[o][1] for o in names.ORIGINS])
    last = l_off[l_origin] + _zipf_index(rng, l_size[l_origin], 2.5)
    special = np.flatnonzero(rng.random(n) < C.SPECIAL_NAME_SHARE)
    k = rng.integers(0, len(names.SPECIAL_NAMES), len(special))
    first[special] = franges[("special", "X")][0] + k
    last[special] = lranges["special"][0] + k
    return first, last


def _phones(rng: np.random.Generator, country: np.ndarray
            ) -> tuple[pa.Array, pa.Array, np.ndarray]:
    """(national significant number, E.164, area-code length) per person."""
    n = len(country)
    nsn_parts, e164_parts = [], []
    area_len = np.zeros(n, dtype=np.int64)
    for ci, code in enumerate(geo.COUNTRIES):
        rows = np.flatnonzero(country == ci)
        cc, _, _, _, plan = geo.PHONE_PLAN[code]
        opt = rng.integers(0, len(plan), len(rows))
        area = np.array([a for a, _ in plan], dtype=object)[opt]
        sub_len = np.array([k for _, k in plan])[opt]
        area_len[rows] = np.array([len(a) for a, _ in plan])[opt]
        sub = (rng.random(len(rows)) * 8 * 10.0 ** (sub_len - 1) + 2 * 10.0 ** (sub_len - 1))
        nsn = strs.join(pa.array(area.tolist(), pa.string()), strs.int_str(sub.astype(np.int64)))
        nsn_parts.append((rows, nsn))
        e164_parts.append((rows, strs.join("+" + cc, nsn)))
    return strs.assemble(n, nsn_parts), strs.assemble(n, e164_parts), area_len


def _emails(rng: np.random.Generator, pid: np.ndarray, country: np.ndarray,
            first: np.ndarray, last: np.ndarray) -> pa.Array:
    """Clean lower-case e-mail per person: <first><sep><last><unique digits>@<domain>."""
    n = len(pid)
    fnames, _ = names.first_name_table()
    lnames, _ = names.last_name_table()
    f_ascii = pa.array([names.ascii_fold(x) for x in fnames])
    l_ascii = pa.array([names.ascii_fold(x) for x in lnames])
    fa, la = f_ascii.take(pa.array(first)), l_ascii.take(pa.array(last))
    style = rng.integers(0, 6, n)
    sep = strs.take(EMAIL_STYLES, style % 4)
    fpart = pc.if_else(pa.array(style == 4), pc.utf8_slice_codeunits(fa, 0, 1), fa)
    local = pc.if_else(pa.array(style == 5), strs.join(la, sep, fpart), strs.join(fpart, sep, la))
    empty = pc.equal(pc.utf8_length(fa), 0)
    local = pc.if_else(pc.or_(empty, pc.equal(pc.utf8_length(la), 0)), pa.scalar("user"), local)
    suffix = strs.int_str(email_number(pid))
    parts = []
    for ci, code in enumerate(geo.COUNTRIES):
        rows = np.flatnonzero(country == ci)
        doms = geo.EMAIL_DOMAINS[code]
        w = np.array([0.4] + [0.6 / (len(doms) - 1)] * (len(doms) - 1))
        parts.append((rows, strs.take(doms, strs.pick(rng, w, len(rows)))))
    domain = strs.assemble(n, parts)
    return strs.join(local, suffix, "@", domain)


def email_number(pid: np.ndarray) -> np.ndarray:
    """Unique, random-looking number per person id (bijection on [0, 10**7))."""
    x = (np.asarray(pid, dtype=np.int64) * 7_654_321 + 1_234_567) % 10_000_000
    x = (x % 1000) * 10_000 + x // 1000
    return (x * 3_579_133 + 424_242) % 10_000_000


def make(rng: np.random.Generator, pid0: int, n: int, window: C.Window) -> dict:
    """Draw n persons (global ids pid0..pid0+n-1) with behaviour, identity and contact truth."""
    pid = np.arange(pid0, pid0 + n, dtype=np.int64)
    persona = strs.pick(rng, C.PERSONA_SHARES, n)
    country = strs.pick(rng, geo.COUNTRY_WEIGHTS, n)
    gender = strs.pick(rng, (0.49, 0.49, 0.02), n)
    first, last = _pick_names(rng, country, gender)
    age_days = (18 + 65 * rng.beta(2.0, 3.2, n)) * 365.25
    age_days = np.where(persona == C.NEW, age_days * 0.8 + 1500, age_days)
    birth_day = window.end_day - age_days.astype(np.int64)
    cities = city_table()
    city = cities["offset"][country] + _zipf_index(rng, cities["size"][country], 1.6)
    street = rng.integers(0, 1000, n)          # index into the country's street list (mod)
    house = (rng.pareto(1.2, n) * 8 + 1).astype(np.int64).clip(1, 480)
    pc_k = rng.integers(0, 30, n)
    new_start = window.end_day - rng.integers(5, 150, n)
    first_seen = np.where(persona == C.NEW, new_start, window.end_day - rng.integers(150, 2200, n))
    has_email = rng.random(n) < C.HAS_EMAIL
    has_phone = rng.random(n) < C.HAS_PHONE
    anomaly = np.zeros(n, dtype=np.int64)
    order = rng.permutation(n)
    pos = 0
    for code, name in enumerate(ANOMALY_TYPES, start=1):
        k = min(max(C.MIN_PER_CHUNK, rng.binomial(n, C.ANOMALY_SHARES[name])), n // 10)
        anomaly[order[pos: pos + k]] = code
        pos += k
    p = {"pid": pid, "persona": persona, "anomaly": anomaly, "country": country,
         "gender": gender, "first": first, "last": last, "birth_day": birth_day, "city": city,
         "street": street, "house": house, "pc_k": pc_k, "first_seen": first_seen,
         "has_email": has_email, "has_phone": has_phone, "partner": np.full(n, -1),
         "pair_kind": np.zeros(n, dtype=np.int64)}
    heads, partners, kind = _pairs(rng, p)
    p["nsn"], p["e164"], p["area_len"] = _phones(rng, p["country"])
    p["email"] = _emails(rng, pid, p["country"], p["first"], p["last"])
    _share_contact(rng, p, heads[kind == 1], partners[kind == 1])
    return p


def _pairs(rng: np.random.Generator, p: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Households and twins-like pairs: partners get the head's address (and usually last
    name); twins also the birth date. Returns (heads, partners, kind 1=household 2=twin)."""
    n = len(p["pid"])
    m = max(1, round(n * C.HOUSEHOLD_SHARE / 2)) if n >= 20 else 0
    t = max(1, round(n * C.TWIN_SHARE / 2)) if n >= 20 else 0
    perm = rng.permutation(n)
    heads, partners = perm[: m + t], perm[m + t: 2 * (m + t)]
    kind = np.r_[np.ones(m, dtype=np.int64), np.full(t, 2)]
    for key in ("country", "city", "street", "house", "pc_k"):
        p[key][partners] = p[key][heads]
    same_last = (kind == 2) | (rng.random(m + t) < 0.7)
    p["last"][partners] = np.where(same_last, p["last"][heads], p["last"][partners])
    clash = p["first"][partners] == p["first"][heads]
    p["first"][partners] = np.where(clash, np.abs(p["first"][partners] - 1), p["first"][partners])
    gap = rng.integers(200, 3000, m + t) * np.where(rng.random(m + t) < 0.5, -1, 1)
    head_birth = p["birth_day"][heads]
    p["birth_day"][partners] = np.where(kind == 2, head_birth, head_birth + gap)
    p["partner"][heads], p["partner"][partners] = partners, heads
    p["pair_kind"][heads], p["pair_kind"][partners] = kind, kind
    return heads, partners, kind


def _share_contact(rng: np.random.Generator, p: dict, hh_heads: np.ndarray, hh: np.ndarray
                   ) -> None:
    """Household partners use the head's e-mail address; 30% also the head's phone."""
    p["has_email"][hh] = p["has_email"][hh_heads]
    p["email"] = strs.patch(p["email"], hh, p["email"].take(pa.array(hh_heads)))
    sel = rng.random(len(hh)) < 0.3
    share_phone, src = hh[sel], hh_heads[sel]
    p["nsn"] = strs.patch(p["nsn"], share_phone, p["nsn"].take(pa.array(src)))
    p["e164"] = strs.patch(p["e164"], share_phone, p["e164"].take(pa.array(src)))
    p["area_len"][share_phone] = p["area_len"][src]
