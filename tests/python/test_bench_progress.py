"""`make bench` shows progress during a long dbt build (issue 9): dbt's console lines are
folded into nodes done / total, printed by a thread of the bench process while the measured
command runs (the measured process tree and its timing are unchanged)."""

from __future__ import annotations

import sys
import time

from segkit.bench import run as bench_run

R, G, RED, Y = "\x1b[0m", "\x1b[32m", "\x1b[31m", "\x1b[33m"  # dbt colours its console
LOG = "".join(f"{R}{line}\n" for line in [
    "20:00:25  Running with dbt=1.11.16",
    "20:00:30  1 of 1 START hook: customer_segments.on-run-start.0 ... [RUN]",
    f"20:00:30  1 of 1 OK hook: customer_segments.on-run-start.0 ... [{G}OK{R} in 0.02s]",
    "20:00:30  1 of 5 START sql table model landing.base_raw__orders ... [RUN]",
    f"20:00:31  1 of 5 OK created sql table model landing.base_raw__orders ... [{G}OK{R} in 0.5s]",
    "20:00:31  2 of 5 START test not_null_base_raw__orders__source_file ... [RUN]",
    f"20:00:31  2 of 5 PASS not_null_base_raw__orders__source_file ... [{G}PASS{R} in 0.03s]",
    f"20:00:32  3 of 5 ERROR creating sql table model staging.stg_raw__orders ... [{RED}ERROR{R}]",
    f"20:00:32  4 of 5 SKIP test assert_every_raw_row_accounted ... [{Y}SKIP{R}]",
    f"20:00:32  1 of 2 OK hook: customer_segments.on-run-end.0 ... [{G}OK{R} in 0.00s]",
    "20:00:34  Done. PASS=1 WARN=0 ERROR=1 SKIP=1 NO-OP=0 TOTAL=5",
])


def test_dbt_progress_counts_finished_nodes_not_hooks_or_starts():
    st = bench_run.dbt_progress(LOG.splitlines())
    assert st == {"done": 4, "total": 5, "last": "assert_every_raw_row_accounted", "failed": 1}


def test_dbt_progress_continues_from_a_state():
    lines = LOG.splitlines()
    st = bench_run.dbt_progress(lines[:5])
    assert (st["done"], st["last"]) == (1, "landing.base_raw__orders")
    assert bench_run.dbt_progress(lines[5:], st) == bench_run.dbt_progress(lines)


def test_progress_line_reads_well():
    st = {"done": 120, "total": 620, "last": "marts.customer_rfm", "failed": 0}
    assert bench_run.progress_line("2,000: dbt build", st, 85.4) == (
        "2,000: dbt build: 120/620 nodes done (19%), 85 s, last: marts.customer_rfm")
    assert bench_run.progress_line("x", bench_run.dbt_progress([]), 1) == (
        "x: 0/? nodes done, 1 s")


def test_progress_thread_prints_while_the_log_grows(tmp_path, capsys):
    log = tmp_path / "build.log"
    log.write_text("")
    lines = LOG.splitlines(keepends=True)
    with bench_run._LogProgress(log, "2,000: dbt build", every=0.05) as prog:
        with open(log, "a") as fh:
            for line in lines:
                fh.write(line)
                fh.flush()
                time.sleep(0.02)
        time.sleep(0.2)
    err = capsys.readouterr().err
    assert "2,000: dbt build: 4/5 nodes done (80%)" in err, err
    assert "1 failed" in err
    assert prog.state["done"] == 4
    # every printed line is a bench log line on stderr
    assert all(ln.startswith("[bench ") for ln in err.splitlines()), err


def test_run_dbt_measured_returns_the_measurement_with_progress(tmp_path, capsys):
    """A stand-in for dbt that prints node lines slowly: the Measured result carries the
    command's exit code and output as run_measured alone would."""
    script = ("import sys, time\n"
              "for i in range(1, 4):\n"
              "    print(f'20:00:0{i}  {i} of 3 OK created sql table model m.n{i} .. [OK]',"
              " flush=True)\n"
              "    time.sleep(0.15)\n")
    bench_run.PROGRESS_SECONDS, old = 0.05, bench_run.PROGRESS_SECONDS
    try:
        m = bench_run.run_dbt_measured([sys.executable, "-c", script], {}, tmp_path / "b.log",
                                       "t: dbt build")
    finally:
        bench_run.PROGRESS_SECONDS = old
    assert m.returncode == 0 and m.stdout.count(" of 3 OK") == 3 and m.seconds > 0.3
    assert "t: dbt build: " in capsys.readouterr().err
