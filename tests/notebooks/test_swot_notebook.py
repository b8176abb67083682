"""notebooks/04_competitor_swot.ipynb run by papermill: the planted weak competitor found with the default (trained)
scorer and exported, another schema and taxonomy by parameters, markup shown as text, bad input as one message."""
from __future__ import annotations

import json

import pandas as pd
import papermill as pm
import pytest

from cxlib import sample
from tests.notebooks.test_notebooks import ROOT, outputs_text, run

NB = ROOT / "notebooks" / "04_competitor_swot.ipynb"
MENTIONS = ROOT / "data" / "sample" / "mentions.csv"


def html_outputs(nb: dict) -> str:
    return "\n".join("".join(o.get("data", {}).get("text/html", "")) for c in nb["cells"] for o in c.get("outputs", []))


def test_sample_report_finds_the_planted_weak_competitor_and_exports_the_table(tmp_path):
    csv, page = tmp_path / "swot.csv", tmp_path / "swot.html"
    nb = run(NB, tmp_path / "out.ipynb", swot_csv_path=str(csv), swot_html_path=str(page))
    text = outputs_text(nb)
    assert "Trained model" in text or "Model pooled" in text
    assert "tests at a false discovery rate of 5 %" in text
    table = pd.read_csv(csv, keep_default_na=False)
    kvant = table[(table["brand"] == sample.WEAK_COMPETITOR) & (table["aspect"] == sample.WEAK_ASPECT)]
    assert set(kvant["quadrant"]) == {"weakness", "opportunity"}
    # each row carries its evidence: quotes with a language tag and the mention id
    assert all(q.startswith("[") and "“" in q for q in kvant["evidence"].iloc[0].split("\n"))
    assert page.read_text(encoding="utf-8").count("<tr") == len(table) + 1
    figs = [o["data"]["application/vnd.plotly.v1+json"] for c in nb["cells"] for o in c.get("outputs", [])
            if "application/vnd.plotly.v1+json" in o.get("data", {})]
    assert [f["layout"]["title"]["text"] for f in figs] == [
        "Net sentiment by brand and aspect, current window", "Our brand against each competitor, with 95 % intervals"]


def test_another_schema_and_taxonomy_by_parameters_only(tmp_path):
    """A review export with other column names, in Excel, no labels: restaurant aspects, lexicon, all data."""
    m = pd.read_csv(MENTIONS, dtype=str, keep_default_na=False).iloc[::2]  # Excel writing is slow
    m = m.drop(columns=["label", "rating"]).rename(columns={
        "created_at": "Date", "brand": "Company", "text": "Review text", "language": "Lang"})
    path = tmp_path / "reviews.xlsx"
    m.to_excel(path, index=False)
    tax = tmp_path / "my_aspects.yaml"
    tax.write_text("name: ours\naspects:\n  delivery:\n    label: Delivery\n    patterns:\n"
                   "      en: [deliver, courier, parcel]\n      ru: [достав, курьер]\n"
                   "  staff:\n    patterns: {en: [staff, rude, polite], ru: [персонал, груб, вежлив]}\n",
                   encoding="utf-8")
    nb = run(NB, tmp_path / "out.ipynb", input_path=str(path), scorer="lexicon", window="", taxonomy_path=str(tax),
             columns={"Date": "created_at", "Company": "brand", "Review text": "text", "Lang": "language"},
             competitors=["Kvant", "Meridian"], swot_csv_path=str(tmp_path / "s.csv"), swot_html_path="")
    text = outputs_text(nb)
    assert "of the *ours* taxonomy (2 aspects)" in text
    table = pd.read_csv(tmp_path / "s.csv", keep_default_na=False)
    assert set(table["aspect"]) <= {"delivery", "staff"} and "Brightel" not in set(table["brand"])
    assert ((table["brand"] == sample.WEAK_COMPETITOR) & (table["aspect"] == "delivery")
            & (table["quadrant"] == "weakness")).any()


def test_markup_in_mentions_shows_as_text_in_the_swot_table(tmp_path):
    m = pd.read_csv(MENTIONS, dtype=str, keep_default_na=False)
    weak = (m["brand"] == sample.WEAK_COMPETITOR) & (m["label"] == "negative")
    m.loc[weak, "text"] = "<script>window.__pwned=1</script> " + m.loc[weak, "text"]
    path = tmp_path / "mentions_with_markup.csv"
    m.to_csv(path, index=False)
    nb = run(NB, tmp_path / "out.ipynb", input_path=str(path), scorer="lexicon", swot_csv_path="", swot_html_path="")
    html = html_outputs(nb)
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert "<script>window.__pwned" not in html


def test_a_bad_taxonomy_file_stops_with_one_message_naming_it(tmp_path):
    tax = tmp_path / "broken.yaml"
    tax.write_text("aspects:\n  price: {patterns: {en: ['re:(']}}\n", encoding="utf-8")
    with pytest.raises(pm.PapermillExecutionError) as info:
        run(NB, tmp_path / "out.ipynb", scorer="lexicon", taxonomy_path=str(tax), swot_csv_path="")
    assert info.value.ename == "CxDataError" and "broken.yaml" in info.value.evalue


def test_the_same_report_runs_on_a_local_dask_cluster_by_one_parameter(tmp_path):
    pytest.importorskip("distributed")
    m = pd.read_csv(MENTIONS)
    for k in range(3):
        m.iloc[k::3].to_parquet(tmp_path / f"part-{k}.parquet", index=False)
    csv = tmp_path / "swot.csv"
    run(NB, tmp_path / "out.ipynb", input_path=str(tmp_path / "part-*.parquet"), scheduler="local",
        sample_rows=5000, scorer="lexicon", swot_csv_path=str(csv), swot_html_path="")
    table = pd.read_csv(csv, keep_default_na=False)
    kvant = table[(table["brand"] == sample.WEAK_COMPETITOR) & (table["aspect"] == sample.WEAK_ASPECT)]
    assert set(kvant["quadrant"]) == {"weakness", "opportunity"}
    assert kvant["n"].iloc[0] > 150  # the last 6 months of all 20,000 mentions (about 50 in the 5,000 of the sample)
