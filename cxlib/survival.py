"""When customers leave: retention curves, their comparison and the hazard ratios of churn drivers.

The "when" part of churn prediction, on a customers table with a duration (``tenure_months``) and an
event (``churned``: yes/no in any spelling, a bool or 0/1):

- :func:`retention_curves`: Kaplan-Meier retention per segment with intervals (the share of customers
  still with us ``t`` months after joining);
- :func:`retention_summary`: the retention at chosen months (6, 12, 24), read off those curves;
- :func:`logrank_test`: whether the segments' curves differ (multivariate log-rank test);
- :func:`hazard_ratios`: a Cox proportional-hazards model: how much each driver multiplies the risk of
  leaving in any given month, with a proportional-hazards check;
- :func:`describe_retention`: a Markdown paragraph written from those numbers.

Figures: :func:`cxlib.plots.retention_chart` and :func:`cxlib.plots.hazard_ratio_chart`.

A customers *snapshot* holds the months each customer has been with us so far and whether they have
left. Reading it as (duration, event) is common practice but an approximation: it treats the customers
as one cohort followed from joining, so churners and stayers who joined in different years are compared
as if they had joined together, and changes over calendar time are folded into the curves.
lifelines is imported inside the functions, so that ``import cxlib`` stays light.
"""
from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from cxlib.errors import CxDataError, CxParameterError

__all__ = ["retention_curves", "retention_summary", "logrank_test", "hazard_ratios", "describe_retention"]

_CURVE_COLUMNS = ["segment", "time", "retention", "ci_low", "ci_high", "at_risk", "events"]
_HAZARD_COLUMNS = ["feature", "coef", "hazard_ratio", "ci_low", "ci_high", "p", "reference", "ph_p"]
_MAX_LEVELS = 20  # a text covariate with more levels is an identifier or free text, not a category


# --- input ------------------------------------------------------------------------------------------------------

def _source(df: pd.DataFrame) -> str:
    return str(df.attrs.get("source", "customers"))


def _positions(mask: pd.Series | np.ndarray) -> list[int]:
    return (np.flatnonzero(np.asarray(mask)) + 1).tolist()


def _blank(raw: pd.Series) -> pd.Series:
    return raw.isna() | (raw.astype("string").str.strip() == "").fillna(True)


def _check_frame(customers: pd.DataFrame, columns: Sequence[str], where: str) -> str:
    if not isinstance(customers, pd.DataFrame):
        raise CxParameterError("customers", where, "a pandas DataFrame", type(customers).__name__)
    source = _source(customers)
    theirs = customers.attrs.get("column_map", {})
    for col in columns:
        if col not in customers.columns:
            raise CxDataError(source, col, "is missing", their_column=theirs.get(col), reason="missing_column",
                              hint=f"map your column with columns={{'Your name': '{col}'}} or pick from: "
                                   f"{', '.join(map(str, customers.columns[:12]))}")
    return source


def _durations(raw: pd.Series, source: str, column: str) -> pd.Series:
    """Durations as floats (NaN = blank); text that is no number and negative values are errors."""
    if pd.api.types.is_bool_dtype(raw):
        raise CxDataError(source, column, "holds yes/no values where durations are expected", reason="wrong_type",
                          hint="pick the column with the months each customer has been with us")
    value = pd.to_numeric(raw, errors="coerce") if not pd.api.types.is_numeric_dtype(raw) else raw.astype(float)
    bad = value.isna() & ~_blank(raw)
    if bad.any():
        raise CxDataError(source, column, "has text where a number of months is expected", rows=_positions(bad),
                          examples=raw[bad].head(5).tolist(), reason="wrong_type",
                          hint="recode the durations as numbers (blank = unknown, the row is left out)")
    negative = value < 0
    if negative.any():
        raise CxDataError(source, column, "has negative durations", rows=_positions(negative),
                          examples=value[negative].head(5).tolist(), reason="out_of_range",
                          hint="a duration is the time since joining (>= 0); check the dates it came from")
    return value.astype(float)


def _yes_no(raw: pd.Series, source: str, column: str) -> pd.Series:
    """A yes/no column (any spelling, bool or 0/1) as floats 1/0, NaN = blank."""
    from cxlib.schemas import parse_yes_no

    if pd.api.types.is_bool_dtype(raw):
        return raw.astype("boolean").astype("Float64").astype(float)
    if pd.api.types.is_numeric_dtype(raw):
        bad = raw.notna() & ~raw.isin([0, 1])
        if bad.any():
            raise CxDataError(source, column, "has numbers other than 0 and 1", rows=_positions(bad),
                              examples=raw[bad].head(5).tolist(), reason="out_of_range",
                              hint="use 1 = left and 0 = still a customer (or yes/no)")
        return raw.astype(float)
    try:
        parsed = parse_yes_no(raw)
    except ValueError as exc:
        unknown = exc.args[0] if exc.args else []
        text = raw.astype("string").str.strip().str.lower()
        rows = _positions(text.isin(unknown).fillna(False))
        raise CxDataError(source, column, "has answers that are not yes/no", rows=rows, examples=unknown,
                          reason="unknown_yes_no", hint="use yes/no, y/n, true/false or 1/0 "
                                                        "(blank = unknown, the row is left out)") from None
    return parsed.astype("Float64").astype(float)


def _survival_frame(customers: pd.DataFrame, duration: str, event: str, others: Sequence[str],
                    where: str) -> tuple[pd.DataFrame, dict[str, int], str]:
    """Rows with a duration and an event, as ``_t`` and ``_e`` (+ the raw ``others``); blanks counted per column."""
    if duration == event:
        raise CxParameterError("event", where, f"a column other than the duration '{duration}'", event)
    source = _check_frame(customers, [duration, event, *others], where)
    t = _durations(customers[duration], source, duration)
    e = _yes_no(customers[event], source, event)
    frame = pd.DataFrame({"_t": t.to_numpy(), "_e": e.to_numpy()}, index=customers.index)
    for col in others:
        frame[col] = customers[col].where(~_blank(customers[col]))
    dropped = {col: int(frame[key].isna().sum())
               for col, key in [(duration, "_t"), (event, "_e"), *[(c, c) for c in others]]}
    frame = frame.dropna()
    if frame.empty:
        empty = [col for col, n in dropped.items() if n == len(customers)]
        if empty:
            raise CxDataError(source, ", ".join(empty), "is blank in every row", reason="too_few_rows",
                              hint="fill it in, map another column, or leave it out")
        raise CxDataError(source, None, f"has no row where {', '.join(dropped)} are all given", reason="too_few_rows",
                          hint="fill in the blanks or leave a column out")
    if frame["_e"].nunique() < 2:
        what = ("has no churners: every customer is still with us" if frame["_e"].iloc[0] == 0
                else "has only churners: no customer is still with us")
        raise CxDataError(source, event, what, reason="one_class",
                          hint="retention needs both customers who left and customers who stayed; check the "
                               "yes/no coding or the filter that selected the rows")
    return frame, {k: v for k, v in dropped.items() if v}, source


def _check_ci(ci: float, where: str) -> float:
    if isinstance(ci, bool) or not isinstance(ci, (int, float)) or not 0 < ci < 1:
        raise CxParameterError("ci", where, "a float between 0 and 1 (e.g. 0.95)", ci)
    return float(ci)


def _segments(frame: pd.DataFrame, by: str | None, min_customers: int) -> tuple[list, dict]:
    if by is None:
        return [("all", frame)], {}
    sizes = frame.groupby(by, sort=True).size()
    kept = [(name, frame[frame[by] == name]) for name in sizes.index if sizes[name] >= min_customers]
    return kept, {name: int(n) for name, n in sizes.items() if n < min_customers}


# --- Kaplan-Meier ------------------------------------------------------------------------------------------------

def retention_curves(customers: pd.DataFrame, duration: str = "tenure_months", event: str = "churned",
                     by: str | None = None, ci: float = 0.95, min_customers: int = 10) -> pd.DataFrame:
    """Kaplan-Meier retention curves (share of customers still with us ``t`` months after joining), per segment.

    Parameters
    ----------
    customers : one row per customer; ``duration`` holds the months since joining (>= 0), ``event`` whether
        the customer has left (yes/no in any spelling, bool or 1/0). Read from a snapshot table (months so far,
        left or not) this is an approximation: see the module docstring.
    by : segment column (e.g. ``"contract"``); ``None`` gives one curve, segment ``"all"``.
    ci : level of the pointwise interval (lifelines' exponential Greenwood, i.e. R's ``conf.type="log-log"``).
    min_customers : segments with fewer customers are left out and listed in ``attrs["skipped"]``.

    Returns
    -------
    DataFrame with one row per segment and observed time: ``segment``, ``time`` (months), ``retention``
    (share still with us, 0-1, a step function: valid from ``time`` up to the next row), ``ci_low``, ``ci_high``,
    ``at_risk`` (customers with us just before ``time``) and ``events`` (customers who left at ``time``).
    ``attrs``: ``median`` (months until half have left, per segment; ``inf`` when the curve never drops to 0.5),
    ``median_ci``, ``n`` (customers per segment), ``n_dropped`` and ``dropped`` (rows without a duration, event
    or segment, per column), ``skipped`` (small segments and their sizes), ``ci``, ``duration``, ``event``, ``by``.

    Examples
    --------
    >>> df = pd.DataFrame({"tenure_months": [1, 2, 2, 3, 5] * 2, "churned": ["yes", "yes", "no", "yes", "no"] * 2})
    >>> curves = retention_curves(df)
    >>> curves[["time", "retention"]].round(3).to_dict("list")
    {'time': [0.0, 1.0, 2.0, 3.0, 5.0], 'retention': [1.0, 0.8, 0.6, 0.3, 0.3]}
    >>> curves[["at_risk", "events"]].to_dict("list")
    {'at_risk': [10, 10, 8, 4, 2], 'events': [0, 2, 2, 2, 0]}
    >>> curves.attrs["median"]
    {'all': 3.0}
    """
    from lifelines import KaplanMeierFitter
    from lifelines.utils import median_survival_times

    where = "survival.retention_curves"
    ci = _check_ci(ci, where)
    if isinstance(min_customers, bool) or not isinstance(min_customers, (int, np.integer)) or min_customers < 1:
        raise CxParameterError("min_customers", where, "an int >= 1", min_customers)
    if by is not None and by in (duration, event):
        raise CxParameterError("by", where, "a segment column other than the duration and the event", by)
    frame, dropped, source = _survival_frame(customers, duration, event, [by] if by else [], where)
    groups, skipped = _segments(frame, by, min_customers)
    if not groups:
        raise CxDataError(source, by, f"has no segment with at least {min_customers} customers",
                          reason="too_few_rows", hint="use a coarser segment column or lower min_customers")
    parts, medians, median_ci, sizes = [], {}, {}, {}
    for name, part in groups:
        kmf = KaplanMeierFitter(alpha=1 - ci).fit(part["_t"], part["_e"])
        table = kmf.event_table.reindex(kmf.survival_function_.index)
        bounds = kmf.confidence_interval_survival_function_
        parts.append(pd.DataFrame({
            "segment": name, "time": kmf.survival_function_.index.to_numpy(dtype=float),
            "retention": kmf.survival_function_.iloc[:, 0].to_numpy(dtype=float),
            "ci_low": bounds.iloc[:, 0].to_numpy(dtype=float), "ci_high": bounds.iloc[:, 1].to_numpy(dtype=float),
            "at_risk": table["at_risk"].fillna(0).to_numpy(dtype=int),
            "events": table["observed"].fillna(0).to_numpy(dtype=int)}))
        medians[name] = float(kmf.median_survival_time_)
        low_high = median_survival_times(kmf.confidence_interval_survival_function_).iloc[0]
        median_ci[name] = (float(low_high.iloc[0]), float(low_high.iloc[1]))
        sizes[name] = len(part)
    out = pd.concat(parts, ignore_index=True)[_CURVE_COLUMNS]
    out.attrs = {"median": medians, "median_ci": median_ci, "n": sizes, "n_dropped": len(customers) - len(frame),
                 "dropped": dropped, "skipped": skipped, "ci": ci, "duration": duration, "event": event, "by": by,
                 "source": source}
    return out


def _check_curves(curves: pd.DataFrame, where: str) -> None:
    if not isinstance(curves, pd.DataFrame) or not set(_CURVE_COLUMNS) <= set(curves.columns):
        raise CxParameterError("curves", where, "a frame from survival.retention_curves (columns "
                               + ", ".join(_CURVE_COLUMNS) + ")", type(curves).__name__)


def retention_summary(curves: pd.DataFrame, at: Sequence[float] = (6, 12, 24)) -> pd.DataFrame:
    """Retention at chosen months with intervals, read off the step functions of :func:`retention_curves`.

    Parameters
    ----------
    curves : the frame of :func:`retention_curves`.
    at : months since joining.

    Returns
    -------
    DataFrame with one row per segment and month: ``segment``, ``month``, ``retention`` (share still with
    us, 0-1), ``ci_low``, ``ci_high`` and ``at_risk`` (customers still observed at that month: few means a
    wide interval). A month past a segment's longest observed duration has NaN retention (the curve is not
    known there); such months are listed in ``attrs["beyond_follow_up"]``.

    Examples
    --------
    >>> df = pd.DataFrame({"tenure_months": [1, 2, 2, 3, 5] * 2, "churned": [1, 1, 0, 1, 0] * 2})
    >>> s = retention_summary(retention_curves(df), at=[2, 4, 12])
    >>> s[["month", "retention", "at_risk"]].round(3).to_dict("list")
    {'month': [2.0, 4.0, 12.0], 'retention': [0.6, 0.3, nan], 'at_risk': [8, 2, 0]}
    """
    where = "survival.retention_summary"
    _check_curves(curves, where)
    months = [at] if isinstance(at, (int, float)) else list(at)
    if not months or any(isinstance(m, bool) or not isinstance(m, (int, float, np.integer, np.floating))
                         or not m >= 0 for m in months):
        raise CxParameterError("at", where, "a list of months >= 0", at)
    rows, beyond = [], []
    for name, part in curves.groupby("segment", sort=False):
        part = part.sort_values("time")
        time = part["time"].to_numpy()
        for m in months:
            i = int(np.searchsorted(time, m, side="right")) - 1   # last step at or before m
            j = int(np.searchsorted(time, m, side="left"))        # first observed time at or after m
            known = 0 <= i and m <= time[-1]
            if not known:
                beyond.append((name, float(m)))
            row = part.iloc[i] if known else None
            rows.append({"segment": name, "month": float(m),
                         **{c: float(row[c]) if known else np.nan for c in ("retention", "ci_low", "ci_high")},
                         "at_risk": int(part["at_risk"].iloc[j]) if j < len(part) else 0})
    out = pd.DataFrame(rows, columns=["segment", "month", "retention", "ci_low", "ci_high", "at_risk"])
    out.attrs = {"at": [float(m) for m in months], "beyond_follow_up": beyond, "ci": curves.attrs.get("ci")}
    return out


def logrank_test(customers: pd.DataFrame, duration: str = "tenure_months", event: str = "churned",
                 by: str = "contract", min_customers: int = 10) -> pd.DataFrame:
    """Whether retention differs between segments: the multivariate log-rank test (lifelines).

    The null hypothesis is that every segment has the same retention curve. Segments with fewer than
    ``min_customers`` customers are left out, as in :func:`retention_curves`.

    Returns
    -------
    One-row DataFrame: ``test_statistic`` (chi-square), ``p``, ``degrees_of_freedom`` (segments - 1),
    ``segments`` (the segments compared, comma-separated) and ``n`` (customers used). ``attrs`` holds
    ``n_dropped``, ``dropped`` and ``skipped`` as in :func:`retention_curves`.

    Examples
    --------
    >>> df = pd.DataFrame({"tenure_months": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] * 2,
    ...                    "churned": [1] * 10 + [0] * 10, "plan": ["basic"] * 10 + ["premium"] * 10})
    >>> r = logrank_test(df, by="plan").iloc[0]
    >>> int(r["degrees_of_freedom"]), r["segments"], bool(r["p"] < 0.01)
    (1, 'basic, premium', True)
    """
    from lifelines.statistics import multivariate_logrank_test

    where = "survival.logrank_test"
    if not isinstance(by, str) or by in (duration, event):
        raise CxParameterError("by", where, "a segment column other than the duration and the event", by)
    frame, dropped, source = _survival_frame(customers, duration, event, [by], where)
    groups, skipped = _segments(frame, by, min_customers)
    if len(groups) < 2:
        raise CxDataError(source, by, f"has {len(groups)} segment(s) with at least {min_customers} customers; "
                          "the test compares two or more", reason="too_few_rows",
                          hint="use another segment column or lower min_customers")
    used = pd.concat([part for _, part in groups])
    result = multivariate_logrank_test(used["_t"], used[by], used["_e"])
    out = pd.DataFrame([{"test_statistic": float(result.test_statistic), "p": float(result.p_value),
                         "degrees_of_freedom": int(result.degrees_of_freedom),
                         "segments": ", ".join(str(name) for name, _ in groups), "n": len(used)}])
    out.attrs = {"n_dropped": len(customers) - len(frame), "dropped": dropped, "skipped": skipped, "by": by,
                 "source": source}
    return out


# --- Cox model --------------------------------------------------------------------------------------------------

def _single_yes_no(value) -> bool | None:
    from cxlib.schemas import parse_yes_no

    try:
        parsed = parse_yes_no(pd.Series([value], dtype=object)).iloc[0]
    except ValueError:
        return None
    return None if pd.isna(parsed) else bool(parsed)


def _encode(raw: pd.Series, col: str, reference: Mapping[str, str], source: str, explicit: bool,
            where: str) -> tuple[pd.DataFrame | None, str, str]:
    """The design columns of one covariate, its reference text, and a reason when it cannot be used."""
    if pd.api.types.is_bool_dtype(raw):
        return pd.DataFrame({col: raw.astype("boolean").astype("Float64").astype(float)}), "no", ""
    if pd.api.types.is_numeric_dtype(raw):
        return pd.DataFrame({col: raw.astype(float)}), "per +1", ""
    present = raw.dropna()
    numbers = pd.to_numeric(present, errors="coerce")
    if len(present) and numbers.notna().all():
        return pd.DataFrame({col: pd.to_numeric(raw, errors="coerce").astype(float)}), "per +1", ""
    text = raw.astype("string").str.strip()
    levels = sorted(text.dropna().unique().tolist())
    if len(levels) > _MAX_LEVELS:
        if explicit:
            raise CxDataError(source, col, f"has {len(levels)} different text values; a categorical covariate "
                              f"may have at most {_MAX_LEVELS}", examples=levels[:5], reason="too_many_levels",
                              hint="group the rare values, or leave the column out of covariates")
        return None, "", f"{len(levels)} different text values (an identifier or free text?)"
    answers = {lv: _single_yes_no(lv) for lv in levels}
    known = [lv for lv in levels if answers[lv] is not None]
    if known and len(known) == len(levels) and len({answers[lv] for lv in levels}) > 1:
        return pd.DataFrame({col: text.map(answers).astype(float)}), "no", ""
    if known and text.isin(known).sum() >= 0.8 * text.notna().sum():
        odd = [lv for lv in levels if answers[lv] is None]
        raise CxDataError(source, col, "has answers that are not yes/no", examples=odd, reason="unknown_yes_no",
                          rows=_positions(text.isin(odd).fillna(False)),
                          hint="use yes/no, y/n, true/false or 1/0 (blank = unknown)")
    base = reference.get(col, levels[0] if levels else None)
    if base not in levels:
        raise CxParameterError("reference", where, f"a level of '{col}' (one of {', '.join(levels[:10])})", base)
    dummies = {f"{col}={lv}": (text == lv).astype(float).where(text.notna()) for lv in levels if lv != base}
    return pd.DataFrame(dummies, index=raw.index), str(base), ""


def _collinear(x: pd.DataFrame) -> list[str]:
    """The features involved in an exact linear dependence (empty when the design has full rank)."""
    z = x.to_numpy(dtype=float)
    z = z - z.mean(axis=0)
    z = z / np.where(z.std(axis=0) > 0, z.std(axis=0), 1)
    _, s, vt = np.linalg.svd(z, full_matrices=False)
    small = s < 1e-8 * max(s.max(), 1)
    if not small.any():
        return []
    weight = np.abs(vt[small]).max(axis=0)
    return [f for f, w in zip(x.columns, weight) if w > 0.05]


def hazard_ratios(customers: pd.DataFrame, duration: str = "tenure_months", event: str = "churned",
                  covariates: Sequence[str] | None = None, penalizer: float = 0.0, *,
                  reference: Mapping[str, str] | None = None, ci: float = 0.95,
                  check_ph: bool = True) -> pd.DataFrame:
    """Cox proportional-hazards model: how much each driver multiplies the monthly risk of leaving.

    A hazard ratio of 2 means twice the risk of leaving in any given month (per unit of a number, or
    compared with the reference level of a category), 0.5 half of it. Read from a snapshot table the
    durations are an approximation (see the module docstring), and tenure itself is the time axis, not a driver.

    Parameters
    ----------
    covariates : columns to use; ``None`` uses every other column except identifier-like text (more than
        20 different values), which is listed in ``attrs["dropped_features"]``. Numbers are used as they
        are (per unit), yes/no text (any spelling) and bools as 1/0, other text as categories, one-hot
        encoded against a reference level.
    penalizer : ridge penalty of lifelines' ``CoxPHFitter``; > 0 stabilises a separating or collinear design.
    reference : reference level per categorical column (default: the first level in sorted order).
    ci : interval level. check_ph : run lifelines' ``proportional_hazard_test`` (rank time transform).

    Returns
    -------
    DataFrame, one row per model feature, largest effects first (by ``|coef|``): ``feature`` (a column, or
    ``column=level`` for a category), ``coef`` (log hazard ratio), ``hazard_ratio``, ``ci_low``, ``ci_high``
    (of the hazard ratio), ``p`` (Wald test), ``reference`` (``"per +1"`` for numbers, ``"no"`` for yes/no,
    the reference level for categories) and ``ph_p`` (p of the proportional-hazards test; small means the
    effect changes with tenure, so its ratio is an average). ``attrs``: ``concordance``, ``n_used``,
    ``n_events``, ``n_dropped``, ``dropped`` (blank rows per column), ``dropped_features`` (feature -> why),
    ``fit_warnings``, ``penalizer``, ``ci``, ``duration``, ``event``, ``source``.

    Examples
    --------
    >>> from lifelines.datasets import load_rossi
    >>> hr = hazard_ratios(load_rossi(), "week", "arrest", ["fin", "age", "prio"])
    >>> hr[["feature", "hazard_ratio"]].round(3).to_dict("list")
    {'feature': ['fin', 'prio', 'age'], 'hazard_ratio': [0.707, 1.102, 0.935]}
    >>> hr["reference"].tolist()
    ['per +1', 'per +1', 'per +1']
    >>> round(hr.attrs["concordance"], 2), hr.attrs["n_used"]
    (0.63, 432)
    """
    from lifelines import CoxPHFitter
    from lifelines.exceptions import ConvergenceError, ConvergenceWarning

    where = "survival.hazard_ratios"
    ci = _check_ci(ci, where)
    if isinstance(penalizer, bool) or not isinstance(penalizer, (int, float)) or not penalizer >= 0:
        raise CxParameterError("penalizer", where, "a float >= 0", penalizer)
    reference = dict(reference or {})
    source = _check_frame(customers, [duration, event], where)
    explicit = covariates is not None
    if covariates is None:
        covariates = [c for c in customers.columns if c not in (duration, event)]
    covariates = list(dict.fromkeys([covariates] if isinstance(covariates, str) else covariates))
    if not covariates or duration in covariates or event in covariates:
        raise CxParameterError("covariates", where, "a non-empty list of columns other than the duration and the "
                               "event", covariates)
    for col in reference:
        if col not in covariates:
            raise CxParameterError("reference", where, "a mapping of covariate columns to levels", reference)
    frame, dropped, source = _survival_frame(customers, duration, event, covariates, where)
    dropped_features: dict[str, str] = {}
    parts, refs = [], {}
    for col in covariates:
        design, ref, why = _encode(frame[col], col, reference, source, explicit, where)
        if design is None:
            dropped_features[col] = why
            continue
        if design.shape[1] == 0:  # a category with one level: nothing but the reference
            dropped_features[col] = f"constant (every row '{ref}')"
            continue
        parts.append(design)
        refs.update({f: ref for f in design.columns})
    if not parts:
        raise CxDataError(source, None, "has no usable covariate", reason="no_covariates",
                          hint="name the driver columns with covariates=[...]")
    x = pd.concat(parts, axis=1)
    for f in [f for f in x.columns if x[f].nunique() < 2]:
        dropped_features[f] = f"constant (every row {x[f].iloc[0]:g})"
    x = x[[f for f in x.columns if f not in dropped_features]]
    if x.shape[1] == 0:
        raise CxDataError(source, ", ".join(covariates), "are constant in every row used", reason="constant",
                          hint="pick covariates that vary between customers")
    if penalizer == 0:
        involved = _collinear(x)
        if involved:
            raise CxDataError(source, ", ".join(involved), "are perfectly collinear (one is a copy or a sum of "
                              "the others)", reason="collinear",
                              hint="drop one of them from covariates, or use penalizer > 0 (e.g. 0.1)")
    data = pd.concat([x, frame[["_t", "_e"]]], axis=1)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        try:
            cph = CoxPHFitter(penalizer=penalizer, alpha=1 - ci).fit(data, "_t", "_e")
        except ConvergenceError as exc:
            raise CxDataError(source, ", ".join(x.columns), "give a singular or separating design: the Cox model "
                              f"does not converge ({str(exc).split('.')[0]})", reason="no_convergence",
                              hint="use penalizer > 0 (e.g. 0.1) or drop the column that (almost) decides who "
                                   "leaves") from None
    notes = [str(w.message).strip().splitlines()[0] for w in caught if issubclass(w.category, ConvergenceWarning)]
    if any("norm(delta)" in n for n in notes):
        scaled = (cph.params_ * x.std()).abs()
        suspects = [f for f in scaled.index if scaled[f] > 5] or [str(scaled.idxmax())]
        raise CxDataError(source, ", ".join(suspects), "(almost) perfectly separate customers who left from those "
                          "who stayed: the hazard ratio is infinite", reason="separation",
                          hint="drop the column (is it recorded after leaving?) or use penalizer > 0 (e.g. 0.1)")
    summary = cph.summary
    out = pd.DataFrame({
        "feature": summary.index.astype(str), "coef": summary["coef"].to_numpy(),
        "hazard_ratio": summary["exp(coef)"].to_numpy(),
        "ci_low": summary.filter(like="exp(coef) lower").iloc[:, 0].to_numpy(),
        "ci_high": summary.filter(like="exp(coef) upper").iloc[:, 0].to_numpy(),
        "p": summary["p"].to_numpy(), "reference": [refs[f] for f in summary.index], "ph_p": np.nan})
    if check_ph:
        from lifelines.statistics import proportional_hazard_test

        try:
            ph = proportional_hazard_test(cph, data, time_transform="rank").summary["p"]
            out["ph_p"] = out["feature"].map(ph).astype(float)
        except (ValueError, np.linalg.LinAlgError, ZeroDivisionError) as exc:  # reported, the estimates stand
            notes.append(f"proportional-hazards test failed: {exc}")
    out = out.iloc[np.argsort(-out["coef"].abs().to_numpy(), kind="stable")].reset_index(drop=True)
    out.attrs = {"concordance": float(cph.concordance_index_), "n_used": len(data), "n_events": int(data["_e"].sum()),
                 "n_dropped": len(customers) - len(frame), "dropped": dropped, "dropped_features": dropped_features,
                 "fit_warnings": notes, "penalizer": float(penalizer), "ci": ci, "duration": duration, "event": event,
                 "source": source}
    return out[_HAZARD_COLUMNS]


# --- words -------------------------------------------------------------------------------------------------------

def _pct(v: float) -> str:
    return f"{100 * v:.0f} %"


def _ratio(v: float) -> str:
    return f"{v:.2f}" if v < 10 else f"{v:.3g}"


def describe_retention(curves: pd.DataFrame, hazards: pd.DataFrame | None = None, at: float = 12,
                       unit: str = "month", top: int = 3, alpha: float = 0.05) -> str:
    """A Markdown paragraph written from the numbers: median retention, retention at ``at`` and the top hazards.

    Parameters
    ----------
    curves : from :func:`retention_curves`. hazards : from :func:`hazard_ratios` (optional).
    at : the month to quote retention at. unit : the time unit of the durations ("month", "week", "day").
    top : how many hazard ratios with ``p < alpha`` to put in words, largest first.

    Returns
    -------
    str: Markdown, one paragraph (median per segment, retention at ``at`` with its interval, the strongest
    hazard ratios in words, tenure-varying effects flagged, and the snapshot caveat).

    Examples
    --------
    >>> df = pd.DataFrame({"tenure_months": [1, 2, 2, 3, 5] * 2, "churned": [1, 1, 0, 1, 0] * 2})
    >>> print(describe_retention(retention_curves(df), at=2))  # doctest: +NORMALIZE_WHITESPACE
    **Retention.** Half of the customers have left after 3 months. After 2 months 60 % are still with us
    (95 % CI 25-83 %). The durations are months so far and churn so far from one snapshot, read as if all
    customers had joined together: an approximation.
    """
    where = "survival.describe_retention"
    _check_curves(curves, where)
    level = f"{100 * float(curves.attrs.get('ci', 0.95)):g} %"
    plural = f"{unit}s"
    medians = {name: (float(part.loc[part["retention"] <= 0.5, "time"].min()) if (part["retention"] <= 0.5).any()
                      else math.inf, float(part["time"].max()))
               for name, part in curves.groupby("segment", sort=False)}
    single = list(medians) == ["all"]
    if single:
        m, last = medians["all"]
        sentences = [f"Half of the customers have left after {m:g} {plural}." if m < math.inf else
                     f"Fewer than half of the customers have left within the {last:g} {plural} observed."]
    else:
        sentences = ["Half of the customers have left after: " + "; ".join(
            f"{name} {m:g} {plural}" if m < math.inf else f"{name} not within the {last:g} {plural} observed"
            for name, (m, last) in medians.items()) + "."]
    summary = retention_summary(curves, at=[at]).dropna(subset=["retention"])
    if single and len(summary):
        r = summary.iloc[0]
        sentences.append(f"After {at:g} {plural} {_pct(r.retention)} are still with us "
                         f"({level} CI {100 * r.ci_low:.0f}-{_pct(r.ci_high)}).")
    elif len(summary):
        sentences.append(f"Still with us after {at:g} {plural}: " + "; ".join(
            f"{r.segment} {_pct(r.retention)} ({level} CI {100 * r.ci_low:.0f}-{_pct(r.ci_high)})"
            for r in summary.itertuples()) + ".")
    text = "**Retention.** " + " ".join(sentences)
    if hazards is not None:
        if not isinstance(hazards, pd.DataFrame) or not {"feature", "hazard_ratio", "ci_low", "ci_high", "p",
                                                        "reference"} <= set(hazards.columns):
            raise CxParameterError("hazards", where, "a frame from survival.hazard_ratios", type(hazards).__name__)
        often = {"month": "monthly", "week": "weekly", "day": "daily", "year": "yearly"}.get(unit, f"per-{unit}")
        strong = hazards[hazards["p"] < alpha].head(top)
        attrs = hazards.attrs
        model = (f" (Cox model on {attrs['n_used']:,} customers, concordance {attrs['concordance']:.2f})"
                 if "n_used" in attrs and "concordance" in attrs else "")
        if strong.empty:
            text += f" **Drivers.** No driver clearly changes the risk of leaving{model}: every p >= {alpha:g}."
        else:
            words = []
            for r in strong.itertuples():
                ref = "per +1" if r.reference == "per +1" else f"vs {r.reference}"
                words.append(f"{r.feature} ({ref}): {_ratio(r.hazard_ratio)}x the {often} risk of leaving "
                             f"({level} CI {_ratio(r.ci_low)}-{_ratio(r.ci_high)})")
            text += f" **Drivers**{model}: " + "; ".join(words) + "."
            if "ph_p" in strong.columns:
                varying = strong[strong["ph_p"] < alpha]
                if len(varying):
                    text += (" The effect of " + ", ".join(varying["feature"]) + f" changes with tenure "
                             f"(proportional-hazards test p < {alpha:g}): read its ratio as an average.")
    text += (f" The durations are {plural} so far and churn so far from one snapshot, read as if all customers "
             "had joined together: an approximation.")
    return text
