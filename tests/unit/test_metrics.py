"""cxlib.metrics: NPS and CSAT with intervals, checked against small cases computed by hand.

Interval formulas written out here: NPS multinomial normal interval
``d ± z * sqrt((p_pro + p_det - d**2) / n)`` with ``d = p_pro - p_det``; Wilson's score interval
``(p + z²/2n ± z * sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)``; the mean's t interval from scipy.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from cxlib.errors import CxDataError, CxParameterError
from cxlib.metrics import csat, headline, nps

Z95 = 1.959963984540054   # scipy.stats.norm.ppf(0.975)


def nps_interval(promoters: int, detractors: int, n: int, z: float = Z95) -> tuple[float, float, float]:
    p, d = promoters / n, detractors / n
    diff = p - d
    se = math.sqrt((p + d - diff ** 2) / n)
    return 100 * diff, 100 * max(diff - z * se, -1), 100 * min(diff + z * se, 1)


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


# --- NPS ---------------------------------------------------------------------------------------------------------

def test_nps_of_only_promoters_is_100():
    row = nps(pd.DataFrame({"nps": [9, 10, 10, 9]})).iloc[0]
    assert row["estimate"] == 100.0
    assert row["promoters"] == 1.0 and row["detractors"] == 0.0 and row["n"] == 4


def test_nps_of_only_detractors_is_minus_100():
    row = nps(pd.DataFrame({"nps": [0, 3, 6, 6, 1]})).iloc[0]
    assert row["estimate"] == -100.0
    assert row["detractors"] == 1.0 and row["n"] == 5


def test_nps_counts_9_and_10_as_promoters_7_and_8_as_passives_and_0_to_6_as_detractors():
    row = nps(pd.DataFrame({"nps": list(range(11))})).iloc[0]   # 2 promoters, 2 passives, 7 detractors
    assert row["promoters"] == pytest.approx(2 / 11)
    assert row["passives"] == pytest.approx(2 / 11)
    assert row["detractors"] == pytest.approx(7 / 11)
    assert row["estimate"] == pytest.approx(100 * (2 - 7) / 11)


def test_nps_interval_is_the_multinomial_normal_interval():
    scores = [10] * 45 + [9] * 15 + [8] * 20 + [7] * 5 + [5] * 10 + [0] * 5   # 60 pro, 25 passive, 15 det
    row = nps(pd.DataFrame({"nps": scores})).iloc[0]
    est, lo, hi = nps_interval(60, 15, 100)
    assert row["estimate"] == pytest.approx(45.0)
    assert (row["estimate"], row["ci_low"], row["ci_high"]) == pytest.approx((est, lo, hi), abs=1e-10)
    assert lo == pytest.approx(100 * (0.45 - Z95 * math.sqrt((0.75 - 0.45 ** 2) / 100)))


def test_nps_interval_at_another_confidence_level_uses_its_normal_quantile():
    scores = [10] * 30 + [8] * 30 + [2] * 40
    row = nps(pd.DataFrame({"nps": scores}), ci=0.9).iloc[0]
    est, lo, hi = nps_interval(30, 40, 100, z=stats.norm.ppf(0.95))
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((lo, hi), abs=1e-10)


def test_nps_interval_is_clipped_to_the_scale():
    row = nps(pd.DataFrame({"nps": [10, 10, 10, 9, 6]})).iloc[0]
    assert row["ci_high"] == 100.0
    assert row["ci_low"] >= -100.0


def test_nps_leaves_blank_answers_out():
    row = nps(pd.DataFrame({"nps": [10, None, 0, None]})).iloc[0]
    assert row["n"] == 2 and row["estimate"] == 0.0


def test_nps_per_segment_is_computed_within_each_segment():
    df = pd.DataFrame({"nps": [10, 9, 3, 8, 0, 10, 7], "region": ["a", "a", "b", "b", "b", "a", "b"]})
    out = nps(df, by="region").set_index("region")
    assert out.loc["a", "estimate"] == 100.0 and out.loc["a", "n"] == 3
    assert out.loc["b", "estimate"] == pytest.approx(-50.0) and out.loc["b", "n"] == 4   # 0 pro, 2 det of 4


def test_csat_per_segment_is_computed_within_each_segment():
    df = pd.DataFrame({"overall_satisfaction": [5, 4, 1, 2, 5, 3], "team": ["x", "x", "y", "y", "y", "x"]})
    out = csat(df, by="team").set_index("team")
    assert out.loc["x", "estimate"] == pytest.approx(2 / 3) and out.loc["x", "n"] == 3
    assert out.loc["y", "estimate"] == pytest.approx(1 / 3)
    assert (out.loc["y", "ci_low"], out.loc["y", "ci_high"]) == pytest.approx(wilson(1, 3), abs=1e-12)


def test_nps_per_month_groups_answers_by_the_month_of_their_date():
    df = pd.DataFrame({"nps": [10, 9, 3, 8, 0, 10],
                       "date": ["2024-01-05", "2024-01-31", "2024-02-01", "2024-02-29", "2024-03-01", "2024-03-09"]})
    out = nps(df, period="M")
    assert out["period"].tolist() == list(pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01"]))
    assert out["estimate"].tolist() == [100.0, -50.0, 0.0]
    assert out["n"].tolist() == [2, 2, 2]
    est, lo, hi = nps_interval(0, 1, 2)
    assert (out.loc[1, "ci_low"], out.loc[1, "ci_high"]) == pytest.approx((lo, hi), abs=1e-10)


def test_nps_per_period_without_the_date_column_names_it():
    with pytest.raises(CxDataError, match=r"column 'date' is missing"):
        nps(pd.DataFrame({"nps": [10]}), period="M")


def test_nps_out_of_range_scores_are_an_error_listing_the_rows():
    df = pd.DataFrame({"nps": [10, 9, 11, 3, 12]})
    df.attrs["source"] = "survey.csv"
    with pytest.raises(CxDataError, match=r"^survey\.csv: column 'nps' has values outside 0-10 in rows 3, 5") as info:
        nps(df)
    assert info.value.rows == [3, 5]
    assert info.value.examples == [11, 12]
    assert info.value.reason == "out_of_range"


def test_nps_text_scores_are_an_error_listing_the_rows():
    with pytest.raises(CxDataError, match=r"column 'nps' has values outside 0-10 in row 2 \(e\.g\. 'ten'\)"):
        nps(pd.DataFrame({"nps": [10, "ten", 3]}))


def test_nps_missing_column_names_it():
    with pytest.raises(CxDataError, match=r"column 'nps' is missing"):
        nps(pd.DataFrame({"score": [10]}))


# --- CSAT --------------------------------------------------------------------------------------------------------

def test_csat_is_the_share_of_4_and_5_with_a_wilson_interval():
    answers = [5, 4, 4, 3, 1, 5, 2, 4, 5, 3, 4, 2]   # 7 of 12 are 4 or 5
    row = csat(pd.DataFrame({"overall_satisfaction": answers})).iloc[0]
    assert row["estimate"] == pytest.approx(7 / 12)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx(wilson(7, 12), abs=1e-12)
    assert row["n"] == 12


@pytest.mark.parametrize("k, n", [(0, 10), (10, 10), (1, 40)])
def test_csat_wilson_interval_stays_inside_zero_one_at_the_edges(k, n):
    answers = [5] * k + [2] * (n - k)
    row = csat(pd.DataFrame({"overall_satisfaction": answers})).iloc[0]
    assert (row["ci_low"], row["ci_high"]) == pytest.approx(wilson(k, n), abs=1e-12)
    assert -1e-12 <= row["ci_low"] <= row["estimate"] + 1e-12
    assert row["estimate"] <= row["ci_high"] + 1e-12 <= 1 + 2e-12


def test_csat_interval_contains_the_estimate_exactly_when_every_answer_is_top_two():
    row = csat(pd.DataFrame({"overall_satisfaction": [5] * 10})).iloc[0]
    assert row["ci_low"] <= row["estimate"] <= row["ci_high"]


def test_csat_mean_interval_equals_scipy_t_interval():
    answers = [5, 4, 4, 3, 1, 5, 2, 4, 5, 3]
    row = csat(pd.DataFrame({"overall_satisfaction": answers})).iloc[0]
    a = np.array(answers, dtype=float)
    # reference: scipy.stats.t.interval(0.95, n - 1, loc=mean, scale=sd / sqrt(n))
    lo, hi = stats.t.interval(0.95, len(a) - 1, loc=a.mean(), scale=a.std(ddof=1) / np.sqrt(len(a)))
    assert row["mean"] == pytest.approx(3.6)
    assert (row["mean_ci_low"], row["mean_ci_high"]) == pytest.approx((lo, hi), abs=1e-12)


def test_csat_on_a_0_to_10_scale_counts_9_and_10_as_top_two():
    row = csat(pd.DataFrame({"sat": [10, 9, 8, 0, 5]}), column="sat", scale=(0, 10)).iloc[0]
    assert row["estimate"] == pytest.approx(2 / 5)


def test_csat_per_month_splits_by_period():
    df = pd.DataFrame({"overall_satisfaction": [5, 4, 1, 2, 5],
                       "date": pd.to_datetime(["2024-01-03", "2024-01-20", "2024-02-02", "2024-02-10", "2024-02-28"])})
    out = csat(df, period="M")
    assert out["estimate"].tolist() == pytest.approx([1.0, 1 / 3])
    assert out["n"].tolist() == [2, 3]
    assert (out.loc[1, "ci_low"], out.loc[1, "ci_high"]) == pytest.approx(wilson(1, 3), abs=1e-12)


def test_csat_answers_off_the_scale_are_an_error_listing_the_rows():
    df = pd.DataFrame({"overall_satisfaction": [5, 0, 4, 6]})
    df.attrs["source"] = "csat.xlsx"
    with pytest.raises(CxDataError, match=r"^csat\.xlsx: column 'overall_satisfaction' has values outside 1-5 "
                                          r"in rows 2, 4"):
        csat(df)


@pytest.mark.parametrize("scale", [(1, 2), (5, 1), ("1", "5"), (1, None)])
def test_csat_rejects_a_scale_that_is_not_a_low_high_pair(scale):
    with pytest.raises(CxParameterError, match=r"^The 'scale' parameter of metrics\.csat"):
        csat(pd.DataFrame({"overall_satisfaction": [5, 4]}), scale=scale)


def test_csat_accepts_a_scale_given_as_numpy_integers():
    row = csat(pd.DataFrame({"overall_satisfaction": [5, 4, 1]}), scale=(np.int64(1), np.int64(5))).iloc[0]
    assert row["estimate"] == pytest.approx(2 / 3)


# --- headline ----------------------------------------------------------------------------------------------------

def test_headline_puts_nps_and_csat_side_by_side():
    df = pd.DataFrame({"nps": [10, 9, 3, 8], "overall_satisfaction": [5, 4, 2, 4]})
    out = headline(df)
    assert out["metric"].tolist() == ["NPS (-100 to 100)", "CSAT (share of 4-5)"]
    assert out["estimate"].tolist() == pytest.approx([25.0, 0.75])
    assert (out.loc[1, "ci_low"], out.loc[1, "ci_high"]) == pytest.approx(wilson(3, 4), abs=1e-12)
