"""SWOT: aspect sentiment numbers, the tests and their correction, the rules, evidence, exports, bad input."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import false_discovery_control

from cxlib import sample, swot
from cxlib.errors import CxDataError, CxParameterError

GOOD = {"price": "Great prices, very cheap", "staff": "The staff were polite and helpful",
        "delivery": "Delivery was fast, courier on time"}
BAD = {"price": "Terrible prices, far too expensive", "staff": "The staff were rude and useless",
       "delivery": "Delivery was late, courier lost the parcel"}


def synthetic(neg_share: dict[tuple[str, str], float], n: int = 120, seed: int = 0,
              dates: tuple[str, str] = ("2025-01-01", "2025-12-31")) -> pd.DataFrame:
    """English mentions, one aspect each, with the given negative share per (brand, aspect); the rest positive."""
    rng = np.random.default_rng(seed)
    rows = []
    days = pd.date_range(*dates, freq="D")
    for (brand, aspect), share in neg_share.items():
        for i in range(n):
            bad = rng.random() < share
            rows.append({"brand": brand, "aspect_true": aspect, "created_at": days[rng.integers(len(days))],
                         "text": (BAD if bad else GOOD)[aspect] + f" #{i}", "language": "en",
                         "label": "negative" if bad else "positive"})
    out = pd.DataFrame(rows)
    out.insert(0, "id", [f"m{i:05d}" for i in range(len(out))])
    return out


def labelled(m: pd.DataFrame) -> pd.DataFrame:
    """Aspect rows whose sentiment is the mention's label (no scorer), to test the statistics alone."""
    rows = m.rename(columns={"aspect_true": "aspect"}).assign(clause_text=m["text"], term="", mention=range(len(m)))
    for c in ("negative", "neutral", "positive"):
        rows[c] = (rows["label"] == c).astype(float)
    return rows


def test_aspect_sentiment_net_and_interval():
    m = labelled(synthetic({("A", "price"): 0.25}, n=400))
    out = swot.aspect_sentiment(m)
    r = out.iloc[0]
    neg = m["negative"].mean()
    assert r["n"] == 400 and r["net_sentiment"] == pytest.approx(1 - 2 * neg)
    p = (m["positive"].sum() + 1) / (400 + 2)
    assert r["se"] == pytest.approx(2 * np.sqrt(p * (1 - p) / 400))
    assert r["ci_low"] == pytest.approx(r["net_sentiment"] - 1.959964 * r["se"], abs=1e-6)
    assert r["share_of_mentions"] == 1.0 and not r["low_evidence"]


def test_compare_aspects_adjusts_every_p_value_together():
    m = labelled(synthetic({("A", "price"): 0.2, ("B", "price"): 0.5, ("C", "price"): 0.45,
                            ("A", "staff"): 0.3, ("B", "staff"): 0.3, ("C", "staff"): 0.32}, n=200))
    cur = swot.aspect_sentiment(m)
    tests = swot.compare_aspects(cur, "A")
    assert set(tests["test"]) == {"vs_others", "pair"}
    assert np.allclose(tests["p_adjusted"], false_discovery_control(tests["p_value"], method="bh"))
    pair = tests[(tests["test"] == "pair") & (tests["aspect"] == "price") & (tests["brand"] == "B")].iloc[0]
    assert pair["other"] == "A" and pair["difference"] < 0  # competitor minus us
    sig = tests[tests["significant"]]
    assert set(sig["aspect"]) == {"price"}


def test_a_clear_winner_is_a_strength_and_a_clear_loser_a_weakness_and_our_opportunity():
    m = labelled(synthetic({("A", "price"): 0.1, ("B", "price"): 0.45, ("C", "price"): 0.5,
                            ("A", "delivery"): 0.3, ("B", "delivery"): 0.3, ("C", "delivery"): 0.85,
                            ("A", "staff"): 0.3, ("B", "staff"): 0.32, ("C", "staff"): 0.3}, n=250))
    t = swot.swot_table(m, "A", window="")
    got = set(zip(t["quadrant"], t["brand"], t["aspect"]))
    assert ("strength", "A", "price") in got
    assert ("weakness", "C", "delivery") in got and ("opportunity", "C", "delivery") in got
    assert not any(a == "staff" for _, _, a in got)  # no difference, no row
    # A beats only C on delivery (one brand of two, not most): not a strength of A
    assert ("strength", "A", "delivery") not in got
    assert list(t.columns[:5]) == ["quadrant", "aspect", "brand", "metric", "evidence"]
    assert t["quadrant"].map(swot.QUADRANTS.index).is_monotonic_increasing


def test_a_competitor_better_than_us_is_a_threat_and_our_fall_too():
    m = pd.concat([
        synthetic({("A", "price"): 0.15, ("B", "price"): 0.15}, n=300, seed=1, dates=("2025-01-01", "2025-06-30")),
        synthetic({("A", "price"): 0.55, ("B", "price"): 0.15}, n=300, seed=2, dates=("2025-07-01", "2025-12-31")),
    ], ignore_index=True)
    t = swot.swot_table(labelled(m), "A", window="6M")
    got = set(zip(t["quadrant"], t["brand"], t["aspect"], t["test"]))
    assert ("threat", "A", "price", "trend") in got
    assert ("threat", "B", "price", "pair") in got
    cur = t.attrs["current"].set_index("brand")
    assert cur.loc["A", "trend"] == pytest.approx(cur.loc["A", "net_sentiment"] - cur.loc["A", "previous_net_sentiment"])
    assert cur.loc["A", "trend"] < -0.5 < cur.loc["B", "trend"]
    assert t.attrs["current_window"][0] == pd.Timestamp("2025-07-01")
    assert t.attrs["previous_window"] == (pd.Timestamp("2025-01-01"), pd.Timestamp("2025-06-30"))


def test_evidence_quotes_follow_the_finding_are_distinct_tagged_and_redacted():
    m = synthetic({("A", "price"): 0.1, ("B", "price"): 0.5, ("C", "price"): 0.55}, n=200)
    m.loc[m["brand"] == "A", "text"] = [f"Great prices, very cheap, call me on +40 721 123 456 ({i})"
                                        if i % 2 else "Great prices, very cheap"
                                        for i in range(int((m["brand"] == "A").sum()))]
    t = swot.swot_table(labelled(m), "A", window="", quotes=3)
    row = t[(t["quadrant"] == "strength") & (t["brand"] == "A")].iloc[0]
    quotes = row["evidence"].split("\n")
    assert len(quotes) == 3 and len(set(quotes)) == 3
    assert all(q.startswith("[en] “Great prices") for q in quotes)
    assert "721" not in row["evidence"] and "[phone]" in row["evidence"]
    assert swot.swot_table(labelled(m), "A", window="", quotes=0)["evidence"].eq("").all()


def test_nothing_significant_gives_an_empty_table_with_its_columns():
    m = labelled(synthetic({("A", "price"): 0.3, ("B", "price"): 0.3}, n=60))
    t = swot.swot_table(m, "A", window="")
    assert t.empty and list(t.columns[:5]) == ["quadrant", "aspect", "brand", "metric", "evidence"]
    assert "No significant finding" in swot.swot_html(t)


def test_few_mentions_take_part_in_no_test():
    m = labelled(synthetic({("A", "price"): 0.0, ("B", "price"): 1.0}, n=20))
    t = swot.swot_table(m, "A", window="", min_evidence=30)
    assert t.empty and t.attrs["tests"].empty
    assert t.attrs["current"]["low_evidence"].all()


def test_unknown_brands_are_clear_errors():
    m = labelled(synthetic({("A", "price"): 0.3, ("B", "price"): 0.3}, n=40))
    with pytest.raises(CxDataError, match="brands found: A, B"):
        swot.swot_table(m, "Velora")
    with pytest.raises(CxDataError, match="Kvnat"):
        swot.swot_table(m, "A", ["Kvnat"])
    with pytest.raises(CxParameterError):
        swot.swot_table(m, "A", window="six months")
    with pytest.raises(CxParameterError):
        swot.compare_aspects(swot.aspect_sentiment(m), "A", alpha=5)


def test_missing_text_column_names_the_fix():
    with pytest.raises(CxDataError, match="text"):
        swot.aspect_mentions(pd.DataFrame({"brand": ["A"]}), "lexicon")


def test_swot_html_escapes_every_cell_and_keeps_one_quote_per_line():
    t = pd.DataFrame({"quadrant": ["weakness"], "aspect": ["price"], "brand": ["<b>B</b>"], "metric": ["x & y"],
                      "evidence": ["[en] “<img src=x onerror=alert(1)>” (1)\n[ru] “второй” (2)"]})
    out = swot.swot_html(t)
    assert "<img" not in out and "&lt;img src=x" in out and "&lt;b&gt;B&lt;/b&gt;" in out
    assert "” (1)<br>[ru]" in out


def test_write_swot_is_atomic_and_round_trips(tmp_path):
    m = labelled(synthetic({("A", "price"): 0.1, ("B", "price"): 0.6}, n=200))
    t = swot.swot_table(m, "A", window="")
    csv, page = swot.write_swot(t, tmp_path / "s.csv", tmp_path / "s.html", caption="SWOT")
    back = pd.read_csv(csv, keep_default_na=False)
    assert back["quadrant"].tolist() == t["quadrant"].tolist() and back["evidence"].tolist() == t["evidence"].tolist()
    assert page.read_text(encoding="utf-8").startswith("<!doctype html>")
    assert not list(tmp_path.glob("*.tmp*"))


def test_split_windows_by_months_weeks_and_all():
    d = pd.Series(pd.to_datetime(["2025-01-01", "2025-03-31", "2025-04-01", "2025-06-30"]))
    labels, cur, prev = swot.split_windows(d, "3M")
    assert labels.tolist() == ["previous", "previous", "current", "current"]
    assert cur == (pd.Timestamp("2025-04-01"), pd.Timestamp("2025-06-30"))
    labels, cur, prev = swot.split_windows(d, "")
    assert labels.eq("current").all() and prev is None
    labels, _, _ = swot.split_windows(d, "2W", end="2025-04-07")
    assert labels.tolist() == [None, "current", "current", None]  # 2025-03-25 .. 2025-04-07


def test_aspect_mentions_scores_the_clause_not_the_whole_mention():
    m = pd.DataFrame({"id": [1], "brand": ["A"], "created_at": ["2025-01-01"], "language": ["en"],
                      "text": ["The staff were rude and useless, but great prices, very cheap"]})
    out = swot.aspect_mentions(m, "lexicon").set_index("aspect")
    assert out.loc["staff", "sentiment"] == "negative" and out.loc["price", "sentiment"] == "positive"
    assert out["mention"].tolist() == [0, 0]


@pytest.fixture(scope="module")
def sample_swot():
    m = sample.make_mentions(20000, seed=42)
    return swot.swot_table(m, sample.OUR_BRAND, scorer="lexicon", window="")


def test_the_planted_weak_competitor_aspect_is_its_weakness_and_our_opportunity(sample_swot):
    t = sample_swot
    got = set(zip(t["quadrant"], t["brand"], t["aspect"]))
    assert ("weakness", sample.WEAK_COMPETITOR, sample.WEAK_ASPECT) in got
    assert ("opportunity", sample.WEAK_COMPETITOR, sample.WEAK_ASPECT) in got
    # it is the competitor's clearest weakness: the largest gap of its weakness rows
    weak = t[(t["quadrant"] == "weakness") & (t["brand"] == sample.WEAK_COMPETITOR)]
    assert weak.iloc[0]["aspect"] == sample.WEAK_ASPECT
    quotes = weak.iloc[0]["evidence"].split("\n")
    assert 2 <= len(quotes) <= 3 and len({q[:4] for q in quotes}) == len(quotes)  # one language each
    # nobody else is weak on that aspect
    assert not ((t["quadrant"] == "weakness") & (t["aspect"] == sample.WEAK_ASPECT)
                & (t["brand"] != sample.WEAK_COMPETITOR)).any()


@pytest.mark.parametrize("window", ["", "6M"])
def test_compacted_parts_give_the_same_table_as_the_full_rows(window):
    m = pd.concat([
        synthetic({("A", "price"): 0.15, ("B", "price"): 0.5, ("C", "delivery"): 0.8, ("A", "delivery"): 0.3,
                   ("B", "delivery"): 0.3}, n=200, seed=4, dates=("2025-01-01", "2025-06-30")),
        synthetic({("A", "price"): 0.45, ("B", "price"): 0.5, ("C", "delivery"): 0.8, ("A", "delivery"): 0.3,
                   ("B", "delivery"): 0.3}, n=200, seed=5, dates=("2025-07-01", "2025-12-31"))], ignore_index=True)
    m["id"] = [f"m{i:05d}" for i in range(len(m))]
    m["language"] = np.where(np.arange(len(m)) % 3 == 0, "ru", "en")
    m["text"] = m["text"] + " " + m["language"]  # one text, one language (as in real data)
    rows = labelled(m).drop(columns="mention")
    end = str(rows["created_at"].max().date())
    full = swot.swot_table(rows, "A", window=window)
    shuffled = rows.sample(frac=1, random_state=0)
    parts = [swot.compact_aspects(shuffled.iloc[i::3], window, end, quotes=3) for i in range(3)]
    compact = pd.concat(parts, ignore_index=True)
    assert len(compact) < len(rows) / 3
    again = swot.swot_table(compact, "A", window=window, end=end)
    assert len(full) > 0
    pd.testing.assert_frame_equal(full.reset_index(drop=True), again.reset_index(drop=True))
    pd.testing.assert_frame_equal(full.attrs["current"], again.attrs["current"])
