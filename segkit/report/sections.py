"""The report's sections: which query feeds which chart, with a one-line explanation each.

`build_sections(con)` returns the sections in page order. A block whose table or columns are
missing, whose query fails, or whose data is empty carries a `missing` note instead of a
figure, so a partial build still gives a complete page.
"""

from __future__ import annotations

import html
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd
import plotly.graph_objects as go

from segkit.report import charts, data

MISSING = "Not available in this build"


@dataclass
class Block:
    """One chart (or table) of the report with its title and one-line explanation."""

    key: str
    title: str
    explanation: str
    figure: go.Figure | None = None
    html: str | None = None
    missing: str | None = None
    source: str = ""


@dataclass
class Section:
    """A titled group of blocks (Data quality, Segments, Clusters, Outliers, Churn and value)."""

    key: str
    title: str
    blocks: list[Block] = field(default_factory=list)

    @property
    def figures(self) -> dict[str, go.Figure]:
        return {b.key: b.figure for b in self.blocks if b.figure is not None}


def _log(message: str) -> None:
    print(f"report: {message}", file=sys.stderr, flush=True)


def _is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, pd.DataFrame):
        return value.empty
    return not value


def _block(key: str, title: str, explanation: str | Callable[[Any], str],
           fetch: Callable[[], Any], draw: Callable[[Any], go.Figure | str],
           needs: str) -> Block:
    """Run fetch, then draw; a missing table, an empty result, a SQL error or a figure that
    cannot be drawn from odd data (a warning on stderr) gives a note instead of a chart."""
    def note(reason: str) -> Block:
        return Block(key, title, _text(explanation, None), missing=f"{MISSING} ({reason}).",
                     source=needs)

    try:
        value = fetch()
    except duckdb.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        _log(f"warning: {key} skipped: {first}")
        return note(first)
    if value is None:
        return note(f"no {needs}")
    if _is_empty(value):
        return note(f"{needs}: no rows to show")
    try:
        drawn = draw(value)
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        _log(f"warning: {key} could not be drawn: {type(exc).__name__}: {exc}")
        return note(f"{needs}: could not be drawn, {type(exc).__name__}")
    if isinstance(drawn, go.Figure):
        return Block(key, title, _text(explanation, value), figure=drawn, source=needs)
    return Block(key, title, _text(explanation, value), html=drawn, source=needs)


def _text(explanation: str | Callable[[Any], str], value: Any) -> str:
    return explanation(value) if callable(explanation) else explanation


def _number(value: Any) -> str:
    """A metric value: integers with thousands separators, fractions with 4 decimals."""
    if value is None or pd.isna(value):
        return "-"
    v = float(value)
    if v.is_integer() and abs(v) >= 100:
        return f"{int(v):,}"
    return f"{v:,.4f}" if abs(v) < 100 else f"{v:,.1f}"


def _short(value: float, is_flag: bool) -> str:
    """A feature mean for a card: shares as percentages, else 2-3 significant figures."""
    if is_flag:
        return f"{value:.0%}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"


# ---- data quality ---------------------------------------------------------------------------

def quality_table(df: pd.DataFrame) -> str:
    """HTML table of quality metrics with a pass/fail mark for metrics that have a floor."""
    rows = []
    for r in df.itertuples(index=False):
        if pd.isna(r.floor_value):
            mark, cls = "no floor", "nofloor"
        elif pd.isna(r.is_passed):
            mark, cls = "not measured", "nofloor"
        elif bool(r.is_passed):
            mark, cls = "&#10004; pass", "pass"
        else:
            mark, cls = "&#10008; FAIL", "fail"
        rows.append(
            f'<tr class="{cls}"><td>{html.escape(str(r.metric_id))}</td>'
            f'<td class="num">{_number(r.value)}</td><td class="num">{_number(r.floor_value)}</td>'
            f'<td class="mark">{mark}</td></tr>'
        )
    return ('<table class="metrics"><thead><tr><th>metric</th><th>value</th><th>floor</th>'
            '<th>status</th></tr></thead><tbody>' + "".join(rows) + "</tbody></table>")


def _quality_explanation(df: pd.DataFrame | None) -> str:
    base = ("Each quality figure of the build next to its floor (the contract: a metric below its "
            "floor fails the build); dedup precision, recall and F1 are measured against the demo "
            "generator's truth.")
    if df is None:
        return base
    floored = df[df["floor_value"].notna()]
    passed = int(floored["is_passed"].fillna(False).astype(bool).sum())
    return f"{base} {passed} of {len(floored)} floored metrics pass."


def data_quality(con: duckdb.DuckDBPyConnection) -> Section:
    return Section("quality", "Data quality", [
        _block("ingest_accounting", "Where the raw rows went",
               "Every row read from the raw files ends up clean, merged into an identical copy, "
               "or quarantined with a reason (rows in = landed rows + unreadable CSV lines).",
               lambda: data.ingest_accounting(con), charts.ingest_accounting,
               "marts.ingest_accounting"),
        _block("quarantine_reasons", "Quarantined rows by reason",
               "Rows held back from the marts, by the check that caught them (the rows stay in "
               "marts.quarantine for review, in the working warehouse: they are raw records).",
               lambda: data.quarantine_reasons(con), charts.quarantine_reasons,
               "marts.quarantine_summary"),
        _block("quality_metrics", "Quality checks against their floors", _quality_explanation,
               lambda: data.quality_metrics(con), quality_table, "marts.quality_metrics"),
    ])


# ---- segments -------------------------------------------------------------------------------

def segments(con: duckdb.DuckDBPyConnection) -> Section:
    return Section("segments", "Segments", [
        _block("rfm_segments", "RFM segments: share of customers vs share of revenue",
               "Customers grouped by how recently, how often and how much they buy; where the "
               "orange bar is taller than the blue one, the segment brings more revenue than its "
               "head count.",
               lambda: data.rfm_segments(con), charts.rfm_segments,
               "marts.segment_profiles / marts.customer_rfm"),
        _block("rfm_heatmap", "Recency x frequency, coloured by spend",
               "Each cell counts the customers with that recency score (columns, 5 = bought most "
               "recently) and frequency score (rows, 5 = buys most often); darker cells spend "
               "more per customer.",
               lambda: data.rfm_grid(con), charts.rfm_heatmap, "marts.customer_rfm"),
        _block("rule_segments", "Rule segments",
               "Customers matching each business rule, and those for whom it is the primary "
               "segment (each customer gets the highest-priority rule that matches).",
               lambda: data.rule_segments(con), charts.rule_segments,
               "marts.customer_rule_segments / marts.customer_segments"),
    ])


# ---- clusters -------------------------------------------------------------------------------

def _overlap_items(overlap: pd.DataFrame | None, cluster_name: str) -> str:
    """Card list items: the rule segments the cluster overlaps most (by lift)."""
    if overlap is None:
        return f"<li>{MISSING.lower()}</li>"
    part = overlap[overlap["cluster_name"] == cluster_name]
    if part.empty:
        return "<li>no rule segment is over-represented in this cluster</li>"
    return "".join(
        f'<li><b>{html.escape(str(t.rule_name))}</b>: {float(t.share_of_cluster):.0%} of the '
        f'cluster <span class="z">(lift {float(t.lift):.1f}, {int(t.overlap_customers):,} '
        f'customers)</span></li>'
        for t in part.itertuples(index=False))


def cluster_cards(sizes: pd.DataFrame, z: pd.DataFrame | None, examples: pd.DataFrame | None,
                  top: int = data.TOP_FEATURES, overlap: pd.DataFrame | None = None) -> str:
    """HTML cards: name, size, share, the features that set the cluster apart, the rule
    segments it overlaps most, examples."""
    cards = []
    for i, r in enumerate(sizes.itertuples(index=False)):
        color = charts.PALETTE[i % len(charts.PALETTE)]
        traits = f"<li>{MISSING.lower()}</li>"
        if z is not None and not z.empty:
            part = z[z["cluster_name"] == r.cluster_name]
            part = part.assign(absz=part["z"].abs()).sort_values(
                ["absz", "feature"], ascending=[False, True]).head(top)
            if not part.empty:
                traits = "".join(
                    f'<li><b>{html.escape(charts.label(t.feature))}</b> '
                    f'{"higher" if t.z > 0 else "lower"}: {_short(t.cluster_mean, t.is_flag)} '
                    f'vs {_short(t.population_mean, t.is_flag)} overall '
                    f'<span class="z">(z {t.z:+.1f})</span></li>'
                    for t in part.itertuples(index=False))
        ids = MISSING.lower()
        if examples is not None and not examples.empty:
            found = examples[examples["cluster_name"] == r.cluster_name]["pseudo_id"].tolist()
            if found:
                ids = " ".join(f"<code>{html.escape(str(p))}</code>" for p in found)
        cards.append(
            f'<div class="card" style="border-top-color:{color}">'
            f'<h4><span class="dot" style="background:{color}"></span>'
            f'{html.escape(str(r.cluster_name))}</h4>'
            f'<p class="size">{int(r.customer_count):,} customers &middot; '
            f'{float(r.customer_share):.1%}</p>'
            f'<p class="what">What makes it different</p><ul>{traits}</ul>'
            f'<p class="what">Top rules it overlaps</p>'
            f'<ul>{_overlap_items(overlap, r.cluster_name)}</ul>'
            f'<p class="what">Example customers (pseudonymous id)</p><p class="ids">{ids}</p>'
            "</div>"
        )
    return '<div class="cards">' + "".join(cards) + "</div>"


def _optional(key: str, fetch: Callable[[], Any]) -> Any:
    """fetch() for a part that other blocks only decorate with; None (and a warning) on error."""
    try:
        return fetch()
    except duckdb.Error as exc:
        _log(f"warning: {key} skipped: {str(exc).strip().splitlines()[0]}")
        return None


def clusters(con: duckdb.DuckDBPyConnection) -> Section:
    sizes = _optional("cluster sizes", lambda: data.cluster_sizes(con))
    profile = _optional("cluster feature profile", lambda: data.cluster_feature_z(con))
    examples = _optional("cluster examples", lambda: data.cluster_examples(con))
    overlap = _optional("cluster rule overlap", lambda: data.cluster_rule_overlap(con))
    return Section("clusters", "Clusters", [
        _block("cluster_map", "Cluster map",
               f"Each dot is a customer (a fixed sample of at most {data.MAX_MAP_POINTS:,}), "
               "placed by the two strongest directions of variation in behaviour: customers "
               "close together behave alike, colours are the learned clusters.",
               lambda: data.cluster_map(con), lambda df: charts.cluster_map(df, sizes),
               "marts.customer_clusters"),
        _block("cluster_cards", "Cluster cards",
               "Size of each cluster, the features where its average differs most from the "
               "average customer (z = difference in standard deviations), and the rule "
               "segments most over-represented in it (lift 2 = twice as common as overall).",
               lambda: sizes, lambda df: cluster_cards(df, profile, examples, overlap=overlap),
               "marts.customer_clusters"),
        _block("cluster_profile", "What sets each cluster apart",
               "Each cluster's top features: red = above the average customer, blue = below, in "
               "standard deviations (z).",
               lambda: profile, lambda df: charts.cluster_profile(df, sizes),
               "marts.customer_features / marts.customer_clusters"),
        _block("k_selection", "How many clusters",
               "The model tried several numbers of clusters k; the star marks the k in use "
               "(good splits have a high silhouette and a low Davies-Bouldin; inertia always "
               "falls, its bend is the elbow).",
               lambda: data.k_selection(con), charts.k_selection,
               "marts.cluster_model_selection"),
    ])


# ---- outliers -------------------------------------------------------------------------------

def outliers(con: duckdb.DuckDBPyConnection) -> Section:
    return Section("outliers", "Outliers", [
        _block("outlier_detectors", "Customers flagged per detector",
               "Four detectors look for unusual customers (extreme values: z-score, IQR; unusual "
               "combinations: isolation forest, LOF); orange = outliers by vote of the detectors.",
               lambda: data.outlier_detectors(con), charts.outlier_detectors,
               "marts.customer_outliers"),
        _block("outlier_reasons", "Why customers are unusual",
               "The most common reasons among the outliers: a feature far above or below normal, "
               "or a combination no single feature explains. Check them before a campaign.",
               lambda: data.outlier_reasons(con), charts.outlier_reasons,
               "marts.customer_outliers"),
    ])


# ---- churn and value ------------------------------------------------------------------------

def _clv_explanation(con: duckdb.DuckDBPyConnection) -> Callable[[Any], str]:
    def explain(_: Any) -> str:
        base = ("Expected value of each customer's purchases over the horizon (BG/NBD x "
                "Gamma-Gamma); the last bar collects the top 1 %.")
        try:
            s = data.clv_summary(con)
        except duckdb.Error:
            s = None
        if not s:
            return base
        return (f"{base} Median {s['median']:,.0f} USD, mean {s['mean']:,.0f} USD, "
                f"{s['total']:,.0f} USD in total over {int(s['customers']):,} customers.")
    return explain


def churn(con: duckdb.DuckDBPyConnection) -> Section:
    return Section("churn", "Churn and customer value", [
        _block("churn_model_metrics", "Churn model quality",
               "How well each model ranks the customers who will stop buying, on customers held "
               "out from training; orange is the model in use, the others are simple baselines.",
               lambda: data.churn_model_metrics(con), charts.churn_model_metrics,
               "marts.model_metrics (churn, holdout)"),
        _block("churn_calibration", "Are the churn probabilities honest?",
               "Customers binned by predicted churn probability: points near the dashed line "
               "mean that of the customers given 70 %, about 70 % did churn.",
               lambda: data.churn_calibration(con), charts.churn_calibration,
               "marts.model_metrics (calibration)"),
        _block("risk_bands", "Churn risk bands",
               "Customers by predicted churn risk band (low / medium / high) as of the build's "
               "as-of date: the high band is the win-back audience.",
               lambda: data.risk_bands(con), charts.risk_bands, "marts.customer_churn_scores"),
        _block("clv_distribution", "Customer lifetime value", _clv_explanation(con),
               lambda: data.clv_histogram(con), charts.clv_histogram, "marts.customer_clv"),
    ])


# ---- history --------------------------------------------------------------------------------

HISTORY_NOTE = (f"{MISSING}: history starts after the second run. The transitions need two "
                "builds of the segments (marts.segment_transitions, written by the history "
                "models); rebuild after new data arrives and this matrix shows who moved where.")


def _transitions_explanation(df: pd.DataFrame | None) -> str:
    base = ("How customers moved between segments from one run to the next: each row is the "
            "segment a customer was in, each column where they are now; the diagonal stayed put.")
    if df is None or df.empty:
        return base
    first = df.iloc[0]
    return f"{base} Family: {first['segment_family']}, period {first['period']}."


def history(con: duckdb.DuckDBPyConnection) -> Section:
    block = _block("segment_transitions", "Segment transitions", _transitions_explanation,
                   lambda: data.segment_transitions(con), charts.segment_transitions,
                   "marts.segment_transitions")
    if block.missing is not None and block.figure is None:
        # one run, or no history models in this build: say when the chart will appear
        _log("segment transitions: history starts after the second run")
        block.missing = HISTORY_NOTE
    return Section("history", "Segments over time", [block])


SECTIONS = (data_quality, segments, clusters, outliers, churn, history)


def build_sections(con: duckdb.DuckDBPyConnection, progress: bool = True) -> list[Section]:
    """Every section of the report, in page order; progress lines go to stderr."""
    out = []
    for make in SECTIONS:
        section = make(con)
        if progress:
            shown = sum(b.missing is None for b in section.blocks)
            _log(f"{section.title}: {shown} of {len(section.blocks)} charts")
        out.append(section)
    return out
