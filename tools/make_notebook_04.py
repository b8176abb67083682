"""Writes notebooks/04_competitor_swot.ipynb (kept as code so that edits are reviewed as text)."""
import nbformat as nbf

md, code = nbf.v4.new_markdown_cell, nbf.v4.new_code_cell
cells = [
    md("# Competitor SWOT: where customers say we are better or worse than our competitors, with the evidence\n\n"
       "Which service aspects (price, staff, waiting, reaching us by phone, quality, cleanliness, delivery, website "
       "and app, billing, reliability) do customers talk about for each brand, and how positively? This report "
       "finds the aspects in every mention and clause (five languages), scores the clauses around them, compares our "
       "brand with each competitor and with their average **with significance tests**, and fills a SWOT table in "
       "which every row carries its numbers and the customers' own words. For marketing and CX analysts; change "
       "the parameters, not the code."),
    code('input_path: str = "data/sample/mentions.csv"  # mentions or reviews (CSV, Excel or Parquet)\n'
         'columns: dict = {}  # {their_name: our_name}, e.g. {"Post date": "created_at", "Review": "text"}\n'
         'our_brand: str = "Velora"  # our brand, as written in the brand column\n'
         'competitors: list = []  # competitor brands; empty list: every other brand in the file\n'
         'taxonomy_path: str = ""  # aspect taxonomy YAML; "" for the built-in service aspects, "restaurant" for the example\n'
         'start: str = ""  # first day to include, e.g. "2025-01-01"; "" for the first mention\n'
         'end: str = ""  # last day to include; "" for the last mention\n'
         'window: str = "6M"  # current window: the last 6 months up to end, compared with the 6 before; "" for all data, no trends\n'
         'languages: list = []  # ISO codes to keep, e.g. ["en", "ru"]; empty list: all\n'
         'scorer: str = "auto"  # "auto", "lexicon", "trained", or the path of a saved scorer (.joblib)\n'
         'use_ratings: bool = True  # learn from 1-5 star ratings where a mention has no label\n'
         'significance: float = 0.05  # false discovery rate over all the tests (Benjamini-Hochberg)\n'
         'min_evidence: int = 30  # mentions a brand x aspect needs to take part in a comparison\n'
         'quotes_per_cell: int = 3  # evidence quotes per SWOT row\n'
         'importance: float = 0.05  # share of our aspect mentions that makes an aspect important (threats)\n'
         'drop_duplicates: bool = True  # leave exact and near duplicates out\n'
         'drop_spam: bool = True  # leave spam-like mentions out\n'
         'swot_csv_path: str = "reports/swot_table.csv"  # the SWOT table as CSV; "" to skip\n'
         'swot_html_path: str = "reports/swot_table.html"  # the styled SWOT table as its own page; "" to skip\n'
         'scheduler: str = ""  # "": pandas in this process; "local": a Dask cluster on this machine; or "tcp://host:8786"\n'
         'sample_rows: int = 200000  # with a scheduler: mentions read to fit the scorer and show examples\n'
         'seed: int = 0  # seed of the model training and cross-validation',
         metadata={"tags": ["parameters"]}),
    code("import pandas as pd\nfrom IPython.display import HTML, Markdown, display\n\n"
         "from cxlib import aspects, io, notebook, plots, scale, sentiment, swot\n\n"
         "notebook.setup_notebook()"),
    md("## 1. The mentions\n\n"
       "With a `scheduler`, `input_path` may be a glob of Parquet or CSV parts too large for "
       "one process: the first `sample_rows` mentions are read here to fit the scorer and show examples, and every "
       "mention is scored and counted on the Dask cluster, with the same column mapping and brand, date and "
       "language filters (the duplicate and spam flags need every mention in one place: they apply to the sample "
       "only)."),
    code('raw = scale.load_mentions(input_path, columns, scheduler, sample_rows)  # a scheduler: a sample here\n'
         'brands = [our_brand, *competitors] if competitors else []\n'
         'mentions = sentiment.flag_mentions(sentiment.select_mentions(raw, brands, start or None, end or None, languages))\n'
         'display(Markdown(sentiment.describe_mentions(mentions)))\n'
         'kept = sentiment.keep_mentions(mentions, drop_duplicates, drop_spam)'),
    md("## 2. Aspects and their sentiment\n\n"
       "Each mention is split into clauses (sentences, and the parts around \"but\", \"но\", \"dar\", \"обаче\", "
       "\"բայց\"); a clause names an aspect when it contains one of the aspect's words in the taxonomy (stems, in "
       "each language, false friends excluded: Romanian *reclamă* is an advert, Russian *ожидания не оправдались* "
       "is about expectations, not waiting). The clauses naming an aspect are scored by the sentiment scorer, so "
       "\"polite staff but high prices\" counts as positive on staff and negative on price."),
    code('taxonomy = aspects.load_taxonomy(taxonomy_path or None)\n'
         'model = sentiment.make_scorer(scorer, seed=seed) if scorer in ("auto", "lexicon", "trained") '
         'else sentiment.load_scorer(scorer)\n'
         'found = swot.aspect_mentions(kept, model, taxonomy, use_ratings=use_ratings, seed=seed)\n'
         'display(Markdown(sentiment.scorer_summary(model)))\n'
         'share = found["mention"].nunique() / max(len(kept), 1)\n'
         'display(Markdown(f"**{share:.0%}** of the mentions name at least one aspect of the *{taxonomy.name}* "\n'
         '                 f"taxonomy ({len(taxonomy.aspects)} aspects); {len(found):,} mention x aspect pairs."))\n'
         'volume = found.groupby(["aspect", "brand"]).size().unstack(fill_value=0)\n'
         'volume.index = [taxonomy.label(a) for a in volume.index]\n'
         'volume'),
    md("## 3. Net sentiment per brand and aspect\n\n"
       "Net sentiment = (positive − negative) / (positive + negative) of the clauses about the aspect, in the current "
       "window; the interval is 95 %. Grey cells have fewer mentions than the minimum evidence and take part in "
       "no comparison."),
    code('options = dict(taxonomy=taxonomy, window=window, end=end or None, alpha=significance,\n'
         '               min_evidence=min_evidence, quotes=quotes_per_cell, importance=importance)\n'
         'table = (scale.swot_table(input_path, our_brand, model, competitors or None, scheduler=scheduler,\n'
         '                          columns=columns, start=start or None, languages=languages, **options)\n'
         '         if scheduler else swot.swot_table(found, our_brand, competitors or None, **options))\n'
         'current = table.attrs["current"]\n'
         'labels = {a: taxonomy.label(a) for a in taxonomy.aspects}\n'
         'plots.aspect_heatmap(current, "Net sentiment by brand and aspect, current window", our_brand=our_brand,\n'
         '                     labels=labels).show()\n'
         'plots.aspect_comparison_chart(current[~current["low_evidence"]], "Our brand against each competitor, "\n'
         '                              "with 95 % intervals", our_brand=our_brand, labels=labels).show()'),
    md("Our brand aspect by aspect: volume, share of our mentions that name aspects, net sentiment with its interval "
       "and the change against the previous window (`trend`)."),
    code('ours = current[current["brand"] == our_brand].assign(aspect=lambda d: d["aspect"].map(labels))\n'
         'ours.set_index("aspect")[["n", "share_of_mentions", "net_sentiment", "ci_low", "ci_high",\n'
         '                          "previous_net_sentiment", "trend", "low_evidence"]].sort_values("n", ascending=False).round(2)'),
    md("## 4. The SWOT table\n\n"
       "The rules (after RE-SWOT, which derives SWOT from feature-level sentiment of reviews; every row keeps the link "
       "to its evidence):\n\n"
       "- **Strength** of a brand: an aspect where its net sentiment is significantly above the average of the other "
       "brands, significantly better than most of them one by one and worse than none, with at least the "
       "minimum evidence.\n"
       "- **Weakness**: the same, below.\n"
       "- **Opportunity** for us: a competitor's weakness, or an aspect where a competitor is significantly getting "
       "worse, where that competitor is not significantly better than us.\n"
       "- **Threat** to us: a competitor significantly better than us, or significantly improving, on an important "
       "aspect (a share of our aspect mentions at least `importance`), or our own net sentiment significantly falling "
       "on one.\n\n"
       "*Significantly* means after the Benjamini-Hochberg correction over every test in the run (false discovery "
       "rate = `significance`). Our rows come first; competitors' own strengths and weaknesses follow. Quotes are "
       "the clearest mentions of that brand and aspect in the direction of the finding, personal data removed, in "
       "their original language."),
    code('display(Markdown(swot.describe_swot(table)))\n'
         'display(HTML(swot.swot_html(table, caption=f"SWOT of {our_brand} against {\', \'.join(table.attrs[\'competitors\'])}")))'),
    md("In short, the rows of the table (quadrant, whose, aspect, mentions):"),
    code('table[["quadrant", "brand", "aspect", "n"]]', metadata={"tags": ["nbval-check-output"]}),
    md("## 5. Every test behind the table\n\n"
       "`vs_others`: a brand against the average of the other brands; `pair`: two brands; `trend`: the current "
       "window against the previous one. `p_adjusted` is the Benjamini-Hochberg adjusted p-value."),
    code('tests = table.attrs["tests"]\n'
         'display(Markdown(f"{len(tests)} tests, {int(tests[\'significant\'].sum())} significant at a false discovery "\n'
         '                 f"rate of {significance:.0%}; the strongest first."))\n'
         'tests.sort_values("p_value").head(25).round(3)'),
    md("## 6. Export"),
    code('written = swot.write_swot(table.drop(columns=["test"]), io.resolve_path(swot_csv_path),\n'
         '                          io.resolve_path(swot_html_path) if swot_html_path else None,\n'
         '                          caption=f"SWOT of {our_brand}") if swot_csv_path else []\n'
         'display(Markdown("Written: " + (", ".join(f"`{p.name}`" for p in written) or "nothing (no path given)")))'),
    md("## 7. What to do next\n\n"
       "- Read the quotes behind each weakness and threat before acting: a row is a measured difference, the quotes "
       "say what it is about.\n"
       "- An opportunity is a competitor's weak spot: check that we really deliver on that aspect, then say so where "
       "their unhappy customers look.\n"
       "- Grey cells and missing aspects mean too little evidence: lower `min_evidence` to explore (more false "
       "findings), or collect a longer window.\n"
       "- If the aspect words miss your vocabulary (product names, local terms), copy the taxonomy YAML, add them "
       "and pass its path as `taxonomy_path`."),
]
nb = nbf.v4.new_notebook(cells=cells, metadata={
    "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
    "language_info": {"name": "python"}})
nbf.write(nb, "notebooks/04_competitor_swot.ipynb")
