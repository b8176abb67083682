"""The HTML reports in headless Chromium: charts drawn, no console errors, no network, planted markup shown as text.

Each report is opened from ``file://`` the way an analyst opens it offline. Every request is recorded; any
that is not ``file:``, ``data:``, ``blob:`` or ``about:`` is counted and aborted. Uses the system's Chromium
(``cxlib.screenshot.find_chromium``) through Playwright; it never downloads a browser.
"""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

from cxlib.screenshot import CHROMIUM_ARGS, LOCAL_SCHEMES, find_chromium

pytestmark = pytest.mark.browser

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed: pip install -e '.[dev]'")
CHROMIUM = find_chromium()
if CHROMIUM is None:
    pytest.skip("no chromium/chrome on PATH (e.g. apt-get install chromium); the browser tests need one",
                allow_module_level=True)

PAGE_STATE = """() => {
  const divs = Array.from(document.querySelectorAll('.cx-plotly'));
  const shown = el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  return {
    plotly: typeof window.Plotly,
    plotDivs: divs.length,
    drawn: divs.filter(d => d.classList.contains('js-plotly-plot') && d.querySelector('svg.main-svg') && shown(d)).length,
    traces: divs.map(d => d.querySelectorAll('g.trace, g.hm').length),  // a heatmap draws a g.hm, not a g.trace
    tables: Array.from(document.querySelectorAll('table.dataframe')).filter(t => t.rows.length > 1 && shown(t)).length,
    indexRows: document.querySelectorAll('table.reports tbody tr').length,
    links: Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href')),
    xss: typeof window.__xss,
    pwned: typeof window.__pwned,
    injectedScripts: Array.from(document.scripts).filter(s => /^\\s*window\\.__(xss|pwned)/.test(s.textContent)).length,
    injectedImages: document.querySelectorAll('img[src="x"]').length,
    text: document.body.innerText,
  };
}"""


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def load(browser, path: Path) -> SimpleNamespace:
    """Open ``path`` offline; return every request, the blocked ones, console errors, page errors and the DOM state."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    seen = SimpleNamespace(requests=[], external=[], console_errors=[], page_errors=[])
    page.on("request", lambda req: seen.requests.append(req.url))
    page.on("console", lambda msg: seen.console_errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: seen.page_errors.append(str(exc)))

    def guard(route):
        if route.request.url.startswith(LOCAL_SCHEMES):
            route.continue_()
        else:
            seen.external.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    try:
        page.goto(path.resolve().as_uri(), wait_until="load")
        # plotly draws from inline scripts during load; give a slow machine a moment, then settle
        page.wait_for_function("() => Array.from(document.querySelectorAll('.cx-plotly'))"
                               ".every(d => d.querySelector('svg.main-svg'))", timeout=15_000)
        page.wait_for_timeout(200)
        seen.state = page.evaluate(PAGE_STATE)
        seen.xss_outputs = page.evaluate("""() => ({
          cells: Array.from(document.querySelectorAll('table.dataframe td')).map(td => td.textContent),
          printed: Array.from(document.querySelectorAll('.jp-RenderedText pre')).map(p => p.textContent).join('\\n'),
          markdown: Array.from(document.querySelectorAll('.jp-OutputArea-output.jp-RenderedMarkdown')).map(m => m.innerText).join('\\n'),
          ticks: Array.from(document.querySelectorAll('.cx-plotly .xtick text')).map(t => t.textContent),
          titles: Array.from(document.querySelectorAll('.cx-plotly .gtitle')).map(t => t.textContent),
        })""")
    finally:
        page.close()
    non_local = [u for u in seen.requests if not u.startswith(LOCAL_SCHEMES)]
    seen.external = sorted(set(seen.external) | set(non_local))
    return seen


@pytest.fixture(scope="module")
def visited(browser):
    cache: dict[Path, SimpleNamespace] = {}

    def visit(path: Path) -> SimpleNamespace:
        if path not in cache:
            cache[path] = load(browser, path)
        return cache[path]

    return visit


PAGES = ["fx_plot", "fx_fail", "fx_xss", "index", "00_data_health", "01_sentiment_index", "02_churn_prediction",
         "03_touchpoint_importance", "04_competitor_swot", "repo/index"]
REPO_PAGES = ("00_data_health", "01_sentiment_index", "02_churn_prediction", "03_touchpoint_importance",
              "04_competitor_swot", "repo/")


def page_under_test(request, visited, name: str) -> SimpleNamespace:
    """One page: its visit, its run record (None for an index page) and its executed notebook."""
    built = request.getfixturevalue("health_report" if name.startswith(REPO_PAGES) else "fixture_reports")
    stem = name.split("/")[-1]
    path = built.out / f"{stem}.html"
    assert path.is_file(), f"{path} was not built"
    record = built.records.get(stem)
    nb = nbformat.read(built.out / record["executed_notebook"], as_version=4) if record else None
    return SimpleNamespace(name=name, path=path, built=built, record=record, nb=nb, seen=visited(path))


@pytest.fixture(params=PAGES)
def report(request, visited) -> SimpleNamespace:
    return page_under_test(request, visited, request.param)


@pytest.fixture(params=[p for p in PAGES if p.split("/")[-1] == "index"])
def index_page(request, visited) -> SimpleNamespace:
    return page_under_test(request, visited, request.param)


def test_page_makes_no_request_beyond_local_files(report):
    assert report.seen.requests and report.seen.requests[0] == report.path.resolve().as_uri()
    assert report.seen.external == []


def test_page_has_no_console_errors_and_no_script_errors(report):
    assert report.seen.console_errors == []
    assert report.seen.page_errors == []


def test_every_chart_is_drawn(report):
    state = report.seen.state
    if report.record is None:  # an index page: no charts, no plotly.js
        assert state["plotDivs"] == 0 and state["plotly"] == "undefined"
        return
    expected = report.record["plotly_figures"]
    executed = sum(1 for c in report.nb.cells if c.cell_type == "code" for o in c.outputs
                   if "application/vnd.plotly.v1+json" in o.get("data", {}))
    assert expected == executed
    assert state["plotDivs"] == expected
    assert state["drawn"] == expected
    assert all(n > 0 for n in state["traces"]), state["traces"]
    assert state["plotly"] == ("object" if expected else "undefined")


def test_tables_are_rendered(report):
    state = report.seen.state
    if report.record is None:
        assert state["indexRows"] == len(report.built.index["reports"]) > 0
        return
    has_table = any('class="dataframe"' in str(o.get("data", {}).get("text/html", ""))
                    for c in report.nb.cells if c.cell_type == "code" for o in c.outputs)
    assert has_table, "every fixture and sample report shows at least one table"
    assert state["tables"] >= 1


def test_no_planted_markup_runs(report):
    state = report.seen.state
    assert state["xss"] == "undefined" and state["pwned"] == "undefined"
    assert state["injectedScripts"] == 0 and state["injectedImages"] == 0


def test_index_links_point_at_files_that_exist(index_page):
    links = index_page.seen.state["links"]
    assert len(links) >= len(index_page.built.index["reports"])
    assert [href for href in links if not (index_page.path.parent / href).is_file()] == []


# ------------------------------------------------------------------------------- planted markup, per output
@pytest.fixture(scope="module")
def xss_page(fixture_reports, visited) -> SimpleNamespace:
    return visited(fixture_reports.out / "fx_xss.html")


def test_markup_in_a_csv_text_column_is_not_executed(xss_page):
    assert xss_page.state["xss"] == "undefined"
    assert xss_page.state["injectedScripts"] == 0 and xss_page.state["injectedImages"] == 0


def test_markup_shows_as_literal_text_in_the_table(xss_page, xss_texts):
    cells = xss_page.xss_outputs["cells"]
    for text in xss_texts:
        assert text in cells


def test_markup_shows_as_literal_text_in_printed_output(xss_page, xss_texts):
    printed = xss_page.xss_outputs["printed"]
    for text in xss_texts:
        assert text in printed


def test_markup_shows_as_literal_text_in_a_markdown_sentence(xss_page, xss_texts):
    markdown = xss_page.xss_outputs["markdown"]
    assert markdown.startswith("Texts as read: ")
    for text in xss_texts:
        assert text in markdown


def test_markup_shows_as_literal_text_in_chart_labels(xss_page, xss_texts):
    assert xss_page.xss_outputs["ticks"] == xss_texts
    assert xss_page.xss_outputs["titles"] == [xss_texts[0]]


def test_escaped_title_parameter_is_shown_as_text_in_the_run_card(fixture_reports, visited):
    text = visited(fixture_reports.out / "fx_plot.html").state["text"]
    assert "Scores by group <i>&</i>" in text


# ------------------------------------------------------------------------------ the checker itself
def test_checker_counts_and_blocks_an_external_request_and_sees_script_errors(browser, tmp_path):
    # the guards above must be able to fail: a page that loads from the network and throws is caught
    page = tmp_path / "leaky.html"
    page.write_text('<!DOCTYPE html><html><body><img src="https://example.invalid/pixel.png">'
                    "<script>window.__xss = 1; undefinedFunction();</script></body></html>", encoding="utf-8")
    seen = load(browser, page)
    assert seen.external == ["https://example.invalid/pixel.png"]
    assert len(seen.page_errors) == 1 and "undefinedFunction" in seen.page_errors[0]
    assert seen.state["xss"] == "number"
