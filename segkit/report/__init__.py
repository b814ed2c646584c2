"""The segment report: one self-contained HTML page built from the marts of a warehouse.

Usage: python -m segkit.report [--warehouse PATH] [--out reports/segments.html]

Modules: `data` (queries -> DataFrames), `charts` (DataFrames -> plotly figures), `sections`
(which chart goes where, with its one-line explanation), `html` (page assembly).
"""

from __future__ import annotations

from pathlib import Path

from segkit.report import html
from segkit.report.data import build_info
from segkit.report.sections import Block, Section, build_sections
from segkit.warehouse import read_only

__all__ = ["Block", "Section", "build_report", "build_sections"]


def build_report(warehouse: Path | str, out: Path | str, source: str = "working warehouse",
                 progress: bool = True) -> list[Section]:
    """Read the warehouse read-only, write the page to out; return the sections (with figures).

    Raises FileNotFoundError when the warehouse does not exist.
    """
    with read_only(warehouse) as con:
        info = build_info(con)
        sections = build_sections(con, progress=progress)
    page = html.render(sections, info, source)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(out)
    return sections
