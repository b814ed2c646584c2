"""One row per customer_key: age as of as_of_date, a kNN estimate where the birth date is
missing (segkit.imputation). int_customers__imputed uses it when var
imputation__age_method is 'knn'; int_quality__imputation measures it against truth."""

from segkit.dbt_io import config_list, to_pandas
from segkit.imputation import (
    CATEGORICAL_WEIGHT,
    N_NEIGHBORS,
    SAMPLE_SIZE,
    exact_age,
    knn_impute,
)


def model(dbt, session):
    dbt.config(materialized="table")
    # one plain dbt.config.get per key (dbt only sees plain calls)
    feature_cols = dbt.config.get("feature_cols")
    categorical_cols = dbt.config.get("categorical_cols")
    n_neighbors = dbt.config.get("n_neighbors")
    sample_size = dbt.config.get("sample_size")
    categorical_weight = dbt.config.get("categorical_weight")
    random_state = dbt.config.get("random_state")
    features = to_pandas(dbt.ref("customer_features"))
    customers = to_pandas(dbt.ref("dim_customers"))[["customer_key", "birth_date"]]
    # the exact age (days / 365.25) like int_customers__imputed, not the floored feature
    features = features.drop(columns=["age_years"]).merge(customers, on="customer_key",
                                                           how="left")
    features["age_years"] = exact_age(features["birth_date"], features["as_of_date"])
    out = knn_impute(
        features,
        numeric_cols=config_list(feature_cols),
        categorical_cols=config_list(categorical_cols),
        n_neighbors=int(n_neighbors or N_NEIGHBORS),
        sample_size=int(sample_size or SAMPLE_SIZE),
        categorical_weight=float(categorical_weight if categorical_weight is not None
                                 else CATEGORICAL_WEIGHT),
        random_state=int(random_state or 0),
    )
    out["n_neighbors"] = int(n_neighbors or N_NEIGHBORS)
    return out
