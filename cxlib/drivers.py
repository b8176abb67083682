"""Which touchpoints drive satisfaction: relative importance of correlated drivers, with intervals.

Touchpoint ratings are correlated (a polite clerk and a fast answer come together), so regression
coefficients and plain correlations mislead about importance. :func:`driver_importance` splits the
model R² among the drivers by the exact Shapley decomposition (LMG, as R's relaimpo
``calc.relimp(type="lmg")``), with bootstrap percentile intervals. Around it:

- :func:`compare_methods`: LMG beside relaimpo's ``first``, ``last``, ``betasq``, ``pratt`` and
  Johnson's relative weights (what Qualtrics Stats iQ shows), and how far the latter is from LMG;
- :func:`importance_performance`: the importance-performance matrix with interval crosses and the
  bootstrap probability that each touchpoint belongs to its action quadrant;
- :func:`group_importance`: Shapley importance of groups (journey stages, "ease of access");
- :func:`segment_importance`: the same per segment, and the difference between two segments.

"Not applicable" answers (by default 0 and blank) are missing values, never "very bad". With
``na="listwise"`` (default) a row counts only where every driver is answered; ``na="pairwise"`` uses
all answers of each pair of columns (more rows, but the correlation matrix may be inconsistent).
Every result says in ``attrs`` how many rows it used and dropped. A yes/no outcome is analysed as a
linear probability model (R² of the 0/1 outcome), labelled as such in ``attrs["model"]``.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from cxlib import relimp
from cxlib.errors import CxDataError, CxParameterError

__all__ = ["METHODS", "QUADRANTS", "SurveyInput", "prepare_survey", "driver_importance", "compare_methods",
           "importance_performance", "group_importance", "groups_from_map", "segment_importance",
           "describe_importance", "describe_actions"]

METHODS = ("lmg", "first", "last", "betasq", "pratt", "relative_weights")
_FUNCS = {"first": relimp.first, "last": relimp.last, "betasq": relimp.betasq, "pratt": relimp.pratt,
          "relative_weights": relimp.relative_weights}
#: Action quadrants of the importance-performance matrix, keyed by (high importance, high performance).
QUADRANTS = {(True, False): "concentrate here", (True, True): "keep up the good work",
             (False, False): "low priority", (False, True): "possible overkill"}
_COLUMNS = ["driver", "importance", "share", "ci_low", "ci_high", "rank"]


@dataclass(frozen=True)
class _Data:
    x: np.ndarray          # (n, p) driver answers, NaN = not applicable
    y: np.ndarray          # (n,) outcome, no NaN
    drivers: list[str]
    outcome: str
    source: str
    na: str
    n_input: int
    n_no_outcome: int
    model: str
    corr: np.ndarray | None = None   # correlation of [drivers..., outcome] on all rows (set by _prepare)

    @property
    def complete(self) -> np.ndarray:
        return ~np.isnan(self.x).any(axis=1)


def _positions(mask: pd.Series) -> list[int]:
    return (np.flatnonzero(mask.to_numpy()) + 1).tolist()


def _binary_text(raw: pd.Series, positive: str | None) -> pd.Series | None:
    """A two-level text outcome (e.g. "satisfied" / "neutral or dissatisfied") as 1/0, else None."""
    from cxlib.schemas import parse_yes_no

    if pd.api.types.is_numeric_dtype(raw):
        return None
    raw_levels = pd.unique(raw.dropna())
    labels = {v: str(v).strip() for v in raw_levels}
    levels = sorted(set(labels.values()))
    if len(levels) != 2 or pd.to_numeric(pd.Series(levels), errors="coerce").notna().all():
        return None
    if positive is not None:
        if str(positive) not in levels:
            return None
        code = {lv: float(lv == str(positive)) for lv in levels}
    else:
        try:
            yes = parse_yes_no(pd.Series(levels))
        except ValueError:  # two answers that are not yes/no: the analyst names the "yes" one (outcome_positive)
            return None
        if yes.isna().any():
            return None
        code = dict(zip(levels, yes.astype(float)))
    return raw.map({v: code[lab] for v, lab in labels.items()}).astype(float)


def _prepare(survey: pd.DataFrame, outcome: str, drivers: Sequence[str], na_values: Sequence[float],
             na: str, where: str, positive: str | None = None) -> _Data:
    if not isinstance(survey, pd.DataFrame):
        raise CxParameterError("survey", where, "a pandas DataFrame", type(survey).__name__)
    if na not in ("listwise", "pairwise"):
        raise CxParameterError("na", where, "'listwise' or 'pairwise'", na)
    drivers = list(dict.fromkeys([drivers] if isinstance(drivers, str) else drivers))
    if not drivers:
        raise CxParameterError("drivers", where, "a non-empty list of touchpoint columns", drivers)
    if outcome in drivers:
        raise CxParameterError("drivers", where, f"a list without the outcome '{outcome}'", drivers)
    source = str(survey.attrs.get("source", "survey"))
    theirs = survey.attrs.get("column_map", {})
    for col in [outcome, *drivers]:
        if col not in survey.columns:
            raise CxDataError(source, col, "is missing", their_column=theirs.get(col), reason="missing_column",
                              hint=f"map your column with columns={{'Your name': '{col}'}} or pick from: "
                                   f"{', '.join(map(str, survey.columns[:12]))}")
    num = {}
    binary = _binary_text(survey[outcome], positive)
    if binary is None and positive is not None:
        raise CxParameterError("outcome_positive", where, f"one of the two answers in '{outcome}'", positive)
    if binary is not None:
        num[outcome] = binary
    for col in [c for c in [outcome, *drivers] if c not in num]:
        raw = survey[col]
        if pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw):
            num[col] = raw.astype(float)
            continue
        val = pd.to_numeric(raw, errors="coerce")
        bad = raw.notna() & val.isna() & (raw.astype(str).str.strip() != "")
        if bad.any():
            hint = "recode the answers as numbers (blank = not answered)"
            if col == outcome:
                hint += "; a yes/no outcome with two text answers needs outcome_positive='the yes answer'"
            raise CxDataError(source, col, "has text where numbers are expected", rows=_positions(bad),
                              examples=raw[bad].head(5).tolist(), their_column=theirs.get(col),
                              reason="wrong_type", hint=hint)
        num[col] = val.astype(float)
    y = num[outcome]
    if y.notna().sum() == 0:
        raise CxDataError(source, outcome, "has no answers", hint="pick another outcome column")
    keep = y.notna().to_numpy()
    xv = np.column_stack([num[d].to_numpy(dtype=float) for d in drivers])
    if len(na_values):
        xv[np.isin(xv, np.asarray(list(na_values), dtype=float))] = np.nan
    xv = xv[keep]
    for d, answered in zip(drivers, (~np.isnan(xv)).sum(axis=0)):
        if answered == 0:
            raise CxDataError(source, d, "has no answers other than 'not applicable'",
                              their_column=theirs.get(d), reason="all_not_applicable",
                              hint="drop it from drivers or check the not-applicable codes (na_values)")
    yv = y.to_numpy()[keep]
    model = "linear regression"
    levels = np.unique(yv)
    if len(levels) == 2:
        yes = str(positive) if binary is not None and positive is not None else (
            "yes" if binary is not None else f"{levels[1]:g}")
        yv = (yv == levels[1]).astype(float)
        model = (f"linear probability model (R² of the yes/no outcome, {yes} = 1): "
                 "an approximation for a binary outcome")
    data = _Data(xv, yv, drivers, outcome, source, na, len(survey), int((~keep).sum()), model)
    return replace(data, corr=_check_design(data, theirs))


def _check_design(data: _Data, theirs: Mapping[str, str]) -> np.ndarray:
    p = len(data.drivers)
    rows = data.x[data.complete] if data.na == "listwise" else data.x
    n = len(rows) if data.na == "listwise" else int(np.min(np.sum(~np.isnan(data.x), axis=0)))
    if n < p + 2:
        raise CxDataError(data.source, None, f"has {n} usable rows for {p} drivers; at least {p + 2} are needed"
                          + (" (rows with every driver answered)" if data.na == "listwise" else ""),
                          reason="too_few_rows", hint="use fewer drivers, na='pairwise', or check the "
                                                     "not-applicable codes (na_values)")
    if np.nanstd(data.y) == 0:
        raise CxDataError(data.source, data.outcome, "has the same value in every row", reason="constant",
                          their_column=theirs.get(data.outcome), hint="pick an outcome that varies")
    sd = np.nanstd(rows, axis=0)
    for d, s in zip(data.drivers, sd):
        if not s > 0:
            raise CxDataError(data.source, d, "has the same answer in every row used", reason="constant",
                              their_column=theirs.get(d), hint="drop it from drivers: it cannot explain anything")
    corr = _corr(data)
    vals, vecs = np.linalg.eigh(corr[:p, :p])
    if vals[0] < 1e-10:
        involved = [d for d, v in zip(data.drivers, vecs[:, 0]) if abs(v) > 0.05]
        raise CxDataError(data.source, ", ".join(involved), "are perfectly collinear (one is a copy or a sum "
                          "of the others)", reason="collinear", hint="keep one of them, or combine them with "
                                                                  "group_importance")
    return corr


def _corr(data: _Data, weights: np.ndarray | None = None) -> np.ndarray:
    """Correlation of [drivers..., outcome], from (optionally bootstrap-weighted) rows."""
    z = np.column_stack([data.x, data.y])
    w = np.ones(len(z)) if weights is None else weights
    if data.na == "listwise":
        ok = data.complete & (w > 0)
        z, w = z[ok], w[ok]
        mean = w @ z / w.sum()
        zc = z - mean
        cov = (zc.T * w) @ zc
        d = np.sqrt(np.diag(cov))
        return cov / np.outer(d, d)
    # pairwise-complete Pearson correlation (as pandas' DataFrame.corr), with row weights, from four products
    m = (~np.isnan(z)).astype(float)
    zf = np.where(m > 0, z, 0.0)
    mw = m * w[:, None]
    n = mw.T @ m                                   # rows where both i and j are answered
    s = (zf * w[:, None]).T @ m                    # s[i, j]: sum of i over rows where j is answered too
    ss = (zf ** 2 * w[:, None]).T @ m
    sij = (zf * w[:, None]).T @ zf
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_i, mean_j = s / n, s.T / n
        cov = sij / n - mean_i * mean_j
        var_i, var_j = ss / n - mean_i ** 2, ss.T / n - mean_j ** 2
        corr = cov / np.sqrt(var_i * var_j)
    np.fill_diagonal(corr, 1.0)
    return corr


def _importance(corr: np.ndarray, method: str, n_perm: int, seed: int) -> tuple[np.ndarray, float]:
    p = corr.shape[-1] - 1
    if method != "lmg":
        return _FUNCS[method](corr), 0.0
    if p <= relimp.MAX_EXACT:
        return relimp.lmg(corr), 0.0
    if corr.ndim == 2:
        est, se = relimp.lmg_sampled(corr, n_perm, seed)
        return est, float(se.max())
    out = [relimp.lmg_sampled(c, n_perm, seed) for c in corr]
    return np.stack([e for e, _ in out]), float(max(s.max() for _, s in out))


def _replicates(data: _Data, n_boot: int, seed: int) -> Iterator[np.ndarray]:
    """Bootstrap row weights (resampling counts over the rows with an outcome), one array per replicate."""
    rng = np.random.default_rng(seed)
    n = len(data.y)
    for _ in range(n_boot):
        yield np.bincount(rng.integers(0, n, n), minlength=n).astype(float)


def _boot_importance(data: _Data, method: str, n_boot: int, seed: int, n_perm: int,
                     extra=None) -> tuple[np.ndarray, list]:
    """Importance per replicate, ``(n_boot, p)``; corrs are solved in stacked chunks of replicates."""
    p = len(data.drivers)
    chunk = max(1, (1 << 22) >> min(p, 22)) if method == "lmg" else 256
    out, extras, corrs = [], [], []
    for w in _replicates(data, n_boot, seed):
        with np.errstate(invalid="ignore", divide="ignore"):
            c = _corr(data, w)
        if not np.isfinite(c).all():
            # a resample in which a touchpoint is constant (small segments, rare answers) has no correlation;
            # it is left out and counted, never silently filled in
            continue
        corrs.append(c)
        if extra is not None:
            extras.append(extra(w))
        if len(corrs) == chunk:
            out.append(_importance(np.stack(corrs), method, n_perm, seed)[0])
            corrs = []
    if corrs:
        out.append(_importance(np.stack(corrs), method, n_perm, seed)[0])
    return (np.concatenate(out) if out else np.empty((0, p))), extras


def _ranks(values: np.ndarray) -> np.ndarray:
    """Rank 1 = largest, along the last axis."""
    order = np.argsort(-values, axis=-1, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(1, values.shape[-1] + 1), axis=-1)
    return ranks


def _check_common(where: str, method: str, n_boot: int, ci: float) -> None:
    if method not in METHODS:
        raise CxParameterError("method", where, f"one of {', '.join(METHODS)}", method)
    if isinstance(n_boot, bool) or not isinstance(n_boot, (int, np.integer)) or n_boot < 0:
        raise CxParameterError("n_boot", where, "an int >= 0 (0 = no intervals)", n_boot)
    if not 0 < ci < 1:
        raise CxParameterError("ci", where, "a float in (0, 1)", ci)


def _attrs(data: _Data, method: str, r2: float, n_boot: int, ci: float, mc_se: float) -> dict:
    used = int(data.complete.sum()) if data.na == "listwise" else len(data.y)
    return {"outcome": data.outcome, "method": method, "r2": float(r2), "n_rows": data.n_input, "n_used": used,
            "n_dropped": data.n_input - used, "n_no_outcome": data.n_no_outcome, "na": data.na,
            "model": data.model, "n_boot": n_boot, "ci": ci, "exact": mc_se == 0.0, "mc_se": mc_se}


def driver_importance(survey: pd.DataFrame, outcome: str, drivers: Sequence[str], method: str = "lmg",
                      n_boot: int = 0, seed: int = 0, *, na_values: Sequence[float] = (0,), na: str = "listwise",
                      ci: float = 0.95, n_perm: int = 2000, outcome_positive: str | None = None) -> pd.DataFrame:
    """Relative importance of each driver for the outcome, in R² points, with bootstrap intervals.

    Parameters
    ----------
    survey : DataFrame with the outcome and the driver columns (ratings; ``na_values`` and blanks are
        "not applicable").
    outcome : e.g. ``"overall_satisfaction"`` (1-5), ``"nps"`` (0-10) or a yes/no 0/1 column.
    drivers : the touchpoint columns.
    method : ``"lmg"`` (exact Shapley decomposition of R², default; sampled permutations beyond 20
        drivers, with the Monte-Carlo standard error in ``attrs["mc_se"]``), ``"first"``, ``"last"``,
        ``"betasq"``, ``"pratt"`` or ``"relative_weights"``.
    n_boot : bootstrap replicates for the intervals (0 = none: ``ci_low``/``ci_high`` are NaN).
    seed : seed of the bootstrap (and of the permutations beyond 20 drivers).

    Returns
    -------
    DataFrame sorted by importance: ``driver``, ``importance`` (R² points; for lmg, pratt and relative
    weights they sum to the model R²), ``share`` (importance / total, sums to 1), ``ci_low``,
    ``ci_high`` (percentile interval of ``importance``), ``rank`` (1 = most important). ``attrs`` holds
    ``r2``, ``n_used``, ``n_dropped``, ``na``, ``model``, ``exact`` and ``mc_se``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame(rng.integers(1, 6, (300, 3)), columns=["staff", "price", "parking"])
    >>> df["overall"] = df["staff"] * 2 + df["price"] + rng.normal(0, 1, 300)
    >>> res = driver_importance(df, "overall", ["staff", "price", "parking"], n_boot=50)
    >>> res["driver"].tolist(), round(float(res["share"].sum()), 6)
    (['staff', 'price', 'parking'], 1.0)
    >>> bool(res.loc[0, "ci_low"] <= res.loc[0, "importance"] <= res.loc[0, "ci_high"])
    True
    """
    where = "drivers.driver_importance"
    _check_common(where, method, n_boot, ci)
    data = _prepare(survey, outcome, drivers, na_values, na, where, outcome_positive)
    corr = data.corr
    imp, mc_se = _importance(corr, method, n_perm, seed)
    lo = hi = np.full(len(imp), np.nan)
    used = 0
    if n_boot:
        boot, _ = _boot_importance(data, method, n_boot, seed, n_perm)
        used = len(boot)
        if used:
            a = (1 - ci) / 2
            lo, hi = np.quantile(boot, [a, 1 - a], axis=0)
    total = imp.sum()
    out = pd.DataFrame({"driver": data.drivers, "importance": imp, "share": imp / total if total else np.nan,
                        "ci_low": lo, "ci_high": hi, "rank": _ranks(imp)})
    out = out.sort_values("rank", kind="stable").reset_index(drop=True)[_COLUMNS]
    out.attrs = _attrs(data, method, float(relimp.r2(corr)), n_boot, ci, mc_se)
    out.attrs["n_boot_used"] = used
    return out


def compare_methods(survey: pd.DataFrame, outcome: str, drivers: Sequence[str], *,
                    na_values: Sequence[float] = (0,), na: str = "listwise",
                    outcome_positive: str | None = None) -> pd.DataFrame:
    """Every importance measure side by side, as shares of their total (relaimpo's ``rela=TRUE``).

    Returns one row per driver (in LMG order): ``driver``, one column per method in :data:`METHODS`
    and ``rw_minus_lmg`` (relative weights minus exact LMG, in R² points: how far the Qualtrics-style
    approximation is from the exact value).

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> df = pd.DataFrame(rng.normal(size=(200, 3)), columns=["a", "b", "c"])
    >>> df["y"] = df["a"] + 0.5 * df["b"] + rng.normal(size=200)
    >>> t = compare_methods(df, "y", ["a", "b", "c"], na_values=())
    >>> t.columns.tolist()[:3], t["driver"].iloc[0]
    (['driver', 'lmg', 'first'], 'a')
    """
    data = _prepare(survey, outcome, drivers, na_values, na, "drivers.compare_methods", outcome_positive)
    corr = data.corr
    raw = {m: _importance(corr, m, 2000, 0)[0] for m in METHODS}
    out = pd.DataFrame({"driver": data.drivers, **{m: v / v.sum() for m, v in raw.items()}})
    out["rw_minus_lmg"] = raw["relative_weights"] - raw["lmg"]
    out = out.iloc[np.argsort(-raw["lmg"], kind="stable")].reset_index(drop=True)
    out.attrs = _attrs(data, "all", float(relimp.r2(corr)), 0, 0.95, 0.0)
    return out


def _performance(x: np.ndarray, w: np.ndarray, kind: str, scale_max: float) -> np.ndarray:
    answered = ~np.isnan(x)
    vals = np.where(answered, x, 0.0)
    if kind == "top2box":
        vals = np.where(answered, (x >= scale_max - 1).astype(float), 0.0)
    return (w @ vals) / (w @ answered)


def importance_performance(survey: pd.DataFrame, outcome: str, drivers: Sequence[str], n_boot: int = 500,
                           seed: int = 0, *, performance: str = "mean", scale_max: float = 5,
                           na_values: Sequence[float] = (0,), na: str = "listwise", ci: float = 0.95,
                           stages: Mapping[str, str] | None = None,
                           outcome_positive: str | None = None) -> pd.DataFrame:
    """Importance-performance matrix with uncertainty: where to act first.

    Importance is the LMG share; performance is the mean rating (or the top-2-box share with
    ``performance="top2box"``: answers of ``scale_max - 1`` or more). A touchpoint is "high" when it
    is above the average of all touchpoints on that axis. Each bootstrap replicate recomputes both
    axes and both splits, so ``quadrant_probability`` is the share of replicates that put the
    touchpoint in the quadrant shown: below ~0.8 the placement is not settled.

    Returns
    -------
    DataFrame, one row per driver, by importance: ``driver``, ``stage`` (from ``stages``, else
    empty), ``importance`` (share), ``importance_low``, ``importance_high``, ``performance``,
    ``performance_low``, ``performance_high``, ``rank``, ``rank_low``, ``rank_high``, ``quadrant``,
    ``quadrant_probability``, ``n_answers``, ``na_share``. ``attrs`` holds the two splits.

    Examples
    --------
    >>> rng = np.random.default_rng(2)
    >>> df = pd.DataFrame(rng.integers(1, 6, (400, 3)), columns=["staff", "price", "parking"])
    >>> df["overall"] = df["staff"] * 2 + df["price"] + rng.normal(0, 1, 400)
    >>> ipm = importance_performance(df, "overall", ["staff", "price", "parking"], n_boot=100)
    >>> ipm.loc[0, "driver"], int(ipm.loc[0, "rank"]), bool(0 <= ipm["quadrant_probability"].min() <= 1)
    ('staff', 1, True)
    """
    where = "drivers.importance_performance"
    _check_common(where, "lmg", n_boot, ci)
    if performance not in ("mean", "top2box"):
        raise CxParameterError("performance", where, "'mean' or 'top2box'", performance)
    if n_boot < 20:
        raise CxParameterError("n_boot", where, "an int >= 20 (quadrant probabilities need replicates)", n_boot)
    data = _prepare(survey, outcome, drivers, na_values, na, where, outcome_positive)
    p = len(data.drivers)
    imp, _ = _importance(data.corr, "lmg", 2000, seed)
    share = imp / imp.sum()
    perf = _performance(data.x, np.ones(len(data.y)), performance, scale_max)
    boot, perfs = _boot_importance(data, "lmg", n_boot, seed, 2000,
                                   extra=lambda w: _performance(data.x, w, performance, scale_max))
    if len(boot) < 20:
        raise CxDataError(data.source, None, f"gives only {len(boot)} usable bootstrap resamples of {n_boot}: "
                          "some touchpoints have too few distinct answers", reason="too_few_rows",
                          hint="use more rows, fewer touchpoints, or na='pairwise'")
    bshare = boot / boot.sum(axis=1, keepdims=True)
    bperf = np.stack(perfs)
    a = (1 - ci) / 2
    hi_imp, hi_perf = share > share.mean(), perf > perf.mean()
    b_hi_imp = bshare > bshare.mean(axis=1, keepdims=True)
    b_hi_perf = bperf > bperf.mean(axis=1, keepdims=True)
    prob = ((b_hi_imp == hi_imp) & (b_hi_perf == hi_perf)).mean(axis=0)
    branks = _ranks(bshare)
    answered = ~np.isnan(data.x)
    out = pd.DataFrame({
        "driver": data.drivers, "stage": [(stages or {}).get(d, "") for d in data.drivers],
        "importance": share, "importance_low": np.quantile(bshare, a, axis=0),
        "importance_high": np.quantile(bshare, 1 - a, axis=0),
        "performance": perf, "performance_low": np.quantile(bperf, a, axis=0),
        "performance_high": np.quantile(bperf, 1 - a, axis=0),
        "rank": _ranks(share), "rank_low": np.quantile(branks, a, axis=0, method="lower").astype(int),
        "rank_high": np.quantile(branks, 1 - a, axis=0, method="higher").astype(int),
        "quadrant": [QUADRANTS[(bool(i), bool(f))] for i, f in zip(hi_imp, hi_perf)],
        "quadrant_probability": prob, "n_answers": answered.sum(axis=0), "na_share": 1 - answered.mean(axis=0),
    })
    out = out.sort_values("rank", kind="stable").reset_index(drop=True)
    out.attrs = _attrs(data, "lmg", float(relimp.r2(data.corr)), n_boot, ci, 0.0)
    out.attrs.update(importance_split=float(share.mean()), performance_split=float(perf.mean()), n_boot_used=len(boot),
                     performance_measure=performance, n_drivers=p)
    return out


def groups_from_map(touchpoints: pd.DataFrame, by: str = "stage", drivers: Sequence[str] | None = None
                    ) -> dict[str, list[str]]:
    """``{group: [touchpoint, ...]}`` from a touchpoint map (columns ``touchpoint`` and ``by``).

    Examples
    --------
    >>> m = pd.DataFrame({"touchpoint": ["hold_time", "staff", "billing"], "stage": ["before", "during", "after"]})
    >>> groups_from_map(m)
    {'before': ['hold_time'], 'during': ['staff'], 'after': ['billing']}
    """
    for col in ("touchpoint", by):
        if col not in touchpoints.columns:
            raise CxDataError(str(touchpoints.attrs.get("source", "touchpoint map")), col, "is missing",
                              reason="missing_column", hint="the map needs columns touchpoint and " + by)
    keep = touchpoints if drivers is None else touchpoints[touchpoints["touchpoint"].isin(list(drivers))]
    groups: dict[str, list[str]] = {}
    for tp, g in zip(keep["touchpoint"], keep[by]):
        if pd.notna(g) and str(g).strip():
            groups.setdefault(str(g), []).append(str(tp))
    return groups


def group_importance(survey: pd.DataFrame, outcome: str, groups: Mapping[str, Sequence[str]], n_boot: int = 0,
                     seed: int = 0, *, na_values: Sequence[float] = (0,), na: str = "listwise",
                     ci: float = 0.95, outcome_positive: str | None = None) -> pd.DataFrame:
    """Shapley importance of groups of drivers (journey stages, composite parameters), each a player.

    Returns ``group``, ``drivers`` (count), ``importance`` (R² points, sums to the R² of all grouped
    drivers), ``share``, ``ci_low``, ``ci_high``, ``rank``.

    Examples
    --------
    >>> rng = np.random.default_rng(3)
    >>> df = pd.DataFrame(rng.normal(size=(300, 4)), columns=["a1", "a2", "b1", "b2"])
    >>> df["y"] = df["a1"] + df["a2"] + 0.3 * df["b1"] + rng.normal(size=300)
    >>> g = group_importance(df, "y", {"A": ["a1", "a2"], "B": ["b1", "b2"]}, na_values=())
    >>> g["group"].tolist()
    ['A', 'B']
    """
    where = "drivers.group_importance"
    _check_common(where, "lmg", n_boot, ci)
    if not groups or any(not list(v) for v in groups.values()):
        raise CxParameterError("groups", where, "a non-empty {group: [driver, ...]} mapping with no empty group",
                               dict(groups))
    names = list(groups)
    drivers = [d for g in names for d in groups[g]]
    shared = sorted({d for d in drivers if drivers.count(d) > 1})
    if shared:
        raise CxParameterError("groups", where, "groups that share no driver", dict(groups),
                               hint=f"{', '.join(shared)} appear(s) in more than one group; keep each in one")
    data = _prepare(survey, outcome, drivers, na_values, na, where, outcome_positive)
    index = {d: i for i, d in enumerate(data.drivers)}
    members = [[index[d] for d in groups[g]] for g in names]
    imp = relimp.group_r2_shapley(data.corr, members)
    lo = hi = np.full(len(names), np.nan)
    if n_boot:
        with np.errstate(invalid="ignore", divide="ignore"):
            corrs = [_corr(data, w) for w in _replicates(data, n_boot, seed)]
        boot = [relimp.group_r2_shapley(c, members) for c in corrs if np.isfinite(c).all()]
        if boot:
            a = (1 - ci) / 2
            lo, hi = np.quantile(np.stack(boot), [a, 1 - a], axis=0)
    out = pd.DataFrame({"group": names, "drivers": [len(m) for m in members], "importance": imp,
                        "share": imp / imp.sum(), "ci_low": lo, "ci_high": hi, "rank": _ranks(imp)})
    out = out.sort_values("rank", kind="stable").reset_index(drop=True)
    out.attrs = _attrs(data, "lmg (groups)", float(relimp.r2(data.corr)), n_boot, ci, 0.0)
    return out


def segment_importance(survey: pd.DataFrame, outcome: str, drivers: Sequence[str], segment: str,
                       n_boot: int = 200, seed: int = 0, *, min_rows: int = 50, na_values: Sequence[float] = (0,),
                       na: str = "listwise", ci: float = 0.95, outcome_positive: str | None = None) -> pd.DataFrame:
    """LMG shares per segment with intervals; with two segments, also their difference.

    Segments with fewer than ``min_rows`` rows are left out (listed in ``attrs["skipped"]``). For two
    segments A and B (in order of size), extra rows with ``segment`` = ``"A − B"`` hold the
    difference of shares and its bootstrap interval (independent resamples of each segment): an
    interval that excludes 0 marks a touchpoint that matters differently in the two groups.

    Returns
    -------
    Long DataFrame: ``segment``, ``driver``, ``share``, ``ci_low``, ``ci_high``, ``rank``, ``n``.

    Examples
    --------
    >>> rng = np.random.default_rng(4)
    >>> df = pd.DataFrame(rng.normal(size=(400, 2)), columns=["staff", "price"])
    >>> df["type"] = np.where(np.arange(400) < 200, "business", "personal")
    >>> df["y"] = np.where(df["type"] == "business", df["staff"], df["price"]) + rng.normal(0, .5, 400)
    >>> s = segment_importance(df, "y", ["staff", "price"], "type", n_boot=50, na_values=())
    >>> sorted(s["segment"].unique())
    ['business', 'business − personal', 'personal']
    """
    where = "drivers.segment_importance"
    _check_common(where, "lmg", n_boot, ci)
    if segment not in survey.columns:
        raise CxDataError(str(survey.attrs.get("source", "survey")), segment, "is missing", reason="missing_column",
                          hint="set segment to one of: " + ", ".join(map(str, survey.columns[:12])))
    sizes = survey[segment].dropna().astype(str).value_counts()
    kept = [s for s in sizes.index if sizes[s] >= min_rows]
    a = (1 - ci) / 2
    frames, boots = [], {}
    for k, seg in enumerate(kept):
        part = survey[survey[segment].astype(str) == seg]
        part.attrs = dict(survey.attrs)
        data = _prepare(part, outcome, drivers, na_values, na, where, outcome_positive)
        imp, _ = _importance(data.corr, "lmg", 2000, seed)
        boot = np.empty((0, len(imp)))
        if n_boot:
            boot, _ = _boot_importance(data, "lmg", n_boot, seed + k, 2000)
            boot = boot / boot.sum(axis=1, keepdims=True)
        boots[seg] = boot
        share = imp / imp.sum()
        frames.append(pd.DataFrame({
            "segment": seg, "driver": data.drivers, "share": share,
            "ci_low": np.quantile(boot, a, axis=0) if len(boot) else np.nan,
            "ci_high": np.quantile(boot, 1 - a, axis=0) if len(boot) else np.nan,
            "rank": _ranks(share), "n": int(data.complete.sum()) if na == "listwise" else len(data.y)}))
    if len(kept) == 2:
        s1, s2 = kept
        d = frames[0]["share"].to_numpy() - frames[1]["share"].to_numpy()
        m = min(len(boots[s1]), len(boots[s2]))
        diff = boots[s1][:m] - boots[s2][:m] if m else None
        frames.append(pd.DataFrame({
            "segment": f"{s1} − {s2}", "driver": frames[0]["driver"], "share": d,
            "ci_low": np.quantile(diff, a, axis=0) if diff is not None else np.nan,
            "ci_high": np.quantile(diff, 1 - a, axis=0) if diff is not None else np.nan,
            "rank": _ranks(np.abs(d)), "n": frames[0]["n"].iloc[0] + frames[1]["n"].iloc[0]}))
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["segment", "driver", "share", "ci_low", "ci_high", "rank", "n"])
    out.attrs = {"segment": segment, "skipped": {s: int(sizes[s]) for s in sizes.index if s not in kept},
                 "min_rows": min_rows, "n_boot": n_boot, "ci": ci}
    return out


@dataclass(frozen=True)
class SurveyInput:
    """A validated survey ready for driver analysis (see :func:`prepare_survey`)."""

    data: pd.DataFrame               # touchpoint "not applicable" codes replaced by NaN
    outcome: str
    touchpoints: list[str]
    stages: dict[str, str]           # touchpoint -> before / during / after ("" when no map)
    groups: dict[str, str]           # touchpoint -> group such as "ease of access" ("" when none)
    descriptions: dict[str, str]
    not_applicable: dict[str, int]   # touchpoint -> answers coded or left "not applicable"

    def groups_by(self, what: str = "stage") -> dict[str, list[str]]:
        """``{stage or group: [touchpoint, ...]}`` in journey order; touchpoints without one are left out.

        Examples
        --------
        >>> s = SurveyInput(pd.DataFrame(), "y", ["a", "b", "c"], {"a": "after", "b": "before", "c": ""}, {}, {}, {})
        >>> s.groups_by("stage")
        {'before': ['b'], 'after': ['a']}
        """
        source = self.stages if what == "stage" else self.groups
        order = {"before": 0, "during": 1, "after": 2}
        out: dict[str, list[str]] = {}
        for tp in self.touchpoints:
            if source.get(tp):
                out.setdefault(source[tp], []).append(tp)
        return dict(sorted(out.items(), key=lambda kv: order.get(kv[0], 3))) if what == "stage" else out


def prepare_survey(survey: pd.DataFrame, outcome: str, touchpoint_map: pd.DataFrame | None = None,
                   touchpoint_columns: Sequence[str] = (), na_codes: Sequence[float] = (0,),
                   scale: tuple[int, int] = (1, 5)) -> SurveyInput:
    """Check a survey against its contract and the touchpoint map; turn "not applicable" codes into blanks.

    Parameters
    ----------
    survey : answers as read by :func:`cxlib.io.read_table` (columns already mapped).
    outcome : the outcome column (``overall_satisfaction``, ``nps`` or a yes/no column).
    touchpoint_map : optional table with ``touchpoint``, ``stage`` (before/during/after), ``group``,
        ``description``; its touchpoints are used when ``touchpoint_columns`` is empty.
    na_codes : answers that mean "not applicable" (blank always does); they become NaN.
    scale : the rating scale of the touchpoints.

    Raises
    ------
    CxDataError naming the file and column: a touchpoint of the map missing from the survey, ratings off
    the scale, a missing outcome, a bad stage in the map, ...

    Examples
    --------
    >>> answers = pd.DataFrame({"respondent_id": ["r1", "r2", "r3"], "overall_satisfaction": [4, 2, 5],
    ...                         "staff": [5, 0, 4], "hold_time": [3, 2, None]})
    >>> tmap = pd.DataFrame({"touchpoint": ["hold_time", "staff"], "stage": ["before", "during"]})
    >>> s = prepare_survey(answers, "overall_satisfaction", tmap)
    >>> s.touchpoints, s.stages["staff"], s.not_applicable
    (['hold_time', 'staff'], 'during', {'hold_time': 1, 'staff': 1})
    """
    from cxlib.schemas import validate

    stages: dict[str, str] = {}
    groups: dict[str, str] = {}
    descriptions: dict[str, str] = {}
    if touchpoint_map is not None:
        tmap = validate(touchpoint_map, "touchpoints")
        for _, row in tmap.iterrows():
            tp = str(row["touchpoint"])
            stages[tp] = str(row["stage"]) if pd.notna(row["stage"]) else ""
            groups[tp] = str(row["group"]) if "group" in tmap and pd.notna(row["group"]) else ""
            descriptions[tp] = str(row["description"]) if "description" in tmap and pd.notna(row["description"]) else ""
    touchpoints = list(dict.fromkeys(touchpoint_columns or stages))
    if not touchpoints:
        raise CxParameterError("touchpoint_columns", "drivers.prepare_survey",
                               "a non-empty list of rating columns (or give a touchpoint map)", list(touchpoint_columns))
    data = survey.copy()
    extra = [c for c in na_codes if c != 0]
    present = [tp for tp in touchpoints if tp in data.columns]
    if extra:
        for tp in present:
            data[tp] = data[tp].mask(pd.to_numeric(data[tp], errors="coerce").isin(extra))
    data = validate(data, "survey", touchpoints=touchpoints, scale=scale, required=[outcome])
    na_count = {}
    for tp in touchpoints:
        values = data[tp].astype(float)
        blank = values.isna() | values.isin([0.0])
        na_count[tp] = int(blank.sum())
        data[tp] = values.mask(blank)
    return SurveyInput(data, outcome, touchpoints, {tp: stages.get(tp, "") for tp in touchpoints},
                       {tp: groups.get(tp, "") for tp in touchpoints},
                       {tp: descriptions.get(tp, "") for tp in touchpoints}, na_count)


def _pct(x: float) -> str:
    return f"{100 * x:.0f} %"


def describe_importance(imp: pd.DataFrame, top: int = 3) -> str:
    """A paragraph on :func:`driver_importance`'s result, written from its numbers (Markdown).

    Examples
    --------
    >>> imp = pd.DataFrame({"driver": ["staff", "price", "parking"], "importance": [.2, .1, .01],
    ...     "share": [.645, .323, .032], "ci_low": [.17, .08, 0], "ci_high": [.23, .12, .02], "rank": [1, 2, 3]})
    >>> imp.attrs = {"r2": .31, "n_used": 900, "n_dropped": 100, "outcome": "overall_satisfaction", "na": "listwise"}
    >>> print(describe_importance(imp, top=2))  # doctest: +ELLIPSIS
    The touchpoints explain **31 %** of the variation in overall_satisfaction (R² 0.31, 900 respondents; ...
    """
    a = imp.attrs
    head = imp.head(top)
    lead = ", ".join(f"**{d}** ({_pct(s)})" for d, s in zip(head["driver"], head["share"]))
    text = (f"The touchpoints explain **{_pct(a.get('r2', np.nan))}** of the variation in {a.get('outcome', 'the outcome')} "
            f"(R² {a.get('r2', np.nan):.2f}, {a.get('n_used', len(imp))} respondents; {a.get('n_dropped', 0)} rows "
            f"left out by {a.get('na', 'listwise')} handling of \"not applicable\"). "
            f"The top {len(head)} — {lead} — carry {_pct(head['share'].sum())} of what is explained.")
    if imp["ci_low"].notna().all() and len(imp) > 1:
        first, second = imp.iloc[0], imp.iloc[1]
        if first["ci_low"] > second["ci_high"]:
            text += f" {first['driver']} leads clearly: its interval does not overlap the next one's."
        else:
            text += f" The intervals of {first['driver']} and {second['driver']} overlap: their order is not settled."
        weak = imp[imp["ci_low"] <= 1e-3]["driver"].tolist()
        if weak:
            text += f" Indistinguishable from no effect: {', '.join(weak)}."
    return text


def describe_actions(ipm: pd.DataFrame, settled: float = 0.8) -> str:
    """"What to do next" from :func:`importance_performance`: where to act, what to keep, what is unsure.

    Examples
    --------
    >>> ipm = pd.DataFrame({"driver": ["hold_time", "staff"], "quadrant": ["concentrate here", "keep up the good work"],
    ...                     "quadrant_probability": [.93, .55], "importance": [.3, .25], "performance": [3.1, 4.2]})
    >>> print(describe_actions(ipm))
    - **Act first** on hold_time: important and rated below average (93 % of resamples agree).
    - **Keep up**: staff (placement uncertain: 55 %).
    """
    lines = []
    for quadrant, lead, why in (("concentrate here", "**Act first** on", "important and rated below average"),
                                ("keep up the good work", "**Keep up**:", ""),
                                ("possible overkill", "**Possible overkill** (rated well, matters little):", ""),
                                ("low priority", "**Low priority**:", "")):
        part = ipm[ipm["quadrant"] == quadrant]
        if part.empty:
            continue
        names = ", ".join(f"{d}" + ("" if p >= settled else f" (placement uncertain: {_pct(p)})")
                          for d, p in zip(part["driver"], part["quadrant_probability"]))
        if why:
            prob = float(part["quadrant_probability"].min())
            agree = f" ({_pct(prob)} of resamples agree)" if len(part) == 1 and prob >= settled else ""
            lines.append(f"- {lead} {names}: {why}{agree}.")
        else:
            lines.append(f"- {lead} {names}.")
    return "\n".join(lines)
