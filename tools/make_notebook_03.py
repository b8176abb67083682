"""Writes notebooks/03_touchpoint_importance.ipynb (kept as code so that edits are reviewed as text)."""
import nbformat as nbf

md, code = nbf.v4.new_markdown_cell, nbf.v4.new_code_cell
cells = [
    md("# Touchpoint importance: what drives satisfaction, how sure we are, where to act first\n\n"
       "Customers judge a service by the touchpoints they live through before, during and after the purchase: "
       "reaching us on the first call, the time on hold, a polite and competent clerk, a correct bill. This report "
       "finds which touchpoints move the overall outcome most, with intervals, and sets that importance against "
       "how well each touchpoint is rated today, so the team knows where an improvement pays first. "
       "Ratings are correlated (good staff and short waits come together), so importance is the exact Shapley "
       "split of the model's R² over all subsets of touchpoints (LMG), not a regression coefficient."),
    code('input_path: str = "data/sample/survey.csv"  # survey answers (CSV, Excel or Parquet), one row per respondent\n'
         'touchpoints_path: str = "data/sample/touchpoints.csv"  # touchpoint map: touchpoint, stage (before/during/after), group; "" for none\n'
         'columns: dict = {}  # {their_name: our_name} for the survey, e.g. {"RespID": "respondent_id", "Q7": "overall_satisfaction"}\n'
         'outcome: str = "overall_satisfaction"  # overall_satisfaction (1-5 or 0-10), nps (0-10) or a yes/no column\n'
         'outcome_positive: str = ""  # for a two-answer text outcome, the answer meaning yes (e.g. "satisfied")\n'
         'touchpoint_columns: list = []  # touchpoint rating columns; empty list: the touchpoints of the map\n'
         'not_applicable_codes: list = [0]  # answers meaning "not applicable" (blank always does)\n'
         'rating_scale: list = [1, 5]  # touchpoint rating scale\n'
         'missing: str = "pairwise"  # "pairwise" (each pair of touchpoints on the rows answering both) or "listwise" (rows answering all)\n'
         'segment: str = "customer_type"  # segment column to compare (e.g. business vs personal); "" to skip\n'
         'performance: str = "mean"  # performance axis of the matrix: "mean" rating or "top2box" share\n'
         'n_boot: int = 100  # bootstrap replicates for intervals, ranks and quadrant probabilities\n'
         'seed: int = 0  # seed of the bootstrap',
         metadata={"tags": ["parameters"]}),
    code("from IPython.display import Markdown, display\n\n"
         "from cxlib import drivers, io, metrics, notebook, plots\n\n"
         "notebook.setup_notebook()"),
    md("## 1. The answers"),
    code('survey = drivers.prepare_survey(\n'
         '    io.read_table(input_path, columns), outcome,\n'
         '    touchpoint_map=io.read_table(touchpoints_path) if touchpoints_path else None,\n'
         '    touchpoint_columns=touchpoint_columns, na_codes=not_applicable_codes, scale=tuple(rating_scale))\n'
         'options = dict(na_values=(), na=missing, outcome_positive=outcome_positive or None)\n'
         'display(Markdown(f"**{len(survey.data):,}** respondents, **{len(survey.touchpoints)}** touchpoints, outcome "\n'
         '                 f"`{outcome}`. \\"Not applicable\\" answers per touchpoint: "\n'
         '                 + ", ".join(f"{k} {v}" for k, v in survey.not_applicable.items() if v) + "."))'),
    code('scores = metrics.headline(survey.data)\n'
         'display(Markdown("Headline scores with 95 % intervals:" if len(scores) else "No NPS or satisfaction column."))\n'
         'scores.round(3)'),
    md("## 2. Which touchpoints drive the outcome\n\n"
       "Each bar is the touchpoint's share of the explained variance (LMG), the whiskers its 95 % bootstrap "
       "interval. Shares add up to 100 %."),
    code('importance = drivers.driver_importance(survey.data, outcome, survey.touchpoints, n_boot=n_boot, seed=seed,\n'
         '                                       **options)\n'
         'display(Markdown(drivers.describe_importance(importance)))\n'
         'display(Markdown(f"Model: {importance.attrs[\'model\']}."))\n'
         'plots.importance_chart(importance, "Touchpoint importance (LMG, R² points)", value="importance",\n'
         '                       low="ci_low", high="ci_high").show()'),
    code('importance[["driver", "share", "importance", "ci_low", "ci_high", "rank"]].round(4)',
         metadata={"tags": ["nbval-check-output"]}),
    md("## 3. Where to act first: importance against performance\n\n"
       "Right = more important than the average touchpoint; up = rated better than the average. Crosses are 95 % "
       "intervals on both axes; a hollow marker means fewer than 80 % of the bootstrap resamples put the touchpoint "
       "in the same quadrant, so its placement is not settled."),
    code('ipm = drivers.importance_performance(survey.data, outcome, survey.touchpoints, n_boot=max(n_boot, 20),\n'
         '                                     seed=seed, performance=performance, scale_max=rating_scale[1],\n'
         '                                     stages=survey.stages, **options)\n'
         'plots.importance_performance_chart(ipm, "Importance-performance matrix").show()\n'
         'ipm[["driver", "stage", "importance", "performance", "rank", "rank_low", "rank_high", "quadrant",\n'
         '     "quadrant_probability", "na_share"]].round(3)'),
    md("## 4. The journey: before, during and after the purchase\n\n"
       "Importance of whole stages and of composite parameters (such as ease of access), each group of touchpoints "
       "treated as one player in the Shapley split."),
    code('for title, groups in (("journey stage", survey.groups_by("stage")), ("service parameter", survey.groups_by("group"))):\n'
         '    if groups:\n'
         '        grouped = drivers.group_importance(survey.data, outcome, groups, n_boot=n_boot, seed=seed, **options)\n'
         '        plots.importance_chart(grouped, f"Importance by {title}", label="group", low="ci_low",\n'
         '                               high="ci_high").show()'),
    md("## 5. Segments\n\n"
       "The same analysis per segment. With two segments, the last table gives the difference of shares with its "
       "interval: an interval that excludes zero marks a touchpoint that matters differently to the two groups."),
    code('if segment:\n'
         '    by_segment = drivers.segment_importance(survey.data, outcome, survey.touchpoints, segment,\n'
         '                                            n_boot=n_boot, seed=seed, **options)\n'
         '    plots.segment_importance_chart(by_segment, f"Touchpoint importance by {segment}").show()\n'
         '    differences = by_segment[by_segment["segment"].str.contains(" − ")]\n'
         '    display(differences.round(3) if len(differences) else\n'
         '            Markdown(f"{by_segment[\'segment\'].nunique()} segments; differences are shown for two."))'),
    md("## 6. How the measures compare\n\n"
       "LMG is the reference. Relative weights (Johnson) is the approximation some survey tools report; the last "
       "column shows how far it is from the exact value. First (correlation alone) overstates touchpoints that "
       "travel with others; last (unique contribution) understates them."),
    code('methods = drivers.compare_methods(survey.data, outcome, survey.touchpoints, **options)\n'
         'plots.methods_chart(methods, "Importance shares by method").show()\n'
         'display(Markdown(f"Relative weights differ from exact LMG by at most "\n'
         '                 f"**{methods[\'rw_minus_lmg\'].abs().max():.4f}** R² points."))\n'
         'methods.round(3)'),
    md("## What to do next"),
    code('display(Markdown(drivers.describe_actions(ipm)))'),
]
nb = nbf.v4.new_notebook(cells=cells)
nb.metadata = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
               "language_info": {"name": "python"}, "title": "Touchpoint importance"}
nbf.write(nb, "notebooks/03_touchpoint_importance.ipynb")
