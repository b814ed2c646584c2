"""Shared defect machinery: disjoint row allocation per defect class and the truth rows
(row_outcomes) that record each injected defect with its expected outcome."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from . import config as C

OUTCOME_SCHEMA = pa.schema([
    ("source_table", pa.string()), ("source_system", pa.string()), ("record_id", pa.string()),
    ("defect", pa.string()), ("expected_outcome", pa.string()),
    ("expected_reason_code", pa.string())])


def allocate(rng: np.random.Generator, table: str, n: int,
             eligible: dict[str, np.ndarray | None], skip: frozenset[str] = frozenset()
             ) -> dict[str, np.ndarray]:
    """Choose disjoint, sorted row sets for every defect class of *table*.

    Each class gets max(MIN_PER_CHUNK, Binomial(n, rate)) rows among the still-free rows
    that its eligibility mask allows (fewer if not enough are eligible).
    """
    free = np.ones(n, dtype=bool)
    out: dict[str, np.ndarray] = {}
    for code, (rate, _, _) in C.DEFECTS[table].items():
        if code in skip:
            out[code] = np.zeros(0, dtype=np.int64)
            continue
        k = max(C.MIN_PER_CHUNK, int(rng.binomial(n, rate))) if n else 0
        mask = free if eligible.get(code) is None else free & eligible[code]
        cand = np.flatnonzero(mask)
        k = min(k, len(cand))
        rows = np.sort(rng.choice(cand, size=k, replace=False)) if k else cand[:0]
        free[rows] = False
        out[code] = rows
    return out


def outcomes(table: str, source_system: pa.Array, record_id: pa.Array,
             codes: list[tuple[str, np.ndarray]]) -> pa.Table:
    """row_outcomes rows for (defect code, rows) pairs of one output table chunk."""
    parts = []
    for code, rows in codes:
        if len(rows) == 0:
            continue
        spec = C.DEFECTS.get(table, {}).get(code)
        if spec is None:
            outcome, reason = C.NATURAL_OUTCOMES[table][code]
        else:
            _, outcome, reason = spec
        idx = pa.array(np.asarray(rows, dtype=np.int64))
        k = len(rows)
        parts.append(pa.table({
            "source_table": pa.array([table] * k, pa.string()),
            "source_system": source_system.take(idx).cast(pa.string()),
            "record_id": record_id.take(idx).cast(pa.string()),
            "defect": pa.array([code] * k, pa.string()),
            "expected_outcome": pa.array([outcome] * k, pa.string()),
            "expected_reason_code": pa.array([reason] * k, pa.string())}, schema=OUTCOME_SCHEMA))
    if not parts:
        return OUTCOME_SCHEMA.empty_table()
    return pa.concat_tables(parts)


def append_rows(cols: dict[str, pa.Array], base_rows: np.ndarray) -> dict[str, pa.Array]:
    """Return the columns with copies of base_rows appended at the end (in given order)."""
    idx = pa.array(np.r_[np.arange(len(next(iter(cols.values())))), base_rows].astype(np.int64))
    return {k: v.take(idx) for k, v in cols.items()}
