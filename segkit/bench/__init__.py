"""The benchmark behind `make bench` (docs/benchmarks.md).

    python -m segkit.bench [--sizes 100000,1000000] [--splink-sizes 100000] [--memory-limit 4GB]

run.py orchestrates; results.py holds the pure parts (stages, run_results parsing, the
table); procmon.py measures a command (wall time, process-tree peak RSS, load); floor.py is
the same work without dbt; splink_compare.py / splink_job.py put Splink beside our identity.
"""
