"""Pure parts of the benchmark: stages from selectors.yml, timings from run_results.json,
the results table (CSV + Markdown), the doc region and the target checks. No I/O except the
explicit write_* functions, so all of it is unit-tested (tests/python/test_bench.py).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Mapping
from pathlib import Path

# the stages of a build, in report order; each is a selector in selectors.yml (path method)
STAGES = ("staging", "identity", "segments", "ml", "quality")
# resolution models only (what Splink does): blocking, comparison, scoring, clustering, map
IDENTITY_RESOLUTION_PATHS = ("models/intermediate/identity/",
                             "models/marts/core/customer_identity_map.sql")

COLUMNS = ("customers", "stage", "seconds", "floor_seconds", "ratio", "peak_rss_mb",
           "precision", "recall", "f1", "load_start", "load_end", "note")
DOC_BEGIN = "<!-- bench:results:begin (written by make bench; edit outside this block) -->"
DOC_END = "<!-- bench:results:end -->"

# the targets of issues 3-7 and 11 (docs/benchmarks.md): whole build vs floor, wall time,
# peak memory at 1M, and the daily refresh as a share of the full build
TARGET_RATIO = 1.5
TARGET_SECONDS_1M = 120.0
TARGET_PEAK_MB = 6 * 1024
TARGET_REFRESH_SHARE = 0.10
# the incremental build after `segkit.generate --append-days N` (N = 1: a daily refresh)
REFRESH_STAGE = "refresh: incremental dbt build"


def selector_paths(selectors: Mapping) -> dict[str, list[str]]:
    """{selector name: [path prefixes]} from a parsed selectors.yml (path methods only)."""
    out: dict[str, list[str]] = {}
    for sel in selectors.get("selectors", []):
        definition = sel.get("definition", {})
        parts = definition.get("union", [definition]) if isinstance(definition, dict) else []
        paths = [str(p["value"]).rstrip("/") for p in parts
                 if isinstance(p, dict) and p.get("method") == "path"]
        if paths:
            out[str(sel["name"])] = paths
    return out


def stage_of(path: str, stage_paths: Mapping[str, list[str]]) -> str | None:
    """The stage whose path (a folder or file) contains ``path``; the longest match wins."""
    best, best_len = None, -1
    for stage, prefixes in stage_paths.items():
        for prefix in prefixes:
            if (path == prefix or path.startswith(prefix + "/")) and len(prefix) > best_len:
                best, best_len = stage, len(prefix)
    return best


def node_stage(node: Mapping, stage_paths: Mapping[str, list[str]]) -> str:
    """Stage of a manifest node: models by path; data/unit tests, seeds and others by type."""
    kind = node.get("resource_type")
    if kind in ("test", "unit_test"):
        return "tests"
    if kind == "seed":
        return "seeds"
    if kind == "model":
        return stage_of(str(node.get("original_file_path", "")), stage_paths) or "other"
    return "other"


def is_identity_resolution(node: Mapping) -> bool:
    path = str(node.get("original_file_path", ""))
    return node.get("resource_type") == "model" and any(
        path == p or path.startswith(p) for p in IDENTITY_RESOLUTION_PATHS)


def stage_seconds(run_results: Mapping, manifest: Mapping,
                  stage_paths: Mapping[str, list[str]]) -> dict[str, float]:
    """Summed execution_time per stage from run_results.json (plus 'models' = all models,
    'identity_resolution' = the resolution models). With 2 dbt threads the sums can exceed
    the wall time: they are work, comparable with the single-connection floor."""
    nodes = {**manifest.get("nodes", {}), **manifest.get("unit_tests", {})}
    out: dict[str, float] = {}
    for r in run_results.get("results", []):
        node = nodes.get(r.get("unique_id"), {"resource_type": "other"})
        secs = float(r.get("execution_time") or 0.0)
        stage = node_stage(node, stage_paths)
        out[stage] = out.get(stage, 0.0) + secs
        if node.get("resource_type") == "model":
            out["models"] = out.get("models", 0.0) + secs
        if is_identity_resolution(node):
            out["identity_resolution"] = out.get("identity_resolution", 0.0) + secs
    return out


def run_status_counts(run_results: Mapping) -> dict[str, int]:
    """How many results ended in each status (success, pass, fail, error, warn, skipped)."""
    out: dict[str, int] = {}
    for r in run_results.get("results", []):
        status = str(r.get("status"))
        out[status] = out.get(status, 0) + 1
    return out


def parse_proc_status_rss_kb(status_text: str) -> int:
    """VmRSS in kB from the text of /proc/<pid>/status (0 when absent: a zombie)."""
    for line in status_text.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def parse_proc_stat_ppid(stat_text: str) -> int:
    """Parent pid from /proc/<pid>/stat (the command name may contain spaces and parens)."""
    rest = stat_text[stat_text.rfind(")") + 2:]
    return int(rest.split()[1])


def descendants(root: int, parent_of: Mapping[int, int]) -> set[int]:
    """``root`` and every process below it, from a {pid: ppid} map."""
    children: dict[int, list[int]] = {}
    for pid, ppid in parent_of.items():
        children.setdefault(ppid, []).append(pid)
    seen, todo = {root}, [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in seen:
                seen.add(child)
                todo.append(child)
    return seen


def ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b <= 0 or (isinstance(a, float) and math.isnan(a)):
        return None
    return a / b


def pairwise_scores(predicted_pairs: float, true_pairs: float, true_positive_pairs: float
                    ) -> tuple[float | None, float | None, float | None]:
    """Pairwise precision, recall, F1 from pair counts (as int_quality__dedup)."""
    p = true_positive_pairs / predicted_pairs if predicted_pairs else None
    r = true_positive_pairs / true_pairs if true_pairs else None
    f1 = 2 * p * r / (p + r) if p is not None and r is not None and (p + r) > 0 else None
    return p, r, f1


def cluster_pair_counts(rows: Iterable[tuple[object, object]]) -> tuple[float, float, float]:
    """(predicted pairs, true pairs, true-positive pairs) from (cluster id, person id) per
    record: pairs of records in one cluster, in one person, in both."""
    by_cluster: dict[object, int] = {}
    by_person: dict[object, int] = {}
    by_both: dict[tuple[object, object], int] = {}
    for cluster, person in rows:
        by_cluster[cluster] = by_cluster.get(cluster, 0) + 1
        by_person[person] = by_person.get(person, 0) + 1
        by_both[(cluster, person)] = by_both.get((cluster, person), 0) + 1

    def pairs(counts: dict) -> float:
        return float(sum(n * (n - 1) // 2 for n in counts.values()))

    return pairs(by_cluster), pairs(by_person), pairs(by_both)


def merge_rows(old: list[dict], new: list[dict], by_stage: bool = False) -> list[dict]:
    """Rows of a new run replace the old rows of the same customer counts (other sizes kept),
    or with ``by_stage`` only the old rows of the same (customers, stage), in place (a partial
    run such as --refresh-only); sizes ascending, each size's rows in the order written."""
    if by_stage:
        fresh = {(int(r["customers"]), r["stage"]): r for r in new}
        merged = [fresh.pop((int(r["customers"]), r["stage"]), r) for r in old]
        merged += [r for r in new if (int(r["customers"]), r["stage"]) in fresh]
    else:
        sizes = {int(r["customers"]) for r in new}
        merged = [r for r in old if int(r["customers"]) not in sizes] + new
    order = {id(r): i for i, r in enumerate(merged)}
    return sorted(merged, key=lambda r: (int(r["customers"]), order[id(r)]))


def _cell(value: object, fmt: str) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return value
    if isinstance(value, float) and math.isnan(value):
        return ""
    return format(value, fmt)


def render_markdown(rows: list[dict]) -> str:
    """The results table: one line per (customers, stage)."""
    lines = [
        "| customers | stage | seconds | floor s | ratio | peak RSS MB | precision | recall "
        "| F1 | load 1-min start / end | note |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in rows:
        load = ""
        if r.get("load_start") not in (None, "") or r.get("load_end") not in (None, ""):
            load = f"{_cell(r.get('load_start'), '.1f')} / {_cell(r.get('load_end'), '.1f')}"
        cells = [f"{int(r['customers']):,}", str(r["stage"]),
                 _cell(r.get("seconds"), ".1f"), _cell(r.get("floor_seconds"), ".1f"),
                 _cell(r.get("ratio"), ".2f"), _cell(r.get("peak_rss_mb"), ".0f"),
                 _cell(r.get("precision"), ".4f"), _cell(r.get("recall"), ".4f"),
                 _cell(r.get("f1"), ".4f"), load,
                 str(r.get("note") or "").replace("|", "/").replace("\n", " ")]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def rows_to_csv(rows: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(COLUMNS), lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: ("" if r.get(k) is None else r.get(k)) for k in COLUMNS})
    return buf.getvalue()


def rows_from_csv(text: str) -> list[dict]:
    rows = []
    for r in csv.DictReader(io.StringIO(text)):
        rows.append({k: (v if v != "" else None) for k, v in r.items() if k in COLUMNS})
    return rows


def _num(row: Mapping | None, key: str) -> float | None:
    if row is None or row.get(key) in (None, ""):
        return None
    try:
        return float(row[key])
    except (TypeError, ValueError):
        return None


def target_checks(rows: list[dict], customers: int) -> list[tuple[str, str, str]]:
    """(target, measured, MET / MISSED / not measured) for one size's rows."""
    by_stage = {r["stage"]: r for r in rows if int(r["customers"]) == customers}
    build = by_stage.get("whole dbt build")
    refresh = by_stage.get(REFRESH_STAGE)
    out: list[tuple[str, str, str]] = []

    def verdict(ok: bool | None) -> str:
        return "not measured" if ok is None else ("MET" if ok else "MISSED")

    r = _num(build, "ratio")
    out.append((f"whole dbt build <= {TARGET_RATIO}x the floor",
                "" if r is None else f"{r:.2f}x",
                verdict(None if r is None else r <= TARGET_RATIO)))
    if customers >= 1_000_000:
        s = _num(build, "seconds")
        out.append((f"whole dbt build < {TARGET_SECONDS_1M:.0f} s",
                     "" if s is None else f"{s:.0f} s",
                     verdict(None if s is None else s < TARGET_SECONDS_1M)))
    m = _num(build, "peak_rss_mb")
    out.append((f"peak RSS < {TARGET_PEAK_MB / 1024:.0f} GB",
                "" if m is None else f"{m / 1024:.2f} GB",
                verdict(None if m is None else m < TARGET_PEAK_MB)))
    q = _num(refresh, "ratio")
    out.append((f"daily refresh <= {TARGET_REFRESH_SHARE:.0%} of the full build",
                "" if q is None else f"{q:.0%}",
                verdict(None if q is None else q <= TARGET_REFRESH_SHARE)))
    return out


def render_targets(rows: list[dict]) -> str:
    lines = ["| customers | target | measured | verdict |", "|---:|---|---:|---|"]
    for n in sorted({int(r["customers"]) for r in rows}):
        for target, measured, verdict in target_checks(rows, n):
            lines.append(f"| {n:,} | {target} | {measured} | {verdict} |")
    return "\n".join(lines) + "\n"


def replace_doc_region(doc: str, block: str) -> str:
    """Put ``block`` between the bench markers of ``doc`` (appended when there are none);
    everything outside the markers is kept as written."""
    region = f"{DOC_BEGIN}\n{block.rstrip()}\n{DOC_END}"
    start, end = doc.find(DOC_BEGIN), doc.find(DOC_END)
    if start == -1 or end == -1 or end < start:
        return doc.rstrip() + "\n\n" + region + "\n"
    return doc[:start] + region + doc[end + len(DOC_END):]


def write_results(rows: list[dict], csv_path: Path, md_path: Path, doc_path: Path | None,
                  header: str, by_stage: bool = False) -> list[dict]:
    """Merge ``rows`` into the CSV at ``csv_path`` (merge_rows), write it, the Markdown
    table beside it and the generated block of the doc. Returns the merged rows."""
    old = rows_from_csv(csv_path.read_text()) if csv_path.exists() else []
    merged = merge_rows(old, rows, by_stage=by_stage)
    csv_path.parent.mkdir(parents=True, exist_ok=True)
    csv_path.write_text(rows_to_csv(merged))
    block = (header.rstrip() + "\n\n" + render_markdown(merged) + "\n### Targets\n\n"
             + render_targets(merged))
    md_path.parent.mkdir(parents=True, exist_ok=True)
    md_path.write_text(block)
    if doc_path is not None:
        doc = doc_path.read_text() if doc_path.exists() else "# Benchmarks\n"
        doc_path.write_text(replace_doc_region(doc, block))
    return merged


def slowest_nodes(run_results: Mapping, k: int = 15) -> list[tuple[str, str, float]]:
    """The ``k`` slowest results as (unique_id, status, seconds), slowest first: where the
    time of a build goes (e.g. data tests on staging views that re-read the raw files)."""
    rows = [(str(r.get("unique_id")), str(r.get("status")), float(r.get("execution_time") or 0))
            for r in run_results.get("results", [])]
    return sorted(rows, key=lambda r: (-r[2], r[0]))[:k]


def render_slowest(title: str, run_results: Mapping, k: int = 15) -> str:
    lines = [f"### {title}", "", "| node | status | seconds |", "|---|---|---:|"]
    lines += [f"| {uid} | {status} | {secs:.1f} |"
              for uid, status, secs in slowest_nodes(run_results, k)]
    return "\n".join(lines) + "\n"
