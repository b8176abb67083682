"""cxlib.retention: campaign profit, EMP and the Pareto view, checked against small cases computed by hand.

The hand example used throughout (offer cost d = 10, acceptance rate gamma = 0.5, contact cost f = 0):

    customer  probability  churned  value   expected profit if contacted         realised profit if contacted
    A         0.9          1        100     0.5*0.9*100 - 10*(0.45+0.10) = 39.5  0.5*(100-10)      = 45
    B         0.6          0        200     0.5*0.6*200 - 10*(0.30+0.40) = 53.0  -10 (a giveaway)  = -10
    C         0.3          1         50     0.5*0.3*50  - 10*(0.15+0.70) = -1.0  0.5*(50-10)       = 20
    D         0.1          0        100     0.5*0.1*100 - 10*(0.05+0.90) = -4.5  -10               = -10

Contacting the customers at or above each threshold adds these up from the top: expected 0, 39.5, 92.5,
91.5, 87 and realised 0, 45, 35, 55, 45 (nobody, >= 0.9, >= 0.6, >= 0.3, everyone).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin

from cxlib import retention
from cxlib.errors import CxDataError, CxParameterError
from cxlib.retention import (best_threshold, customer_value, describe_economics, emp, expected_profit,
                             profit_curve, value_at_risk)

P = [0.9, 0.6, 0.3, 0.1]
Y = [1, 0, 1, 0]
VALUE = [100.0, 200.0, 50.0, 100.0]
COSTS = {"offer_cost": 10.0, "acceptance_rate": 0.5}
EXPECTED = [0.0, 39.5, 92.5, 91.5, 87.0]       # nobody, >= 0.9, >= 0.6, >= 0.3, everyone
REALISED = [0.0, 45.0, 35.0, 55.0, 45.0]


def curve_for_hand_example() -> pd.DataFrame:
    return profit_curve(P, VALUE, y_true=Y, **COSTS)


# --- defaults ----------------------------------------------------------------------------------------------------

def test_defaults_are_the_documented_assumptions():
    assert retention.ACQUISITION_COST_MULTIPLE == 5.0      # DOMAIN.md 2.6 gives no ratio: labelled assumption
    assert retention.DEFAULT_ACCEPTANCE_RATE == 0.30        # mean of Verbraken et al.'s Beta(6, 14)
    assert retention.DEFAULT_OFFER_COST == 10.0             # Verbraken et al.'s d
    assert retention.LOYAL_CORE_SHARE == 0.20               # DOMAIN.md 2.6, Pareto's 20 %


# --- customer_value ----------------------------------------------------------------------------------------------

def test_customer_value_is_monthly_revenue_times_expected_months_and_reads_numbers_stored_as_text():
    customers = pd.DataFrame({"monthly_revenue": ["29.90", "50", 70.0]}, index=[10, 11, 12])
    value = customer_value(customers, expected_months=24)
    assert value.name == "customer_value"
    assert value.index.tolist() == [10, 11, 12]
    assert value.tolist() == pytest.approx([29.9 * 24, 50 * 24, 70 * 24])
    assert value.attrs["blanks_filled"] == 0 and value.attrs["notes"] == []


def test_customer_value_fills_blanks_with_the_median_and_counts_them():
    customers = pd.DataFrame({"monthly_revenue": [10.0, None, " ", 30.0, 20.0]}, dtype=object)
    value = customer_value(customers, expected_months=2)
    assert value.tolist() == [20.0, 40.0, 40.0, 60.0, 40.0]    # median of 10, 30, 20 is 20
    assert value.attrs["blanks_filled"] == 2
    assert value.attrs["fill_value"] == 40.0
    assert "2 blank" in value.attrs["notes"][0]


def test_customer_value_uses_a_value_column_as_is():
    customers = pd.DataFrame({"clv": [1000, 250], "monthly_revenue": [1, 1]})
    value = customer_value(customers, value_column="clv", expected_months=99)
    assert value.tolist() == [1000.0, 250.0]
    assert value.attrs["expected_months"] is None


def test_customer_value_does_not_change_its_input():
    customers = pd.DataFrame({"monthly_revenue": ["10", " ", "30"]})
    before = customers.copy()
    customer_value(customers)
    pd.testing.assert_frame_equal(customers, before)


def test_customer_value_names_a_missing_column():
    with pytest.raises(CxDataError, match="column 'monthly_revenue' is missing"):
        customer_value(pd.DataFrame({"revenue": [1, 2]}))


def test_customer_value_names_the_rows_that_are_not_numbers():
    customers = pd.DataFrame({"monthly_revenue": ["10", "$20", "30", "n/a"]})
    with pytest.raises(CxDataError, match=r"'monthly_revenue' has values that are not numbers in rows 2, 4"):
        customer_value(customers)


def test_customer_value_rejects_negative_revenue_and_an_all_blank_column():
    with pytest.raises(CxDataError, match="negative values in row 2"):
        customer_value(pd.DataFrame({"monthly_revenue": [10, -5]}))
    with pytest.raises(CxDataError, match="blank in every row"):
        customer_value(pd.DataFrame({"monthly_revenue": [None, " "]}, dtype=object))


@pytest.mark.parametrize("months", [0, -3, float("nan"), "24", True])
def test_customer_value_rejects_expected_months_that_are_not_positive_numbers(months):
    with pytest.raises(CxParameterError, match="'expected_months' parameter of retention.customer_value"):
        customer_value(pd.DataFrame({"monthly_revenue": [10]}), expected_months=months)


# --- expected_profit ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("threshold, expected, realised", [
    (math.inf, 0.0, 0.0), (0.95, 0.0, 0.0), (0.9, 39.5, 45.0), (0.6, 92.5, 35.0), (0.5, 92.5, 35.0),
    (0.3, 91.5, 55.0), (0.1, 87.0, 45.0), (0.0, 87.0, 45.0),
])
def test_expected_and_realised_profit_match_the_hand_computed_example(threshold, expected, realised):
    assert expected_profit(None, P, VALUE, threshold=threshold, **COSTS) == pytest.approx(expected)
    assert expected_profit(Y, P, VALUE, threshold=threshold, **COSTS) == pytest.approx(realised)


def test_a_contacted_churner_is_worth_gamma_times_value_minus_offer_less_the_contact_cost():
    # one churner, value 200, d = 10, f = 1, gamma = 0.3: Verbraken's benefit 0.3 * (200 - 10) - 1 = 56
    assert expected_profit([1], [0.8], 200, offer_cost=10, acceptance_rate=0.3, threshold=0.5,
                           contact_cost=1) == pytest.approx(56.0)
    # one non-churner: the offer is a giveaway and the contact is paid: -(10 + 1)
    assert expected_profit([0], [0.8], 200, offer_cost=10, acceptance_rate=0.3, threshold=0.5,
                           contact_cost=1) == pytest.approx(-11.0)


def test_a_churner_who_declines_costs_only_the_contact():
    # acceptance 0.25: 1/4 of the time +(100 - 20), 3/4 of the time -5 (the contact only)
    profit = expected_profit([1], [0.9], 100, offer_cost=20, acceptance_rate=0.25, threshold=0.5, contact_cost=5)
    assert profit == pytest.approx(0.25 * (100 - 20 - 5) + 0.75 * -5)


def test_one_value_for_everyone_equals_the_same_value_repeated():
    assert expected_profit(Y, P, 120.0, threshold=0.3, **COSTS) == pytest.approx(
        expected_profit(Y, P, [120.0] * 4, threshold=0.3, **COSTS))


def test_expected_profit_accepts_series_and_boolean_outcomes():
    profit = expected_profit(pd.Series([True, False, True, False]), pd.Series(P), np.array(VALUE), threshold=0.3,
                             **COSTS)
    assert profit == pytest.approx(55.0)


# --- profit_curve ------------------------------------------------------------------------------------------------

def test_profit_curve_has_one_row_per_distinct_probability_between_the_two_baselines():
    curve = curve_for_hand_example()
    assert curve.columns.tolist() == ["policy", "threshold", "contacted", "contacted_share", "expected_kept",
                                      "expected_cost", "expected_profit", "realised_kept", "realised_cost",
                                      "realised_profit"]
    assert curve["policy"].tolist() == ["call nobody"] + ["threshold"] * 4 + ["call everyone"]
    assert curve["threshold"].tolist() == [math.inf, 0.9, 0.6, 0.3, 0.1, 0.0]
    assert curve["contacted"].tolist() == [0, 1, 2, 3, 4, 4]
    assert curve["contacted_share"].tolist() == [0.0, 0.25, 0.5, 0.75, 1.0, 1.0]


def test_profit_curve_expected_and_realised_profit_match_the_hand_example():
    curve = curve_for_hand_example()
    assert curve["expected_profit"].tolist() == pytest.approx(EXPECTED[:5] + [EXPECTED[-1]])
    assert curve["realised_profit"].tolist() == pytest.approx(REALISED[:5] + [REALISED[-1]])


def test_profit_curve_kept_and_cost_add_up_to_the_profit():
    curve = curve_for_hand_example()
    # kept: gamma * sum of probabilities (expected) or of churners (realised) among those contacted
    assert curve["expected_kept"].tolist() == pytest.approx([0, 0.45, 0.75, 0.9, 0.95, 0.95])
    assert curve["realised_kept"].tolist() == pytest.approx([0, 0.5, 0.5, 1.0, 1.0, 1.0])
    # cost: d * (kept churners + non-churners): A 5.5 / 5, B 7 / 10, C 8.5 / 5, D 9.5 / 10
    assert curve["expected_cost"].tolist() == pytest.approx([0, 5.5, 12.5, 21.0, 30.5, 30.5])
    assert curve["realised_cost"].tolist() == pytest.approx([0, 5.0, 15.0, 20.0, 30.0, 30.0])


def test_call_nobody_is_zero_and_call_everyone_is_the_sum_over_all_customers():
    curve = curve_for_hand_example()
    nobody = curve[curve["policy"] == "call nobody"].iloc[0]
    everyone = curve[curve["policy"] == "call everyone"].iloc[0]
    assert nobody["expected_profit"] == 0 and nobody["realised_profit"] == 0 and nobody["contacted"] == 0
    assert everyone["expected_profit"] == pytest.approx(39.5 + 53 - 1 - 4.5)
    assert everyone["realised_profit"] == pytest.approx(45 - 10 + 20 - 10)
    assert everyone["contacted"] == 4


def test_profit_curve_without_outcomes_has_only_the_expected_view():
    curve = profit_curve(P, VALUE, **COSTS)
    assert "realised_profit" not in curve.columns
    assert curve["expected_profit"].tolist() == pytest.approx([0, 39.5, 92.5, 91.5, 87.0, 87.0])


def test_profit_curve_on_given_thresholds_contacts_those_at_or_above_each():
    curve = profit_curve(P, VALUE, y_true=Y, thresholds=[0.0, 0.5, 0.6, 1.0], **COSTS)
    assert curve["threshold"].tolist() == [math.inf, 1.0, 0.6, 0.5, 0.0]    # 0 is the call-everyone row
    assert curve["contacted"].tolist() == [0, 0, 2, 2, 4]
    assert curve["realised_profit"].tolist() == pytest.approx([0, 0, 35, 35, 45])


def test_tied_probabilities_are_contacted_together():
    curve = profit_curve([0.5, 0.5, 0.2], [100, 100, 100], y_true=[1, 0, 0], **COSTS)
    assert curve["contacted"].tolist() == [0, 2, 3, 3]
    assert curve["realised_profit"].tolist() == pytest.approx([0, 45 - 10, 45 - 20, 45 - 20])


def test_profit_curve_rows_agree_with_expected_profit():
    rng = np.random.default_rng(3)
    p, v, y = rng.random(50), rng.gamma(2, 300, 50), rng.integers(0, 2, 50)
    curve = profit_curve(p, v, y_true=y, offer_cost=25, acceptance_rate=0.4, contact_cost=2)
    for row in curve.iloc[[0, 7, 20, -1]].itertuples():
        assert row.expected_profit == pytest.approx(expected_profit(None, p, v, 25, 0.4, row.threshold,
                                                                    contact_cost=2))
        assert row.realised_profit == pytest.approx(expected_profit(y, p, v, 25, 0.4, row.threshold,
                                                                    contact_cost=2))


# --- best_threshold ----------------------------------------------------------------------------------------------

def test_best_threshold_picks_the_maximum_of_the_realised_profit_in_a_back_test():
    best = best_threshold(curve_for_hand_example())
    assert best["view"] == "realised"
    assert (best["policy"], best["threshold"], best["contacted"], best["profit"]) == ("threshold", 0.3, 3, 55.0)
    assert best["vs_call_nobody"] == 55.0
    assert best["call_everyone_profit"] == pytest.approx(45.0)
    assert best["vs_call_everyone"] == pytest.approx(10.0)
    assert (best["kept"], best["cost"], best["customers"]) == (1.0, 20.0, 4)


def test_best_threshold_on_the_expected_view():
    best = best_threshold(curve_for_hand_example(), profit="expected_profit")
    assert (best["threshold"], best["contacted"], best["view"]) == (0.6, 2, "expected")
    assert best["profit"] == pytest.approx(92.5)
    assert best["vs_call_everyone"] == pytest.approx(92.5 - 87.0)


def test_best_threshold_is_call_nobody_when_every_campaign_loses_money():
    # offers cost more than the customers are worth
    best = best_threshold(profit_curve(P, [5, 5, 5, 5], offer_cost=50, acceptance_rate=0.5, y_true=Y))
    assert best["policy"] == "call nobody" and best["contacted"] == 0 and best["profit"] == 0
    assert best["threshold"] == math.inf
    assert best["vs_call_everyone"] > 0


def test_best_threshold_names_call_everyone_when_contacting_all_is_best():
    best = best_threshold(profit_curve(P, [100, 200, 50, 400], **COSTS))   # D's value makes everyone worth it
    assert best["policy"] == "call everyone" and best["contacted"] == 4
    assert best["profit"] == pytest.approx(39.5 + 53 - 1 + 10.5)
    assert best["vs_call_everyone"] == 0


def test_best_threshold_prefers_fewer_contacts_on_equal_profit():
    # the non-churner in the middle costs nothing (offer 0), so contacting 1 or 2 earns the same
    curve = profit_curve([0.9, 0.5, 0.1], [100, 100, 100], offer_cost=0, acceptance_rate=1.0, y_true=[1, 0, 0])
    best = best_threshold(curve)
    assert (best["contacted"], best["threshold"], best["profit"]) == (1, 0.9, 100.0)


def test_best_threshold_rejects_what_is_not_a_profit_curve():
    with pytest.raises(CxParameterError, match="'curve' parameter of retention.best_threshold"):
        best_threshold(pd.DataFrame({"threshold": [0.5]}))
    with pytest.raises(CxParameterError, match="'profit' parameter"):
        best_threshold(profit_curve(P, VALUE, **COSTS), profit="realised_profit")


# --- emp ---------------------------------------------------------------------------------------------------------

def test_emp_of_the_hand_example_is_the_best_realised_profit_per_customer():
    assert emp(Y, P, VALUE, **COSTS) == pytest.approx(55.0 / 4)


def test_emp_matches_the_published_maximum_profit_measure():
    # empulse.metrics.mpc_score([0, 1, 0, 1, 0, 1, 0, 1], [0.1, 0.2, 0.3, 0.4, 0.5, 0.7, 0.8, 0.9],
    #                           accept_rate=0.3, clv=200, incentive_cost=10, contact_cost=1) -> 23.874999999999996
    # (Verbraken et al. 2013 MPC: churner 0.3 * (200 - 10) - 1 = 56, non-churner -11; best: the top 7 of 8)
    y = [0, 1, 0, 1, 0, 1, 0, 1]
    score = [0.1, 0.2, 0.3, 0.4, 0.5, 0.7, 0.8, 0.9]
    assert emp(y, score, 200, offer_cost=10, acceptance_rate=0.3, contact_cost=1) == pytest.approx(23.875)


@pytest.mark.parametrize("seed", range(10))
def test_emp_equals_the_maximum_over_thresholds_of_realised_profit_per_customer(seed):
    rng = np.random.default_rng(seed)
    n = 300
    p = np.round(rng.random(n), 2)            # rounding makes ties, contacted together
    y = (rng.random(n) < p).astype(int)
    v = rng.gamma(2.0, 400.0, n)
    curve = profit_curve(p, v, offer_cost=30, acceptance_rate=0.3, y_true=y, contact_cost=2)
    assert emp(y, p, v, offer_cost=30, acceptance_rate=0.3, contact_cost=2) == pytest.approx(
        curve["realised_profit"].max() / n)


@pytest.mark.parametrize("seed", range(10))
def test_a_perfect_model_earns_at_least_as_much_as_a_random_one(seed):
    rng = np.random.default_rng(seed)
    n = 1000
    y = (rng.random(n) < 0.2).astype(int)
    v = rng.gamma(2.0, 500.0, n)
    perfect, random = y.astype(float), rng.random(n)
    assert emp(y, perfect, v) >= emp(y, random, v)
    assert emp(y, perfect, v) > 0


def test_emp_is_never_negative_because_calling_nobody_is_allowed():
    assert emp(Y, P, 1.0, offer_cost=100, acceptance_rate=0.1) == 0.0


def test_emp_needs_outcomes():
    with pytest.raises(CxParameterError, match="'y_true' parameter of retention.emp"):
        emp(None, P, VALUE)


# --- value_at_risk -----------------------------------------------------------------------------------------------

def test_value_at_risk_shares_on_a_hand_example():
    # values 500, 100, 200, 100, 100 (total 1000); top 20 % = 1 customer, the 500 one
    # expected loss: 0.1*500 = 50 vs 0.5*100 + 0.2*200 + 0.4*100 + 0.3*100 = 160; total 210
    risk = pd.DataFrame({"churn_probability": [0.1, 0.5, 0.2, 0.4, 0.3],
                         "customer_value": [500, 100, 200, 100, 100]})
    var = value_at_risk(risk)
    assert var.columns.tolist() == ["group", "customers", "value", "value_share", "expected_loss",
                                    "expected_loss_share", "mean_churn_probability"]
    assert var["group"].tolist() == ["top 20 % by value", "other 80 %"]
    assert var["customers"].tolist() == [1, 4]
    assert var["value_share"].tolist() == pytest.approx([0.5, 0.5])
    assert var["expected_loss"].tolist() == pytest.approx([50.0, 160.0])
    assert var["expected_loss_share"].tolist() == pytest.approx([50 / 210, 160 / 210])
    assert var["mean_churn_probability"].tolist() == pytest.approx([0.1, 0.35])
    assert var.attrs["value_cutoff"] == 500.0 and var.attrs["total_value"] == 1000.0


def test_value_at_risk_takes_arrays_and_rounds_the_top_group_up():
    # 10 customers -> top 2; 4 customers -> 0.8 rounds up to 1
    v = np.arange(10, 0, -1) * 10.0                # 100, 90, ..., 10 (total 550)
    var = value_at_risk(None, np.full(10, 0.5), v)
    assert var["customers"].tolist() == [2, 8]
    assert var["value_share"].iloc[0] == pytest.approx(190 / 550)
    assert value_at_risk(None, [0.1] * 4, [4, 3, 2, 1])["customers"].tolist() == [1, 3]
    assert value_at_risk(None, [0.1] * 15, [1.0] * 15)["customers"].tolist() == [3, 12]   # 0.2 * 15 = 3


def test_value_at_risk_with_another_top_share_labels_the_groups():
    var = value_at_risk(None, [0.2, 0.2, 0.2, 0.2], [40, 30, 20, 10], top_share=0.5)
    assert var["group"].tolist() == ["top 50 % by value", "other 50 %"]
    assert var["value_share"].tolist() == pytest.approx([0.7, 0.3])


def test_value_at_risk_with_nothing_at_risk_has_no_loss_share():
    var = value_at_risk(None, [0.0, 0.0], [10, 20])
    assert var["expected_loss"].tolist() == [0.0, 0.0]
    assert var["expected_loss_share"].isna().all()


def test_value_at_risk_does_not_change_its_input():
    risk = pd.DataFrame({"churn_probability": [0.3, 0.1], "customer_value": [5, 50]})
    before = risk.copy()
    value_at_risk(risk)
    pd.testing.assert_frame_equal(risk, before)


def test_value_at_risk_names_a_missing_column_and_bad_values():
    with pytest.raises(CxDataError, match="column 'customer_value' is missing"):
        value_at_risk(pd.DataFrame({"churn_probability": [0.1]}))
    with pytest.raises(CxParameterError, match="'value' parameter of retention.value_at_risk must be customer "
                                               "values >= 0"):
        value_at_risk(None, [0.1, 0.2], [10, -1])
    with pytest.raises(CxParameterError, match="'probability' parameter"):
        value_at_risk(None, [0.1, 1.2], [10, 1])
    with pytest.raises(CxParameterError, match="'value' parameter"):
        value_at_risk(None, [0.1, 0.2], [0, 0])


@pytest.mark.parametrize("share", [0, 1, -0.2, 1.5, "20 %"])
def test_value_at_risk_rejects_a_top_share_outside_0_1(share):
    with pytest.raises(CxParameterError, match="'top_share' parameter"):
        value_at_risk(None, [0.1, 0.2], [1, 2], top_share=share)


# --- describe_economics ------------------------------------------------------------------------------------------

def test_describe_economics_writes_the_numbers_of_the_best_campaign():
    best = best_threshold(curve_for_hand_example())
    text = describe_economics(best, acquisition_multiple=4)
    assert "Calling the 3 customers (75 % of 4) with a churn probability of 0.30 or more" in text
    assert "would have saved 55 net of offer costs" in text and "back-test" in text
    assert "against 45 for calling everyone and 0 for calling nobody" in text
    # cost 20 to keep 1 customer: 20 per customer kept; a new one costs 4 times more: 80 to replace
    assert "spends 20 on offers and contacts to keep 1 customer who" in text
    assert "20 per customer kept" in text
    assert "about 4 times more" in text and "would cost about 80" in text


def test_describe_economics_says_so_when_no_campaign_pays():
    best = best_threshold(profit_curve(P, [5, 5, 5, 5], offer_cost=50, acceptance_rate=0.5))
    text = describe_economics(best)
    assert "No campaign pays" in text
    assert "calling everyone comes to -" in text


def test_describe_economics_adds_the_pareto_view():
    var = value_at_risk(None, [0.1, 0.5, 0.2, 0.4, 0.3], [500, 100, 200, 100, 100])
    text = describe_economics(best_threshold(curve_for_hand_example()), var)
    assert "The top 20 % of customers by value (1 customer) hold 50 % of the value and 24 %" in text
    assert "mean churn probability 0.10, against 0.35 for the other 80 %" in text
    assert "4.0 times as much" in text     # 500 per top customer vs 125 per other customer


def test_describe_economics_rejects_bad_inputs():
    best = best_threshold(curve_for_hand_example())
    with pytest.raises(CxParameterError, match="'best' parameter"):
        describe_economics({"threshold": 0.3})
    with pytest.raises(CxParameterError, match="'acquisition_multiple' parameter"):
        describe_economics(best, acquisition_multiple=0)
    with pytest.raises(CxParameterError, match="'var' parameter"):
        describe_economics(best, pd.DataFrame({"group": ["x"]}))


# --- bad inputs, named -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("probability", [[0.9, 0.6, 0.3, 1.1], [0.9, -0.1, 0.3, 0.1], [0.9, np.nan, 0.3, 0.1],
                                         [0.9, "high", 0.3, 0.1], 0.5, []])
def test_probabilities_must_be_between_0_and_1(probability):
    with pytest.raises(CxParameterError, match="'probability' parameter of retention.profit_curve"):
        profit_curve(probability, 100, **COSTS)


def test_a_bad_probability_is_located():
    with pytest.raises(CxParameterError, match=r"Got 1\.1 instead\. .*positions 4"):
        expected_profit(None, [0.9, 0.6, 0.3, 1.1], VALUE, **COSTS)


@pytest.mark.parametrize("name, bad", [("offer_cost", -1), ("offer_cost", float("nan")), ("contact_cost", -0.5),
                                       ("offer_cost", "10")])
def test_costs_must_not_be_negative(name, bad):
    kwargs = {**COSTS, name: bad}
    for call in (lambda: expected_profit(Y, P, VALUE, **kwargs), lambda: profit_curve(P, VALUE, **kwargs),
                 lambda: emp(Y, P, VALUE, **kwargs)):
        with pytest.raises(CxParameterError, match=f"'{name}' parameter"):
            call()


@pytest.mark.parametrize("rate", [0, -0.1, 1.01, float("nan"), True])
def test_acceptance_rate_must_be_in_0_exclusive_to_1(rate):
    with pytest.raises(CxParameterError, match="'acceptance_rate' parameter .* must be a share in \\(0, 1\\]"):
        profit_curve(P, VALUE, offer_cost=10, acceptance_rate=rate)


def test_an_acceptance_rate_of_1_is_allowed():
    assert expected_profit([1], [0.9], 100, offer_cost=10, acceptance_rate=1.0, threshold=0.5) == 90.0


def test_length_mismatches_name_the_parameter():
    with pytest.raises(CxParameterError, match="'value' parameter .* must be one number or 4 values .* Got '3 "
                                               "values'"):
        profit_curve(P, [1, 2, 3], **COSTS)
    with pytest.raises(CxParameterError, match="'y_true' parameter .* must be 4 outcomes"):
        profit_curve(P, VALUE, y_true=[1, 0], **COSTS)
    with pytest.raises(CxParameterError, match="'y_true' parameter of retention.emp"):
        emp([1, 0, 1], P, VALUE)


def test_outcomes_must_be_0_or_1_and_values_finite():
    with pytest.raises(CxParameterError, match="'y_true' parameter .* 0/1"):
        expected_profit([1, 0, 2, 0], P, VALUE, **COSTS)
    with pytest.raises(CxParameterError, match="'value' parameter .* finite"):
        expected_profit(None, P, [1, np.nan, 3, 4], **COSTS)


def test_thresholds_must_be_probabilities():
    with pytest.raises(CxParameterError, match="'thresholds' parameter"):
        profit_curve(P, VALUE, thresholds=[0.5, 1.5], **COSTS)
    with pytest.raises(CxParameterError, match="'threshold' parameter"):
        expected_profit(None, P, VALUE, threshold=float("nan"), **COSTS)


def test_profit_functions_do_not_change_their_inputs():
    p, y, v = pd.Series(P), pd.Series(Y), pd.Series(VALUE)
    before = (p.copy(), y.copy(), v.copy())
    profit_curve(p, v, y_true=y, **COSTS)
    emp(y, p, v, **COSTS)
    for after, original in zip((p, y, v), before):
        pd.testing.assert_series_equal(after, original)


# --- a threshold chosen elsewhere, judged on these customers ---------------------------------------------------

@pytest.mark.parametrize("threshold, contacted, realised", [
    (0.95, 0, 0.0), (0.9, 1, 45.0), (0.7, 1, 45.0), (0.6, 2, 35.0), (0.25, 3, 55.0), (0.0, 4, 45.0)])
def test_threshold_policy_reads_the_realised_profit_of_those_at_or_above_it(threshold, contacted, realised):
    at = retention.threshold_policy(curve_for_hand_example(), threshold)
    assert (at["contacted"], at["profit"], at["threshold"], at["policy"]) == (contacted, realised, threshold,
                                                                              "threshold")
    assert at["vs_call_everyone"] == realised - 45.0 and at["customers"] == 4
    assert retention.threshold_policy(curve_for_hand_example(), threshold, "expected_profit")["profit"] == \
        EXPECTED[contacted]


def test_threshold_policy_needs_a_curve_over_every_probability():
    partial = profit_curve(P, VALUE, y_true=Y, thresholds=[0.5], **COSTS)
    with pytest.raises(CxParameterError, match="'curve' parameter"):
        retention.threshold_policy(partial, 0.3)
    with pytest.raises(CxParameterError, match="'threshold' parameter"):
        retention.threshold_policy(curve_for_hand_example(), -0.1)


def test_compare_policies_sets_the_chosen_threshold_beside_the_baselines_and_hindsight():
    table = retention.compare_policies(curve_for_hand_example(), 0.5, label="chosen by cross-validation")
    assert table["policy"].tolist() == ["chosen by cross-validation", "call nobody", "call everyone",
                                        "best in hindsight"]
    assert table["profit"].tolist() == [35.0, 0.0, 45.0, 55.0]
    # per customer, hindsight is the expected maximum profit
    assert table["profit_per_customer"].iloc[3] == emp(Y, P, VALUE, **COSTS)
    assert table.attrs["view"] == "realised"


def test_campaign_profit_is_the_realised_profit_per_customer_of_the_contacted():
    for threshold in (0.95, 0.9, 0.6, 0.3, 0.0):
        contacted = (np.array(P) >= threshold).astype(int)
        assert retention.campaign_profit(Y, contacted, VALUE, **COSTS) == pytest.approx(
            expected_profit(Y, P, VALUE, threshold=threshold, **COSTS) / 4)
    assert retention.campaign_profit(Y, [1, 1, 1, 1], 100.0, **COSTS) == pytest.approx((45 - 10 + 45 - 10) / 4)


class _Flags(ClassifierMixin, BaseEstimator):
    """A fitted 'classifier' whose prediction is column 0 of X (1 = contact)."""

    classes_ = np.array([0, 1])

    def predict(self, X):
        return np.asarray(X)[:, 0].astype(int)


def test_profit_scorer_passes_each_customers_value_by_metadata_routing():
    import sklearn

    X = np.array([[1], [1], [0], [0]])
    scorer = retention.profit_scorer(**COSTS)
    with sklearn.config_context(enable_metadata_routing=True):
        assert scorer(_Flags(), X, Y, value=VALUE) == pytest.approx(35.0 / 4)
    assert retention.profit_scorer(**COSTS, value=100.0)(_Flags(), X, Y) == pytest.approx((45 - 10) / 4)
    with pytest.raises(CxParameterError, match="'value' parameter"):
        retention.profit_scorer(value=-1)


def test_describe_economics_says_when_calling_everyone_would_have_earned_more():
    at = retention.threshold_policy(curve_for_hand_example(), 0.5)
    text = describe_economics(at, basis="on 4 held-out customers")
    assert "would have saved 35 net of offer costs (on 4 held-out customers)" in text
    assert "Calling everyone would have earned 10 more" in text
    nobody = describe_economics(retention.threshold_policy(curve_for_hand_example(), 0.99))
    assert "Nobody: no customer has a churn probability of 0.99 or more" in nobody
