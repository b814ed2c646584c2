"""Machine-learning building blocks for the customer-segmentation dbt Python models.

All public functions take a pandas DataFrame (or arrays), explicit feature column lists,
parameters with defaults and a ``random_state``; they do no I/O, keep no global state and
return DataFrames (or small dataclasses of DataFrames / arrays). Modules:

* :mod:`segkit.ml.features` - NULL handling, log1p, robust scaling, optional PCA;
* :mod:`segkit.ml.outliers` - robust z / IQR / IsolationForest / LOF ensemble;
* :mod:`segkit.ml.clustering` - k selection, KMeans / GMM / DBSCAN / Ward, assignment;
* :mod:`segkit.ml.naming` - cluster profiles and business names;
* :mod:`segkit.ml.churn` - churn / purchase propensity classifiers and evaluation;
* :mod:`segkit.ml.clv` - BG/NBD + Gamma-Gamma customer lifetime value;
* :mod:`segkit.ml.evaluation` - metric wrappers for the quality_metrics table.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from threadpoolctl import threadpool_limits  # ships with (and is pinned for) scikit-learn

from segkit.ml.features import DEFAULT_FEATURE_COLS, prepare_matrix

__all__ = ["DEFAULT_FEATURE_COLS", "limit_threads", "prepare_matrix"]


@contextmanager
def limit_threads(n: int | None = 1) -> Iterator[None]:
    """Cap OpenMP / BLAS threads (KMeans, LOF, HistGradientBoosting, numpy) inside the block.

    When the CPU is already busy (dbt running several models, other jobs), OpenMP threads
    spin-wait for each other and a 2-thread run can be several times *slower* than a
    1-thread run. ``n=None`` leaves the limits unchanged.
    """
    if n is None:
        yield
        return
    # threadpoolctl only limits runtimes already loaded: load scikit-learn's OpenMP first
    import sklearn.cluster  # noqa: F401

    with threadpool_limits(limits=int(n)):
        yield
