"""notebooks/02_churn_prediction.ipynb run by papermill: sample data, another schema by parameters, bad input."""
from __future__ import annotations

import pandas as pd
import papermill as pm
import pytest

from tests.notebooks.test_notebooks import ROOT, outputs_text, run

NB = ROOT / "notebooks" / "02_churn_prediction.ipynb"
CUSTOMERS = ROOT / "data" / "sample" / "customers.csv"


def test_sample_report_writes_the_call_list_with_reasons(tmp_path):
    out = tmp_path / "at_risk.csv"
    text = outputs_text(run(NB, tmp_path / "out.ipynb", cv_folds=3, at_risk_path=str(out)))
    calls = pd.read_csv(out)
    assert list(calls.columns[:4]) == ["customer_id", "churn_probability", "customer_value", "expected_value_saved"]
    assert {"reason_1", "reason_2", "reason_3"} <= set(calls.columns)
    assert calls["expected_value_saved"].is_monotonic_decreasing and len(calls) > 0
    assert "rude_staff_complaints" in text and "Who to call" in text and "monthly risk of leaving" in text


def test_a_table_with_other_column_names_runs_by_parameters_only(tmp_path):
    crm = pd.read_csv(CUSTOMERS, dtype=str, keep_default_na=False).rename(columns={
        "customer_id": "CustID", "churned": "Exited", "tenure_months": "Tenure", "monthly_revenue": "MonthlyFee",
        "contract": "ContractType", "rude_staff_complaints": "RudeStaff"})
    export = tmp_path / "crm_export.csv"
    crm.to_csv(export, index=False, sep=";")
    out = tmp_path / "at_risk.csv"
    text = outputs_text(run(NB, tmp_path / "out.ipynb", input_path=str(export), cv_folds=3, at_risk_path=str(out),
                            columns={"CustID": "customer_id", "Exited": "churned", "Tenure": "tenure_months",
                                     "MonthlyFee": "monthly_revenue"},
                            segment="ContractType", survival_covariates=["ContractType", "RudeStaff"]))
    assert "RudeStaff" in text and "ContractType" in text
    assert pd.read_csv(out)["customer_id"].str.startswith("c").all()


def test_a_churn_flag_with_unknown_spellings_is_one_clear_message(tmp_path):
    crm = pd.read_csv(CUSTOMERS, dtype=str, keep_default_na=False)
    crm.loc[[3, 8], "churned"] = "maybe"
    export = tmp_path / "crm_export.csv"
    crm.to_csv(export, index=False)
    with pytest.raises(pm.PapermillExecutionError) as info:
        run(NB, tmp_path / "out.ipynb", input_path=str(export), at_risk_path=str(tmp_path / "x.csv"))
    assert info.value.ename == "CxDataError"
    assert "crm_export.csv" in info.value.evalue and "'churned'" in info.value.evalue and "4, 9" in info.value.evalue


def test_a_table_without_customer_ids_names_customers_by_their_row(tmp_path):
    crm = pd.read_csv(CUSTOMERS, dtype=str, keep_default_na=False).drop(columns="customer_id")
    export = tmp_path / "no_ids.csv"
    crm.to_csv(export, index=False)
    out = tmp_path / "at_risk.csv"
    run(NB, tmp_path / "out.ipynb", input_path=str(export), cv_folds=3, at_risk_path=str(out))
    calls = pd.read_csv(out)
    assert calls["customer_id"].str.match(r"^row \d+$").all() and calls["customer_value"].notna().all()
