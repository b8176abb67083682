"""notebooks/03_touchpoint_importance.ipynb run by papermill with other parameters and with bad inputs."""
from __future__ import annotations

import json

import pandas as pd
import papermill as pm
import pytest

from tests.notebooks.test_notebooks import ROOT, outputs_text, run

NB = ROOT / "notebooks" / "03_touchpoint_importance.ipynb"
SURVEY = ROOT / "data" / "sample" / "survey.csv"
FAST = {"n_boot": 25}


def test_sample_report_finds_the_planted_top_driver_and_the_noise_touchpoint(tmp_path):
    text = outputs_text(run(NB, tmp_path / "out.ipynb", **FAST))
    assert "The top 3 — **staff_politeness**" in text
    assert "Indistinguishable from no effect: parking_signage" in text
    assert "pairwise handling" in text and "**Act first**" in text


def test_nps_outcome_listwise_top2box_and_no_segment(tmp_path):
    text = outputs_text(run(NB, tmp_path / "out.ipynb", outcome="nps", missing="listwise", performance="top2box",
                            segment="", **FAST))
    assert "variation in nps" in text
    assert "rows left out by listwise handling" in text
    assert "segments; differences" not in text


def test_a_two_answer_text_outcome_with_mapped_columns(tmp_path):
    survey = pd.read_csv(SURVEY, dtype=str, keep_default_na=False)
    survey["Satisfaction"] = ["satisfied" if int(v) >= 4 else "neutral or dissatisfied"
                              for v in survey.pop("overall_satisfaction")]
    export = tmp_path / "survey_export.csv"
    survey.rename(columns={"respondent_id": "RespID"}).drop(columns="nps").to_csv(export, index=False, sep=";")
    text = outputs_text(run(NB, tmp_path / "out.ipynb", input_path=str(export), columns={"RespID": "respondent_id"},
                            outcome="Satisfaction", outcome_positive="satisfied", **FAST))
    assert "linear probability model" in text and "satisfied = 1" in text
    assert "No NPS or satisfaction column." in text


def test_a_touchpoint_of_the_map_missing_from_the_survey_is_one_clear_message(tmp_path):
    export = tmp_path / "survey_export.csv"
    pd.read_csv(SURVEY, dtype=str, keep_default_na=False).drop(columns="hold_time").to_csv(export, index=False)
    with pytest.raises(pm.PapermillExecutionError) as info:
        run(NB, tmp_path / "out.ipynb", input_path=str(export), **FAST)
    assert info.value.ename == "CxDataError"
    assert "survey_export.csv" in info.value.evalue and "'hold_time'" in info.value.evalue
    nb = json.loads((tmp_path / "out.ipynb").read_text())
    errors = [o for c in nb["cells"] for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert len(errors) == 1 and len(errors[0]["traceback"]) <= 2


def test_ratings_off_the_scale_name_the_rows(tmp_path):
    survey = pd.read_csv(SURVEY, dtype=str, keep_default_na=False)
    survey.loc[[2, 7], "staff_politeness"] = "7"
    export = tmp_path / "survey_export.csv"
    survey.to_csv(export, index=False)
    with pytest.raises(pm.PapermillExecutionError) as info:
        run(NB, tmp_path / "out.ipynb", input_path=str(export), **FAST)
    assert info.value.ename == "CxDataError"
    assert "'staff_politeness'" in info.value.evalue and "3, 8" in info.value.evalue
