"""Unit tests for the benchmark's pure parts (segkit/bench/results.py). No timed tests."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from segkit.bench.results import (
    COLUMNS,
    DOC_BEGIN,
    DOC_END,
    REFRESH_STAGE,
    cluster_pair_counts,
    descendants,
    merge_rows,
    node_stage,
    pairwise_scores,
    parse_proc_stat_ppid,
    parse_proc_status_rss_kb,
    render_markdown,
    render_slowest,
    replace_doc_region,
    rows_from_csv,
    rows_to_csv,
    run_status_counts,
    selector_paths,
    slowest_nodes,
    stage_of,
    stage_seconds,
    target_checks,
    write_results,
)

ROOT = Path(__file__).resolve().parents[2]

SELECTORS = {"selectors": [
    {"name": "staging", "definition": {"union": [
        {"method": "path", "value": "models/landing"},
        {"method": "path", "value": "models/staging"}]}},
    {"name": "identity", "definition": {"union": [
        {"method": "path", "value": "models/intermediate/identity"},
        {"method": "path", "value": "models/marts/core"}]}},
    {"name": "ml", "definition": {"method": "path", "value": "python_models/ml"}},
    {"name": "tagged", "definition": {"method": "tag", "value": "nightly"}},
]}


def _model(path: str) -> dict:
    return {"resource_type": "model", "original_file_path": path}


MANIFEST = {
    "nodes": {
        "model.p.stg": _model("models/staging/raw/stg_raw__orders.sql"),
        "model.p.base": _model("models/landing/base_raw__orders.sql"),
        "model.p.pairs": _model("models/intermediate/identity/int_customers__candidate_pairs.sql"),
        "model.p.map": _model("models/marts/core/customer_identity_map.sql"),
        "model.p.dim": _model("models/marts/core/dim_customers.sql"),
        "model.p.clusters": _model("python_models/ml/customer_clusters.py"),
        "model.p.rfm": _model("models/marts/segments/customer_rfm.sql"),
        "test.p.unique_x": {"resource_type": "test", "original_file_path": "models/x.yml"},
        "seed.p.countries": {"resource_type": "seed", "original_file_path": "seeds/c.csv"},
    },
    "unit_tests": {"unit_test.p.stg.case": {"resource_type": "unit_test"}},
}

RUN_RESULTS = {"results": [
    {"unique_id": "model.p.stg", "status": "success", "execution_time": 1.5},
    {"unique_id": "model.p.base", "status": "success", "execution_time": 2.5},
    {"unique_id": "model.p.pairs", "status": "success", "execution_time": 10.0},
    {"unique_id": "model.p.map", "status": "success", "execution_time": 3.0},
    {"unique_id": "model.p.dim", "status": "success", "execution_time": 4.0},
    {"unique_id": "model.p.clusters", "status": "success", "execution_time": 7.0},
    {"unique_id": "model.p.rfm", "status": "success", "execution_time": 0.5},
    {"unique_id": "test.p.unique_x", "status": "fail", "execution_time": 0.25},
    {"unique_id": "unit_test.p.stg.case", "status": "pass", "execution_time": 0.75},
    {"unique_id": "seed.p.countries", "status": "success", "execution_time": None},
    {"unique_id": "operation.p.unknown", "status": "success", "execution_time": 0.1},
]}


def test_selector_paths_keeps_path_methods_only():
    paths = selector_paths(SELECTORS)
    assert paths == {"staging": ["models/landing", "models/staging"],
                     "identity": ["models/intermediate/identity", "models/marts/core"],
                     "ml": ["python_models/ml"]}


def test_stage_of_matches_whole_folder_names_and_longest_prefix():
    paths = {"a": ["models/marts"], "b": ["models/marts/core"]}
    assert stage_of("models/marts/core/dim.sql", paths) == "b"
    assert stage_of("models/marts/segments/x.sql", paths) == "a"
    # a folder name that only starts like the prefix is not inside it
    assert stage_of("models/marts_old/x.sql", paths) is None


def test_node_stage_by_type_and_path():
    paths = selector_paths(SELECTORS)
    assert node_stage(MANIFEST["nodes"]["test.p.unique_x"], paths) == "tests"
    assert node_stage(MANIFEST["nodes"]["seed.p.countries"], paths) == "seeds"
    assert node_stage(MANIFEST["nodes"]["model.p.clusters"], paths) == "ml"
    assert node_stage(MANIFEST["nodes"]["model.p.rfm"], paths) == "other"


def test_stage_seconds_sums_execution_time_per_stage():
    got = stage_seconds(RUN_RESULTS, MANIFEST, selector_paths(SELECTORS))
    assert got["staging"] == pytest.approx(4.0)
    assert got["identity"] == pytest.approx(17.0)
    assert got["ml"] == pytest.approx(7.0)
    assert got["other"] == pytest.approx(0.6)  # rfm (no selector here) + unknown operation
    assert got["tests"] == pytest.approx(1.0)  # data test + unit test
    assert got["seeds"] == 0.0  # null execution_time counts as 0
    assert got["models"] == pytest.approx(28.5)
    # resolution only: candidate pairs + identity map, not the golden record (dim_customers)
    assert got["identity_resolution"] == pytest.approx(13.0)


def test_run_status_counts():
    assert run_status_counts(RUN_RESULTS) == {"success": 9, "fail": 1, "pass": 1}


def test_stage_seconds_on_real_selectors_covers_every_model_folder():
    paths = selector_paths(yaml.safe_load((ROOT / "selectors.yml").read_text()))
    for folder in ("models/landing", "models/staging", "models/intermediate/identity",
                   "models/marts/segments", "python_models/ml"):
        for f in (ROOT / folder).rglob("*"):
            if f.suffix in (".sql", ".py"):
                assert stage_of(str(f.relative_to(ROOT)), paths) is not None, f


def test_proc_parsers():
    status = "Name:\tdbt\nVmPeak:\t 900 kB\nVmRSS:\t  123456 kB\nThreads:\t4\n"
    assert parse_proc_status_rss_kb(status) == 123456
    assert parse_proc_status_rss_kb("Name:\tzombie\nState:\tZ\n") == 0
    # the command name may hold spaces and parentheses
    assert parse_proc_stat_ppid("4242 (python (dbt) x) S 4200 4242 4242 0 -1") == 4200


def test_descendants_walks_the_whole_tree_only():
    parent_of = {1: 0, 10: 1, 11: 10, 12: 10, 13: 12, 20: 1, 21: 20}
    assert descendants(10, parent_of) == {10, 11, 12, 13}
    assert descendants(13, parent_of) == {13}


def test_pairwise_scores_and_cluster_pair_counts():
    # records: persons A (3 records), B (2); clustering merges A's first two and B's pair,
    # and wrongly puts A's third record with B
    rows = [("c1", "A"), ("c1", "A"), ("c2", "A"), ("c2", "B"), ("c2", "B")]
    predicted, true, tp = cluster_pair_counts(rows)
    assert (predicted, true, tp) == (4.0, 4.0, 2.0)
    p, r, f1 = pairwise_scores(predicted, true, tp)
    assert (p, r, f1) == (0.5, 0.5, 0.5)
    assert pairwise_scores(0, 4, 0) == (None, 0.0, None)


def test_merge_rows_replaces_only_the_sizes_of_the_new_run():
    old = [dict(customers="1000", stage="whole dbt build", seconds="9"),
           dict(customers="2000", stage="whole dbt build", seconds="20"),
           dict(customers="2000", stage="stage ml", seconds="5")]
    new = [dict(customers=2000, stage="whole dbt build", seconds=30.0)]
    merged = merge_rows(old, new)
    assert [(int(r["customers"]), r["stage"]) for r in merged] == [
        (1000, "whole dbt build"), (2000, "whole dbt build")]
    assert merged[1]["seconds"] == 30.0


def test_csv_round_trip_and_markdown_cells():
    rows = [dict(customers=1_000_000, stage="whole dbt build", seconds=301.26, floor_seconds=200,
                 ratio=1.5063, peak_rss_mb=5120.4, load_start=2.5, load_end=7.25,
                 note="a|b"),
            dict(customers=100_000, stage="identity resolution: Splink", f1=0.97123,
                 note="failed")]
    back = rows_from_csv(rows_to_csv(rows))
    assert list(back[0].keys()) == list(COLUMNS)
    assert back[0]["seconds"] == "301.26" and back[1]["seconds"] is None
    md = render_markdown(back)
    assert "| 1,000,000 | whole dbt build | 301.3 | 200.0 | 1.51 | 5120 |" in md
    assert "| 2.5 / 7.2 | a/b |" in md  # load start / end; a pipe in a note is escaped
    assert "| 0.9712 |" in md


def _size_rows(n, build_s, floor_s, peak_mb, refresh_ratio=None):
    rows = [dict(customers=n, stage="whole dbt build", seconds=build_s,
                 floor_seconds=floor_s, ratio=build_s / floor_s, peak_rss_mb=peak_mb)]
    if refresh_ratio is not None:
        rows.append(dict(customers=n, stage=REFRESH_STAGE,
                         ratio=refresh_ratio))
    return rows


def test_target_checks_verdicts():
    rows = _size_rows(1_000_000, 300.0, 100.0, 5000.0, refresh_ratio=0.08)
    checks = {t: (m, v) for t, m, v in target_checks(rows, 1_000_000)}
    assert checks["whole dbt build <= 1.5x the floor"] == ("3.00x", "MISSED")
    assert checks["whole dbt build < 120 s"] == ("300 s", "MISSED")
    assert checks["peak RSS < 6 GB"] == ("4.88 GB", "MET")
    assert checks["daily refresh <= 10% of the full build"] == ("8%", "MET")
    small = {t: v for t, _, v in target_checks(_size_rows(2000, 10.0, 8.0, 900.0), 2000)}
    assert small["whole dbt build <= 1.5x the floor"] == "MET"
    assert "whole dbt build < 120 s" not in small  # the wall-time target is for 1M
    assert small["daily refresh <= 10% of the full build"] == "not measured"


def test_replace_doc_region_keeps_hand_written_text():
    doc = ("# Benchmarks\n\nintro\n\n" + DOC_BEGIN + "\nold table\n" + DOC_END
           + "\n\n## Notes\nkeep\n")
    out = replace_doc_region(doc, "new table")
    assert "old table" not in out and "new table" in out
    assert out.startswith("# Benchmarks\n\nintro\n") and out.endswith("## Notes\nkeep\n")
    # no markers yet: the block is appended
    appended = replace_doc_region("# B\n", "t")
    assert appended == f"# B\n\n{DOC_BEGIN}\nt\n{DOC_END}\n"


def test_write_results_merges_with_earlier_sizes(tmp_path):
    csv_path, md, doc = tmp_path / "r.csv", tmp_path / "r.md", tmp_path / "bench.md"
    doc.write_text("# Benchmarks\n\nhand-written\n")
    write_results(_size_rows(100_000, 50.0, 40.0, 1000.0), csv_path, md, doc, "## Measured")
    merged = write_results(_size_rows(1_000_000, 300.0, 100.0, 5000.0), csv_path, md, doc,
                           "## Measured")
    assert [int(r["customers"]) for r in merged] == [100_000, 1_000_000]
    text = doc.read_text()
    assert "hand-written" in text and text.count(DOC_BEGIN) == 1
    assert "| 100,000 | whole dbt build | 50.0 | 40.0 | 1.25 |" in text
    assert "| 1,000,000 | whole dbt build < 120 s | 300 s | MISSED |" in text
    assert md.read_text() in text


def test_merge_rows_by_stage_replaces_in_place_and_appends_new_stages():
    old = [dict(customers="1000000", stage="whole dbt build", seconds="300"),
           dict(customers="1000000", stage=REFRESH_STAGE,
                note="not measured"),
           dict(customers="100000", stage="whole dbt build", seconds="40")]
    new = [dict(customers=1_000_000, stage=REFRESH_STAGE, ratio=0.2),
           dict(customers=1_000_000, stage="refresh: generate --append-days 1", seconds=3.0)]
    merged = merge_rows(old, new, by_stage=True)
    assert [(int(r["customers"]), r["stage"]) for r in merged] == [
        (100_000, "whole dbt build"), (1_000_000, "whole dbt build"),
        (1_000_000, REFRESH_STAGE),
        (1_000_000, "refresh: generate --append-days 1")]
    assert merged[1]["seconds"] == "300" and merged[2]["ratio"] == 0.2


def test_slowest_nodes_orders_by_time_and_renders():
    top = slowest_nodes(RUN_RESULTS, k=2)
    assert top == [("model.p.pairs", "success", 10.0), ("model.p.clusters", "success", 7.0)]
    md = render_slowest("1,000,000: full build", RUN_RESULTS, k=1)
    assert "| model.p.pairs | success | 10.0 |" in md and "model.p.clusters" not in md


def test_refresh_appends_at_the_same_path_and_restores_the_pristine_data(tmp_path, monkeypatch):
    """The refresh must read the raw data at the path of the full build (source_row_id holds
    the path) and leave the generated data as it was for a later run."""
    from segkit.bench import run as bench_run

    workdir, raw = tmp_path / "100", tmp_path / "100" / "raw"
    (raw / "orders").mkdir(parents=True)
    (raw / "orders" / "part-0.parquet").write_bytes(b"day0")
    seen = {}

    def fake_in_place(n, args, wd, raw_arg, env, counts, full_s, add):
        seen["raw"] = raw_arg
        assert (raw_arg / "orders" / "part-0.parquet").read_bytes() == b"day0"
        (raw_arg / "orders" / "part-1.parquet").write_bytes(b"day1")  # the append
        raise RuntimeError("dbt failed")  # the pristine data must come back anyway

    monkeypatch.setattr(bench_run, "generator_supports_append", lambda: True)
    monkeypatch.setattr(bench_run, "_refresh_in_place", fake_in_place)
    with pytest.raises(RuntimeError):
        bench_run.refresh(100, None, workdir, raw, {}, {}, 1.0, lambda row: None)
    assert seen["raw"] == raw
    assert sorted(p.name for p in (raw / "orders").iterdir()) == ["part-0.parquet"]
    assert not (workdir / "raw_pristine").exists()


def test_selection_note_says_whether_the_refresh_chose_again():
    from segkit.bench.run import selection_note

    kept = ("02:17:33  START python incremental model marts.model_metrics\n"
            "model_metrics: no evaluation (stored selection of 2024-06-30 is 3 days old "
            "(< 7): kept)\n"
            "cluster_model_selection: no k sweep (stored selection of 2024-06-30 is 3 days old "
            "(< 7): kept)\n")
    assert selection_note(kept) == (
        "model selection: cluster_model_selection kept (stored selection of 2024-06-30 is 3 "
        "days old (< 7): kept); model_metrics kept (stored selection of 2024-06-30 is 3 days "
        "old (< 7): kept)")
    rerun = "model_metrics: evaluation (stored selection is 7 days old (>= 7))\n"
    assert selection_note(rerun) == ("model selection: model_metrics re-run (stored selection "
                                     "is 7 days old (>= 7))")
    assert selection_note("Done. PASS=3") == ""
