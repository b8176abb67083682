"""cxlib.metrics churn-model checks (lift_table, top_decile_capture, calibration_table) and their charts
(cxlib.plots.gains_chart, calibration_chart).

Known answers: small cases computed by hand in the comments; calibration bins against
``sklearn.calibration.calibration_curve`` and the Brier score against ``sklearn.metrics.brier_score_loss``;
Wilson's score interval against R's ``prop.test(..., correct = FALSE)``. Statistical properties (a random
ranking has lift about 1, a calibrated model has ECE about 0) hold across seeds 0-9.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.calibration import calibration_curve
from sklearn.metrics import brier_score_loss

from cxlib import plots
from cxlib.errors import CxParameterError
from cxlib.metrics import calibration_table, lift_table, top_decile_capture

SEEDS = range(10)

# 10 customers, already in descending order of risk; 4 churners (overall rate 0.4)
Y10 = [1, 1, 0, 1, 0, 0, 1, 0, 0, 0]
P10 = [.9, .8, .7, .6, .5, .4, .3, .2, .1, .05]

LIFT_COLUMNS = ["decile", "min_probability", "max_probability", "customers", "churners", "churn_rate", "lift",
                "cumulative_share_of_customers", "cumulative_gain", "cumulative_lift"]
CALIBRATION_COLUMNS = ["bin", "bin_low", "bin_high", "mean_predicted", "observed_rate", "ci_low", "ci_high", "n"]


def random_model(seed: int, n: int, rate: float = 0.2) -> tuple[np.ndarray, np.ndarray]:
    """Outcomes with the given churn rate and probabilities that know nothing about them."""
    rng = np.random.default_rng(seed)
    return (rng.random(n) < rate).astype(int), rng.random(n)


def calibrated_model(seed: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Probabilities uniform on 0-1 and each outcome drawn with exactly that probability."""
    rng = np.random.default_rng(seed)
    p = rng.random(n)
    return (rng.random(n) < p).astype(int), p


# --- lift_table ----------------------------------------------------------------------------------------------------

def test_lift_table_has_the_documented_columns_in_order():
    assert list(lift_table(Y10, P10).columns) == LIFT_COLUMNS


def test_lift_table_of_ten_customers_in_ten_deciles_puts_one_customer_per_decile_by_descending_risk():
    # shuffled input: the table must follow the probabilities, not the row order
    order = [3, 7, 0, 9, 5, 1, 8, 2, 6, 4]
    t = lift_table([Y10[i] for i in order], [P10[i] for i in order])
    assert t["decile"].tolist() == list(range(1, 11))
    assert t["customers"].tolist() == [1] * 10
    assert t["max_probability"].tolist() == P10
    assert t["churners"].tolist() == Y10
    # a churner alone in a decile: rate 1 / overall 0.4 = 2.5
    assert t["lift"].tolist() == pytest.approx([2.5 * v for v in Y10])
    assert t["cumulative_gain"].tolist() == pytest.approx([.25, .5, .5, .75, .75, .75, 1, 1, 1, 1])


def test_lift_table_in_five_groups_matches_the_hand_computed_values():
    # groups of two: churners 2, 1, 0, 1, 0 of 4; overall rate 0.4
    t = lift_table(Y10, P10, bins=5)
    assert t["customers"].tolist() == [2] * 5
    assert t["churners"].tolist() == [2, 1, 0, 1, 0]
    assert t["churn_rate"].tolist() == pytest.approx([1, .5, 0, .5, 0])
    assert t["lift"].tolist() == pytest.approx([2.5, 1.25, 0, 1.25, 0])
    assert t["cumulative_share_of_customers"].tolist() == pytest.approx([.2, .4, .6, .8, 1])
    assert t["cumulative_gain"].tolist() == pytest.approx([.5, .75, .75, 1, 1])
    # cumulative rate / 0.4: 2/2, 3/4, 3/6, 4/8, 4/10
    assert t["cumulative_lift"].tolist() == pytest.approx([2.5, 1.875, 1.25, 1.25, 1])
    assert t["max_probability"].tolist() == [.9, .7, .5, .3, .1]
    assert t["min_probability"].tolist() == [.8, .6, .4, .2, .05]
    assert t.attrs["churn_rate"] == pytest.approx(.4)


def test_lift_table_gives_the_extra_customers_to_the_first_groups_when_the_count_does_not_divide():
    y, p = random_model(0, 15, rate=.4)
    y[:2] = [0, 1]
    t = lift_table(y, p)
    assert t["customers"].tolist() == [2] * 5 + [1] * 5
    assert t["cumulative_share_of_customers"].iloc[-1] == 1.0
    assert t["churners"].sum() == y.sum()


def test_a_perfect_model_captures_every_churner_in_the_top_decile():
    # 100 customers, the 10 churners have the 10 highest probabilities
    y = np.r_[np.ones(10, int), np.zeros(90, int)]
    p = np.linspace(1, 0, 100)
    t = lift_table(y, p)
    assert t["cumulative_gain"].iloc[0] == 1.0
    assert t["lift"].tolist() == pytest.approx([10] + [0] * 9)
    assert top_decile_capture(y, p) == 1.0


def test_a_perfect_model_with_20_percent_churners_fills_the_top_two_deciles():
    y = np.r_[np.ones(20, int), np.zeros(80, int)]
    p = np.linspace(.99, .01, 100)
    t = lift_table(y, p)
    assert t["cumulative_gain"].tolist()[:3] == pytest.approx([.5, 1, 1])
    assert t["lift"].tolist()[:3] == pytest.approx([5, 5, 0])
    assert top_decile_capture(y, p) == pytest.approx(.5)


@pytest.mark.parametrize("seed", SEEDS)
def test_a_random_model_has_lift_about_1_in_every_decile(seed):
    # 5000 customers a decile at a 20 % churn rate: sd of a decile's lift about 0.028
    y, p = random_model(seed, 50_000)
    t = lift_table(y, p)
    assert np.abs(t["lift"] - 1).max() < 0.15
    assert t["cumulative_lift"].iloc[-1] == pytest.approx(1)
    assert top_decile_capture(y, p) == pytest.approx(.1, abs=.015)


def test_lift_table_keeps_tied_customers_in_input_order_whatever_their_outcome():
    # every probability equal: the ranking is the row order, so the churners in rows 1 and 2 come first ...
    p = [.5] * 10
    assert lift_table([1, 1, 0, 0, 0, 0, 0, 0, 0, 0], p, bins=5)["churners"].tolist() == [2, 0, 0, 0, 0]
    # ... and last when they are the last rows: ties are never broken by the outcome
    assert lift_table([0, 0, 0, 0, 0, 0, 0, 0, 1, 1], p, bins=5)["churners"].tolist() == [0, 0, 0, 0, 2]


def test_lift_table_is_the_same_on_every_call_with_ties():
    y, p = random_model(3, 1000)
    p = np.round(p, 1)   # many ties across decile boundaries
    pd.testing.assert_frame_equal(lift_table(y, p), lift_table(y, p))


def test_lift_table_accepts_series_and_booleans_and_leaves_them_unchanged():
    y, p = pd.Series([bool(v) for v in Y10]), pd.Series(P10)
    before = (y.copy(), p.copy())
    t = lift_table(y, p, bins=5)
    assert t["churners"].tolist() == [2, 1, 0, 1, 0]
    pd.testing.assert_series_equal(y, before[0])
    pd.testing.assert_series_equal(p, before[1])


# --- top_decile_capture ------------------------------------------------------------------------------------------

def test_top_decile_capture_equals_the_first_cumulative_gain_of_the_lift_table():
    y, p = random_model(1, 1003)
    p = np.where(y == 1, p * .2 + .8, p)   # an informative model: churners score 0.8-1
    assert top_decile_capture(y, p) == pytest.approx(lift_table(y, p)["cumulative_gain"].iloc[0])
    assert top_decile_capture(y, p) > .2   # about 0.28 expected, 0.1 for a random ranking


def test_top_decile_capture_takes_at_least_one_customer_from_a_small_list():
    # 5 customers: the top 10 % rounds up to 1 customer, the churner at .9, one of 2 churners
    assert top_decile_capture([1, 0, 1, 0, 0], [.9, .1, .2, .3, .4]) == .5


# --- calibration_table --------------------------------------------------------------------------------------------

def test_calibration_table_has_the_documented_columns_and_attrs():
    cal = calibration_table(Y10, P10)
    assert list(cal.columns) == CALIBRATION_COLUMNS
    assert set(cal.attrs) >= {"brier", "ece"}


@pytest.mark.parametrize("strategy", ["uniform", "quantile"])
@pytest.mark.parametrize("bins", [3, 5, 10, 20])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_calibration_table_equals_sklearn_calibration_curve(strategy, bins, seed):
    y, p = calibrated_model(seed, 2000)
    p = p ** 2    # skewed, so that uniform bins differ in size
    # reference: sklearn.calibration.calibration_curve(y, p, n_bins=bins, strategy=strategy)
    prob_true, prob_pred = calibration_curve(y, p, n_bins=bins, strategy=strategy)
    cal = calibration_table(y, p, bins=bins, strategy=strategy)
    np.testing.assert_allclose(cal["observed_rate"], prob_true, rtol=0, atol=1e-12)
    np.testing.assert_allclose(cal["mean_predicted"], prob_pred, rtol=0, atol=1e-12)
    assert cal["n"].sum() == len(y)


@pytest.mark.parametrize("strategy", ["uniform", "quantile"])
def test_calibration_table_equals_sklearn_with_ties_on_edges_and_empty_bins(strategy):
    # probabilities on a 0.1 grid fall exactly on uniform edges and repeat, so quantile edges coincide
    y, p = calibrated_model(4, 500)
    p = np.round(p * .6, 1)
    prob_true, prob_pred = calibration_curve(y, p, n_bins=10, strategy=strategy)
    cal = calibration_table(y, p, bins=10, strategy=strategy)
    assert len(cal) < 10    # some bins are empty and left out
    np.testing.assert_allclose(cal["observed_rate"], prob_true, rtol=0, atol=1e-12)
    np.testing.assert_allclose(cal["mean_predicted"], prob_pred, rtol=0, atol=1e-12)


def test_calibration_table_brier_equals_sklearn_brier_score_loss():
    y, p = calibrated_model(5, 3000)
    # reference: sklearn.metrics.brier_score_loss(y, p)
    assert calibration_table(y, p).attrs["brier"] == pytest.approx(brier_score_loss(y, p), abs=1e-12)


def test_calibration_table_uniform_bins_hold_values_up_to_and_including_their_upper_edge():
    cal = calibration_table([0, 1, 0, 1], [0.0, .5, .5001, 1.0], bins=2, strategy="uniform")
    assert cal["n"].tolist() == [2, 2]
    assert cal[["bin_low", "bin_high"]].to_numpy().tolist() == [[0, .5], [.5, 1]]


def test_calibration_table_wilson_interval_matches_r_prop_test():
    # R: prop.test(8, 10, correct = FALSE)$conf.int  ->  0.4901625 0.9433178
    cal = calibration_table([1] * 8 + [0] * 2, [.7] * 10)
    row = cal.iloc[0]
    assert (row["observed_rate"], row["n"]) == (.8, 10)
    assert row["ci_low"] == pytest.approx(0.4901625, abs=1e-7)
    assert row["ci_high"] == pytest.approx(0.9433178, abs=1e-7)


def test_calibration_table_interval_holds_an_observed_rate_of_0_or_1():
    cal = calibration_table([0, 0, 0, 1, 1, 1], [.1, .1, .1, .9, .9, .9], bins=2, strategy="uniform")
    assert cal["observed_rate"].tolist() == [0, 1]
    assert (cal["ci_low"] <= cal["observed_rate"]).all() and (cal["observed_rate"] <= cal["ci_high"]).all()
    assert cal["ci_low"].iloc[0] == 0 and cal["ci_high"].iloc[1] == 1


def test_calibration_table_ece_of_a_hand_computed_case():
    # uniform halves: [.1 .2 .2 .3] mean .2, observed 1/4; [.6 .7 .8 .9] mean .75, observed 3/4
    # ECE = 4/8 * |.25 - .2| + 4/8 * |.75 - .75| = 0.025
    cal = calibration_table([0, 0, 1, 0, 1, 1, 0, 1], [.1, .2, .2, .3, .6, .7, .8, .9], bins=2, strategy="uniform")
    assert cal.attrs["ece"] == pytest.approx(.025)


def test_calibration_table_ece_is_zero_when_every_bin_churns_at_its_predicted_rate():
    # 10 customers at each of .1 .. .9, exactly 1 .. 9 of them churned
    p = np.repeat(np.arange(1, 10) / 10, 10)
    y = np.concatenate([[1] * k + [0] * (10 - k) for k in range(1, 10)])
    for strategy in ("uniform", "quantile"):
        cal = calibration_table(y, p, bins=9 if strategy == "quantile" else 10, strategy=strategy)
        assert cal["observed_rate"].to_numpy() == pytest.approx(cal["mean_predicted"].to_numpy())
        assert cal.attrs["ece"] == pytest.approx(0, abs=1e-12)


@pytest.mark.parametrize("seed", SEEDS)
def test_calibration_table_ece_is_about_zero_for_a_calibrated_model(seed):
    # 20 000 customers a bin: sampling noise alone gives an ECE of about 0.003
    y, p = calibrated_model(seed, 200_000)
    assert calibration_table(y, p).attrs["ece"] < 0.01
    assert calibration_table(y, p, strategy="uniform").attrs["ece"] < 0.01


def test_calibration_table_ece_of_a_model_that_always_says_80_percent_for_half_churners_is_0_3():
    cal = calibration_table([1, 0] * 50, [.8] * 100)
    assert len(cal) == 1 and cal.attrs["ece"] == pytest.approx(.3)


# --- bad inputs ----------------------------------------------------------------------------------------------------

FUNCTIONS = {"lift_table": lift_table, "top_decile_capture": top_decile_capture,
             "calibration_table": calibration_table}


@pytest.mark.parametrize("name", FUNCTIONS)
def test_probabilities_of_another_length_are_refused(name):
    with pytest.raises(CxParameterError, match=rf"'probability' parameter of metrics.{name} must be as long as "
                                               r"y_true \(10 values\). Got 9 instead"):
        FUNCTIONS[name](Y10, P10[:9])


@pytest.mark.parametrize("name", FUNCTIONS)
@pytest.mark.parametrize("bad", [1.2, -0.1, np.nan, np.inf])
def test_probabilities_outside_0_1_or_blank_are_refused_with_their_position(name, bad):
    p = list(P10)
    p[6] = bad
    with pytest.raises(CxParameterError, match=rf"'probability' parameter of metrics.{name} must be probabilities "
                                               r"between 0 and 1.*first at position 6"):
        FUNCTIONS[name](Y10, p)


@pytest.mark.parametrize("name", FUNCTIONS)
@pytest.mark.parametrize("y", [[0] * 10, [1] * 10])
def test_outcomes_with_one_class_are_refused(name, y):
    with pytest.raises(CxParameterError, match=rf"'y_true' parameter of metrics.{name} must be both churners \(1\) "
                                               rf"and non-churners \(0\). Got \[{y[0]}\] instead"):
        FUNCTIONS[name](y, P10)


@pytest.mark.parametrize("name", FUNCTIONS)
def test_outcomes_other_than_0_1_are_refused_with_the_values_seen(name):
    with pytest.raises(CxParameterError, match=r"'y_true' .* must be 0/1 \(or True/False\) outcomes.*"
                                               r"Got \['Yes', 'No'\] instead"):
        FUNCTIONS[name](["Yes", "No"] * 5, P10)
    with pytest.raises(CxParameterError, match=r"Got \[2\] instead"):
        FUNCTIONS[name]([0, 1, 2, 0, 1, 0, 0, 1, 0, 0], P10)


def test_a_predict_proba_matrix_is_refused_with_the_column_to_pass():
    proba = np.column_stack([1 - np.array(P10), P10])
    with pytest.raises(CxParameterError, match=r"1-D array of churn probabilities.*predict_proba\(X\)\[:, 1\]"):
        lift_table(Y10, proba)


def test_empty_inputs_are_refused():
    with pytest.raises(CxParameterError, match="both churners"):
        lift_table([], [])


@pytest.mark.parametrize("bins", [0, 11, 2.5, True])
def test_lift_table_refuses_bins_that_are_not_1_to_the_number_of_customers(bins):
    with pytest.raises(CxParameterError, match=r"'bins' parameter of metrics.lift_table must be an int between 1 "
                                               r"and the number of customers \(10\)"):
        lift_table(Y10, P10, bins=bins)


def test_calibration_table_refuses_an_unknown_strategy_and_bad_bins_or_ci():
    with pytest.raises(CxParameterError, match=r"'strategy' .* must be 'quantile' or 'uniform'. Got 'kmeans'"):
        calibration_table(Y10, P10, strategy="kmeans")
    with pytest.raises(CxParameterError, match=r"'bins' .* must be an int >= 1. Got 0"):
        calibration_table(Y10, P10, bins=0)
    with pytest.raises(CxParameterError, match=r"'ci' .* must be a level between 0 and 1"):
        calibration_table(Y10, P10, ci=95)


# --- charts --------------------------------------------------------------------------------------------------------

def test_gains_chart_draws_the_model_curve_from_the_origin_and_the_random_diagonal():
    t = lift_table(Y10, P10, bins=5)
    fig = plots.gains_chart(t, "Gains")
    assert [tr.name for tr in fig.data] == ["model", "random"]
    model, diagonal = fig.data
    assert list(model.x) == pytest.approx([0, .2, .4, .6, .8, 1])
    assert list(model.y) == pytest.approx([0, .5, .75, .75, 1, 1])
    assert list(diagonal.x) == [0, 1] and list(diagonal.y) == [0, 1] and diagonal.line.dash == "dash"
    assert fig.layout.xaxis.tickformat == ".0%" and fig.layout.yaxis.tickformat == ".0%"
    assert fig.layout.title.text == "Gains"


def test_gains_chart_can_add_the_perfect_model_reaching_every_churner_at_the_churn_rate():
    fig = plots.gains_chart(lift_table(Y10, P10), "Gains", show_perfect=True)
    assert [tr.name for tr in fig.data] == ["model", "random", "perfect model"]
    assert list(fig.data[2].x) == pytest.approx([0, .4, 1]) and list(fig.data[2].y) == [0, 1, 1]


def test_calibration_chart_draws_observed_vs_predicted_with_wilson_error_bars_and_the_diagonal():
    y, p = calibrated_model(0, 500)
    cal = calibration_table(y, p, bins=5)
    fig = plots.calibration_chart(cal, "Calibration")
    assert [tr.name for tr in fig.data] == ["model", "perfectly calibrated"]
    model = fig.data[0]
    assert list(model.x) == pytest.approx(cal["mean_predicted"].tolist())
    assert list(model.y) == pytest.approx(cal["observed_rate"].tolist())
    assert list(model.error_y.array) == pytest.approx((cal["ci_high"] - cal["observed_rate"]).tolist())
    assert list(model.error_y.arrayminus) == pytest.approx((cal["observed_rate"] - cal["ci_low"]).tolist())
    assert list(fig.data[1].x) == [0, 1] and list(fig.data[1].y) == [0, 1]
    assert fig.layout.xaxis.tickformat == ".0%" and fig.layout.yaxis.range == (0, 1)
    assert "ECE" in fig.layout.annotations[0].text and "Brier" in fig.layout.annotations[0].text


def test_calibration_chart_adds_a_histogram_of_the_predictions_below_when_given():
    y, p = calibrated_model(0, 500)
    fig = plots.calibration_chart(calibration_table(y, p), "Calibration", probability=p)
    assert [tr.type for tr in fig.data] == ["scatter", "scatter", "histogram"]
    histogram = fig.data[2]
    assert len(histogram.x) == 500 and histogram.xaxis == "x2" and histogram.yaxis == "y2"
    assert histogram.xbins.size == .05


def test_calibration_chart_has_no_note_when_the_attrs_were_lost():
    cal = calibration_table(Y10, P10, bins=2)
    fig = plots.calibration_chart(pd.DataFrame(cal.to_dict("list")), "Calibration")
    assert len(fig.layout.annotations) == 0
