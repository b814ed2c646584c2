"""K10 (schema drift between runs), the model side: every incremental SQL model of the
rebuildable layers (staging, intermediate, marts, landing) declares on_schema_change='fail',
so a column change stops the next incremental run instead of silently dropping or NULL-filling
a column. Persisted history state (models/history) is left out: it is append-only by design."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ("staging", "intermediate", "marts", "landing")
# a literal materialization, or a macro choosing it per engine: such models read is_incremental()
INCREMENTAL = re.compile(r"materialized\s*=\s*['\"]incremental['\"]|is_incremental\(\)")
FAIL = re.compile(r"on_schema_change\s*=\s*['\"]fail['\"]")


def incremental_models() -> list[Path]:
    return sorted(p for layer in LAYERS for p in (ROOT / "models" / layer).rglob("*.sql")
                  if INCREMENTAL.search(p.read_text(encoding="utf-8")))


def test_incremental_models_fail_on_schema_change():
    models = incremental_models()
    names = {p.stem for p in models}
    assert {"fct_orders", "fct_events", "stg_raw__orders", "ingest_schema_drift"} <= names, names
    lax = [str(p.relative_to(ROOT)) for p in models
           if not FAIL.search(p.read_text(encoding="utf-8"))]
    assert lax == [], f"incremental models without on_schema_change='fail': {lax}"
