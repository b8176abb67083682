"""The notebooks themselves: hygiene, parameters, real papermill runs, nbval on a real kernel, bad inputs."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import papermill as pm
import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
HEALTH = ROOT / "notebooks" / "00_data_health.ipynb"


def run(nb: Path, out: Path, **parameters) -> dict:
    pm.execute_notebook(str(nb), str(out), parameters=parameters, cwd=str(ROOT), kernel_name="python3",
                        progress_bar=False)
    return json.loads(out.read_text(encoding="utf-8"))


def outputs_text(nb: dict) -> str:
    parts = []
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            parts.extend(out.get("text", []) if isinstance(out.get("text"), list) else [out.get("text", "")])
            for mime in ("text/plain", "text/markdown", "text/html"):
                value = out.get("data", {}).get(mime, "")
                parts.append("".join(value) if isinstance(value, list) else value)
    return "\n".join(parts)


def test_there_is_a_notebook_to_check():
    assert HEALTH in NOTEBOOKS


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_notebook_has_no_outputs(nb):
    cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
    dirty = [i for i, c in enumerate(cells) if c["cell_type"] == "code" and (c.get("outputs") or c.get("execution_count"))]
    assert dirty == [], f"{nb.name}: cells {dirty} carry outputs; strip them"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_first_code_cell_is_tagged_parameters_with_typed_documented_literals(nb):
    cells = [c for c in json.loads(nb.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
    assert "parameters" in cells[0].get("metadata", {}).get("tags", [])
    params = pm.inspect_notebook(str(nb))
    assert params, "no parameters found"
    for name, spec in params.items():
        assert spec["inferred_type_name"] != "None", f"{name} has no type annotation"
        assert spec["help"], f"{name} has no help comment"
    # the shared parameters of every notebook (DESIGN.md section 10)
    assert {"columns", "seed"} <= set(params)


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_nbval_reproduces_the_stable_outputs_on_a_fresh_kernel(nb, tmp_path):
    """Run once with papermill (the reference), then nbval re-runs it on a new kernel: the cells tagged
    nbval-check-output must give the same outputs, every other cell must run without error."""
    executed = tmp_path / nb.name
    # fewer bootstrap replicates keep the test quick; the tagged outputs must still be reproduced exactly
    declared = pm.inspect_notebook(str(nb))
    fast = {k: v for k, v in {"n_boot": 30, "cv_folds": 3, "at_risk_path": str(tmp_path / "at_risk.csv"),
                              "swot_csv_path": str(tmp_path / "swot.csv"), "swot_html_path": ""}.items()
            if k in declared}
    if nb.stem in ("01_sentiment_index", "04_competitor_swot"):  # their own tests run the trained scorer
        fast["scorer"] = "lexicon"
    run(nb, executed, **fast)
    env = dict(os.environ, CX_PROJECT_ROOT=str(ROOT))
    proc = subprocess.run([sys.executable, "-m", "pytest", "--nbval-lax", "-p", "no:cacheprovider", "-q",
                           "--rootdir", str(tmp_path), str(executed)],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    checked = [c for c in json.loads(executed.read_text())["cells"]
               if "nbval-check-output" in c.get("metadata", {}).get("tags", [])]
    assert checked and all(c["outputs"] for c in checked), "no stable output was compared"


def test_data_health_overview_counts_the_rows_of_each_input(tmp_path):
    nb = run(HEALTH, tmp_path / "health.ipynb")
    text = outputs_text(nb)
    for name in ("mentions", "survey", "customers"):
        rows = len(pd.read_csv(ROOT / "data" / "sample" / f"{name}.csv"))
        assert f"{rows:,} rows" in text, f"overview does not report {rows:,} rows for {name}"
    assert "No contract problems" in text


def test_data_health_stops_with_one_message_naming_file_and_column(tmp_path):
    customers = pd.read_csv(ROOT / "data" / "sample" / "customers.csv", dtype=str, keep_default_na=False)
    broken = tmp_path / "customers_export.csv"
    customers.drop(columns="churned").to_csv(broken, index=False)
    with pytest.raises(pm.PapermillExecutionError) as info:
        run(HEALTH, tmp_path / "out.ipynb", customers_path=str(broken))
    err = info.value
    assert err.ename == "CxDataError"
    assert "customers_export.csv" in err.evalue and "'churned'" in err.evalue and "Fix:" in err.evalue
    nb = json.loads((tmp_path / "out.ipynb").read_text())
    error_outputs = [o for c in nb["cells"] for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert len(error_outputs) == 1 and len(error_outputs[0]["traceback"]) <= 2, "the analyst must see one line, not a traceback"


def test_data_health_lists_problems_without_stopping_when_not_strict(tmp_path):
    survey = pd.read_csv(ROOT / "data" / "sample" / "survey.csv")
    survey.loc[[4, 9], "nps"] = 11
    bad = tmp_path / "survey_export.csv"
    survey.to_csv(bad, index=False)
    nb = run(HEALTH, tmp_path / "out.ipynb", survey_path=str(bad), strict=False)
    text = outputs_text(nb)
    assert "has values outside 0-10" in text and "5, 10" in text


def test_data_health_runs_on_one_input_with_mapped_column_names(tmp_path):
    customers = pd.read_csv(ROOT / "data" / "sample" / "customers.csv", dtype=str, keep_default_na=False)
    renamed = tmp_path / "crm.csv"
    customers.rename(columns={"customer_id": "Client", "churned": "Exited"}).to_csv(renamed, index=False, sep=";")
    nb = run(HEALTH, tmp_path / "out.ipynb", mentions_path="", survey_path="", touchpoints_path="",
             customers_path=str(renamed), columns={"customers": {"Client": "customer_id", "Exited": "churned"}})
    text = outputs_text(nb)
    assert f"{len(customers):,} rows" in text and "No contract problems" in text
