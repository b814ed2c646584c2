"""Glue for the thin dbt Python models: one way to get pandas out of any adapter's relation."""

from __future__ import annotations

from typing import Any

import pandas as pd

SORT_KEYS = ("customer_key", "k", "target")


# how each engine's DataFrame becomes pandas, in order of preference: DuckDB relations
# (.df()), Snowpark and BigQuery DataFrames (.to_pandas()), Spark / Dataproc (.toPandas())
_PANDAS_METHODS = ("df", "to_pandas", "toPandas")


def pandas_method(relation: Any) -> str:
    """Name of the method that turns `relation` into pandas. Looked up on the class, not the
    instance: Spark and Snowpark DataFrames answer any unknown attribute with a column of
    that name (``frame.df`` is the column "df"), which must never be mistaken for a method."""
    for method in _PANDAS_METHODS:
        if callable(getattr(type(relation), method, None)):
            return method
    raise TypeError(f"cannot convert {type(relation).__name__} to pandas: "
                    f"no {', '.join('.' + m + '()' for m in _PANDAS_METHODS)}")


def to_pandas(relation: Any) -> pd.DataFrame:
    """A dbt Python model's ref() as pandas with lower-case column names, in key order.

    Works for every adapter that runs dbt Python models: DuckDB relations (``.df()``),
    Snowpark DataFrames (``.to_pandas()``, upper-case column names), BigQuery DataFrames
    (``.to_pandas()``) and Spark DataFrames on Dataproc / Databricks (``.toPandas()``); a
    pandas DataFrame is copied as it is.
    """
    if isinstance(relation, pd.DataFrame):
        frame = relation.copy()
    else:
        frame = getattr(relation, pandas_method(relation))()
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
