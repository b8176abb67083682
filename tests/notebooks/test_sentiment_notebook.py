"""notebooks/01_sentiment_index.ipynb run by papermill: the planted dip, another schema by parameters, a saved
scorer reused, markup in mentions shown as text, bad input stopped with one message."""
from __future__ import annotations

import json

import pandas as pd
import papermill as pm
import pytest

from tests.notebooks.test_notebooks import ROOT, outputs_text, run

NB = ROOT / "notebooks" / "01_sentiment_index.ipynb"
MENTIONS = ROOT / "data" / "sample" / "mentions.csv"


def figures(nb: dict) -> dict[str, dict]:
    """The plotly figures of an executed notebook by title."""
    out = {}
    for cell in nb["cells"]:
        for o in cell.get("outputs", []):
            fig = o.get("data", {}).get("application/vnd.plotly.v1+json")
            if fig:
                out[fig["layout"].get("title", {}).get("text", "")] = fig
    return out


def test_sample_report_finds_the_planted_dip_of_our_brand_and_says_how_it_scored(tmp_path):
    nb = run(NB, tmp_path / "out.ipynb")
    text = outputs_text(nb)
    # the sample plants a week-long dip of Velora in the week of 2025-03-10 (data/sample/README.md)
    assert "Velora: sentiment drop in the period of 2025-03-10" in text
    assert "expected by chance at sensitivity 3" in text
    # enough labels in every language: a model of its own or the pooled one, whichever measured better
    summary = next(line for line in text.splitlines() if line.startswith(("Trained model", "Model pooled")))
    assert "Lexicon" not in summary and all(lang in summary for lang in ("bg", "en", "hy", "ro", "ru")), summary
    assert "macro_f1" in text and "lexicon_macro_f1" in text
    assert "Net sentiment = (positive - negative) / (positive + negative)." in text
    assert "exact and" in text and "near duplicate" in text and "spam-like" in text
    # what drove it: the outage was on the phone line and billing (cxlib.sample.DIP_ASPECTS)
    charts = figures(nb)
    rising = next(f for t, f in charts.items() if t.startswith("Words that rose on the negative side, Velora"))
    words = set(rising["data"][0]["y"])
    assert words & {"phone", "line", "answer", "трубку", "звонил", "линии", "телефон"}, words
    assert words & {"bill", "billing", "refund", "charged", "списали", "счёте", "деньги"}, words
    assert {"Net sentiment per week", "Share of voice per week", "Sentiment by language",
            "Sentiment by channel"} <= set(charts)


def _crm_export(tmp_path) -> tuple[str, dict]:
    """The sample mentions as another tool exports them: other column names, Excel, no labels or ratings."""
    m = pd.read_csv(MENTIONS, dtype=str, keep_default_na=False).iloc[::3]  # every period, a third of the rows
    m = m.drop(columns=["label", "rating", "language"]).rename(columns={
        "created_at": "Post date", "brand": "Brand", "text": "Message", "channel": "Source", "reach": "Followers"})
    path = tmp_path / "listening_export.xlsx"
    m.to_excel(path, index=False)
    parts = tmp_path / "parts"   # the same export as Parquet parts, for the Dask path
    parts.mkdir()
    for k, rows in enumerate((slice(None, len(m) // 2), slice(len(m) // 2, None))):
        m.iloc[rows].to_parquet(parts / f"part-{k}.parquet", index=False)
    return str(path), {"Post date": "created_at", "Brand": "brand", "Message": "text", "Source": "channel",
                       "Followers": "reach"}


def test_another_export_runs_by_parameters_and_a_saved_scorer_is_reused(tmp_path):
    path, columns = _crm_export(tmp_path)
    model = tmp_path / "models" / "scorer.joblib"
    nb = run(NB, tmp_path / "out.ipynb", input_path=path, columns=columns, scorer="lexicon", period="month",
             denominator="all", reach_weighting=True, competitors=["Brightel"], save_scorer_path=str(model),
             start="2024-09-01", end="2025-08-31")
    text = outputs_text(nb)
    assert "Lexicon (no training): bg, en, hy, ro, ru." in text   # languages detected, no labels needed
    assert "Net sentiment = (positive - negative) / all mentions, neutral included." in text
    assert "Kvant" not in text and "Meridian" not in text           # only our brand and the named competitor
    assert "2024-09-01" in text and "2025-08" in text and "2024-07" not in text
    assert model.is_file()
    # the saved scorer reused on the Dask path: the column mapping and the brand and date selection apply on the
    # cluster too (the index table and charts show the named brands and dates only)
    again = outputs_text(run(NB, tmp_path / "again.ipynb", input_path=str(tmp_path / "parts" / "*.parquet"),
                             columns=columns, scorer=str(model), scheduler="local", sample_rows=2000,
                             competitors=["Brightel"], start="2024-09-01", end="2025-08-31", period="month"))
    assert "Lexicon (no training): bg, en, hy, ro, ru." in again
    assert "Kvant" not in again and "Meridian" not in again and "2024-07" not in again and "2025-08" in again


def test_markup_in_mentions_is_shown_as_text_in_the_alert_examples(tmp_path):
    m = pd.read_csv(MENTIONS, dtype=str, keep_default_na=False)
    dip = (m["brand"] == "Velora") & m["created_at"].str.startswith("2025-03-1") & (m["label"] == "negative")
    # markup in front of every negative mention of the dip week: whichever the report quotes carries it
    m.loc[dip, "text"] = "<script>window.__pwned=1</script> " + m.loc[dip, "text"]
    path = tmp_path / "mentions_with_markup.csv"
    m.to_csv(path, index=False)
    nb = run(NB, tmp_path / "out.ipynb", input_path=str(path), examples_per_alert=5, scorer="lexicon")  # quick
    html = "\n".join("".join(o.get("data", {}).get("text/html", "")) for c in nb["cells"]
                     for o in c.get("outputs", []))
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert "<script>window.__pwned" not in html


@pytest.mark.parametrize("mutate, where, message", [
    (lambda d: d.drop(columns="text"), "'text'", "missing"),
    (lambda d: d.head(0), None, "no data rows"),
])
def test_bad_mentions_stop_with_one_clear_message(tmp_path, mutate, where, message):
    m = mutate(pd.read_csv(MENTIONS, dtype=str, keep_default_na=False))
    path = tmp_path / "mentions_export.csv"
    m.to_csv(path, index=False)
    with pytest.raises(pm.PapermillExecutionError) as info:
        run(NB, tmp_path / "out.ipynb", input_path=str(path))
    assert info.value.ename == "CxDataError"
    assert "mentions_export.csv" in info.value.evalue and message in info.value.evalue
    if where:
        assert where in info.value.evalue
    nb = json.loads((tmp_path / "out.ipynb").read_text())
    errors = [o for c in nb["cells"] for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert len(errors) == 1 and len(errors[0]["traceback"]) <= 2


def test_a_missing_saved_scorer_is_one_clear_message(tmp_path):
    with pytest.raises(pm.PapermillExecutionError) as info:
        run(NB, tmp_path / "out.ipynb", scorer=str(tmp_path / "nowhere.joblib"))
    assert info.value.ename == "CxDataError"
    assert "nowhere.joblib" in info.value.evalue and "no saved scorer" in info.value.evalue
