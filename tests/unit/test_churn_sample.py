"""Ground truth: the churn model finds the drivers planted in data/sample/customers.csv."""
from __future__ import annotations

from pathlib import Path

from cxlib import churn, io, sample

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample" / "customers.csv"
# planted driver -> the column that carries it (contract_month_to_month is a level of `contract`)
PLANTED = {"contract_month_to_month": "contract", "rude_staff_complaints": "rude_staff_complaints",
           "tenure_months": "tenure_months", "first_contact_resolution": "first_contact_resolution",
           "avg_resolution_hours": "avg_resolution_hours", "last_nps": "last_nps", "complaint_count": "complaint_count"}


def test_planted_churn_drivers_are_the_top_five_explanations():
    data = churn.prepare_customers(io.read_table(SAMPLE))
    train, test = churn.split_customers(data, 0.25, seed=0)
    top5 = set(churn.feature_importance(churn.fit_model(train, model="logistic"), test, seed=0)["feature"].head(5))
    # every one of the top five explanations is a planted driver (no revenue, segment or colour) ...
    assert top5 <= {PLANTED[k] for k in sample.CHURN_DRIVERS if k in PLANTED}
    # ... and the three strongest planted drivers are among them
    strongest = sorted(PLANTED, key=lambda k: -abs(sample.CHURN_DRIVERS[k]))[:3]
    assert {PLANTED[k] for k in strongest} <= top5


def test_cross_validated_auc_is_well_above_chance_and_probabilities_are_calibrated():
    res = churn.cross_validate(io.read_table(SAMPLE), cv=3, seed=0, models=("logistic",)).set_index("model")
    assert res.loc["logistic", "roc_auc"] > 0.75
    # Brier of a constant guess at the churn rate r is r(1 - r); a useful model is clearly below it
    r = res.attrs["churn_rate"]
    assert res.loc["logistic", "brier"] < 0.8 * r * (1 - r)
