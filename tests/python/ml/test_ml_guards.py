import pandas as pd

from segkit.ml.guards import binary_label_problem, skipped_rows


def test_binary_label_problem_needs_both_classes():
    assert binary_label_problem(pd.Series([1] * 50)) is not None
    assert "3 positive" in binary_label_problem(pd.Series([1] * 3 + [0] * 40))
    assert binary_label_problem(pd.Series([1] * 20 + [0] * 20)) is None


def test_skipped_rows_shape():
    df = skipped_rows("churn", "too small", ["target", "model", "metric", "split", "value",
                                              "detail"])
    assert df.loc[0, "metric"] == "skipped" and df.loc[0, "detail"] == "too small"


def test_null_output_and_k_range():
    from segkit.ml.guards import null_output, usable_k_range

    out = null_output(pd.Series(["a", "b"]), ["customer_key", "x", "y"])
    assert list(out.columns) == ["customer_key", "x", "y"] and out["x"].isna().all()
    assert list(usable_k_range(1000, 2, 10)) == list(range(2, 11))
    assert list(usable_k_range(12, 2, 10)) == [2]
