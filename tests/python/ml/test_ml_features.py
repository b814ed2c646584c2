"""features.prepare_matrix: NULLs, log1p, scaling, determinism."""

import numpy as np
import pandas as pd
import pytest
from ml_synth import make_customers, single_thread  # noqa: F401 (autouse fixture)

from segkit.ml.features import DEFAULT_FEATURE_COLS, prepare_matrix


def test_default_matrix_is_finite_and_deterministic():
    df = make_customers(2000, null_share=0.3)
    X1, info1 = prepare_matrix(df)
    X2, _ = prepare_matrix(df)
    assert np.isfinite(X1).all()
    np.testing.assert_array_equal(X1, X2)
    assert info1.feature_cols == DEFAULT_FEATURE_COLS
    assert "monetary_amount" in info1.log_cols          # heavy tail detected
    assert "age_years" not in info1.log_cols
    assert "age_years__missing" in info1.columns       # is-missing awareness
    assert X1.shape == (2000, len(info1.columns))


def test_transform_reproduces_fit_and_handles_new_frames():
    df = make_customers(1500, seed=3)
    X, info = prepare_matrix(df, clip=8.0)
    np.testing.assert_allclose(info.transform(df), X)
    assert np.abs(X).max() <= 8.0
    new = df.head(10).copy()
    new.loc[:, "monetary_amount"] = np.nan
    assert np.isfinite(info.transform(new)).all()


def test_null_heavy_nullable_and_constant_columns():
    df = pd.DataFrame({
        "a": pd.array([1, None, 3, None, 5, None, 100, None], dtype="Int64"),
        "b": [None] * 8,                          # all NULL
        "c": [2.0] * 8,                           # constant
        "d": ["1.5", "x", "2", None, "3", "4", "5", "6"],   # strings, one unparsable
    })
    X, info = prepare_matrix(df, ["a", "b", "c", "d"])
    assert np.isfinite(X).all()
    assert "a__missing" in info.columns and "b__missing" not in info.columns


def test_standard_scaler_and_pca():
    df = make_customers(1000)
    X, info = prepare_matrix(df, scaler="standard", missing_indicators=False,
                             pca_components=3)
    assert X.shape == (1000, 3)
    assert info.columns == ["pc1", "pc2", "pc3"]
    np.testing.assert_allclose(info.transform(df), X, atol=1e-9)
    with pytest.raises(ValueError):
        prepare_matrix(df, scaler="minmax")
    with pytest.raises(KeyError):
        prepare_matrix(df, ["not_a_column"])
