"""Data health: what an analyst checks before trusting any analysis of an input.

Each function takes one input table (as read by :func:`cxlib.io.read_table`) and returns a tidy
DataFrame; :mod:`cxlib.plots` draws them. Nothing here raises on bad data: hard problems are listed
(see :func:`schema_problems`) so that every problem of every input is visible at once.
"""
from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from cxlib.errors import CxDataError, CxParameterError
from cxlib.io import read_table
from cxlib.schemas import KINDS, find_problems

__all__ = [
    "read_inputs", "touchpoint_columns", "outcome_distribution", "describe_mix", "describe_not_applicable",
    "all_schema_problems", "stop_on_problems", "numbers_stored_as_text", "describe_overview",
    "DATE_COLUMNS", "ID_COLUMNS", "missing_values", "duplicates", "not_applicable_shares", "language_mix",
    "category_mix", "volume_over_time", "schema_problems", "input_overview",
]

DATE_COLUMNS = {"mentions": "created_at", "survey": "date", "customers": None, "touchpoints": None}
ID_COLUMNS = {"mentions": "id", "survey": "respondent_id", "customers": "customer_id", "touchpoints": "touchpoint"}


def _blank(s: pd.Series) -> pd.Series:
    if s.dtype == object or isinstance(s.dtype, pd.StringDtype):
        return s.isna() | (s.astype("string").str.strip() == "").fillna(False).astype(bool)
    return s.isna()


def missing_values(df: pd.DataFrame) -> pd.DataFrame:
    """Blank cells per column (empty strings and whitespace count as blank).

    Returns
    -------
    DataFrame with columns ``column``, ``missing`` (count), ``missing_share`` (0-1), ``n``; worst first.

    Examples
    --------
    >>> missing_values(pd.DataFrame({"a": [1, None], "b": ["x", " "]}))[["column", "missing"]].values.tolist()
    [['a', 1], ['b', 1]]
    """
    n = len(df)
    rows = [{"column": c, "missing": int(_blank(df[c]).sum()), "n": n} for c in df.columns]
    out = pd.DataFrame(rows, columns=["column", "missing", "n"])
    out["missing_share"] = out["missing"] / n if n else 0.0
    return out.sort_values(["missing", "column"], ascending=[False, True], kind="stable").reset_index(drop=True)[
        ["column", "missing", "missing_share", "n"]]


def duplicates(df: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Count duplicated ids, whole rows and (for mentions) texts.

    Returns
    -------
    DataFrame with columns ``check``, ``count`` (rows that repeat an earlier one), ``share``, ``example_rows``
    (1-based data rows of the first repeats).

    Examples
    --------
    >>> df = pd.DataFrame({"id": ["1", "1", "2"], "text": ["hi", "hi", "Hi!"]})
    >>> duplicates(df, "mentions")[["check", "count"]].values.tolist()
    [['duplicate id', 1], ['duplicate row', 1], ['duplicate text (exact)', 1], ['duplicate text (same words)', 2]]
    """
    checks: list[tuple[str, pd.Series]] = []
    id_col = ID_COLUMNS.get(kind)
    if id_col and id_col in df.columns:
        checks.append((f"duplicate {'id' if kind != 'touchpoints' else 'touchpoint'}", df[id_col].duplicated()))
    checks.append(("duplicate row", df.duplicated()))
    if kind == "mentions" and "text" in df.columns:
        text = df["text"].astype("string")
        checks.append(("duplicate text (exact)", text.duplicated() & text.notna()))
        folded = text.str.lower().str.replace(r"[\W_]+", " ", regex=True).str.strip()
        checks.append(("duplicate text (same words)", folded.duplicated() & folded.notna() & (folded != "")))
    n = len(df)
    rows = []
    for name, mask in checks:
        idx = np.flatnonzero(mask.to_numpy(dtype=bool))
        rows.append({"check": name, "count": int(len(idx)), "share": len(idx) / n if n else 0.0,
                     "example_rows": ", ".join(str(i + 1) for i in idx[:5])})
    return pd.DataFrame(rows, columns=["check", "count", "share", "example_rows"])


def not_applicable_shares(survey: pd.DataFrame, touchpoints: Sequence[str]) -> pd.DataFrame:
    """Share of "not applicable" answers per touchpoint: coded 0 or left blank (never "very bad").

    Returns
    -------
    DataFrame with columns ``touchpoint``, ``n``, ``na_zero``, ``na_blank``, ``na_share`` (0-1), ``mean_score``
    (mean over applicable answers); highest N/A share first.

    Examples
    --------
    >>> s = pd.DataFrame({"wifi": [0, 4, None, 5]})
    >>> not_applicable_shares(s, ["wifi"])[["na_zero", "na_blank", "na_share", "mean_score"]].values.tolist()
    [[1.0, 1.0, 0.5, 4.5]]
    """
    rows = []
    n = len(survey)
    for tp in touchpoints:
        if tp not in survey.columns:
            continue
        s = pd.to_numeric(survey[tp], errors="coerce")
        zero, blank = int((s == 0).sum()), int(s.isna().sum())
        applicable = s[(s != 0) & s.notna()]
        rows.append({"touchpoint": tp, "n": n, "na_zero": zero, "na_blank": blank,
                     "na_share": (zero + blank) / n if n else 0.0,
                     "mean_score": float(applicable.mean()) if len(applicable) else np.nan})
    out = pd.DataFrame(rows, columns=["touchpoint", "n", "na_zero", "na_blank", "na_share", "mean_score"])
    return out.sort_values("na_share", ascending=False, kind="stable").reset_index(drop=True)


def category_mix(df: pd.DataFrame, column: str) -> pd.DataFrame:
    """Counts and shares of the values of one categorical column (blank shown as "(blank)").

    Examples
    --------
    >>> category_mix(pd.DataFrame({"c": ["a", "b", "a", None]}), "c").values.tolist()
    [['a', 2, 0.5], ['(blank)', 1, 0.25], ['b', 1, 0.25]]
    """
    values = df[column].astype("string").str.strip().replace("", pd.NA).fillna("(blank)")
    counts = values.value_counts(sort=False)
    out = pd.DataFrame({column: counts.index.astype(str), "n": counts.to_numpy(dtype=int)})
    out["share"] = out["n"] / out["n"].sum()
    return out.sort_values(["n", column], ascending=[False, True], kind="stable").reset_index(drop=True)


def language_mix(mentions: pd.DataFrame) -> pd.DataFrame:
    """Languages of the mentions, from the ``language`` column or, where absent, detected from ``text``.

    Returns
    -------
    DataFrame with columns ``language`` (ISO 639-1 or "und"), ``n``, ``share``, ``source``
    ("column" or "detected").

    Examples
    --------
    >>> language_mix(pd.DataFrame({"text": ["a", "b"], "language": ["en", "ro"]}))["language"].tolist()
    ['en', 'ro']
    """
    if "language" in mentions.columns and mentions["language"].notna().any():
        out = category_mix(mentions, "language")
        out["source"] = "column"
    else:
        from cxlib.text import detect_language

        detected = pd.DataFrame({"language": detect_language(mentions["text"].fillna("").astype(str)).to_numpy()})
        out = category_mix(detected, "language")
        out["source"] = "detected"
    return out


def _naive_dates(values: pd.Series) -> pd.Series:
    """Dates without time zone; mixed UTC offsets (an export across a daylight-saving change) go to UTC."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", FutureWarning)  # pandas 2 warns on mixed offsets where pandas 3 raises
            when = pd.to_datetime(values, errors="coerce", format="mixed")
    except (ValueError, TypeError, FutureWarning):
        when = None
    if when is None or not pd.api.types.is_datetime64_any_dtype(when):
        # pandas 3 raises on mixed offsets, pandas 2 returns objects: both go through UTC
        when = pd.to_datetime(values, errors="coerce", format="mixed", utc=True)
    if getattr(when.dt, "tz", None) is not None:
        when = when.dt.tz_localize(None)
    return when


def volume_over_time(df: pd.DataFrame, date_column: str, freq: str = "W", by: str | None = None) -> pd.DataFrame:
    """Rows per period (and per ``by`` group): the input's coverage over time.

    Parameters
    ----------
    freq : pandas offset alias, "D", "W" (weeks starting Monday) or "M" (months).

    Returns
    -------
    DataFrame with columns ``period`` (period start, datetime), ``by`` column if given, ``n``.

    Examples
    --------
    >>> df = pd.DataFrame({"created_at": ["2025-03-10", "2025-03-12", "2025-03-18"]})
    >>> volume_over_time(df, "created_at")["n"].tolist()
    [2, 1]
    """
    when = _naive_dates(df[date_column])
    alias = {"W": "W-SUN", "M": "M"}.get(freq, freq)
    period = when.dt.to_period(alias).dt.start_time
    keys = [period.rename("period")] + ([df[by].astype("string").fillna("(blank)").rename(by)] if by else [])
    out = pd.Series(1, index=df.index).groupby(keys).sum().rename("n").reset_index()
    return out.sort_values(["period"] + ([by] if by else []), kind="stable").reset_index(drop=True)


def schema_problems(df: pd.DataFrame, kind: str, touchpoints: Sequence[str] = (),
                    scale: tuple[int, int] = (1, 5)) -> pd.DataFrame:
    """Every contract violation of one input, as a table (the hard errors an analysis would stop on).

    Returns
    -------
    DataFrame with columns ``column``, ``problem``, ``rows`` (count), ``example_rows``, ``examples``, ``fix``,
    ``message`` (the full one-line message :func:`cxlib.schemas.validate` would raise). Empty when clean.

    Examples
    --------
    >>> schema_problems(pd.DataFrame({"customer_id": ["a"], "churned": ["maybe"]}), "customers")["problem"].tolist()
    ['has values that are neither yes nor no']
    """
    _, problems = find_problems(df, kind, touchpoints=touchpoints, scale=scale)
    rows = [{"column": p.column, "problem": p.problem, "rows": len(p.rows),
             "example_rows": ", ".join(str(r) for r in p.rows[:5]),
             "examples": ", ".join(str(e) for e in p.examples[:5]), "fix": p.hint or "", "message": str(p)}
            for p in problems]
    return pd.DataFrame(rows, columns=["column", "problem", "rows", "example_rows", "examples", "fix", "message"])


def input_overview(frames: Mapping[str, pd.DataFrame], kinds: Mapping[str, str],
                   touchpoints: Sequence[str] = ()) -> pd.DataFrame:
    """One row per input: size, period covered, blanks, duplicates and contract problems.

    Parameters
    ----------
    frames : {input_name: DataFrame}
    kinds : {input_name: kind}, kind in ``cxlib.schemas.KINDS``.
    touchpoints : survey touchpoint columns (checked for the survey input).

    Returns
    -------
    DataFrame with columns ``input``, ``file``, ``kind``, ``rows``, ``columns``, ``period_start``, ``period_end``,
    ``blank_cells_share``, ``duplicate_ids``, ``problems``, ``status`` ("ok" or "problems").

    Examples
    --------
    >>> df = pd.DataFrame({"customer_id": ["a", "b"], "churned": ["yes", "no"]})
    >>> input_overview({"customers": df}, {"customers": "customers"})[["rows", "problems", "status"]].values.tolist()
    [[2, 0, 'ok']]
    """
    rows = []
    for name, df in frames.items():
        kind = kinds[name]
        if kind not in KINDS:
            raise CxParameterError("kinds", "health.input_overview", f"a mapping to one of {', '.join(KINDS)}", kind)
        date_col = DATE_COLUMNS.get(kind)
        start = end = pd.NaT
        if date_col and date_col in df.columns:
            when = _naive_dates(df[date_col])
            start, end = when.min(), when.max()
        id_col = ID_COLUMNS[kind]
        dup_ids = int(df[id_col].duplicated().sum()) if id_col in df.columns else 0
        n_cells = df.shape[0] * df.shape[1]
        blanks = sum(int(_blank(df[c]).sum()) for c in df.columns)
        n_problems = len(schema_problems(df, kind, touchpoints if kind == "survey" else ()))
        rows.append({"input": name, "file": df.attrs.get("source", ""), "kind": kind, "rows": len(df),
                     "columns": df.shape[1], "period_start": start, "period_end": end,
                     "blank_cells_share": blanks / n_cells if n_cells else 0.0, "duplicate_ids": dup_ids,
                     "problems": n_problems, "status": "ok" if n_problems == 0 else "problems"})
    return pd.DataFrame(rows, columns=["input", "file", "kind", "rows", "columns", "period_start", "period_end",
                                       "blank_cells_share", "duplicate_ids", "problems", "status"])


def read_inputs(paths: Mapping[str, str], columns: Mapping[str, Mapping[str, str]] | None = None) -> dict[str, pd.DataFrame]:
    """Read each input named in ``paths`` ({kind: path}; an empty path skips that input).

    Parameters
    ----------
    paths : {kind: path}, kind in ``cxlib.schemas.KINDS`` (mentions, survey, touchpoints, customers).
    columns : {kind: {their_name: our_name}}, optional column mapping per input.

    Raises
    ------
    CxDataError
        A file that cannot be read at all (missing, empty, unknown format, a mapped column it lacks).

    Examples
    --------
    >>> frames = read_inputs({"customers": "data/sample/customers.csv", "survey": ""})  # doctest: +SKIP
    """
    columns = columns or {}
    unknown = [k for k in list(paths) + list(columns) if k not in KINDS]
    if unknown:
        raise CxParameterError("columns" if unknown[0] in columns else "paths", "health.read_inputs",
                               f"keyed by input kind ({', '.join(KINDS)})", unknown[0])
    return {kind: read_table(path, columns.get(kind)) for kind, path in paths.items() if path}


def all_schema_problems(frames: Mapping[str, pd.DataFrame], touchpoints: Sequence[str] = ()) -> pd.DataFrame:
    """:func:`schema_problems` of every input, stacked, with an ``input`` column first.

    ``frames`` is keyed by kind, as returned by :func:`read_inputs`.

    Examples
    --------
    >>> frames = {"customers": pd.DataFrame({"customer_id": ["a", "a"], "churned": ["yes", "no"]})}
    >>> all_schema_problems(frames)[["input", "column", "problem"]].values.tolist()
    [['customers', 'customer_id', 'has duplicate values']]
    """
    parts = [schema_problems(df, kind, touchpoints if kind == "survey" else ()).assign(input=kind)
             for kind, df in frames.items()]
    cols = ["input", "column", "problem", "rows", "example_rows", "examples", "fix", "message"]
    parts = [p for p in parts if len(p)]
    return pd.concat(parts, ignore_index=True)[cols] if parts else pd.DataFrame(columns=cols)


def stop_on_problems(problems: pd.DataFrame, strict: bool = True) -> None:
    """Raise the first contract problem as a :class:`~cxlib.errors.CxDataError` when ``strict``.

    A scheduled run must fail loudly on a broken input (and keep the previous report); with
    ``strict=False`` the report is built anyway, listing the problems, to explore a messy export.

    Examples
    --------
    >>> stop_on_problems(pd.DataFrame(columns=["message"]))
    >>> stop_on_problems(pd.DataFrame({"message": ["c.csv: column 'churned' is missing"], "input": ["customers"],
    ...                               "column": ["churned"]}))
    Traceback (most recent call last):
    ...
    cxlib.errors.CxDataError: c.csv: column 'churned' is missing (1 contract problem in all; set strict=False to build the health report anyway)
    """
    if not strict or problems.empty:
        return
    n = len(problems)
    raise CxDataError(None, None, f"{problems['message'].iloc[0]} ({n} contract problem{'s' if n > 1 else ''} in all; "
                      "set strict=False to build the health report anyway)", reason="contract")


def numbers_stored_as_text(df: pd.DataFrame, threshold: float = 0.9) -> pd.DataFrame:
    """Text columns whose non-blank values are mostly numbers (e.g. Telco's ``TotalCharges``).

    Returns
    -------
    DataFrame with columns ``column``, ``numeric_share`` (of non-blank values), ``blank``, ``not_numbers``
    (count), ``examples`` (values that are not numbers).

    Examples
    --------
    >>> df = pd.DataFrame({"total": ["1.5", " ", "2", "x"], "name": ["a", "b", "c", "d"]})
    >>> numbers_stored_as_text(df, threshold=0.6)[["column", "blank", "not_numbers"]].values.tolist()
    [['total', 1, 1]]
    """
    rows = []
    for col in df.columns:
        s = df[col]
        if not (s.dtype == object or isinstance(s.dtype, pd.StringDtype)):
            continue
        blank = _blank(s)
        values = s[~blank]
        if values.empty:
            continue
        num = pd.to_numeric(values.astype("string").str.strip(), errors="coerce")
        share = float(num.notna().mean())
        if share >= threshold:
            bad = values[num.isna()]
            rows.append({"column": col, "numeric_share": share, "blank": int(blank.sum()), "not_numbers": int(len(bad)),
                         "examples": ", ".join(repr(v) for v in bad.drop_duplicates().head(3))})
    return pd.DataFrame(rows, columns=["column", "numeric_share", "blank", "not_numbers", "examples"])


def describe_overview(overview: pd.DataFrame) -> str:
    """A few Markdown sentences summarising :func:`input_overview`, written from its numbers.

    Examples
    --------
    >>> ov = pd.DataFrame({"input": ["survey"], "file": ["survey.csv"], "rows": [3000], "period_start": [pd.Timestamp("2024-06-01")],
    ...                    "period_end": [pd.Timestamp("2025-11-30")], "blank_cells_share": [0.02], "problems": [0], "duplicate_ids": [0]})
    >>> print(describe_overview(ov))
    - **survey** (`survey.csv`): 3,000 rows from 2024-06-01 to 2025-11-30; 2.0 % of cells blank; no contract problems.
    """
    lines = []
    for r in overview.itertuples(index=False):
        period = (f" from {r.period_start:%Y-%m-%d} to {r.period_end:%Y-%m-%d}"
                  if pd.notna(r.period_start) and pd.notna(r.period_end) else "")
        problems = "no contract problems" if r.problems == 0 else f"**{r.problems} contract problem{'s' if r.problems > 1 else ''}** (see below)"
        dups = f"; {r.duplicate_ids:,} duplicated ids" if r.duplicate_ids else ""
        lines.append(f"- **{r.input}** (`{r.file}`): {r.rows:,} rows{period}; {r.blank_cells_share:.1%} of cells blank"
                     .replace("%", " %") + f"{dups}; {problems}.")
    return "\n".join(lines)


def touchpoint_columns(frames: Mapping[str, pd.DataFrame]) -> list[str]:
    """The touchpoint rating columns: those listed in the touchpoint map (``frames["touchpoints"]``).

    Without a map, the survey's numeric columns whose values all lie in 0-10, other than the ids and the
    outcomes, are taken as touchpoints.

    Examples
    --------
    >>> touchpoint_columns({"touchpoints": pd.DataFrame({"touchpoint": [" wifi", "food"], "stage": ["during"] * 2})})
    ['wifi', 'food']
    """
    tp = frames.get("touchpoints")
    if tp is not None and "touchpoint" in tp.columns:
        return tp["touchpoint"].dropna().astype(str).str.strip().tolist()
    survey = frames.get("survey")
    if survey is None:
        return []
    skip = {"respondent_id", "date", "nps", "overall_satisfaction"}
    out = []
    for col in survey.columns:
        if col in skip or not pd.api.types.is_numeric_dtype(survey[col]):
            continue
        v = survey[col].dropna()
        if len(v) and v.between(0, 10).all():
            out.append(col)
    return out


def outcome_distribution(survey: pd.DataFrame) -> pd.DataFrame:
    """Answer distribution of the survey outcomes present (``nps`` 0-10, ``overall_satisfaction``).

    Returns
    -------
    DataFrame with columns ``outcome``, ``score``, ``n``, ``share`` (of that outcome's non-blank answers).

    Examples
    --------
    >>> outcome_distribution(pd.DataFrame({"nps": [10, 10, 3]}))[["score", "n"]].values.tolist()
    [[3, 1], [10, 2]]
    """
    parts = []
    for col in ("nps", "overall_satisfaction"):
        if col not in survey.columns:
            continue
        values = pd.to_numeric(survey[col], errors="coerce").dropna()
        counts = values.round().astype(int).value_counts().sort_index()
        parts.append(pd.DataFrame({"outcome": col, "score": counts.index.to_numpy(), "n": counts.to_numpy()}))
    if not parts:
        return pd.DataFrame(columns=["outcome", "score", "n", "share"])
    out = pd.concat(parts, ignore_index=True)
    out["share"] = out["n"] / out.groupby("outcome")["n"].transform("sum")
    return out


def describe_mix(mix: pd.DataFrame, column: str, noun: str) -> str:
    """One sentence on a :func:`category_mix` table: how many values and the largest shares.

    Examples
    --------
    >>> mix = pd.DataFrame({"language": ["en", "ru"], "n": [30, 10], "share": [0.75, 0.25]})
    >>> describe_mix(mix, "language", "languages")
    '2 languages: en 75.0 %, ru 25.0 %.'
    """
    if mix.empty:
        return f"No {noun}."
    top = ", ".join(f"{v} {sh:.1%}".replace("%", " %") for v, sh in zip(mix[column].head(6), mix["share"].head(6)))
    more = f" and {len(mix) - 6} more" if len(mix) > 6 else ""
    return f"{len(mix)} {noun}: {top}{more}."


def describe_not_applicable(na: pd.DataFrame, warn_share: float = 0.2) -> str:
    """Sentences on :func:`not_applicable_shares`: overall N/A share and touchpoints above ``warn_share``.

    Examples
    --------
    >>> na = pd.DataFrame({"touchpoint": ["wifi", "food"], "na_share": [0.3, 0.05]})
    >>> describe_not_applicable(na)
    '"Not applicable" answers range from 5.0 % to 30.0 % per touchpoint. Above 20 %: wifi (30.0 %); estimates for these rest on fewer answers.'
    """
    if na.empty:
        return "No touchpoint columns found."
    lo, hi = na["na_share"].min(), na["na_share"].max()
    text = f'"Not applicable" answers range from {lo:.1%} to {hi:.1%} per touchpoint.'
    high = na[na["na_share"] > warn_share]
    if len(high):
        listed = ", ".join(f"{t} ({v:.1%})" for t, v in zip(high["touchpoint"], high["na_share"]))
        text += f" Above {warn_share:.0%}: {listed}; estimates for these rest on fewer answers."
    return text.replace("%", " %").replace("  %", " %")
