"""Glue for the thin dbt Python models: one way to get pandas out of any adapter's relation."""

from __future__ import annotations

from typing import Any

import pandas as pd

SORT_KEYS = ("customer_key", "k", "target")


def to_pandas(relation: Any) -> pd.DataFrame:
    """A dbt Python model's ref() as pandas with lower-case column names, in key order.

    DuckDB relations have ``.df()``; Snowpark and Spark DataFrames have ``.to_pandas()`` /
    ``.toPandas()``; BigQuery DataFrames have ``.to_pandas()``.
    """
    for method in ("df", "to_pandas", "toPandas"):
        fn = getattr(relation, method, None)
        if callable(fn):
            frame = fn()
            break
    else:
        raise TypeError(f"cannot convert {type(relation).__name__} to pandas")
    frame.columns = [str(c).lower() for c in frame.columns]
    # a warehouse returns rows in no fixed order (DuckDB scans in parallel): sort by the key so
    # samples, splits and fits see the same rows in the same order on every run
    key = next((c for c in SORT_KEYS if c in frame.columns), None)
    if key is not None:
        frame = frame.sort_values(key, kind="stable").reset_index(drop=True)
    return frame


def config_list(value: Any) -> list[str] | None:
    """A list config value (YAML list or comma-separated string); None stays None."""
    if value is None:
        return None
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return [str(v) for v in value]
