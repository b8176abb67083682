"""The small exception tree every cxlib error belongs to.

``CxError`` -> ``CxDataError`` (the input data breaks a rule) and ``CxParameterError``
(a parameter is not allowed). Each message says the rule, what was given and how to fix it,
so that an analyst reads one line instead of a traceback.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any


class CxError(Exception):
    """Base class of every error cxlib raises on purpose.

    Parameters
    ----------
    message : str
        The whole readable message.
    reason : str
        A short machine-readable reason code, e.g. ``"missing_column"``.
    """

    def __init__(self, message: str, reason: str = "error") -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason

    def __str__(self) -> str:
        return self.message


def _format_rows(rows: Sequence[Any] | None, limit: int = 5) -> str:
    if not rows:
        return ""
    shown = ", ".join(str(r) for r in list(rows)[:limit])
    more = len(rows) - limit
    return f" in row{'s' if len(rows) > 1 else ''} {shown}" + (f" (and {more} more)" if more > 0 else "")


class CxDataError(CxError):
    """The input data breaks a rule: names the file, the column, up to 5 example rows and the fix.

    Rows are 1-based data-row numbers as an analyst sees them in a spreadsheet after the header
    (row 1 is the first data row).

    Examples
    --------
    >>> err = CxDataError("survey.csv", "nps", "has values outside 0-10", rows=[12, 57], examples=[11, 12],
    ...                   hint="check the scale or map another column with columns={...}")
    >>> print(err)
    survey.csv: column 'nps' has values outside 0-10 in rows 12, 57 (e.g. 11, 12). Fix: check the scale or map another column with columns={...}
    """

    def __init__(
        self,
        file: str | None,
        column: str | None,
        problem: str,
        rows: Sequence[Any] | None = None,
        examples: Iterable[Any] | None = None,
        hint: str | None = None,
        reason: str = "invalid_data",
        their_column: str | None = None,
    ) -> None:
        self.file = file
        self.their_column = their_column
        self.column = column
        self.problem = problem
        self.rows = list(rows) if rows is not None else []
        self.examples = list(examples)[:5] if examples is not None else []
        self.hint = hint
        where = f"{file}: " if file else ""
        col = f"column '{column}' " if column else ""
        if column and their_column and their_column != column:
            col = f"column '{column}' (your '{their_column}') "
        ex = f" (e.g. {', '.join(repr(e) if isinstance(e, str) else str(e) for e in self.examples)})" if self.examples else ""
        fix = f". Fix: {hint}" if hint else ""
        message = f"{where}{col}{problem}{_format_rows(self.rows)}{ex}{fix}"
        super().__init__(message, reason)


class CxParameterError(CxError):
    """A parameter value is not allowed, in scikit-learn's wording.

    Examples
    --------
    >>> print(CxParameterError("cv", "churn.cross_validate", "an int >= 2", 1))
    The 'cv' parameter of churn.cross_validate must be an int >= 2. Got 1 instead.
    """

    def __init__(self, parameter: str, where: str, allowed: str, got: Any, hint: str | None = None) -> None:
        self.parameter = parameter
        message = f"The '{parameter}' parameter of {where} must be {allowed}. Got {got!r} instead."
        if hint:
            message += f" {hint}"
        super().__init__(message, "invalid_parameter")
