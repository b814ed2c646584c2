"""Queries of the report: one function per chart, each returning a DataFrame or None.

Every function reads the published marts (schema `marts`) of an open, read-only DuckDB
connection. None means "the table or a column it needs is missing in this build"; an empty
DataFrame means "the table is there but has no rows to show". Numbers are the warehouse's:
the queries only filter, join and aggregate with group-bys.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from segkit.warehouse import table_exists

SCHEMA = "marts"
MAX_MAP_POINTS = 5000
TOP_FEATURES = 3
EXAMPLE_CUSTOMERS = 3
TOP_REASONS = 15
CLV_BINS = 30
RISK_BANDS = ("low", "medium", "high")
NUMERIC_TYPES = (
    "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
    "UINTEGER", "UBIGINT", "FLOAT", "DOUBLE", "REAL",
)
NOT_FEATURES = {"customer_key", "as_of_date"}
TOP_OVERLAP_RULES = 3
# accepted spellings of marts.segment_transitions' columns (the history model owns the table)
TRANSITION_FROM = ("from_segment", "segment_from", "previous_segment", "from_value")
TRANSITION_TO = ("to_segment", "segment_to", "current_segment", "to_value")
TRANSITION_COUNT = ("customer_count", "customers", "n_customers", "transition_count", "n")
TRANSITION_FAMILY = ("segment_family", "family")
TRANSITION_PERIOD = ("period_date", "period", "period_end", "to_as_of_date", "as_of_date",
                     "run_id")
# the period compared with: NULL on the first run, whose rows are all entries, not moves
TRANSITION_PREVIOUS = ("previous_period_date", "previous_period", "from_as_of_date")


def columns(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    """Column name -> data type of marts.<table>, in table order (empty when missing)."""
    rows = con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = ? and table_name = ? order by ordinal_position",
        [SCHEMA, table],
    ).fetchall()
    return {name.lower(): dtype.upper() for name, dtype in rows}


def has(con: duckdb.DuckDBPyConnection, table: str, *cols: str) -> bool:
    """True when marts.<table> exists and has every column in cols."""
    if not table_exists(con, SCHEMA, table):
        return False
    present = columns(con, table)
    return all(c in present for c in cols)


def _df(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> pd.DataFrame:
    out = con.execute(sql, params or []).df()
    out.columns = [c.lower() for c in out.columns]
    return out


# ---- header ---------------------------------------------------------------------------------

def build_info(con: duckdb.DuckDBPyConnection) -> dict[str, str | int | None]:
    """Build time (max computed_at of quality_metrics), as-of date and customer count."""
    info: dict[str, str | int | None] = {"build_time": None, "as_of_date": None, "customers": None}
    if has(con, "quality_metrics", "computed_at"):
        (t,) = con.execute(
            "select strftime(max(computed_at), '%Y-%m-%d %H:%M UTC') from marts.quality_metrics"
        ).fetchone()
        info["build_time"] = t
    if has(con, "customer_rfm", "as_of_date"):
        (d,) = con.execute("select cast(max(as_of_date) as varchar) from marts.customer_rfm"
                           ).fetchone()
        info["as_of_date"] = d
    # customer_segments has one row per customer_key like dim_customers (restricted, PII)
    for table in ("customer_segments", "dim_customers"):
        if has(con, table):
            (n,) = con.execute(f"select count(*) from marts.{table}").fetchone()
            info["customers"] = int(n)
            break
    return info


# ---- data quality ---------------------------------------------------------------------------

def ingest_accounting(con: duckdb.DuckDBPyConnection) -> pd.DataFrame | None:
    """Per source table: rows in (landed + unreadable CSV lines), clean, merged, quarantined."""
    cols = ("source_table", "rows_landed", "rows_clean", "rows_merged", "rows_quarantined")
    if not has(con, "ingest_accounting", *cols):
        return None
    rejected = ("csv_lines_rejected" if "csv_lines_rejected" in columns(con, "ingest_accounting")
                else "0")
    return _df(con, f"""
        select
            source_table,
            cast(rows_landed + {rejected} as bigint) as rows_in,
            cast(rows_clean as bigint) as rows_clean,
            cast(rows_merged as bigint) as rows_merged,
            cast(rows_quarantined + {rejected} as bigint) as rows_quarantined
        from marts.ingest_accounting
        order by source_table
    """)


def quarantine_reasons(con: duckdb.DuckDBPyConnection) -> pd.DataFrame | None:
    """Quarantined rows per source table and reason code: from quarantine_summary (published;
    the raw rows of `quarantine` are restricted PII), else counted from quarantine."""
    if has(con, "quarantine_summary", "source_table", "reason_code", "row_count"):
        return _df(con, """
            select source_table, reason_code, row_count
            from marts.quarantine_summary
            order by row_count desc, source_table, reason_code
        """)
    if not has(con, "quarantine", "source_table", "reason_code"):
        return None
    return _df(con, """
        select source_table, reason_code, count(*) as row_count
        from marts.quarantine
        group by source_table, reason_code
        order by row_count desc, source_table, reason_code
    """)


def quality_metrics(con: duckdb.DuckDBPyConnection) -> pd.DataFrame | None:
    """Every quality metric with its floor and pass mark; floored metrics first."""
    if not has(con, "quality_metrics", "metric_id", "value", "floor_value", "is_passed"):
        return None
    return _df(con, """
        select metric_id, value, floor_value, is_passed
        from marts.quality_metrics
        order by floor_value is null, metric_id
    """)


# ---- segments -------------------------------------------------------------------------------

def rfm_segments(con: duckdb.DuckDBPyConnection) -> pd.DataFrame | None:
    """RFM segment sizes and revenue share, from segment_profiles (or customer_rfm)."""
    profile_cols = ("segment_family", "segment_name", "customer_count", "customer_share",
                    "revenue_share")
    if has(con, "segment_profiles", *profile_cols):
        out = _df(con, """
            select segment_name, customer_count, customer_share, revenue_share
            from marts.segment_profiles
            where segment_family = 'rfm'
            order by customer_count desc, segment_name
        """)
        if not out.empty:
            return out
    if not has(con, "customer_rfm", "rfm_segment", "monetary_total_amount"):
        return None
    return _df(con, """
        select
            rfm_segment as segment_name,
            count(*) as customer_count,
            count(*) / sum(count(*)) over () as customer_share,
            coalesce(sum(monetary_total_amount), 0)
                / nullif(sum(sum(monetary_total_amount)) over (), 0) as revenue_share
        from marts.customer_rfm
        group by rfm_segment
        order by customer_count desc, segment_name
    """)


def rfm_grid(con: duckdb.DuckDBPyConnection) -> pd.DataFrame | None:
    """Customers with orders per (r_score, f_score) and their mean monetary value."""
    if not has(con, "customer_rfm", "r_score", "f_score", "monetary_amount"):
        return None
    return _df(con, """
        select
            r_score,
            f_score,
            count(*) as customer_count,
            avg(monetary_amount) as mean_monetary_amount
        from marts.customer_rfm
        where r_score is not null and f_score is not null
        group by r_score, f_score
        order by r_score, f_score
    """)


def rule_segments(con: duckdb.DuckDBPyConnection) -> pd.DataFrame | None:
    """Rule segment sizes: members of each rule and customers whose primary segment it is."""
    has_rules = has(con, "customer_rule_segments", "customer_key", "rule_name")
    has_primary = has(con, "customer_segments", "primary_segment")
    if not (has_rules or has_primary):
        return None
    members = ("select rule_name as segment_name, count(distinct customer_key) as members "
               "from marts.customer_rule_segments group by rule_name") if has_rules else \
        "select null::varchar as segment_name, null::bigint as members where false"
    primary = ("select primary_segment as segment_name, count(*) as primary_customers "
               "from marts.customer_segments where primary_segment is not null "
               "group by primary_segment") if has_primary else \
        "select null::varchar as segment_name, null::bigint as primary_customers where false"
    return _df(con, f"""
        with
        members as ({members}),
        primary_counts as ({primary})
        select
            coalesce(m.segment_name, p.segment_name) as segment_name,
            coalesce(m.members, 0) as members,
            coalesce(p.primary_customers, 0) as primary_customers
        from members as m
        full outer join primary_counts as p on m.segment_name = p.segment_name
        order by primary_customers desc, members desc, segment_name
    """)


# ---- clusters -------------------------------------------------------------------------------

def cluster_map(con: duckdb.DuckDBPyConnection,
                max_points: int = MAX_MAP_POINTS) -> pd.DataFrame | None:
    """At most max_points customers on the 2-D projection, a deterministic sample by key hash."""
    if not has(con, "customer_clusters", "customer_key", "pca_x", "pca_y", "cluster_name"):
        return None
    return _df(con, """
        select cluster_name, pca_x, pca_y
        from marts.customer_clusters
        where pca_x is not null and pca_y is not null
        order by md5(cast(customer_key as varchar))
        limit ?
    """, [max_points])


def cluster_sizes(con: duckdb.DuckDBPyConnection) -> pd.DataFrame | None:
    """Customers and share per cluster, largest first."""
    if not has(con, "customer_clusters", "cluster_id", "cluster_name"):
        return None
    return _df(con, """
        select
            cluster_id,
            cluster_name,
            count(*) as customer_count,
            count(*) / sum(count(*)) over () as customer_share
        from marts.customer_clusters
        group by cluster_id, cluster_name
        order by customer_count desc, cluster_id
    """)


def cluster_feature_z(con: duckdb.DuckDBPyConnection) -> pd.DataFrame | None:
    """Per cluster and numeric feature: cluster mean, population mean and z = difference / sd.

    Means and standard deviations are SQL aggregates over marts.customer_features joined to
    marts.customer_clusters; features with no spread (sd 0 or NULL) are left out. Boolean
    features count as 0/1 (their mean is a share) and are marked in `is_flag`.
    """
    if not (has(con, "customer_clusters", "customer_key", "cluster_name")
            and has(con, "customer_features", "customer_key")):
        return None
    feats = [c for c, t in columns(con, "customer_features").items()
             if c not in NOT_FEATURES and (t in NUMERIC_TYPES or t.startswith("DECIMAL")
                                            or t == "BOOLEAN")]
    if not feats:
        return None
    flags = {c for c, t in columns(con, "customer_features").items() if t == "BOOLEAN"}
    select_feats = ",\n".join(f'cast(f."{c}" as double) as "{c}"' for c in feats)
    out = _df(con, f"""
        with
        joined as (
            select c.cluster_name, {select_feats}
            from marts.customer_features as f
            inner join marts.customer_clusters as c on f.customer_key = c.customer_key
        ),
        long as (
            unpivot joined on columns(* exclude (cluster_name)) into name feature value x
        ),
        population as (
            select feature, avg(x) as population_mean, stddev_pop(x) as population_sd
            from long group by feature
        ),
        per_cluster as (
            select cluster_name, feature, avg(x) as cluster_mean
            from long group by cluster_name, feature
        )
        select
            k.cluster_name,
            k.feature,
            k.cluster_mean,
            p.population_mean,
            (k.cluster_mean - p.population_mean) / p.population_sd as z
        from per_cluster as k
        inner join population as p on k.feature = p.feature
        where p.population_sd > 0 and k.cluster_mean is not null
        order by k.cluster_name, abs(z) desc, k.feature
    """)
    out["is_flag"] = out["feature"].isin(flags)
    return out


def cluster_examples(con: duckdb.DuckDBPyConnection,
                     per_cluster: int = EXAMPLE_CUSTOMERS) -> pd.DataFrame | None:
    """A few pseudonymous customer ids per cluster (closest to the centroid first).

    The id is customer_segments.customer_pseudo_id when published, else the first 12 hex
    digits of md5(customer_key); names and e-mails are never read.
    """
    if not has(con, "customer_clusters", "customer_key", "cluster_name"):
        return None
    if has(con, "customer_segments", "customer_key", "customer_pseudo_id"):
        pseudo = "coalesce(s.customer_pseudo_id, left(md5(cast(c.customer_key as varchar)), 12))"
        join = "left join marts.customer_segments as s on c.customer_key = s.customer_key"
    else:
        pseudo = "left(md5(cast(c.customer_key as varchar)), 12)"
        join = ""
    order = ("c.distance_to_centroid nulls last, "
             if "distance_to_centroid" in columns(con, "customer_clusters") else "")
    return _df(con, f"""
        with ranked as (
            select
                c.cluster_name,
                {pseudo} as pseudo_id,
                row_number() over (
                    partition by c.cluster_name
                    order by {order}md5(cast(c.customer_key as varchar))
                ) as rn
            from marts.customer_clusters as c
            {join}
        )
        select cluster_name, pseudo_id from ranked where rn <= ?
        order by cluster_name, rn
    """, [per_cluster])


def k_selection(con: duckdb.DuckDBPyConnection) -> pd.DataFrame | None:
    """Silhouette, Davies-Bouldin and inertia per k, with the chosen k."""
    cols = ("k", "silhouette", "davies_bouldin", "inertia", "is_chosen")
    if not has(con, "cluster_model_selection", *cols):
        return None
    return _df(con, """
        select k, silhouette, davies_bouldin, inertia, coalesce(is_chosen, false) as is_chosen
        from marts.cluster_model_selection
        order by k
    """)


# ---- outliers -------------------------------------------------------------------------------

def outlier_detectors(con: duckdb.DuckDBPyConnection) -> pd.DataFrame | None:
    """Customers flagged by each detector (*_flag columns) and by the vote (is_outlier)."""
    if not table_exists(con, SCHEMA, "customer_outliers"):
        return None
    cols = columns(con, "customer_outliers")
    flags = [c for c in cols if c.endswith("_flag")] + (["is_outlier"] if "is_outlier" in cols
                                                         else [])
    if not flags:
        return None
    sums = ", ".join(f'count(*) filter (where "{c}") as "{c}"' for c in flags)
    (total, *counts) = con.execute(
        f"select count(*), {sums} from marts.customer_outliers").fetchone()
    if not total:
        return pd.DataFrame(columns=["detector", "customer_count"])
    labels = [c.removesuffix("_flag") if c != "is_outlier" else "outlier (vote)" for c in flags]
    return pd.DataFrame({"detector": labels, "customer_count": [int(n) for n in counts]})


def outlier_reasons(con: duckdb.DuckDBPyConnection, top: int = TOP_REASONS) -> pd.DataFrame | None:
    """The most common reasons among outliers; reasons split on '; ', z-values dropped."""
    if not has(con, "customer_outliers", "is_outlier", "outlier_reasons"):
        return None
    return _df(con, """
        with reasons as (
            select unnest(string_split(outlier_reasons, '; ')) as reason
            from marts.customer_outliers
            where is_outlier and outlier_reasons is not null
        )
        select
            trim(regexp_replace(reason, '\\s*\\(z=[^)]*\\)\\s*$', '')) as reason,
            count(*) as customer_count
        from reasons
        where trim(reason) <> ''
        group by 1
        order by customer_count desc, reason
        limit ?
    """, [top])


# ---- churn and value ------------------------------------------------------------------------

def churn_model_metrics(con: duckdb.DuckDBPyConnection) -> pd.DataFrame | None:
    """Holdout roc_auc and pr_auc of every churn model, with a flag for the chosen one."""
    if not has(con, "model_metrics", "target", "model", "metric", "split", "value"):
        return None
    return _df(con, """
        with
        metrics as (
            select model, metric, value
            from marts.model_metrics
            where target = 'churn' and split = 'holdout' and metric in ('roc_auc', 'pr_auc')
              and value is not null
        ),
        chosen as (
            select distinct model
            from marts.model_metrics
            where target = 'churn' and metric = 'is_chosen' and value = 1
        )
        select
            m.model,
            m.metric,
            m.value,
            m.model in (select model from chosen) as is_chosen
        from metrics as m
        order by is_chosen desc, m.model, m.metric
    """)


def churn_calibration(con: duckdb.DuckDBPyConnection) -> pd.DataFrame | None:
    """Mean predicted vs observed churn rate per bin, for the chosen model on the holdout."""
    if not has(con, "model_metrics", "target", "model", "metric", "split", "value", "detail"):
        return None
    return _df(con, """
        with
        chosen as (
            select min(model) as model
            from marts.model_metrics
            where target = 'churn' and metric = 'is_chosen' and value = 1
        ),
        calibration as (
            select mm.model, mm.split, mm.detail, mm.metric, mm.value
            from marts.model_metrics as mm
            where mm.target = 'churn'
              and mm.metric in ('calibration_mean_predicted', 'calibration_observed_rate',
                                'calibration_n')
        ),
        best_split as (
            select model, split from calibration
            group by model, split
            order by model = (select model from chosen) desc nulls last,
                     split = 'holdout' desc, model, split
            limit 1
        )
        select
            c.model,
            c.split,
            c.detail as bin,
            max(c.value) filter (where c.metric = 'calibration_mean_predicted') as mean_predicted,
            max(c.value) filter (where c.metric = 'calibration_observed_rate') as observed_rate,
            max(c.value) filter (where c.metric = 'calibration_n') as n
        from calibration as c
        inner join best_split as b on c.model = b.model and c.split = b.split
        group by c.model, c.split, c.detail
        having mean_predicted is not null and observed_rate is not null
        order by mean_predicted
    """)


def risk_bands(con: duckdb.DuckDBPyConnection) -> pd.DataFrame | None:
    """Customers per churn risk band (low, medium, high, then anything else)."""
    if not has(con, "customer_churn_scores", "churn_risk_band"):
        return None
    return _df(con, """
        select churn_risk_band, count(*) as customer_count
        from marts.customer_churn_scores
        where churn_risk_band is not null
        group by churn_risk_band
        order by case churn_risk_band when 'low' then 1 when 'medium' then 2
                 when 'high' then 3 else 4 end, churn_risk_band
    """)


def clv_histogram(con: duckdb.DuckDBPyConnection, bins: int = CLV_BINS) -> pd.DataFrame | None:
    """Customers per band of expected value; the last band collects everything above p99."""
    if not has(con, "customer_clv", "expected_value_amount"):
        return None
    return _df(con, """
        with
        clv as (
            select expected_value_amount as v
            from marts.customer_clv
            where expected_value_amount is not null and isfinite(expected_value_amount)
        ),
        edges as (
            select
                least(min(v), 0) as lo,
                greatest(quantile_cont(v, 0.99), least(min(v), 0) + 1e-9) as hi
            from clv
        ),
        binned as (
            select
                least(cast(floor((v - lo) / ((hi - lo) / ?)) as integer), ? - 1) as bin,
                lo, hi
            from clv, edges
        )
        select
            bin,
            min(lo) + bin * (min(hi) - min(lo)) / ? as bin_start,
            case when bin = ? - 1 then null
                 else min(lo) + (bin + 1) * (min(hi) - min(lo)) / ? end as bin_end,
            count(*) as customer_count
        from binned
        group by bin
        order by bin
    """, [bins, bins, bins, bins, bins])


def clv_summary(con: duckdb.DuckDBPyConnection) -> dict[str, float] | None:
    """Customers with a CLV, median, mean and total expected value."""
    if not has(con, "customer_clv", "expected_value_amount"):
        return None
    row = con.execute("""
        select count(expected_value_amount), median(expected_value_amount),
               avg(expected_value_amount), sum(expected_value_amount)
        from marts.customer_clv
    """).fetchone()
    if not row or not row[0]:
        return None
    return {"customers": row[0], "median": row[1], "mean": row[2], "total": row[3]}


# ---- cluster x rule overlap -----------------------------------------------------------------

def cluster_rule_overlap(con: duckdb.DuckDBPyConnection,
                         top: int = TOP_OVERLAP_RULES) -> pd.DataFrame | None:
    """Per cluster, the rule segments it overlaps most (marts.cluster_rule_overlap, by rank)."""
    cols = ("cluster_name", "rule_name", "overlap_customers", "share_of_cluster", "lift",
            "overlap_rank")
    if not has(con, "cluster_rule_overlap", *cols):
        return None
    return _df(con, """
        select cluster_name, rule_name, overlap_customers, share_of_cluster, lift, overlap_rank
        from marts.cluster_rule_overlap
        where overlap_rank <= ?
        order by cluster_name, overlap_rank
    """, [top])


# ---- segment transitions (history) ----------------------------------------------------------

def _pick(present: dict[str, str], names: tuple[str, ...]) -> str | None:
    return next((n for n in names if n in present), None)


def segment_transitions(con: duckdb.DuckDBPyConnection) -> pd.DataFrame | None:
    """From -> to customer counts of the latest period of marts.segment_transitions.

    The history model writes one row per (period, segment family, from, to) with a count; the
    column names are looked up among a few spellings so the report follows the history model
    without a code change. Only periods compared with an earlier one count (the first run's
    rows are all entries). One family is shown: the RFM segment when present, else the first
    family by name. Columns: segment_family, period, from_segment, to_segment, customer_count.
    None when the table (or a from / to column) is missing; empty when it has no rows to show
    (one run only).
    """
    if not table_exists(con, SCHEMA, "segment_transitions"):
        return None
    present = columns(con, "segment_transitions")
    src = _pick(present, TRANSITION_FROM)
    dst = _pick(present, TRANSITION_TO)
    if src is None or dst is None:
        return None
    count = _pick(present, TRANSITION_COUNT)
    family = _pick(present, TRANSITION_FAMILY)
    period = _pick(present, TRANSITION_PERIOD)
    n = f'sum("{count}")' if count else "count(*)"
    fam = f'cast("{family}" as varchar)' if family else "'segment'"
    per = f'cast("{period}" as varchar)' if period else "'all runs'"
    previous = _pick(present, TRANSITION_PREVIOUS)
    compared = f'and "{previous}" is not null' if previous else ""
    return _df(con, f"""
        with t as (
            select {fam} as segment_family, {per} as period,
                   cast("{src}" as varchar) as from_segment, cast("{dst}" as varchar) as to_segment,
                   {n} as customer_count
            from marts.segment_transitions
            where "{src}" is not null and "{dst}" is not null {compared}
            group by all
        ),
        family as (
            select segment_family from t
            order by segment_family not in ('rfm', 'rfm_segment'), segment_family
            limit 1
        ),
        latest as (
            select max(period) as period from t where segment_family = (select * from family)
        )
        select segment_family, period, from_segment, to_segment, customer_count
        from t
        where segment_family = (select * from family) and period = (select * from latest)
        order by from_segment, to_segment
    """)
