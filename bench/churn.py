"""Benchmark of churn prediction (issue: churn prediction).

    .venv/bin/python bench/churn.py [--rows 100000] [--only-scale]

Prints, from one run on this machine:

1. Telco (``../shared/datasets/telco_churn``, skipped when absent): stratified 5-fold CV repeated 3 times
   (``churn.cross_validate``'s defaults), ROC-AUC, PR-AUC and Brier score of each model, preparation refitted
   inside every fold (no resampling before the split); the published reference is logistic regression
   0.83-0.85 and tuned boosting about 0.865 on one split. Then the campaign: the threshold chosen by 5-fold
   cross-validated profit on 75 % of the customers (``churn.tune_threshold``, scikit-learn's
   ``TunedThresholdClassifierCV``; value = MonthlyCharges x 24, offer 10, acceptance 0.3), judged on the other 25 %
   against calling nobody, calling everyone and the best threshold in hindsight (EMP);
2. the sample table: the same CV, and the five strongest explanations on held-out customers;
3. scale: preparation, the default CV of the best model (one 5-fold pass from 20,000 customers on), a final
   fit, permutation importance (on 20,000 of the held-out customers) and every training customer's top reasons
   on a table of ``--rows`` customers made by ``cxlib.sample.make_customers`` (goal: under 60 s on 2 cores).
   ``--only-scale`` runs this part alone, with the blend (the model the sample's CV picks).
"""
from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from cxlib import churn, io, retention, sample

ROOT = Path(__file__).resolve().parents[1]
TELCO = ROOT.parent / "shared" / "datasets" / "telco_churn"


def telco_campaign(telco, best: str) -> None:
    customers = telco.rename(columns={"MonthlyCharges": "monthly_revenue"})
    data = churn.prepare_customers(customers, target="Churn", id_column="customerID")
    value = churn.value_by_customer(customers, retention.customer_value(customers), id_column="customerID")
    train, test = churn.split_customers(data, 0.25, seed=0)
    t0 = time.perf_counter()
    tuned = churn.tune_threshold(train, train.ids.map(value).to_numpy(dtype=float), model=best, cv=5, seed=0)
    held_out = tuned.model.pipeline.predict_proba(test.features)[:, 1]
    curve = retention.profit_curve(held_out, test.ids.map(value).to_numpy(dtype=float), y_true=test.target)
    table = retention.compare_policies(curve, tuned.threshold, label="CV-chosen threshold")
    print(f"Telco campaign ({best}, {time.perf_counter() - t0:.1f} s): threshold {tuned.threshold:.3f} chosen by "
          f"5-fold CV on {len(train.target):,} customers (CV profit {tuned.cv_profit:.2f} per customer); "
          f"on the {len(test.target):,} held-out customers:")
    for r in table.itertuples():
        print(f"  {r.policy:20s} contacts {r.contacted:5,d} ({r.contacted_share:4.0%})  profit {r.profit:10,.0f}  "
              f"per customer {r.profit_per_customer:6.2f}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--only-scale", action="store_true", help="only part 3, with the blend")
    args = ap.parse_args()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"machine: {os.cpu_count()} cores, load average {load} at the start (other work slows every timing)")
    scale(args.rows, "blend" if args.only_scale else sample_and_telco())
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"load average {load} at the end")
    return 0


def sample_and_telco() -> str:
    """Parts 1 and 2; returns the model with the best cross-validated ROC-AUC on the sample."""
    files = sorted(TELCO.glob("*.csv")) if TELCO.is_dir() else []
    if files:
        telco = io.read_table(files[0])
        t0 = time.perf_counter()
        res = churn.cross_validate(telco, target="Churn", id_column="customerID", cv=5, seed=0)
        print(f"Telco, {res.attrs['repeats']} x 5-fold stratified CV ({time.perf_counter() - t0:.1f} s):")
        for r in res.itertuples():
            sd = res.attrs["sd"][r.model]["roc_auc"]
            print(f"  {r.model:9s} ROC-AUC {r.roc_auc:.4f} (sd {sd:.4f})  PR-AUC {r.pr_auc:.4f}  Brier {r.brier:.4f}")
        telco_campaign(telco, res.sort_values("roc_auc", ascending=False)["model"].iloc[0])
    else:
        print("Telco: ../shared/datasets/telco_churn absent, skipped")

    customers = io.read_table(ROOT / "data" / "sample" / "customers.csv")
    res = churn.cross_validate(customers, cv=5, seed=0)
    best = res.sort_values("roc_auc", ascending=False)["model"].iloc[0]
    print(f"sample customers, {res.attrs['repeats']} x 5-fold CV:",
          ", ".join(f"{r.model} {r.roc_auc:.3f}" for r in res.itertuples()))
    train, test = churn.split_customers(churn.prepare_customers(customers), 0.25, seed=0)
    top = churn.feature_importance(churn.fit_model(train, model=best), test)["feature"].head(5).tolist()
    print(f"  top 5 explanations ({best}): {', '.join(top)}; planted: {sample.CHURN_DRIVERS}")
    return best


def scale(rows: int, best: str) -> None:
    big = sample.make_customers(rows, seed=1)
    t0 = time.perf_counter()
    data = churn.prepare_customers(big)
    t_prep = time.perf_counter() - t0
    cv = churn.cross_validate(big, cv=5, seed=0, models=(best,))
    t_cv = time.perf_counter() - t0 - t_prep
    train, test = churn.split_customers(data, 0.25, seed=0)
    model = churn.fit_model(train, model=best)
    churn.feature_importance(model, test, n_repeats=3)
    t_fit = time.perf_counter() - t0 - t_prep - t_cv
    churn.explain_customers(model)
    total = time.perf_counter() - t0
    print(f"{rows:,} customers: preparation {t_prep:.1f} s, {cv.attrs['repeats']} x 5-fold CV of {best} "
          f"{t_cv:.1f} s (ROC-AUC {cv['roc_auc'].iloc[0]:.3f}), fit + permutation importance {t_fit:.1f} s, "
          f"top reasons of {len(train.target):,} customers {total - t_prep - t_cv - t_fit:.1f} s; "
          f"total {total:.1f} s (goal < 60 s)")


if __name__ == "__main__":
    raise SystemExit(main())
