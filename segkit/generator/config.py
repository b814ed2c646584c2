"""Generator parameters: personas, source membership, timing and defect rates.

Everything tunable lives here so docs/generator.md can be checked against one place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

SOURCES = ("crm", "webshop", "pos")
CRM, WEB, POS = 0, 1, 2

PERSONAS = ("loyal_high_spender", "regular", "bargain_hunter", "window_shopper",
            "new_customer", "lapsed")
PERSONA_SHARES = np.array([0.15, 0.30, 0.20, 0.15, 0.10, 0.10])
LOYAL, REGULAR, BARGAIN, WINDOW, NEW, LAPSED = range(6)

# Per-persona behaviour (index = persona). Rates overlap on purpose: every persona draws
# its individual rate from a gamma distribution around these means.
ORDERS_PER_YEAR = np.array([8.5, 3.4, 4.0, 0.45, 7.0, 6.0])
RATE_GAMMA_SHAPE = 1.6                                          # heterogeneity of rates
DROPOUT_P = np.array([0.015, 0.05, 0.07, 0.25, 0.05, 0.30])    # per-purchase dropout
BASKET_MEAN = np.array([95.0, 48.0, 26.0, 38.0, 45.0, 45.0])   # local currency units
BASKET_SIGMA = 0.65                                             # lognormal sigma
ITEMS_MEAN = np.array([2.4, 1.8, 3.0, 1.2, 1.5, 1.6])
SESSIONS_PER_YEAR = np.array([8.0, 2.5, 5.0, 6.5, 6.5, 2.2])
EVENTS_PER_SESSION = np.array([5.5, 4.5, 5.0, 6.0, 5.0, 4.0])
EMAIL_SENDS_PER_YEAR = 40.0
EMAIL_OPEN_RATE = np.array([0.35, 0.2, 0.4, 0.12, 0.3, 0.06])
EMAIL_CLICK_RATE = 0.25                                        # of opens
DEVICE_MIX = np.array([  # desktop, mobile, tablet
    [0.45, 0.45, 0.10], [0.45, 0.45, 0.10], [0.25, 0.65, 0.10],
    [0.35, 0.55, 0.10], [0.30, 0.60, 0.10], [0.55, 0.35, 0.10]])
APP_SHARE = np.array([0.45, 0.2, 0.15, 0.1, 0.3, 0.05])
CATEGORY_PREF = np.array([  # electronics, home, fashion, beauty, sports, books, toys, grocery
    [0.30, 0.22, 0.12, 0.06, 0.12, 0.06, 0.06, 0.06],
    [0.14, 0.15, 0.16, 0.12, 0.11, 0.12, 0.10, 0.10],
    [0.06, 0.08, 0.22, 0.12, 0.07, 0.08, 0.15, 0.22],
    [0.18, 0.12, 0.24, 0.16, 0.10, 0.08, 0.06, 0.06],
    [0.15, 0.14, 0.18, 0.12, 0.11, 0.10, 0.10, 0.10],
    [0.14, 0.16, 0.16, 0.10, 0.12, 0.12, 0.10, 0.10]])

# Anomalies (share of persons); bots: one extra burst session, fraud: many orders in a day
ANOMALY_SHARES = {"bot": 0.004, "fraud_spike": 0.003, "extreme_spender": 0.003}
BOT_EVENTS = (200, 2000)
FRAUD_ORDERS = (15, 60)
EXTREME_MULTIPLIER = (20.0, 60.0)

# Source membership: (crm, webshop, pos) combinations and their probabilities.
SOURCE_SETS = np.array([[0, 1, 0], [0, 0, 1], [1, 1, 0], [1, 0, 1], [0, 1, 1], [1, 1, 1]],
                       dtype=bool)
SOURCE_SET_P = np.array([0.40, 0.29, 0.13, 0.06, 0.08, 0.04])
CRM_ONLY_WINDOW_SHOPPER = 0.25       # window shoppers who only exist as newsletter contacts
SAME_SOURCE_DUPLICATE = 0.03         # persons with a second record inside one source
HOUSEHOLD_SHARE = 0.015              # persons living in a 2-person household (shared e-mail)
TWIN_SHARE = 0.001                   # persons in twins-like pairs
SPECIAL_NAME_SHARE = 0.002           # CJK / RTL / emoji / exotic-letter names
HAS_EMAIL = 0.92
HAS_PHONE = 0.80
RECORD_HAS_EMAIL = {"crm": 0.98, "webshop": 1.0, "pos": 0.6}
RECORD_HAS_PHONE = {"crm": 0.7, "webshop": 0.5, "pos": 0.85}
LEGACY_NUMERIC_ID = {"crm": 0.05, "pos": 0.05}   # numeric ids that collide across systems

HISTORY_DAYS = 730
HORIZON_DAYS = 90
DAY_END_SECONDS = 20 * 3600     # natural activity ends 20:00 UTC on end-date (tz-safe)
NULL_TOKEN_RATE = 0.015

MIN_PER_CHUNK = 3      # every listed defect class appears at least this often per chunk
CHUNK_PERSONS = 25_000

# table -> defect code -> (rate, expected_outcome, expected_reason_code)
DEFECTS: dict[str, dict[str, tuple[float, str, str | None]]] = {
    "customers": {
        "missing_required": (0.001, "quarantined", "missing_required"),
        "conflicting_duplicate": (0.002, "quarantined", "conflicting_duplicate"),
        "exact_duplicate": (0.003, "merged", None),
        "invalid_email": (0.012, "flagged", None),
        "invalid_phone": (0.010, "flagged", None),
        "implausible_date": (0.002, "flagged", None),
        "degenerate_name": (0.0015, "flagged", None),
        "lookalike_injection": (0.0005, "clean", None),
        "mailto_email": (0.003, "normalized", None),
        "invisible_chars": (0.003, "normalized", None),
    },
    "orders": {
        "unparseable_date": (0.001, "quarantined", "unparseable_date"),
        "invalid_date": (0.001, "quarantined", "invalid_date"),
        "future_timestamp": (0.001, "quarantined", "future_timestamp"),
        "negative_amount": (0.001, "quarantined", "negative_amount"),
        "amount_out_of_range": (0.0005, "quarantined", "amount_out_of_range"),
        "unparseable_amount": (0.001, "quarantined", "unparseable_amount"),
        "unknown_currency": (0.0005, "quarantined", "unknown_currency"),
        "missing_fx_rate": (0.001, "quarantined", "missing_fx_rate"),
        "invalid_quantity": (0.001, "quarantined", "invalid_quantity"),
        "conflicting_duplicate": (0.002, "quarantined", "conflicting_duplicate"),
        "orphan_order": (0.002, "quarantined", "orphan_order"),
        "unknown_status": (0.003, "quarantined", "unknown_status"),
        "missing_required": (0.001, "quarantined", "missing_required"),
        "exact_duplicate": (0.003, "merged", None),
        "zero_amount": (0.001, "flagged", None),
    },
    "events": {
        "unparseable_date": (0.0005, "quarantined", "unparseable_date"),
        "invalid_date": (0.0005, "quarantined", "invalid_date"),
        "future_timestamp": (0.0005, "quarantined", "future_timestamp"),
        "orphan_event": (0.001, "quarantined", "orphan_event"),
        "unknown_event_type": (0.002, "quarantined", "unknown_event_type"),
        "missing_required": (0.0005, "quarantined", "missing_required"),
        "exact_duplicate": (0.002, "merged", None),
    },
}
# natural (not injected) listed classes: orders before the record's signup date are kept
NATURAL_OUTCOMES = {"orders": {"order_before_signup": ("clean", None)},
                    # appended days (segkit.generator.append): the older version of an
                    # updated record loses to the newer one and is quarantined
                    "customers": {"superseded_version": ("quarantined", "conflicting_duplicate")}}


@dataclass(frozen=True)
class Window:
    """Time frame of a dataset in seconds since the Unix epoch (UTC)."""

    end_date: dt.date
    start: int          # first second of history (00:00 UTC, end_date - HISTORY_DAYS)
    end: int            # last second of natural activity on end_date
    horizon_end: int    # last second of the withheld churn horizon

    @classmethod
    def from_end_date(cls, end_date: dt.date) -> Window:
        """Build the window for a given end date."""
        day = (end_date - dt.date(1970, 1, 1)).days
        return cls(end_date, (day - HISTORY_DAYS + 1) * 86400, day * 86400 + DAY_END_SECONDS,
                   (day + HORIZON_DAYS) * 86400 + 86399)

    @property
    def end_day(self) -> int:
        """end_date as days since the epoch."""
        return self.end // 86400
