"""Writes notebooks/02_churn_prediction.ipynb (kept as code so that edits are reviewed as text)."""
import nbformat as nbf

md, code = nbf.v4.new_markdown_cell, nbf.v4.new_code_cell
cells = [
    md("# Churn prediction: who is about to leave, why, when, and what acting is worth\n\n"
       "Keeping a customer costs several times less than winning a new one, and a loyal fifth of customers brings "
       "most of the revenue. This report ranks customers by their risk of leaving, says why for each of them, shows "
       "when customers leave, and turns the ranking into a call list that pays for itself: who to offer what, and "
       "the money it saves against calling nobody or everybody."),
    code('input_path: str = "data/sample/customers.csv"  # customer table (CSV, Excel or Parquet), one row per customer\n'
         'columns: dict = {}  # {their_name: our_name}, e.g. {"customerID": "customer_id", "Churn": "churned", "tenure": "tenure_months"}\n'
         'include: list = []  # feature columns to use; empty list: every column but the id and the churn flag\n'
         'exclude: list = []  # feature columns to leave out (e.g. a cancellation date that records the churn)\n'
         'segment: str = "contract"  # column whose retention curves are compared; "" to skip\n'
         'survival_covariates: list = ["contract", "rude_staff_complaints", "avg_resolution_hours", "first_contact_resolution", "complaint_count"]  # Cox model inputs; empty list: skip\n'
         'value_column: str = ""  # a column with each customer\'s value; "" for monthly revenue times expected_months\n'
         'expected_months: int = 24  # months a kept customer stays on (assumption; see the retention curves)\n'
         'offer_cost: float = 10.0  # cost of the retention offer per customer who takes it (assumption)\n'
         'acceptance_rate: float = 0.3  # share of would-be leavers who take the offer and stay (assumption)\n'
         'acquisition_multiple: float = 5.0  # winning a customer costs this many times keeping one (assumption)\n'
         'contact_cost: float = 0.0  # cost of reaching a customer at all (call, letter), paid whether or not they take the offer\n'
         'test_share: float = 0.25  # customers held out to check the model and the threshold\n'
         'cv_folds: int = 5  # folds of the stratified cross-validation (model comparison and threshold choice)\n'
         'cv_repeats: int = 3  # times the cross-validation is repeated on reshuffled folds\n'
         'at_risk_path: str = "reports/churn_at_risk.csv"  # where the call list is written\n'
         'seed: int = 0  # seed of the splits and models',
         metadata={"tags": ["parameters"]}),
    code("from IPython.display import Markdown, display\n\n"
         "from cxlib import churn, io, metrics, notebook, plots, retention, survival\n\n"
         "notebook.setup_notebook()"),
    md("## 1. The customers"),
    code('customers = io.read_table(input_path, columns)\n'
         'data = churn.prepare_customers(customers, include=include or None, exclude=exclude)\n'
         'display(Markdown(f"**{len(data.target):,}** customers, **{data.target.mean():.1%}** of them left; "\n'
         '                 f"**{data.features.shape[1]}** features. What preparation did:\\n\\n"\n'
         '                 + "\\n".join(f"- {note}" for note in data.notes)))'),
    md("## 2. How well can we tell who leaves?\n\n"
       "Stratified cross-validation, repeated on reshuffled folds: every customer is scored by a model that never "
       "saw them. ROC-AUC ranks (0.5 = chance), PR-AUC reads against the churn rate, Brier scores the "
       "probabilities (lower is better; guessing the churn rate for everyone scores r(1 - r))."),
    code('scores = churn.cross_validate(customers, cv=cv_folds, seed=seed, repeats=cv_repeats, include=include or None,\n'
         '                              exclude=exclude)\n'
         'best = scores.sort_values("roc_auc", ascending=False)["model"].iloc[0]\n'
         'top, rate = scores.set_index("model").loc[best], scores.attrs["churn_rate"]\n'
         'display(Markdown(f"{cv_repeats} x {cv_folds}-fold cross-validation. Best model: **{best}** (ROC-AUC "\n'
         '                 f"{top[\'roc_auc\']:.3f} ± {scores.attrs[\'sd\'][best][\'roc_auc\']:.3f} over folds; PR-AUC "\n'
         '                 f"{top[\'pr_auc\']:.3f} against a churn rate of {rate:.1%}; Brier {top[\'brier\']:.3f} against "\n'
         '                 f"{rate * (1 - rate):.3f} for a constant guess)."))\n'
         'scores.round(3)', metadata={"tags": ["nbval-check-output"]}),
    code('train, test = churn.split_customers(data, test_share, seed)\n'
         'model = churn.fit_model(train, model=best, seed=seed)\n'
         'test_probability = model.pipeline.predict_proba(test.features)[:, 1]\n'
         'lift = metrics.lift_table(test.target, test_probability)\n'
         'display(Markdown(f"On the {len(test.target):,} held-out customers, the riskiest 10 % hold "\n'
         '                 f"**{metrics.top_decile_capture(test.target, test_probability):.0%}** of those who left "\n'
         '                 f"(lift {lift[\'lift\'].iloc[0]:.1f})."))\n'
         'plots.gains_chart(lift, "Cumulative gains: share of leavers found by calling the riskiest first").show()\n'
         'calibration = metrics.calibration_table(test.target, test_probability)\n'
         'plots.calibration_chart(calibration, "Calibration: predicted against observed churn").show()'),
    md("## 3. Why they leave\n\n"
       "How much the model's ranking (ROC-AUC on held-out customers) suffers when a feature is scrambled."),
    code('importance = churn.feature_importance(model, test, seed=seed)\n'
         'plots.importance_chart(importance, "What predicts leaving (drop in ROC-AUC when scrambled)", label="feature",\n'
         '                       value="importance", low="ci_low", high="ci_high", axis_title="drop in ROC-AUC").show()\n'
         'importance.head(10).round(4)'),
    md("## 4. When they leave\n\n"
       "Retention curves (Kaplan-Meier) by segment and a Cox model's hazard ratios: how many times the monthly "
       "risk of leaving each factor multiplies. Tenure so far and whether the customer has left are read as "
       "time and event, an approximation for a snapshot table."),
    code('curves = survival.retention_curves(customers, by=segment or None) if "tenure_months" in customers else None\n'
         'hazards = (survival.hazard_ratios(customers, covariates=survival_covariates)\n'
         '           if curves is not None and survival_covariates else None)\n'
         'if curves is not None:\n'
         '    display(Markdown(survival.describe_retention(curves, hazards)))\n'
         '    plots.retention_chart(curves, "Share of customers still with us").show()\n'
         'if hazards is not None:\n'
         '    plots.hazard_ratio_chart(hazards, "Hazard ratios (Cox model, 95 % intervals)").show()'),
    md("## 5. What acting is worth\n\n"
       "A customer kept is worth their value; an offer costs money whether the customer would have left or not "
       "(Verbraken et al.'s campaign economics). Whom to call is set by a churn-probability threshold, chosen by "
       "cross-validation on the training customers: scikit-learn's `TunedThresholdClassifierCV` with the "
       "campaign's profit, each customer with their own value, as the score. It is then judged on the held-out "
       "customers, whose outcomes it never saw, against calling nobody, calling everyone and the best threshold "
       "in hindsight. The assumptions (offer cost, acceptance rate, value) are parameters of this report."),
    code('value = retention.customer_value(customers, expected_months=expected_months, value_column=value_column or None)\n'
         'value_by_id = churn.value_by_customer(customers, value)\n'
         'tuned = churn.tune_threshold(train, train.ids.map(value_by_id).to_numpy(dtype=float), model=best,\n'
         '                             offer_cost=offer_cost, acceptance_rate=acceptance_rate, contact_cost=contact_cost,\n'
         '                             cv=cv_folds, seed=seed)\n'
         'test_values = test.ids.map(value_by_id).to_numpy(dtype=float)\n'
         'held_out = tuned.model.pipeline.predict_proba(test.features)[:, 1]\n'
         'curve = retention.profit_curve(held_out, test_values, offer_cost, acceptance_rate, y_true=test.target,\n'
         '                               contact_cost=contact_cost)\n'
         'plan = retention.threshold_policy(curve, tuned.threshold)\n'
         'policies = retention.compare_policies(curve, tuned.threshold, label="threshold chosen by cross-validation")\n'
         'final = churn.fit_model(data, model=best, seed=seed)\n'
         'explained = churn.explain_customers(final)\n'
         'customer_values = explained["customer_id"].map(value_by_id).to_numpy(dtype=float)\n'
         'pareto = retention.value_at_risk(None, explained["churn_probability"].to_numpy(), customer_values)\n'
         'basis = (f"realised on the {len(test.target):,} held-out customers; threshold chosen by {cv_folds}-fold "\n'
         '         f"cross-validation on the other {len(train.target):,}")\n'
         'display(Markdown(retention.describe_economics(plan, pareto, acquisition_multiple, basis=basis)))\n'
         'display(Markdown(f"Per held-out customer: **{plan[\'profit\'] / plan[\'customers\']:,.2f}** at the chosen "\n'
         '                 f"threshold ({tuned.cv_profit:,.2f} in cross-validation), against "\n'
         '                 f"{plan[\'call_everyone_profit\'] / plan[\'customers\']:,.2f} for calling everyone and an "\n'
         '                 f"expected maximum profit (EMP, the best threshold in hindsight) of "\n'
         '                 f"{retention.emp(test.target, held_out, test_values, offer_cost, acceptance_rate, contact_cost=contact_cost):,.2f}."))\n'
         'plots.profit_chart(curve, plan, "Profit on held-out customers, calling the riskiest first", profit="realised_profit",\n'
         '                   label="threshold chosen by cross-validation", also=["expected_profit"]).show()\n'
         'display(policies.round(3))\n'
         'pareto.round(3)'),
    md("## 6. The call list"),
    code('call_list = churn.at_risk_list(explained, value_by_id, offer_cost, acceptance_rate, tuned.threshold)\n'
         'io.atomic_write_csv(call_list, io.resolve_path(at_risk_path), index=False)\n'
         'display(Markdown(f"**{len(call_list):,}** customers with a churn probability of {tuned.threshold:.3f} or "\n'
         '                 f"more (the threshold chosen by cross-validation) to call, written to `{at_risk_path}` "\n'
         '                 "with their top three reasons. The first 20:"))\n'
         'call_list.head(20).round(3)'),
    md("## What to do next\n\n"
       "Call the list from the top: it is sorted by the value an offer is expected to save. Address the reasons "
       "named for each customer (a rude-staff complaint calls for an apology from a manager, not a discount). "
       "Measure the acceptance rate with a small control group that is not called, and rerun this report with it."),
]
nb = nbf.v4.new_notebook(cells=cells)
nb.metadata = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
               "language_info": {"name": "python"}, "title": "Churn prediction"}
nbf.write(nb, "notebooks/02_churn_prediction.ipynb")
