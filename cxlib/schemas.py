"""Input contracts: one pandera schema per input kind, and :func:`validate` that turns any violation
into one readable :class:`~cxlib.errors.CxDataError` (file, column, up to 5 example rows, the fix).

Kinds and canonical columns (DESIGN.md section 4):

- ``mentions`` (also reviews): ``id``, ``created_at``, ``brand``, ``text``; optional ``channel``,
  ``language``, ``rating`` (1-5), ``label`` (negative/neutral/positive), ``author``, ``url``, ``reach``.
- ``survey``: ``respondent_id``, an outcome (``overall_satisfaction`` 1-5 or ``nps`` 0-10), touchpoint
  ratings on 1-5 where 0 or blank means "not applicable" (never "very bad").
- ``touchpoints``: ``touchpoint``, ``stage`` (before/during/after); optional ``group``, ``description``.
- ``customers``: ``customer_id``, ``churned`` (yes/no, 1/0, true/false in any spelling); optional
  ``tenure_months``, ``monthly_revenue``.

Validation happens in two steps: types are coerced by cxlib (so that a text in a number column is
reported with its rows instead of failing every later check), then the pandera schema checks values.
Soft problems (duplicated texts, blanks, N/A shares) are not errors here: see :mod:`cxlib.health`.
"""
from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pandera.pandas as pa

from cxlib.errors import CxDataError, CxParameterError

__all__ = ["KINDS", "SENTIMENT_LABELS", "JOURNEY_STAGES", "schema", "validate", "parse_yes_no", "find_problems"]

SENTIMENT_LABELS = ("negative", "neutral", "positive")
JOURNEY_STAGES = ("before", "during", "after")
_YES = {"yes", "y", "true", "t", "1", "1.0", "да", "da", "так", "oui", "si", "ja", "churned", "left"}
_NO = {"no", "n", "false", "f", "0", "0.0", "нет", "nu", "не", "non", "nein", "stayed", "active"}


@dataclass(frozen=True)
class _Col:
    kind: str  # "str", "number", "int", "datetime", "label", "yesno", "stage"
    required: bool = False
    low: float | None = None
    high: float | None = None
    unique: bool = False
    hint: str = ""


@dataclass(frozen=True)
class _Spec:
    columns: dict[str, _Col]
    example: str
    one_of: tuple[str, ...] = field(default_factory=tuple)  # at least one of these must be present


KINDS: dict[str, _Spec] = {
    "mentions": _Spec(
        columns={
            "id": _Col("str", required=True, unique=True, hint="each mention needs its own id; map your id column"),
            "created_at": _Col("datetime", required=True, hint="use ISO dates such as 2025-03-10 14:05"),
            "brand": _Col("str", required=True),
            "text": _Col("str", required=True),
            "channel": _Col("str"),
            "language": _Col("str"),
            "rating": _Col("number", low=1, high=5, hint="ratings must be stars 1-5; rescale 0-10 scores first"),
            "label": _Col("label", hint="labels must be negative, neutral or positive"),
            "author": _Col("str"),
            "url": _Col("str"),
            "reach": _Col("number", low=0, hint="reach is a follower count, 0 or more"),
        },
        example='columns={"Post ID": "id", "Date": "created_at", "Brand": "brand", "Message": "text"}',
    ),
    "survey": _Spec(
        columns={
            "respondent_id": _Col("str", required=True, unique=True, hint="each answer row needs its own respondent id"),
            "date": _Col("datetime"),
            "nps": _Col("int", low=0, high=10, hint="NPS answers are 0-10 (likelihood to recommend)"),
            "overall_satisfaction": _Col("number", low=0, high=10, hint="overall satisfaction is 1-5 (or 0-10)"),
        },
        example='columns={"RespID": "respondent_id", "Q1_recommend": "nps"}',
        one_of=("overall_satisfaction", "nps"),
    ),
    "touchpoints": _Spec(
        columns={
            "touchpoint": _Col("str", required=True, unique=True, hint="list each touchpoint once"),
            "stage": _Col("stage", required=True, hint="stage must be before, during or after (the purchase)"),
            "group": _Col("str"),
            "description": _Col("str"),
        },
        example='columns={"Item": "touchpoint", "Journey stage": "stage"}',
    ),
    "customers": _Spec(
        columns={
            "customer_id": _Col("str", required=True, unique=True, hint="each customer row needs its own id"),
            "churned": _Col("yesno", required=True, hint="use yes/no, 1/0 or true/false"),
            "tenure_months": _Col("number", low=0, hint="tenure is in months, 0 or more"),
            "monthly_revenue": _Col("number", low=0, hint="monthly revenue cannot be negative"),
        },
        example='columns={"CustomerID": "customer_id", "Exited": "churned", "tenure": "tenure_months"}',
    ),
}


def _check_kind(kind: str) -> _Spec:
    if kind not in KINDS:
        raise CxParameterError("kind", "schemas.validate", f"one of {', '.join(sorted(KINDS))}", kind)
    return KINDS[kind]


def parse_yes_no(values: pd.Series) -> pd.Series:
    """Map yes/no answers in any common spelling to a nullable boolean Series.

    Recognises yes/no, y/n, true/false, 1/0 (also as floats), in any case and with blanks around;
    blanks become ``<NA>``; anything else raises ``ValueError`` listing the unknown spellings.

    Examples
    --------
    >>> parse_yes_no(pd.Series(["Yes", " no", "Y", "FALSE", 1, None])).tolist()
    [True, False, True, False, True, <NA>]
    """
    text = values.astype("string").str.strip().str.lower()
    out = pd.Series(pd.NA, index=values.index, dtype="boolean")
    out[text.isin(_YES).fillna(False).astype(bool)] = True
    out[text.isin(_NO).fillna(False).astype(bool)] = False
    unknown = text.notna() & (text != "") & out.isna()
    if unknown.any():
        raise ValueError(sorted(set(text[unknown].tolist()))[:5])
    return out


def schema(kind: str, touchpoints: Sequence[str] = (), scale: tuple[int, int] = (1, 5)) -> pa.DataFrameSchema:
    """The pandera value checks for one input kind, applied after cxlib's type coercion.

    Parameters
    ----------
    kind : {"mentions", "survey", "touchpoints", "customers"}
    touchpoints : sequence of str
        Survey only: the touchpoint rating columns, checked to lie on ``scale`` (0 = not applicable).
    scale : (int, int)
        Survey only: the touchpoint rating scale.

    Examples
    --------
    >>> sorted(schema("customers").columns)
    ['churned', 'customer_id', 'monthly_revenue', 'tenure_months']
    """
    spec = _check_kind(kind)
    cols: dict[str, pa.Column] = {}
    for name, col in spec.columns.items():
        checks = []
        if col.low is not None or col.high is not None:
            lo = -np.inf if col.low is None else col.low
            hi = np.inf if col.high is None else col.high
            checks.append(pa.Check.in_range(lo, hi, error=_range_text(col)))
        if col.kind == "label":
            checks.append(pa.Check.isin(SENTIMENT_LABELS, error="has labels other than negative/neutral/positive"))
        if col.kind == "stage":
            checks.append(pa.Check.isin(JOURNEY_STAGES, error="has stages other than before/during/after"))
        cols[name] = pa.Column(nullable=True, unique=col.unique,  # blanks are reported by _coerce
                               checks=checks, required=col.required)
    for tp in touchpoints:
        lo, hi = scale
        cols[tp] = pa.Column(nullable=True, required=True, checks=[pa.Check(
            lambda s, lo=lo, hi=hi: (s == 0) | ((s >= lo) & (s <= hi)),
            element_wise=False, error=f"has ratings outside {lo}-{hi} (0 or blank = not applicable)")])
    return pa.DataFrameSchema(cols, strict=False, name=kind)


def _range_text(col: _Col) -> str:
    if col.low is not None and col.high is not None:
        return f"has values outside {col.low:g}-{col.high:g}"
    if col.low is not None:
        return f"has values below {col.low:g}"
    return f"has values above {col.high:g}"


@dataclass
class _Problem:
    column: str | None
    problem: str
    rows: list[int]
    examples: list
    hint: str
    reason: str

    def error(self, file: str, column_map: dict | None = None) -> CxDataError:
        return CxDataError(file, self.column, self.problem, rows=self.rows, examples=self.examples,
                           hint=self.hint, reason=self.reason, their_column=(column_map or {}).get(self.column))


def _rows(mask: pd.Series) -> list[int]:
    return [int(i) + 1 for i in np.flatnonzero(mask.to_numpy())]


def _coerce(df: pd.DataFrame, spec: _Spec, touchpoints: Sequence[str]) -> tuple[pd.DataFrame, list[_Problem]]:
    out = df.copy()
    problems: list[_Problem] = []
    todo: list[tuple[str, _Col]] = [(n, c) for n, c in spec.columns.items() if n in out.columns]
    todo += [(tp, _Col("number", hint="touchpoint ratings must be numbers; 0 or blank = not applicable"))
             for tp in touchpoints if tp in out.columns]
    for name, col in todo:
        s = out[name]
        blank = s.isna() | (s.astype("string").str.strip() == "").fillna(False).astype(bool)
        if col.kind in ("number", "int"):
            num = pd.to_numeric(s.where(~blank), errors="coerce")
            bad = num.isna() & ~blank
            if bad.any():
                problems.append(_Problem(name, "has values that are not numbers", _rows(bad), s[bad].head(5).tolist(),
                                         col.hint or "remove text such as units or 'n/a' from the column", "wrong_type"))
            if col.kind == "int":
                frac = num.notna() & (num % 1 != 0)
                if frac.any():
                    problems.append(_Problem(name, "has values that are not whole numbers", _rows(frac),
                                             num[frac].head(5).tolist(), col.hint, "wrong_type"))
            out[name] = num.astype("Float64") if col.kind == "number" else num.astype("Float64")
        elif col.kind == "datetime":
            text = s.where(~blank).astype("string")
            parsed = pd.to_datetime(text, errors="coerce", format="mixed", utc=True)
            bad = parsed.isna() & ~blank
            if bad.any():
                problems.append(_Problem(name, "has values that are not dates", _rows(bad), s[bad].head(5).tolist(),
                                         col.hint, "wrong_type"))
            # keep naive local times naive: only convert when the input carried an offset
            has_tz = text.str.contains(r"(?:[+-]\d\d:?\d\d|Z)$", regex=True, na=False).any() or \
                (isinstance(s.dtype, pd.DatetimeTZDtype))
            out[name] = parsed if has_tz else parsed.dt.tz_localize(None)
        elif col.kind == "yesno":
            try:
                out[name] = parse_yes_no(s)
            except ValueError:
                text = s.astype("string").str.strip().str.lower()
                known = text.isin(_YES | _NO).fillna(False).astype(bool)
                mask = ~blank & ~known
                problems.append(_Problem(name, "has values that are neither yes nor no", _rows(mask),
                                         s[mask].head(5).tolist(), col.hint, "wrong_value"))
                out[name] = pd.Series(pd.NA, index=s.index, dtype="boolean")
                continue
            if col.required and out[name].isna().any():
                mask = out[name].isna()
                problems.append(_Problem(name, "is blank", _rows(mask), [], "fill in every row or drop the rows",
                                         "missing_value"))
        elif col.kind in ("label", "stage"):
            out[name] = s.where(~blank).astype("string").str.strip().str.lower()
        else:
            out[name] = s.where(~blank).astype("string").str.strip()
        if col.required and col.kind not in ("yesno",) and blank.any():
            problems.append(_Problem(name, "is blank", _rows(blank), [], col.hint or "fill in every row or drop the rows",
                                     "missing_value"))
    return out, problems


def _pandera_problems(df: pd.DataFrame, sch: pa.DataFrameSchema, spec: _Spec) -> list[_Problem]:
    try:
        sch.validate(df, lazy=True)
        return []
    except pa.errors.SchemaErrors as exc:
        fc = exc.failure_cases
    problems = []
    for (column, check), grp in fc.groupby(["column", "check"], sort=False, dropna=False):
        idx = pd.to_numeric(grp["index"], errors="coerce").dropna().astype(int)
        rows = sorted({int(df.index.get_loc(i)) + 1 for i in idx if i in df.index})
        col = spec.columns.get(column)
        if check == "field_uniqueness":
            problem, hint, reason = "has duplicate values", (col.hint if col else "") or "make the ids unique", "duplicate_id"
        elif check in ("column_in_dataframe",):
            continue  # reported by the required-column check
        else:
            problem = str(check) if not str(check).startswith(("dtype", "coerce")) else f"failed check {check}"
            hint = (col.hint if col else "") or "correct the values or map another column"
            reason = "out_of_range"
        problems.append(_Problem(None if pd.isna(column) else str(column), problem, rows,
                                 grp["failure_case"].drop_duplicates().head(5).tolist(), hint, reason))
    return problems


def find_problems(df: pd.DataFrame, kind: str, *, touchpoints: Sequence[str] = (),
                  scale: tuple[int, int] = (1, 5), required: Sequence[str] = ()) -> tuple[pd.DataFrame, list[CxDataError]]:
    """Check ``df`` against the ``kind`` contract and return ``(coerced_frame, problems)`` without raising.

    Used by the data-health notebook to list every problem at once; :func:`validate` raises the first.

    Examples
    --------
    >>> _, problems = find_problems(pd.DataFrame({"customer_id": ["a", "a"], "churned": ["yes", "maybe"]}), "customers")
    >>> [p.reason for p in problems]
    ['wrong_value', 'duplicate_id']
    """
    spec = _check_kind(kind)
    source = df.attrs.get("source", "input")
    problems: list[_Problem] = []
    missing = [c for c, col in spec.columns.items() if col.required and c not in df.columns]
    missing += [tp for tp in touchpoints if tp not in df.columns]
    missing += [c for c in required if c not in df.columns and c not in missing]
    for col in missing:
        close = difflib.get_close_matches(col, [str(c) for c in df.columns], n=1, cutoff=0.6)
        fix = f'map your column to it, e.g. columns={{"{close[0] if close else "YourColumn"}": "{col}"}}'
        problems.append(_Problem(col, "is missing", [], [], fix + f" (the file has: {', '.join(map(str, df.columns[:10]))}"
                                 + ("..." if len(df.columns) > 10 else "") + ")", "missing_column"))
    # `required` names the analysis' own outcome (e.g. a yes/no "satisfied" flag) in place of the usual one-of
    if spec.one_of and not required and not any(c in df.columns for c in spec.one_of):
        problems.append(_Problem(" or ".join(spec.one_of), "is missing: an outcome column is needed", [], [],
                                 f"map your outcome, e.g. {spec.example}", "missing_column"))
    present_tps = [tp for tp in touchpoints if tp in df.columns]
    coerced, type_problems = _coerce(df, spec, present_tps)
    problems += type_problems
    if not missing:
        sch = schema(kind, present_tps, scale)
        # positions, not labels: a frame indexed by customer id still reports spreadsheet rows
        problems += _pandera_problems(coerced.reset_index(drop=True), sch, spec)
    if len(df) == 0 and not missing:
        problems.append(_Problem(None, "has no data rows", [], [], "check the export or the filter that produced it",
                                 "empty"))
    return coerced, [p.error(source, df.attrs.get("column_map")) for p in problems]


def validate(df: pd.DataFrame, kind: str, *, touchpoints: Sequence[str] = (), scale: tuple[int, int] = (1, 5),
             file: str | None = None, required: Sequence[str] = ()) -> pd.DataFrame:
    """Validate an input table once at load and return it with canonical types.

    Numbers become ``Float64``, dates ``datetime64``, yes/no ``boolean``, labels and stages lower case,
    texts stripped ``string``; the input is not changed.

    Parameters
    ----------
    df : DataFrame
        As returned by :func:`cxlib.io.read_table` (its ``attrs["source"]`` names the file in errors).
    kind : {"mentions", "survey", "touchpoints", "customers"}
    touchpoints : sequence of str
        Survey only: touchpoint rating columns (0 or blank = not applicable).
    scale : (int, int)
        Survey only: the rating scale of the touchpoints, default 1-5.
    file : str, optional
        Name used in error messages instead of ``df.attrs["source"]``.
    required : sequence of str
        More columns that must be present (e.g. the outcome an analysis uses); for a survey, naming
        them replaces the "nps or overall_satisfaction" rule.

    Raises
    ------
    CxDataError
        One message: the first problem in full, then how many more there are.

    Examples
    --------
    >>> df = pd.DataFrame({"customer_id": ["a", "b"], "churned": ["Yes", "no"], "tenure_months": ["3", " "]})
    >>> validate(df, "customers")["churned"].tolist()
    [True, False]
    >>> validate(pd.DataFrame({"customer_id": ["a"], "tenure_months": [1]}), "customers", file="c.csv")
    Traceback (most recent call last):
    ...
    cxlib.errors.CxDataError: c.csv: column 'churned' is missing. Fix: map your column to it, e.g. columns={"YourColumn": "churned"} (the file has: customer_id, tenure_months)
    """
    if file:
        df = df.copy()
        df.attrs["source"] = file
    coerced, problems = find_problems(df, kind, touchpoints=touchpoints, scale=scale, required=required)
    if problems:
        first = problems[0]
        if len(problems) > 1:
            others = "; ".join(f"'{p.column}' {p.problem}" for p in problems[1:4])
            more = len(problems) - 4
            first = CxDataError(first.file, first.column, first.problem, rows=first.rows, examples=first.examples,
                                hint=(first.hint or "") + f" (also: {others}" + (f"; {more} more" if more > 0 else "") + ")",
                                reason=first.reason, their_column=first.their_column)
        raise first
    coerced.attrs = dict(df.attrs)
    return coerced
