"""Install a Debian package a test needs (chromium for the report, Java for Spark) when it is
missing: `apt-get install` first, `apt-get update` and a retry only when that fails."""

from __future__ import annotations

import os
import shutil
import subprocess

APT_TIMEOUT = 240


def apt_install(package: str, timeout: int = APT_TIMEOUT) -> str:
    """Try to install package; '' on success, else the last line of apt's message."""
    if shutil.which("apt-get") is None:
        return "apt-get is not available"
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    install = ["apt-get", "install", "-y", "-q", "-o", "DPkg::Lock::Timeout=60", package]
    try:
        proc = subprocess.run(install, env=env, capture_output=True, text=True, timeout=timeout)
        if proc.returncode != 0:
            subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True,
                           timeout=timeout)
            proc = subprocess.run(install, env=env, capture_output=True, text=True,
                                  timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"{type(exc).__name__}: {exc}"
    if proc.returncode == 0:
        return ""
    lines = (proc.stderr or proc.stdout).strip().splitlines()
    return lines[-1] if lines else f"exit {proc.returncode}"
