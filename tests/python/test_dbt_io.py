import pandas as pd

from segkit.dbt_io import config_list, to_pandas


class _Rel:
    def __init__(self, frame):
        self.frame = frame

    def df(self):
        return self.frame.copy()


def test_to_pandas_lowercases_and_sorts_by_key():
    a = pd.DataFrame({"CUSTOMER_KEY": ["b", "a", "c"], "X": [2, 1, 3]})
    b = a.iloc[[2, 0, 1]]
    out_a, out_b = to_pandas(_Rel(a)), to_pandas(_Rel(b))
    assert list(out_a.columns) == ["customer_key", "x"]
    assert out_a["customer_key"].tolist() == ["a", "b", "c"]
    pd.testing.assert_frame_equal(out_a, out_b)


def test_config_list():
    assert config_list(None) is None
    assert config_list("a, b") == ["a", "b"]
    assert config_list(["a", 1]) == ["a", "1"]
