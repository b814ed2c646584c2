"""Customer records rendered as raw text columns with realistic (unlisted) noise."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import catalog, geo, names, noise, phones, strs, timefmt
from . import config as C
from .persons import city_table

COLUMNS = ("source_system", "source_customer_id", "first_name", "last_name", "email", "phone",
           "street", "city", "postcode", "state", "country", "birth_date", "gender",
           "signup_date", "marketing_consent", "updated_at")
OPTIONAL = ("email", "phone", "street", "city", "postcode", "state", "country", "birth_date",
            "gender", "signup_date", "marketing_consent")


@lru_cache(maxsize=1)
def street_table() -> tuple[list[str], np.ndarray, np.ndarray]:
    """Street names of all origins flattened: (names, offset per country, size per country)."""
    flat: list[str] = []
    offset, size = [], []
    for code in geo.COUNTRIES:
        lst = geo.STREETS[geo.STREET_ORIGIN[code]]
        offset.append(len(flat))
        size.append(len(lst))
        flat.extend(lst)
    return flat, np.array(offset), np.array(size)


@lru_cache(maxsize=1)
def postcode_table() -> list[str]:
    """30 postcodes per city, indexed city * 30 + k."""
    t = city_table()
    return [geo.postcode(geo.COUNTRIES[t["country"][c]], t["prefix"][c], k)
            for c in range(len(t["name"])) for k in range(30)]


@lru_cache(maxsize=1)
def country_alias_table() -> tuple[list[str], np.ndarray, np.ndarray]:
    """Country aliases flattened: (aliases, offset per country, size per country)."""
    flat: list[str] = []
    offset, size = [], []
    for code in geo.COUNTRIES:
        offset.append(len(flat))
        size.append(len(geo.COUNTRY_ALIASES[code]))
        flat.extend(geo.COUNTRY_ALIASES[code])
    return flat, np.array(offset), np.array(size)


def names_columns(rng: np.random.Generator, p: dict, r: dict) -> tuple[pa.Array, pa.Array]:
    """first_name / last_name with nicknames, typos, swaps, NFD, case and space noise."""
    m = len(r["person"])
    fnames, _ = names.first_name_table()
    lnames, _ = names.last_name_table()
    fi, li = p["first"][r["person"]], p["last"][r["person"]]
    first, last = strs.take(fnames, fi), strs.take(lnames, li)
    other = ~r["primary"]
    nicks = names.nickname_lookup()
    has_nick = np.array([bool(x) for x in nicks])[fi]
    rows = np.flatnonzero(has_nick & (rng.random(m) < np.where(other, 0.25, 0.04)))
    pick = rng.integers(0, 4, len(rows))
    first = strs.patch(first, rows, [nicks[fi[i]][k % len(nicks[fi[i]])]
                                     for i, k in zip(rows, pick, strict=True)])
    u = rng.random((4, m))
    for which, arr_rows in (("f", u[0] < np.where(other, 0.05, 0.008)),
                            ("l", u[1] < np.where(other, 0.04, 0.006))):
        rows = np.flatnonzero(arr_rows)
        if which == "f":
            first = strs.map_values(rng, first, rows, noise.typo)
        else:
            last = strs.map_values(rng, last, rows, noise.typo)
    swap = pa.array(u[2] < 0.02)
    first, last = pc.if_else(swap, last, first), pc.if_else(swap, first, last)
    accented = pc.not_equal(pc.utf8_length(first), pc.binary_length(first)).to_numpy(
        zero_copy_only=False)
    rows = np.flatnonzero(accented & (u[3] < 0.3))
    first = strs.map_values(rng, first, rows, noise.nfd)
    accented = pc.not_equal(pc.utf8_length(last), pc.binary_length(last)).to_numpy(
        zero_copy_only=False)
    last = strs.map_values(rng, last, np.flatnonzero(accented & (rng.random(m) < 0.3)),
                           noise.nfd)
    first = strs.map_values(rng, first, np.flatnonzero(rng.random(m) < 0.03),
                            noise.case_space)
    last = strs.map_values(rng, last, np.flatnonzero(rng.random(m) < 0.03),
                           noise.case_space)
    missing = np.flatnonzero(rng.random(m) < 0.01)
    first = strs.patch(first, missing, [None] * len(missing))
    return first, last


def address_columns(rng: np.random.Generator, p: dict, r: dict
                    ) -> tuple[pa.Array, pa.Array, pa.Array, pa.Array]:
    """street, city, postcode, state (moved records use their own address)."""
    m = len(r["person"])
    country = p["country"][r["person"]]
    flat, off, size = street_table()
    sname = strs.take(flat, off[country] + r["street"] % size[country])
    house = strs.int_str(r["house"])
    num_first = np.isin(country, [geo.COUNTRIES.index(c) for c in ("US", "GB", "CA", "AU", "FR")])
    street = pc.if_else(pa.array(num_first), strs.join(house, " ", sname),
                        strs.join(sname, " ", house))
    apt = np.flatnonzero(num_first & (rng.random(m) < 0.08))
    street = strs.patch(street, apt, strs.join(street.take(pa.array(apt)), ", Apt ",
                                               strs.int_str(rng.integers(1, 40, len(apt)))))
    for long, short in geo.STREET_ABBREV:
        rows = np.flatnonzero(rng.random(m) < 0.15)
        sub = pc.replace_substring(street.take(pa.array(rows)), long, short)
        street = strs.patch(street, rows, sub)
    cities = city_table()
    city = strs.take(cities["name"], r["city"])
    city = strs.map_values(rng, city, np.flatnonzero(rng.random(m) < 0.04),
                           lambda v, u: v.upper() if u[0] < 0.5 else v.lower())
    postcode = strs.take(postcode_table(), r["city"] * 30 + r["pc_k"])
    rows = np.flatnonzero(rng.random(m) < 0.05)
    postcode = strs.patch(postcode, rows, pc.replace_substring(
        pc.utf8_lower(postcode.take(pa.array(rows))), " ", ""))
    code = np.array(cities["state"], dtype=object)[r["city"]]
    state_vals = [("" if not c else (geo.STATE_NAMES.get(c, c) if u < 0.2 else c))
                  for c, u in zip(code.tolist(), rng.random(m).tolist(), strict=True)]
    state = pa.array(state_vals, pa.string())
    state = pc.if_else(pc.equal(state, ""), pa.scalar(None, pa.string()), state)
    return street, city, postcode, state


def country_column(rng: np.random.Generator, p: dict, r: dict) -> tuple[pa.Array, np.ndarray]:
    """Country written as ISO2/ISO3/names in many languages with case and space noise;
    also returns the mask of records whose country is left empty."""
    m = len(r["person"])
    country = p["country"][r["person"]]
    flat, off, size = country_alias_table()
    u = rng.random(m)
    cdf = np.cumsum(_alias_weights(int(size.max())))
    k = np.searchsorted(cdf / cdf[-1], u, side="right")
    k = np.minimum(k, size[country] - 1)
    out = strs.take(flat, off[country] + k)
    noisy = np.flatnonzero(rng.random(m) < 0.08)
    out = strs.map_values(rng, out, noisy, noise.case_space)
    empty = rng.random(m) < 0.03
    out = strs.patch(out, np.flatnonzero(empty), [None] * int(empty.sum()))
    return out, empty


def _alias_weights(n: int) -> np.ndarray:
    """Alias weights padded to n entries."""
    w = np.array(geo.ALIAS_WEIGHTS, dtype=float)
    return np.r_[w, np.full(max(0, n - len(w)), w[-1])][:n]


def render(rng: np.random.Generator, p: dict, r: dict, no_contact: bool) -> dict[str, pa.Array]:
    """All customer columns for the records of one chunk (no listed defects yet)."""
    m = len(r["person"])
    src = r["source"]
    cols: dict[str, pa.Array] = {"source_system": strs.take(C.SOURCES, src),
                                 "source_customer_id": r["id"]}
    cols["first_name"], cols["last_name"] = names_columns(rng, p, r)
    country, no_country = country_column(rng, p, r)
    pers = pa.array(r["person"])
    if no_contact:
        cols["email"] = pa.nulls(m, pa.string())
        cols["phone"] = pa.nulls(m, pa.string())
    else:
        email = pc.if_else(pa.array(r["has_email"]), p["email"].take(pers), None)
        rows = np.flatnonzero(r["has_email"] & (rng.random(m) < 0.12))
        cols["email"] = strs.map_values(rng, email, rows, noise.email_variant)
        cols["phone"] = phones.render(rng, p, r, no_country)
    cols["street"], cols["city"], cols["postcode"], cols["state"] = address_columns(rng, p, r)
    cols["country"] = country
    parts_birth, parts_signup, parts_upd, parts_gender, parts_consent = [], [], [], [], []
    for s, name in enumerate(C.SOURCES):
        rows = np.flatnonzero(src == s)
        births = np.flatnonzero((src == s) & r["has_birth"])
        parts_birth.append((births, timefmt.dates(rng, p["birth_day"][r["person"][births]], name)))
        parts_signup.append((rows, timefmt.dates(rng, r["signup_day"][rows], name)))
        parts_upd.append((rows, timefmt.timestamps(rng, r["updated_secs"][rows], name)))
        g = p["gender"][r["person"][rows]]
        g = np.where(rng.random(len(rows)) < 0.85, g, -1)
        parts_gender.append((rows, strs.take(catalog.GENDER_VALUES[name], g)))
        c = np.where(r["consent"][rows], 0, 1)
        c = np.where(rng.random(len(rows)) < 0.9, c, -1)
        parts_consent.append((rows, strs.take(catalog.CONSENT_VALUES[name], c)))
    cols["birth_date"] = strs.assemble(m, parts_birth)
    cols["gender"] = strs.assemble(m, parts_gender)
    no_signup = np.flatnonzero(rng.random(m) < 0.03)
    cols["signup_date"] = strs.patch(strs.assemble(m, parts_signup), no_signup,
                                     [None] * len(no_signup))
    cols["marketing_consent"] = strs.assemble(m, parts_consent)
    cols["updated_at"] = strs.assemble(m, parts_upd)
    _null_tokens(rng, cols, no_contact)
    return {c: cols[c] for c in COLUMNS}


def _null_tokens(rng: np.random.Generator, cols: dict[str, pa.Array], no_contact: bool) -> None:
    """Replace ~1.5% of each optional column by NULL-like strings ('N/A', 'null', '-', ...)."""
    for name in OPTIONAL:
        if no_contact and name in ("email", "phone"):
            continue
        m = len(cols[name])
        rows = np.flatnonzero(rng.random(m) < C.NULL_TOKEN_RATE)
        if name == "country":   # keep national phone numbers resolvable
            rows = rows[pc.is_null(cols["phone"].take(pa.array(rows))).to_numpy(
                zero_copy_only=False)] if len(rows) else rows
        toks = strs.take(catalog.NULL_TOKENS, rng.integers(0, len(catalog.NULL_TOKENS), len(rows)))
        cols[name] = strs.patch(cols[name], rows, toks)
