"""Audience export files (models/marts/activation/exports): where they go and a plugin that
makes sure the directory exists.

Exports are written by dbt-duckdb's `external` materialization into ``<warehouse dir>/exports``
(the directory of the DuckDB file, so a test's warehouse in a temp directory gets its own
exports and nothing is written into the repository's tracked folders). DuckDB's COPY does not
create directories; the plugin below creates it when dbt connects.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

EXPORT_SUBDIR = "exports"


def export_dir(warehouse_path: str | Path) -> Path:
    """The export directory for a warehouse file: ``<its directory>/exports``."""
    return Path(warehouse_path).parent / EXPORT_SUBDIR


try:  # the plugin class only where dbt-duckdb is installed
    from dbt.adapters.duckdb.plugins import BasePlugin
except ImportError:  # pragma: no cover - segkit used without dbt
    BasePlugin = object  # type: ignore[assignment,misc]


class Plugin(BasePlugin):  # type: ignore[misc,valid-type]
    """dbt-duckdb plugin: ``plugins: [{module: segkit.exports}]`` creates the export dir."""

    def initialize(self, plugin_config: dict[str, Any]) -> None:
        path = getattr(self.creds, "path", None)
        if path and path != ":memory:" and not str(path).startswith("md:"):
            export_dir(path).mkdir(parents=True, exist_ok=True)
