"""Shift alerts on the sentiment index: periods far outside their brand's recent band, with the mentions and
words behind them.

A period is compared with the ``window`` periods before it *within the same brand* (and channel or language
when the index has them), where a classifier's bias largely cancels. Its z-score is the distance from the
band's mean in units of the band's spread, taken as the larger of the spread of the recent periods and the
period's own sampling error. With ``sensitivity`` = 3, a stable series raises a false alarm in about
0.27 % of the periods tested (two-sided normal tail); :func:`shift_alerts` states the expected number for the
periods it tested in ``attrs["expected_false_alarms"]``.

Examples
--------
>>> idx = pd.DataFrame({"brand": "A", "period": pd.date_range("2025-01-06", periods=10, freq="W-MON"),
...                     "n": 100, "net_sentiment": [0.30, 0.32, 0.28, 0.31, 0.29, 0.30, 0.33, 0.29, 0.31, -0.40],
...                     "ci_low": 0.1, "ci_high": 0.5, "low_volume": False})
>>> shift_alerts(idx)[["brand", "kind"]].values.tolist()
[['A', 'sentiment drop']]
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.stats import norm
from scipy.stats import t as student_t
from sklearn.feature_extraction.text import CountVectorizer

from cxlib.errors import CxParameterError

__all__ = ["shift_alerts", "strongest_alert", "alert_examples", "rising_terms", "describe_alerts"]

_ALERT_COLUMNS = ["brand", "period", "kind", "value", "baseline", "z", "n"]


def shift_alerts(index: pd.DataFrame, window: int = 8, sensitivity: float = 3.0, *, min_periods: int = 4,
                 volume: bool = True) -> pd.DataFrame:
    """Periods whose net sentiment (or volume) falls outside the brand's recent band.

    Parameters
    ----------
    index : the output of :func:`cxlib.sentiment.sentiment_index`
    window : how many earlier periods form the band (low-volume periods are left out of it)
    sensitivity : z-score beyond which a period is an alert (3 = about 1 false alarm in 370 stable periods)
    min_periods : fewest usable earlier periods before a period is tested
    volume : also flag volume spikes (mentions above the band, Poisson-or-wider spread); periods the data
        cover only in part (``complete`` False) are not tested for volume nor used in its band

    Returns
    -------
    DataFrame: brand, period, [by columns], kind ("sentiment drop", "sentiment rise", "volume spike"),
    value, baseline, z, n; most severe first. ``attrs``: tests, expected_false_alarms, sensitivity, window.

    Examples
    --------
    >>> idx = pd.DataFrame({"brand": "A", "period": pd.date_range("2025-01-06", periods=10, freq="W-MON"),
    ...                     "n": [100, 96, 104, 99, 101, 98, 103, 100, 97, 310], "ci_low": 0.1, "ci_high": 0.5,
    ...                     "net_sentiment": [0.30, 0.32, 0.28, 0.31, 0.29, 0.30, 0.33, 0.29, 0.31, 0.30],
    ...                     "low_volume": False})
    >>> a = shift_alerts(idx)
    >>> a[["kind", "value", "n"]].values.tolist(), a.attrs["tests"]
    ([['volume spike', 310.0, 310]], 12)
    """
    if window < 2 or sensitivity <= 0:
        raise CxParameterError("window/sensitivity", "shifts.shift_alerts", "window >= 2 and sensitivity > 0",
                               (window, sensitivity))
    by = [c for c in index.columns if c not in ("brand", "period") and c in ("channel", "language")]
    z_conf = float(norm.ppf(0.5 + index.attrs.get("confidence", 0.95) / 2))
    rows, tests, volume_tests = [], 0, 0
    for key, g in index.sort_values("period").groupby(["brand", *by], sort=True):
        g = g.reset_index(drop=True)
        net = g["net_sentiment"].to_numpy(dtype=float)
        se = ((g["ci_high"] - g["ci_low"]) / (2 * z_conf)).to_numpy(dtype=float)
        n = g["n"].to_numpy(dtype=float)
        usable = ~g["low_volume"].to_numpy(dtype=bool) & np.isfinite(net)
        # volume of a period the data cover only in part (first or last) is not comparable
        whole = g["complete"].to_numpy(dtype=bool) if "complete" in g else np.ones(len(g), bool)
        for i in range(len(g)):
            earlier = np.flatnonzero(usable[:i])[-window:]
            if len(earlier) < min_periods:
                continue
            if usable[i]:
                tests += 1
                base = net[earlier].mean()
                band = net[earlier].std(ddof=1)
                own = se[i] if np.isfinite(se[i]) else 0.0
                spread = max(band, own, 1e-6)
                t = (net[i] - base) / (spread * np.sqrt(1 + 1 / len(earlier)))
                # a spread estimated from a few periods: Student's t; the period's own sampling error is known
                z = _as_normal(t, len(earlier) - 1) if band > own else float(t)
                if abs(z) >= sensitivity:
                    rows.append((*_key(key), g["period"][i], "sentiment drop" if z < 0 else "sentiment rise",
                                 net[i], base, z, int(n[i])))
            if volume and whole[i]:
                earlier = earlier[whole[earlier]]
                if len(earlier) < min_periods:
                    continue
                volume_tests += 1
                base_n = n[earlier].mean()
                band_n, poisson_n = n[earlier].std(ddof=1), np.sqrt(max(base_n, 1.0))
                tn = (n[i] - base_n) / (max(band_n, poisson_n) * np.sqrt(1 + 1 / len(earlier)))
                zn = _as_normal(tn, len(earlier) - 1) if band_n > poisson_n else float(tn)
                if zn >= sensitivity:
                    rows.append((*_key(key), g["period"][i], "volume spike", n[i], base_n, zn, int(n[i])))
    cols = ["brand", *by, "period", "kind", "value", "baseline", "z", "n"]
    out = pd.DataFrame(rows, columns=cols)
    out = out.reindex(out["z"].abs().sort_values(ascending=False).index).reset_index(drop=True)
    tail = 2 * norm.sf(sensitivity)
    out.attrs.update({"tests": tests + volume_tests, "sensitivity": sensitivity, "window": window,
                      "expected_false_alarms": float(tests * tail + volume_tests * tail / 2)})
    return out


def _as_normal(t: float, df: int) -> float:
    """The normal z-score with the same tail probability as Student's t with ``df`` degrees of freedom: the
    band's spread is estimated from a few periods, so a plain z would raise several times too many alarms."""
    return float(np.sign(t) * norm.isf(student_t.sf(abs(t), df)))


def _key(key: object) -> tuple:
    return key if isinstance(key, tuple) else (key,)


def _cell(scored: pd.DataFrame, brand: str, period: pd.Timestamp, freq: str) -> pd.Series:
    from cxlib.sentiment import period_start

    return (scored["brand"].astype(str) == str(brand)) & (period_start(scored["created_at"], freq) == period)


def alert_examples(scored: pd.DataFrame, brand: str, period: pd.Timestamp, freq: str = "W", n: int = 5,
                   side: str = "negative") -> pd.DataFrame:
    """The clearest mentions of one side in an alert cell, one per distinct text, PII redacted.

    Texts are returned as plain (redacted) text: show them in a DataFrame (pandas escapes HTML) or pass them
    through :func:`cxlib.text.quote_html` before writing them into Markdown.

    Examples
    --------
    >>> s = pd.DataFrame({"brand": "A", "created_at": ["2025-03-10"] * 2, "text": ["bad, call +44 20 7946 0958", "ok"],
    ...                   "language": "en", "negative": [0.9, 0.2]})
    >>> alert_examples(s, "A", pd.Timestamp("2025-03-10"))["text"].tolist()
    ['bad, call [phone]']
    """
    from cxlib.text import redact_pii

    cell = scored[_cell(scored, brand, period, freq) & (scored[side] >= 0.5)]
    cell = cell.sort_values(side, ascending=False, kind="stable")
    cell = cell[~cell["text"].astype(str).str.lower().str.strip().duplicated()].head(n)
    cols = [c for c in ("created_at", "channel", "language") if c in cell]
    out = cell[cols].copy()
    out["text"] = redact_pii(cell["text"].astype(str)).to_numpy()
    out[side] = cell[side].round(2).to_numpy()
    return out.reset_index(drop=True)


def rising_terms(scored: pd.DataFrame, brand: str, period: pd.Timestamp, freq: str = "W", *, window: int = 8,
                 side: str = "negative", top: int = 10) -> pd.DataFrame:
    """Words that rose on one side of a brand's mentions in ``period`` against its ``window`` earlier periods.

    Weighted log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008): each
    mention's words count by its probability of being on ``side``; the prior is the brand's word use over
    both windows. Returns word, count_now, count_before (weighted), log_odds, z (z > 1.96 rose clearly).

    Examples
    --------
    >>> s = pd.DataFrame({"brand": "A", "created_at": ["2025-03-03"] * 3 + ["2025-03-10"] * 3,
    ...                   "text": ["slow delivery", "slow app", "rude staff", "billing error", "billing error again",
    ...                            "slow app"], "negative": 1.0})
    >>> rising_terms(s, "A", pd.Timestamp("2025-03-10"), top=1)["word"].tolist()
    ['billing']
    """
    from cxlib.sentiment import period_start

    mine = scored[scored["brand"].astype(str) == str(brand)]
    start = period_start(mine["created_at"], freq)
    now = (start == period).to_numpy()
    earlier_periods = np.sort(start[start < period].unique())[-window:]
    before = start.isin(earlier_periods).to_numpy()
    both = now | before
    if now.sum() == 0 or before.sum() == 0:
        return pd.DataFrame(columns=["word", "count_now", "count_before", "log_odds", "z"])
    vec = CountVectorizer(token_pattern=r"(?u)\b[^\W\d_]{3,}\b", lowercase=True, min_df=2)
    from cxlib.text import redact_pii

    texts = redact_pii(mine.loc[both, "text"].astype(str)).to_numpy()
    try:
        X = vec.fit_transform(texts)
    except ValueError:  # no word occurs twice
        return pd.DataFrame(columns=["word", "count_now", "count_before", "log_odds", "z"])
    wts = mine.loc[both, side].to_numpy(dtype=float)
    is_now = now[both]
    y_now = np.asarray(X[is_now].T @ wts[is_now]).ravel()
    y_before = np.asarray(X[~is_now].T @ wts[~is_now]).ravel()
    prior = np.asarray(X.sum(axis=0)).ravel().astype(float)
    alpha = prior / prior.sum() * 100.0  # a prior worth 100 words
    a0, n1, n2 = alpha.sum(), y_now.sum(), y_before.sum()
    lo1 = np.log((y_now + alpha) / (n1 + a0 - y_now - alpha))
    lo2 = np.log((y_before + alpha) / (n2 + a0 - y_before - alpha))
    delta = lo1 - lo2
    z = delta / np.sqrt(1 / (y_now + alpha) + 1 / (y_before + alpha))
    out = pd.DataFrame({"word": vec.get_feature_names_out(), "count_now": y_now.round(1),
                        "count_before": y_before.round(1), "log_odds": delta, "z": z})
    return out.sort_values("z", ascending=False).head(top).reset_index(drop=True)


def strongest_alert(alerts: pd.DataFrame, brand: str) -> pd.Series | None:
    """The alert of ``brand`` to explain first: sentiment drops before volume spikes (a drop is what needs an
    answer), the largest |z| first within each kind; rises are left out. None when the brand has none.

    Examples
    --------
    >>> a = pd.DataFrame({"brand": ["A", "A", "A", "B"], "period": pd.to_datetime(["2025-03-03", "2025-03-10",
    ...                   "2025-04-07", "2025-03-10"]), "kind": ["volume spike", "sentiment drop", "sentiment drop",
    ...                   "sentiment drop"], "z": [9.0, -3.5, -5.0, -8.0]})
    >>> strongest_alert(a, "A")["period"].strftime("%Y-%m-%d")
    '2025-04-07'
    >>> strongest_alert(a, "C") is None
    True
    """
    ours = alerts[(alerts["brand"] == brand) & (alerts["kind"] != "sentiment rise")]
    if ours.empty:
        return None
    ours = ours.assign(_drop=ours["kind"] != "sentiment drop", _z=-ours["z"].abs())
    return ours.sort_values(["_drop", "_z"], kind="stable").drop(columns=["_drop", "_z"]).iloc[0]


def describe_alerts(alerts: pd.DataFrame, our_brand: str | None = None) -> str:
    """One paragraph on the alerts, for the report.

    Examples
    --------
    >>> a = pd.DataFrame({"brand": ["A"], "period": [pd.Timestamp("2025-03-10")], "kind": ["sentiment drop"],
    ...                   "value": [-0.4], "baseline": [0.3], "z": [-5.2], "n": [300]})
    >>> a.attrs.update(tests=200, expected_false_alarms=0.54, sensitivity=3.0)
    >>> print(describe_alerts(a, "A"))
    1 alert in 200 tests (about 0.5 expected by chance at sensitivity 3). A: sentiment drop in the period of 2025-03-10 (net sentiment -0.40 against a recent 0.30, z = -5.2).
    """
    if alerts.empty:
        return (f"No period left its recent band in {alerts.attrs.get('tests', 0)} tests (sensitivity "
                f"{alerts.attrs.get('sensitivity', 3):g}).")
    head = (f"{len(alerts)} alert{'s' if len(alerts) != 1 else ''} in {alerts.attrs.get('tests', 0)} tests (about "
            f"{alerts.attrs.get('expected_false_alarms', 0):.1f} expected by chance at sensitivity "
            f"{alerts.attrs.get('sensitivity', 3):g}).")
    order = alerts if our_brand is None else pd.concat([alerts[alerts["brand"] == our_brand],
                                                        alerts[alerts["brand"] != our_brand]])
    parts = []
    for r in order.head(3).itertuples():
        if r.kind == "volume spike":
            what = f"{int(r.value)} mentions against a recent {r.baseline:.0f}"
        else:
            what = f"net sentiment {r.value:.2f} against a recent {r.baseline:.2f}"
        parts.append(f"{r.brand}: {r.kind} in the period of {pd.Timestamp(r.period):%Y-%m-%d} ({what}, z = {r.z:.1f}).")
    return " ".join([head, *parts])
