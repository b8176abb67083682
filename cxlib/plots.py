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
           "not_applicable_chart", "importance_chart", "importance_performance_chart", "segment_importance_chart",
           "methods_chart", "QUADRANT_COLORS"]

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


#: Colours of the importance-performance quadrants (action first in the warm colour).
QUADRANT_COLORS = {"concentrate here": "#D55E00", "keep up the good work": "#009E73",
                   "low priority": "#9E9E9E", "possible overkill": "#56B4E9"}


def importance_chart(imp: pd.DataFrame, title: str, *, label: str = "driver", value: str = "share",
                     low: str | None = None, high: str | None = None, color_by: str | None = None) -> go.Figure:
    """Horizontal bars of importance (largest on top) with interval whiskers when ``low``/``high`` are given.

    Takes the frames of :func:`cxlib.drivers.driver_importance` (``value="importance"``, ``low="ci_low"``,
    ``high="ci_high"``) or :func:`cxlib.drivers.group_importance` (``label="group"``).

    Examples
    --------
    >>> imp = pd.DataFrame({"driver": ["staff", "price"], "importance": [.3, .1], "ci_low": [.25, .05],
    ...                     "ci_high": [.35, .15]})
    >>> fig = importance_chart(imp, "Drivers", value="importance", low="ci_low", high="ci_high")
    >>> list(fig.data[0].y), [round(float(v), 2) for v in fig.data[0].error_x.array]
    (['staff', 'price'], [0.05, 0.05])
    """
    df = imp.sort_values(value, ascending=False)
    err = {}
    if low and high and df[low].notna().any():
        err = dict(error_x=dict(type="data", symmetric=False, array=df[high] - df[value],
                                arrayminus=df[value] - df[low], color="#444", thickness=1.2, width=4))
    colors = [PALETTE[0]] * len(df)
    if color_by:
        levels = list(dict.fromkeys(df[color_by]))
        colors = [PALETTE[levels.index(v) % len(PALETTE)] for v in df[color_by]]
    interval = ("<br>95 % interval %{customdata[0]:.3f} to %{customdata[1]:.3f}" if err else "")
    fig = go.Figure(go.Bar(
        x=df[value], y=df[label], orientation="h", marker_color=colors, **err,
        customdata=df[[low, high]].to_numpy() if err else None,
        hovertemplate="%{y}: %{x:.3f}" + interval + "<extra></extra>"))
    fig.update_layout(title=title, yaxis=dict(autorange="reversed"), showlegend=False,
                      xaxis_title="share of explained variance" if value == "share" else "R² points",
                      height=max(300, 28 * len(df) + 140))
    return fig


def importance_performance_chart(ipm: pd.DataFrame, title: str) -> go.Figure:
    """The importance-performance matrix from :func:`cxlib.drivers.importance_performance`.

    Each touchpoint is a point with its bootstrap interval cross (importance horizontally, performance
    vertically), coloured by quadrant; hollow markers flag a placement the bootstrap does not settle
    (``quadrant_probability`` < 0.8). Dashed lines are the splits (average importance and performance).

    Examples
    --------
    >>> ipm = pd.DataFrame({"driver": ["a", "b"], "importance": [.6, .4], "importance_low": [.5, .3],
    ...     "importance_high": [.7, .5], "performance": [3.2, 4.1], "performance_low": [3.1, 4.0],
    ...     "performance_high": [3.3, 4.2], "quadrant": ["concentrate here", "possible overkill"],
    ...     "quadrant_probability": [.95, .6], "stage": ["before", "after"]})
    >>> [t.name for t in importance_performance_chart(ipm, "IPM").data]
    ['concentrate here', 'possible overkill']
    """
    fig = go.Figure()
    for quadrant, colour in QUADRANT_COLORS.items():
        part = ipm[ipm["quadrant"] == quadrant]
        if part.empty:
            continue
        settled = part["quadrant_probability"] >= 0.8
        fig.add_trace(go.Scatter(
            x=part["importance"], y=part["performance"], mode="markers+text", name=quadrant,
            text=part["driver"], textposition="top center", textfont=dict(size=11),
            marker=dict(size=11, color=[colour if s else "white" for s in settled], line=dict(color=colour, width=2)),
            error_x=dict(type="data", symmetric=False, array=part["importance_high"] - part["importance"],
                         arrayminus=part["importance"] - part["importance_low"], color=colour, thickness=1),
            error_y=dict(type="data", symmetric=False, array=part["performance_high"] - part["performance"],
                         arrayminus=part["performance"] - part["performance_low"], color=colour, thickness=1),
            customdata=part[["quadrant_probability", "stage"]].to_numpy(),
            hovertemplate="<b>%{text}</b> (%{customdata[1]})<br>importance %{x:.3f}<br>performance %{y:.2f}"
                          "<br>in this quadrant in %{customdata[0]:.0%} of resamples<extra>" + quadrant + "</extra>"))
    fig.add_vline(x=float(ipm["importance"].mean()), line=dict(dash="dash", color="#888", width=1))
    fig.add_hline(y=float(ipm["performance"].mean()), line=dict(dash="dash", color="#888", width=1))
    fig.update_layout(title=title, xaxis_title="importance (share of explained variance)",
                      yaxis_title="performance", height=560)
    return fig


def segment_importance_chart(seg: pd.DataFrame, title: str) -> go.Figure:
    """Importance share per driver and segment with intervals, from :func:`cxlib.drivers.segment_importance`.

    The difference rows (segment names containing " − ") are left out; show them as a table.

    Examples
    --------
    >>> seg = pd.DataFrame({"segment": ["a", "a", "b", "b"], "driver": ["x", "y", "x", "y"],
    ...                     "share": [.7, .3, .2, .8], "ci_low": [.6, .2, .1, .7], "ci_high": [.8, .4, .3, .9]})
    >>> [t.name for t in segment_importance_chart(seg, "By segment").data]
    ['a', 'b']
    """
    seg = seg[~seg["segment"].astype(str).str.contains(" − ")]
    order = seg.groupby("driver")["share"].mean().sort_values(ascending=False).index.tolist()
    fig = go.Figure()
    for i, (name, part) in enumerate(seg.groupby("segment", sort=False)):
        part = part.set_index("driver").reindex(order)
        fig.add_trace(go.Scatter(
            x=part["share"], y=order, mode="markers", name=str(name), marker=dict(size=10, color=PALETTE[i % 8]),
            error_x=dict(type="data", symmetric=False, array=part["ci_high"] - part["share"],
                         arrayminus=part["share"] - part["ci_low"], color=PALETTE[i % 8], thickness=1.2),
            hovertemplate="%{y}: %{x:.1%}<extra>" + str(name) + "</extra>"))
    fig.update_layout(title=title, yaxis=dict(autorange="reversed"), xaxis=dict(tickformat=".0%",
                      title="share of explained variance"), height=max(320, 30 * len(order) + 150))
    return fig


def methods_chart(methods: pd.DataFrame, title: str, methods_shown: Sequence[str] = ("lmg", "relative_weights",
                  "pratt", "first", "last", "betasq")) -> go.Figure:
    """Dots of each importance measure's share per driver, from :func:`cxlib.drivers.compare_methods`.

    Examples
    --------
    >>> m = pd.DataFrame({"driver": ["x", "y"], "lmg": [.6, .4], "relative_weights": [.58, .42]})
    >>> [t.name for t in methods_chart(m, "Methods", ["lmg", "relative_weights"]).data]
    ['lmg', 'relative_weights']
    """
    fig = go.Figure()
    symbols = ["diamond", "circle", "square", "triangle-up", "x", "cross"]
    for i, m in enumerate([m for m in methods_shown if m in methods.columns]):
        fig.add_trace(go.Scatter(x=methods[m], y=methods["driver"], mode="markers", name=m,
                                 marker=dict(size=12 if m == "lmg" else 8, symbol=symbols[i % 6],
                                             color=PALETTE[i % 8]),
                                 hovertemplate="%{y}: %{x:.1%}<extra>" + m + "</extra>"))
    fig.update_layout(title=title, yaxis=dict(autorange="reversed"), xaxis=dict(tickformat=".0%", title="share"),
                      height=max(320, 28 * len(methods) + 150))
    return fig
