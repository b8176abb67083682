"""Headline CX metrics with intervals: NPS and CSAT, overall, per segment and per period.

- **NPS** (Net Promoter Score) on the 0-10 "would you recommend" answer: % promoters (9-10) minus
  % detractors (0-6), from -100 to 100. Its 95 % interval uses the multinomial variance
  ``(p_pro + p_det - (p_pro - p_det)**2) / n`` (normal approximation).
- **CSAT** on a 1-5 satisfaction answer: the share of 4s and 5s ("top-2-box", Wilson interval) and
  the mean (t interval).

Each returns a tidy frame with ``estimate``, ``ci_low``, ``ci_high`` and ``n``.

Churn model checks (0/1 outcomes against predicted probabilities): :func:`lift_table` (lift and cumulative
gains by risk decile), :func:`top_decile_capture` and :func:`calibration_table` (reliability bins with Wilson
intervals, Brier score and expected calibration error); charts in :mod:`cxlib.plots`.
"""
from __future__ import annotations

import numbers
from collections.abc import Sequence

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import stats

from cxlib.errors import CxDataError, CxParameterError

__all__ = ["nps", "csat", "headline", "lift_table", "top_decile_capture", "calibration_table"]

_Z95 = 1.959963984540054


def _z(ci: float) -> float:
    return _Z95 if ci == 0.95 else float(stats.norm.ppf(0.5 + ci / 2))


def _groups(df: pd.DataFrame, by: Sequence[str] | str | None, period: str | None, date: str) -> list:
    keys: list = []
    if period:
        if date not in df.columns:
            raise CxDataError(str(df.attrs.get("source", "input")), date, "is missing", reason="missing_column",
                              hint="map your date column, or set period=None")
        keys.append(pd.to_datetime(df[date]).dt.to_period(period).dt.start_time.rename("period"))
    for col in ([by] if isinstance(by, str) else list(by or [])):
        if col not in df.columns:
            raise CxDataError(str(df.attrs.get("source", "input")), col, "is missing", reason="missing_column",
                              hint="pick a segment column that exists")
        keys.append(df[col])
    return keys


def _scores(df: pd.DataFrame, column: str, low: float, high: float) -> pd.Series:
    source = str(df.attrs.get("source", "input"))
    if column not in df.columns:
        raise CxDataError(source, column, "is missing", reason="missing_column",
                          hint=f"map your column with columns={{'Your name': '{column}'}}")
    s = pd.to_numeric(df[column], errors="coerce")
    bad = df[column].notna() & (s.isna() | (s < low) | (s > high))
    if bad.any():
        rows = (np.flatnonzero(bad.to_numpy()) + 1).tolist()
        raise CxDataError(source, column, f"has values outside {low:g}-{high:g}", rows=rows,
                          examples=df.loc[bad, column].head(5).tolist(), reason="out_of_range",
                          hint="check the scale (NPS is 0-10, CSAT 1-5) or rescale first")
    return s


def nps(df: pd.DataFrame, column: str = "nps", by: Sequence[str] | str | None = None, period: str | None = None,
        date: str = "date", ci: float = 0.95) -> pd.DataFrame:
    """Net Promoter Score with its interval, overall or per segment and/or period.

    Parameters
    ----------
    df : answers; ``column`` holds 0-10 scores (blank = not answered, left out).
    by : segment column(s); period : ``"W"``, ``"M"``, ``"Q"`` ... over the ``date`` column.

    Returns
    -------
    DataFrame: the group columns, ``estimate`` (NPS, -100..100), ``ci_low``, ``ci_high``,
    ``promoters``, ``passives``, ``detractors`` (shares 0-1) and ``n``.

    Examples
    --------
    >>> answers = pd.DataFrame({"nps": [10, 9, 8, 7, 6, 0, 10, 9, 9, 3]})
    >>> nps(answers)[["estimate", "promoters", "detractors", "n"]].round(2).to_dict("records")
    [{'estimate': 20.0, 'promoters': 0.5, 'detractors': 0.3, 'n': 10}]
    """
    s = _scores(df, column, 0, 10)
    frame = pd.DataFrame({"pro": (s >= 9).astype(float), "det": (s <= 6).astype(float), "ok": s.notna()})
    frame = frame[frame["ok"]]
    keys = _groups(df.loc[frame.index], by, period, date)
    g = frame.groupby(keys, sort=True) if keys else frame.groupby(np.zeros(len(frame)))
    out = g.agg(promoters=("pro", "mean"), detractors=("det", "mean"), n=("pro", "size"))
    if not keys:
        out = out.reset_index(drop=True)
    else:
        out = out.reset_index()
    out["passives"] = 1 - out["promoters"] - out["detractors"]
    diff = out["promoters"] - out["detractors"]
    se = np.sqrt(np.clip(out["promoters"] + out["detractors"] - diff ** 2, 0, None) / out["n"])
    z = _z(ci)
    out["estimate"] = 100 * diff
    out["ci_low"] = 100 * np.clip(diff - z * se, -1, 1)
    out["ci_high"] = 100 * np.clip(diff + z * se, -1, 1)
    cols = [c for c in out.columns if c not in ("estimate", "ci_low", "ci_high", "promoters", "passives",
                                                "detractors", "n")]
    return out[cols + ["estimate", "ci_low", "ci_high", "promoters", "passives", "detractors", "n"]]


def csat(df: pd.DataFrame, column: str = "overall_satisfaction", by: Sequence[str] | str | None = None,
         period: str | None = None, date: str = "date", scale: tuple[int, int] = (1, 5),
         ci: float = 0.95) -> pd.DataFrame:
    """CSAT: share of the top two answers (4-5 on 1-5) with a Wilson interval, and the mean with a t interval.

    Returns
    -------
    DataFrame: the group columns, ``estimate`` (top-2-box share, 0-1), ``ci_low``, ``ci_high``,
    ``mean``, ``mean_ci_low``, ``mean_ci_high`` and ``n``.

    Examples
    --------
    >>> answers = pd.DataFrame({"overall_satisfaction": [5, 4, 4, 3, 1, 5, 2, 4]})
    >>> r = csat(answers).iloc[0]
    >>> round(float(r["estimate"]), 3), round(float(r["mean"]), 3), int(r["n"])
    (0.625, 3.5, 8)
    """
    low, high = scale
    if not (all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in (low, high)) and high - low >= 2):
        raise CxParameterError("scale", "metrics.csat", "a (low, high) pair such as (1, 5)", scale)
    s = _scores(df, column, low, high)
    frame = pd.DataFrame({"top": (s >= high - 1).astype(float), "score": s})[s.notna()]
    keys = _groups(df.loc[frame.index], by, period, date)
    g = frame.groupby(keys, sort=True) if keys else frame.groupby(np.zeros(len(frame)))
    out = g.agg(estimate=("top", "mean"), mean=("score", "mean"), sd=("score", "std"), n=("top", "size"))
    out = out.reset_index() if keys else out.reset_index(drop=True)
    z = _z(ci)
    n, p = out["n"], out["estimate"]
    centre = (p + z ** 2 / (2 * n)) / (1 + z ** 2 / n)
    half = z * np.sqrt(p * (1 - p) / n + z ** 2 / (4 * n ** 2)) / (1 + z ** 2 / n)
    # the bounds always hold the estimate (at p = 0 or 1 rounding could put it a hair outside)
    out["ci_low"] = np.minimum(np.clip(centre - half, 0, 1), p)
    out["ci_high"] = np.maximum(np.clip(centre + half, 0, 1), p)
    t = stats.t.ppf(0.5 + ci / 2, np.maximum(n - 1, 1))
    half_mean = t * out["sd"].fillna(0) / np.sqrt(n)
    out["mean_ci_low"], out["mean_ci_high"] = out["mean"] - half_mean, out["mean"] + half_mean
    cols = [c for c in out.columns if c not in ("estimate", "ci_low", "ci_high", "mean", "mean_ci_low",
                                                "mean_ci_high", "n", "sd")]
    return out[cols + ["estimate", "ci_low", "ci_high", "mean", "mean_ci_low", "mean_ci_high", "n"]]


def headline(df: pd.DataFrame, by: Sequence[str] | str | None = None) -> pd.DataFrame:
    """NPS and CSAT side by side for the columns ``df`` has (``nps``, ``overall_satisfaction``).

    Returns
    -------
    DataFrame: ``metric``, the group columns, ``estimate``, ``ci_low``, ``ci_high``, ``n`` (empty when
    ``df`` has neither column).

    Examples
    --------
    >>> df = pd.DataFrame({"nps": [10, 9, 3, 8], "overall_satisfaction": [5, 4, 2, 4]})
    >>> headline(df)[["metric", "estimate", "n"]].to_dict("records")
    [{'metric': 'NPS (-100 to 100)', 'estimate': 25.0, 'n': 4}, {'metric': 'CSAT (share of 4-5)', 'estimate': 0.75, 'n': 4}]
    """
    parts = []
    if "nps" in df.columns:
        parts.append(nps(df, by=by).assign(metric="NPS (-100 to 100)"))
    if "overall_satisfaction" in df.columns:
        parts.append(csat(df, by=by).assign(metric="CSAT (share of 4-5)"))
    if not parts:
        return pd.DataFrame(columns=["metric", "estimate", "ci_low", "ci_high", "n"])
    keys = [c for c in parts[0].columns if c not in ("estimate", "ci_low", "ci_high", "promoters", "passives",
                                                      "detractors", "n", "mean", "mean_ci_low", "mean_ci_high", "metric")]
    return pd.concat([p[["metric", *keys, "estimate", "ci_low", "ci_high", "n"]] for p in parts], ignore_index=True)


# --- churn model checks: lift, gains and calibration -----------------------------------------------------------

def _wilson(k: np.ndarray, n: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of k successes in n trials; the bounds always hold k / n."""
    p = k / n
    centre = (p + z ** 2 / (2 * n)) / (1 + z ** 2 / n)
    half = z * np.sqrt(p * (1 - p) / n + z ** 2 / (4 * n ** 2)) / (1 + z ** 2 / n)
    return np.minimum(np.clip(centre - half, 0, 1), p), np.maximum(np.clip(centre + half, 0, 1), p)


def _outcome_and_probability(y_true: ArrayLike, probability: ArrayLike, where: str) -> tuple[np.ndarray, np.ndarray]:
    """Check a 0/1 outcome and predicted probabilities at the boundary; return them as float arrays."""
    y_raw, p_raw = np.asarray(y_true), np.asarray(probability)
    if y_raw.ndim != 1:
        raise CxParameterError("y_true", where, "a 1-D array of 0/1 outcomes", f"an array of shape {y_raw.shape}")
    if p_raw.ndim != 1:
        raise CxParameterError("probability", where, "a 1-D array of churn probabilities",
                               f"an array of shape {p_raw.shape}",
                               hint="Pass the churn column only, e.g. model.predict_proba(X)[:, 1].")
    if len(p_raw) != len(y_raw):
        raise CxParameterError("probability", where, f"as long as y_true ({len(y_raw)} values)", len(p_raw),
                               hint="Pass one prediction per customer of y_true, in the same order.")
    try:
        y = y_raw.astype(float)
        bad_y = ~np.isin(y, (0.0, 1.0))
    except (TypeError, ValueError):
        bad_y = ~pd.Series(y_raw, dtype=object).isin([0, 1]).to_numpy()
    if bad_y.any():
        raise CxParameterError("y_true", where, "0/1 (or True/False) outcomes, 1 = churned",
                               pd.unique(pd.Series(y_raw[bad_y], dtype=object)).tolist()[:5],
                               hint=f"{int(bad_y.sum())} value(s) are neither, first at position "
                                    f"{int(np.flatnonzero(bad_y)[0])} (0-based). Map labels such as 'Yes'/'No' to 1/0.")
    try:
        p = p_raw.astype(float)
    except (TypeError, ValueError):
        raise CxParameterError("probability", where, "numbers between 0 and 1",
                               f"values of type {p_raw.dtype}") from None
    bad_p = ~(np.isfinite(p) & (p >= 0) & (p <= 1))
    if bad_p.any():
        raise CxParameterError("probability", where, "probabilities between 0 and 1 (no blanks)",
                               p[bad_p][:5].tolist(),
                               hint=f"{int(bad_p.sum())} value(s) are outside, first at position "
                                    f"{int(np.flatnonzero(bad_p)[0])} (0-based). Pass predict_proba(X)[:, 1], "
                                    "not decision_function scores or log-odds.")
    if not 0 < y.sum() < len(y):
        raise CxParameterError("y_true", where, "both churners (1) and non-churners (0)",
                               pd.unique(pd.Series(y_raw, dtype=object)).tolist(),
                               hint="Lift and calibration compare the two groups; check the filter or the outcome.")
    return y, p


def _check_bins(bins: object, where: str, most: int | None = None) -> int:
    if not (isinstance(bins, numbers.Integral) and not isinstance(bins, bool) and 1 <= bins <= (most or bins)):
        allowed = f"an int between 1 and the number of customers ({most})" if most else "an int >= 1"
        raise CxParameterError("bins", where, allowed, bins)
    return int(bins)


def _risk_order(probability: np.ndarray) -> np.ndarray:
    # A stable sort: customers with equal probability keep their input order, so the grouping is reproducible
    # and never looks at the outcome (sorting ties churners-first would flatter the model).
    return np.argsort(-probability, kind="stable")


def lift_table(y_true: ArrayLike, probability: ArrayLike, bins: int = 10) -> pd.DataFrame:
    """Lift and cumulative gains of a churn model: customers ranked by predicted risk, cut into equal groups.

    Customers are sorted from the highest to the lowest ``probability`` and cut into ``bins`` groups of
    equal size (when the count does not divide, the first ``n % bins`` groups hold one customer more).
    Ties keep their input order (a stable sort), so the table is reproducible and the outcome never
    decides which tied customer comes first.

    Parameters
    ----------
    y_true : 1-D 0/1 (or True/False) outcomes, 1 = churned; both classes must be present.
    probability : 1-D predicted churn probabilities (0-1), one per customer, e.g. ``predict_proba(X)[:, 1]``.
    bins : number of groups, 10 for deciles; at most the number of customers.

    Returns
    -------
    DataFrame, one row per group, highest risk first:
    ``decile`` (1 = highest risk; the group number when ``bins`` is not 10), ``min_probability`` and
    ``max_probability`` (the scores the group spans), ``customers``, ``churners``, ``churn_rate`` (0-1),
    ``lift`` (the group's churn rate / the overall churn rate; 1 = no better than random),
    ``cumulative_share_of_customers`` (0-1), ``cumulative_gain`` (share of all churners in this group and the
    ones above it, 0-1) and ``cumulative_lift`` (``cumulative_gain / cumulative_share_of_customers``).
    ``attrs["churn_rate"]`` holds the overall churn rate.

    Examples
    --------
    >>> y = [1, 1, 0, 1, 0, 0, 1, 0, 0, 0]
    >>> p = [.9, .8, .7, .6, .5, .4, .3, .2, .1, .05]
    >>> t = lift_table(y, p, bins=5)
    >>> t[["decile", "customers", "churners", "lift", "cumulative_gain"]].round(3).to_dict("list")
    {'decile': [1, 2, 3, 4, 5], 'customers': [2, 2, 2, 2, 2], 'churners': [2, 1, 0, 1, 0], 'lift': [2.5, 1.25, 0.0, 1.25, 0.0], 'cumulative_gain': [0.5, 0.75, 0.75, 1.0, 1.0]}
    """
    where = "metrics.lift_table"
    y, p = _outcome_and_probability(y_true, probability, where)
    n = len(y)
    bins = _check_bins(bins, where, most=n)
    order = _risk_order(p)
    y_sorted, p_sorted = y[order], p[order]
    sizes = np.full(bins, n // bins)
    sizes[: n % bins] += 1
    ends = np.cumsum(sizes)
    starts = ends - sizes
    churners = np.add.reduceat(y_sorted, starts)
    overall = y.sum() / n
    out = pd.DataFrame({
        "decile": np.arange(1, bins + 1),
        "min_probability": p_sorted[ends - 1],
        "max_probability": p_sorted[starts],
        "customers": sizes,
        "churners": churners.astype(int),
        "churn_rate": churners / sizes,
    })
    out["lift"] = out["churn_rate"] / overall
    out["cumulative_share_of_customers"] = ends / n
    out["cumulative_gain"] = np.cumsum(churners) / y.sum()
    out["cumulative_lift"] = out["cumulative_gain"] / out["cumulative_share_of_customers"]
    out.attrs["churn_rate"] = float(overall)
    return out


def top_decile_capture(y_true: ArrayLike, probability: ArrayLike) -> float:
    """Share of all churners (0-1) found among the 10 % of customers with the highest predicted risk.

    The top 10 % is ``ceil(n / 10)`` customers, ranked as in :func:`lift_table` (ties keep their input
    order), so it equals ``lift_table(...)["cumulative_gain"].iloc[0]`` whenever there are 10 customers or
    more. A random ranking captures about 0.1; a perfect one ``min(1, 0.1 / churn rate)``.

    Examples
    --------
    >>> y = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1]
    >>> p = [.9, .1, .1, .2, .1, .1, .3, .1, .1, .1, .8, .1, .1, .1, .2, .1, .1, .1, .1, .4]
    >>> round(top_decile_capture(y, p), 3)
    0.667
    """
    y, p = _outcome_and_probability(y_true, probability, "metrics.top_decile_capture")
    top = _risk_order(p)[: -(-len(y) // 10)]
    return float(y[top].sum() / y.sum())


def calibration_table(y_true: ArrayLike, probability: ArrayLike, bins: int = 10, strategy: str = "quantile",
                      ci: float = 0.95) -> pd.DataFrame:
    """Reliability table of a churn model: predicted vs observed churn rate per probability bin.

    The bins are those of :func:`sklearn.calibration.calibration_curve` (``n_bins=bins``, same ``strategy``):
    ``"uniform"`` cuts 0-1 into equal widths, ``"quantile"`` into groups of about equal size; each bin holds
    the probabilities above its lower edge up to and including its upper edge (the first one includes its
    lower edge too). Empty bins are left out, as sklearn does, so ``mean_predicted`` and ``observed_rate``
    equal its ``prob_pred`` and ``prob_true``.

    Parameters
    ----------
    y_true : 1-D 0/1 (or True/False) outcomes, 1 = churned; both classes must be present.
    probability : 1-D predicted churn probabilities (0-1), one per customer.
    bins : number of bins before empty ones are dropped (ties in ``"quantile"`` can merge bins).
    strategy : ``"quantile"`` or ``"uniform"``.
    ci : level of the Wilson interval of each observed rate.

    Returns
    -------
    DataFrame, one row per non-empty bin: ``bin`` (1-based position among the ``bins``), ``bin_low`` and
    ``bin_high`` (its edges, 0-1), ``mean_predicted`` (mean probability in the bin, 0-1), ``observed_rate``
    (share that churned, 0-1), ``ci_low`` and ``ci_high`` (Wilson interval of ``observed_rate``) and ``n``
    (customers). ``attrs["brier"]``: the Brier score, mean squared difference between probability and outcome
    over all customers (0-1, lower is better; sklearn's ``brier_score_loss``). ``attrs["ece"]``: the expected
    calibration error, ``sum(n / total * |observed_rate - mean_predicted|)`` over these bins (0-1, 0 = perfectly
    calibrated; it depends on the binning and small bins push it up). Attrs do not survive every pandas
    operation: read them straight from the result.

    Examples
    --------
    >>> y = [0, 0, 1, 0, 1, 1, 0, 1]
    >>> p = [.1, .2, .2, .3, .6, .7, .8, .9]
    >>> cal = calibration_table(y, p, bins=2, strategy="uniform")
    >>> cal[["bin", "mean_predicted", "observed_rate", "n"]].round(3).to_dict("list")
    {'bin': [1, 2], 'mean_predicted': [0.2, 0.75], 'observed_rate': [0.25, 0.75], 'n': [4, 4]}
    >>> round(cal.attrs["ece"], 3), round(cal.attrs["brier"], 3)
    (0.025, 0.21)
    """
    where = "metrics.calibration_table"
    y, p = _outcome_and_probability(y_true, probability, where)
    bins = _check_bins(bins, where)
    if strategy not in ("quantile", "uniform"):
        raise CxParameterError("strategy", where, "'quantile' or 'uniform'", strategy)
    if not (isinstance(ci, numbers.Real) and 0 < ci < 1):
        raise CxParameterError("ci", where, "a level between 0 and 1, e.g. 0.95", ci)
    if strategy == "quantile":
        edges = np.percentile(p, np.linspace(0, 1, bins + 1) * 100)
    else:
        edges = np.linspace(0.0, 1.0, bins + 1)
    # sklearn's rule: searchsorted on the inner edges puts a value equal to an edge in the lower bin
    ids = np.searchsorted(edges[1:-1], p)
    n = np.bincount(ids, minlength=bins)
    predicted = np.bincount(ids, weights=p, minlength=bins)
    churned = np.bincount(ids, weights=y, minlength=bins)
    keep = n > 0
    n, predicted, churned = n[keep], predicted[keep] / n[keep], churned[keep]
    observed = churned / n
    low, high = _wilson(churned, n, _z(ci))
    out = pd.DataFrame({
        "bin": np.arange(1, bins + 1)[keep], "bin_low": edges[:-1][keep], "bin_high": edges[1:][keep],
        "mean_predicted": predicted, "observed_rate": observed, "ci_low": low, "ci_high": high, "n": n,
    })
    out.attrs["brier"] = float(np.mean((p - y) ** 2))
    out.attrs["ece"] = float(np.sum(n / len(y) * np.abs(observed - predicted)))
    return out
