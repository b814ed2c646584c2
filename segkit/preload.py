"""dbt-duckdb plugin: import scikit-learn once, in dbt's main thread, before any model runs.

dbt runs Python models in worker threads (threads: 2). Two models importing scikit-learn for
the first time at the same moment can see a partially initialised module
("cannot import name 'BaseLibSVM' from partially initialized module 'sklearn.svm._base'"):
seen in CI. Importing the modules the project uses here, at connection set-up, removes the
race. Declared in profiles.yml as ``plugins: [{module: segkit.preload}]``.
"""
from __future__ import annotations

import importlib
from typing import Any

from dbt.adapters.duckdb.plugins import BasePlugin

MODULES = (
    "sklearn.cluster", "sklearn.decomposition", "sklearn.ensemble", "sklearn.impute",
    "sklearn.inspection", "sklearn.linear_model", "sklearn.metrics", "sklearn.mixture",
    "sklearn.model_selection", "sklearn.neighbors", "sklearn.preprocessing", "sklearn.svm",
    "scipy.optimize", "segkit.ml",
)


def preload(modules: tuple[str, ...] = MODULES) -> list[str]:
    """Import each module; returns the names imported (all of them, or ImportError)."""
    return [importlib.import_module(name).__name__ for name in modules]


class Plugin(BasePlugin):  # type: ignore[misc,valid-type]
    """Imports the ML stack in the main thread when dbt-duckdb sets up its plugins."""

    def initialize(self, plugin_config: dict[str, Any]) -> None:
        preload()
