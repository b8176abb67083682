"""Ground truth: touchpoint importance recovers the driver weights planted in data/sample/survey.csv."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy.stats import spearmanr

from cxlib import drivers, io, sample

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"


@pytest.fixture(scope="module")
def survey():
    return drivers.prepare_survey(io.read_table(SAMPLE / "survey.csv"), "overall_satisfaction",
                                  io.read_table(SAMPLE / "touchpoints.csv"))


def test_lmg_ranks_the_planted_driver_weights_of_the_sample(survey):
    imp = drivers.driver_importance(survey.data, "overall_satisfaction", survey.touchpoints, na="pairwise")
    found = dict(zip(imp["driver"], imp["importance"]))
    truth = [sample.DRIVER_WEIGHTS[t] for t in survey.touchpoints]
    rho = spearmanr(truth, [found[t] for t in survey.touchpoints]).statistic
    assert rho >= 0.9, rho
    assert imp["driver"].iloc[0] == max(sample.DRIVER_WEIGHTS, key=sample.DRIVER_WEIGHTS.get)
    assert imp["driver"].iloc[-1] == sample.NOISE_TOUCHPOINT


def test_the_noise_touchpoint_interval_reaches_zero_and_the_top_one_does_not(survey):
    imp = drivers.driver_importance(survey.data, "overall_satisfaction", survey.touchpoints, na="pairwise",
                                    n_boot=40, seed=0).set_index("driver")
    assert imp.loc[sample.NOISE_TOUCHPOINT, "ci_low"] < 1e-3
    assert imp.loc["staff_politeness", "ci_low"] > imp.drop(index="staff_politeness")["ci_high"].max()


@pytest.mark.parametrize("seed", range(5))
def test_planted_weights_are_recovered_on_other_seeds_too(seed):
    df = sample.make_survey(3000, seed=seed)
    tps = list(sample.DRIVER_WEIGHTS)
    imp = drivers.driver_importance(df, "overall_satisfaction", tps, na="pairwise")
    found = dict(zip(imp["driver"], imp["importance"]))
    rho = spearmanr([sample.DRIVER_WEIGHTS[t] for t in tps], [found[t] for t in tps]).statistic
    assert rho >= 0.85, rho


def test_stages_and_groups_of_the_sample_map_are_used(survey):
    stages = survey.groups_by("stage")
    assert list(stages) == ["before", "during", "after"]
    grouped = drivers.group_importance(survey.data, "overall_satisfaction", stages, na="pairwise")
    full = drivers.driver_importance(survey.data, "overall_satisfaction", survey.touchpoints, na="pairwise")
    # the stages hold every touchpoint, so their Shapley values share out the same R²
    assert np.isclose(grouped["importance"].sum(), full.attrs["r2"])
