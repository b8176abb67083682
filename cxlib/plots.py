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
from numpy.typing import ArrayLike

__all__ = ["PALETTE", "BRAND_COLORS", "template", "apply_template", "bar_chart", "line_chart", "missing_values_chart",
           "not_applicable_chart", "importance_chart", "importance_performance_chart", "segment_importance_chart",
           "methods_chart", "QUADRANT_COLORS", "retention_chart", "hazard_ratio_chart",
           "gains_chart", "calibration_chart", "sentiment_index_chart",
           "share_of_voice_chart", "sentiment_mix_chart", "rising_terms_chart", "aspect_heatmap",
           "aspect_comparison_chart"]

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
                     low: str | None = None, high: str | None = None, color_by: str | None = None,
                     axis_title: str | None = None) -> go.Figure:
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
                      xaxis_title=axis_title or ("share of explained variance" if value == "share" else "R² points"),
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


def _rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def retention_chart(curves: pd.DataFrame, title: str, *, unit: str = "months") -> go.Figure:
    """Kaplan-Meier retention step lines per segment with shaded interval bands, from
    :func:`cxlib.survival.retention_curves`.

    Each segment is three traces: the interval's lower edge (no line), its upper edge filled down to the
    lower one (``fill="tonexty"``, the segment's colour, transparent), and the retention step line.

    Examples
    --------
    >>> curves = pd.DataFrame({"segment": ["a"] * 3 + ["b"] * 3, "time": [0, 1, 2] * 2,
    ...     "retention": [1, .8, .6, 1, .9, .85], "ci_low": [1, .7, .5, 1, .8, .75],
    ...     "ci_high": [1, .9, .7, 1, .95, .9], "at_risk": [5, 5, 3, 9, 9, 6], "events": [0, 1, 1, 0, 1, 0]})
    >>> fig = retention_chart(curves, "Retention by contract")
    >>> [(t.name, t.line.shape, t.fill) for t in fig.data][:3], fig.layout.yaxis.tickformat
    ([('a', 'hv', None), ('a', 'hv', 'tonexty'), ('a', 'hv', None)], '.0%')
    """
    fig = go.Figure()
    for i, (name, part) in enumerate(curves.groupby("segment", sort=False)):
        colour, label = PALETTE[i % len(PALETTE)], str(name)
        part = part.sort_values("time")
        band = dict(x=part["time"], mode="lines", line=dict(width=0, color=colour, shape="hv"), name=label,
                    legendgroup=label, showlegend=False, hoverinfo="skip")
        fig.add_trace(go.Scatter(y=part["ci_low"], **band))
        fig.add_trace(go.Scatter(y=part["ci_high"], fill="tonexty", fillcolor=_rgba(colour, 0.18), **band))
        fig.add_trace(go.Scatter(
            x=part["time"], y=part["retention"], mode="lines", name=label, legendgroup=label,
            line=dict(color=colour, width=2, shape="hv"),
            customdata=part[["ci_low", "ci_high", "at_risk"]].to_numpy(),
            hovertemplate=f"{label}, %{{x}} {unit}: %{{y:.1%}} still with us"
                          "<br>interval %{customdata[0]:.1%} to %{customdata[1]:.1%}"
                          "<br>%{customdata[2]} customers observed<extra></extra>"))
    fig.update_layout(title=title, xaxis_title=f"{unit} since joining", hovermode="closest",
                      yaxis=dict(range=[0, 1.02], tickformat=".0%", title="share still with us"))
    return fig


def hazard_ratio_chart(hazards: pd.DataFrame, title: str) -> go.Figure:
    """Forest plot of hazard ratios with intervals on a log axis, from :func:`cxlib.survival.hazard_ratios`.

    A dashed line marks 1 (no effect); points right of it raise the risk of leaving (warm colour where the
    whole interval is above 1), points left of it lower it (green where the whole interval is below 1).

    Examples
    --------
    >>> hz = pd.DataFrame({"feature": ["contract=two_year", "complaints"], "hazard_ratio": [.2, 1.3],
    ...     "ci_low": [.15, 1.1], "ci_high": [.26, 1.5], "p": [1e-9, .002], "reference": ["month-to-month", "per +1"]})
    >>> fig = hazard_ratio_chart(hz, "Churn drivers")
    >>> fig.layout.xaxis.type, list(fig.data[0].y), fig.layout.shapes[0].x0
    ('log', ['contract=two_year (vs month-to-month)', 'complaints (per +1)'], 1)
    """
    ref = hazards["reference"].astype(str)
    labels = [f"{f} ({r if r == 'per +1' else 'vs ' + r})" for f, r in zip(hazards["feature"], ref)]
    colours = [NEGATIVE if lo > 1 else POSITIVE if hi < 1 else NEUTRAL
               for lo, hi in zip(hazards["ci_low"], hazards["ci_high"])]
    fig = go.Figure(go.Scatter(
        x=hazards["hazard_ratio"], y=labels, mode="markers", marker=dict(size=10, color=colours),
        error_x=dict(type="data", symmetric=False, array=hazards["ci_high"] - hazards["hazard_ratio"],
                     arrayminus=hazards["hazard_ratio"] - hazards["ci_low"], color="#444", thickness=1.2, width=4),
        customdata=hazards[["ci_low", "ci_high", "p"]].to_numpy(),
        hovertemplate="%{y}: %{x:.2f}x the risk of leaving<br>interval %{customdata[0]:.2f} to "
                      "%{customdata[1]:.2f}, p = %{customdata[2]:.3g}<extra></extra>"))
    fig.add_vline(x=1, line=dict(dash="dash", color="#888", width=1))
    low, high = min(float(hazards["ci_low"].min()), 1.0), max(float(hazards["ci_high"].max()), 1.0)
    ticks = [v for v in (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100) if low / 1.5 <= v <= high * 1.5]
    fig.update_layout(title=title, showlegend=False, xaxis=dict(type="log", title="hazard ratio (log scale)",
                                                                tickvals=ticks, ticktext=[f"{v:g}" for v in ticks]),
                      yaxis=dict(autorange="reversed"), height=max(300, 28 * len(hazards) + 140))
    return fig


def gains_chart(lift: pd.DataFrame, title: str, *, show_perfect: bool = False) -> go.Figure:
    """Cumulative gains curve of a churn model against the random diagonal, from :func:`cxlib.metrics.lift_table`.

    The curve starts at (0, 0) and passes through each decile's ``cumulative_share_of_customers`` (x) and
    ``cumulative_gain`` (y): "contacting the riskiest x % of customers reaches y % of the churners". The
    dashed diagonal is a random ranking; ``show_perfect`` adds the best possible curve (every churner first).

    Examples
    --------
    >>> from cxlib.metrics import lift_table
    >>> lift = lift_table([1, 1, 0, 1, 0, 0, 1, 0, 0, 0], [.9, .8, .7, .6, .5, .4, .3, .2, .1, .05], bins=5)
    >>> fig = gains_chart(lift, "Who to call first")
    >>> [t.name for t in fig.data], [round(float(v), 2) for v in fig.data[0].y], fig.layout.xaxis.tickformat
    (['model', 'random'], [0.0, 0.5, 0.75, 0.75, 1.0, 1.0], '.0%')
    """
    x = [0.0, *lift["cumulative_share_of_customers"].astype(float)]
    y = [0.0, *lift["cumulative_gain"].astype(float)]
    lifts = [None, *lift["cumulative_lift"].astype(float)]
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=x, y=y, mode="lines+markers", name="model", line=dict(color=PALETTE[0], width=2), customdata=lifts,
        hovertemplate="riskiest %{x:.0%} of customers: %{y:.0%} of churners"
                      "<br>cumulative lift %{customdata:.2f}<extra></extra>"))
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", name="random", hoverinfo="skip",
                             line=dict(color=NEUTRAL, dash="dash", width=1.5)))
    if show_perfect:
        rate = float(lift["churners"].sum() / lift["customers"].sum())
        fig.add_trace(go.Scatter(x=[0, rate, 1], y=[0, 1, 1], mode="lines", name="perfect model", hoverinfo="skip",
                                 line=dict(color=PALETTE[2], dash="dot", width=1.5)))
    fig.update_layout(title=title, hovermode="closest",
                      xaxis=dict(range=[0, 1], tickformat=".0%", title="customers contacted, riskiest first"),
                      yaxis=dict(range=[0, 1.02], tickformat=".0%", title="share of all churners reached"))
    return fig


def calibration_chart(cal: pd.DataFrame, title: str, *, probability: ArrayLike | None = None) -> go.Figure:
    """Reliability diagram of a churn model, from :func:`cxlib.metrics.calibration_table`.

    Each bin is a point at its mean predicted probability (x) and observed churn rate (y) with the Wilson
    interval as an error bar; points on the dashed diagonal are perfectly calibrated, points below it mean the
    model over-predicts churn. The table's ``attrs`` ECE and Brier score are noted in a corner when present.
    Give the raw predicted ``probability`` to add a histogram of them (20 bins of 5 points) in a panel below.

    Examples
    --------
    >>> from cxlib.metrics import calibration_table
    >>> cal = calibration_table([0, 0, 1, 0, 1, 1, 0, 1], [.1, .2, .2, .3, .6, .7, .8, .9], bins=2,
    ...                         strategy="uniform")
    >>> [t.name for t in calibration_chart(cal, "Calibration").data]
    ['model', 'perfectly calibrated']
    >>> fig = calibration_chart(cal, "Calibration", probability=[.1, .2, .2, .3, .6, .7, .8, .9])
    >>> [t.type for t in fig.data], fig.data[2].xaxis
    (['scatter', 'scatter', 'histogram'], 'x2')
    """
    with_histogram = probability is not None
    if with_histogram:
        from plotly.subplots import make_subplots  # only this figure needs it

        fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.78, 0.22], vertical_spacing=0.04)
        top = dict(row=1, col=1)
    else:
        fig, top = go.Figure(), {}
    fig.add_trace(go.Scatter(
        x=cal["mean_predicted"], y=cal["observed_rate"], mode="lines+markers", name="model",
        line=dict(color=PALETTE[0], width=2), marker=dict(size=8),
        error_y=dict(type="data", symmetric=False, array=cal["ci_high"] - cal["observed_rate"],
                     arrayminus=cal["observed_rate"] - cal["ci_low"], color=PALETTE[0], thickness=1.2, width=4),
        customdata=cal[["bin", "n", "ci_low", "ci_high"]].to_numpy(),
        hovertemplate="bin %{customdata[0]} (%{customdata[1]} customers)<br>predicted %{x:.1%}, "
                      "observed %{y:.1%}<br>interval %{customdata[2]:.1%} to %{customdata[3]:.1%}<extra></extra>"),
        **top)
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", name="perfectly calibrated", hoverinfo="skip",
                             line=dict(color=NEUTRAL, dash="dash", width=1.5)), **top)
    axis = dict(range=[0, 1], tickformat=".0%")
    if with_histogram:
        fig.add_trace(go.Histogram(x=list(pd.Series(probability, dtype=float)), xbins=dict(start=0, end=1, size=0.05),
                                   name="predictions", marker_color=NEUTRAL, showlegend=False,
                                   hovertemplate="%{x}: %{y} customers<extra></extra>"), row=2, col=1)
        fig.update_layout(xaxis=axis, xaxis2=dict(axis, title="mean predicted churn probability"),
                          yaxis=dict(axis, title="observed churn rate"), yaxis2=dict(title="customers"), height=600)
    else:
        fig.update_layout(xaxis=dict(axis, title="mean predicted churn probability"),
                          yaxis=dict(axis, title="observed churn rate"), height=500)
    notes = [f"{label} {cal.attrs[key]:.3f}" for key, label in (("ece", "ECE"), ("brier", "Brier score"))
             if key in cal.attrs]
    if notes:
        fig.add_annotation(text=" · ".join(notes), xref="paper", yref="paper", x=0.01, y=0.99, showarrow=False,
                           xanchor="left", yanchor="top", font=dict(size=12, color="#444"))
    fig.update_layout(title=title, hovermode="closest")
    return fig


def profit_chart(curve: pd.DataFrame, best: dict, title: str, profit: str = "expected_profit", *,
                 label: str = "best threshold", also: Sequence[str] = ()) -> go.Figure:
    """Profit of a retention campaign against the share of customers called, riskiest first.

    Takes :func:`cxlib.retention.profit_curve` and a campaign dict (:func:`cxlib.retention.best_threshold` or
    :func:`cxlib.retention.threshold_policy`); marks that campaign as ``label`` and the two baselines (call
    nobody at 0 %, call everyone at 100 %). ``also`` names other profit columns drawn dashed (e.g. the
    expected profit next to the realised one of a back-test).

    Examples
    --------
    >>> curve = pd.DataFrame({"policy": ["call nobody", "threshold", "call everyone"], "threshold": [9, .5, 0],
    ...                       "contacted_share": [0, .5, 1], "expected_profit": [0, 46.8, 34.3],
    ...                       "realised_profit": [0, 40.0, 30.0]})
    >>> [t.name for t in profit_chart(curve, {"contacted_share": .5, "profit": 46.8, "threshold": .5}, "P").data]
    ['expected profit', 'best threshold']
    >>> fig = profit_chart(curve, {"contacted_share": .5, "profit": 40.0, "threshold": .5}, "P",
    ...                    profit="realised_profit", label="chosen by cross-validation", also=["expected_profit"])
    >>> [t.name for t in fig.data]
    ['realised profit', 'expected profit', 'chosen by cross-validation']
    """
    line = curve.sort_values("contacted_share", kind="stable")
    fig = go.Figure()
    for k, column in enumerate([profit, *also]):
        fig.add_trace(go.Scatter(x=line["contacted_share"], y=line[column], mode="lines",
                                 name=column.replace("_", " "),
                                 line=dict(color=PALETTE[k], width=2, dash="solid" if k == 0 else "dash"),
                                 customdata=line[["threshold"]].to_numpy(),
                                 hovertemplate="call %{x:.0%} (probability ≥ %{customdata[0]:.2f}): %{y:,.0f}"
                                               "<extra></extra>"))
    fig.add_trace(go.Scatter(x=[best["contacted_share"]], y=[best["profit"]], mode="markers+text",
                             name=label, marker=dict(size=12, color=PALETTE[5]),
                             text=[f"threshold {best['threshold']:.2f}"], textposition="top center"))
    fig.add_hline(y=0, line=dict(dash="dash", color="#888", width=1))
    fig.update_layout(title=title, xaxis=dict(tickformat=".0%", title="customers called, riskiest first"),
                      yaxis_title="profit net of offers")
    return fig


# --- sentiment index ----------------------------------------------------------------------------------------------

def _brand_colours(brands: Sequence[str], our_brand: str | None) -> dict[str, str]:
    """Our brand in the first palette colour, the others in the rest, in a stable order."""
    others = [b for b in brands if b != our_brand]
    colours = {b: PALETTE[1 + k % (len(PALETTE) - 1)] for k, b in enumerate(others)}
    if our_brand is not None:
        colours[our_brand] = PALETTE[0]
    return {**colours, **{b: c for b, c in BRAND_COLORS.items() if b in colours}}


def sentiment_index_chart(index: pd.DataFrame, title: str, *, our_brand: str | None = None,
                          alerts: pd.DataFrame | None = None) -> go.Figure:
    """Net sentiment per brand over time, each with its 95 % band; hollow markers for low-volume cells, red
    rings on sentiment alerts.

    Takes :func:`cxlib.sentiment.sentiment_index` (columns brand, period, n, net_sentiment, ci_low, ci_high,
    low_volume) and optionally :func:`cxlib.shifts.shift_alerts`. Our brand is drawn thicker and first in the
    legend.

    Examples
    --------
    >>> idx = pd.DataFrame({"brand": ["A", "A", "B", "B"], "period": pd.to_datetime(["2025-03-03", "2025-03-10"] * 2),
    ...     "n": [300, 280, 120, 20], "net_sentiment": [0.3, -0.5, 0.1, 0.2], "ci_low": [0.2, -0.6, 0.0, -0.2],
    ...     "ci_high": [0.4, -0.4, 0.2, 0.6], "low_volume": [False, False, False, True]})
    >>> al = pd.DataFrame({"brand": ["A"], "period": pd.to_datetime(["2025-03-10"]), "kind": ["sentiment drop"],
    ...                    "value": [-0.5], "baseline": [0.3], "z": [-4.8], "n": [280]})
    >>> [t.name for t in sentiment_index_chart(idx, "Index", our_brand="A", alerts=al).data if t.showlegend is not False]
    ['A', 'B', 'alert']
    """
    brands = list(dict.fromkeys([*([our_brand] if our_brand in set(index["brand"]) else []),
                                 *sorted(index["brand"].astype(str).unique())]))
    colours = _brand_colours(brands, our_brand)
    fig = go.Figure()
    for brand in brands:
        d = index[index["brand"] == brand].sort_values("period")
        colour, ours = colours[brand], brand == our_brand
        fig.add_trace(go.Scatter(x=d["period"], y=d["ci_high"], mode="lines", line=dict(width=0),
                                 hoverinfo="skip", showlegend=False, legendgroup=brand, connectgaps=False))
        fig.add_trace(go.Scatter(x=d["period"], y=d["ci_low"], mode="lines", line=dict(width=0), fill="tonexty",
                                 fillcolor=_rgba(colour, 0.18 if ours else 0.10), hoverinfo="skip",
                                 showlegend=False, legendgroup=brand, connectgaps=False))
        low = d["low_volume"].astype(bool).to_numpy() if "low_volume" in d else [False] * len(d)
        fig.add_trace(go.Scatter(
            x=d["period"], y=d["net_sentiment"], mode="lines+markers", name=brand, legendgroup=brand,
            line=dict(color=colour, width=3 if ours else 1.6),
            marker=dict(size=[9 if lv else 6 for lv in low], color=["white" if lv else colour for lv in low],
                        line=dict(color=colour, width=1.5)),
            customdata=d[["n", "ci_low", "ci_high"]].to_numpy(),
            hovertemplate=(f"<b>{brand}</b> %{{x|%Y-%m-%d}}<br>net sentiment %{{y:.2f}} (95 %: %{{customdata[1]:.2f}}"
                           " to %{customdata[2]:.2f})<br>%{customdata[0]:,} mentions<extra></extra>")))
    if alerts is not None and len(alerts):
        hits = alerts[alerts["kind"].astype(str).str.startswith("sentiment")]
        hits = hits.merge(index[["brand", "period", "net_sentiment"]], on=["brand", "period"], how="left")
        if len(hits):
            fig.add_trace(go.Scatter(
                x=hits["period"], y=hits["net_sentiment"], mode="markers", name="alert",
                marker=dict(size=18, color="rgba(0,0,0,0)", line=dict(color="#C00000", width=2.5)),
                customdata=hits[["brand", "kind", "z"]].to_numpy(),
                hovertemplate="<b>%{customdata[0]}</b>: %{customdata[1]} (z = %{customdata[2]:.1f})<extra></extra>"))
    fig.add_hline(y=0, line=dict(dash="dot", color="#888", width=1))
    definition = ("(positive − negative) / (positive + negative)" if index.attrs.get("denominator", "polar") == "polar"
                  else "(positive − negative) / all mentions")
    fig.update_layout(title=title, yaxis=dict(range=[-1.05, 1.05], title=f"net sentiment = {definition}"),
                      xaxis=dict(title=None), hovermode="closest", height=460)
    return fig


def share_of_voice_chart(index: pd.DataFrame, title: str, *, our_brand: str | None = None) -> go.Figure:
    """Each brand's share of all mentions per period, stacked to 100 %.

    Examples
    --------
    >>> idx = pd.DataFrame({"brand": ["A", "B"] * 2, "period": pd.to_datetime(["2025-03-03"] * 2 + ["2025-03-10"] * 2),
    ...                     "share_of_voice": [0.6, 0.4, 0.7, 0.3], "n": [60, 40, 70, 30]})
    >>> fig = share_of_voice_chart(idx, "Share of voice", our_brand="B")
    >>> [t.name for t in fig.data], fig.layout.yaxis.tickformat
    (['B', 'A'], '.0%')
    """
    brands = list(dict.fromkeys([*([our_brand] if our_brand in set(index["brand"]) else []),
                                 *sorted(index["brand"].astype(str).unique())]))
    colours = _brand_colours(brands, our_brand)
    fig = go.Figure()
    for brand in brands:
        d = index[index["brand"] == brand].sort_values("period")
        fig.add_trace(go.Scatter(x=d["period"], y=d["share_of_voice"], mode="lines", name=brand, stackgroup="sov",
                                 line=dict(color=colours[brand], width=0.5), customdata=d[["n"]].to_numpy(),
                                 hovertemplate=f"<b>{brand}</b> %{{x|%Y-%m-%d}}: %{{y:.0%}} "
                                               "(%{customdata[0]:,} mentions)<extra></extra>"))
    fig.update_layout(title=title, yaxis=dict(tickformat=".0%", range=[0, 1], title="share of all mentions"),
                      xaxis=dict(title=None), hovermode="x unified", height=380)
    return fig


def sentiment_mix_chart(mix: pd.DataFrame, by: str, title: str) -> go.Figure:
    """Negative, neutral and positive shares per group (language, channel ...), as 100 % bars, with counts.

    Takes :func:`cxlib.sentiment.sentiment_mix`.

    Examples
    --------
    >>> mix = pd.DataFrame({"language": ["en", "ru"], "n": [200, 100], "negative": [0.3, 0.5],
    ...                     "neutral": [0.3, 0.2], "positive": [0.4, 0.3], "net_sentiment": [0.14, -0.25]})
    >>> [t.name for t in sentiment_mix_chart(mix, "language", "Mix").data]
    ['negative', 'neutral', 'positive']
    """
    d = mix.iloc[::-1]
    labels = [f"{g} ({n:,})" for g, n in zip(d[by].astype(str), d["n"])]
    fig = go.Figure()
    for side, colour in (("negative", NEGATIVE), ("neutral", NEUTRAL), ("positive", POSITIVE)):
        fig.add_trace(go.Bar(y=labels, x=d[side], name=side, orientation="h", marker_color=colour,
                             text=[f"{v:.0%}" for v in d[side]], textposition="inside",
                             hovertemplate=f"%{{y}}: {side} %{{x:.0%}}<extra></extra>"))
    fig.update_layout(title=title, barmode="stack", xaxis=dict(tickformat=".0%", range=[0, 1], title=None),
                      yaxis=dict(title=f"{by} (mentions)"), height=120 + 36 * len(d))
    return fig


def rising_terms_chart(terms: pd.DataFrame, title: str) -> go.Figure:
    """The words that rose on the negative side in an alert period (from :func:`cxlib.shifts.rising_terms`):
    bars of z, labelled with the weighted counts now and before; z above 1.96 rose clearly.

    Examples
    --------
    >>> t = pd.DataFrame({"word": ["billing", "error"], "count_now": [12.0, 9.5], "count_before": [1.0, 2.0],
    ...                   "log_odds": [2.1, 1.4], "z": [4.2, 2.5]})
    >>> rising_terms_chart(t, "Rising").data[0].y.tolist()
    ['error', 'billing']
    """
    d = terms.iloc[::-1]
    fig = go.Figure(go.Bar(
        x=d["z"], y=d["word"], orientation="h", marker_color=[NEGATIVE if z > 1.96 else NEUTRAL for z in d["z"]],
        text=[f"{a:.0f} now, {b:.0f} before" for a, b in zip(d["count_now"], d["count_before"])],
        textposition="auto", hovertemplate="%{y}: z = %{x:.1f} (%{text})<extra></extra>"))
    fig.add_vline(x=1.96, line=dict(dash="dash", color="#888", width=1))
    fig.update_layout(title=title, xaxis=dict(title="rise against the earlier periods (z)"), yaxis=dict(title=None),
                      height=140 + 30 * len(d), showlegend=False)
    return fig


def aspect_heatmap(aspects: pd.DataFrame, title: str, *, our_brand: str | None = None,
                   labels: dict[str, str] | None = None) -> go.Figure:
    """Net sentiment per brand (rows, ours on top) x aspect (columns, most talked-about first), red to green;
    each cell shows its value and volume, cells under the minimum evidence grey and marked "(few)".

    Takes :func:`cxlib.swot.aspect_sentiment` (brand, aspect, n, net_sentiment, ci_low, ci_high, low_evidence).

    Examples
    --------
    >>> a = pd.DataFrame({"brand": ["A", "A", "B", "B"], "aspect": ["price", "delivery"] * 2, "n": [90, 50, 80, 12],
    ...                   "net_sentiment": [0.3, -0.2, 0.1, -0.7], "ci_low": [0.1, -0.5, -0.1, -1.0],
    ...                   "ci_high": [0.5, 0.1, 0.3, -0.2], "low_evidence": [False, False, False, True]})
    >>> fig = aspect_heatmap(a, "Net sentiment by aspect", our_brand="B")
    >>> list(fig.data[0].y), list(fig.data[0].x)
    (['A', 'B'], ['price', 'delivery'])
    """
    import numpy as np

    labels = labels or {}
    order = aspects.groupby("aspect")["n"].sum().sort_values(ascending=False).index.tolist()
    brands = sorted(aspects["brand"].astype(str).unique())
    if our_brand in brands:  # plotly draws the first row at the bottom: ours last = on top
        brands = [b for b in brands if b != our_brand][::-1] + [our_brand]
    piv = aspects.pivot_table(index="brand", columns="aspect", values="net_sentiment", aggfunc="first")
    pick = lambda col: aspects.pivot_table(index="brand", columns="aspect", values=col, aggfunc="first") \
        .reindex(index=brands, columns=order)
    z = piv.reindex(index=brands, columns=order)
    n, lo, hi = pick("n"), pick("ci_low"), pick("ci_high")
    few = (pick("low_evidence").astype("boolean").fillna(True).astype(bool) if "low_evidence" in aspects
           else n.fillna(0) < 30)
    text = [[("" if not np.isfinite(v) else f"{v:+.2f}") + (f"<br>n={int(c)}{' (few)' if f else ''}"
                                                             if np.isfinite(c) else "")
             for v, c, f in zip(zr, cr, fr)] for zr, cr, fr in zip(z.to_numpy(float), n.to_numpy(float), few.to_numpy())]
    custom = np.dstack([n.to_numpy(float), lo.to_numpy(float), hi.to_numpy(float)])
    shown = z.where(~few)
    fig = go.Figure(go.Heatmap(
        z=shown.to_numpy(float), x=order, y=brands, text=text, texttemplate="%{text}", zmin=-1, zmax=1,
        colorscale=[[0, "#B2182B"], [0.5, "#F7F7F7"], [1, "#1A9850"]], customdata=custom, xgap=2, ygap=2,
        colorbar=dict(title="net<br>sentiment"),
        hovertemplate="<b>%{y}</b>, %{x}<br>net sentiment %{z:+.2f} (95 %: %{customdata[1]:+.2f} to "
                      "%{customdata[2]:+.2f})<br>%{customdata[0]:,.0f} mentions<extra></extra>"))
    fig.add_trace(go.Heatmap(z=z.where(few).notna().astype(float).where(few).to_numpy(float), x=order, y=brands,
                             colorscale=[[0, "#E0E0E0"], [1, "#E0E0E0"]], showscale=False, hoverinfo="skip",
                             xgap=2, ygap=2))
    fig.data = fig.data[::-1]  # grey cells beneath, the coloured ones (with their text) on top
    import textwrap

    fig.update_xaxes(tickvals=order, ticktext=["<br>".join(textwrap.wrap(labels.get(a, a), 16)) for a in order],
                     showgrid=False, tickangle=0, tickfont=dict(size=11))
    fig.update_yaxes(showgrid=False)
    fig.update_layout(title=title, height=200 + 60 * len(brands), margin=dict(t=70, b=90))
    return fig


def aspect_comparison_chart(aspects: pd.DataFrame, title: str, *, our_brand: str,
                            labels: dict[str, str] | None = None) -> go.Figure:
    """Net sentiment per aspect with 95 % intervals: our brand against each competitor, side by side.

    Examples
    --------
    >>> a = pd.DataFrame({"brand": ["A", "B"], "aspect": ["price"] * 2, "n": [90, 80],
    ...                   "net_sentiment": [0.3, 0.1], "ci_low": [0.1, -0.1], "ci_high": [0.5, 0.3]})
    >>> [t.name for t in aspect_comparison_chart(a, "t", our_brand="A").data]
    ['A', 'B']
    """
    labels = labels or {}
    order = aspects.groupby("aspect")["n"].sum().sort_values(ascending=False).index.tolist()
    brands = list(dict.fromkeys([our_brand, *sorted(aspects["brand"].astype(str).unique())]))
    brands = [b for b in brands if b in set(aspects["brand"].astype(str))]
    colours = _brand_colours(brands, our_brand)
    fig = go.Figure()
    for brand in brands:
        d = aspects[aspects["brand"] == brand].set_index("aspect").reindex(order)
        fig.add_trace(go.Scatter(
            x=[labels.get(a, a) for a in order], y=d["net_sentiment"], mode="markers", name=brand,
            marker=dict(color=colours[brand], size=12 if brand == our_brand else 8,
                        symbol="diamond" if brand == our_brand else "circle"),
            error_y=dict(type="data", symmetric=False, array=d["ci_high"] - d["net_sentiment"],
                         arrayminus=d["net_sentiment"] - d["ci_low"], thickness=1.2, width=0),
            customdata=d[["n"]].to_numpy(),
            hovertemplate=f"<b>{brand}</b> %{{x}}<br>net sentiment %{{y:+.2f}}<br>%{{customdata[0]:,.0f}} "
                          "mentions<extra></extra>"))
    fig.add_hline(y=0, line=dict(dash="dot", color="#888", width=1))
    fig.update_layout(title=title, scattermode="group", yaxis=dict(range=[-1.05, 1.05], title="net sentiment"),
                      height=460)
    return fig
