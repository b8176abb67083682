"""cxlib.relimp: relative-importance arithmetic on correlation matrices.

Known answers: pingouin 0.7's ``linear_regression(..., relimp=True)`` (the same LMG as R's relaimpo
``calc.relimp(type="lmg", rela=FALSE)``) and ordinary least squares solved directly with
``np.linalg.lstsq`` on the raw rows. Every dataset is generated here from a seed; nothing is mocked.
"""
from __future__ import annotations

import numpy as np
import pingouin as pg
import pytest

from cxlib import relimp


def correlated_rows(p: int, seed: int, n: int = 300, rho: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``n`` rows of ``p`` correlated drivers and an outcome with unequal true weights.

    With ``rho`` the drivers share one factor so that every pair correlates about ``rho``.
    """
    rng = np.random.default_rng(seed)
    if rho is None:
        x = rng.normal(size=(n, p)) @ rng.normal(size=(p, p))
    else:
        common = rng.normal(size=(n, 1))
        x = np.sqrt(rho) * common + np.sqrt(1 - rho) * rng.normal(size=(n, p))
    y = x @ rng.uniform(0.1, 1.0, p) + rng.normal(scale=2.0, size=n)
    return x, y


def corr_of(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Correlation matrix with the outcome last, as relimp expects."""
    return np.corrcoef(np.column_stack([x, y]), rowvar=False)


def ols_r2(x: np.ndarray, y: np.ndarray) -> float:
    """R² of y on the columns of x with an intercept, by least squares on the rows themselves."""
    design = np.column_stack([np.ones(len(y)), x])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    resid = y - design @ coef
    return 1 - resid @ resid / ((y - y.mean()) @ (y - y.mean()))


def standardized_beta(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    zx = (x - x.mean(axis=0)) / x.std(axis=0)
    zy = (y - y.mean()) / y.std()
    coef, *_ = np.linalg.lstsq(zx, zy, rcond=None)
    return coef


# --- LMG against pingouin (relaimpo) ----------------------------------------------------------------------------

@pytest.mark.parametrize("p, seed", [(2, 0), (2, 1), (5, 2), (5, 3), (9, 4), (12, 5)])
def test_lmg_equals_pingouin_relimp_on_random_correlated_data(p, seed):
    x, y = correlated_rows(p, seed)
    # reference: pg.linear_regression(x, y, relimp=True)["relimp"] (row 0 is the intercept, NaN)
    expected = pg.linear_regression(x, y, relimp=True)["relimp"].to_numpy()[1:]
    np.testing.assert_allclose(relimp.lmg(corr_of(x, y)), expected, rtol=0, atol=1e-8)


@pytest.mark.parametrize("seed", [6, 7])
def test_lmg_equals_pingouin_relimp_under_strong_collinearity(seed):
    x, y = correlated_rows(6, seed, n=500, rho=0.9)
    c = corr_of(x, y)
    off_diagonal = c[:6, :6][~np.eye(6, dtype=bool)]
    assert off_diagonal.min() > 0.8  # the case is really collinear
    # reference: pg.linear_regression(x, y, relimp=True)["relimp"]
    expected = pg.linear_regression(x, y, relimp=True)["relimp"].to_numpy()[1:]
    np.testing.assert_allclose(relimp.lmg(c), expected, rtol=0, atol=1e-8)


@pytest.mark.parametrize("method", [relimp.lmg, relimp.pratt, relimp.relative_weights])
@pytest.mark.parametrize("p, seed", [(3, 10), (7, 11), (10, 12)])
def test_decomposing_methods_sum_to_the_model_r2(method, p, seed):
    x, y = correlated_rows(p, seed)
    c = corr_of(x, y)
    assert method(c).sum() == pytest.approx(ols_r2(x, y), abs=1e-10)
    assert relimp.r2(c) == pytest.approx(ols_r2(x, y), abs=1e-10)


def test_lmg_is_exact_for_many_drivers_without_sampling():
    # the all-subsets solve should still sum to R² for 15 drivers (32768 subsets)
    x, y = correlated_rows(15, 13, n=400)
    assert relimp.lmg(corr_of(x, y)).sum() == pytest.approx(ols_r2(x, y), abs=1e-10)


def test_lmg_refuses_more_drivers_than_the_exact_limit():
    c = np.eye(relimp.MAX_EXACT + 2)
    with pytest.raises(ValueError, match=f"limited to {relimp.MAX_EXACT} drivers"):
        relimp.lmg(c)


# --- first, last, betasq, pratt against direct least squares ----------------------------------------------------

@pytest.mark.parametrize("p, seed", [(3, 20), (6, 21)])
def test_first_is_the_r2_of_each_driver_alone(p, seed):
    x, y = correlated_rows(p, seed)
    expected = [ols_r2(x[:, [j]], y) for j in range(p)]
    np.testing.assert_allclose(relimp.first(corr_of(x, y)), expected, rtol=0, atol=1e-10)


@pytest.mark.parametrize("p, seed", [(3, 22), (6, 23)])
def test_last_is_the_r2_lost_when_each_driver_is_dropped(p, seed):
    x, y = correlated_rows(p, seed)
    full = ols_r2(x, y)
    expected = [full - ols_r2(np.delete(x, j, axis=1), y) for j in range(p)]
    np.testing.assert_allclose(relimp.last(corr_of(x, y)), expected, rtol=0, atol=1e-10)


@pytest.mark.parametrize("p, seed", [(3, 24), (6, 25)])
def test_betasq_is_the_squared_standardized_coefficient(p, seed):
    x, y = correlated_rows(p, seed)
    np.testing.assert_allclose(relimp.betasq(corr_of(x, y)), standardized_beta(x, y) ** 2, rtol=0, atol=1e-10)


@pytest.mark.parametrize("p, seed", [(3, 26), (6, 27)])
def test_pratt_is_standardized_coefficient_times_correlation_with_outcome(p, seed):
    x, y = correlated_rows(p, seed)
    r_y = np.array([np.corrcoef(x[:, j], y)[0, 1] for j in range(p)])
    np.testing.assert_allclose(relimp.pratt(corr_of(x, y)), standardized_beta(x, y) * r_y, rtol=0, atol=1e-10)


# --- relative weights --------------------------------------------------------------------------------------------

def exactly_uncorrelated_rows(p: int, seed: int, n: int = 200) -> tuple[np.ndarray, np.ndarray]:
    """Drivers whose sample correlations are exactly 0 (orthonormal centred columns)."""
    rng = np.random.default_rng(seed)
    raw = rng.normal(size=(n, p))
    q, _ = np.linalg.qr(raw - raw.mean(axis=0))
    x = q * rng.uniform(1, 3, p)  # rescaling keeps the columns uncorrelated
    y = x @ rng.uniform(0.5, 2, p) / 10 + rng.normal(scale=0.05, size=n)
    return x, y


def test_relative_weights_equal_lmg_when_drivers_are_uncorrelated():
    x, y = exactly_uncorrelated_rows(5, 30)
    c = corr_of(x, y)
    assert np.abs(c[:5, :5] - np.eye(5)).max() < 1e-12
    np.testing.assert_allclose(relimp.relative_weights(c), relimp.lmg(c), rtol=0, atol=1e-10)
    # with uncorrelated drivers both are simply the squared correlations with the outcome
    np.testing.assert_allclose(relimp.lmg(c), c[:5, 5] ** 2, rtol=0, atol=1e-10)


@pytest.mark.parametrize("seed", [31, 32, 33])
def test_relative_weights_differ_from_lmg_but_stay_close_when_drivers_are_correlated(seed):
    x, y = correlated_rows(5, seed, rho=0.6)
    c = corr_of(x, y)
    gap = np.abs(relimp.relative_weights(c) - relimp.lmg(c))
    assert gap.max() > 1e-4            # an approximation, not the same number
    assert gap.max() < 0.1 * relimp.r2(c)  # ... but a close one


# --- subset_r2 and batches ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("seed", [40, 41])
def test_subset_r2_entries_equal_least_squares_r2_of_that_subset(seed):
    p = 7
    x, y = correlated_rows(p, seed)
    table = relimp.subset_r2(corr_of(x, y))
    assert table.shape == (1 << p,)
    assert table[0] == 0.0
    rng = np.random.default_rng(seed)
    for mask in [1, (1 << p) - 1, *rng.integers(1, 1 << p, 8)]:
        cols = [j for j in range(p) if mask >> j & 1]
        assert table[mask] == pytest.approx(ols_r2(x[:, cols], y), abs=1e-10), f"mask {mask:b}"


def test_subset_r2_and_lmg_on_a_stack_of_matrices_equal_the_per_matrix_results():
    stack = np.stack([corr_of(*correlated_rows(6, seed)) for seed in range(50, 54)])   # (4, 7, 7)
    tables, values = relimp.subset_r2(stack), relimp.lmg(stack)
    assert tables.shape == (4, 1 << 6) and values.shape == (4, 6)
    for b in range(4):
        np.testing.assert_allclose(tables[b], relimp.subset_r2(stack[b]), rtol=0, atol=1e-12)
        np.testing.assert_allclose(values[b], relimp.lmg(stack[b]), rtol=0, atol=1e-12)


def test_lmg_keeps_two_leading_batch_axes():
    stack = np.stack([corr_of(*correlated_rows(4, seed)) for seed in range(60, 66)]).reshape(2, 3, 5, 5)
    values = relimp.lmg(stack)
    assert values.shape == (2, 3, 4)
    np.testing.assert_allclose(values[1, 2], relimp.lmg(stack[1, 2]), rtol=0, atol=1e-12)


def test_subset_r2_of_a_singular_subset_falls_back_to_least_squares():
    # driver 2 is an exact copy of driver 0: subsets holding both are singular, yet their R² is defined
    x, y = correlated_rows(3, 70)
    x[:, 2] = x[:, 0]
    table = relimp.subset_r2(corr_of(x, y))
    assert table[0b111] == pytest.approx(ols_r2(x[:, :2], y), abs=1e-8)
    assert table[0b101] == pytest.approx(ols_r2(x[:, [0]], y), abs=1e-8)


# --- sampled LMG -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("seed", [0, 1, 2])
def test_lmg_sampled_is_within_four_standard_errors_of_exact(seed):
    c = corr_of(*correlated_rows(6, 80 + seed))
    est, se = relimp.lmg_sampled(c, n_perm=3000, seed=seed)
    assert (se > 0).all()
    assert np.all(np.abs(est - relimp.lmg(c)) < 4 * se)


def test_lmg_sampled_estimates_sum_to_r2_in_every_run():
    # each driver order's gains telescope to the full R², so their average does too
    c = corr_of(*correlated_rows(6, 85))
    est, _ = relimp.lmg_sampled(c, n_perm=200, seed=3)
    assert est.sum() == pytest.approx(float(relimp.r2(c)), abs=1e-10)


def test_lmg_sampled_standard_error_shrinks_with_more_permutations():
    c = corr_of(*correlated_rows(6, 86))
    _, se_few = relimp.lmg_sampled(c, n_perm=400, seed=0)
    _, se_many = relimp.lmg_sampled(c, n_perm=6400, seed=0)
    # 16 times the permutations: about a quarter of the standard error
    assert np.all(se_many < 0.4 * se_few)


def test_lmg_sampled_is_reproducible_with_its_seed():
    c = corr_of(*correlated_rows(5, 87))
    a, _ = relimp.lmg_sampled(c, n_perm=300, seed=9)
    b, _ = relimp.lmg_sampled(c, n_perm=300, seed=9)
    d, _ = relimp.lmg_sampled(c, n_perm=300, seed=10)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, d)


# --- groups ------------------------------------------------------------------------------------------------------

def test_group_shapley_with_singleton_groups_equals_lmg():
    c = corr_of(*correlated_rows(5, 90))
    np.testing.assert_allclose(relimp.group_r2_shapley(c, [[j] for j in range(5)]), relimp.lmg(c),
                               rtol=0, atol=1e-12)


def test_group_values_sum_to_the_r2_of_all_grouped_drivers():
    x, y = correlated_rows(6, 91)
    groups = [[0, 1], [3], [4, 5]]   # driver 2 belongs to no group and stays out of the model
    values = relimp.group_r2_shapley(corr_of(x, y), groups)
    assert values.shape == (3,)
    assert values.sum() == pytest.approx(ols_r2(x[:, [0, 1, 3, 4, 5]], y), abs=1e-10)


def test_two_groups_split_r2_by_the_two_player_shapley_formula():
    x, y = correlated_rows(5, 92)
    a, b = [0, 1], [2, 3, 4]
    r_a, r_b, r_ab = ols_r2(x[:, a], y), ols_r2(x[:, b], y), ols_r2(x, y)
    # two players: each gets half its solo worth plus half its gain over the other
    expected = [(r_a + (r_ab - r_b)) / 2, (r_b + (r_ab - r_a)) / 2]
    np.testing.assert_allclose(relimp.group_r2_shapley(corr_of(x, y), [a, b]), expected, rtol=0, atol=1e-10)
