"""cxlib.report_html: plotly outputs drawn offline, one self-contained report per notebook, the index page.

The notebooks here are built by hand with nbformat, with the outputs a kernel would have produced
(real plotly figure JSON, a real pandas table), so the tests need no kernel and stay fast.
"""
from __future__ import annotations

import copy
import doctest
import json
import re

import nbformat
import pandas as pd
import plotly.express as px
import plotly.io as pio
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from plotly.offline import get_plotlyjs

import cxlib.report_html
from cxlib.report_html import (
    PLOTLY_MIMETYPE,
    convert_plotly_outputs,
    count_plotly_outputs,
    export_report_html,
    plotly_div,
    render_index_html,
    script_json,
)

# any script/link/img/iframe that would load something over the network (http:, https: or protocol-relative)
EXTERNAL_REF = re.compile(r"<(?:script|link|img|iframe)\b[^>]*?\b(?:src|href)\s*=\s*[\"']?\s*(?:https?:)?//", re.IGNORECASE)
CDN_NAMES = re.compile(r"require(?:\.min)?\.js|mathjax|cdn\.jsdelivr|cdnjs|unpkg\.com|cdn\.plot\.ly", re.IGNORECASE)
PLOTLY_JS_HEAD = get_plotlyjs()[:2000]  # the licence banner and the first lines of the bundle
CODE_MARKER = "distinctive_code_marker_4711"


def plotly_output(fig) -> nbformat.NotebookNode:
    """What plotly's ``plotly_mimetype`` renderer sends: the figure's JSON under the plotly mimetype."""
    return new_output("display_data", data={PLOTLY_MIMETYPE: json.loads(pio.to_json(fig)), "text/plain": "Figure()"})


def tagged(cell, *tags):
    cell.metadata["tags"] = list(tags)
    return cell


def stream(text: str) -> nbformat.NotebookNode:
    return new_output("stream", name="stdout", text=text)


@pytest.fixture(scope="module")
def scores() -> pd.DataFrame:
    return pd.DataFrame({"brand": ["Acme", "Globex", "Initech"], "nps": [31.5, 12.0, -4.25]})


@pytest.fixture(scope="module")
def executed_notebook(scores) -> nbformat.NotebookNode:
    """An executed analysis notebook: narrative, parameters, a table, two charts, tagged cells, printed markup."""
    table = new_output("execute_result", data={"text/html": scores.to_html(), "text/plain": scores.to_string()},
                       execution_count=4)
    return new_notebook(cells=[
        new_markdown_cell("# Quarterly CX review\nNarrative: NPS rose by 4 points for Acme this quarter."),
        tagged(new_code_cell("seed: int = 0  # seed"), "parameters"),
        tagged(new_code_cell("seed = 7\n", outputs=[stream("INJECTED-OUTPUT-MARKER\n")]), "injected-parameters"),
        new_code_cell(f"{CODE_MARKER} = scores\n{CODE_MARKER}", outputs=[table]),
        new_code_cell("px.bar(scores, x='brand', y='nps')", outputs=[plotly_output(px.bar(scores, x="brand", y="nps"))]),
        new_code_cell("px.line(scores, x='brand', y='nps')", outputs=[plotly_output(px.line(scores, x="brand", y="nps", height=300))]),
        tagged(new_code_cell("print('x')", outputs=[stream("REMOVED-CELL-MARKER\n")]), "remove-cell"),
        tagged(new_code_cell("print('y')", outputs=[stream("REMOVED-OUTPUT-MARKER\n")]), "remove-output"),
        new_code_cell("print(review)", outputs=[stream("<script>window.__xss=1</script>\n")]),
        new_markdown_cell("## What to do next\nCall the detractors back within a week."),
    ], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})


RUN = {
    "name": "quarterly", "notebook": "notebooks/quarterly.ipynb", "finished_at": "2024-05-01T10:20:30Z",
    "duration_s": 12.34, "cxlib_version": "9.9.9", "seed": 7,
    "parameters": {"title": "Scores <i>&</i>", "columns": {"Exited": "churned"}, "seed": 7},
    "overridden": ["title"],
    "inputs": [{"parameter": "input_path", "path": "exports/a&b.csv", "sha256": "f00dfeed" * 8}],
}


@pytest.fixture(scope="module")
def exported(executed_notebook) -> tuple[str, int, nbformat.NotebookNode]:
    before = copy.deepcopy(executed_notebook)
    page, n = export_report_html(executed_notebook, RUN)
    return page, n, before


# ------------------------------------------------------------------------------------ plotly outputs
def test_convert_plotly_outputs_replaces_each_figure_by_a_div_and_a_newplot_call(scores):
    nb = new_notebook(cells=[
        new_code_cell(outputs=[plotly_output(px.bar(scores, x="brand", y="nps"))]),
        new_code_cell(outputs=[stream("hello\n"), plotly_output(px.scatter(scores, x="brand", y="nps"))]),
    ])
    assert count_plotly_outputs(nb) == 2
    assert convert_plotly_outputs(nb) == 2
    first, (text, second) = nb.cells[0].outputs[0], nb.cells[1].outputs
    for i, out in enumerate([first, second], start=1):
        assert list(out.data) == ["text/html"]  # the plotly mimetype and text/plain are gone
        assert out.data["text/html"].startswith(f'<div id="cx-plot-{i}" class="cx-plotly" style="width:100%;height:450px;">')
        assert f'document.getElementById("cx-plot-{i}")' in out.data["text/html"]
        assert "window.Plotly.newPlot(el, data, layout, config)" in out.data["text/html"]
    assert '"Acme"' in first.data["text/html"]
    assert text == stream("hello\n")
    assert count_plotly_outputs(nb) == 0


def test_convert_plotly_outputs_reads_a_figure_stored_as_a_json_string_and_uses_the_prefix():
    out = new_output("display_data", data={PLOTLY_MIMETYPE: json.dumps({"data": [{"type": "bar", "y": [1, 2]}],
                                                                          "layout": {"height": 321}})})
    nb = new_notebook(cells=[new_code_cell(outputs=[out])])
    assert convert_plotly_outputs(nb, id_prefix="fig") == 1
    div = nb.cells[0].outputs[0].data["text/html"]
    assert div.startswith('<div id="fig-1" class="cx-plotly" style="width:100%;height:321px;">')
    assert '"y": [1, 2]' in div


def test_convert_plotly_outputs_leaves_a_notebook_without_figures_alone():
    nb = new_notebook(cells=[new_code_cell(outputs=[stream("x\n")]), new_markdown_cell("# t")])
    before = copy.deepcopy(nb)
    assert convert_plotly_outputs(nb) == 0
    assert nb == before


def test_script_json_cannot_end_the_script_element_and_round_trips():
    obj = {"label": "</script><script>window.__xss=1</script>", "c": "<!-- & \u2028 \u2029"}
    text = script_json(obj)
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == obj


def test_plotly_div_with_a_hostile_label_has_exactly_one_closing_script_tag():
    div = plotly_div({"data": [{"type": "bar", "x": ["</script><img src=x onerror=alert(1)>"], "y": [1]}],
                      "layout": {"title": {"text": "</SCRIPT>"}}}, 'p"1')
    assert div.lower().count("</script") == 1
    assert "<img" not in div
    assert '<div id="p&quot;1"' in div


# --------------------------------------------------------------------------------------- the report
def test_export_counts_the_figures_and_leaves_the_notebook_unchanged(exported):
    page, n, before = exported
    assert n == 2
    assert page.count('class="cx-plotly"') == 2
    assert page.count("window.Plotly.newPlot(") == 2


def test_export_does_not_change_its_input_notebook(executed_notebook, exported):
    assert executed_notebook == exported[2]


def test_report_embeds_plotly_js_exactly_once(exported):
    assert exported[0].count(PLOTLY_JS_HEAD) == 1


def test_report_without_charts_does_not_embed_plotly_js(scores):
    nb = new_notebook(cells=[new_markdown_cell("# Tables only"), new_code_cell(outputs=[
        new_output("execute_result", data={"text/html": scores.to_html()}, execution_count=1)])])
    page, n = export_report_html(nb, {"name": "tables"})
    assert n == 0
    assert PLOTLY_JS_HEAD[:300] not in page
    assert 'class="dataframe"' in page


def test_report_loads_nothing_from_the_network(exported):
    page = exported[0]
    assert EXTERNAL_REF.findall(page) == []
    assert re.search(r"@import\s+url\(\s*[\"']?https?:", page) is None


def test_report_has_no_require_js_mathjax_or_cdn_outside_plotly_js(exported):
    outside_plotly = exported[0].replace(cxlib.report_html._plotly_js(), "")
    assert len(outside_plotly) < len(exported[0])
    assert CDN_NAMES.findall(outside_plotly) == []


def test_report_hides_code_and_drops_injected_and_removed_cells(exported):
    page = exported[0]
    assert CODE_MARKER not in page
    assert "px.bar(" not in page
    assert "INJECTED-OUTPUT-MARKER" not in page
    assert "REMOVED-CELL-MARKER" not in page
    assert "REMOVED-OUTPUT-MARKER" not in page


def test_report_shows_narrative_table_and_escaped_printed_markup(exported):
    page = exported[0]
    assert "Narrative: NPS rose by 4 points for Acme this quarter." in page
    assert "Call the detractors back within a week." in page
    assert page.count('class="dataframe"') == 1
    assert "<td>Initech</td>" in page and "<td>-4.25</td>" in page
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in page
    assert "<script>window.__xss" not in page


def test_report_title_and_run_card_show_escaped_parameters(exported):
    page = exported[0]
    assert "<title>Quarterly CX review - cxlib report</title>" in page
    assert '<div class="cx-title">Quarterly CX review</div>' in page
    assert "<th>title</th><td><code>Scores &lt;i&gt;&amp;&lt;/i&gt;</code> <small>(set by the run)</small>" in page
    assert "Scores <i>&</i>" not in page
    # nbconvert re-serialises the page with BeautifulSoup, which writes quotes in text as plain '"'
    assert '<th>columns</th><td><code>{"Exited": "churned"}</code></td>' in page
    assert "exports/a&amp;b.csv" in page and "f00dfeed" * 8 in page
    for meta in ("run 2024-05-01 10:20:30 UTC", "took 12.3 s", "cxlib 9.9.9", "seed 7"):
        assert f"<span>{meta}</span>" in page


# ------------------------------------------------------------------------------------------- the index
def test_index_page_escapes_names_and_messages_and_shows_the_failure():
    index = {"generated_at": "2024-05-01T10:00:00Z", "cxlib_version": "9.9.9", "reports": [
        {"name": "ok<1>", "notebook": "a.ipynb", "status": "ok", "html": "ok<1>.html", "finished_at": "2024-05-01T09:00:00Z",
         "duration_s": 3.0, "parameters": {"title": "<b>bold</b>"}, "seed": 1, "cxlib_version": "9.9.9",
         "inputs": [{"path": "in<put>.csv", "sha256": "ab" * 32}]},
        {"name": "churn", "notebook": "churn.ipynb", "status": "failed", "html": None, "finished_at": "2024-05-01T09:30:00Z",
         "duration_s": 1.5, "parameters": {}, "seed": 0,
         "error": {"cell": 3, "execution_count": 5, "message": "KeyError: '<script>window.__xss=1</script>'",
                   "failed_notebook": "churn.failed.ipynb"},
         "last_good": {"name": "churn", "status": "ok", "html": "churn.html", "finished_at": "2024-04-30T08:00:00Z"}},
        {"name": "swot", "notebook": "swot.ipynb", "status": "not run"},
    ]}
    page = render_index_html(index)
    assert "<script" not in page and "<b>bold</b>" not in page
    assert '<a href="ok%3C1%3E.html">ok&lt;1&gt;</a>' in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page and "in&lt;put&gt;.csv" in page
    assert '<span class="failed">failed</span> <small>cell 3 (In [5])</small>' in page
    assert "KeyError: &#x27;&lt;script&gt;window.__xss=1&lt;/script&gt;&#x27;" in page
    assert '<a href="churn.failed.ipynb">executed notebook with the error</a>' in page
    assert '<a href="churn.html">churn</a>' in page and "showing the last good report, 2024-04-30T08:00:00Z" in page
    assert '<span class="notrun">not run yet</span>' in page
    assert "1 ok, 1 failed, 1 not run" in page


def test_index_page_of_a_failure_without_a_previous_report_has_no_link():
    page = render_index_html({"reports": [{"name": "churn", "notebook": "c.ipynb", "status": "failed",
                                           "error": {"cell": None, "message": "CellTimeoutError: slow"}, "last_good": None}]})
    assert "<a href" not in page
    assert '<span class="failed">failed</span> <small>before any cell</small>' in page
    assert "showing the last good report" not in page


def test_module_doctests_pass():
    result = doctest.testmod(cxlib.report_html, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 10
    assert result.failed == 0
