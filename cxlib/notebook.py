"""One explicit call that sets up a cxlib notebook: ``setup_notebook()`` after the parameters cell.

Nothing here runs on import (STYLE practice 6). Inside an IPython kernel the call

- sets plotly's default renderer to ``"plotly_mimetype"``: JupyterLab draws it, and ``cx-report``
  turns it into an inline, offline chart in the HTML report;
- applies cxlib's plotly template when :mod:`cxlib.plots` provides ``apply_template()``;
- sets pandas display options for readable tables;
- shows a :class:`cxlib.errors.CxError` as ONE line (``CxDataError: survey.csv: column 'nps' ...``)
  instead of a traceback. The cell still fails: the kernel sends a normal ``error`` output with
  ``ename``/``evalue``, so papermill raises ``PapermillExecutionError`` and ``cx-report`` reports it.

Outside IPython (a plain script, a doctest) the call does nothing.
"""
from __future__ import annotations

import importlib
from typing import Any

__all__ = ["setup_notebook", "readable_float", "PANDAS_OPTIONS", "PLOTLY_RENDERER"]

PLOTLY_RENDERER = "plotly_mimetype"

#: pandas display options set by :func:`setup_notebook` (readable, not exhaustive, tables).
PANDAS_OPTIONS: dict[str, Any] = {
    "display.max_columns": 50,
    "display.max_colwidth": 80,
    "display.max_rows": 60,
    "display.min_rows": 20,
    "display.precision": 3,
    "display.width": 120,
}

def readable_float(x: float) -> str:
    """How tables show a float: thousands separated, shares and small numbers without scientific notation.

    Set as pandas' ``display.float_format`` by :func:`setup_notebook`.

    Examples
    --------
    >>> [readable_float(v) for v in (123456.7, 15.1333, 0.12749, 0.0004, 0.0, float("nan"))]
    ['123,457', '15.13', '0.1275', '0.0004', '0', 'NaN']
    """
    if x != x:
        return "NaN"
    a = abs(x)
    if a >= 1e4:
        return f"{x:,.0f}"
    if a >= 1:
        return f"{x:,.2f}"
    if a == 0:
        return "0"
    if a >= 1e-4:
        return f"{x:.4f}".rstrip("0").rstrip(".") if a < 1e-3 else f"{x:.4f}"
    return f"{x:.2e}"


_RED = "\x1b[0;31m"
_RESET = "\x1b[0m"


def _get_shell() -> Any | None:
    try:
        from IPython import get_ipython
    except ImportError:  # IPython is a dependency, but stay importable without it
        return None
    return get_ipython()


def _one_line_cx_error(shell: Any, etype: type, evalue: BaseException, tb: Any, tb_offset: int | None = None) -> list[str]:
    """IPython custom exception handler: show a CxError as one line, still as an error output."""
    line = f"{_RED}{etype.__name__}{_RESET}: {evalue}"
    # _showtraceback sends the kernel's `error` message (ename, evalue, traceback=[line]) in ipykernel,
    # and prints the line in a terminal IPython; the cell counts as failed either way.
    shell._showtraceback(etype, evalue, [line])
    return [line]


def _apply_plots_template() -> bool:
    """Call ``cxlib.plots.apply_template()`` when that module and function exist."""
    try:
        plots = importlib.import_module("cxlib.plots")
    except ModuleNotFoundError as exc:
        if exc.name == "cxlib.plots":
            return False
        raise
    apply = getattr(plots, "apply_template", None)
    if callable(apply):
        apply()
        return True
    return False


def setup_notebook() -> None:
    """Set up the running notebook for cxlib: plotly renderer and template, pandas display, short errors.

    Call it once, in the first cell after the ``parameters`` cell::

        from cxlib.notebook import setup_notebook
        setup_notebook()

    It returns ``None`` so that, as the last line of a cell, it shows nothing in the report.
    Outside IPython it changes nothing.

    Examples
    --------
    >>> setup_notebook()  # not inside IPython: a no-op
    """
    shell = _get_shell()
    if shell is None:
        return

    import pandas as pd
    import plotly.io as pio

    from cxlib.errors import CxError

    pio.renderers.default = PLOTLY_RENDERER
    _apply_plots_template()
    for key, value in PANDAS_OPTIONS.items():
        pd.set_option(key, value)
    pd.set_option("display.float_format", readable_float)
    shell.set_custom_exc((CxError,), _one_line_cx_error)
