"""cxlib.churn: preparation of messy exports, bad inputs, CV shape, reasons and the call list."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxlib import churn
from cxlib.errors import CxDataError, CxParameterError


def customers(n: int = 200, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    complaints = rng.poisson(1, n)
    df = pd.DataFrame({
        "customer_id": [f"c{i:04d}" for i in range(n)],
        "complaints": complaints,
        "total": np.where(rng.random(n) < 0.05, " ", (rng.uniform(10, 500, n)).round(2).astype(str)),
        "online_security": rng.choice(["Yes", "No", "No internet service"], n),
        "paperless": rng.choice(["Y", "n", "TRUE", "false"], n),
        "plan": rng.choice(["basic", "premium"] + ["legacy"] * 1, n, p=[0.6, 0.395, 0.005]),
        "constant": "same",
    })
    df["churned"] = np.where(rng.random(n) < 0.1 + 0.25 * np.clip(complaints, 0, 3), "Yes", "No")
    df.attrs["source"] = "crm.csv"
    return df


def test_prepare_reads_numbers_stored_as_text_and_yes_no_spellings():
    data = churn.prepare_customers(customers())
    assert data.features["total"].dtype == float and data.features["total"].isna().sum() > 0
    assert set(data.features["paperless"].dropna().unique()) <= {0.0, 1.0}
    # "No internet service" is a third level that means no
    assert set(data.features["online_security"].dropna().unique()) <= {0.0, 1.0}
    assert any(note.startswith("total: numbers stored as text") for note in data.notes)


def test_prepare_drops_constant_and_id_columns_and_pools_rare_categories():
    df = customers()
    df["free_text"] = [f"note {i} about the customer" for i in range(len(df))]
    data = churn.prepare_customers(df)
    assert "constant" in data.dropped and "free_text" in data.dropped and "customer_id" not in data.features
    assert "legacy" not in set(data.features["plan"].dropna()) or (df["plan"] == "legacy").mean() >= 0.01


def test_the_leakage_guard_flags_a_feature_that_records_the_churn():
    df = customers()
    df["cancellation_reason"] = np.where(df["churned"] == "Yes", "moved", "")
    data = churn.prepare_customers(df)
    assert "cancellation_reason" in data.leakage
    assert any("predicts churn almost perfectly" in n for n in data.notes)


@pytest.mark.parametrize("mutate, problem", [
    (lambda d: d.drop(columns="churned"), "is missing"),
    (lambda d: d.assign(churned="No"), "no churner"),
    (lambda d: d.assign(churned=["maybe"] * 3 + list(d["churned"][3:])), "neither yes nor no"),
    (lambda d: d.head(30), "at least 50"),
    (lambda d: d[["customer_id", "churned"]], "no usable feature"),
])
def test_bad_inputs_are_one_clear_data_error_naming_the_file(mutate, problem):
    df = mutate(customers())
    df.attrs["source"] = "crm.csv"
    with pytest.raises(CxDataError, match=problem) as info:
        churn.prepare_customers(df)
    assert str(info.value).startswith("crm.csv")


def test_unknown_churn_spellings_list_their_rows():
    df = customers()
    df.loc[[4, 9], "churned"] = "perhaps"
    with pytest.raises(CxDataError) as info:
        churn.prepare_customers(df)
    assert info.value.rows == [5, 10] and "perhaps" in str(info.value)


def test_cross_validate_returns_the_contract_columns_and_rejects_bad_cv():
    res = churn.cross_validate(customers(300), cv=3, seed=1)
    assert list(res.columns) == ["model", "roc_auc", "pr_auc", "brier"]
    assert res["model"].tolist() == ["logistic", "boosting", "blend"]
    assert len(res.attrs["folds"]) == 9 and 0 < res.attrs["churn_rate"] < 1
    with pytest.raises(CxParameterError, match="'cv' parameter"):
        churn.cross_validate(customers(), cv=1)
    with pytest.raises(CxParameterError, match="'model' parameter"):
        churn.cross_validate(customers(), models=("forest",))


def test_same_seed_gives_the_same_scores():
    a = churn.cross_validate(customers(300), cv=3, seed=4, models=("boosting",))
    b = churn.cross_validate(customers(300), cv=3, seed=4, models=("boosting",))
    pd.testing.assert_frame_equal(a, b)


def test_reasons_name_the_driver_of_the_riskiest_customers():
    model = churn.fit_model(customers(400), model="logistic")
    why = churn.explain_customers(model)
    top = why.nlargest(20, "churn_probability")
    assert (top["reason_1"].str.startswith("complaints")).mean() >= 0.8


def test_the_call_list_keeps_customers_above_the_threshold_by_value_saved():
    model = churn.fit_model(customers(400), model="logistic")
    why = churn.explain_customers(model)
    value = pd.Series(100.0, index=why["customer_id"])
    calls = churn.at_risk_list(why, value, offer_cost=5, acceptance_rate=0.3, threshold=0.4)
    assert (calls["churn_probability"] >= 0.4).all() and calls["expected_value_saved"].is_monotonic_decreasing
    assert np.allclose(calls["expected_value_saved"], calls["churn_probability"] * 0.3 * 100 - 5)


def test_inputs_are_not_changed():
    df = customers()
    before = df.copy(deep=True)
    churn.prepare_customers(df)
    churn.cross_validate(df, cv=3, models=("logistic",))
    pd.testing.assert_frame_equal(df, before)


def test_without_an_id_column_customers_are_named_by_their_file_row_and_values_line_up():
    df = customers().drop(columns="customer_id")
    df.loc[0, "churned"] = None          # the first row has no churn flag and is left out
    data = churn.prepare_customers(df)
    assert data.ids.iloc[0] == "row 2"
    value = pd.Series(np.arange(len(df), dtype=float) * 10)
    by_id = churn.value_by_customer(df, value)
    assert data.ids.map(by_id).iloc[0] == 10.0 and not data.ids.map(by_id).isna().any()
