"""Headline CX metrics with intervals: NPS and CSAT, overall, per segment and per period.

- **NPS** (Net Promoter Score) on the 0-10 "would you recommend" answer: % promoters (9-10) minus
  % detractors (0-6), from -100 to 100. Its 95 % interval uses the multinomial variance
  ``(p_pro + p_det - (p_pro - p_det)**2) / n`` (normal approximation).
- **CSAT** on a 1-5 satisfaction answer: the share of 4s and 5s ("top-2-box", Wilson interval) and
  the mean (t interval).

Each returns a tidy frame with ``estimate``, ``ci_low``, ``ci_high`` and ``n``.
"""
from __future__ import annotations

import numbers
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from cxlib.errors import CxDataError, CxParameterError

__all__ = ["nps", "csat", "headline"]

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
