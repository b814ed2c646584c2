"""The mapping seeds derived from the generator's vocabularies (single source of truth).

``python -m segkit.generator.seeds [DIR]`` rewrites the seed CSVs (default ``seeds/``);
tests check that the committed files equal what this module produces.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

from . import catalog, geo, names


def key(text: str) -> str:
    """The lookup key of a raw value: upper-cased and trimmed (accents kept)."""
    return text.strip().upper()


def _unique(rows: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Rows de-duplicated on their first column, first occurrence kept, sorted."""
    seen: dict[str, tuple[str, ...]] = {}
    for row in rows:
        if row[0] in seen and seen[row[0]][1:] != row[1:]:
            raise ValueError(f"alias {row[0]!r} maps to two values: {seen[row[0]]} / {row}")
        seen.setdefault(row[0], row)
    return sorted(seen.values())


def seed_rows() -> dict[str, tuple[tuple[str, ...], list[tuple[str, ...]]]]:
    """Seed name -> (header, rows)."""
    country = [(key(a), iso) for iso, aliases in geo.COUNTRY_ALIASES.items() for a in aliases]
    country += [(iso, iso) for iso in geo.COUNTRIES]
    category = [(key(a), cat) for cat, aliases in catalog.CATEGORIES.items() for a in aliases]
    category += [(key(cat), cat) for cat in catalog.CATEGORIES]
    status = [(key(raw), st, _b(sale), _b(refund), _b(cancel))
              for raw, (st, sale, refund, cancel) in catalog.ORDER_STATUSES.items()]
    event = [(key(a), et) for et, aliases in catalog.EVENT_TYPES.items() for a in aliases]
    event += [(key(et), et) for et in catalog.EVENT_TYPES]
    phone = [(iso, cc, trunk, str(lo), str(hi))
             for iso, (cc, trunk, lo, hi, _) in geo.PHONE_PLAN.items()]
    fx = [(cur, f"{rate:.4f}") for cur, rate in catalog.FX_RATES.items()]
    nick = sorted({(n, f) for f, n in names.NICKNAMES})
    return {
        "country_aliases": (("alias", "country_iso2"), _unique(country)),
        "category_aliases": (("alias", "category"), _unique(category)),
        "order_status_map": (("raw_status", "status", "is_sale", "is_refund", "is_cancelled"),
                             _unique(status)),
        "event_type_aliases": (("alias", "event_type"), _unique(event)),
        "phone_country_codes": (("country_iso2", "calling_code", "trunk_prefix",
                                 "national_number_min_length", "national_number_max_length"),
                                sorted(phone)),
        "fx_rates": (("currency", "rate_to_usd"), fx),
        "name_nicknames": (("nickname", "name"), nick),
    }


def _b(flag: bool) -> str:
    """CSV boolean."""
    return "true" if flag else "false"


def render_csv(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    """CSV text with a header line and \\n line endings."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def write_seeds(directory: str | Path = "seeds") -> list[Path]:
    """Write every seed CSV into directory; returns the paths."""
    out = []
    for name, (header, rows) in seed_rows().items():
        path = Path(directory) / f"{name}.csv"
        path.write_text(render_csv(header, rows), encoding="utf-8")
        out.append(path)
    return out


if __name__ == "__main__":
    for written in write_seeds(sys.argv[1] if len(sys.argv) > 1 else "seeds"):
        print(written)
