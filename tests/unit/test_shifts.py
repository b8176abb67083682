"""Unit tests of cxlib.shifts: shift alerts on the sentiment index, their false-alarm control, examples and words.

Known answers: planted drops and spikes in simulated indexes, stable binomial series for the false-alarm rate,
and the outage week planted in the committed sample mentions (``cxlib.sample.DIP_WEEK_START``).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import poisson

from cxlib import io, sample, sentiment, shifts
from cxlib.errors import CxParameterError
from cxlib.shifts import shift_alerts

WEEKS = pd.date_range("2025-01-06", periods=20, freq="W-MON")


def _index_from_counts(neg: np.ndarray, neu: np.ndarray, pos: np.ndarray, brand: str = "A",
                       periods: pd.DatetimeIndex = WEEKS, **extra) -> pd.DataFrame:
    """An index frame as sentiment_index builds it (polar net sentiment, 95 % Wilson interval) from counts."""
    neg, neu, pos = (np.asarray(a, dtype=float) for a in (neg, neu, pos))
    polar, n = neg + pos, neg + neu + pos
    z = 1.959963984540054
    with np.errstate(invalid="ignore", divide="ignore"):
        r = pos / polar
        centre = (r + z * z / (2 * polar)) / (1 + z * z / polar)
        half = z * np.sqrt(r * (1 - r) / polar + z * z / (4 * polar ** 2)) / (1 + z * z / polar)
        net = (pos - neg) / polar
    frame = pd.DataFrame({"brand": brand, "period": periods[:len(n)], "n": n.astype(int), "net_sentiment": net,
                          "ci_low": 2 * (centre - half) - 1, "ci_high": 2 * (centre + half) - 1,
                          "share_of_voice": np.nan, "low_volume": n < 30, "complete": True})
    return frame.assign(**extra)


def _mentions(shares: list[tuple[float, float, float]], n: list[int], brand: str, seed: int) -> pd.DataFrame:
    """Labelled mentions, one week per entry of ``shares`` (negative, neutral, positive) with ``n`` mentions."""
    rng = np.random.default_rng(seed)
    parts = []
    for week, p, k in zip(WEEKS, shares, n):
        hours = rng.integers(0, 7 * 24, k)
        parts.append(pd.DataFrame({"created_at": week + pd.to_timedelta(hours, unit="h"), "brand": brand,
                                   "sentiment": rng.choice(sentiment.LABELS, k, p=p)}))
    return pd.concat(parts, ignore_index=True).assign(text="")


# --- alerts on planted effects ------------------------------------------------------------------------------


def test_shift_alerts_finds_a_planted_drop_and_nothing_in_a_stable_brand():
    usual, bad = (0.25, 0.30, 0.45), (0.60, 0.25, 0.15)
    planted = _mentions([usual] * 14 + [bad] + [usual] * 5, [200] * 20, "A", seed=1)
    stable = _mentions([usual] * 20, [200] * 20, "B", seed=2)
    idx = sentiment.sentiment_index(pd.concat([planted, stable], ignore_index=True))
    alerts = shift_alerts(idx)
    assert alerts[["brand", "period", "kind"]].values.tolist() == [["A", WEEKS[14], "sentiment drop"]]
    a = alerts.iloc[0]
    assert a["value"] < -0.3 and 0.1 < a["baseline"] < 0.4 and a["z"] <= -3 and a["n"] == 200
    assert alerts.columns.tolist() == ["brand", "period", "kind", "value", "baseline", "z", "n"]


def test_shift_alerts_reports_a_rise_and_orders_alerts_by_severity():
    net = np.array([0.30, 0.32, 0.28, 0.31, 0.29, 0.30, 0.33, 0.29, 0.31, 0.80, 0.30, 0.31, -0.60])
    idx = pd.DataFrame({"brand": "A", "period": WEEKS[:13], "n": 100, "net_sentiment": net, "ci_low": net - 0.1,
                        "ci_high": net + 0.1, "low_volume": False})
    alerts = shift_alerts(idx, volume=False)
    # the rise stays in the band of the later drop and widens it: the rise is the more severe alert
    assert alerts["kind"].tolist() == ["sentiment rise", "sentiment drop"]
    assert alerts["period"].tolist() == [WEEKS[9], WEEKS[12]]
    assert alerts["z"].iloc[0] >= 3 and alerts["z"].iloc[1] <= -3
    assert alerts["z"].abs().is_monotonic_decreasing


def test_shift_alerts_compares_periods_within_each_brand():
    # B sits far below A every week: a level gap between brands is no alert
    a = _index_from_counts([50] * 12, [50] * 12, [100] * 12, brand="A")
    b = _index_from_counts([100] * 12, [50] * 12, [50] * 12, brand="B")
    assert shift_alerts(pd.concat([a, b], ignore_index=True)).empty


def test_shift_alerts_flags_a_volume_spike_one_sided():
    n = np.array([100, 96, 104, 99, 101, 98, 103, 100, 97, 310, 99, 30])
    idx = _index_from_counts(n * 0.3, n * 0.3, n * 0.4)
    alerts = shift_alerts(idx)
    assert alerts[["kind", "period", "n"]].values.tolist() == [["volume spike", WEEKS[9], 310]]
    assert alerts["baseline"].iloc[0] == pytest.approx(n[1:9].mean())  # the window of 8 earlier periods
    # a quiet week (n = 30) is not a volume alert: spikes only
    assert shift_alerts(idx, volume=False).empty


def test_shift_alerts_rejects_a_window_under_2_and_a_sensitivity_not_above_0():
    idx = _index_from_counts([30] * 10, [30] * 10, [40] * 10)
    with pytest.raises(CxParameterError, match="window"):
        shift_alerts(idx, window=1)
    with pytest.raises(CxParameterError, match="sensitivity"):
        shift_alerts(idx, sensitivity=0)


# --- what is excluded ------------------------------------------------------------------------------------------


def test_low_volume_periods_are_neither_tested_nor_part_of_the_band():
    neg = np.array([30, 31, 29, 30, 32, 30, 28, 31, 30, 5, 30, 29, 120], dtype=float)
    pos = np.array([40, 39, 41, 40, 38, 40, 42, 39, 40, 0, 40, 41, 10], dtype=float)
    neu = np.array([30] * 9 + [2] + [30] * 3, dtype=float)
    idx = _index_from_counts(neg, neu, pos)
    assert idx["low_volume"].tolist() == [False] * 9 + [True] + [False] * 3
    alerts = shift_alerts(idx, volume=False)
    # the thin week (net -1.0 from 5 mentions) raises nothing; the real drop at the end does
    assert alerts["period"].tolist() == [WEEKS[12]]
    usable_before = [3, 4, 5, 6, 7, 8, 10, 11]  # the 8 latest earlier weeks, the thin week 9 skipped
    assert alerts["baseline"].iloc[0] == pytest.approx(idx["net_sentiment"].iloc[usable_before].mean())
    # tests: periods 4..12 with >= 4 usable earlier periods, minus the thin one
    assert shift_alerts(idx, volume=False).attrs["tests"] == 8


def test_incomplete_periods_are_not_tested_for_volume_nor_in_its_band():
    n = np.array([900, 100, 96, 104, 99, 101, 98, 103, 100, 97, 310, 250])
    complete = [False] + [True] * 10 + [False]  # data start and end inside the first and last week
    idx = _index_from_counts(n * 0.3, n * 0.3, n * 0.4, complete=complete)
    alerts = shift_alerts(idx, window=10)
    spikes = alerts[alerts["kind"] == "volume spike"]
    # only the whole week of 310: the partial last week (250) is not tested
    assert spikes["period"].tolist() == [WEEKS[10]]
    # and the partial first week (900) stays out of the band
    assert spikes["baseline"].iloc[0] == pytest.approx(n[1:10].mean())
    assert alerts.attrs["tests"] == shift_alerts(idx, window=10, volume=False).attrs["tests"] + (10 - 4)


def test_an_incomplete_period_is_still_tested_for_sentiment():
    neg = np.array([30] * 10 + [120])
    pos = np.array([40] * 10 + [15])
    neg[::2] += 3
    idx = _index_from_counts(neg, np.full(11, 30), pos, complete=[True] * 10 + [False])
    alerts = shift_alerts(idx)
    assert alerts[["kind", "period"]].values.tolist() == [["sentiment drop", WEEKS[10]]]


# --- the stated false-alarm control ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def stable_alerts() -> pd.DataFrame:
    """Alerts on 300 stable series x 30 weeks: Poisson(200) mentions a week, 30/30/40 % negative/neutral/positive."""
    rng = np.random.default_rng(0)
    series, weeks = 300, 30
    periods = pd.date_range("2024-01-01", periods=weeks, freq="W-MON")
    n = rng.poisson(200, size=(series, weeks))
    counts = np.array([rng.multinomial(k, [0.3, 0.3, 0.4]) for k in n.ravel()]).reshape(series, weeks, 3)
    frames = [_index_from_counts(counts[s, :, 0], counts[s, :, 1], counts[s, :, 2], brand=f"b{s:03d}",
                                 periods=periods) for s in range(series)]
    return shift_alerts(pd.concat(frames, ignore_index=True))


def test_expected_false_alarms_counts_the_tests_made(stable_alerts):
    # per series: weeks 4..29 tested for sentiment (two-sided) and for volume (one-sided)
    assert stable_alerts.attrs["tests"] == 2 * 300 * 26
    from scipy.stats import norm
    tail = 2 * norm.sf(3)
    assert stable_alerts.attrs["expected_false_alarms"] == pytest.approx(300 * 26 * tail * 1.5)


def test_stable_series_raise_no_more_false_alarms_than_stated(stable_alerts):
    expected = stable_alerts.attrs["expected_false_alarms"]  # about 32
    assert len(stable_alerts) <= poisson.isf(1e-4, expected)


def test_stable_series_raise_about_as_many_false_alarms_as_stated(stable_alerts):
    expected = stable_alerts.attrs["expected_false_alarms"]
    assert poisson.ppf(1e-4, expected) <= len(stable_alerts) <= poisson.isf(1e-4, expected)


# --- examples and words --------------------------------------------------------------------------------------


def _scored() -> pd.DataFrame:
    texts = ["Rude staff, write to angry.client@example.com", "RUDE staff, write to angry.client@example.com ",
             "Nobody answers, call me at +44 20 7946 0958", "<b>Awful</b> & slow", "quite ok", "Great help"]
    return pd.DataFrame({"brand": ["A"] * 5 + ["B"], "created_at": ["2025-03-11", "2025-03-12", "2025-03-13",
                                                                       "2025-03-14", "2025-03-15", "2025-03-12"],
                         "channel": "forum", "language": "en", "text": texts,
                         "negative": [0.95, 0.90, 0.80, 0.70, 0.30, 0.99], "positive": [0.0, 0.0, 0.1, 0.1, 0.5, 0.0]})


def test_alert_examples_redacts_pii_and_returns_plain_text():
    s = _scored()
    before = s.copy()
    ex = shifts.alert_examples(s, "A", pd.Timestamp("2025-03-10"))
    pd.testing.assert_frame_equal(s, before)
    assert ex.columns.tolist() == ["created_at", "channel", "language", "text", "negative"]
    # one per distinct text (case and spaces aside), clearest first, only mentions at least 0.5 negative
    assert ex["text"].tolist() == ["Rude staff, write to [email]", "Nobody answers, call me at [phone]",
                                   "<b>Awful</b> & slow"]  # plain text: not escaped here
    assert ex["negative"].tolist() == [0.95, 0.8, 0.7]
    assert not ex["text"].str.contains("@example.com|7946", regex=True).any()


def test_alert_examples_keeps_to_the_brand_period_side_and_limit():
    s = _scored()
    assert shifts.alert_examples(s, "A", pd.Timestamp("2025-03-10"), n=1)["text"].tolist() == \
        ["Rude staff, write to [email]"]
    assert shifts.alert_examples(s, "A", pd.Timestamp("2025-03-17")).empty
    assert shifts.alert_examples(s, "A", pd.Timestamp("2025-03-10"), side="positive")["text"].tolist() == ["quite ok"]
    assert shifts.alert_examples(s, "B", pd.Timestamp("2025-03-10"))["text"].tolist() == ["Great help"]


def test_rising_terms_surfaces_a_planted_word_of_negative_mentions():
    rng = np.random.default_rng(3)
    common = ["slow delivery again", "rude staff today", "long queue at the desk", "app keeps crashing",
              "waited forever on hold", "prices went up"]
    rows = []
    for week in WEEKS[:9]:
        for _ in range(30):
            rows.append((week + pd.Timedelta(hours=int(rng.integers(0, 160))), rng.choice(common), 1.0))
    now = WEEKS[9]
    for _ in range(30):
        text = rng.choice(common) if rng.random() < 0.5 else f"wrong invoice {rng.choice(['again', 'twice', 'today'])}"
        rows.append((now + pd.Timedelta(hours=int(rng.integers(0, 160))), text, 1.0))
    # positive mentions full of another new word weigh nothing on the negative side
    rows += [(now + pd.Timedelta(hours=5), "lovely lounge", 0.0)] * 20
    s = pd.DataFrame(rows, columns=["created_at", "text", "negative"]).assign(brand="A")
    words = shifts.rising_terms(s, "A", now, top=5)
    assert words.columns.tolist() == ["word", "count_now", "count_before", "log_odds", "z"]
    assert set(words["word"].head(2)) == {"wrong", "invoice"}
    assert (words.set_index("word").loc[["wrong", "invoice"], "z"] > 1.96).all()
    assert words.set_index("word").loc["invoice", "count_before"] == 0
    # every word that rose clearly occurs in negative mentions of the period
    assert (words.loc[words["z"] > 1.96, "count_now"] > 0).all()
    lovely = words[words["word"].isin(["lovely", "lounge"])]
    assert (lovely["count_now"] == 0).all() and (lovely["z"] < 1.96).all()
    assert words["z"].is_monotonic_decreasing


def test_rising_terms_is_empty_without_an_earlier_period():
    s = pd.DataFrame({"brand": "A", "created_at": ["2025-03-10"] * 3, "text": ["bad bill"] * 3, "negative": 1.0})
    out = shifts.rising_terms(s, "A", pd.Timestamp("2025-03-10"))
    assert out.empty and out.columns.tolist() == ["word", "count_now", "count_before", "log_odds", "z"]


def test_describe_alerts_puts_our_brand_first_and_words_volume_spikes():
    a = pd.DataFrame({"brand": ["B", "A", "A"], "period": pd.to_datetime(["2025-03-03", "2025-03-10", "2025-03-10"]),
                      "kind": ["sentiment rise", "sentiment drop", "volume spike"], "value": [0.6, -0.4, 310.0],
                      "baseline": [0.2, 0.3, 112.4], "z": [6.0, -5.2, 4.3], "n": [120, 300, 310]})
    a.attrs.update(tests=200, expected_false_alarms=0.54, sensitivity=3.0)
    text = shifts.describe_alerts(a, "A")
    assert text.startswith("3 alerts in 200 tests (about 0.5 expected by chance at sensitivity 3).")
    assert text.index("A: sentiment drop") < text.index("A: volume spike") < text.index("B: sentiment rise")
    assert "A: volume spike in the period of 2025-03-10 (310 mentions against a recent 112, z = 4.3)." in text
    assert "net sentiment -0.40 against a recent 0.30, z = -5.2" in text
    empty = a.iloc[0:0]
    empty.attrs.update(tests=200, sensitivity=3.0)
    assert shifts.describe_alerts(empty) == "No period left its recent band in 200 tests (sensitivity 3)."


# --- end to end on the committed sample ------------------------------------------------------------------------


def test_sample_mentions_alert_only_on_the_velora_outage_week(repo_root):
    m = io.read_table(repo_root / "data" / "sample" / "mentions.csv")
    # the file labels only a quarter of the rows: take every row's true sentiment from the generator
    truth = sample.make_mentions(n=len(m), seed=42, truth=True)
    assert truth["id"].tolist() == m["id"].tolist()
    idx = sentiment.sentiment_index(m.assign(sentiment=truth["true_sentiment"].to_numpy()))
    alerts = shift_alerts(idx)
    dip = pd.Timestamp(sample.DIP_WEEK_START)
    ours = alerts[(alerts["brand"] == sample.OUR_BRAND) & alerts["kind"].str.startswith("sentiment")]
    assert [dip, "sentiment drop"] in ours[["period", "kind"]].values.tolist()
    assert alerts["kind"].iloc[0] == "sentiment drop" and alerts["brand"].iloc[0] == sample.OUR_BRAND
    assert alerts["period"].iloc[0] == dip   # the outage is the strongest alert of the file
    spike = alerts[(alerts["brand"] == sample.OUR_BRAND) & (alerts["kind"] == "volume spike")]
    assert spike["period"].tolist() == [dip]
    false_alarms = alerts[~((alerts["brand"] == sample.OUR_BRAND) & (alerts["period"] == dip))]
    # as many as the stated false-alarm rate allows (99.9 % Poisson bound; 3 today in 590 tests, 1.2 expected)
    assert len(false_alarms) <= max(3, poisson.ppf(0.999, alerts.attrs["expected_false_alarms"]))
    assert not (idx["complete"].iloc[[0, -1]].all())  # the data end on a Wednesday: a partial last week


def test_strongest_alert_puts_drops_first_then_the_largest_z():
    a = pd.DataFrame({"brand": ["A", "A", "A", "A"], "kind": ["volume spike", "sentiment rise", "sentiment drop",
                                                               "sentiment drop"],
                      "period": pd.to_datetime(["2025-01-06", "2025-01-13", "2025-01-20", "2025-01-27"]),
                      "z": [12.0, 9.0, -3.2, -4.1]})
    assert shifts.strongest_alert(a, "A")["period"] == pd.Timestamp("2025-01-27")
    assert shifts.strongest_alert(a[a["kind"] == "volume spike"], "A")["kind"] == "volume spike"
    assert shifts.strongest_alert(a[a["kind"] == "sentiment rise"], "A") is None
