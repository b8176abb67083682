"""cxlib.notebook.setup_notebook: what it sets inside a real kernel, and CxError shown as one short line.

The kernel test executes a small notebook in ``tmp_path`` with nbclient (a real ``python3`` kernel) and
reads what the kernel reported; nothing in this test process is changed.
"""
from __future__ import annotations

import doctest
import json
import re

import nbformat
import pandas as pd
import plotly.io as pio
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

import cxlib.notebook
from cxlib.notebook import PANDAS_OPTIONS, PLOTLY_RENDERER, setup_notebook

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


@pytest.fixture(scope="module")
def kernel_run(tmp_path_factory) -> nbformat.NotebookNode:
    """Run setup_notebook() in a real kernel, report its settings, then raise a real CxDataError and a plain error."""
    work = tmp_path_factory.mktemp("kernel")
    (work / "survey.csv").write_text("respondent,nps\n1,9\n2,3\n", encoding="utf-8")
    nb = new_notebook(cells=[
        # start from another renderer, so that the renderer check below cannot pass by plotly's own default
        new_code_cell("import json\nimport pandas as pd\nimport plotly.io as pio\npio.renderers.default = 'json'\n"
                      f"before = {{'renderer': pio.renderers.default, 'options': {{k: pd.get_option(k) for k in {list(PANDAS_OPTIONS)!r}}}}}"),
        new_code_cell("from cxlib.notebook import setup_notebook\n\nsetup_notebook()"),
        new_code_cell("print(json.dumps({'before': before, 'renderer': pio.renderers.default, 'template': pio.templates.default,\n"
                      f"                  'options': {{k: pd.get_option(k) for k in {list(PANDAS_OPTIONS)!r}}}}}))"),
        new_code_cell("import plotly.express as px\npx.bar(x=['a', 'b'], y=[1, 2])"),
        new_code_cell("from cxlib.io import read_table\nread_table('survey.csv', columns={'Score': 'nps'})"),
        new_code_cell("def inner():\n    return 1 / 0\n\ninner()"),
    ], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    NotebookClient(nb, kernel_name="python3", allow_errors=True, timeout=120,
                   resources={"metadata": {"path": str(work)}}).execute()
    return nb


def settings(nb: nbformat.NotebookNode) -> dict:
    [out] = nb.cells[2].outputs
    return json.loads(out.text)


def test_setup_notebook_returns_none_so_the_cell_shows_nothing(kernel_run):
    assert kernel_run.cells[1].outputs == []


def test_setup_notebook_sets_the_plotly_mimetype_renderer(kernel_run):
    s = settings(kernel_run)
    assert s["before"]["renderer"] != PLOTLY_RENDERER  # so the check below is not vacuous
    assert s["renderer"] == PLOTLY_RENDERER == "plotly_mimetype"
    [fig] = kernel_run.cells[3].outputs
    assert "application/vnd.plotly.v1+json" in fig.data
    assert "text/html" not in fig.data  # nothing that would pull plotly.js from a CDN


def test_setup_notebook_applies_the_cxlib_plotly_template(kernel_run):
    assert settings(kernel_run)["template"] == "plotly_white+cxlib"
    [fig] = kernel_run.cells[3].outputs
    layout = fig.data["application/vnd.plotly.v1+json"]["layout"]
    assert layout["template"]["layout"]["colorway"][0] == "#0072B2"  # cxlib.plots.PALETTE[0]


def test_setup_notebook_sets_the_pandas_display_options(kernel_run):
    s = settings(kernel_run)
    assert s["options"] == PANDAS_OPTIONS
    assert s["before"]["options"] != PANDAS_OPTIONS


def test_cx_error_in_a_kernel_is_one_short_line_naming_file_and_column(kernel_run):
    [err] = kernel_run.cells[4].outputs
    assert err.output_type == "error"  # the cell still fails, so papermill and cx-report see it
    assert err.ename == "CxDataError"
    assert "survey.csv" in err.evalue and "'Score'" in err.evalue
    assert len(err.traceback) <= 2
    text = ANSI.sub("", "\n".join(err.traceback))
    assert text.startswith("CxDataError: survey.csv: column 'Score'"), text
    assert "Traceback" not in text and "File " not in text


def test_other_errors_keep_their_full_traceback(kernel_run):
    [err] = kernel_run.cells[5].outputs
    assert err.ename == "ZeroDivisionError"
    text = ANSI.sub("", "\n".join(err.traceback))
    assert "inner()" in text and "return 1 / 0" in text
    assert len(text.splitlines()) > 2


def test_setup_notebook_outside_ipython_changes_nothing():
    renderer, template = pio.renderers.default, pio.templates.default
    options = {k: pd.get_option(k) for k in PANDAS_OPTIONS}
    assert setup_notebook() is None
    assert pio.renderers.default == renderer and pio.templates.default == template
    assert {k: pd.get_option(k) for k in PANDAS_OPTIONS} == options


def test_module_doctests_pass():
    result = doctest.testmod(cxlib.notebook)
    assert result.attempted >= 1
    assert result.failed == 0
