"""Benchmark and reference check of touchpoint importance (issue: touchpoint importance).

    .venv/bin/python bench/drivers.py [--boot 1000]

Prints, from one run on this machine:

1. correctness: the largest difference between cxlib's exact LMG and pingouin's
   ``linear_regression(..., relimp=True)`` (which matches R's relaimpo ``calc.relimp(type="lmg")``)
   on random datasets and on the airline satisfaction survey (14 touchpoints, 0 = not applicable) when
   ``../shared/datasets`` is present (else on the sample survey);
2. speed on the same data in the same process: pingouin's relimp against ``drivers.driver_importance``
   (best of 5 each, N/A handling included on our side), as a ratio;
3. the wall time of exact LMG with 20 drivers (first call, including the subset tables, and a warm call);
4. the wall time of ``driver_importance(..., n_boot=B)`` with 14 drivers.
"""
from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pingouin as pg

from cxlib import drivers, io, relimp

ROOT = Path(__file__).resolve().parents[1]
AIRLINE = ROOT.parent / "shared" / "datasets" / "airline_satisfaction" / "test.csv"
AIRLINE_TOUCHPOINTS = [
    "Inflight wifi service", "Departure/Arrival time convenient", "Ease of Online booking", "Gate location",
    "Food and drink", "Online boarding", "Seat comfort", "Inflight entertainment", "On-board service",
    "Leg room service", "Baggage handling", "Checkin service", "Inflight service", "Cleanliness"]


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def pingouin_lmg(df: pd.DataFrame, outcome: str, cols: list[str]) -> dict[str, float]:
    res = pg.linear_regression(df[cols], df[outcome], relimp=True)
    return dict(zip(res["names"], res["relimp"]))


def random_case(seed: int, p: int, n: int = 800) -> tuple[pd.DataFrame, list[str]]:
    rng = np.random.default_rng(seed)
    cov = 0.5 * np.ones((p, p)) + 0.5 * np.eye(p)
    x = rng.multivariate_normal(np.zeros(p), cov, size=n)
    cols = [f"x{i}" for i in range(p)]
    df = pd.DataFrame(x, columns=cols)
    df["y"] = x @ rng.uniform(0, 1, p) + rng.normal(size=n)
    return df, cols


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--boot", type=int, default=1000, help="bootstrap replicates timed at 14 drivers")
    args = ap.parse_args()
    print(f"machine: {os.cpu_count()} cores")

    worst = 0.0
    for seed, p in [(0, 3), (1, 6), (2, 9), (3, 12)]:
        df, cols = random_case(seed, p)
        ours = drivers.driver_importance(df, "y", cols, na_values=())
        ref = pingouin_lmg(df, "y", cols)
        worst = max(worst, max(abs(ref[d] - v) for d, v in zip(ours["driver"], ours["importance"])))
    print(f"random datasets (p = 3, 6, 9, 12): max |cxlib - pingouin| = {worst:.1e}")

    if AIRLINE.is_file():
        raw = io.read_table(AIRLINE)
        label, outcome, cols, positive = "airline satisfaction (25,976 rows)", "satisfaction", AIRLINE_TOUCHPOINTS, "satisfied"
    else:
        raw = io.read_table(ROOT / "data" / "sample" / "survey.csv")
        label, outcome, positive = "sample survey (airline data absent)", "overall_satisfaction", None
        cols = [c for c in raw.columns if c not in ("respondent_id", "date", "customer_type", "region", "channel",
                                                    "nps", "overall_satisfaction")][:14]
    # pingouin needs complete numeric rows: 0 = not applicable dropped listwise, the outcome as 0/1
    complete = raw[cols + [outcome]].copy()
    complete[cols] = complete[cols].replace(0, np.nan)
    complete = complete.dropna()
    if positive:
        complete[outcome] = (complete[outcome] == positive).astype(float)
    ours = drivers.driver_importance(raw, outcome, cols, outcome_positive=positive)
    ref = pingouin_lmg(complete, outcome, cols)
    diff = max(abs(ref[d] - v) for d, v in zip(ours["driver"], ours["importance"]))
    print(f"{label}: {len(cols)} touchpoints, {len(complete):,} complete rows, "
          f"max |cxlib - pingouin| = {diff:.1e}")
    t_pg = best_of(lambda: pingouin_lmg(complete, outcome, cols), 5)
    t_cx = best_of(lambda: drivers.driver_importance(raw, outcome, cols, outcome_positive=positive), 5)
    print(f"  pingouin relimp: {t_pg * 1000:8.1f} ms   cxlib driver_importance: {t_cx * 1000:6.1f} ms   "
          f"ratio {t_pg / t_cx:.1f}x  (goal >= 20x)")

    rng = np.random.default_rng(5)
    x = rng.normal(size=(3000, 20))
    corr = np.corrcoef(np.column_stack([x, x @ rng.uniform(0, 1, 20) + rng.normal(size=3000)]), rowvar=False)
    relimp._combos.cache_clear()
    relimp._shapley_plan.cache_clear()
    t_first = best_of(lambda: relimp.lmg(corr), 1)
    t_warm = best_of(lambda: relimp.lmg(corr), 2)
    print(f"exact LMG, 20 drivers (2^20 subsets): {t_first:.2f} s first call, {t_warm:.2f} s warm  (goal <= 5 s)")

    t0 = time.perf_counter()
    res = drivers.driver_importance(raw, outcome, cols, n_boot=args.boot, seed=0, outcome_positive=positive)
    t_boot = time.perf_counter() - t0
    print(f"driver_importance with {args.boot} bootstrap replicates, {len(cols)} drivers: {t_boot:.1f} s "
          f"({res.attrs['n_boot_used']} replicates used)")
    return 0 if worst < 1e-8 and diff < 1e-8 else 1


if __name__ == "__main__":
    raise SystemExit(main())
