"""HTML for ``cx-report``: one self-contained, offline report per executed notebook, and the index page.

- :func:`convert_plotly_outputs` turns plotly's ``application/vnd.plotly.v1+json`` outputs (which
  nbconvert does not draw) into ``text/html``: a ``<div>`` plus an inline ``Plotly.newPlot`` call.
- :func:`export_report_html` renders a notebook with the ``cxlib/templates/cx_report`` template (extends
  nbconvert's ``lab``): code and prompts hidden, ``remove-cell``/``remove-input``/``remove-output`` tags
  honoured, papermill's injected-parameters cell dropped, plotly.js embedded once, and nothing loaded
  from a CDN (require.js, MathJax, mermaid and jupyter-widgets blocks are switched off).
- :func:`render_index_html` renders ``reports/index.html`` from the ``index.json`` records.

Everything that comes from inputs or parameters is HTML-escaped here; notebook outputs are escaped by
their own renderers (pandas ``to_html``, nbconvert's ``ansi2html`` for text).
"""
from __future__ import annotations

import copy
import functools
import html
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

import nbformat

__all__ = [
    "PLOTLY_MIMETYPE", "TEMPLATE_DIR", "convert_plotly_outputs", "count_plotly_outputs", "plotly_div",
    "notebook_title", "export_report_html", "render_index_html", "script_json",
]

PLOTLY_MIMETYPE = "application/vnd.plotly.v1+json"
TEMPLATE_DIR = Path(__file__).parent / "templates"
TEMPLATE_NAME = "cx_report"
#: Cells with these tags are not shown in the report (the executed notebook keeps them).
REMOVE_CELL_TAGS = frozenset({"remove-cell", "injected-parameters", "papermill-error-cell-tag"})
REMOVE_INPUT_TAGS = frozenset({"remove-input"})
REMOVE_OUTPUT_TAGS = frozenset({"remove-output"})
DEFAULT_PLOT_HEIGHT = 450
_PLOTLY_CONFIG = {"responsive": True, "displaylogo": False}

_REPORT_CSS = """
.cx-run-card { font: 13px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #24292f;
  background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 6px; padding: 10px 14px; margin: 16px 0 20px; }
.cx-run-card .cx-title { font-size: 18px; font-weight: 600; margin: 0 0 4px; }
.cx-run-card .cx-meta span { margin-right: 14px; white-space: nowrap; }
.cx-run-card table { border-collapse: collapse; margin: 6px 0 0; }
.cx-run-card th, .cx-run-card td { text-align: left; vertical-align: top; padding: 1px 10px 1px 0; border: 0; }
.cx-run-card th { font-weight: 600; color: #57606a; }
.cx-run-card code { font-size: 12px; word-break: break-all; }
.cx-run-card details { margin-top: 6px; }
.cx-plotly { width: 100%; }
"""


def script_json(obj: Any) -> str:
    """JSON for inlining inside a ``<script>`` element: ``<``, ``>``, ``&`` and U+2028/9 escaped.

    A text such as ``</script><script>alert(1)</script>`` in a chart label can then not end the
    script element early.

    Examples
    --------
    >>> script_json({"t": "</script>"})
    '{"t": "\\\\u003c/script\\\\u003e"}'
    """
    text = json.dumps(obj, ensure_ascii=False, allow_nan=False, default=str)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _size(value: Any, default: str) -> str:
    return f"{int(value)}px" if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0 else default


def plotly_div(figure: Mapping[str, Any], div_id: str) -> str:
    """HTML drawing one plotly figure (``{"data": [...], "layout": {...}, "config": {...}}``) offline.

    Needs ``window.Plotly`` (plotly.js embedded in the page head); the config is made responsive.

    Examples
    --------
    >>> out = plotly_div({"data": [{"type": "bar", "y": [1, 2]}], "layout": {"height": 300}}, "cx-plot-1")
    >>> out.startswith('<div id="cx-plot-1" class="cx-plotly" style="width:100%;height:300px;">')
    True
    >>> "Plotly.newPlot" in out and '"responsive": true' in out
    True
    """
    layout = dict(figure.get("layout") or {})
    config = {**dict(figure.get("config") or {}), **_PLOTLY_CONFIG}
    width = _size(layout.get("width"), "100%")
    height = _size(layout.get("height"), f"{DEFAULT_PLOT_HEIGHT}px")
    safe_id = html.escape(div_id, quote=True)
    return (
        f'<div id="{safe_id}" class="cx-plotly" style="width:{width};height:{height};"></div>\n'
        '<script type="text/javascript">\n(function () {\n'
        f"  var el = document.getElementById({script_json(div_id)});\n"
        f"  var data = {script_json(list(figure.get('data') or []))};\n"
        f"  var layout = {script_json(layout)};\n"
        f"  var config = {script_json(config)};\n"
        "  if (window.Plotly) { window.Plotly.newPlot(el, data, layout, config); }\n"
        "  else { el.textContent = 'Chart not drawn: plotly.js is missing from this page.'; }\n"
        "})();\n</script>"
    )


def _iter_outputs(nb: nbformat.NotebookNode):
    for cell in nb.cells:
        if cell.get("cell_type") == "code":
            yield from cell.get("outputs", [])


def count_plotly_outputs(nb: nbformat.NotebookNode) -> int:
    """Number of plotly figure outputs (``application/vnd.plotly.v1+json``) in a notebook.

    Examples
    --------
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[
    ...     nbformat.v4.new_output("display_data", data={PLOTLY_MIMETYPE: {"data": []}})])])
    >>> count_plotly_outputs(nb)
    1
    """
    return sum(1 for out in _iter_outputs(nb) if PLOTLY_MIMETYPE in out.get("data", {}))


def convert_plotly_outputs(nb: nbformat.NotebookNode, id_prefix: str = "cx-plot") -> int:
    """Replace each plotly mimetype output of ``nb`` (in place) by a ``text/html`` output drawing it.

    Other mimetypes of the same output are dropped (the HTML version is what a reader sees).
    Returns the number of figures converted; div ids are ``{id_prefix}-1``, ``-2``, ... in order.

    Examples
    --------
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[
    ...     nbformat.v4.new_output("display_data", data={PLOTLY_MIMETYPE: {"data": [], "layout": {}}})])])
    >>> convert_plotly_outputs(nb)
    1
    >>> out = nb.cells[0].outputs[0]
    >>> list(out.data), out.data["text/html"][:21]
    (['text/html'], '<div id="cx-plot-1" c')
    """
    n = 0
    for out in _iter_outputs(nb):
        data = out.get("data", {})
        if PLOTLY_MIMETYPE not in data:
            continue
        n += 1
        figure = data[PLOTLY_MIMETYPE]
        if isinstance(figure, str):  # some writers store the JSON as a string
            figure = json.loads(figure)
        out["data"] = {"text/html": plotly_div(figure, f"{id_prefix}-{n}")}
        out["metadata"] = {}
    return n


def notebook_title(nb: nbformat.NotebookNode, default: str) -> str:
    """The first Markdown ``# heading`` of the notebook, else ``default``.

    Examples
    --------
    >>> notebook_title(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Data health\\ntext")]), "x")
    'Data health'
    """
    for cell in nb.cells:
        if cell.get("cell_type") != "markdown":
            continue
        for line in str(cell.source).splitlines():
            if line.startswith("# "):
                return line[2:].strip()
    return default


@functools.lru_cache(maxsize=1)
def _plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    # plotly.js contains no "</script", but make sure an upgrade cannot end the element early.
    return get_plotlyjs().replace("</script", "<\\/script")


@functools.lru_cache(maxsize=1)
def _exporter():
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    c = Config()
    c.HTMLExporter.exclude_input = True
    c.HTMLExporter.exclude_input_prompt = True
    c.HTMLExporter.exclude_output_prompt = True
    c.HTMLExporter.theme = "light"
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = set(REMOVE_CELL_TAGS)
    c.TagRemovePreprocessor.remove_input_tags = set(REMOVE_INPUT_TAGS)
    c.TagRemovePreprocessor.remove_all_outputs_tags = set(REMOVE_OUTPUT_TAGS)
    return HTMLExporter(config=c, template_name=TEMPLATE_NAME, extra_template_basedirs=[str(TEMPLATE_DIR)])


def _fmt_value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)


def _params_table(parameters: Mapping[str, Any], overridden: Sequence[str] = ()) -> str:
    if not parameters:
        return "<p>(no parameters)</p>"
    rows = []
    for key, value in parameters.items():
        mark = " <small>(set by the run)</small>" if key in overridden else ""
        rows.append(f"<tr><th>{html.escape(str(key))}</th><td><code>{html.escape(_fmt_value(value))}</code>{mark}</td></tr>")
    return "<table>" + "".join(rows) + "</table>"


def _inputs_table(inputs: Sequence[Mapping[str, Any]]) -> str:
    if not inputs:
        return "<p>(no input files among the parameters)</p>"
    rows = [
        f"<tr><th>{html.escape(str(i.get('parameter', '')))}</th><td><code>{html.escape(str(i.get('path', '')))}</code></td>"
        f"<td><code title=\"sha256\">{html.escape(str(i.get('sha256', '')))}</code></td></tr>"
        for i in inputs
    ]
    return "<table><tr><th>parameter</th><th>file</th><th>sha256</th></tr>" + "".join(rows) + "</table>"


def run_card_html(run: Mapping[str, Any], title: str) -> str:
    """The small header at the top of each report: title, run time, cxlib version, seed, parameters, inputs.

    Examples
    --------
    >>> card = run_card_html({"name": "x", "finished_at": "2024-01-01T00:00:00Z", "duration_s": 1.0,
    ...                       "cxlib_version": "0.1.0", "seed": 1, "parameters": {"p": "<b>"}}, "T <i>")
    >>> "T &lt;i&gt;" in card and "&lt;b&gt;" in card and "<b>" not in card
    True
    """
    e = html.escape
    seed = run.get("seed")
    meta = [
        f"<span>run {e(str(run.get('finished_at', '')).replace('T', ' ').rstrip('Z'))} UTC</span>",
        f"<span>took {float(run.get('duration_s') or 0):.1f} s</span>",
        f"<span>cxlib {e(str(run.get('cxlib_version', '')))}</span>",
        f"<span>seed {e(str(seed)) if seed is not None else '(none)'}</span>",
        f"<span>notebook <code>{e(str(run.get('notebook', '')))}</code></span>",
    ]
    return (
        '<header class="cx-run-card">'
        f'<div class="cx-title">{e(title)}</div>'
        f'<div class="cx-meta">{"".join(meta)}</div>'
        f'<details open><summary>Parameters</summary>{_params_table(run.get("parameters") or {}, run.get("overridden") or ())}</details>'
        f'<details><summary>Input files ({len(run.get("inputs") or [])})</summary>{_inputs_table(run.get("inputs") or [])}</details>'
        "</header>"
    )


def _drop_empty_code_cells(nb: nbformat.NotebookNode) -> None:
    """With inputs hidden, a code cell without outputs would be an empty box."""
    nb.cells = [c for c in nb.cells if c.get("cell_type") != "code" or c.get("outputs")]


def export_report_html(nb: nbformat.NotebookNode, run: Mapping[str, Any]) -> tuple[str, int]:
    """Render an executed notebook as one self-contained offline HTML report.

    Parameters
    ----------
    nb : NotebookNode
        The executed notebook (not modified; a copy is rendered).
    run : mapping
        The run record (``name``, ``finished_at``, ``duration_s``, ``cxlib_version``, ``seed``,
        ``parameters``, ``inputs``, ...) shown in the report's header.

    Returns
    -------
    (str, int)
        The HTML text and the number of plotly figures in it.

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Churn")])
    >>> html_text, n_figures = export_report_html(nb, {"name": "demo", "parameters": {"seed": 0}})
    >>> "<h1" in html_text, n_figures
    (True, 0)
    """
    work = copy.deepcopy(nb)
    # TagRemovePreprocessor runs inside the exporter; drop removed cells first so that the empty-cell
    # filter below sees what the reader will see.
    work.cells = [c for c in work.cells if not REMOVE_CELL_TAGS.intersection(c.get("metadata", {}).get("tags", []))]
    for cell in work.cells:
        if REMOVE_OUTPUT_TAGS.intersection(cell.get("metadata", {}).get("tags", [])):
            cell["outputs"] = []
    _drop_empty_code_cells(work)
    n_plots = convert_plotly_outputs(work)
    title = notebook_title(nb, str(run.get("name", "report")))
    work.metadata["title"] = f"{title} - cxlib report"
    resources = {
        "cx_plotly_js": _plotly_js() if n_plots else "",
        "cx_header": run_card_html(run, title),
        "cx_css": _REPORT_CSS,
    }
    body, _ = _exporter().from_notebook_node(work, resources=resources)
    return body, n_plots


# ---------------------------------------------------------------------------------------------- index
_INDEX_CSS = """
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #24292f; margin: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; }
p.sub { color: #57606a; margin: 0 0 16px; }
table.reports { border-collapse: collapse; width: 100%; }
table.reports th, table.reports td { border-bottom: 1px solid #d0d7de; padding: 6px 8px; text-align: left; vertical-align: top; }
table.reports th { background: #f6f8fa; }
.ok { color: #1a7f37; font-weight: 600; }
.failed { color: #cf222e; font-weight: 600; }
.notrun { color: #57606a; }
.err { color: #cf222e; font-size: 13px; max-width: 40em; }
code { font-size: 12px; }
code.sha { word-break: break-all; }
td.when { white-space: nowrap; }
ul.kv { margin: 0; padding-left: 1em; }
small { color: #57606a; }
"""


def _kv_list(parameters: Mapping[str, Any]) -> str:
    if not parameters:
        return "<small>defaults</small>"
    items = "".join(f"<li>{html.escape(str(k))} = <code>{html.escape(_fmt_value(v))}</code></li>" for k, v in parameters.items())
    return f'<ul class="kv">{items}</ul>'


def _inputs_list(inputs: Sequence[Mapping[str, Any]]) -> str:
    if not inputs:
        return "<small>none</small>"
    items = "".join(
        f"<li><code>{html.escape(str(i.get('path', '')))}</code><br><small>sha256 "
        f"<code class=\"sha\">{html.escape(str(i.get('sha256', '')))}</code></small></li>" for i in inputs)
    return f'<ul class="kv">{items}</ul>'


def _link(href: str | None, text: str) -> str:
    if not href:
        return html.escape(text)
    return f'<a href="{html.escape(quote(href), quote=True)}">{html.escape(text)}</a>'


def _index_row(rec: Mapping[str, Any]) -> str:
    e = html.escape
    status = rec.get("status", "not run")
    good = rec if status == "ok" else (rec.get("last_good") or {})
    name = str(rec.get("name", ""))
    link = _link(good.get("html"), name) if good.get("html") else e(name)
    if status == "ok":
        status_html = '<span class="ok">ok</span>'
    elif status == "failed":
        err = rec.get("error") or {}
        where = f"cell {err['cell']}" if err.get("cell") else "before any cell"
        if err.get("execution_count"):
            where += f" (In [{err['execution_count']}])"
        status_html = (f'<span class="failed">failed</span> <small>{e(where)}</small>'
                       f'<div class="err">{e(str(err.get("message", "")))}</div>')
        if err.get("failed_notebook"):
            status_html += f"<small>{_link(err['failed_notebook'], 'executed notebook with the error')}</small>"
        if good:
            status_html += f"<br><small>showing the last good report, {e(str(good.get('finished_at', '')))}</small>"
    else:
        status_html = '<span class="notrun">not run yet</span>'
    shown = rec if status != "not run" else {}
    duration = f"{float(shown['duration_s']):.1f} s" if shown.get("duration_s") is not None else ""
    seed = shown.get("seed")
    return (
        "<tr>"
        f"<td>{link}<br><small><code>{e(str(rec.get('notebook', '')))}</code></small></td>"
        f"<td>{status_html}</td>"
        f"<td class=\"when\">{e(str(shown.get('finished_at', '')).replace('T', ' ').rstrip('Z'))}</td>"
        f"<td>{e(duration)}</td>"
        f"<td>{_kv_list(shown.get('parameters') or {}) if shown else ''}</td>"
        f"<td>{_inputs_list(shown.get('inputs') or []) if shown else ''}</td>"
        f"<td>{e(str(seed)) if seed is not None else ''}</td>"
        f"<td>{e(str(shown.get('cxlib_version', '')))}</td>"
        "</tr>"
    )


def render_index_html(index: Mapping[str, Any]) -> str:
    """``reports/index.html`` from the ``index.json`` data: one row per report, everything escaped.

    Examples
    --------
    >>> page = render_index_html({"generated_at": "now", "cxlib_version": "0.1.0", "reports": [
    ...     {"name": "a<b", "notebook": "n.ipynb", "status": "ok", "html": "a<b.html", "parameters": {}}]})
    >>> "a&lt;b" in page and 'href="a%3Cb.html"' in page and "<script" not in page
    True
    """
    reports = list(index.get("reports") or [])
    n_ok = sum(1 for r in reports if r.get("status") == "ok")
    n_failed = sum(1 for r in reports if r.get("status") == "failed")
    rows = "".join(_index_row(r) for r in reports)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<title>cxlib reports</title>\n"
        f"<style>{_INDEX_CSS}</style>\n</head>\n<body>\n"
        "<h1>cxlib reports</h1>\n"
        f"<p class=\"sub\">{n_ok} ok, {n_failed} failed, {len(reports) - n_ok - n_failed} not run"
        f" &middot; updated {html.escape(str(index.get('generated_at', '')))}"
        f" &middot; cxlib {html.escape(str(index.get('cxlib_version', '')))}</p>\n"
        "<table class=\"reports\">\n<thead><tr><th>Report</th><th>Status</th><th>Run at (UTC)</th><th>Duration</th>"
        "<th>Parameters</th><th>Input files</th><th>Seed</th><th>cxlib</th></tr></thead>\n"
        f"<tbody>\n{rows}\n</tbody>\n</table>\n</body>\n</html>\n"
    )
