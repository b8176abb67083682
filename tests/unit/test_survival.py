"""cxlib.survival: Kaplan-Meier retention, log-rank test and Cox hazard ratios against known answers.

Known answers: a Kaplan-Meier curve computed by hand, R's published Cox coefficients for the Rossi
recidivism data (bundled with lifelines), and the churn drivers planted in ``data/sample/customers.csv``.
"""
from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from cxlib import plots
from cxlib.errors import CxDataError, CxParameterError
from cxlib.sample import CHURN_DRIVERS
from cxlib.survival import describe_retention, hazard_ratios, logrank_test, retention_curves, retention_summary

# durations and churn of five customers, the textbook example worked by hand below
TINY = pd.DataFrame({"tenure_months": [1, 2, 2, 3, 5], "churned": [1, 1, 0, 1, 0]})
DRIVERS = ["contract", "rude_staff_complaints", "first_contact_resolution", "avg_resolution_hours", "last_nps",
           "complaint_count", "favourite_color"]


@pytest.fixture(scope="module")
def customers(request) -> pd.DataFrame:
    root = request.config.rootpath
    df = pd.read_csv(root / "data" / "sample" / "customers.csv")
    df.attrs["source"] = "customers.csv"
    return df


@pytest.fixture(scope="module")
def by_contract(customers) -> pd.DataFrame:
    return retention_curves(customers, by="contract")


@pytest.fixture(scope="module")
def sample_hazards(customers) -> pd.DataFrame:
    return hazard_ratios(customers, covariates=DRIVERS)


def churn_table(n: int = 300, seed: int = 0) -> pd.DataFrame:
    """Exponential lifetimes whose monthly hazard doubles for x = 1, censored at 24 months."""
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 2, n)
    life = rng.exponential(20 / np.where(x == 1, 2.0, 1.0))
    return pd.DataFrame({"tenure_months": np.minimum(np.ceil(life), 24), "churned": (life < 24).astype(int),
                         "x": x, "noise": rng.normal(size=n)})


# --- Kaplan-Meier -----------------------------------------------------------------------------------------------

def test_kaplan_meier_matches_the_hand_computed_product_limit():
    curve = retention_curves(TINY, min_customers=1)
    # S(t) = product over event times <= t of (1 - d/n): t=1: 1 - 1/5 = 0.8; t=2: four at risk, one leaves
    # (one is censored): 0.8 * 3/4 = 0.6; t=3: two at risk, one leaves: 0.6 * 1/2 = 0.3; flat to t=5
    assert curve["time"].tolist() == [0, 1, 2, 3, 5]
    assert curve["retention"].to_numpy() == pytest.approx([1.0, 0.8, 0.6, 0.3, 0.3])
    assert curve["at_risk"].tolist() == [5, 5, 4, 2, 1]
    assert curve["events"].tolist() == [0, 1, 1, 1, 0]
    assert curve["segment"].unique().tolist() == ["all"]


def test_kaplan_meier_interval_is_the_log_log_greenwood_interval():
    curve = retention_curves(TINY, min_customers=1).set_index("time")
    # by hand at t=1: Greenwood sum d/(n(n-d)) = 1/(5*4); se of log(-log S) = sqrt(0.05) / |log 0.8|;
    # interval S ** exp(+-1.96 se), as R's survfit(Surv(t, e) ~ 1, conf.type = "log-log")
    s, se = 0.8, math.sqrt(1 / 20) / abs(math.log(0.8))
    z = 1.959963984540054
    assert curve.loc[1, "ci_low"] == pytest.approx(s ** math.exp(z * se), abs=1e-6)
    assert curve.loc[1, "ci_high"] == pytest.approx(s ** math.exp(-z * se), abs=1e-6)
    assert curve.loc[0, ["ci_low", "ci_high"]].tolist() == [1.0, 1.0]


def test_median_is_the_first_time_half_have_left_and_inf_when_never():
    assert retention_curves(TINY, min_customers=1).attrs["median"] == {"all": 3.0}
    mostly_staying = pd.DataFrame({"tenure_months": [1, 2, 3, 4, 5], "churned": [1, 0, 0, 0, 0]})
    assert retention_curves(mostly_staying, min_customers=1).attrs["median"] == {"all": math.inf}


def test_summary_reads_the_step_function_between_event_times_and_leaves_unobserved_months_blank():
    s = retention_summary(retention_curves(TINY, min_customers=1), at=[0, 1, 2.5, 4, 6])
    assert s["retention"].iloc[:4].to_numpy() == pytest.approx([1.0, 0.8, 0.6, 0.3])
    assert math.isnan(s["retention"].iloc[4])          # nobody was followed past month 5
    assert s.attrs["beyond_follow_up"] == [("all", 6.0)]
    assert s["at_risk"].tolist() == [5, 5, 2, 1, 0]     # customers with a duration >= the month


def test_rows_with_a_blank_duration_or_event_are_dropped_and_counted():
    df = pd.DataFrame({"tenure_months": [1, 2, None, 3, 5, " ", 2], "churned": ["yes", "yes", "no", "", "no", "no",
                                                                                None]})
    curve = retention_curves(df, min_customers=1)
    assert curve.attrs["n_dropped"] == 4
    assert curve.attrs["dropped"] == {"tenure_months": 2, "churned": 2}
    assert curve.attrs["n"] == {"all": 3}
    assert df["tenure_months"].isna().sum() == 1        # the input is left as it was


def test_small_segments_are_left_out_and_listed():
    df = pd.DataFrame({"tenure_months": range(1, 26), "churned": [1, 0] * 12 + [1],
                       "plan": ["basic"] * 12 + ["premium"] * 10 + ["vip"] * 3})
    curve = retention_curves(df, by="plan")
    assert curve["segment"].unique().tolist() == ["basic", "premium"]
    assert curve.attrs["skipped"] == {"vip": 3}


def test_yes_no_spellings_bools_and_numbers_give_the_same_curve():
    numbers = retention_curves(TINY, min_customers=1)
    for spelling in (["Yes", " y", "NO", "TRUE", "false"], [True, True, False, True, False], [1.0, 1.0, 0.0, 1.0, 0.0]):
        other = retention_curves(TINY.assign(churned=spelling), min_customers=1)
        assert other["retention"].to_numpy() == pytest.approx(numbers["retention"].to_numpy())


def test_sample_month_to_month_keeps_fewer_customers_at_12_months(by_contract, customers):
    # planted: a month-to-month contract raises the log-odds of churning, tenure lowers them
    assert CHURN_DRIVERS["contract_month_to_month"] > 0 and CHURN_DRIVERS["tenure_months"] < 0
    at12 = retention_summary(by_contract, at=[12]).set_index("segment")
    for longer in ("one_year", "two_year"):
        assert at12.loc["month-to-month", "ci_high"] < at12.loc[longer, "ci_low"]
    assert by_contract.attrs["median"]["month-to-month"] < by_contract.attrs["median"]["one_year"]
    assert by_contract.attrs["n"] == customers["contract"].value_counts().to_dict()


def test_sample_logrank_test_separates_the_contracts(customers):
    result = logrank_test(customers, "tenure_months", "churned", by="contract").iloc[0]
    assert result["p"] < 0.001
    assert result["degrees_of_freedom"] == 2
    assert result["segments"] == "month-to-month, one_year, two_year"
    assert result["n"] == len(customers)


def test_logrank_test_needs_two_segments():
    df = pd.DataFrame({"tenure_months": range(1, 13), "churned": [1, 0] * 6, "plan": ["basic"] * 12})
    with pytest.raises(CxDataError, match="'plan' has 1 segment"):
        logrank_test(df, by="plan")


# --- Cox model --------------------------------------------------------------------------------------------------

def test_cox_hazard_ratios_match_r_on_the_rossi_data():
    from lifelines.datasets import load_rossi

    # R: library(survival); library(carData)
    #    coxph(Surv(week, arrest) ~ fin + age + race + wexp + mar + paro + prio, data = Rossi)
    # (Efron ties; Fox & Weisberg, "Cox Proportional-Hazards Regression for Survival Data in R")
    r_coef = {"fin": -0.3794, "age": -0.0574, "race": 0.3139, "wexp": -0.1498, "mar": -0.4337, "paro": -0.0849,
              "prio": 0.0915}
    hr = hazard_ratios(load_rossi(), "week", "arrest", list(r_coef)).set_index("feature")
    for feature, coef in r_coef.items():
        assert hr.loc[feature, "coef"] == pytest.approx(coef, abs=1e-3)
        assert hr.loc[feature, "hazard_ratio"] == pytest.approx(math.exp(coef), abs=1e-3)   # exp(coef)
        assert hr.loc[feature, "ci_low"] < hr.loc[feature, "hazard_ratio"] < hr.loc[feature, "ci_high"]
    # R's summary() of that fit: "Concordance= 0.64"
    assert round(hr.attrs["concordance"], 2) == 0.64
    assert hr.attrs["n_used"] == 432 and hr.attrs["n_events"] == 114
    assert hr.index.tolist()[0] == "mar"                 # sorted by |log HR|


def test_sample_hazard_ratios_find_the_planted_drivers(sample_hazards, customers):
    hr = sample_hazards.set_index("feature")
    # contract: month-to-month (the first level, the reference) raises the risk, so the others lower it
    for longer in ("contract=one_year", "contract=two_year"):
        assert hr.loc[longer, "reference"] == "month-to-month"
        assert hr.loc[longer, "ci_high"] < 1
    for feature in ("rude_staff_complaints", "first_contact_resolution"):
        assert np.sign(np.log(hr.loc[feature, "hazard_ratio"])) == np.sign(CHURN_DRIVERS[feature])
        assert hr.loc[feature, "p"] < 0.001
    assert hr.loc["first_contact_resolution", "reference"] == "no"     # yes/no text parsed to 1/0
    assert (hr.filter(like="favourite_color=", axis=0)["p"] > 0.01).all()   # planted noise
    assert sample_hazards.attrs["n_dropped"] == customers["last_nps"].isna().sum()
    assert sample_hazards["ph_p"].between(0, 1).all()


def test_reference_level_can_be_chosen_and_inverts_the_ratio():
    df = churn_table().assign(group=lambda d: np.where(d["x"] == 1, "fast", "slow"))
    default = hazard_ratios(df, covariates=["group"], check_ph=False).iloc[0]
    assert (default["feature"], default["reference"]) == ("group=slow", "fast")   # first level in sorted order
    chosen = hazard_ratios(df, covariates=["group"], reference={"group": "slow"}, check_ph=False).iloc[0]
    assert (chosen["feature"], chosen["reference"]) == ("group=fast", "slow")
    assert chosen["hazard_ratio"] == pytest.approx(1 / default["hazard_ratio"], rel=1e-6)
    assert 1.5 < chosen["hazard_ratio"] < 2.7            # planted: twice the monthly hazard


def test_yes_no_text_covariate_gives_the_same_ratio_as_0_1():
    df = churn_table()
    numeric = hazard_ratios(df, covariates=["x"], check_ph=False).iloc[0]
    text = hazard_ratios(df.assign(x=df["x"].map({1: "Yes", 0: "no"})), covariates=["x"], check_ph=False).iloc[0]
    assert text["hazard_ratio"] == pytest.approx(numeric["hazard_ratio"])
    assert (numeric["reference"], text["reference"]) == ("per +1", "no")


def test_constant_covariate_is_dropped_with_a_note():
    hr = hazard_ratios(churn_table().assign(country="MD"), covariates=["x", "country"], check_ph=False)
    assert hr["feature"].tolist() == ["x"]
    assert "constant" in hr.attrs["dropped_features"]["country"]


def test_identifier_columns_are_left_out_of_the_default_covariates():
    df = churn_table().assign(customer_id=lambda d: [f"c{i:04d}" for i in range(len(d))])
    hr = hazard_ratios(df, check_ph=False)
    assert set(hr["feature"]) == {"x", "noise"}
    assert "customer_id" in hr.attrs["dropped_features"]


def test_collinear_covariates_are_named_with_the_penalizer_hint():
    df = churn_table().assign(x2=lambda d: 2 * d["x"])
    with pytest.raises(CxDataError, match=r"column 'x, x2' are perfectly collinear.*penalizer > 0"):
        hazard_ratios(df, covariates=["x", "x2", "noise"])
    assert len(hazard_ratios(df, covariates=["x", "x2"], penalizer=0.1, check_ph=False)) == 2


def test_a_separating_covariate_is_an_error_with_the_penalizer_hint():
    df = churn_table().assign(left_flag=lambda d: d["churned"])
    with pytest.raises(CxDataError, match=r"'left_flag'.*separate.*penalizer > 0") as err:
        hazard_ratios(df, covariates=["x", "left_flag"], check_ph=False)
    assert err.value.reason == "separation"


# --- words and figures -------------------------------------------------------------------------------------------

def test_description_is_written_from_the_numbers(by_contract, sample_hazards):
    text = describe_retention(by_contract, sample_hazards)
    at12 = retention_summary(by_contract, at=[12]).set_index("segment")
    median = by_contract.attrs["median"]["month-to-month"]
    assert f"month-to-month {median:g} months" in text
    assert f"month-to-month {100 * at12.loc['month-to-month', 'retention']:.0f} %" in text
    top = sample_hazards.iloc[0]
    assert (f"{top['feature']} (vs {top['reference']}): {top['hazard_ratio']:.2f}x the monthly risk of leaving "
            f"(95 % CI {top['ci_low']:.2f}-{top['ci_high']:.2f})") in text
    assert "approximation" in text


def test_retention_chart_draws_a_band_and_a_step_line_per_segment(by_contract):
    fig = plots.retention_chart(by_contract, "Retention")
    assert len(fig.data) == 3 * 3
    low, high, line = fig.data[:3]
    assert (low.fill, high.fill, line.fill) == (None, "tonexty", None)
    assert high.fillcolor == "rgba(0,114,178,0.18)"     # PALETTE[0], transparent
    assert {t.line.shape for t in fig.data} == {"hv"}
    assert list(fig.layout.yaxis.range) == [0, 1.02] and fig.layout.yaxis.tickformat == ".0%"
    assert fig.layout.xaxis.title.text == "months since joining"


def test_hazard_ratio_chart_is_a_log_scale_forest_plot(sample_hazards):
    fig = plots.hazard_ratio_chart(sample_hazards, "Drivers")
    assert fig.layout.xaxis.type == "log"
    assert fig.layout.shapes[0].x0 == 1 and fig.layout.shapes[0].line.dash == "dash"
    colour = dict(zip(sample_hazards["feature"], fig.data[0].marker.color))
    assert colour["contract=two_year"] == plots.POSITIVE and colour["rude_staff_complaints"] == plots.NEGATIVE
    assert list(fig.data[0].error_x.arrayminus) == pytest.approx(
        (sample_hazards["hazard_ratio"] - sample_hazards["ci_low"]).tolist())


# --- bad inputs ---------------------------------------------------------------------------------------------------

def test_missing_duration_column_names_the_file_and_column():
    df = TINY.drop(columns="tenure_months")
    df.attrs["source"] = "crm_export.csv"
    with pytest.raises(CxDataError, match=r"^crm_export\.csv: column 'tenure_months' is missing") as err:
        retention_curves(df)
    assert err.value.reason == "missing_column"
    with pytest.raises(CxDataError, match="column 'churned' is missing"):
        hazard_ratios(TINY.drop(columns="churned"))


def test_negative_durations_name_the_column_and_rows():
    df = TINY.assign(tenure_months=[1, -2, 2, 3, -1])
    with pytest.raises(CxDataError, match=r"column 'tenure_months' has negative durations in rows 2, 5"):
        retention_curves(df, min_customers=1)


def test_no_churners_is_an_error_naming_the_event_column():
    with pytest.raises(CxDataError, match="column 'churned' has no churners") as err:
        retention_curves(TINY.assign(churned="no"), min_customers=1)
    assert err.value.reason == "one_class"


def test_unknown_yes_no_spellings_are_listed():
    df = TINY.assign(churned=["yes", "maybe", "no", "Left?", "no"])
    with pytest.raises(CxDataError, match=r"'churned' has answers that are not yes/no in rows 2, 4 \(e\.g\. 'left\?', "
                                          r"'maybe'\)"):
        retention_curves(df, min_customers=1)


def test_event_numbers_other_than_0_and_1_are_named():
    with pytest.raises(CxDataError, match=r"'churned' has numbers other than 0 and 1 in row 3 \(e\.g\. 2\)"):
        retention_curves(TINY.assign(churned=[1, 0, 2, 1, 0]), min_customers=1)


def test_bad_parameters_are_named():
    with pytest.raises(CxParameterError, match="'ci' parameter of survival.retention_curves"):
        retention_curves(TINY, ci=95)
    with pytest.raises(CxParameterError, match="'at' parameter of survival.retention_summary"):
        retention_summary(retention_curves(TINY, min_customers=1), at=[-1])
    with pytest.raises(CxParameterError, match="'reference' parameter"):
        hazard_ratios(churn_table().assign(g=lambda d: np.where(d["x"] == 1, "a", "b")), covariates=["g"],
                      reference={"g": "c"})


def test_importing_cxlib_survival_does_not_import_lifelines():
    code = "import sys, cxlib, cxlib.survival, cxlib.plots; print('lifelines' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "False"
