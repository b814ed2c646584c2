"""Date and timestamp rendering per source system (vectorised, fixed-width builders).

Formats written (and nothing else):
  crm      dates ``%d/%m/%Y``; timestamps ``%d/%m/%Y %H:%M`` (Europe/Berlin wall clock)
  webshop  dates ``%Y-%m-%d``; timestamps ``%Y-%m-%dT%H:%M:%SZ`` (UTC),
           ``%Y-%m-%dT%H:%M:%S+hh:mm`` (local time with offset), ``%Y-%m-%d %H:%M:%S``
           (naive UTC); events also epoch milliseconds (13 digits)
  pos      dates ``%m/%d/%Y`` (1% ``%b %d %Y``); timestamps ``%m/%d/%Y %H:%M``
           (America/New_York wall clock), 1% epoch seconds (10 digits, UTC),
           1% ``%b %d %Y`` and 1% ``%m/%d/%Y`` (date only)
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import numpy as np
import pyarrow as pa

from . import strs

_MONTHS = np.frombuffer(b"JanFebMarAprMayJunJulAugSepOctNovDec", np.uint8).reshape(12, 3)
_LUT_BASE = (dt.date(1995, 1, 1) - dt.date(1970, 1, 1)).days
_LUT_DAYS = 50 * 366
TZ_OF_SOURCE = {"crm": "Europe/Berlin", "pos": "America/New_York"}
OFFSETS = ("+01:00", "+02:00", "-04:00", "-05:00", "+00:00", "+05:30", "-07:00", "+10:00")
OFFSET_WEIGHTS = (0.25, 0.25, 0.15, 0.1, 0.1, 0.05, 0.05, 0.05)
WEB_TS_VARIANTS = ("utc_z", "offset", "naive")
WEB_TS_WEIGHTS = (0.55, 0.15, 0.30)
EPOCH_SHARE = 0.01


def civil(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(year, month, day) arrays for integer days since 1970-01-01."""
    d = np.asarray(days, dtype=np.int64).astype("datetime64[D]")
    months = d.astype("datetime64[M]")
    year = months.astype("datetime64[Y]").astype(np.int64) + 1970
    month = months.astype(np.int64) % 12 + 1
    day = (d - months).astype(np.int64) + 1
    return year, month, day


def _render_fields(days: np.ndarray, sod: np.ndarray, fmt: str) -> np.ndarray:
    """Render a strftime subset (%Y %m %d %H %M %S %b) from day numbers and second-of-day."""
    year, month, day = civil(days)
    fields = {"Y": lambda: strs.digits(year, 4), "m": lambda: strs.digits(month, 2),
              "d": lambda: strs.digits(day, 2), "H": lambda: strs.digits(sod // 3600, 2),
              "M": lambda: strs.digits(sod // 60 % 60, 2), "S": lambda: strs.digits(sod % 60, 2),
              "b": lambda: _MONTHS[month - 1]}
    parts: list[np.ndarray] = []
    i = 0
    while i < len(fmt):
        if fmt[i] == "%":
            parts.append(fields[fmt[i + 1]]())
            i += 2
        else:
            j = fmt.find("%", i)
            j = len(fmt) if j < 0 else j
            parts.append(strs.literal(len(days), fmt[i:j]))
            i = j
    if not parts:
        return np.zeros((len(days), 0), dtype=np.uint8)
    return np.hstack(parts)


@lru_cache(maxsize=16)
def _time_lut(fmt: str) -> np.ndarray:
    """Rendered time-of-day part of a format for all 86400 seconds of a day."""
    sod = np.arange(86400, dtype=np.int64)
    return _render_fields(np.zeros(86400, dtype=np.int64), sod, fmt)


def render(secs: np.ndarray, fmt: str) -> np.ndarray:
    """Render epoch seconds with a strftime subset (%Y %m %d %H %M %S %b) to a byte matrix.

    The date part (everything before the first %H) is looked up in a per-call table of
    the days present, the time part in a cached table of the 86400 seconds of a day.
    """
    secs = np.asarray(secs, dtype=np.int64)
    days, sod = np.divmod(secs, 86400)
    cut = fmt.find("%H")
    date_fmt, time_fmt = (fmt, "") if cut < 0 else (fmt[:cut], fmt[cut:])
    first = int(days.min()) if len(days) else 0
    span = int(days.max()) - first + 1 if len(days) else 1
    day_lut = _render_fields(np.arange(first, first + span), np.zeros(span, np.int64), date_fmt)
    day_part = np.take(strs.as_rows(day_lut), days - first)
    if not time_fmt:
        return strs.hcat(len(secs), [day_part])
    return strs.hcat(len(secs), [day_part, np.take(strs.as_rows(_time_lut(time_fmt)), sod)])


def fmt_array(secs: np.ndarray, fmt: str) -> pa.StringArray:
    """Render epoch seconds to an Arrow string array with the given format."""
    if len(secs) == 0:
        return pa.array([], pa.string())
    return strs.fixed_width(render(secs, fmt))


@lru_cache(maxsize=4)
def _offset_lut(tz_name: str) -> np.ndarray:
    """UTC offset in seconds at 12:00 UTC of each day from 1995 on (per-day DST)."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(tz_name)
    base = dt.datetime(1995, 1, 1, 12, tzinfo=dt.UTC)
    return np.array([int(zone.utcoffset((base + dt.timedelta(days=k)).replace(tzinfo=None))
                         .total_seconds()) for k in range(_LUT_DAYS)], dtype=np.int64)


def to_local(secs: np.ndarray, tz_name: str) -> np.ndarray:
    """Wall-clock seconds in a time zone for UTC epoch seconds (per-day DST resolution)."""
    idx = (np.asarray(secs, dtype=np.int64) // 86400 - _LUT_BASE).clip(0, _LUT_DAYS - 1)
    return secs + _offset_lut(tz_name)[idx]


def dates(rng: np.random.Generator, days: np.ndarray, source: str) -> pa.Array:
    """Dates (birth/signup) as written by a source system."""
    secs = np.asarray(days, dtype=np.int64) * 86400
    if source == "crm":
        return fmt_array(secs, "%d/%m/%Y")
    if source == "webshop":
        return fmt_array(secs, "%Y-%m-%d")
    alt = rng.random(len(secs)) < 0.01
    rows_a, rows_b = np.flatnonzero(~alt), np.flatnonzero(alt)
    return strs.assemble_fixed(len(secs), [(rows_a, render(secs[rows_a], "%m/%d/%Y")),
                                           (rows_b, render(secs[rows_b], "%b %d %Y"))])


def timestamps(rng: np.random.Generator, secs: np.ndarray, source: str,
               epoch_ms: bool = False) -> pa.Array:
    """Timestamps as written by a source system (mixed variants, see module docstring)."""
    secs = np.asarray(secs, dtype=np.int64)
    n = len(secs)
    if source == "crm":
        return fmt_array(to_local(secs, TZ_OF_SOURCE["crm"]), "%d/%m/%Y %H:%M")
    if source == "pos":
        variant = strs.pick(rng, (0.97, EPOCH_SHARE, 0.01, 0.01), n)
        local = to_local(secs, TZ_OF_SOURCE["pos"])
        parts = []
        for code, fmt in ((0, "%m/%d/%Y %H:%M"), (2, "%b %d %Y"), (3, "%m/%d/%Y")):
            rows = np.flatnonzero(variant == code)
            parts.append((rows, render(local[rows], fmt)))
        rows = np.flatnonzero(variant == 1)
        parts.append((rows, strs.digits(secs[rows], 10)))
        return strs.assemble_fixed(n, parts)
    weights = list(WEB_TS_WEIGHTS) + ([EPOCH_SHARE] if epoch_ms else [])
    variant = strs.pick(rng, weights, n)
    parts = []
    rows = np.flatnonzero(variant == 0)
    parts.append((rows, render(secs[rows], "%Y-%m-%dT%H:%M:%SZ")))
    rows = np.flatnonzero(variant == 1)
    off_code = strs.pick(rng, OFFSET_WEIGHTS, len(rows))
    off_secs = np.array([offset_seconds(o) for o in OFFSETS], dtype=np.int64)[off_code]
    off_lut = np.frombuffer("".join(OFFSETS).encode(), np.uint8).reshape(len(OFFSETS), 6)
    local = render(secs[rows] + off_secs, "%Y-%m-%dT%H:%M:%S")
    parts.append((rows, np.hstack([local, off_lut[off_code]])))
    rows = np.flatnonzero(variant == 2)
    parts.append((rows, render(secs[rows], "%Y-%m-%d %H:%M:%S")))
    rows = np.flatnonzero(variant == 3)
    millis = secs[rows] * 1000 + rng.integers(0, 1000, len(rows))
    parts.append((rows, strs.digits(millis, 13)))
    return strs.assemble_fixed(n, parts)


def offset_seconds(text: str) -> int:
    """'+05:30' -> 19800."""
    sign = -1 if text[0] == "-" else 1
    return sign * (int(text[1:3]) * 3600 + int(text[4:6]) * 60)


def invalid_date_text(rng: np.random.Generator, source: str, n: int) -> list[str]:
    """Values shaped exactly like the source's formats but impossible on the calendar."""
    pool = {
        "crm": ["31/02/2024 10:00", "00/00/0000 00:00", "30/02/2023 09:15", "31/04/2024 12:00",
                "15/13/2023 08:30"],
        "webshop": ["2024-02-30T10:00:00Z", "2023-13-01 10:00:00", "2024-04-31T08:00:00Z",
                    "0000-00-00 00:00:00", "2023-02-29T12:00:00+01:00"],
        "pos": ["00/00/0000", "02/30/2024 10:00", "13/01/2024 09:00", "04/31/2023 14:00",
                "02/29/2023 11:30"],
    }[source]
    return [pool[i] for i in rng.integers(0, len(pool), n)]


def unparseable_date_text(rng: np.random.Generator, n: int) -> list[str]:
    """Values that match no date format at all (never NULL-like)."""
    pool = ["yesterday", "not a date", "2024/03/05 10h", "TBD", "5th of March", "#VALUE!",
            "0x1F", "2024-03", "12:00", "last week"]
    return [pool[i] for i in rng.integers(0, len(pool), n)]
