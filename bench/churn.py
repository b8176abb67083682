"""Benchmark of churn prediction (issue: churn prediction).

    .venv/bin/python bench/churn.py [--rows 100000]

Prints, from one run on this machine:

1. Telco (``../shared/datasets/telco_churn``, skipped when absent): 5-fold stratified CV ROC-AUC, PR-AUC
   and Brier score of each model, preparation refitted inside every fold (no resampling before the split);
   the published reference is logistic regression 0.83-0.85 and tuned boosting about 0.865 on one split;
2. the sample table: the same, and the five strongest explanations on held-out customers;
3. scale: preparation, 5-fold CV of the best model, a final fit and permutation importance on a table of
   ``--rows`` customers made by ``cxlib.sample.make_customers`` (goal: under 60 s on 2 cores).
"""
from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from cxlib import churn, io, sample

ROOT = Path(__file__).resolve().parents[1]
TELCO = ROOT.parent / "shared" / "datasets" / "telco_churn"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    args = ap.parse_args()
    print(f"machine: {os.cpu_count()} cores")
    files = sorted(TELCO.glob("*.csv")) if TELCO.is_dir() else []
    if files:
        t0 = time.perf_counter()
        res = churn.cross_validate(io.read_table(files[0]), target="Churn", id_column="customerID", cv=5, seed=0)
        print(f"Telco, 5-fold stratified CV ({time.perf_counter() - t0:.1f} s):")
        for r in res.itertuples():
            sd = res.attrs["sd"][r.model]["roc_auc"]
            print(f"  {r.model:9s} ROC-AUC {r.roc_auc:.4f} (sd {sd:.4f})  PR-AUC {r.pr_auc:.4f}  Brier {r.brier:.4f}")
    else:
        print("Telco: ../shared/datasets/telco_churn absent, skipped")

    customers = io.read_table(ROOT / "data" / "sample" / "customers.csv")
    res = churn.cross_validate(customers, cv=5, seed=0)
    best = res.sort_values("roc_auc", ascending=False)["model"].iloc[0]
    print("sample customers, 5-fold CV:", ", ".join(f"{r.model} {r.roc_auc:.3f}" for r in res.itertuples()))
    train, test = churn.split_customers(churn.prepare_customers(customers), 0.25, seed=0)
    top = churn.feature_importance(churn.fit_model(train, model=best), test)["feature"].head(5).tolist()
    print(f"  top 5 explanations ({best}): {', '.join(top)}; planted: {sample.CHURN_DRIVERS}")

    big = sample.make_customers(args.rows, seed=1)
    t0 = time.perf_counter()
    data = churn.prepare_customers(big)
    t_prep = time.perf_counter() - t0
    cv = churn.cross_validate(big, cv=5, seed=0, models=(best,))
    t_cv = time.perf_counter() - t0 - t_prep
    train, test = churn.split_customers(data, 0.25, seed=0)
    model = churn.fit_model(train, model=best)
    churn.feature_importance(model, test, n_repeats=3)
    total = time.perf_counter() - t0
    print(f"{args.rows:,} customers: preparation {t_prep:.1f} s, 5-fold CV of {best} {t_cv:.1f} s "
          f"(ROC-AUC {cv['roc_auc'].iloc[0]:.3f}), fit + permutation importance {total - t_prep - t_cv:.1f} s; "
          f"total {total:.1f} s (goal < 60 s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
