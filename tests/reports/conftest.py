"""Reports built once per session for the browser tests, with the real ``cx-report`` into temporary folders.

- ``fixture_reports``: the fixture notebooks (``tests/fixtures/notebooks``: fx_plot, fx_fail, fx_xss), run on a
  copy of that folder, with fx_xss reading a CSV whose text column carries ``<script>`` and ``<img onerror>``.
- ``health_report``: ``notebooks/00_data_health.ipynb`` from the repository's ``reports.yml`` on ``data/sample``
  (skipped when the sample data has not been generated).
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "notebooks"
SAMPLE_MENTIONS = ROOT / "data" / "sample" / "mentions.csv"

#: Markup planted in review texts; a report must show it as text and never run it.
XSS_TEXTS = ['<script>window.__xss=1</script>', '<img src=x onerror="window.__xss=2">', "plain & simple"]

BROWSER_CONFIG = """\
reports:
  - name: fx_plot
    notebook: fx_plot.ipynb
    parameters: {title: "Scores by group <i>&</i>", seed: 3}
  - notebook: fx_fail.ipynb
  - notebook: fx_xss.ipynb
    parameters: {input_path: xss.csv}
"""


def cx_report(*args: object, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The installed ``cx-report`` entry point (else ``python -m cxlib.report``)."""
    exe = Path(sys.executable).parent / "cx-report"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "cxlib.report"]
    return subprocess.run(cmd + [str(a) for a in args], capture_output=True, text=True, timeout=600, cwd=cwd)


@pytest.fixture(scope="session")
def xss_texts() -> list[str]:
    """The texts of the ``comment`` column that fx_xss reads (markup first, then a plain text with '&')."""
    return list(XSS_TEXTS)


def _built(out: Path) -> SimpleNamespace:
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    return SimpleNamespace(out=out, index=index, records={r["name"]: r for r in index["reports"]})


@pytest.fixture(scope="session")
def fixture_reports(tmp_path_factory) -> SimpleNamespace:
    """``out`` (folder with fx_plot.html, fx_fail.html, fx_xss.html, index.html), ``index``, ``records``."""
    proj = tmp_path_factory.mktemp("browser") / "proj"
    shutil.copytree(FIXTURES, proj)
    pd.DataFrame({"comment": XSS_TEXTS, "score": [3, 5, 4]}).to_csv(proj / "xss.csv", index=False)
    (proj / "browser.yml").write_text(BROWSER_CONFIG, encoding="utf-8")
    res = cx_report("--config", proj / "browser.yml", "--out", proj / "out", "--workers", 3)
    assert res.returncode == 0, res.stderr
    return _built(proj / "out")


@pytest.fixture(scope="session")
def health_report(tmp_path_factory) -> SimpleNamespace:
    """The repository's reports (reports.yml: data health, touchpoint importance) built from data/sample."""
    if not SAMPLE_MENTIONS.is_file():
        pytest.skip(f"{SAMPLE_MENTIONS.relative_to(ROOT)} is absent: run `make sample` to build the data-health report")
    out = tmp_path_factory.mktemp("health") / "out"
    # every report of the repository's reports.yml, with fewer bootstrap replicates to keep the suite quick
    fast = out.parent / "fast.yaml"
    fast.write_text("03_touchpoint_importance: {n_boot: 30}\n"
                    f"02_churn_prediction: {{cv_folds: 3, at_risk_path: {out.parent / 'churn_at_risk.csv'}}}\n"
                    "01_sentiment_index: {scorer: lexicon}\n"
                    f"04_competitor_swot: {{scorer: lexicon, swot_csv_path: {out.parent / 'swot.csv'}, "
                    f"swot_html_path: {out.parent / 'swot.html'}}}\n",
                    encoding="utf-8")
    res = cx_report("--config", ROOT / "reports.yml", "--params", fast, "--out", out, cwd=ROOT)
    assert res.returncode == 0, res.stderr
    return _built(out)
