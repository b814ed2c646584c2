"""segkit.preload imports the ML stack the Python models use (run at dbt start-up)."""
from segkit.preload import MODULES, preload


def test_preload_imports_every_listed_module():
    assert preload() == list(MODULES)
