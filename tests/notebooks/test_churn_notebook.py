"""notebooks/02_churn_prediction.ipynb run by papermill: sample data, another schema by parameters, bad input."""
from __future__ import annotations

import numpy as np
import pandas as pd
import papermill as pm
import pytest

from cxlib import sample

from tests.notebooks.test_notebooks import ROOT, outputs_text, run

NB = ROOT / "notebooks" / "02_churn_prediction.ipynb"
CUSTOMERS = ROOT / "data" / "sample" / "customers.csv"


def test_sample_report_writes_the_call_list_with_reasons(tmp_path):
    out = tmp_path / "at_risk.csv"
    text = outputs_text(run(NB, tmp_path / "out.ipynb", cv_folds=3, cv_repeats=1, at_risk_path=str(out)))
    calls = pd.read_csv(out)
    assert list(calls.columns[:4]) == ["customer_id", "churn_probability", "customer_value", "expected_value_saved"]
    assert {"reason_1", "reason_2", "reason_3"} <= set(calls.columns)
    assert calls["expected_value_saved"].is_monotonic_decreasing and len(calls) > 0
    assert "rude_staff_complaints" in text and "Who to call" in text and "monthly risk of leaving" in text
    # the threshold is chosen by cross-validation on the training customers and judged on the held-out ones
    assert "threshold chosen by 3-fold cross-validation on the other 3,750" in text
    assert "realised on the 1,250 held-out customers" in text and "best in hindsight" in text
    assert "1 x 3-fold cross-validation" in text


def test_a_second_generated_table_with_other_column_names_runs_by_parameters_only(tmp_path):
    # another draw of the generator, in another file format, with a CRM's column names and spellings
    crm = sample.make_customers(2000, seed=7).rename(columns={
        "customer_id": "CustID", "churned": "Exited", "tenure_months": "Tenure", "contract": "ContractType",
        "rude_staff_complaints": "RudeStaff", "complaint_count": "Complaints", "favourite_color": "FavColour"})
    crm["Exited"] = crm["Exited"].astype(str).str.strip().str.lower().isin(["1", "yes", "true", "y"])
    crm["CLV"] = (pd.to_numeric(crm["monthly_revenue"]) * 30).round(2)
    export = tmp_path / "crm_export.xlsx"
    crm.to_excel(export, index=False)
    out = tmp_path / "at_risk.csv"
    text = outputs_text(run(NB, tmp_path / "out.ipynb", input_path=str(export), cv_folds=3, cv_repeats=1,
                            at_risk_path=str(out), columns={"CustID": "customer_id", "Exited": "churned",
                                                            "Tenure": "tenure_months"},
                            exclude=["FavColour", "monthly_revenue"], value_column="CLV", offer_cost=60.0,
                            segment="ContractType", survival_covariates=["ContractType", "RudeStaff"]))
    assert "RudeStaff" in text and "ContractType" in text and "FavColour: not used (excluded by parameter)" in text
    assert "threshold chosen by 3-fold cross-validation on the other 1,500" in text and "2,000" in text
    calls = pd.read_csv(out)
    assert calls["customer_id"].str.startswith("c").all() and len(calls) > 0
    # the value column is used as it is: each customer's value is their CLV
    clv = crm.set_index("CustID")["CLV"]
    assert np.allclose(calls["customer_value"], calls["customer_id"].map(clv))


@pytest.mark.parametrize("mutate, message", [
    (lambda d: d.assign(churned="no"), "has no churner"),
    (lambda d: d.head(40), "has 40 usable rows; at least 50"),
    (lambda d: d[["customer_id", "churned"]].assign(plan="basic"), "has no usable feature column"),
])
def test_bad_customer_tables_stop_with_one_clear_message(tmp_path, mutate, message):
    crm = mutate(pd.read_csv(CUSTOMERS, dtype=str, keep_default_na=False))
    export = tmp_path / "crm_export.csv"
    crm.to_csv(export, index=False)
    with pytest.raises(pm.PapermillExecutionError) as info:
        run(NB, tmp_path / "out.ipynb", input_path=str(export), at_risk_path=str(tmp_path / "x.csv"))
    assert info.value.ename == "CxDataError"
    assert "crm_export.csv" in info.value.evalue and message in info.value.evalue


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
    run(NB, tmp_path / "out.ipynb", input_path=str(export), cv_folds=3, cv_repeats=1, at_risk_path=str(out))
    calls = pd.read_csv(out)
    assert calls["customer_id"].str.match(r"^row \d+$").all() and calls["customer_value"].notna().all()
