"""Cluster profiles and business names."""

import numpy as np
import pandas as pd
import pytest
from ml_synth import make_customers, single_thread  # noqa: F401 (autouse fixture)

from segkit.ml.features import DEFAULT_FEATURE_COLS
from segkit.ml.naming import cluster_profiles, name_clusters

EXPECTED = {
    "recent_high_spenders": "Recent high spenders",
    "lapsed_bargain": "Lapsed bargain hunters",
    "window_shoppers": "Window shoppers",
    "new_engaged": "Engaged new customers",
}


@pytest.fixture(scope="module")
def profile():
    df = make_customers(4000, n_personas=4, seed=8)
    labels = pd.Series(pd.Categorical(df["persona"])).cat.codes.to_numpy()
    return df, labels, cluster_profiles(df, labels, DEFAULT_FEATURE_COLS)


def test_profile_shape(profile):
    df, labels, prof = profile
    assert list(prof.columns) == ["cluster_id", "size", "share", "feature", "mean",
                                  "z_vs_population"]
    assert len(prof) == 4 * len(DEFAULT_FEATURE_COLS)
    sizes = prof.drop_duplicates("cluster_id")
    assert sizes["size"].sum() == len(df)
    assert sizes["share"].sum() == pytest.approx(1.0)


def test_names_match_planted_personas(profile):
    df, labels, prof = profile
    names = name_clusters(prof)
    assert list(names.columns) == ["cluster_id", "cluster_name", "name_score", "name_basis"]
    code_to_persona = dict(enumerate(pd.Categorical(df["persona"]).categories))
    got = {code_to_persona[c]: n for c, n in zip(names["cluster_id"], names["cluster_name"],
                                                 strict=True)}
    assert got == EXPECTED


def test_names_unique_non_empty_with_clashes_and_overrides():
    # six near-identical clusters: every name must still be unique and non-empty
    rng = np.random.default_rng(0)
    df = pd.DataFrame(rng.normal(size=(600, 3)), columns=["recency_days", "frequency",
                                                          "monetary_amount"])
    labels = np.repeat(np.arange(6), 100)
    df.loc[labels >= 3, "recency_days"] += 3          # three "lapsed" clusters
    names = name_clusters(cluster_profiles(df, labels, list(df.columns)))
    assert names["cluster_name"].is_unique
    assert (names["cluster_name"].str.len() > 0).all()
    over = name_clusters(cluster_profiles(df, labels, list(df.columns)),
                         {0: "VIP", 5: "Lapsed customers"})
    assert over["cluster_name"].is_unique
    assert over.set_index("cluster_id").loc[0, "cluster_name"] == "VIP"
    with pytest.raises(ValueError):
        name_clusters(cluster_profiles(df, labels, list(df.columns)), {0: "A", 1: "A"})


def test_noise_cluster_named():
    df = make_customers(500, seed=1)
    labels = np.where(np.arange(500) < 20, -1, np.arange(500) % 2)
    names = name_clusters(cluster_profiles(df, labels, DEFAULT_FEATURE_COLS))
    assert names.set_index("cluster_id").loc[-1, "cluster_name"] == "Unassigned (noise)"
    assert names["cluster_name"].is_unique
