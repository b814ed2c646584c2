"""Run a command and measure it: wall seconds, peak RSS of its whole process tree (polled
from /proc every 0.2 s, summed over the tree), the largest single child's maxrss from
getrusage as a cross-check, and the machine's 1-minute load average at start and end."""

from __future__ import annotations

import os
import resource
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from segkit.bench.results import descendants, parse_proc_stat_ppid, parse_proc_status_rss_kb

POLL_SECONDS = 0.2


@dataclass
class Measured:
    seconds: float
    returncode: int
    peak_tree_mb: float
    rusage_maxrss_mb: float
    load_start: float
    load_end: float
    stdout: str = ""
    stderr: str = ""
    samples: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def peak_mb(self) -> float:
        """The larger of the polled tree peak and the kernel's per-child maximum."""
        return max(self.peak_tree_mb, self.rusage_maxrss_mb)


def _parent_map() -> dict[int, int]:
    out: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                out[int(entry.name)] = parse_proc_stat_ppid((entry / "stat").read_text())
            except (OSError, ValueError, IndexError):
                continue
    return out


def tree_rss_kb(root: int) -> int:
    """Summed VmRSS (kB) of ``root`` and its descendants right now (0 if /proc is missing)."""
    total = 0
    for pid in descendants(root, _parent_map()):
        try:
            total += parse_proc_status_rss_kb(Path(f"/proc/{pid}/status").read_text())
        except OSError:
            continue
    return total


def run_measured(cmd: list[str], env: dict[str, str], cwd: Path | str,
                 log_path: Path | None = None) -> Measured:
    """Run ``cmd`` to the end while polling its process tree's RSS."""
    load_start = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    out_fh = open(log_path, "w") if log_path else None  # noqa: SIM115
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, text=True,
                            stdout=out_fh or subprocess.PIPE,
                            stderr=subprocess.STDOUT if out_fh else subprocess.PIPE)
    peak = [0, 0]
    stop = threading.Event()

    def poll() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], tree_rss_kb(proc.pid))
            peak[1] += 1
            stop.wait(POLL_SECONDS)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    stdout, stderr = proc.communicate()
    seconds = time.perf_counter() - t0
    stop.set()
    poller.join()
    if out_fh:
        out_fh.close()
        stdout = Path(log_path).read_text(errors="replace")
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the largest child ever waited for: only a new maximum is
    # attributable to this command
    rusage_mb = after / 1024 if after > before else 0.0
    return Measured(seconds=seconds, returncode=proc.returncode, peak_tree_mb=peak[0] / 1024,
                    rusage_maxrss_mb=rusage_mb, load_start=load_start,
                    load_end=os.getloadavg()[0], stdout=stdout or "", stderr=stderr or "",
                    samples=peak[1])
