"""Writes notebooks/01_sentiment_index.ipynb (kept as code so that edits are reviewed as text)."""
import nbformat as nbf

md, code = nbf.v4.new_markdown_cell, nbf.v4.new_code_cell
cells = [
    md("# Sentiment index of online mentions: how customers speak of us, against competitors, week by week\n\n"
       "How positive or negative are customers when they write about us online, in English, Russian, Romanian, "
       "Bulgarian and Armenian, and how does that compare with our competitors? This report scores every mention, "
       "turns the scores into a net-sentiment index per brand and period **with 95 % intervals**, shows each "
       "brand's share of voice, and raises an alert when a period leaves its recent band, with the mentions and "
       "the words behind it. For marketing and CX analysts; change the parameters, not the code."),
    code('input_path: str = "data/sample/mentions.csv"  # mentions or reviews (CSV, Excel or Parquet)\n'
         'columns: dict = {}  # {their_name: our_name}, e.g. {"Post date": "created_at", "Message": "text"}\n'
         'our_brand: str = "Velora"  # our brand, as written in the brand column\n'
         'competitors: list = []  # competitor brands to show; empty list: every other brand in the file\n'
         'period: str = "week"  # "day", "week" (from Monday) or "month"\n'
         'start: str = ""  # first day to include, e.g. "2025-01-01"; "" for the first mention\n'
         'end: str = ""  # last day to include; "" for the last mention\n'
         'languages: list = []  # ISO codes to keep, e.g. ["en", "ru"]; empty list: all\n'
         'scorer: str = "auto"  # "auto", "lexicon", "trained", or the path of a saved scorer (.joblib)\n'
         'scorer_features: str = "fast"  # trained models: "fast"; "rich" (short posts: better, ~3x slower); "auto" (best per language)\n'
         'save_scorer_path: str = ""  # where to save the fitted scorer for later runs; "" to skip\n'
         'use_ratings: bool = True  # learn from 1-5 star ratings where a mention has no label\n'
         'denominator: str = "polar"  # "polar": (pos - neg) / (pos + neg); "all": (pos - neg) / all mentions\n'
         'reach_weighting: bool = False  # weight mentions by log(1 + reach) of their author\n'
         'min_mentions: int = 30  # cells with fewer mentions are flagged, not hidden\n'
         'alert_sensitivity: float = 3.0  # z-score for an alert (3: about 1 false alarm in 370 stable periods)\n'
         'alert_window: int = 8  # earlier periods that form the recent band\n'
         'drop_duplicates: bool = True  # leave exact and near duplicates out of the index\n'
         'drop_spam: bool = True  # leave spam-like mentions (promotion, template posts) out of the index\n'
         'examples_per_alert: int = 5  # example mentions shown for an alert\n'
         'scheduler: str = ""  # "": pandas in this process; "local": a Dask cluster on this machine; or "tcp://host:8786"\n'
         'sample_rows: int = 200000  # with a scheduler: mentions read to fit the scorer and show examples\n'
         'seed: int = 0  # seed of the model training and cross-validation',
         metadata={"tags": ["parameters"]}),
    code("import pandas as pd\nfrom IPython.display import Markdown, display\n\n"
         "from cxlib import notebook, plots, scale, sentiment, shifts\n\n"
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
    md("## 2. How the mentions were scored\n\n"
       "Per language, the scorer is a model trained on the file's own labels (and star ratings: 1-2 negative, "
       "3 neutral, 4-5 positive) where there are enough of them and it measures better than the lexicon; the "
       "built-in lexicon (no training) elsewhere. Macro-F1 is measured by 5-fold cross-validation on labelled "
       "mentions (1 = perfect, 0.33 = chance for three classes)."),
    code('model = sentiment.make_scorer(scorer, seed=seed, features=scorer_features)\n'
         'scored = sentiment.score_mentions(kept, model, use_ratings=use_ratings)\n'
         'if save_scorer_path:\n'
         '    model.save(save_scorer_path)\n'
         'display(Markdown(sentiment.scorer_summary(model)))\n'
         'model.quality_.round(3)'),
    md("## 3. The index over time\n\n"
       "Lines are each brand's net sentiment per period, bands its 95 % interval (sampling error plus the scorer's "
       "own measured error where labels exist). Hollow markers: fewer mentions than the minimum. Red rings: alerts."),
    code('options = dict(freq=period, denominator=denominator, weight="reach" if reach_weighting else None,\n'
         '               min_mentions=min_mentions)\n'
         'index = (scale.sentiment_index(input_path, model, scheduler=scheduler, columns=columns, brands=brands,\n'
         '                               start=start or None, end=end or None, languages=languages, **options)\n'
         '         if scheduler else sentiment.sentiment_index(scored, model, **options))\n'
         'alerts = shifts.shift_alerts(index, window=alert_window, sensitivity=alert_sensitivity)\n'
         'display(Markdown(sentiment.describe_index(index, our_brand)))\n'
         'plots.sentiment_index_chart(index, f"Net sentiment per {period}", our_brand=our_brand, alerts=alerts).show()'),
    code('whole = index[index["complete"] & (index["n"] > 0)]\n'
         'latest = index[index["period"] == (whole if len(whole) else index[index["n"] > 0])["period"].max()]\n'
         'latest[["brand", "period", "n", "net_sentiment", "ci_low", "ci_high", "share_of_voice", "low_volume"]].round(3)',
         metadata={"tags": ["nbval-check-output"]}),
    md("## 4. Share of voice\n\nEach brand's share of all mentions in the period."),
    code('plots.share_of_voice_chart(index, f"Share of voice per {period}", our_brand=our_brand).show()'),
    md("## 5. Languages and channels\n\nWhere the mentions come from and how their tone differs."),
    code('for column in ("language", "channel"):\n'
         '    if column in scored:\n'
         '        plots.sentiment_mix_chart(sentiment.sentiment_mix(scored, column), column,\n'
         '                                  f"Sentiment by {column}").show()'),
    md("## 6. Alerts\n\n"
       "A period is an alert when its net sentiment (or volume) leaves the band of the brand's previous "
       "periods; the sensitivity sets how far. The expected number of false alarms is stated with the list."),
    code('display(Markdown(shifts.describe_alerts(alerts, our_brand)))\n'
         'alerts.round(3)'),
    md("### What drove the strongest alert of our brand\n\n"
       "The clearest negative mentions of that period (personal data removed) and the words that rose on the "
       "negative side against the earlier periods."),
    code('top = shifts.strongest_alert(alerts, our_brand)  # drops before volume spikes, the largest first\n'
         'if top is not None:\n'
         '    display(Markdown(f"**{our_brand}, period of {top[\'period\']:%Y-%m-%d}** ({top[\'kind\']})."))\n'
         '    with pd.option_context("display.max_colwidth", None):\n'
         '        display(shifts.alert_examples(scored, our_brand, top["period"], period, n=examples_per_alert))\n'
         '    terms = shifts.rising_terms(scored, our_brand, top["period"], period, window=alert_window)\n'
         '    if len(terms):\n'
         '        plots.rising_terms_chart(terms, f"Words that rose on the negative side, {our_brand}, "\n'
         '                                 f"period of {top[\'period\']:%Y-%m-%d}").show()\n'
         'else:\n'
         '    display(Markdown(f"No alert for {our_brand} in this range."))'),
    md("## 7. What to do next"),
    code('display(Markdown(sentiment.next_steps(index, alerts, model, our_brand)))'),
]
nb = nbf.v4.new_notebook(cells=cells, metadata={
    "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
    "language_info": {"name": "python"}})
nbf.write(nb, "notebooks/01_sentiment_index.ipynb")
