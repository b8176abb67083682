"""One plotly look for every report, and the figure builders the notebooks call.

Builders take tidy DataFrames (as returned by cxlib functions) plus column names and return a
``plotly.graph_objects.Figure``; nothing is set globally on import. :func:`apply_template` (called by
:func:`cxlib.notebook.setup_notebook`) registers the ``cxlib`` template and makes it the default.
"""
from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

__all__ = ["PALETTE", "BRAND_COLORS", "template", "apply_template", "bar_chart", "line_chart", "missing_values_chart",
           "not_applicable_chart"]

#: Colour-blind-safe palette (Okabe-Ito), first colour for "our brand".
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
BRAND_COLORS: dict[str, str] = {}
NEGATIVE, NEUTRAL, POSITIVE = "#D55E00", "#9E9E9E", "#009E73"


def template() -> go.layout.Template:
    """The cxlib plotly template: white background, readable fonts, the palette, hover labels.

    Examples
    --------
    >>> template().layout.colorway[0]
    '#0072B2'
    """
    return go.layout.Template(layout=go.Layout(
        colorway=PALETTE,
        font=dict(family="Segoe UI, Helvetica, Arial, sans-serif", size=13, color="#222"),
        title=dict(font=dict(size=16), x=0.0, xanchor="left"),
        paper_bgcolor="white", plot_bgcolor="white",
        xaxis=dict(showgrid=False, linecolor="#888", ticks="outside", automargin=True),
        yaxis=dict(gridcolor="#e5e5e5", zerolinecolor="#bbb", automargin=True),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0),
        margin=dict(l=60, r=20, t=70, b=50),
        hoverlabel=dict(font_size=12),
    ))


def apply_template() -> None:
    """Register the ``cxlib`` template and make it plotly's default (call once per notebook).

    Examples
    --------
    >>> apply_template(); pio.templates.default
    'plotly_white+cxlib'
    """
    pio.templates["cxlib"] = template()
    pio.templates.default = "plotly_white+cxlib"


def bar_chart(df: pd.DataFrame, x: str, y: str, title: str, *, color: str | None = None, orientation: str = "v",
              text_format: str | None = None, hover: Sequence[str] = (), axis_titles: tuple[str, str] | None = None,
              percent: bool = False) -> go.Figure:
    """A bar chart of ``y`` by ``x`` (grouped by ``color`` if given).

    Parameters
    ----------
    orientation : "v" or "h" (horizontal bars read better for long category names; then ``x`` is the value).
    percent : show the value axis as a percentage (values are shares 0-1).

    Examples
    --------
    >>> fig = bar_chart(pd.DataFrame({"lang": ["en", "ru"], "n": [3, 2]}), "lang", "n", "Mentions by language")
    >>> fig.data[0].type
    'bar'
    """
    groups = [(None, df)] if color is None else list(df.groupby(color, sort=False))
    fig = go.Figure()
    for i, (name, part) in enumerate(groups):
        values = part[x] if orientation == "h" else part[y]
        fig.add_trace(go.Bar(
            x=part[x], y=part[y], orientation=orientation, name=str(name) if name is not None else y,
            marker_color=PALETTE[i % len(PALETTE)],
            text=[format(v, text_format) for v in values] if text_format else None,
            textposition="outside" if text_format else None,
            customdata=part[list(hover)].to_numpy() if hover else None,
            hovertemplate=("<br>".join(f"{h}: %{{customdata[{j}]}}" for j, h in enumerate(hover)) + "<extra></extra>")
            if hover else None,
        ))
    fig.update_layout(title=title, barmode="group", showlegend=color is not None)
    value_axis = "xaxis" if orientation == "h" else "yaxis"
    if percent:
        fig.update_layout({value_axis: dict(tickformat=".0%")})
    if orientation == "h":
        fig.update_layout(yaxis=dict(autorange="reversed"), height=max(300, 28 * df[y].nunique() + 120))
    if axis_titles:
        fig.update_layout(xaxis_title=axis_titles[0], yaxis_title=axis_titles[1])
    return fig


def line_chart(df: pd.DataFrame, x: str, y: str, title: str, *, color: str | None = None,
               axis_titles: tuple[str, str] | None = None) -> go.Figure:
    """A line chart of ``y`` over ``x`` with one line per ``color`` group.

    Examples
    --------
    >>> df = pd.DataFrame({"period": pd.to_datetime(["2025-01-06", "2025-01-13"]), "n": [5, 7]})
    >>> len(line_chart(df, "period", "n", "Volume").data)
    1
    """
    groups = [(y, df)] if color is None else list(df.groupby(color, sort=False))
    fig = go.Figure()
    for i, (name, part) in enumerate(groups):
        fig.add_trace(go.Scatter(x=part[x], y=part[y], mode="lines", name=str(name),
                                 line=dict(color=PALETTE[i % len(PALETTE)], width=2)))
    fig.update_layout(title=title, hovermode="x unified", showlegend=color is not None)
    if axis_titles:
        fig.update_layout(xaxis_title=axis_titles[0], yaxis_title=axis_titles[1])
    return fig


def missing_values_chart(missing: pd.DataFrame, title: str) -> go.Figure:
    """Horizontal bars of the blank share per column, from :func:`cxlib.health.missing_values`.

    Examples
    --------
    >>> from cxlib.health import missing_values
    >>> fig = missing_values_chart(missing_values(pd.DataFrame({"a": [1, None]})), "Blanks")
    >>> [float(v) for v in fig.data[0].x]
    [0.5]
    """
    return bar_chart(missing, "missing_share", "column", title, orientation="h", text_format=".1%",
                     hover=["missing", "n"], axis_titles=("share of rows blank", ""), percent=True)


def not_applicable_chart(na: pd.DataFrame, title: str) -> go.Figure:
    """Stacked bars of "not applicable" answers per touchpoint (coded 0 vs left blank), from
    :func:`cxlib.health.not_applicable_shares`.

    Examples
    --------
    >>> from cxlib.health import not_applicable_shares
    >>> fig = not_applicable_chart(not_applicable_shares(pd.DataFrame({"wifi": [0, 4, None, 5]}), ["wifi"]), "N/A")
    >>> [t.name for t in fig.data]
    ['coded 0', 'left blank']
    """
    fig = go.Figure()
    for col, name, colour in (("na_zero", "coded 0", PALETTE[0]), ("na_blank", "left blank", PALETTE[1])):
        fig.add_trace(go.Bar(y=na["touchpoint"], x=na[col] / na["n"], name=name, orientation="h",
                             marker_color=colour, hovertemplate="%{y}: %{x:.1%}<extra>" + name + "</extra>"))
    fig.update_layout(title=title, barmode="stack", xaxis=dict(tickformat=".0%", title="share of respondents"),
                      yaxis=dict(autorange="reversed"), height=max(300, 26 * len(na) + 140))
    return fig
