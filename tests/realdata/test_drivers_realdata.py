"""Touchpoint importance on the real airline passenger survey (../shared/datasets/airline_satisfaction).

Ratings run 0-5 with 0 = "not applicable" (README); the outcome is "satisfied" / "neutral or dissatisfied".
"""
from __future__ import annotations

import numpy as np
import pingouin as pg
import pytest

from cxlib import io
from cxlib.drivers import driver_importance

AIRLINE_TOUCHPOINTS = ["Inflight wifi service", "Departure/Arrival time convenient", "Ease of Online booking",
                       "Gate location", "Food and drink", "Online boarding", "Seat comfort", "Inflight entertainment",
                       "On-board service", "Leg room service", "Baggage handling", "Checkin service", "Inflight service",
                       "Cleanliness"]


@pytest.fixture(scope="module")
def airline(datasets):
    return io.read_table(datasets / "airline_satisfaction" / "test.csv")


@pytest.fixture(scope="module")
def importance(airline):
    return driver_importance(airline, "satisfaction", AIRLINE_TOUCHPOINTS, outcome_positive="satisfied")


def test_airline_importance_equals_pingouin_relimp_on_complete_rows(airline, importance):
    rows = (airline[AIRLINE_TOUCHPOINTS].replace(0, np.nan)
            .assign(satisfied=airline["satisfaction"].eq("satisfied").astype(float)).dropna())
    # reference: pg.linear_regression(rows[AIRLINE_TOUCHPOINTS], rows["satisfied"], relimp=True)["relimp"]
    expected = pg.linear_regression(rows[AIRLINE_TOUCHPOINTS], rows["satisfied"], relimp=True)["relimp"].to_numpy()[1:]
    got = importance.set_index("driver")["importance"][AIRLINE_TOUCHPOINTS].to_numpy()
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-8)
    assert importance.attrs["n_used"] == len(rows)


def test_airline_online_boarding_is_the_most_important_touchpoint(importance):
    assert importance["driver"].iloc[0] == "Online boarding"
    assert importance["rank"].iloc[0] == 1
    assert importance["importance"].sum() == pytest.approx(importance.attrs["r2"], abs=1e-12)


def test_airline_rows_with_any_not_applicable_answer_are_dropped_and_counted(airline, importance):
    by_hand = int((airline[AIRLINE_TOUCHPOINTS] == 0).any(axis=1).sum())
    assert by_hand > 1000   # wifi alone has hundreds of zeros
    assert importance.attrs["n_dropped"] == by_hand
    assert importance.attrs["n_used"] == len(airline) - by_hand
    assert importance.attrs["n_rows"] == 25_976


def test_airline_outcome_is_labelled_a_linear_probability_model(importance):
    assert "linear probability" in importance.attrs["model"]
    assert "satisfied = 1" in importance.attrs["model"]


def test_airline_online_boarding_leads_clearly_under_the_bootstrap(airline):
    res = driver_importance(airline, "satisfaction", AIRLINE_TOUCHPOINTS, n_boot=50, seed=0,
                            outcome_positive="satisfied")
    first, second = res.iloc[0], res.iloc[1]
    assert first["driver"] == "Online boarding"
    assert first["ci_low"] > second["ci_high"]


def test_airline_text_outcome_without_outcome_positive_asks_for_it(airline):
    from cxlib.errors import CxDataError

    with pytest.raises(CxDataError, match="outcome_positive"):
        driver_importance(airline, "satisfaction", AIRLINE_TOUCHPOINTS)
