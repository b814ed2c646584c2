"""Pseudonymization key handling and the dbt-duckdb plugin that keeps the key out of SQL.

The key for keyed hashes (HMAC-SHA256) of customer identifiers comes from the environment
variable ``DBT_ENV_SECRET_PII_KEY`` through ``profiles.yml`` (``plugins:`` entry of the
DuckDB target). dbt allows ``DBT_ENV_SECRET_*`` only in the profile and scrubs their values
from its logs; the plugin registers a SQL function ``segments_pii_hmac(text)`` on every
connection, so model SQL calls the function and never contains the key: it cannot reach
``target/`` (compiled SQL, manifest), ``logs/`` or the warehouse.

Without the variable (the demo, a developer's checkout) the plugin reads a local key file
(``SEGMENTS_PII_KEY_FILE``, default ``.secrets/pii_key`` in the project, git-ignored), creating
it with 32 random bytes on first use and saying so once. Production sets the variable.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import sys
from pathlib import Path
from typing import Any

import pyarrow as pa

ENV_KEY = "DBT_ENV_SECRET_PII_KEY"
ENV_KEY_FILE = "SEGMENTS_PII_KEY_FILE"
DEFAULT_KEY_FILE = Path(__file__).resolve().parents[1] / ".secrets" / "pii_key"
SQL_FUNCTION = "segments_pii_hmac"
MIN_KEY_LENGTH = 16


def hmac_hex(key: bytes, value: str | None) -> str | None:
    """HMAC-SHA256 of a text value as 64 lower-case hex characters (None stays None)."""
    if value is None:
        return None
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()


def normalize_email(email: str | None) -> str | None:
    """An e-mail the way ad platforms match it: trimmed and lower-cased (None if empty)."""
    if email is None:
        return None
    e = email.strip().lower()
    return e or None


def ads_email_hash(email: str | None) -> str | None:
    """SHA-256 hex of the normalized e-mail (Google Customer Match / Meta custom audiences)."""
    e = normalize_email(email)
    return None if e is None else hashlib.sha256(e.encode("utf-8")).hexdigest()


def local_key(path: Path, announce: bool = True) -> bytes:
    """The local (demo) key from ``path``, created with 32 random bytes when absent."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(secrets.token_hex(32) + "\n")
        os.chmod(tmp, 0o600)
        try:
            os.link(tmp, path)  # atomic and never overwrites a key another process made
            if announce:
                print(f"privacy: created a local pseudonymization key in {path} (not committed; "
                      f"set {ENV_KEY} in production)", file=sys.stderr)
        except FileExistsError:
            pass
        finally:
            tmp.unlink(missing_ok=True)
    return path.read_text().strip().encode("utf-8")


def resolve_key(config_key: str | None, key_file: str | None = None) -> bytes:
    """The key: the profile's value (from DBT_ENV_SECRET_PII_KEY) or the local key file."""
    if config_key:
        key = config_key.encode("utf-8")
    else:
        key = local_key(Path(key_file or os.environ.get(ENV_KEY_FILE) or DEFAULT_KEY_FILE))
    if len(key) < MIN_KEY_LENGTH:
        raise ValueError(f"the pseudonymization key ({ENV_KEY} or the key file) must be at least "
                         f"{MIN_KEY_LENGTH} characters")
    return key


def _arrow_hmac(key: bytes):
    def fn(values: pa.Array) -> pa.Array:
        return pa.array([hmac_hex(key, v) for v in values.to_pylist()], pa.string())
    return fn


def register(con: Any, key: bytes) -> None:
    """Register ``segments_pii_hmac(varchar) -> varchar`` on a DuckDB connection."""
    try:
        con.remove_function(SQL_FUNCTION)
    except Exception:  # noqa: BLE001 - not registered yet
        pass
    con.create_function(SQL_FUNCTION, _arrow_hmac(key), ["VARCHAR"], "VARCHAR", type="arrow",
                        null_handling="special", side_effects=False)


try:  # the plugin class only where dbt-duckdb is installed
    from dbt.adapters.duckdb.plugins import BasePlugin
except ImportError:  # pragma: no cover - segkit used without dbt
    BasePlugin = object  # type: ignore[assignment,misc]


class Plugin(BasePlugin):  # type: ignore[misc,valid-type]
    """dbt-duckdb plugin: ``plugins: [{module: segkit.privacy, config: {key: ...}}]``."""

    def initialize(self, plugin_config: dict[str, Any]) -> None:
        self._key = resolve_key(plugin_config.get("key"), plugin_config.get("key_file"))

    def configure_connection(self, conn: Any) -> None:
        register(conn, self._key)

    def __repr__(self) -> str:  # never show the key
        return "Plugin(segkit.privacy)"
