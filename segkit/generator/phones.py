"""Phone numbers as people type them: E.164, international with spaces, 00-prefix,
national with trunk prefix, US styles like ``(212) 555-0123`` and ``212.555.0123 ext 9``."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import config as C
from . import geo, strs

# variant weights per source (crm, webshop, pos) over the 7 variants of _variant()
VARIANT_WEIGHTS = np.array([
    [0.15, 0.35, 0.10, 0.20, 0.05, 0.10, 0.05],
    [0.30, 0.25, 0.05, 0.20, 0.05, 0.10, 0.05],
    [0.05, 0.10, 0.02, 0.40, 0.15, 0.20, 0.08]])
NATIONAL = (3, 4, 5)


def _variant(v: int, code: str, area: pa.Array, sub: pa.Array, ext: pa.Array) -> pa.Array:
    """Render one written variant for a group of numbers of one country."""
    cc, trunk, *_ = geo.PHONE_PLAN[code]
    if code in ("US", "CA"):
        s3 = pc.utf8_slice_codeunits(sub, 0, 3)
        s4 = pc.utf8_slice_codeunits(sub, 3, 7)
        return [strs.join("+1", area, sub), strs.join("+1 ", area, " ", s3, " ", s4),
                strs.join("001 ", area, " ", s3, " ", s4),
                strs.join("(", area, ") ", s3, "-", s4), strs.join(area, ".", s3, ".", s4, ext),
                strs.join(area, s3, s4), strs.join("1-", area, "-", s3, "-", s4)][v]
    if v == 6 and not trunk:
        v = 1
    return [strs.join("+", cc, area, sub), strs.join("+" + cc + " ", area, " ", sub),
            strs.join("00" + cc + " ", area, " ", sub), strs.join(trunk, area, " ", sub),
            strs.join(trunk, area, "/", sub), strs.join(trunk, area, sub),
            strs.join("+" + cc + " (0)", area, " ", sub)][v]


def render(rng: np.random.Generator, p: dict, r: dict, no_country: np.ndarray) -> pa.Array:
    """The phone column of the records (null where the record has no phone)."""
    m = len(r["person"])
    pers = r["person"]
    variant = strs.pick_rows(rng, VARIANT_WEIGHTS[r["source"]])
    nanp = np.isin(p["country"][pers], [geo.COUNTRIES.index(c) for c in ("US", "CA")])
    national = np.isin(variant, NATIONAL) | ((variant == 6) & nanp)
    variant = np.where(no_country & national, 1, variant)
    ext_flag = rng.random(m) < 0.3
    country = p["country"][pers]
    alen = p["area_len"][pers]
    nsn = p["nsn"]
    parts = []
    for ci, code in enumerate(geo.COUNTRIES):
        for a in np.unique(alen[country == ci]):
            group = r["has_phone"] & (country == ci) & (alen == a)
            for v in range(7):
                rows = np.flatnonzero(group & (variant == v))
                if len(rows) == 0:
                    continue
                num = nsn.take(pa.array(pers[rows]))
                area = pc.utf8_slice_codeunits(num, 0, int(a))
                sub = pc.utf8_slice_codeunits(num, int(a), 99)
                ext = strs.take(["", " ext 9", " x12", " ext. 301"],
                                np.where(ext_flag[rows], rng.integers(1, 4, len(rows)), 0))
                parts.append((rows, _variant(v, code, area, sub, ext)))
    return strs.assemble(m, parts)


def e164_of(p: dict, person: np.ndarray) -> pa.Array:
    """True E.164 number of persons (null when the person has none)."""
    vals = p["e164"].take(pa.array(person))
    return pc.if_else(pa.array(p["has_phone"][person]), vals, pa.scalar(None, pa.string()))


__all__ = ["render", "e164_of", "VARIANT_WEIGHTS", "C"]
