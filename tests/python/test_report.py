"""The segment report: rendered from the demo build, self-contained, every chart with data,
deterministic, tolerant of partial builds, and drawn by a real headless browser.

The browser check uses Debian's chromium; when it is missing the test installs it with
apt-get (240 s limit) and skips with a clear message only when that is not possible.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
from pathlib import Path

import duckdb
import pytest
from plotly.offline import get_plotlyjs

from segkit.report import __main__ as cli
from segkit.report import build_report
from segkit.report.sections import MISSING
from tests.python.apt_install import apt_install

pytestmark = pytest.mark.dbt

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
SECTION_TITLES = ["Data quality", "Segments", "Clusters", "Outliers", "Churn and customer value",
                  "Segments over time"]
# blocks that need more than one build (the demo build is one run)
HISTORY_BLOCKS = {"segment_transitions"}
BROWSER_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
NEW_PLOT = re.compile(r'Plotly\.newPlot\(\s*"(chart-[\w-]+)",\s*')


@pytest.fixture(scope="module")
def report(demo_build, tmp_path_factory):
    """The report of the demo build: (html path, sections, seconds to render)."""
    out = tmp_path_factory.mktemp("report") / "segments.html"
    start = time.perf_counter()
    sections = build_report(demo_build.warehouse, out, progress=False)
    return out, sections, time.perf_counter() - start


def _blocks(sections):
    return [b for s in sections for b in s.blocks]


def _embedded_figures(page: str) -> dict[str, list[dict]]:
    """chart div id -> the trace list passed to Plotly.newPlot in the page."""
    decoder = json.JSONDecoder()
    out = {}
    for m in NEW_PLOT.finditer(page):
        traces, _ = decoder.raw_decode(page, m.end())
        out[m.group(1)] = traces
    return out


def _without_plotlyjs(page: str) -> str:
    """The page minus the inlined plotly.js library (whose source mentions URLs and words)."""
    library = get_plotlyjs()
    assert library in page
    return page.replace(library, "")


def _non_empty(values) -> bool:
    if isinstance(values, dict):  # plotly's typed-array encoding {"dtype": ..., "bdata": ...}
        return bool(values.get("bdata"))
    return values is not None and len(values) > 0


def test_report_is_self_contained_with_every_section(report):
    path, sections, seconds = report
    page = path.read_text(encoding="utf-8")
    assert seconds < 30, f"rendering took {seconds:.1f} s"
    assert '<script src="http' not in page
    own = _without_plotlyjs(page)
    assert not re.search(r"<(script|link|img|iframe)[^>]*\b(src|href)=", own), "external resource"
    assert own.count("Plotly.newPlot(") == sum(b.figure is not None for b in _blocks(sections))
    assert "* plotly.js v" in page  # the library itself is inlined, once
    assert page.count("* plotly.js v") == 1
    for title in SECTION_TITLES:
        assert f"<h2>{title}</h2>" in page, title
    for block in _blocks(sections):
        assert block.title in page.replace("&#x27;", "'"), block.title
        assert block.explanation, f"{block.key} has no explanation"


def test_every_chart_has_data(report):
    path, sections, _ = report
    missing = [(b.key, b.missing) for b in _blocks(sections)
               if b.missing and b.key not in HISTORY_BLOCKS]
    assert not missing, f"blocks without data on the full demo build: {missing}"
    figures = {f"chart-{k}": fig for s in sections for k, fig in s.figures.items()}
    assert len(figures) >= 12
    embedded = _embedded_figures(path.read_text(encoding="utf-8"))
    assert set(embedded) == set(figures)
    for div_id, traces in embedded.items():
        assert traces, f"{div_id} has no traces"
        for trace in traces:
            arrays = {k: trace[k] for k in ("x", "y", "z") if k in trace}
            assert arrays, f"{div_id}: a {trace.get('type')} trace without data arrays"
            for key, values in arrays.items():
                assert _non_empty(values), f"{div_id}: empty {key} in a {trace.get('type')} trace"
    for div_id, fig in figures.items():
        assert all(len(t.x if t.x is not None else t.z) > 0 for t in fig.data), div_id


def test_numbers_come_from_the_warehouse(report, demo_build):
    path, sections, _ = report
    page = path.read_text(encoding="utf-8")
    (customers,) = demo_build.query("select count(*) from marts.dim_customers")[0]
    assert f"{customers:,} customers" in page
    blocks = {b.key: b for b in _blocks(sections)}
    bands = dict(demo_build.query(
        "select churn_risk_band, count(*) from marts.customer_churn_scores group by 1"))
    fig = blocks["risk_bands"].figure
    assert dict(zip(fig.data[0].x, fig.data[0].y, strict=True)) == bands
    chosen = demo_build.query("select k from marts.cluster_model_selection where is_chosen")
    star = blocks["k_selection"].figure.data[1]
    assert list(star.x) == [k for (k,) in chosen]
    (n_map,) = demo_build.query("select least(count(*), 5000) from marts.customer_clusters")[0]
    assert sum(len(t.x) for t in blocks["cluster_map"].figure.data) == n_map


def _transition_rows(demo_build) -> int:
    """Moves between two runs (the first run's rows are entries from '(new)' only)."""
    try:
        return demo_build.query("select count(*) from marts.segment_transitions "
                                "where previous_period_date is not null")[0][0]
    except duckdb.CatalogException:
        return 0


def test_one_run_says_when_history_starts(report, demo_build):
    """The demo build is one run: no transitions yet, and the page says when they appear."""
    path, sections, _ = report
    block = {b.key: b for b in _blocks(sections)}["segment_transitions"]
    if _transition_rows(demo_build):
        assert block.figure is not None
    else:
        assert block.figure is None
        assert "history starts after the second run" in block.missing
        assert "history starts after the second run" in path.read_text(encoding="utf-8")


def test_transitions_matrix_from_the_history_table(tmp_path):
    """With a segment_transitions table (two families, two periods) the matrix shows the RFM
    family's latest period with the warehouse's counts, as colour = share of the row."""
    wh = tmp_path / "history.duckdb"
    con = duckdb.connect(str(wh))
    try:
        con.execute("create schema marts")
        con.execute("""
            create table marts.segment_transitions as select * from (values
                ('rfm', date '2024-01-01', null, '(new)', 'Champions', 50),
                ('rfm', date '2024-01-08', date '2024-01-01', 'Champions', 'Champions', 30),
                ('rfm', date '2024-01-08', date '2024-01-01', 'Champions', 'At Risk', 10),
                ('rfm', date '2024-01-08', date '2024-01-01', 'At Risk', 'Lost', 5),
                ('rfm', date '2024-01-08', date '2024-01-01', '(new)', 'At Risk', 3),
                ('rfm', date '2024-01-08', date '2024-01-01', 'Lost', '(exited)', 2),
                ('cluster', date '2024-01-08', date '2024-01-01', 'A', 'B', 7)
            ) as t(segment_family, period_date, previous_period_date, from_segment, to_segment,
                   customer_count)
        """)
    finally:
        con.close()
    sections = build_report(wh, tmp_path / "history.html", progress=False)
    block = {b.key: b for b in _blocks(sections)}["segment_transitions"]
    assert block.figure is not None, block.missing
    heat = block.figure.data[0]
    cells = {(y, x): t for y, row in zip(heat.y, heat.text, strict=True)
             for x, t in zip(heat.x, row, strict=True) if t}
    assert cells == {("Champions", "Champions"): "30", ("Champions", "At Risk"): "10",
                     ("At Risk", "Lost"): "5", ("(new)", "At Risk"): "3",
                     ("Lost", "(exited)"): "2"}
    # same order on both axes (the diagonal is "stayed"); entries last row, exits last column
    assert list(heat.y) == ["At Risk", "Champions", "Lost", "(new)"]
    assert list(heat.x) == ["At Risk", "Champions", "Lost", "(exited)"]
    z = dict(zip(heat.x, heat.z[list(heat.y).index("Champions")], strict=True))
    assert z["Champions"] == 0.75 and z["At Risk"] == 0.25
    assert "2024-01-08" in block.explanation and "rfm" in block.explanation

    # the first run alone: every row is an entry, nothing moved yet
    con = duckdb.connect(str(wh))
    try:
        con.execute("delete from marts.segment_transitions where previous_period_date is not null")
    finally:
        con.close()
    sections = build_report(wh, tmp_path / "first.html", progress=False)
    block = {b.key: b for b in _blocks(sections)}["segment_transitions"]
    assert block.figure is None and "history starts after the second run" in block.missing


def test_cluster_cards_show_the_top_overlapping_rules(report, demo_build):
    path, sections, _ = report
    card_html = {b.key: b for b in _blocks(sections)}["cluster_cards"].html
    assert card_html.count("Top rules it overlaps") == demo_build.query(
        "select count(distinct cluster_name) from marts.customer_clusters")[0][0]
    top = demo_build.query(
        "select cluster_name, rule_name, share_of_cluster from marts.cluster_rule_overlap "
        "where overlap_rank = 1 order by cluster_name")
    assert top, "no cluster overlaps any rule segment on the demo build"
    for _, rule, share in top:
        assert f"<b>{rule}</b>: {share:.0%} of the cluster" in card_html.replace("&#x27;", "'")


def test_no_names_or_emails_in_the_page(report, demo_build):
    page = _without_plotlyjs(report[0].read_text(encoding="utf-8")).lower()
    rows = demo_build.query(
        "select email, first_name || ' ' || last_name, phone_e164, customer_key "
        "from marts.dim_customers order by customer_key limit 500")
    leaked = [v for row in rows for v in row if v and len(v) >= 6 and v.lower() in page]
    assert not leaked, f"personal data or raw keys in the report: {leaked[:5]}"
    pseudo = demo_build.query(
        "select s.customer_pseudo_id from marts.customer_segments as s "
        "inner join marts.customer_clusters as c using (customer_key) "
        "order by c.distance_to_centroid limit 1")
    assert pseudo and pseudo[0][0].lower() in page  # examples are pseudonymous ids


def test_report_is_deterministic(report, demo_build, tmp_path):
    again = tmp_path / "again.html"
    build_report(demo_build.warehouse, again, progress=False)
    assert again.read_bytes() == report[0].read_bytes()


def test_partial_build_shows_not_available(demo_build, tmp_path):
    """A few marts, an empty one and NULL ML outputs: the page renders, the rest says so."""
    partial = tmp_path / "partial.duckdb"
    con = duckdb.connect(str(partial))
    try:
        con.execute(f"attach '{demo_build.warehouse}' as src (read_only)")
        con.execute("create schema marts")
        for table in ("ingest_accounting", "customer_rfm"):
            con.execute(f"create table marts.{table} as select * from src.marts.{table}")
        con.execute("create table marts.customer_clv as select * from src.marts.customer_clv "
                    "limit 0")
        # ML models degrade to NULLs on tiny inputs: the page must still render
        con.execute("create table marts.cluster_model_selection as select * replace "
                    "(null::double as silhouette) from src.marts.cluster_model_selection")
        con.execute("create table marts.model_metrics as select * replace "
                    "(null::double as value) from src.marts.model_metrics")
        con.execute("create table marts.quality_metrics as select * replace "
                    "(null::double as value, null::boolean as is_passed) "
                    "from src.marts.quality_metrics")
        con.execute("detach src")
    finally:
        con.close()
    sections = build_report(partial, tmp_path / "partial.html", progress=False)
    blocks = {b.key: b for b in _blocks(sections)}
    assert blocks["ingest_accounting"].figure is not None
    assert blocks["rfm_heatmap"].figure is not None
    assert blocks["rfm_segments"].figure is not None  # falls back to customer_rfm
    assert "no rows" in blocks["clv_distribution"].missing
    assert blocks["cluster_map"].missing and blocks["risk_bands"].missing
    assert blocks["k_selection"].figure is not None
    assert "no rows" in blocks["churn_model_metrics"].missing  # every value NULL
    assert "no rows" in blocks["churn_calibration"].missing
    assert "not measured" in blocks["quality_metrics"].html
    page = (tmp_path / "partial.html").read_text(encoding="utf-8")
    assert page.count(MISSING) == sum(b.missing is not None for b in blocks.values()) >= 10

    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    sections = build_report(empty, tmp_path / "empty.html", progress=False)
    assert all(b.missing for b in _blocks(sections))


def test_cli_progress_and_errors(demo_build, tmp_path, capsys):
    out = tmp_path / "cli.html"
    assert cli.main(["--warehouse", str(demo_build.warehouse), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    for title in SECTION_TITLES:
        assert f"report: {title}:" in captured.err
    assert captured.out.strip() == str(out) and out.exists()

    assert cli.main(["--warehouse", str(tmp_path / "nope.duckdb"), "--out", str(out)]) == 1
    err = [line for line in capsys.readouterr().err.splitlines() if line.startswith("error:")]
    assert len(err) == 1 and "nope.duckdb does not exist" in err[0]


def test_default_reads_the_published_copy(tmp_path, monkeypatch):
    monkeypatch.setenv("SEGMENTS_WAREHOUSE", str(tmp_path / "segments.duckdb"))
    assert cli.default_warehouse() == (tmp_path / "segments.duckdb", "working warehouse")
    published = tmp_path / "published" / "current" / "segments.duckdb"
    published.parent.mkdir(parents=True)
    published.touch()
    assert cli.default_warehouse() == (published, "published copy")


# ---- real browser ---------------------------------------------------------------------------

@pytest.fixture(scope="session")
def chromium() -> Path:
    if not CHROMIUM.exists():
        if shutil.which("apt-get") is None:
            pytest.skip("chromium is not installed at /usr/bin/chromium and apt-get is not "
                        "available to install it: browser check skipped")
        why = apt_install("chromium")
        if not CHROMIUM.exists():
            pytest.skip(f"chromium is not installed at /usr/bin/chromium and `apt-get install "
                        f"chromium` failed ({why or 'no binary afterwards'}): browser check "
                        "skipped")
    return CHROMIUM


def _browser(chromium: Path, profile: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(chromium), *BROWSER_FLAGS, f"--user-data-dir={profile}",
         "--virtual-time-budget=10000", *args],
        capture_output=True, text=True, timeout=120,
    )


def test_report_renders_in_headless_chromium(report, chromium, tmp_path):
    path, sections, _ = report
    url = path.resolve().as_uri()
    shot = tmp_path / "report.png"
    proc = _browser(chromium, tmp_path / "profile", f"--screenshot={shot}",
                    "--window-size=1400,4000", url)
    assert shot.exists(), f"no screenshot (exit {proc.returncode}): {proc.stderr[-2000:]}"
    assert shot.stat().st_size > 50_000, f"screenshot is only {shot.stat().st_size} bytes"
    artifact = ROOT / "reports" / "report-screenshot.png"
    artifact.parent.mkdir(exist_ok=True)
    shutil.copyfile(shot, artifact)

    proc = _browser(chromium, tmp_path / "profile", "--dump-dom", url)
    dom = proc.stdout
    assert "</html>" in dom, f"no DOM dump (exit {proc.returncode}): {proc.stderr[-2000:]}"
    status = re.search(r'<pre id="report-errors"([^>]*)>(.*?)</pre>', dom, re.S)
    assert status, "the page's error hook did not run"
    attrs = dict(re.findall(r'data-([\w-]+)="([^"]*)"', status.group(1)))
    assert attrs.get("errors") == "0", f"JavaScript errors in the page: {status.group(2)!r}"
    chart_ids = [f"chart-{k}" for s in sections for k in s.figures]
    assert int(attrs["charts"]) == len(chart_ids)
    for div_id in chart_ids:
        start = dom.index(f'id="{div_id}"')
        nxt = dom.find('class="block"', start)
        assert "main-svg" in dom[start:nxt if nxt > 0 else None], f"{div_id} was not drawn"


def test_the_published_copy_feeds_every_block(demo_build, tmp_path):
    """`make run` writes the report from the published copy, which holds no restricted (PII)
    mart: every block still has data (quarantine reasons from quarantine_summary, the customer
    count from customer_segments)."""
    from segkit.publish import publish

    published = tmp_path / "published"
    publish(demo_build.warehouse, published, {"invocation_id": "test", "statuses": {}},
            manifest_path=demo_build.warehouse.parent / "target" / "manifest.json")
    copy = published / "current" / "segments.duckdb"
    con = duckdb.connect(str(copy), read_only=True)
    try:
        tables = {t for (t,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'"
        ).fetchall()}
    finally:
        con.close()
    assert "quarantine" not in tables and "dim_customers" not in tables
    assert "quarantine_summary" in tables
    sections = build_report(copy, tmp_path / "from_published.html", progress=False)
    missing = [(b.key, b.missing) for b in _blocks(sections)
               if b.missing and b.key not in HISTORY_BLOCKS]
    assert not missing, f"blocks without data on the published copy: {missing}"
    from segkit.report.data import build_info

    con = duckdb.connect(str(copy), read_only=True)
    try:
        assert build_info(con)["customers"] == demo_build.query(
            "select count(*) from marts.customer_segments")[0][0]
    finally:
        con.close()
