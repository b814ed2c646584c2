"""Model-selection cadence: the expensive choices (the k sweep of cluster_model_selection, the
cross-validated comparison and holdout evaluation of model_metrics) are made on a full build
and then at most every `ml__reselect_every_days` days of as_of_date; the daily refresh in
between keeps the stored choice (docs/refresh.md, "Python models on a refresh").

Pure functions; the dbt models read the stored table and call these.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

VAR = "ml__reselect_every_days"
SELECTED_AS_OF = "selected_as_of"
SEQUENCE = "selection_sequence"


def reselect_every_days(value: Any) -> int:
    """The var as a whole number of days >= 0 (0 = choose again on every run)."""
    text = "" if value is None else str(value).strip()
    try:
        days = float(text)
    except ValueError:
        days = float("nan")
    if not text or days != days or days < 0 or days != int(days):
        raise ValueError(f"var {VAR} must be a whole number of days >= 0, got {value!r}")
    return int(days)


def _as_date(value: Any) -> dt.date | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return pd.Timestamp(value).date()


def selection_due(previous: pd.DataFrame | None, as_of_date: Any, every_days: int
                  ) -> tuple[bool, str]:
    """Whether to choose again, and why (for the log).

    `previous` is the stored table (None on a full build or a first build). Due when there is
    none, it is empty, the cadence is 0, as_of_date moved back (a rebuild of the past), or the
    stored choice was made `every_days` or more days before as_of_date.
    """
    if previous is None:
        return True, "full build"
    if (previous.empty or SELECTED_AS_OF not in previous.columns
            or previous[SELECTED_AS_OF].isna().all()):
        return True, "no stored selection"
    if every_days == 0:
        return True, f"{VAR} is 0"
    stored = _as_date(previous[SELECTED_AS_OF].max())
    today = _as_date(as_of_date)
    if stored is None or today is None:
        return True, "no as_of_date on the stored selection"
    age = (today - stored).days
    if age < 0:
        return True, f"as_of_date {today} is before the stored selection ({stored})"
    if age >= every_days:
        return True, f"stored selection is {age} days old (>= {every_days})"
    return False, f"stored selection of {stored} is {age} days old (< {every_days}): kept"


def stamp(frame: pd.DataFrame, as_of_date: Any, previous: pd.DataFrame | None
          ) -> pd.DataFrame:
    """The new selection with the day it was made for and its sequence number: 1 on a full
    build, the stored one + 1 on a re-selection. The post-hook (macro ml_keep_latest_selection)
    then deletes the rows of older sequences; a sequence, not a run id, keeps two identical
    full builds identical."""
    out = frame.copy()
    out[SELECTED_AS_OF] = _as_date(as_of_date)  # a date object: a DATE column in the warehouse
    last = 0
    if previous is not None and SEQUENCE in previous.columns and previous[SEQUENCE].notna().any():
        last = int(previous[SEQUENCE].max())
    out[SEQUENCE] = last + 1
    return out


def stored(session: Any, this: Any) -> pd.DataFrame:
    """What the cadence needs of the model's own table before this run (an incremental
    run's dbt.this): one row, the latest selected_as_of and selection_sequence (NULLs when
    the table is empty)."""
    from segkit.dbt_io import to_pandas

    return to_pandas(session.sql(
        f"select max({SELECTED_AS_OF}) as {SELECTED_AS_OF}, max({SEQUENCE}) as {SEQUENCE} "
        f"from {this}"))


def nothing_new(session: Any, this: Any) -> Any:
    """The result of a run that keeps the stored selection: no rows, with the table's own
    column types (an empty pandas frame would have none, and the incremental schema check
    would stop the run)."""
    return session.sql(f"select * from {this} where 1 = 0")


def decide(dbt: Any, session: Any, as_of: pd.DataFrame, every_days: Any, label: str,
           work: str) -> tuple[bool, pd.DataFrame | None, Any]:
    """The selection models' shared start: today's as_of_date (from int_run__as_of_date, read
    by the model so dbt sees the ref), the stored selection on an incremental run, whether to
    choose again, and one log line (`<label>: <work> (<reason>)` or `no <work>`, which the
    bench reads). Returns (due, stored summary or None, as_of_date)."""
    as_of_date = as_of["as_of_date"].iloc[0]
    previous = stored(session, dbt.this) if dbt.is_incremental else None
    due, reason = selection_due(previous, as_of_date, reselect_every_days(every_days))
    print(f"{label}: {work if due else 'no ' + work} ({reason})")
    return due, previous, as_of_date
