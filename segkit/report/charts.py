"""Plotly figures of the report: one function per chart, DataFrame in, figure out.

The functions only draw what the queries in `segkit.report.data` returned; they compute
nothing beyond labels. Plain SVG traces (no WebGL) so the page renders in any browser,
headless ones included.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

PALETTE = (
    "#4C78A8", "#F58518", "#54A24B", "#E45756", "#72B7B2", "#EECA3B", "#B279A2",
    "#FF9DA6", "#9D755D", "#BAB0AC",
)
OUTCOME_COLORS = {"clean": "#54A24B", "merged": "#72B7B2", "quarantined": "#E45756"}
BAND_COLORS = {"low": "#54A24B", "medium": "#EECA3B", "high": "#E45756"}
CHOSEN_COLOR = "#F58518"
OTHER_COLOR = "#4C78A8"
HEIGHT = 380


def label(feature: str) -> str:
    """A column name as a reader sees it: refund_share -> refund share, *_amount -> (USD)."""
    if feature.endswith("_amount"):
        return feature.removesuffix("_amount").replace("_", " ") + " (USD)"
    return feature.replace("_", " ")


def _layout(fig: go.Figure, height: int = HEIGHT, **kwargs) -> go.Figure:
    kwargs.setdefault("margin", {"l": 60, "r": 20, "t": 40, "b": 50})
    fig.update_layout(
        template="plotly_white",
        height=height,
        font={"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 13},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0,
                "traceorder": "normal"},
        **kwargs,
    )
    return fig


def ingest_accounting(df: pd.DataFrame) -> go.Figure:
    """100 % bars per source table: share of rows in that are clean, merged or quarantined."""
    fig = go.Figure()
    tables = [f"{t} ({n:,} in)" for t, n in zip(df["source_table"], df["rows_in"], strict=True)]
    total = df["rows_in"].where(df["rows_in"] > 0)
    for col, label in (("rows_clean", "clean"), ("rows_merged", "merged"),
                       ("rows_quarantined", "quarantined")):
        share = (df[col] / total).fillna(0).round(6)
        fig.add_bar(y=tables, x=share.tolist(), name=label, orientation="h",
                    marker_color=OUTCOME_COLORS[label], customdata=df[col].tolist(),
                    text=[f"{n:,}" for n in df[col]], textposition="inside",
                    insidetextanchor="middle",
                    hovertemplate="%{y}: %{customdata:,} rows " + label
                                  + " (%{x:.2%})<extra></extra>")
    for table, merged, quarantined in zip(tables, df["rows_merged"], df["rows_quarantined"],
                                          strict=True):
        fig.add_annotation(x=1.01, y=table, xref="paper", xanchor="left", showarrow=False,
                           align="left", text=f"{merged:,} merged<br>{quarantined:,} quarantined")
    fig.update_layout(uniformtext={"minsize": 10, "mode": "hide"})
    return _layout(fig, height=max(220, 60 * len(df) + 110), barmode="stack",
                   margin={"l": 60, "r": 130, "t": 40, "b": 50},
                   xaxis={"tickformat": ".0%", "range": [0, 1], "title": "share of rows in"},
                   yaxis={"autorange": "reversed", "automargin": True})


def quarantine_reasons(df: pd.DataFrame) -> go.Figure:
    """Horizontal bars: quarantined rows per reason, one colour per source table."""
    order = df.groupby("reason_code")["row_count"].sum().sort_values(kind="stable")
    fig = go.Figure()
    for i, (table, part) in enumerate(df.groupby("source_table", sort=True)):
        fig.add_bar(y=part["reason_code"].tolist(), x=part["row_count"].tolist(), name=table,
                    orientation="h", marker_color=PALETTE[i % len(PALETTE)],
                    hovertemplate="%{y}: %{x:,} rows (" + table + ")<extra></extra>")
    height = max(HEIGHT, 26 * len(order) + 90)
    return _layout(fig, height=height, barmode="stack", xaxis={"title": "quarantined rows"},
                   yaxis={"categoryorder": "array", "categoryarray": order.index.tolist(),
                          "automargin": True})


def rfm_segments(df: pd.DataFrame) -> go.Figure:
    """Share of customers next to share of revenue, per RFM segment."""
    fig = go.Figure()
    names = df["segment_name"].tolist()
    fig.add_bar(x=names, y=df["customer_share"].tolist(), name="share of customers",
                marker_color=OTHER_COLOR, customdata=df["customer_count"].tolist(),
                hovertemplate="%{x}: %{y:.1%} of customers (%{customdata:,})<extra></extra>")
    fig.add_bar(x=names, y=df["revenue_share"].fillna(0).tolist(), name="share of revenue",
                marker_color=CHOSEN_COLOR,
                hovertemplate="%{x}: %{y:.1%} of revenue<extra></extra>")
    return _layout(fig, height=420, barmode="group", yaxis={"tickformat": ".0%"},
                   xaxis={"tickangle": -30, "automargin": True})


def rfm_heatmap(df: pd.DataFrame) -> go.Figure:
    """R score x F score grid coloured by mean monetary value; cell text = customers."""
    mean = df.pivot(index="f_score", columns="r_score", values="mean_monetary_amount")
    count = df.pivot(index="f_score", columns="r_score", values="customer_count")
    count = count.reindex(index=mean.index, columns=mean.columns)
    text = [[("" if pd.isna(n) else f"{int(n):,}") for n in row] for row in count.to_numpy()]
    z = [[(None if pd.isna(v) else round(float(v), 2)) for v in row] for row in mean.to_numpy()]
    fig = go.Figure(go.Heatmap(
        x=[str(int(r)) for r in mean.columns], y=[str(int(f)) for f in mean.index], z=z,
        text=text, texttemplate="%{text}", colorscale="Blues",
        colorbar={"title": {"text": "mean<br>monetary"}},
        hovertemplate="R=%{x}, F=%{y}: %{text} customers, mean monetary %{z:,.2f}<extra></extra>",
    ))
    return _layout(fig, height=420, xaxis={"title": "R score (5 = bought most recently)",
                                           "type": "category"},
                   yaxis={"title": "F score (5 = buys most often)", "type": "category"})


def rule_segments(df: pd.DataFrame) -> go.Figure:
    """Rule segments: customers matching each rule and customers it is the primary segment of."""
    order = df.sort_values(["primary_customers", "members", "segment_name"],
                           ascending=[True, True, False], kind="stable")
    fig = go.Figure()
    names = order["segment_name"].tolist()
    fig.add_bar(y=names, x=order["primary_customers"].tolist(), orientation="h",
                name="primary segment", marker_color=OTHER_COLOR,
                hovertemplate="%{y}: primary segment of %{x:,} customers<extra></extra>")
    fig.add_bar(y=names, x=order["members"].tolist(), orientation="h",
                name="matches the rule", marker_color="#BAB0AC",
                hovertemplate="%{y}: rule matches %{x:,} customers<extra></extra>")
    height = max(HEIGHT, 34 * len(names) + 90)
    return _layout(fig, height=height, barmode="group", xaxis={"title": "customers"},
                   yaxis={"automargin": True})


def cluster_map(df: pd.DataFrame, sizes: pd.DataFrame | None = None) -> go.Figure:
    """Scatter of customers on the first two principal components, one colour per cluster."""
    names = (sizes["cluster_name"].tolist() if sizes is not None and not sizes.empty
             else sorted(df["cluster_name"].unique().tolist()))
    names += sorted(set(df["cluster_name"]) - set(names))
    fig = go.Figure()
    for i, name in enumerate(names):
        part = df[df["cluster_name"] == name]
        if part.empty:
            continue
        fig.add_scatter(x=part["pca_x"].round(4).tolist(), y=part["pca_y"].round(4).tolist(),
                        mode="markers", name=name,
                        marker={"size": 5, "opacity": 0.6, "color": PALETTE[i % len(PALETTE)]},
                        hovertemplate=name + "<extra></extra>")
    return _layout(fig, height=520, xaxis={"title": "projection 1", "zeroline": False},
                   yaxis={"title": "projection 2", "zeroline": False})


def cluster_profile(z: pd.DataFrame, sizes: pd.DataFrame | None = None,
                    top: int = 3) -> go.Figure:
    """Heatmap of z-scores (cluster mean vs population) of each cluster's top features."""
    clusters = (sizes["cluster_name"].tolist() if sizes is not None and not sizes.empty
                else sorted(z["cluster_name"].unique().tolist()))
    clusters = [c for c in clusters if c in set(z["cluster_name"])]
    ranked = z.assign(absz=z["z"].abs()).sort_values(["cluster_name", "absz", "feature"],
                                                     ascending=[True, False, True])
    features: list[str] = []
    for name in clusters:
        for f in ranked[ranked["cluster_name"] == name]["feature"].head(top):
            if f not in features:
                features.append(f)
    grid = z.pivot(index="cluster_name", columns="feature", values="z").reindex(
        index=clusters, columns=features)
    values = [[(None if pd.isna(v) else round(float(v), 2)) for v in row]
              for row in grid.to_numpy()]
    limit = max(1.0, min(3.0, float(z["z"].abs().max())))
    fig = go.Figure(go.Heatmap(
        x=[label(f) for f in features], y=clusters, z=values, zmin=-limit, zmax=limit, zmid=0,
        colorscale="RdBu", reversescale=True, texttemplate="%{z:.1f}",
        colorbar={"title": {"text": "z vs<br>all"}},
        hovertemplate="%{y}, %{x}: z = %{z:.2f}<extra></extra>",
    ))
    return _layout(fig, height=max(HEIGHT, 48 * len(clusters) + 140),
                   xaxis={"tickangle": -35, "automargin": True},
                   yaxis={"automargin": True, "autorange": "reversed"})


def k_selection(df: pd.DataFrame) -> go.Figure:
    """Silhouette, Davies-Bouldin and inertia against k; the chosen k marked."""
    fig = make_subplots(rows=1, cols=3, horizontal_spacing=0.08, subplot_titles=(
        "silhouette (higher is better)", "Davies-Bouldin (lower is better)",
        "inertia (look for the elbow)"))
    chosen = df[df["is_chosen"]]
    for col, (metric, _) in enumerate((("silhouette", 1), ("davies_bouldin", 2),
                                       ("inertia", 3)), start=1):
        fig.add_scatter(x=df["k"].tolist(), y=df[metric].tolist(), mode="lines+markers",
                        name=metric, marker_color=OTHER_COLOR, showlegend=False,
                        hovertemplate="k=%{x}: %{y:,.3f}<extra></extra>", row=1, col=col)
        if not chosen.empty:
            fig.add_scatter(x=chosen["k"].tolist(), y=chosen[metric].tolist(), mode="markers",
                            name="chosen k", showlegend=False,
                            marker={"color": CHOSEN_COLOR, "size": 14, "symbol": "star"},
                            hovertemplate="chosen k=%{x}: %{y:,.3f}<extra></extra>",
                            row=1, col=col)
        fig.update_xaxes(title_text="k (clusters)", dtick=1, row=1, col=col)
    return _layout(fig, height=380, showlegend=False,
                   margin={"l": 60, "r": 20, "t": 70, "b": 50})


def outlier_detectors(df: pd.DataFrame) -> go.Figure:
    """Customers flagged by each detector and by the vote."""
    colors = [CHOSEN_COLOR if d == "outlier (vote)" else OTHER_COLOR for d in df["detector"]]
    fig = go.Figure(go.Bar(x=df["detector"].tolist(), y=df["customer_count"].tolist(),
                           marker_color=colors, text=df["customer_count"].tolist(),
                           textposition="outside",
                           hovertemplate="%{x}: %{y:,} customers<extra></extra>"))
    top = float(df["customer_count"].max()) * 1.15 + 1
    return _layout(fig, yaxis={"title": "customers flagged", "range": [0, top]})


def outlier_reasons(df: pd.DataFrame) -> go.Figure:
    """The most common reasons among customers voted outliers."""
    part = df.iloc[::-1]
    fig = go.Figure(go.Bar(y=part["reason"].tolist(), x=part["customer_count"].tolist(),
                           orientation="h", marker_color=OTHER_COLOR,
                           hovertemplate="%{y}: %{x:,} outliers<extra></extra>"))
    return _layout(fig, height=max(HEIGHT, 26 * len(df) + 90),
                   xaxis={"title": "outliers with this reason"}, yaxis={"automargin": True})


def churn_model_metrics(df: pd.DataFrame) -> go.Figure:
    """Holdout ROC AUC and PR AUC per model, the chosen model highlighted."""
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.12, subplot_titles=(
        "ROC AUC on holdout (0.5 = coin flip)", "PR AUC on holdout (higher is better)"))
    for col, metric in enumerate(("roc_auc", "pr_auc"), start=1):
        part = df[df["metric"] == metric]
        labels = [f"{m} (chosen)" if c else m for m, c in zip(part["model"], part["is_chosen"],
                                                                strict=True)]
        fig.add_bar(y=labels, x=part["value"].round(4).tolist(), orientation="h",
                    marker_color=[CHOSEN_COLOR if c else OTHER_COLOR for c in part["is_chosen"]],
                    text=[f"{v:.3f}" for v in part["value"]], textposition="auto",
                    showlegend=False, hovertemplate="%{y}: %{x:.3f}<extra></extra>",
                    row=1, col=col)
        fig.update_xaxes(range=[0, 1], row=1, col=col)
        fig.update_yaxes(autorange="reversed", automargin=True, row=1, col=col)
    return _layout(fig, height=max(HEIGHT, 40 * df["model"].nunique() + 140),
                   margin={"l": 60, "r": 20, "t": 70, "b": 50})


def churn_calibration(df: pd.DataFrame) -> go.Figure:
    """Observed churn rate against mean predicted probability per bin, with the diagonal.

    Marker area grows with the customers in the bin when the warehouse publishes the count.
    """
    fig = go.Figure()
    fig.add_scatter(x=[0, 1], y=[0, 1], mode="lines", name="perfect calibration",
                    line={"dash": "dash", "color": "#BAB0AC"}, hoverinfo="skip")
    model = str(df["model"].iloc[0])
    n = df["n"] if "n" in df else pd.Series([None] * len(df), index=df.index)
    biggest = float(n.max()) if n.notna().any() else 0.0
    sizes = [8.0 if pd.isna(v) or not biggest else round(6 + 18 * (float(v) / biggest) ** 0.5, 2)
             for v in n]
    counts = ["" if pd.isna(v) else f", {int(v):,} customers" for v in n]
    fig.add_scatter(x=df["mean_predicted"].round(4).tolist(),
                    y=df["observed_rate"].round(4).tolist(), mode="lines+markers",
                    name=f"{model} ({df['split'].iloc[0]})", marker={"color": CHOSEN_COLOR,
                                                                     "size": sizes},
                    customdata=[f"{b}{c}" for b, c in zip(df["bin"], counts, strict=True)],
                    hovertemplate="%{customdata}: predicted %{x:.2f}, observed %{y:.2f}"
                                  "<extra></extra>")
    return _layout(fig, xaxis={"title": "mean predicted churn probability", "range": [0, 1]},
                   yaxis={"title": "observed churn rate", "range": [-0.02, 1.05]})


def risk_bands(df: pd.DataFrame) -> go.Figure:
    """Customers per churn risk band."""
    bands = df["churn_risk_band"].tolist()
    fig = go.Figure(go.Bar(x=bands, y=df["customer_count"].tolist(),
                           marker_color=[BAND_COLORS.get(b, OTHER_COLOR) for b in bands],
                           text=[f"{n:,}" for n in df["customer_count"]], textposition="outside",
                           hovertemplate="%{x} risk: %{y:,} customers<extra></extra>"))
    top = float(df["customer_count"].max()) * 1.15 + 1
    return _layout(fig, xaxis={"title": "churn risk band"},
                   yaxis={"title": "customers", "range": [0, top]})


def clv_histogram(df: pd.DataFrame) -> go.Figure:
    """Customers per band of expected value over the horizon (last band open-ended)."""
    labels = [f"{s:,.0f}+" if pd.isna(e) else f"{s:,.0f}-{e:,.0f}"
              for s, e in zip(df["bin_start"], df["bin_end"], strict=True)]
    fig = go.Figure(go.Bar(x=labels, y=df["customer_count"].tolist(), marker_color=OTHER_COLOR,
                           hovertemplate="%{x} USD: %{y:,} customers<extra></extra>"))
    return _layout(fig, bargap=0.05, xaxis={"title": "expected value (USD)", "tickangle": -45,
                                            "type": "category", "automargin": True},
                   yaxis={"title": "customers"})


def segment_transitions(df: pd.DataFrame) -> go.Figure:
    """Migration matrix: rows = segment in the earlier run, columns = segment now, in the same
    order so the diagonal is "stayed"; entries ('(new)') are the last row, exits ('(exited)')
    the last column. Colour = share of the row's customers, text = customers."""
    def marker(name: str) -> bool:  # '(new)' / '(exited)': entering or leaving customers
        return name.startswith("(") and name.endswith(")")

    core = sorted(s for s in set(df["from_segment"]) | set(df["to_segment"]) if not marker(s))
    rows = core + sorted(s for s in set(df["from_segment"]) if marker(s))
    cols = core + sorted(s for s in set(df["to_segment"]) if marker(s))
    counts = df.pivot_table(index="from_segment", columns="to_segment", values="customer_count",
                            aggfunc="sum").reindex(index=rows, columns=cols)
    shares = counts.div(counts.sum(axis=1), axis=0)
    text = [[("" if pd.isna(n) else f"{int(n):,}") for n in row] for row in counts.to_numpy()]
    z = [[(None if pd.isna(v) else round(float(v), 4)) for v in row] for row in shares.to_numpy()]
    fig = go.Figure(go.Heatmap(
        x=cols, y=rows, z=z, text=text, texttemplate="%{text}", colorscale="Purples",
        zmin=0, zmax=1, colorbar={"title": {"text": "share of<br>row"}, "tickformat": ".0%"},
        hovertemplate="%{y} -> %{x}: %{text} customers (%{z:.0%} of %{y})<extra></extra>",
    ))
    height = max(HEIGHT, 30 * len(rows) + 160)
    return _layout(fig, height=height,
                   xaxis={"title": "segment now", "type": "category", "tickangle": -30,
                          "automargin": True},
                   yaxis={"title": "segment in the previous run", "type": "category",
                          "autorange": "reversed", "automargin": True})
