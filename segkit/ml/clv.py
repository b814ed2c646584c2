"""Customer lifetime value: BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the
easy way") and Gamma-Gamma spend (Fader, Hardie & Lee 2005, "RFM and CLV"), pure numpy/scipy.

BG/NBD conventions (per customer, all times in one unit, e.g. weeks):

* ``frequency`` x = number of *repeat* purchases (total purchases - 1);
* ``recency`` t_x = time between the first and the last purchase (0 if x = 0);
* ``T`` = time between the first purchase and the end of the observation period.

Gamma-Gamma uses customers with x > 0 and ``monetary_value`` = their mean purchase value.
Parameters are fitted by maximum likelihood on log-parameters (unconstrained) with L-BFGS-B;
log-likelihoods use ``gammaln`` / ``betaln`` / ``logaddexp`` so they stay finite for heavy
buyers. Reference values (CDNOW, weeks): r=0.243, alpha=4.414, a=0.793, b=2.426;
Gamma-Gamma p=6.25, q=3.74, v=15.44.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.special import betaln, expit, gammaln, hyp2f1

TIME_UNIT_DAYS = 7.0          # fit in weeks: keeps alpha ~ O(1-10), well conditioned
MAX_FIT_ROWS = 200_000        # likelihood fitted on a random sample of at most this many rows
CONVENTIONS = ("rfm_days", "bgnbd_days")
OUTPUT_COLS = ["customer_key", "expected_purchases", "p_alive",
               "expected_avg_order_value_amount", "expected_value_amount"]


def _arr(v: object) -> np.ndarray:
    return np.asarray(v, dtype=np.float64)


def _compress(*cols: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
    """Unique rows of the given columns and their counts (likelihood weights)."""
    uniq, counts = np.unique(np.column_stack(cols), axis=0, return_counts=True)
    return [uniq[:, j] for j in range(uniq.shape[1])], counts.astype(np.float64)


def _bgnbd_nll(logp: np.ndarray, x: np.ndarray, tx: np.ndarray, T: np.ndarray,
               w: np.ndarray, penalizer: float) -> float:
    r, alpha, a, b = np.exp(logp)
    a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    a2 = betaln(a, b + x) - betaln(a, b) - (r + x) * np.log(alpha + T)
    xm = np.maximum(x, 1.0)                       # avoid betaln(., b - 1) for x = 0
    a3 = np.where(x > 0, betaln(a + 1, b + xm - 1) - betaln(a, b)
                  - (r + x) * np.log(alpha + tx), -np.inf)
    ll = a1 + np.logaddexp(a2, a3)
    return float(-np.sum(w * ll) / w.sum() + penalizer * np.sum(np.exp(logp) ** 2))


def fit_bgnbd(frequency: np.ndarray, recency: np.ndarray, T: np.ndarray,
              penalizer: float = 0.0) -> dict[str, float]:
    """Maximum-likelihood BG/NBD parameters ``{r, alpha, a, b}`` (same time unit as input)."""
    x, tx, t_ = _arr(frequency), _arr(recency), _arr(T)
    ok = np.isfinite(x) & np.isfinite(tx) & np.isfinite(t_) & (x >= 0) & (t_ > 0)
    if ok.sum() < 10:
        raise ValueError("need at least 10 customers with valid frequency/recency/T")
    (x, tx, t_), w = _compress(x[ok], np.clip(tx[ok], 0, t_[ok]), t_[ok])
    best = None
    for start in (np.zeros(4), np.log([0.5, np.median(t_), 1.0, 2.0])):
        res = minimize(_bgnbd_nll, start, args=(x, tx, t_, w, penalizer), method="L-BFGS-B",
                       bounds=[(-12.0, 12.0)] * 4, options={"maxiter": 2000, "ftol": 1e-13})
        if best is None or res.fun < best.fun:
            best = res
    r, alpha, a, b = np.exp(best.x)
    return {"r": float(r), "alpha": float(alpha), "a": float(a), "b": float(b),
            "neg_log_likelihood": float(best.fun * w.sum())}


def _unpack(params: dict[str, float]) -> tuple[float, float, float, float]:
    return params["r"], params["alpha"], params["a"], params["b"]


def expected_purchases(params: dict[str, float], t: float, frequency: np.ndarray,
                       recency: np.ndarray, T: np.ndarray) -> np.ndarray:
    """E[# purchases in (T, T + t] | x, t_x, T] (Fader, Hardie & Lee 2005, eq. 10).

    The factor ``((alpha+T)/(alpha+T+t))^(r+x) * 2F1(r+x, b+x; a+b+x-1; z)`` is evaluated via
    Euler's transformation as ``(1-z)^(a-1) * 2F1(a+b-1-r, a-1; a+b+x-1; z)``, which keeps
    every term bounded for heavy buyers.
    """
    r, alpha, a, b = _unpack(params)
    x, tx, T = _arr(frequency), _arr(recency), _arr(T)
    z = t / (alpha + T + t)
    c = a + b + x - 1
    term = (1 - z) ** (a - 1) * hyp2f1(a + b - 1 - r, a - 1, c, z)
    lead = c / (a - 1) if abs(a - 1) > 1e-9 else c / 1e-9
    log_odds = (np.log(a) - np.log(np.maximum(b + x - 1, 1e-12))
                + (r + x) * (np.log(alpha + T) - np.log(alpha + np.clip(tx, 0, T))))
    denom = 1 + np.where(x > 0, np.exp(np.minimum(log_odds, 700.0)), 0.0)
    return np.maximum(lead * (1 - term) / denom, 0.0)


def prob_alive(params: dict[str, float], frequency: np.ndarray, recency: np.ndarray,
               T: np.ndarray) -> np.ndarray:
    """P(customer still active | x, t_x, T); 1 for customers without repeat purchases."""
    r, alpha, a, b = _unpack(params)
    x, tx, T = _arr(frequency), _arr(recency), _arr(T)
    log_odds = (np.log(a) - np.log(np.maximum(b + x - 1, 1e-12))
                + (r + x) * (np.log(alpha + T) - np.log(alpha + np.clip(tx, 0, T))))
    return np.where(x > 0, expit(-log_odds), 1.0)


def _gg_nll(logp: np.ndarray, x: np.ndarray, m: np.ndarray, w: np.ndarray,
            penalizer: float) -> float:
    p, q, v = np.exp(logp)
    px = p * x
    ll = (gammaln(px + q) - gammaln(px) - gammaln(q) + q * np.log(v)
          + (px - 1) * np.log(m) + px * np.log(x) - (px + q) * np.log(x * m + v))
    return float(-np.sum(w * ll) / w.sum() + penalizer * np.sum(np.exp(logp) ** 2))


def fit_gamma_gamma(frequency: np.ndarray, monetary_value: np.ndarray,
                    penalizer: float = 0.0) -> tuple[float, float, float]:
    """Maximum-likelihood Gamma-Gamma ``(p, q, v)`` on customers with x > 0 and value > 0."""
    x, m = _arr(frequency), _arr(monetary_value)
    ok = np.isfinite(x) & np.isfinite(m) & (x > 0) & (m > 0)
    if ok.sum() < 10:
        raise ValueError("need at least 10 repeat customers with positive monetary value")
    (x, m), w = _compress(x[ok], m[ok])
    best = None
    for start in (np.zeros(3), np.log([2.0, 3.0, float(np.median(m))])):
        res = minimize(_gg_nll, start, args=(x, m, w, penalizer), method="L-BFGS-B",
                       bounds=[(-12.0, 12.0)] * 3, options={"maxiter": 2000, "ftol": 1e-13})
        if best is None or res.fun < best.fun:
            best = res
    p, q, v = np.exp(best.x)
    return float(p), float(q), float(v)


def expected_avg_value(params: tuple[float, float, float], frequency: np.ndarray,
                       monetary_value: np.ndarray) -> np.ndarray:
    """E[M | p, q, v, x, m] = (p (v + x m)) / (p x + q - 1); population mean p v / (q - 1)
    for x = 0 or missing m. Requires q > 1."""
    p, q, v = params
    if q <= 1:
        raise ValueError("Gamma-Gamma q <= 1: expected spend undefined")
    x = np.nan_to_num(_arr(frequency))
    m = _arr(monetary_value)
    use = (x > 0) & np.isfinite(m)
    xm = np.where(use, x * np.nan_to_num(m), 0.0)
    xe = np.where(use, x, 0.0)
    return p * (v + xm) / (p * xe + q - 1)


def to_bgnbd(df: pd.DataFrame, frequency_col: str, recency_col: str, tenure_col: str,
             convention: str = "rfm_days", time_unit_days: float = TIME_UNIT_DAYS
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Convert feature columns to (x, t_x, T, valid) in BG/NBD form and ``time_unit_days``.

    ``rfm_days``: frequency = total orders, recency = days since last order, tenure = days
    since first order. ``bgnbd_days``: columns already are x, t_x, T (in days).
    """
    if convention not in CONVENTIONS:
        raise ValueError(f"convention must be one of {CONVENTIONS}")
    f = pd.to_numeric(df[frequency_col], errors="coerce").to_numpy(float, na_value=np.nan)
    rec = pd.to_numeric(df[recency_col], errors="coerce").to_numpy(float, na_value=np.nan)
    ten = pd.to_numeric(df[tenure_col], errors="coerce").to_numpy(float, na_value=np.nan)
    if convention == "rfm_days":
        x, T, tx = f - 1, ten, ten - rec
    else:
        x, tx, T = f, rec, ten
    valid = np.isfinite(x) & np.isfinite(tx) & np.isfinite(T) & (x >= 0) & (T > 0)
    x = np.where(valid, np.floor(x), np.nan)
    T = np.where(valid, T / time_unit_days, np.nan)
    tx = np.where(valid, np.clip(tx / time_unit_days, 0, T), np.nan)
    tx = np.where(x == 0, 0.0, tx)
    return x, tx, T, valid


def customer_clv(
    df: pd.DataFrame,
    horizon_days: float = 365.0,
    frequency_col: str = "frequency",
    recency_col: str = "recency_days",
    tenure_col: str = "tenure_days",
    monetary_col: str = "avg_order_value_amount",
    convention: str = "rfm_days",
    margin: float = 1.0,
    time_unit_days: float = TIME_UNIT_DAYS,
    max_fit_rows: int = MAX_FIT_ROWS,
    penalizer: float = 0.0,
    key_col: str = "customer_key",
    random_state: int = 0,
) -> pd.DataFrame:
    """Fit BG/NBD + Gamma-Gamma on ``df`` and predict the next ``horizon_days`` per customer.

    ``expected_value_amount = expected_purchases * expected_avg_order_value_amount * margin``
    (undiscounted). Rows without a valid purchase history (no order, NULL tenure) get NULLs.
    The monetary input is the customer's average order value (all orders, an approximation
    of the paper's repeat-order mean).

    Returns:
        DataFrame[customer_key, expected_purchases, p_alive, expected_avg_order_value_amount,
        expected_value_amount] in input row order.
    """
    x, tx, T, valid = to_bgnbd(df, frequency_col, recency_col, tenure_col, convention,
                               time_unit_days)
    m = pd.to_numeric(df[monetary_col], errors="coerce").to_numpy(float, na_value=np.nan)
    fit_idx = np.flatnonzero(valid)
    if len(fit_idx) > max_fit_rows:
        rng = np.random.default_rng(random_state)
        fit_idx = np.sort(rng.choice(fit_idx, max_fit_rows, replace=False))
    bg = fit_bgnbd(x[fit_idx], tx[fit_idx], T[fit_idx], penalizer)
    gg = fit_gamma_gamma(x[fit_idx], m[fit_idx], penalizer)
    n_exp = np.full(len(df), np.nan)
    p_al = np.full(len(df), np.nan)
    spend = np.full(len(df), np.nan)
    v = valid
    n_exp[v] = expected_purchases(bg, horizon_days / time_unit_days, x[v], tx[v], T[v])
    p_al[v] = prob_alive(bg, x[v], tx[v], T[v])
    spend[v] = expected_avg_value(gg, x[v], m[v])
    return pd.DataFrame({
        "customer_key": df[key_col].to_numpy() if key_col in df else np.arange(len(df)),
        "expected_purchases": n_exp, "p_alive": p_al,
        "expected_avg_order_value_amount": spend,
        "expected_value_amount": n_exp * spend * margin,
    })


def clv_params(bgnbd: dict[str, float], gamma_gamma: tuple[float, float, float]
               ) -> pd.DataFrame:
    """Parameters as DataFrame[model, parameter, value] (for a params / quality table)."""
    rows = [("bgnbd", k, bgnbd[k]) for k in ("r", "alpha", "a", "b")]
    rows += [("gamma_gamma", k, val) for k, val in zip("pqv", gamma_gamma, strict=True)]
    return pd.DataFrame(rows, columns=["model", "parameter", "value"])
