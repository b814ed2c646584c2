"""Cluster profiles and business names derived from them.

``cluster_profiles`` gives, per cluster and feature, the raw mean and a z-score of the cluster
mean against the population, computed on the log1p scale for heavy-tailed non-negative
features (same auto rule as ``features.prepare_matrix``) so a few whales do not dominate.

``name_clusters`` scores a list of archetypes (weighted sums of feature-group z-scores) and
gives each cluster the best archetype not already taken by a more distinctive cluster; when
no archetype is left above ``MIN_ARCHETYPE_SCORE`` the cluster takes its best name plus a
qualifier from its most distinctive remaining group (and a number if still clashing).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from segkit.ml.features import detect_log_cols, to_float_matrix

MIN_ARCHETYPE_SCORE = 0.25
FALLBACK_NAME = "Mainstream customers"
NOISE_NAME = "Unassigned (noise)"
NOISE_LABEL_ID = -1
# feature group -> member columns (used when present in the profile)
GROUPS: dict[str, list[str]] = {
    "recency": ["recency_days", "days_since_last_activity"],    # high = lapsed
    "monetary": ["monetary_amount"],
    "frequency": ["frequency", "orders_90d", "orders_30d"],
    "aov": ["avg_order_value_amount"],
    "browsing": ["sessions_30d", "sessions_90d", "product_views_30d", "active_days_90d"],
    "cart_abandon": ["cart_abandonment_rate", "add_to_carts_30d"],
    "refund": ["refund_share"],
    "tenure": ["tenure_days"],
    "email": ["email_opens_90d", "email_clicks_90d"],
    "mobile": ["mobile_share"],
    "breadth": ["category_count"],
}
# archetype name -> {group: weight}; score = sum(w * z) / sqrt(sum(w^2)) (projection of the
# cluster's group z-profile on the archetype direction: two strong matching groups beat one)
ARCHETYPES: dict[str, dict[str, float]] = {
    "Recent high spenders": {"monetary": 1.0, "recency": -1.0, "frequency": 0.5},
    "Loyal frequent buyers": {"frequency": 1.0, "tenure": 0.5, "recency": -0.5},
    "Lapsed high spenders": {"recency": 1.0, "monetary": 1.0},
    "Lapsed bargain hunters": {"recency": 1.0, "aov": -1.0},
    "Lapsed customers": {"recency": 1.0},
    "Window shoppers": {"browsing": 1.0, "frequency": -1.0},
    "Cart abandoners": {"cart_abandon": 1.0, "browsing": 0.5, "frequency": -0.5},
    "Engaged new customers": {"tenure": -1.0, "recency": -0.5, "browsing": 0.5, "email": 0.5},
    "New customers": {"tenure": -1.0},
    "Bargain hunters": {"aov": -1.0, "frequency": 0.5},
    "Big-basket buyers": {"aov": 1.0, "frequency": -0.5},
    "Frequent returners": {"refund": 1.0},
    "Email-engaged customers": {"email": 1.0},
    "Mobile-first browsers": {"mobile": 1.0, "browsing": 0.5},
    "Multi-category shoppers": {"breadth": 1.0, "frequency": 0.5},
}
QUALIFIERS: dict[str, tuple[str, str]] = {   # group -> (word if z < 0, word if z > 0)
    "recency": ("recent", "lapsing"), "monetary": ("low-value", "high-value"),
    "frequency": ("occasional", "frequent"), "aov": ("small-basket", "big-basket"),
    "browsing": ("low-browsing", "heavy-browsing"), "cart_abandon": ("decisive", "hesitant"),
    "refund": ("low-return", "high-return"), "tenure": ("new", "long-standing"),
    "email": ("email-quiet", "email-engaged"), "mobile": ("desktop", "mobile"),
    "breadth": ("single-category", "multi-category"),
}


def cluster_profiles(df: pd.DataFrame, labels: np.ndarray | pd.Series,
                     feature_cols: list[str], random_state: int = 0) -> pd.DataFrame:
    """Long-format profile: DataFrame[cluster_id, size, share, feature, mean, z_vs_population].

    ``mean`` is the raw mean (NULLs ignored); ``z_vs_population`` is
    ``(cluster mean - population mean) / population std`` on the log1p scale for
    heavy-tailed non-negative features and the raw scale otherwise. Noise (-1) is included.
    """
    labels = np.asarray(labels)
    raw = to_float_matrix(df, feature_cols)
    log_cols = set(detect_log_cols(raw, feature_cols, random_state))
    tr = raw.copy()
    for j, c in enumerate(feature_cols):
        if c in log_cols:
            tr[:, j] = np.log1p(np.clip(tr[:, j], 0, None))
    with warnings.catch_warnings():                     # all-NULL feature
        warnings.simplefilter("ignore", RuntimeWarning)
        pop_mean, pop_std = np.nanmean(tr, axis=0), np.nanstd(tr, axis=0)
    pop_std = np.where(pop_std > 0, pop_std, 1.0)
    raw_means = pd.DataFrame(raw, columns=feature_cols).groupby(labels).mean()
    tr_means = pd.DataFrame(tr, columns=feature_cols).groupby(labels).mean()
    sizes = pd.Series(labels).value_counts().sort_index()
    z = (tr_means - pop_mean) / pop_std
    out = (raw_means.stack(future_stack=True).rename("mean").to_frame()
           .join(z.stack(future_stack=True).rename("z_vs_population")))
    out.index.names = ["cluster_id", "feature"]
    out = out.reset_index()
    out["size"] = out["cluster_id"].map(sizes).astype(np.int64)
    out["share"] = out["size"] / len(labels)
    out["cluster_id"] = out["cluster_id"].astype(np.int64)
    out["feature"] = pd.Categorical(out["feature"], categories=feature_cols)
    out = out.sort_values(["cluster_id", "feature"]).reset_index(drop=True)
    out["feature"] = out["feature"].astype(str)
    return out[["cluster_id", "size", "share", "feature", "mean", "z_vs_population"]]


def _group_z(profile: pd.DataFrame) -> pd.DataFrame:
    """Cluster x group matrix of mean z-scores (groups with no present feature omitted)."""
    wide = profile.pivot(index="cluster_id", columns="feature", values="z_vs_population")
    cols = {g: [c for c in members if c in wide.columns] for g, members in GROUPS.items()}
    return pd.DataFrame({g: wide[c].mean(axis=1) for g, c in cols.items() if c}).fillna(0.0)


def _archetype_scores(gz: pd.DataFrame) -> pd.DataFrame:
    scores = {}
    for name, weights in ARCHETYPES.items():
        if all(g in gz.columns for g in weights):
            total = float(np.sqrt(sum(w * w for w in weights.values())))
            scores[name] = sum(w * gz[g] for g, w in weights.items()) / total
    return pd.DataFrame(scores, index=gz.index)


def _basis(row: pd.Series, n: int = 3) -> str:
    top = row.abs().sort_values(ascending=False, kind="stable").index[:n]
    return ", ".join(f"{g} z={row[g]:+.1f}" for g in top)


def name_clusters(profile_df: pd.DataFrame, overrides: dict[int, str] | None = None
                  ) -> pd.DataFrame:
    """Business names from a :func:`cluster_profiles` frame.

    Args:
        profile_df: output of :func:`cluster_profiles`.
        overrides: optional ``{cluster_id: name}``; applied first, generated names avoid them.

    Returns:
        DataFrame[cluster_id, cluster_name, name_score, name_basis]; names are unique and
        non-empty (raises ``ValueError`` if overrides introduce a duplicate).
    """
    ids = sorted(int(c) for c in profile_df["cluster_id"].unique())
    real = [c for c in ids if c >= 0]
    gz = _group_z(profile_df[profile_df["cluster_id"] >= 0]) if real else pd.DataFrame()
    scores = _archetype_scores(gz) if real else pd.DataFrame()
    fixed = {int(c): str(n).strip() for c, n in (overrides or {}).items()
             if int(c) in ids and str(n).strip()}
    if len(set(fixed.values())) != len(fixed):
        raise ValueError(f"override names are not unique: {fixed}")
    names: dict[int, str] = dict(fixed)
    score_of: dict[int, float] = {c: float("nan") for c in fixed}
    taken: set[str] = set(fixed.values())
    # most distinctive clusters pick first
    best = scores.max(axis=1) if len(scores.columns) else pd.Series(0.0, index=real)
    for c in sorted(set(real) - set(fixed), key=lambda c: (-best.get(c, 0.0), c)):
        ranked = (scores.loc[c].sort_values(ascending=False, kind="stable")
                  if len(scores.columns) else pd.Series(dtype=float))
        free = [(n, s) for n, s in ranked.items() if s >= MIN_ARCHETYPE_SCORE and n not in taken]
        if free:
            name, s = free[0]
        else:
            name = ranked.index[0] if len(ranked) and ranked.iloc[0] >= MIN_ARCHETYPE_SCORE \
                else FALLBACK_NAME
            s = float(ranked.iloc[0]) if len(ranked) else 0.0
            if name in taken:
                name = _qualify(name, gz.loc[c] if c in gz.index else pd.Series(dtype=float),
                                taken)
        names[c], score_of[c] = name, float(s)
        taken.add(name)
    if NOISE_LABEL_ID in ids and NOISE_LABEL_ID not in fixed:
        names[NOISE_LABEL_ID], score_of[NOISE_LABEL_ID] = NOISE_NAME, 0.0
    if len(set(names.values())) != len(names):
        raise ValueError(f"cluster names are not unique: {names}")
    return pd.DataFrame({
        "cluster_id": ids, "cluster_name": [names[c] for c in ids],
        "name_score": [score_of[c] for c in ids],
        "name_basis": [_basis(gz.loc[c]) if c in gz.index else "" for c in ids],
    })



def _qualify(name: str, gz_row: pd.Series, taken: set[str]) -> str:
    """Make ``name`` unique with a qualifier from the most distinctive group, then a number."""
    for g in gz_row.abs().sort_values(ascending=False, kind="stable").index:
        if g in QUALIFIERS and abs(gz_row[g]) >= MIN_ARCHETYPE_SCORE:
            cand = f"{name} ({QUALIFIERS[g][int(gz_row[g] > 0)]})"
            if cand not in taken:
                return cand
    i = 2
    while f"{name} {i}" in taken:
        i += 1
    return f"{name} {i}"
