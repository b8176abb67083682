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
    assert len(res.attrs["folds"]) == 27 and 0 < res.attrs["churn_rate"] < 1   # 3 models x 3 repeats x 3 folds
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


def _reasons_by_rescoring_everyone(model: churn.ChurnModel, top: int = 3) -> tuple[np.ndarray, list[list[str]]]:
    """The plain algorithm: every customer rescored with each feature set to its typical value."""
    feats = model.data.features
    base = model.pipeline.predict_proba(feats)[:, 1]
    effects = np.zeros(feats.shape)
    for j, col in enumerate(feats.columns):
        typical = feats[col].median() if feats[col].dtype == float else feats[col].mode().iloc[0]
        effects[:, j] = base - model.pipeline.predict_proba(feats.assign(**{col: typical}))[:, 1]
    order = np.argsort(-effects, axis=1)[:, :top]
    reasons = [[f"{feats.columns[c]} = {churn._fmt(feats.iat[i, c])} ({100 * effects[i, c]:+.0f} pts)"
                if effects[i, c] > 0.005 else "" for c in order[i]] for i in range(len(feats))]
    return np.take_along_axis(effects, order, axis=1), reasons


@pytest.mark.parametrize("model_name", ["logistic", "blend"])
def test_reasons_rescoring_only_changed_customers_in_batches_match_rescoring_everyone(model_name, monkeypatch):
    df = customers(300, seed=3)
    df.loc[::7, "plan"] = None                      # blank categories are reasons too
    monkeypatch.setattr(churn, "_BATCH", 250)       # several predict calls, features split across them
    model = churn.fit_model(df, model=model_name)
    effects, reasons = _reasons_by_rescoring_everyone(model)
    why = churn.explain_customers(model)
    assert why[["reason_1", "reason_2", "reason_3"]].values.tolist() == reasons
    shown = np.where(effects > 0.005, effects, 0.0)
    np.testing.assert_allclose(why[["effect_1", "effect_2", "effect_3"]].to_numpy(), shown, rtol=0, atol=1e-12)


@pytest.mark.parametrize("model_name", ["logistic", "blend"])
def test_permutation_importance_reusing_unchanged_rows_equals_sklearns(model_name):
    from sklearn.inspection import permutation_importance

    train, test = churn.split_customers(churn.prepare_customers(customers(400, seed=5)), 0.5, seed=0)
    model = churn.fit_model(train, model=model_name)
    ours = churn.feature_importance(model, test, n_repeats=4, seed=3, max_samples=150).set_index("feature")
    # permutation_importance(pipeline, X, y, scoring="roc_auc", n_repeats=4, random_state=3, max_samples=150/200)
    ref = permutation_importance(model.pipeline, test.features, test.target, scoring="roc_auc", n_repeats=4,
                                 random_state=3, max_samples=150 / 200)
    np.testing.assert_allclose(ours.loc[list(test.features.columns), "importance"], ref.importances_mean,
                               rtol=0, atol=1e-12)


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


# --- repeated cross-validation and feature choice -------------------------------------------------------------

def test_cross_validation_is_repeated_three_times_by_default():
    res = churn.cross_validate(customers(300), cv=3, seed=2, models=("logistic",))
    assert res.attrs["repeats"] == 3 and len(res.attrs["folds"]) == 9
    assert len({round(f["roc_auc"], 12) for f in res.attrs["folds"]}) == 9   # reshuffled folds, not copies
    with pytest.raises(CxParameterError, match="'repeats' parameter"):
        churn.cross_validate(customers(), repeats=0)


def test_large_tables_are_cross_validated_once_unless_repeats_are_asked_for(monkeypatch):
    monkeypatch.setattr(churn, "REPEAT_BELOW", 250)   # as if 300 customers were a large table
    assert churn.cross_validate(customers(300), cv=3, models=("logistic",)).attrs["repeats"] == 1
    assert churn.cross_validate(customers(300), cv=3, repeats=2, models=("logistic",)).attrs["repeats"] == 2


def test_permutation_importance_on_a_sample_of_a_large_table_finds_the_same_driver():
    model = churn.fit_model(customers(400), model="logistic")
    sampled = churn.feature_importance(model, max_samples=200, seed=0)
    assert sampled["feature"].iloc[0] == "complaints"


def test_cross_validate_uses_only_the_included_features():
    res = churn.cross_validate(customers(300), cv=3, repeats=1, seed=0, models=("logistic",), include=["plan"])
    assert not any("online_security" in n or "total" in n for n in res.attrs["notes"])
    assert res.loc[0, "roc_auc"] < 0.65   # plan carries no signal; complaints (left out) carry all of it


# --- id-like columns --------------------------------------------------------------------------------------------

def test_numeric_ids_and_row_numbers_are_not_features():
    df = customers(200)
    rng = np.random.default_rng(5)
    df["RowNumber"] = np.arange(1, 201)
    df["CustomerId"] = rng.choice(np.arange(15_000_000, 16_000_000), 200, replace=False)
    df["account_no"] = [str(x) for x in rng.choice(np.arange(10_000, 99_999), 200, replace=False)]
    df["balance"] = rng.normal(1000, 300, 200).round(2)   # a different number in every row, but not whole
    data = churn.prepare_customers(df)
    assert {"RowNumber", "CustomerId", "account_no"} <= set(data.dropped)
    assert "looks like an id" in data.dropped["CustomerId"]
    assert {"balance", "complaints"} <= set(data.features.columns)


# --- bad input through the public function ----------------------------------------------------------------------

@pytest.mark.parametrize("mutate, column, problem", [
    (lambda d: d.assign(churned="Yes"), "churned", "no customer who stayed"),
    (lambda d: d.assign(churned=["cancelled", "current"] * 100), "churned", "neither yes nor no"),
    (lambda d: d.head(49), "churned", "49 usable rows; at least 50"),
    (lambda d: d[["customer_id", "churned", "constant"]].assign(row=range(200)), None, "no usable feature"),
    (lambda d: d.assign(churned=["Yes"] * 3 + ["No"] * 197), "churned", "3 churners; cv=5 needs at least 5"),
])
def test_cross_validate_turns_bad_input_into_one_data_error(mutate, column, problem):
    df = mutate(customers())
    df.attrs["source"] = "crm.csv"
    with pytest.raises(CxDataError, match=problem) as info:
        churn.cross_validate(df, cv=5)
    assert str(info.value).startswith("crm.csv") and info.value.column == column


def test_no_usable_feature_says_why_each_column_was_dropped():
    df = customers()[["customer_id", "churned", "constant"]].assign(row=range(1, 201))
    with pytest.raises(CxDataError) as info:
        churn.prepare_customers(df)
    assert "constant: the same value in every row" in str(info.value) and "row: looks like an id" in str(info.value)


def test_churn_spelled_as_bools_floats_and_mixed_case_is_read():
    base = customers()
    flags = (base["churned"] == "Yes").to_numpy()
    for spelled in (flags, flags.astype(float), np.where(flags, "TRUE", "false"), np.where(flags, "Y", "n")):
        data = churn.prepare_customers(base.assign(churned=spelled))
        assert data.target.tolist() == flags.astype(int).tolist()


# --- the threshold, chosen by cross-validated campaign profit ---------------------------------------------------

def planted(n: int = 3000, seed: int = 0) -> pd.DataFrame:
    """Churn from a logistic model in one feature, so a logistic regression is calibrated."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    y = rng.random(n) < 1 / (1 + np.exp(-(-1.0 + 1.5 * x)))
    return pd.DataFrame({"customer_id": range(n), "signal": x, "churned": y.astype(int)})


def test_the_cross_validated_threshold_lands_on_the_break_even_probability():
    # contacting pays when gamma * p * v > d * (gamma * p + 1 - p), i.e. p > d / (gamma * (v - d) + d):
    # value 100, offer 20, acceptance 0.5 -> 20 / (0.5 * 80 + 20) = 1/3
    data = churn.prepare_customers(planted())
    tuned = churn.tune_threshold(data, value=np.full(len(data.target), 100.0), model="logistic", offer_cost=20,
                                 acceptance_rate=0.5, cv=5, seed=0)
    assert abs(tuned.threshold - 1 / 3) < 0.08
    assert tuned.value == "per customer" and tuned.cv_profit > 0
    # the curve is the cross-validated objective, and the threshold is where it peaks
    assert tuned.curve.loc[tuned.curve["profit_per_customer"].idxmax(), "threshold"] == pytest.approx(tuned.threshold)
    assert tuned.summary.loc[0, "folds"] == 5 and tuned.model.name == "logistic"


def test_the_threshold_follows_the_costs():
    data = churn.prepare_customers(planted(1500))
    value = np.full(len(data.target), 100.0)
    free = churn.tune_threshold(data, value, model="logistic", offer_cost=0, acceptance_rate=0.5, cv=3)
    dear = churn.tune_threshold(data, value, model="logistic", offer_cost=200, acceptance_rate=0.5, cv=3)
    assert free.threshold < 0.1                           # free offers: call (almost) everyone
    assert dear.cv_profit == 0.0 and dear.threshold > 0.9  # offers dearer than the customers: call nobody


def test_one_average_value_gives_the_same_threshold_as_that_value_for_everyone():
    data = churn.prepare_customers(planted(1500))
    each = churn.tune_threshold(data, np.full(len(data.target), 150.0), model="logistic", offer_cost=30, cv=3)
    average = churn.tune_threshold(data, 150.0, model="logistic", offer_cost=30, cv=3)
    assert average.value == "average" and average.threshold == each.threshold
    assert average.cv_profit == pytest.approx(each.cv_profit)


def test_per_customer_values_change_the_choice():
    data = churn.prepare_customers(planted(2000))
    rng = np.random.default_rng(1)
    # the riskiest customers are worth far more than the average value says: calling more of them pays
    value = np.where(data.features["signal"] > 0.5, 400.0, 20.0) * rng.uniform(0.9, 1.1, len(data.target))
    each = churn.tune_threshold(data, value, model="logistic", offer_cost=20, acceptance_rate=0.5, cv=3)
    average = churn.tune_threshold(data, float(value.mean()), model="logistic", offer_cost=20, acceptance_rate=0.5,
                                   cv=3)
    assert each.threshold != average.threshold


def test_the_tuned_model_is_refitted_on_all_the_customers_given():
    data = churn.prepare_customers(planted(800))
    tuned = churn.tune_threshold(data, 100.0, model="logistic", cv=3)
    direct = churn.fit_model(data, model="logistic")
    np.testing.assert_allclose(tuned.model.pipeline.predict_proba(data.features),
                               direct.pipeline.predict_proba(data.features))


def test_tune_threshold_rejects_bad_values_and_too_few_churners():
    data = churn.prepare_customers(planted(300))
    with pytest.raises(CxParameterError, match="'value' parameter"):
        churn.tune_threshold(data, np.ones(10), model="logistic")
    with pytest.raises(CxParameterError, match="'value' parameter"):
        churn.tune_threshold(data, np.full(300, -1.0), model="logistic")
    with pytest.raises(CxParameterError, match="'cv' parameter"):
        churn.tune_threshold(data, 100.0, cv=1)
    few = churn.prepare_customers(planted(300).assign(churned=[1] * 3 + [0] * 297))
    with pytest.raises(CxDataError, match="cv=5 needs at least 5"):
        churn.tune_threshold(few, 100.0, model="logistic")
