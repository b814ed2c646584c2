"""dbt docs are complete and useful: `dbt docs generate` on the demo build, then every model
and every column of every model (as the warehouse catalog has them, so new models and columns
count the moment they exist) must be described; the docs blocks for the rule language, the
RFM map and the metrics exist and are used; the exposures declare the BI wide table, the
report and their lineage.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.python.conftest import run_dbt

PROJECT = "customer_segments"
DOC_BLOCKS = {
    "segment_rule_language": "conditions :=",
    "rfm_segment_map": "Can't Lose Them",
    "quality_metrics_catalog": "age_mae_knn",
}
EXPOSURES = {
    "bi_customer_segments": {"customer_segments", "segment_profiles"},
    "segment_report": {"customer_segments", "quality_metrics", "customer_clusters",
                       "cluster_rule_overlap", "model_metrics", "customer_rfm",
                       "segment_transitions"},
    "audience_exports": {"audience_email", "audience_ads", "export_manifest",
                         "customer_next_best_action"},
}


def undescribed(manifest: dict, catalog: dict) -> list[str]:
    """'model' or 'model.column' for every project model without a description and every
    column (warehouse catalog, plus YAML) without one. Models missing from the catalog (not
    built) are checked on their YAML columns only."""
    problems = []
    for uid, node in sorted(manifest["nodes"].items()):
        if node["resource_type"] != "model" or node["package_name"] != PROJECT:
            continue
        name = node["name"]
        if not node.get("description", "").strip():
            problems.append(name)
        described = {c.lower(): bool((meta.get("description") or "").strip())
                     for c, meta in node.get("columns", {}).items()}
        in_warehouse = {c.lower() for c in catalog["nodes"].get(uid, {}).get("columns", {})}
        for col in sorted(in_warehouse | set(described)):
            if not described.get(col, False):
                problems.append(f"{name}.{col}")
    return problems


def stale_columns(manifest: dict, catalog: dict) -> list[str]:
    """'model.column' documented in YAML but absent from the built relation."""
    out = []
    for uid, node in sorted(manifest["nodes"].items()):
        if node["resource_type"] != "model" or node["package_name"] != PROJECT:
            continue
        built = catalog["nodes"].get(uid)
        if built is None:
            continue
        have = {c.lower() for c in built["columns"]}
        out += [f"{node['name']}.{c}" for c in node.get("columns", {}) if c.lower() not in have]
    return out


@pytest.fixture(scope="module")
def docs(demo_build, tmp_path_factory):
    target = tmp_path_factory.mktemp("docs_target")
    proc = run_dbt(["docs", "generate"], demo_build.warehouse, demo_build.raw_dir,
                   target_path=target)
    assert "Catalog written" in proc.stdout
    manifest = json.loads((target / "manifest.json").read_text())
    catalog = json.loads((target / "catalog.json").read_text())
    return manifest, catalog, target


def test_the_checker_finds_gaps():
    """undescribed() reports a model without a description, a YAML column without one and a
    warehouse column missing from YAML; described ones pass."""
    manifest = {"nodes": {
        "model.customer_segments.a": {
            "resource_type": "model", "package_name": PROJECT, "name": "a", "description": "",
            "columns": {"x": {"description": "an x"}, "y": {"description": " "}}},
        "model.customer_segments.b": {
            "resource_type": "model", "package_name": PROJECT, "name": "b",
            "description": "b", "columns": {"k": {"description": "key"}}},
        "model.other.c": {"resource_type": "model", "package_name": "other", "name": "c",
                          "description": "", "columns": {}},
        "test.customer_segments.t": {"resource_type": "test", "package_name": PROJECT,
                                     "name": "t", "description": "", "columns": {}},
    }}
    catalog = {"nodes": {
        "model.customer_segments.a": {"columns": {"X": {}, "Y": {}, "Z": {}}},
        "model.customer_segments.b": {"columns": {"K": {}}},
    }}
    assert undescribed(manifest, catalog) == ["a", "a.y", "a.z"]
    assert stale_columns(manifest, catalog) == []
    catalog["nodes"]["model.customer_segments.b"]["columns"] = {}
    assert stale_columns(manifest, catalog) == ["b.k"]


@pytest.mark.dbt
def test_every_model_and_column_is_described(docs):
    manifest, catalog, target = docs
    models = [n for n in manifest["nodes"].values()
              if n["resource_type"] == "model" and n["package_name"] == PROJECT]
    built = [n for n in models if n["unique_id"] in catalog["nodes"]]
    assert len(models) >= 60 and len(built) >= 0.9 * len(models), (len(models), len(built))
    problems = undescribed(manifest, catalog)
    assert not problems, (f"{len(problems)} undescribed models / columns (describe them in the "
                          f"model's YAML): {problems[:40]}")


@pytest.mark.dbt
def test_no_documented_column_is_missing_from_the_warehouse(docs):
    manifest, catalog, _ = docs
    stale = stale_columns(manifest, catalog)
    assert not stale, f"YAML documents columns the models do not have: {stale[:40]}"


@pytest.mark.dbt
def test_docs_blocks_exist_and_are_used(docs):
    manifest, _, target = docs
    for block, marker in DOC_BLOCKS.items():
        key = f"doc.{PROJECT}.{block}"
        assert key in manifest["docs"], f"docs block {block} missing"
        assert marker in manifest["docs"][key]["block_contents"], block
        used = [e["name"] for e in manifest["exposures"].values() if marker in e["description"]]
        used += [n["name"] for n in manifest["nodes"].values()
                 if marker in (n.get("description") or "")]
        assert used, f"docs block {block} is not rendered into any description"
    assert "Input contract" in manifest["docs"][f"doc.{PROJECT}.__overview__"]["block_contents"]
    assert (Path(target) / "index.html").exists()


@pytest.mark.dbt
def test_exposures_declare_their_lineage(docs):
    manifest, _, _ = docs
    exposures = {e["name"]: e for e in manifest["exposures"].values()}
    for name, needs in EXPOSURES.items():
        assert name in exposures, f"exposure {name} missing"
        exp = exposures[name]
        assert exp["description"].strip() and exp["owner"].get("name")
        depends = {uid.rsplit(".", 1)[-1] for uid in exp["depends_on"]["nodes"]}
        assert needs <= depends, (name, needs - depends)
        for uid in exp["depends_on"]["nodes"]:
            assert uid in manifest["nodes"], f"{name} depends on an unknown node {uid}"
    report = exposures["segment_report"]
    # every mart the report's queries read is declared (segkit/report/data.py)
    source = (Path(__file__).resolve().parents[2] / "segkit" / "report" / "data.py").read_text()
    declared = {uid.rsplit(".", 1)[-1] for uid in report["depends_on"]["nodes"]}
    read = {n["name"] for n in manifest["nodes"].values()
            if n["resource_type"] == "model" and f"marts.{n['name']}" in source}
    assert read <= declared, f"the report reads marts not in its exposure: {read - declared}"
