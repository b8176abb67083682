"""cxlib.plots: one template, the palette in order, and figure builders that return go.Figure from tidy frames.

Tests that call ``apply_template`` use the ``plotly_default_template`` fixture, which restores plotly's default.
"""
from __future__ import annotations

import subprocess
import sys

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from cxlib import plots
from cxlib.health import missing_values, not_applicable_shares

BY_BRAND = pd.DataFrame({"brand": ["A", "A", "B", "B", "C"], "lang": ["en", "ru", "en", "ru", "en"],
                         "n": [3, 2, 1, 4, 5]})


# --- template --------------------------------------------------------------------------------------------------

def test_importing_plots_registers_no_template_and_changes_no_default():
    code = ("import plotly.io as pio; before = pio.templates.default; import cxlib.plots; "
            "print(pio.templates.default == before, 'cxlib' in pio.templates)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["True", "False"]


def test_template_uses_the_palette_fonts_and_white_background():
    layout = plots.template().layout
    assert list(layout.colorway) == plots.PALETTE
    assert layout.paper_bgcolor == "white" and layout.plot_bgcolor == "white"
    assert layout.font.family.startswith("Segoe UI")
    assert layout.font.size == 13


def test_palette_is_eight_distinct_hex_colours_with_our_brand_blue_first():
    assert plots.PALETTE[0] == "#0072B2"
    assert len(plots.PALETTE) == len(set(plots.PALETTE)) == 8
    assert all(c.startswith("#") and len(c) == 7 for c in plots.PALETTE)


def test_apply_template_registers_cxlib_and_makes_it_the_default(plotly_default_template):
    plots.apply_template()
    assert "cxlib" in pio.templates
    assert pio.templates.default == "plotly_white+cxlib"


def test_figures_built_after_apply_template_carry_its_colours_and_fonts(plotly_default_template):
    plots.apply_template()
    fig = plots.bar_chart(BY_BRAND, "lang", "n", "Mentions")
    template = fig.layout.template.layout
    assert list(template.colorway) == plots.PALETTE
    assert template.font.family.startswith("Segoe UI")
    assert template.plot_bgcolor == "white"


# --- bar_chart -------------------------------------------------------------------------------------------------

def test_bar_chart_without_groups_is_one_bar_trace_named_after_the_value():
    fig = plots.bar_chart(pd.DataFrame({"lang": ["en", "ru"], "n": [3, 2]}), "lang", "n", "Mentions by language")
    assert isinstance(fig, go.Figure)
    assert len(fig.data) == 1
    bar = fig.data[0]
    assert (bar.type, bar.name, bar.marker.color) == ("bar", "n", plots.PALETTE[0])
    assert list(bar.x) == ["en", "ru"] and list(bar.y) == [3, 2]
    assert fig.layout.title.text == "Mentions by language"
    assert fig.layout.showlegend is False


def test_bar_chart_gives_each_group_the_next_palette_colour_in_order():
    fig = plots.bar_chart(BY_BRAND, "lang", "n", "By brand", color="brand")
    assert [t.name for t in fig.data] == ["A", "B", "C"]
    assert [t.marker.color for t in fig.data] == plots.PALETTE[:3]
    assert [list(t.y) for t in fig.data] == [[3, 2], [1, 4], [5]]
    assert fig.layout.barmode == "group"
    assert fig.layout.showlegend is True


def test_bar_chart_colours_wrap_around_after_eight_groups():
    df = pd.DataFrame({"g": [f"g{i}" for i in range(10)], "x": ["a"] * 10, "y": range(10)})
    fig = plots.bar_chart(df, "x", "y", "t", color="g")
    assert [t.marker.color for t in fig.data] == plots.PALETTE + plots.PALETTE[:2]


def test_bar_chart_sets_axis_titles_text_labels_and_hover():
    fig = plots.bar_chart(BY_BRAND, "lang", "n", "T", color="brand", text_format="d", hover=["brand"],
                          axis_titles=("Language", "Mentions"))
    assert (fig.layout.xaxis.title.text, fig.layout.yaxis.title.text) == ("Language", "Mentions")
    first = fig.data[0]
    assert tuple(first.text) == ("3", "2")
    assert first.textposition == "outside"
    assert first.customdata.tolist() == [["A"], ["A"]]
    assert first.hovertemplate == "brand: %{customdata[0]}<extra></extra>"


def test_horizontal_bar_chart_puts_values_on_x_as_percent_and_lists_top_down():
    df = pd.DataFrame({"column": ["a", "b"], "share": [0.5, 0.25]})
    fig = plots.bar_chart(df, "share", "column", "Blanks", orientation="h", percent=True, text_format=".1%")
    assert fig.data[0].orientation == "h"
    assert tuple(fig.data[0].text) == ("50.0%", "25.0%")
    assert fig.layout.xaxis.tickformat == ".0%"
    assert fig.layout.yaxis.autorange == "reversed"
    assert fig.layout.height == 300  # the floor; grows with the number of categories


def test_horizontal_bar_chart_grows_with_many_categories():
    df = pd.DataFrame({"c": [f"c{i}" for i in range(20)], "v": range(20)})
    assert plots.bar_chart(df, "v", "c", "t", orientation="h").layout.height == 28 * 20 + 120


def test_bar_chart_of_an_empty_frame_is_an_empty_figure_with_its_title():
    fig = plots.bar_chart(BY_BRAND.iloc[:0], "lang", "n", "Nothing yet")
    assert isinstance(fig, go.Figure)
    assert len(fig.data) == 1 and len(fig.data[0].x) == 0
    assert fig.layout.title.text == "Nothing yet"
    assert len(plots.bar_chart(BY_BRAND.iloc[:0], "lang", "n", "t", color="brand").data) == 0


# --- line_chart ------------------------------------------------------------------------------------------------

def test_line_chart_draws_one_line_per_group_in_palette_order():
    df = pd.DataFrame({"period": pd.to_datetime(["2025-01-06", "2025-01-13"] * 2), "n": [1, 2, 3, 4],
                       "brand": ["B", "B", "A", "A"]})
    fig = plots.line_chart(df, "period", "n", "Volume", color="brand", axis_titles=("Week", "Mentions"))
    assert [(t.type, t.mode, t.name) for t in fig.data] == [("scatter", "lines", "B"), ("scatter", "lines", "A")]
    assert [t.line.color for t in fig.data] == plots.PALETTE[:2]
    assert [list(t.y) for t in fig.data] == [[1, 2], [3, 4]]  # groups keep their order of appearance
    assert (fig.layout.title.text, fig.layout.xaxis.title.text, fig.layout.yaxis.title.text) == (
        "Volume", "Week", "Mentions")
    assert fig.layout.hovermode == "x unified"
    assert fig.layout.showlegend is True


def test_line_chart_without_groups_is_one_line_named_after_the_value():
    fig = plots.line_chart(pd.DataFrame({"period": [1, 2], "n": [5, 7]}), "period", "n", "Volume")
    assert [t.name for t in fig.data] == ["n"]
    assert fig.layout.showlegend is False


def test_line_chart_of_an_empty_frame_is_an_empty_line():
    fig = plots.line_chart(pd.DataFrame({"period": [], "n": []}), "period", "n", "Volume")
    assert len(fig.data) == 1 and len(fig.data[0].x) == 0


# --- health charts ---------------------------------------------------------------------------------------------

def test_missing_values_chart_shows_blank_shares_worst_first_as_percent():
    missing = missing_values(pd.DataFrame({"a": [1, None, None, 4], "b": [1, 2, 3, None], "c": [1, 2, 3, 4]}))
    fig = plots.missing_values_chart(missing, "Blank cells")
    bar = fig.data[0]
    assert (bar.type, bar.orientation) == ("bar", "h")
    assert list(bar.y) == ["a", "b", "c"]
    assert [float(v) for v in bar.x] == [0.5, 0.25, 0.0]
    assert tuple(bar.text) == ("50.0%", "25.0%", "0.0%")
    assert bar.customdata.tolist() == [[2, 4], [1, 4], [0, 4]]  # missing, n for the hover
    assert fig.layout.title.text == "Blank cells"
    assert fig.layout.xaxis.title.text == "share of rows blank"
    assert fig.layout.xaxis.tickformat == ".0%"


def test_not_applicable_chart_stacks_coded_zero_and_left_blank_shares():
    na = not_applicable_shares(pd.DataFrame({"wifi": [0, 4, None, 5], "food": [0, 0, 0, 1]}), ["wifi", "food"])
    fig = plots.not_applicable_chart(na, "Not applicable")
    assert [t.name for t in fig.data] == ["coded 0", "left blank"]
    assert [t.marker.color for t in fig.data] == plots.PALETTE[:2]
    assert list(fig.data[0].y) == ["food", "wifi"]  # highest N/A share first
    assert [float(v) for v in fig.data[0].x] == [0.75, 0.25]
    assert [float(v) for v in fig.data[1].x] == [0.0, 0.25]
    assert fig.layout.barmode == "stack"
    assert fig.layout.xaxis.title.text == "share of respondents"
    assert fig.layout.title.text == "Not applicable"


def test_not_applicable_chart_without_touchpoints_has_two_empty_traces():
    fig = plots.not_applicable_chart(not_applicable_shares(pd.DataFrame({"x": [1]}), []), "N/A")
    assert [len(t.x) for t in fig.data] == [0, 0]
    assert fig.layout.height == 300


def test_builders_do_not_change_their_input():
    df = BY_BRAND.copy()
    plots.bar_chart(df, "lang", "n", "t", color="brand", hover=["brand"])
    plots.line_chart(df, "lang", "n", "t", color="brand")
    pd.testing.assert_frame_equal(df, BY_BRAND)


@pytest.mark.parametrize("build", [
    lambda: plots.bar_chart(BY_BRAND, "lang", "n", "t"),
    lambda: plots.line_chart(BY_BRAND, "lang", "n", "t"),
    lambda: plots.missing_values_chart(missing_values(BY_BRAND), "t"),
    lambda: plots.not_applicable_chart(not_applicable_shares(pd.DataFrame({"w": [0, 1]}), ["w"]), "t"),
], ids=["bar", "line", "missing", "not_applicable"])
def test_every_builder_returns_a_figure_that_serialises_to_json(build):
    fig = build()
    assert isinstance(fig, go.Figure)
    assert '"type":"' in fig.to_json().replace(" ", "")
