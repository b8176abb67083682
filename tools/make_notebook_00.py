"""Writes notebooks/00_data_health.ipynb (kept as code so that edits are reviewed as text)."""
import nbformat as nbf

md, code = nbf.v4.new_markdown_cell, nbf.v4.new_code_cell
cells = [
    md("# Data health: can these inputs be trusted?\n\n"
       "Before any analysis, this report checks each input an analyst brings: how many rows, which period it "
       "covers, which languages and channels, blank cells, duplicates, \"not applicable\" answers and every breach "
       "of the input contract (missing columns, wrong types, out-of-range ratings). Run it on every new export first."),
    code('mentions_path: str = "data/sample/mentions.csv"  # online mentions/reviews (CSV, Excel or Parquet); "" to skip\n'
         'survey_path: str = "data/sample/survey.csv"  # survey answers with touchpoint ratings; "" to skip\n'
         'touchpoints_path: str = "data/sample/touchpoints.csv"  # touchpoint map: touchpoint, stage (before/during/after)\n'
         'customers_path: str = "data/sample/customers.csv"  # customer table with the churned flag; "" to skip\n'
         'columns: dict = {}  # per input, {their_name: our_name}, e.g. {"customers": {"Exited": "churned"}}\n'
         'rating_scale: list = [1, 5]  # touchpoint rating scale; 0 or blank always means "not applicable"\n'
         'period: str = "W"  # period for volumes over time: "D", "W" or "M"\n'
         'strict: bool = True  # stop with one clear message on a contract problem (scheduled runs); False lists them only\n'
         'seed: int = 0  # unused here (no random step); kept so every notebook takes the same parameters',
         metadata={"tags": ["parameters"]}),
    code("from IPython.display import Markdown, display\n\n"
         "from cxlib import health, notebook, plots\n\n"
         "notebook.setup_notebook()"),
    md("## 1. The inputs at a glance"),
    code('inputs = health.read_inputs({"mentions": mentions_path, "survey": survey_path,\n'
         '                             "touchpoints": touchpoints_path, "customers": customers_path}, columns)\n'
         'touchpoint_columns = health.touchpoint_columns(inputs)\n'
         'overview = health.input_overview(inputs, {k: k for k in inputs}, touchpoint_columns)\n'
         'display(Markdown(health.describe_overview(overview)))\n'
         'overview', metadata={"tags": ["nbval-check-output"]}),
    md("## 2. Contract problems\n\nHard problems that stop an analysis: missing columns, values of the wrong type, "
       "ratings off the scale, duplicate ids. Each line names the file, the column, example rows (1 = first data row) "
       "and the fix."),
    code('problems = health.all_schema_problems(inputs, touchpoint_columns)\n'
         'display(Markdown("No contract problems: every input can be analysed." if problems.empty else\n'
         '                 f"**{len(problems)} contract problem(s)** below; fix them or map the columns with `columns`."))\n'
         'health.stop_on_problems(problems, strict)\n'
         'problems.drop(columns="message")'),
    md("## 3. Online mentions"),
    code('mentions = inputs.get("mentions")\n'
         'if mentions is not None:\n'
         '    volume = health.volume_over_time(mentions, "created_at", period, by="brand")\n'
         '    plots.line_chart(volume, "period", "n", "Mentions per period and brand", color="brand",\n'
         '                     axis_titles=("", "mentions")).show()'),
    code('if mentions is not None:\n'
         '    languages = health.language_mix(mentions)\n'
         '    channels = health.category_mix(mentions, "channel") if "channel" in mentions else None\n'
         '    display(Markdown(health.describe_mix(languages, "language", "languages")))\n'
         '    plots.bar_chart(languages, "language", "share", "Mentions by language", text_format=".1%", percent=True,\n'
         '                    hover=["n"]).show()\n'
         '    if channels is not None:\n'
         '        plots.bar_chart(channels, "channel", "share", "Mentions by channel", text_format=".1%", percent=True,\n'
         '                        hover=["n"]).show()'),
    code('if mentions is not None:\n'
         '    display(Markdown("Duplicates inflate volumes and skew sentiment; spam and copied posts show up here."))\n'
         '    display(health.duplicates(mentions, "mentions"))\n'
         '    plots.missing_values_chart(health.missing_values(mentions), "Blank cells per column: mentions").show()'),
    md("## 4. Survey answers and touchpoints"),
    code('survey = inputs.get("survey")\n'
         'if survey is not None:\n'
         '    na = health.not_applicable_shares(survey, touchpoint_columns)\n'
         '    display(Markdown(health.describe_not_applicable(na)))\n'
         '    plots.not_applicable_chart(na, "\\"Not applicable\\" answers per touchpoint").show()'),
    code('if survey is not None:\n'
         '    outcomes = health.outcome_distribution(survey)\n'
         '    plots.bar_chart(outcomes, "score", "share", "Distribution of the outcome answers", color="outcome",\n'
         '                    percent=True, hover=["n"]).show()\n'
         '    plots.missing_values_chart(health.missing_values(survey), "Blank cells per column: survey").show()'),
    md("## 5. Customers"),
    code('customers = inputs.get("customers")\n'
         'if customers is not None:\n'
         '    display(Markdown("Spellings of the churn flag as found in the file (all must read as yes or no):"))\n'
         '    display(health.category_mix(customers, "churned") if "churned" in customers else None)\n'
         '    text_numbers = health.numbers_stored_as_text(customers)\n'
         '    display(Markdown("Numbers stored as text (blanks or stray characters will be treated as missing):"\n'
         '                     if len(text_numbers) else "No numeric column is stored as text."))\n'
         '    display(text_numbers if len(text_numbers) else None)\n'
         '    plots.missing_values_chart(health.missing_values(customers), "Blank cells per column: customers").show()'),
    md("## What to do next\n\nFix or map every contract problem above, then run the analysis notebooks "
       "(`01_sentiment_index` ... `04_competitor_swot`) on the same inputs. Large shares of \"not applicable\" answers "
       "weaken touchpoint importance for those touchpoints; duplicated mentions are removed by the sentiment index."),
]
nb = nbf.v4.new_notebook(cells=cells)
nb.metadata = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
               "language_info": {"name": "python"}, "title": "Data health"}
nbf.write(nb, "notebooks/00_data_health.ipynb")
