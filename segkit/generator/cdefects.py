"""Listed defects of customer records and the customer truth table."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import catalog, defects, geo, names, noise, phones, strs, timefmt
from . import config as C

TRUTH_SCHEMA = pa.schema([
    ("source_system", pa.string()), ("source_customer_id", pa.string()),
    ("person_id", pa.int64()), ("true_email", pa.string()), ("true_phone_e164", pa.string()),
    ("true_birth_date", pa.string()), ("true_country_iso2", pa.string()),
    ("true_first_name", pa.string()), ("true_last_name", pa.string())])


def _valid_mask(arr: pa.Array) -> np.ndarray:
    """Rows holding a real value (not null and not a NULL-like token)."""
    tokens = pa.array(list(catalog.NULL_TOKENS))
    ok = pc.and_(pc.is_valid(arr), pc.invert(pc.is_in(arr, value_set=tokens)))
    return ok.to_numpy(zero_copy_only=False).astype(bool)


def _per_source(rng: np.random.Generator, src: np.ndarray, values: np.ndarray, fn) -> pa.Array:
    """Render values with a per-source function fn(rng, values, source_name)."""
    parts = []
    for s, name in enumerate(C.SOURCES):
        rows = np.flatnonzero(src == s)
        parts.append((rows, fn(rng, values[rows], name)))
    return strs.assemble(len(src), parts)


def apply(rng: np.random.Generator, cols: dict[str, pa.Array], p: dict, r: dict,
          window: C.Window, no_contact: bool) -> tuple[dict[str, pa.Array], pa.Table]:
    """Inject the listed customer defects; returns (columns, row_outcomes)."""
    m = len(r["person"])
    src = r["source"]
    skip = frozenset({"invalid_email", "invalid_phone", "mailto_email"} if no_contact else ())
    elig = {"invalid_email": _valid_mask(cols["email"]), "mailto_email": _valid_mask(cols["email"]),
            "invalid_phone": _valid_mask(cols["phone"]),
            "invisible_chars": _valid_mask(cols["first_name"])}
    rows = defects.allocate(rng, "customers", m, elig, skip)
    pers = r["person"]
    out = dict(cols)
    k = rows["invalid_email"]
    clean = p["email"].take(pa.array(pers[k])).to_pylist() if len(k) else []
    out["email"] = strs.patch(out["email"], k, [noise.bad_email(e, u) for e, u in zip(
        clean, rng.random((len(k), noise.U_SIZE)).tolist(), strict=True)])
    k = rows["mailto_email"]
    out["email"] = strs.patch(out["email"], k,
                              strs.join("mailto:", pc.utf8_trim_whitespace(
                                  cols["email"].take(pa.array(k)))))
    k = rows["invalid_phone"]
    out["phone"] = strs.patch(out["phone"], k, [noise.bad_phone(u) for u in rng.random(
        (len(k), noise.U_SIZE)).tolist()])
    k = rows["implausible_date"]
    kind = rng.integers(0, 3, len(k))
    days = np.where(kind == 0, window.end_day + rng.integers(30, 5000, len(k)),
                    np.where(kind == 1, rng.integers(-43800, -25600, len(k)), -25567))
    out["birth_date"] = strs.patch(out["birth_date"], k, _per_source(rng, src[k], days,
                                                                    timefmt.dates))
    lookalike = names.LOOKALIKE_INJECTION
    for code, make in (("degenerate_name", lambda v, u: noise.degenerate_name(u)),
                       ("lookalike_injection", lambda v, u: lookalike[
                           min(int(u[0] * len(lookalike)), len(lookalike) - 1)]),
                       ("invisible_chars", lambda v, u: noise.invisible(v or "Ann", u))):
        k = rows[code]
        on_first = rng.random(len(k)) < 0.6 if code != "invisible_chars" else np.ones(len(k), bool)
        for col, sel in (("first_name", on_first), ("last_name", ~on_first)):
            kk = k[sel]
            vals = out[col].take(pa.array(kk)).to_pylist() if len(kk) else []
            u = rng.random((len(kk), noise.U_SIZE)).tolist()
            out[col] = strs.patch(out[col], kk, [make(v, x) for v, x in zip(vals, u, strict=True)])
    # appended rows: replayed identical rows, conflicting older versions, rows without id
    dup, conf = rows["exact_duplicate"], rows["conflicting_duplicate"]
    miss = rows["missing_required"]
    out = defects.append_rows(out, np.r_[dup, conf, miss])
    base = m + len(dup)
    conf_rows = np.arange(base, base + len(conf))
    older = r["updated_secs"][conf] - rng.integers(30, 400, len(conf)) * 86400
    out["updated_at"] = strs.patch(out["updated_at"], conf_rows,
                                   _per_source(rng, src[conf], older, timefmt.timestamps))
    old_street = strs.join(strs.int_str(rng.integers(2, 999, len(conf))), " Old Mill Road")
    out["street"] = strs.patch(out["street"], conf_rows, old_street)
    miss_rows = np.arange(base + len(conf), base + len(conf) + len(miss))
    out["source_customer_id"] = strs.patch(out["source_customer_id"], miss_rows,
                                           [None] * len(miss))
    listed = [(c, rows[c]) for c in rows if c not in ("exact_duplicate", "conflicting_duplicate",
                                                     "missing_required")]
    listed += [("exact_duplicate", np.arange(m, base)), ("conflicting_duplicate", conf_rows),
               ("missing_required", miss_rows)]
    table = defects.outcomes("customers", out["source_system"], out["source_customer_id"], listed)
    return out, table


def truth(p: dict, r: dict, no_contact: bool) -> pa.Table:
    """customer_records truth: one row per (source_system, source_customer_id)."""
    pers = r["person"]
    idx = pa.array(pers)
    fnames, _ = names.first_name_table()
    lnames, _ = names.last_name_table()
    email = pc.if_else(pa.array(p["has_email"][pers]), p["email"].take(idx),
                       pa.scalar(None, pa.string()))
    phone = phones.e164_of(p, pers)
    if no_contact:
        email = pa.nulls(len(pers), pa.string())
        phone = pa.nulls(len(pers), pa.string())
    return pa.table({
        "source_system": strs.take(C.SOURCES, r["source"]),
        "source_customer_id": r["id"],
        "person_id": pa.array(p["pid"][pers]),
        "true_email": email, "true_phone_e164": phone,
        "true_birth_date": timefmt.fmt_array(p["birth_day"][pers] * 86400, "%Y-%m-%d"),
        "true_country_iso2": strs.take(geo.COUNTRIES, p["country"][pers]),
        "true_first_name": strs.take(fnames, p["first"][pers]),
        "true_last_name": strs.take(lnames, p["last"][pers])}, schema=TRUTH_SCHEMA)
