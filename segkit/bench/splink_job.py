"""Splink deduplication of the bench's customer records. Runs ONLY in the Splink venv
(.venv-splink, requirements-bench-splink.txt) as a script: it imports nothing from segkit,
and nothing here runs in the project's own venv.

    .venv-splink/bin/python segkit/bench/splink_job.py --input records.parquet --out DIR

Input: one row per customer record, standardized by our staging (the same records and the
same cleaning our identity models start from): unique_id, first_name, last_name,
first_name_surname, name_pair, first_initial, last_initial, email (normalized match key),
phone_e164, birth_date, postcode, street.

Configured the way Splink's docs recommend for people data: ForenameSurnameComparison (with
the concatenated column for term frequencies), DateOfBirthComparison, EmailComparison,
Levenshtein on phone, exact postcode with term frequencies, Jaro-Winkler on street; blocking
rules mirroring ours (email, phone, name pair, birth date + initial, postcode + initials);
lambda from deterministic rules, u by random sampling, m by EM on two blocking rules;
predict, then connected components at match probability >= 0.95 (our merge threshold).
Writes DIR/clusters_<threshold>.parquet (unique_id, cluster_id) and DIR/splink.json (phase
seconds and counts). The bench measures the process's time and memory from outside.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import duckdb
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

PRIMARY_THRESHOLD = 0.95
SWEEP = (0.5, 0.8, 0.9, 0.99)


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--input", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--memory-limit", default="4GB")
    p.add_argument("--u-max-pairs", type=float, default=1e7)
    p.add_argument("--sweep", action="store_true", help="also cluster at other thresholds")
    a = p.parse_args()
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    phases: dict[str, float] = {}
    t_all = time.perf_counter()

    t = time.perf_counter()
    con = duckdb.connect(":memory:")
    con.execute(f"set threads = {a.threads}")
    con.execute(f"set memory_limit = '{a.memory_limit}'")
    con.execute(f"create table records as select * from read_parquet('{a.input}')")
    db_api = DuckDBAPI(connection=con)
    records = db_api.register("records", dataset_display_name="records")
    phases["load"] = time.perf_counter() - t

    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=[
            cl.ForenameSurnameComparison(
                "first_name", "last_name",
                forename_surname_concat_col_name="first_name_surname"),
            cl.DateOfBirthComparison("birth_date", input_is_string=False),
            cl.EmailComparison("email"),
            cl.LevenshteinAtThresholds("phone_e164", [1]),
            cl.ExactMatch("postcode").configure(term_frequency_adjustments=True),
            cl.JaroWinklerAtThresholds("street", [0.9, 0.8]),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("email"),
            block_on("phone_e164"),
            block_on("name_pair"),
            block_on("birth_date", "first_initial"),
            block_on("birth_date", "last_initial"),
            block_on("postcode", "first_initial", "last_initial"),
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )
    linker = Linker(records, settings, log_level=None)

    t = time.perf_counter()
    linker.training.estimate_probability_two_random_records_match(
        [block_on("first_name", "last_name", "birth_date")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=a.u_max_pairs, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("first_name", "last_name"))
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("birth_date"))
    phases["train"] = time.perf_counter() - t

    t = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=0.2)
    phases["predict"] = time.perf_counter() - t
    n_pred = con.execute(f"select count(*) from {predictions.physical_name}").fetchall()[0][0]

    t = time.perf_counter()
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=PRIMARY_THRESHOLD)
    con.execute(f"copy (select unique_id, cluster_id from {clusters.physical_name}) "
                f"to '{out / f'clusters_{PRIMARY_THRESHOLD}.parquet'}' (format parquet)")
    phases["cluster"] = time.perf_counter() - t
    phases["total"] = time.perf_counter() - t_all

    if a.sweep:  # untimed: the same predictions clustered at other thresholds
        for thr in SWEEP:
            c = linker.clustering.cluster_pairwise_predictions_at_threshold(
                predictions, threshold_match_probability=thr)
            con.execute(f"copy (select unique_id, cluster_id from {c.physical_name}) "
                        f"to '{out / f'clusters_{thr}.parquet'}' (format parquet)")

    import splink
    (out / "splink.json").write_text(json.dumps({
        "splink_version": splink.__version__, "duckdb_version": duckdb.__version__,
        "phases_s": phases, "predicted_pairs_above_0.2": n_pred,
        "primary_threshold": PRIMARY_THRESHOLD,
        "thresholds": [PRIMARY_THRESHOLD] + (list(SWEEP) if a.sweep else []),
    }, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
