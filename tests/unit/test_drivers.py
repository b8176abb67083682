"""cxlib.drivers: touchpoint importance with intervals, on surveys generated here with planted effects.

Known answers: pingouin 0.7's ``linear_regression(..., relimp=True)`` (relaimpo's LMG) on the same
listwise-complete rows, pandas' pairwise correlation, and hand counts of rows and answers.
"""
from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pingouin as pg
import pytest

from cxlib import relimp
from cxlib.drivers import (
    METHODS,
    QUADRANTS,
    compare_methods,
    driver_importance,
    group_importance,
    groups_from_map,
    importance_performance,
    segment_importance,
)
from cxlib.errors import CxDataError, CxParameterError

DRIVERS = ["staff", "speed", "price", "parking", "noise"]
COLUMNS = ["driver", "importance", "share", "ci_low", "ci_high", "rank"]


def rating(latent: np.ndarray) -> np.ndarray:
    """A latent score on about N(3, 1) cut into 1-5 answers."""
    return np.clip(np.rint(latent), 1, 5)


def make_survey(n: int = 400, seed: int = 0, na_share: float = 0.0) -> pd.DataFrame:
    """Correlated 1-5 ratings; overall satisfaction driven by staff > speed > price > parking; noise is noise.

    ``na_share`` of the answers of staff, speed and price are 0 ("not applicable").
    """
    rng = np.random.default_rng(seed)
    mood = rng.normal(size=n)   # a general mood that correlates the touchpoints
    lat = {d: 3 + 0.6 * mood + rng.normal(size=n) for d in DRIVERS[:4]}
    df = pd.DataFrame({d: rating(v) for d, v in lat.items()})
    df["noise"] = rng.integers(1, 6, n).astype(float)
    df["overall"] = rating(0.9 * lat["staff"] + 0.5 * lat["speed"] + 0.25 * lat["price"] + 0.1 * lat["parking"]
                           - 1.75 * 3 + 3 + rng.normal(scale=0.6, size=n))
    for d in ("staff", "speed", "price"):
        df.loc[rng.random(n) < na_share, d] = 0.0
    return df


def pingouin_lmg(df: pd.DataFrame, outcome: str, drivers: list[str]) -> np.ndarray:
    rows = df[drivers].replace(0, np.nan).assign(**{outcome: df[outcome]}).dropna()
    # reference: pg.linear_regression(rows[drivers], rows[outcome], relimp=True)["relimp"], intercept row dropped
    return pg.linear_regression(rows[drivers], rows[outcome], relimp=True)["relimp"].to_numpy()[1:]


def by_driver(result: pd.DataFrame, column: str = "importance") -> pd.Series:
    return result.set_index("driver")[column]


@pytest.fixture(scope="module")
def survey() -> pd.DataFrame:
    return make_survey(400, seed=1, na_share=0.08)


@pytest.fixture(scope="module")
def boot_result(survey) -> pd.DataFrame:
    return driver_importance(survey, "overall", DRIVERS, n_boot=200, seed=0)


# --- shape of the result -----------------------------------------------------------------------------------------

def test_driver_importance_has_the_documented_columns_in_order(boot_result):
    assert boot_result.columns.tolist() == COLUMNS


def test_driver_importance_shares_sum_to_one(boot_result):
    assert boot_result["share"].sum() == pytest.approx(1.0, abs=1e-12)
    np.testing.assert_allclose(boot_result["share"], boot_result["importance"] / boot_result["importance"].sum())


def test_driver_importance_is_sorted_by_rank_one_to_p(boot_result):
    assert boot_result["rank"].tolist() == list(range(1, len(DRIVERS) + 1))
    assert boot_result["importance"].is_monotonic_decreasing
    assert sorted(boot_result["driver"]) == sorted(DRIVERS)


def test_driver_importance_finds_the_planted_order_of_drivers(boot_result):
    assert boot_result["driver"].tolist() == ["staff", "speed", "price", "parking", "noise"]


def test_driver_importance_lmg_sums_to_the_r2_in_attrs(boot_result):
    assert boot_result["importance"].sum() == pytest.approx(boot_result.attrs["r2"], abs=1e-12)


# --- known answers -----------------------------------------------------------------------------------------------

def test_driver_importance_equals_pingouin_relimp_on_the_listwise_complete_rows(survey):
    res = driver_importance(survey, "overall", DRIVERS)
    expected = pd.Series(pingouin_lmg(survey, "overall", DRIVERS), index=DRIVERS)
    # reference: pg.linear_regression(complete[DRIVERS], complete["overall"], relimp=True)["relimp"]
    np.testing.assert_allclose(by_driver(res)[DRIVERS], expected, rtol=0, atol=1e-8)


def test_zero_answers_are_not_applicable_and_dropped_listwise(survey):
    with_zeros = driver_importance(survey, "overall", DRIVERS)
    blanked = survey.copy()
    blanked[DRIVERS] = blanked[DRIVERS].replace(0, np.nan)
    by_hand = driver_importance(blanked.dropna(subset=DRIVERS), "overall", DRIVERS, na_values=())
    np.testing.assert_allclose(by_driver(with_zeros)[DRIVERS], by_driver(by_hand)[DRIVERS], rtol=0, atol=1e-12)
    assert with_zeros.attrs["r2"] == pytest.approx(by_hand.attrs["r2"], abs=1e-12)


def test_attrs_count_used_and_dropped_rows_by_hand(survey):
    res = driver_importance(survey, "overall", DRIVERS)
    incomplete = int((survey[DRIVERS] == 0).any(axis=1).sum())
    assert incomplete > 0
    assert res.attrs["n_rows"] == len(survey)
    assert res.attrs["n_dropped"] == incomplete
    assert res.attrs["n_used"] == len(survey) - incomplete
    assert res.attrs["n_no_outcome"] == 0


def test_rows_without_an_outcome_are_counted_apart_and_dropped(survey):
    gaps = survey.copy()
    gaps.loc[[0, 1, 2], "overall"] = np.nan
    res = driver_importance(gaps, "overall", DRIVERS)
    incomplete = int(((gaps[DRIVERS] == 0).any(axis=1) | gaps["overall"].isna()).sum())
    assert res.attrs["n_no_outcome"] == 3
    assert res.attrs["n_dropped"] == incomplete
    np.testing.assert_allclose(by_driver(res)[DRIVERS], pingouin_lmg(gaps, "overall", DRIVERS), rtol=0, atol=1e-8)


def test_not_applicable_codes_apply_to_drivers_only_so_an_nps_of_0_is_kept(survey):
    scored = survey.assign(nps=np.clip(2 * survey["overall"] - 2, 0, 10))
    assert (scored["nps"] == 0).sum() > 10
    res = driver_importance(scored, "nps", DRIVERS)
    assert res.attrs["n_no_outcome"] == 0
    assert res.attrs["n_used"] == int((scored[DRIVERS] != 0).all(axis=1).sum())
    np.testing.assert_allclose(by_driver(res)[DRIVERS], pingouin_lmg(scored, "nps", DRIVERS), rtol=0, atol=1e-8)


def test_custom_not_applicable_codes_are_dropped_too(survey):
    coded = survey.copy()
    coded[DRIVERS] = coded[DRIVERS].replace(0, 99)
    res = driver_importance(coded, "overall", DRIVERS, na_values=(99,))
    np.testing.assert_allclose(by_driver(res)[DRIVERS], pingouin_lmg(survey, "overall", DRIVERS), rtol=0, atol=1e-8)


def test_pairwise_uses_more_rows_and_gives_a_different_answer(survey):
    listwise = driver_importance(survey, "overall", DRIVERS)
    pairwise = driver_importance(survey, "overall", DRIVERS, na="pairwise")
    assert pairwise.attrs["n_used"] > listwise.attrs["n_used"]
    assert pairwise.attrs["na"] == "pairwise"
    assert np.abs(by_driver(pairwise)[DRIVERS] - by_driver(listwise)[DRIVERS]).max() > 1e-4


def test_pairwise_importance_is_lmg_of_pandas_pairwise_correlation(survey):
    res = driver_importance(survey, "overall", DRIVERS, na="pairwise")
    # reference: pandas' pairwise-complete DataFrame.corr() after 0 -> NaN, then the exact LMG
    corr = survey[DRIVERS].replace(0, np.nan).assign(overall=survey["overall"]).corr().to_numpy()
    np.testing.assert_allclose(by_driver(res)[DRIVERS], relimp.lmg(corr), rtol=0, atol=1e-10)


# --- bootstrap intervals -----------------------------------------------------------------------------------------

def test_bootstrap_with_the_same_seed_gives_identical_intervals(survey, boot_result):
    again = driver_importance(survey, "overall", DRIVERS, n_boot=200, seed=0)
    pd.testing.assert_frame_equal(again, boot_result)


def test_bootstrap_with_another_seed_gives_other_intervals(survey, boot_result):
    other = driver_importance(survey, "overall", DRIVERS, n_boot=200, seed=1)
    assert not np.allclose(other["ci_low"], boot_result["ci_low"])
    np.testing.assert_array_equal(other["importance"], boot_result["importance"])  # the estimate does not move


def test_bootstrap_intervals_contain_the_estimate_of_real_drivers(boot_result):
    real = boot_result[boot_result["driver"] != "noise"]
    assert (real["ci_low"] <= real["importance"]).all()
    assert (real["importance"] <= real["ci_high"]).all()
    assert boot_result.attrs["n_boot_used"] == 200


def test_bootstrap_intervals_are_wider_with_fewer_rows():
    big = make_survey(1600, seed=2)
    small = big.iloc[:200]
    wide = driver_importance(small, "overall", DRIVERS, n_boot=150, seed=0)
    narrow = driver_importance(big, "overall", DRIVERS, n_boot=150, seed=0)
    width = lambda r: by_driver(r, "ci_high") - by_driver(r, "ci_low")  # noqa: E731
    assert (width(wide)[DRIVERS] > width(narrow)[DRIVERS]).all()
    assert width(wide).mean() > 1.8 * width(narrow).mean()   # about sqrt(8) in theory


def test_resamples_in_which_a_driver_is_constant_are_left_out_and_counted():
    # one answer of 30 differs: about (29/30)**30 = 36 % of resamples miss it and have no correlation
    rng = np.random.default_rng(12)
    df = pd.DataFrame({"staff": rng.integers(1, 6, 30).astype(float), "rare": np.r_[np.full(29, 3.0), 4.0]})
    df["overall"] = df["staff"] + rng.normal(size=30)
    res = driver_importance(df, "overall", ["staff", "rare"], n_boot=100, seed=0)
    assert 40 < res.attrs["n_boot_used"] < 90
    assert np.isfinite(res[["ci_low", "ci_high"]].to_numpy()).all()


def test_without_bootstrap_the_intervals_are_missing(survey):
    res = driver_importance(survey, "overall", DRIVERS)
    assert res["ci_low"].isna().all() and res["ci_high"].isna().all()


@pytest.mark.parametrize("seed", range(10))
def test_a_planted_noise_driver_ranks_last_with_an_interval_starting_near_zero(seed):
    res = driver_importance(make_survey(300, seed=seed), "overall", DRIVERS, n_boot=50, seed=seed)
    last = res.iloc[-1]
    assert last["driver"] == "noise"
    assert last["ci_low"] < 0.01


# --- outcomes ----------------------------------------------------------------------------------------------------

def test_a_two_level_text_outcome_with_outcome_positive_is_a_linear_probability_model(survey):
    text = survey.assign(sat=np.where(survey["overall"] >= 4, "satisfied", "neutral or dissatisfied"))
    res = driver_importance(text, "sat", DRIVERS, outcome_positive="satisfied")
    assert "linear probability" in res.attrs["model"]
    assert "satisfied = 1" in res.attrs["model"]
    coded = survey.assign(sat=(survey["overall"] >= 4).astype(float))
    np.testing.assert_allclose(by_driver(res)[DRIVERS], pingouin_lmg(coded, "sat", DRIVERS), rtol=0, atol=1e-8)


def test_a_yes_no_text_outcome_is_parsed_without_outcome_positive(survey):
    text = survey.assign(recommend=np.where(survey["overall"] >= 4, " Yes", "no"))
    res = driver_importance(text, "recommend", DRIVERS)
    assert "linear probability" in res.attrs["model"]
    coded = survey.assign(recommend=(survey["overall"] >= 4).astype(float))
    np.testing.assert_allclose(by_driver(res)[DRIVERS], pingouin_lmg(coded, "recommend", DRIVERS), rtol=0, atol=1e-8)


def test_a_numeric_outcome_is_a_linear_regression(survey):
    assert driver_importance(survey, "overall", DRIVERS).attrs["model"] == "linear regression"


def test_two_text_answers_that_are_not_yes_no_need_outcome_positive(survey):
    text = survey.assign(sat=np.where(survey["overall"] >= 4, "satisfied", "neutral or dissatisfied"))
    with pytest.raises(CxDataError, match="outcome_positive") as info:
        driver_importance(text, "sat", DRIVERS)
    assert "'sat'" in str(info.value)


def test_an_outcome_positive_that_is_not_an_answer_is_a_parameter_error(survey):
    text = survey.assign(sat=np.where(survey["overall"] >= 4, "satisfied", "neutral or dissatisfied"))
    with pytest.raises(CxParameterError, match="'outcome_positive'.*'Satisfied'"):
        driver_importance(text, "sat", DRIVERS, outcome_positive="Satisfied")


# --- methods -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("method", METHODS)
def test_every_method_runs_and_ranks_staff_first(survey, method):
    res = driver_importance(survey, "overall", DRIVERS, method=method)
    assert res.attrs["method"] == method
    assert res["driver"].iloc[0] == "staff"
    assert np.isfinite(res["importance"]).all()


@pytest.mark.parametrize("method, func", [("first", relimp.first), ("last", relimp.last),
                                          ("betasq", relimp.betasq), ("pratt", relimp.pratt),
                                          ("relative_weights", relimp.relative_weights)])
def test_every_method_equals_its_relimp_function_on_the_listwise_correlation(survey, method, func):
    rows = survey[[*DRIVERS, "overall"]].replace(0, np.nan).dropna()
    res = driver_importance(survey, "overall", DRIVERS, method=method)
    np.testing.assert_allclose(by_driver(res)[DRIVERS], func(rows.corr().to_numpy()), rtol=0, atol=1e-12)


def test_compare_methods_gives_shares_of_every_method_and_the_gap_of_relative_weights(survey):
    table = compare_methods(survey, "overall", DRIVERS)
    assert table.columns.tolist() == ["driver", *METHODS, "rw_minus_lmg"]
    assert table["driver"].iloc[0] == "staff"
    np.testing.assert_allclose(table[list(METHODS)].sum(), 1.0, rtol=0, atol=1e-12)
    imp = {m: by_driver(driver_importance(survey, "overall", DRIVERS, method=m)) for m in ("lmg", "relative_weights")}
    gap = (imp["relative_weights"] - imp["lmg"])[table["driver"]].to_numpy()
    np.testing.assert_allclose(table["rw_minus_lmg"], gap, rtol=0, atol=1e-12)


# --- more drivers than the exact limit ---------------------------------------------------------------------------

def two_orthogonal_blocks(n: int = 300, p: int = 22, seed: int = 5) -> pd.DataFrame:
    """Two blocks of 11 drivers with zero sample correlation between the blocks.

    R² is then additive over the blocks, so the exact LMG of 22 drivers is the exact LMG of each
    block on its own (within the 20-driver limit): a known answer for the sampled estimate.
    """
    rng = np.random.default_rng(seed)
    half = p // 2
    a = rng.normal(size=(n, half)) @ rng.normal(size=(half, half))
    b = rng.normal(size=(n, half)) @ rng.normal(size=(half, half))
    a -= a.mean(axis=0)
    b -= b.mean(axis=0)
    b -= a @ np.linalg.lstsq(a, b, rcond=None)[0]   # residuals: uncorrelated with every column of a
    x = np.column_stack([a, b])
    y = x @ rng.uniform(0, 1, p) + rng.normal(scale=3, size=n)
    return pd.DataFrame(np.column_stack([x, y]), columns=[*(f"d{j:02d}" for j in range(p)), "y"])


def test_more_than_20_drivers_fall_back_to_sampling_close_to_the_exact_answer():
    df = two_orthogonal_blocks()
    drivers = [c for c in df.columns if c != "y"]
    res = driver_importance(df, "y", drivers, na_values=(), n_perm=2000, seed=0)
    assert res.attrs["exact"] is False
    assert res.attrs["mc_se"] > 0
    c = df.corr().to_numpy()
    exact = np.concatenate([relimp.lmg(c[np.ix_([*blk, 22], [*blk, 22])]) for blk in (range(11), range(11, 22))])
    got = by_driver(res)[drivers].to_numpy()
    assert np.abs(got - exact).max() < 4 * res.attrs["mc_se"]
    # every sampled driver order telescopes to the full R², so the estimates do too
    assert got.sum() == pytest.approx(res.attrs["r2"], abs=1e-9)


def test_at_most_20_drivers_are_exact():
    df = two_orthogonal_blocks(p=12)
    res = driver_importance(df, "y", [c for c in df.columns if c != "y"], na_values=())
    assert res.attrs["exact"] is True and res.attrs["mc_se"] == 0.0


# --- bad input ---------------------------------------------------------------------------------------------------

@pytest.fixture
def small() -> pd.DataFrame:
    df = make_survey(60, seed=3)
    df.attrs["source"] = "survey.csv"
    return df


def test_a_missing_outcome_column_names_the_file_and_column(small):
    with pytest.raises(CxDataError, match=r"^survey\.csv: column 'overal' is missing") as info:
        driver_importance(small, "overal", DRIVERS)
    assert info.value.reason == "missing_column"


def test_a_missing_driver_column_names_the_file_and_column(small):
    with pytest.raises(CxDataError, match=r"^survey\.csv: column 'hold_time' is missing"):
        driver_importance(small, "overall", [*DRIVERS, "hold_time"])


def test_a_missing_column_names_the_analysts_own_column_from_the_map(small):
    mapped = small.drop(columns="staff")
    mapped.attrs = {"source": "survey.csv", "column_map": {"staff": "Staff friendliness (Q4)"}}
    with pytest.raises(CxDataError) as info:
        driver_importance(mapped, "overall", DRIVERS)
    assert "survey.csv" in str(info.value)
    assert "column 'staff' (your 'Staff friendliness (Q4)')" in str(info.value)


def test_text_in_a_rating_column_lists_the_rows(small):
    bad = small.astype({"price": object})
    bad.loc[[4, 9], "price"] = ["good", "n/a?"]
    bad.attrs = dict(small.attrs)
    with pytest.raises(CxDataError, match=r"^survey\.csv: column 'price' has text") as info:
        driver_importance(bad, "overall", DRIVERS)
    assert info.value.rows == [5, 10]   # 1-based data rows, as in a spreadsheet
    assert info.value.reason == "wrong_type"


def test_numbers_stored_as_text_in_a_rating_column_are_accepted(small):
    as_text = small.astype({"price": str})
    np.testing.assert_allclose(by_driver(driver_importance(as_text, "overall", DRIVERS))[DRIVERS],
                               by_driver(driver_importance(small, "overall", DRIVERS))[DRIVERS], rtol=0, atol=1e-12)


def test_a_constant_driver_is_an_error_naming_it(small):
    with pytest.raises(CxDataError, match=r"^survey\.csv: column 'flat' has the same answer") as info:
        driver_importance(small.assign(flat=3.0), "overall", [*DRIVERS, "flat"])
    assert info.value.reason == "constant"


def test_a_constant_outcome_is_an_error_naming_it(small):
    with pytest.raises(CxDataError, match=r"column 'overall' has the same value in every row"):
        driver_importance(small.assign(overall=4.0), "overall", DRIVERS)


@pytest.mark.parametrize("fill", [0.0, np.nan])
def test_a_driver_with_only_not_applicable_answers_is_an_error_naming_it(small, fill):
    with pytest.raises(CxDataError, match=r"column 'lounge' has no answers other than 'not applicable'") as info:
        driver_importance(small.assign(lounge=fill), "overall", [*DRIVERS, "lounge"])
    assert info.value.reason == "all_not_applicable"


def test_perfectly_collinear_drivers_are_named_in_the_error(small):
    summed = small.assign(total=small["staff"] + small["speed"])
    with pytest.raises(CxDataError, match="perfectly collinear") as info:
        driver_importance(summed, "overall", DRIVERS + ["total"])
    message = str(info.value)
    assert message.startswith("survey.csv: ")
    for col in ("staff", "speed", "total"):
        assert col in message
    for col in ("price", "parking", "noise"):
        assert col not in message.split("are perfectly")[0]
    assert info.value.reason == "collinear"


def test_fewer_rows_than_drivers_is_an_error_saying_how_many(small):
    with pytest.raises(CxDataError, match=r"has 4 usable rows for 5 drivers") as info:
        driver_importance(small.head(4), "overall", DRIVERS)
    assert info.value.reason == "too_few_rows"


def test_too_few_complete_rows_after_not_applicable_is_an_error(small):
    sparse = small.copy()
    sparse.loc[sparse.index[3:], "staff"] = 0   # only 3 rows answer staff
    with pytest.raises(CxDataError, match=r"has 3 usable rows for 5 drivers.*every driver answered"):
        driver_importance(sparse, "overall", DRIVERS)


@pytest.mark.parametrize("kwargs, parameter", [
    ({"drivers": ["staff", "overall"]}, "drivers"),
    ({"drivers": []}, "drivers"),
    ({"method": "shapley"}, "method"),
    ({"n_boot": -1}, "n_boot"),
    ({"n_boot": 2.5}, "n_boot"),
    ({"ci": 95}, "ci"),
    ({"na": "drop"}, "na"),
])
def test_bad_parameters_are_parameter_errors_naming_the_parameter(small, kwargs, parameter):
    args = {"drivers": DRIVERS, **kwargs}
    with pytest.raises(CxParameterError, match=rf"^The '{parameter}' parameter of drivers\.driver_importance"):
        driver_importance(small, "overall", **args)


def test_a_single_driver_given_as_a_string_is_not_split_into_letters(small):
    try:
        res = driver_importance(small, "overall", "staff")
    except CxParameterError as err:
        assert "'drivers'" in str(err)
    else:
        assert res["driver"].tolist() == ["staff"]


def test_a_survey_that_is_not_a_dataframe_is_a_parameter_error():
    with pytest.raises(CxParameterError, match="'survey' parameter"):
        driver_importance({"overall": [1, 2]}, "overall", ["staff"])


# --- inputs are never changed ------------------------------------------------------------------------------------

def segmented_survey(n_per: int = 200, seed: int = 4) -> pd.DataFrame:
    """Business travellers care about staff only, personal travellers about price only."""
    rng = np.random.default_rng(seed)
    n = 2 * n_per
    df = pd.DataFrame({d: rating(3 + rng.normal(size=n)) for d in ("staff", "price", "parking")})
    df["type"] = np.repeat(["business", "personal"], n_per)
    signal = np.where(df["type"] == "business", df["staff"], df["price"])
    df["overall"] = signal + 0.2 * df["parking"] + rng.normal(scale=0.5, size=n)
    return df


PUBLIC_CALLS = {
    "driver_importance": lambda df: driver_importance(df, "overall", DRIVERS, n_boot=20),
    "driver_importance_pairwise": lambda df: driver_importance(df, "overall", DRIVERS, na="pairwise", n_boot=20),
    "compare_methods": lambda df: compare_methods(df, "overall", DRIVERS),
    "importance_performance": lambda df: importance_performance(df, "overall", DRIVERS, n_boot=20),
    "group_importance": lambda df: group_importance(df, "overall", {"people": ["staff"], "rest": ["price", "noise"]},
                                                   n_boot=20),
    "segment_importance": lambda df: segment_importance(df, "overall", DRIVERS, "region", n_boot=20, min_rows=30),
}


@pytest.mark.parametrize("call", PUBLIC_CALLS, ids=list(PUBLIC_CALLS))
def test_public_calls_never_change_their_input(call):
    df = make_survey(200, seed=6, na_share=0.1)
    df.loc[[3, 8], "parking"] = np.nan
    df["region"] = np.where(np.arange(200) % 2, "north", "south")
    df.attrs = {"source": "survey.csv", "column_map": {"staff": "Staff"}}
    before = copy.deepcopy(df)
    PUBLIC_CALLS[call](df)
    pd.testing.assert_frame_equal(df, before)
    assert df.attrs == before.attrs


# --- importance-performance --------------------------------------------------------------------------------------

def clear_cut_ipm_survey(n: int = 500, seed: int = 7) -> pd.DataFrame:
    """hold_time matters and is rated low, staff matters and is rated high, decor and music matter little."""
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"hold_time": rating(2 + rng.normal(size=n)), "staff": rating(4.3 + rng.normal(size=n)),
                       "decor": rating(2 + rng.normal(size=n)), "music": rating(4.3 + rng.normal(size=n))})
    df["overall"] = df["hold_time"] + df["staff"] + 0.05 * (df["decor"] + df["music"]) + rng.normal(scale=0.7, size=n)
    return df


@pytest.fixture(scope="module")
def ipm() -> pd.DataFrame:
    return importance_performance(clear_cut_ipm_survey(), "overall", ["hold_time", "staff", "decor", "music"],
                                  n_boot=100, seed=0)


def test_importance_performance_has_the_documented_columns(ipm):
    assert ipm.columns.tolist() == ["driver", "stage", "importance", "importance_low", "importance_high",
                                    "performance", "performance_low", "performance_high", "rank", "rank_low",
                                    "rank_high", "quadrant", "quadrant_probability", "n_answers", "na_share"]


def test_importance_performance_puts_a_clear_cut_case_in_its_quadrants(ipm):
    quadrant = ipm.set_index("driver")["quadrant"]
    assert set(quadrant) <= set(QUADRANTS.values())
    assert quadrant.to_dict() == {"hold_time": "concentrate here", "staff": "keep up the good work",
                                  "decor": "low priority", "music": "possible overkill"}
    assert (ipm["quadrant_probability"] > 0.9).all()


def test_quadrant_probabilities_are_shares_between_zero_and_one():
    df = make_survey(200, seed=8)
    res = importance_performance(df, "overall", DRIVERS, n_boot=40, seed=1)
    assert res["quadrant_probability"].between(0, 1).all()
    assert res["quadrant"].isin(list(QUADRANTS.values())).all()


def test_importance_intervals_contain_the_importance_share(ipm):
    assert (ipm["importance_low"] <= ipm["importance"]).all() and (ipm["importance"] <= ipm["importance_high"]).all()
    assert (ipm["performance_low"] <= ipm["performance"]).all()
    assert (ipm["performance"] <= ipm["performance_high"]).all()
    assert ipm["importance"].sum() == pytest.approx(1.0, abs=1e-12)


def test_importance_performance_mean_performance_ignores_not_applicable():
    df = make_survey(300, seed=9, na_share=0.15)
    res = importance_performance(df, "overall", DRIVERS, n_boot=20)
    expected = df[DRIVERS].replace(0, np.nan).mean()
    np.testing.assert_allclose(by_driver(res, "performance")[DRIVERS], expected[DRIVERS], rtol=0, atol=1e-12)
    np.testing.assert_allclose(by_driver(res, "na_share")[DRIVERS], (df[DRIVERS] == 0).mean()[DRIVERS], atol=1e-12)


def test_top2box_performance_is_the_share_of_4_and_5_among_answers():
    df = make_survey(300, seed=10, na_share=0.15)
    res = importance_performance(df, "overall", DRIVERS, n_boot=20, performance="top2box")
    answered = df[DRIVERS].replace(0, np.nan)
    by_hand = {d: float(answered[d].isin([4, 5]).sum() / answered[d].notna().sum()) for d in DRIVERS}
    assert by_driver(res, "performance").to_dict() == pytest.approx(by_hand, abs=1e-12)


@pytest.mark.parametrize("n_boot", [0, 10, 19])
def test_importance_performance_needs_at_least_20_replicates(n_boot):
    with pytest.raises(CxParameterError, match=r"'n_boot' parameter of drivers\.importance_performance.*>= 20"):
        importance_performance(make_survey(100), "overall", DRIVERS, n_boot=n_boot)


def test_importance_performance_rejects_an_unknown_performance_measure():
    with pytest.raises(CxParameterError, match="'performance' parameter"):
        importance_performance(make_survey(100), "overall", DRIVERS, n_boot=20, performance="median")


# --- groups ------------------------------------------------------------------------------------------------------

def test_group_importance_sums_to_the_r2_of_all_grouped_drivers(survey):
    groups = {"people": ["staff", "speed"], "money": ["price"], "place": ["parking"]}
    res = group_importance(survey, "overall", groups)
    grouped = ["staff", "speed", "price", "parking"]
    r2_grouped = driver_importance(survey, "overall", grouped).attrs["r2"]
    assert res["importance"].sum() == pytest.approx(r2_grouped, abs=1e-12)
    assert res["share"].sum() == pytest.approx(1.0, abs=1e-12)
    assert res.set_index("group")["drivers"].to_dict() == {"people": 2, "money": 1, "place": 1}
    assert res["group"].iloc[0] == "people"


def test_group_importance_with_one_driver_per_group_equals_driver_lmg(survey):
    singles = {d: [d] for d in DRIVERS}
    res = group_importance(survey, "overall", singles)
    np.testing.assert_allclose(res.set_index("group")["importance"][DRIVERS],
                               by_driver(driver_importance(survey, "overall", DRIVERS))[DRIVERS], rtol=0, atol=1e-12)


def test_group_importance_bootstrap_intervals_contain_the_estimate(survey):
    res = group_importance(survey, "overall", {"people": ["staff", "speed"], "rest": ["price", "parking"]},
                           n_boot=100, seed=2)
    assert (res["ci_low"] <= res["importance"]).all() and (res["importance"] <= res["ci_high"]).all()


@pytest.mark.parametrize("groups", [{}, {"people": ["staff"], "empty": []}])
def test_group_importance_rejects_empty_groups(survey, groups):
    with pytest.raises(CxParameterError, match=r"'groups' parameter of drivers\.group_importance"):
        group_importance(survey, "overall", groups)


def test_group_importance_rejects_a_driver_in_two_groups(survey):
    with pytest.raises(CxParameterError, match=r"'groups' parameter.*speed"):
        group_importance(survey, "overall", {"people": ["staff", "speed"], "process": ["speed", "price"]})


def test_groups_from_map_collects_touchpoints_per_stage_in_map_order():
    tmap = pd.DataFrame({"touchpoint": ["website", "hold_time", "staff", "billing", "survey_email"],
                         "stage": ["before", "before", "during", "after", None],
                         "group": ["access", "access", "people", "", "people"]})
    assert groups_from_map(tmap) == {"before": ["website", "hold_time"], "during": ["staff"], "after": ["billing"]}
    assert groups_from_map(tmap, by="group") == {"access": ["website", "hold_time"],
                                                 "people": ["staff", "survey_email"]}
    assert groups_from_map(tmap, drivers=["staff", "billing"]) == {"during": ["staff"], "after": ["billing"]}


def test_groups_from_map_without_the_column_names_the_map_and_column():
    tmap = pd.DataFrame({"touchpoint": ["staff"]})
    tmap.attrs["source"] = "touchpoints.csv"
    with pytest.raises(CxDataError, match=r"^touchpoints\.csv: column 'stage' is missing"):
        groups_from_map(tmap)


# --- segments ----------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def segments() -> pd.DataFrame:
    df = segmented_survey()
    tiny = segmented_survey(n_per=10, seed=11).iloc[:12].assign(type="crew")
    return segment_importance(pd.concat([df, tiny], ignore_index=True), "overall", ["staff", "price", "parking"],
                              "type", n_boot=100, seed=0)


def test_segment_importance_lists_segments_and_their_difference(segments):
    assert segments.columns.tolist() == ["segment", "driver", "share", "ci_low", "ci_high", "rank", "n"]
    assert set(segments["segment"]) == {"business", "personal", "business − personal"}
    for seg in ("business", "personal"):
        assert segments.loc[segments["segment"] == seg, "share"].sum() == pytest.approx(1.0, abs=1e-12)


def test_segment_importance_finds_the_planted_driver_of_each_segment(segments):
    top = segments[segments["rank"] == 1].set_index("segment")["driver"]
    assert top["business"] == "staff" and top["personal"] == "price"


def test_segment_difference_intervals_exclude_zero_for_the_planted_drivers(segments):
    diff = segments[segments["segment"] == "business − personal"].set_index("driver")
    assert diff.loc["staff", "ci_low"] > 0      # staff matters more to business travellers
    assert diff.loc["price", "ci_high"] < 0     # price matters more to personal travellers
    shares = segments.pivot(index="driver", columns="segment", values="share")
    np.testing.assert_allclose(diff["share"], (shares["business"] - shares["personal"])[diff.index], atol=1e-12)


def test_small_segments_are_skipped_and_listed(segments):
    assert segments.attrs["skipped"] == {"crew": 12}
    assert "crew" not in set(segments["segment"])
    assert segments.attrs["min_rows"] == 50


def test_segment_importance_per_segment_equals_driver_importance_on_that_segment():
    df = segmented_survey()
    res = segment_importance(df, "overall", ["staff", "price", "parking"], "type", n_boot=0)
    business = driver_importance(df[df["type"] == "business"], "overall", ["staff", "price", "parking"])
    got = res[res["segment"] == "business"].set_index("driver")["share"]
    np.testing.assert_allclose(got[business["driver"]], business["share"], rtol=0, atol=1e-12)
    assert (res["n"].iloc[0]) == 200


def test_segment_importance_with_a_missing_segment_column_names_it(survey):
    with pytest.raises(CxDataError, match=r"column 'tier' is missing"):
        segment_importance(survey, "overall", DRIVERS, "tier", n_boot=0)
