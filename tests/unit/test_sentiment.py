"""Unit tests of cxlib.sentiment: scorers, labels, the net-sentiment index and its helpers.

Known answers come from hand-computed small frames, planted shares in simulations and the synthetic corpus of
:func:`cxlib.sample.make_mentions` (true sentiment known). Trained scorers are fitted on small corpora
(English and Russian rows of 4,000 sample mentions) so that each test stays within a few seconds.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxlib import sample, sentiment
from cxlib.errors import CxDataError, CxParameterError
from cxlib.sentiment import LABELS, adjust_counts, labels_from_ratings, period_start, sentiment_index

# --- shared small corpora ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus() -> pd.DataFrame:
    """English and Russian sample mentions (about 2,400 rows, about 1,150 training labels) with true sentiment."""
    m = sample.make_mentions(n=4000, seed=1, truth=True)
    return m[m["language"].isin(["en", "ru"])].reset_index(drop=True)


@pytest.fixture(scope="module")
def trained(corpus: pd.DataFrame) -> sentiment.SentimentScorer:
    """A trained scorer with 3-fold cross-validated checks per language."""
    y = sentiment.training_labels(corpus)
    return sentiment.make_scorer("trained", seed=0, cv=3, min_labels=100).fit(
        corpus["text"], y, languages=corpus["language"])


def _labelled(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    """Mentions from (created_at, brand, sentiment) triples."""
    return pd.DataFrame({"id": range(len(rows)), "created_at": [r[0] for r in rows], "brand": [r[1] for r in rows],
                         "sentiment": [r[2] for r in rows], "text": [""] * len(rows)})


# --- scorers ---------------------------------------------------------------------------------------------------


def test_make_scorer_builds_each_kind_and_rejects_an_unknown_one():
    for kind in ("lexicon", "trained", "auto"):
        s = sentiment.make_scorer(kind, seed=3)
        assert isinstance(s, sentiment.SentimentScorer)
        assert (s.kind, s.seed) == (kind, 3)
    with pytest.raises(CxParameterError, match="kind"):
        sentiment.make_scorer("bert")


def test_lexicon_scorer_reads_clear_english_and_russian_without_labels():
    s = sentiment.make_scorer("lexicon")
    texts = ["Very rude staff, waited an hour", "Thank you, quick and friendly help!",
             "Ужасное обслуживание, грубый персонал", "Отличный сервис, спасибо!"]
    langs = ["en", "en", "ru", "ru"]
    assert s.predict(texts, languages=langs).tolist() == ["negative", "positive", "negative", "positive"]
    proba = s.predict_proba(texts, languages=langs)
    assert proba.columns.tolist() == list(LABELS)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert (proba.to_numpy() >= 0).all()


def test_predict_proba_keeps_a_series_index_and_treats_missing_text_as_empty():
    s = sentiment.make_scorer("lexicon")
    texts = pd.Series(["great service", None, np.nan], index=[10, 20, 30])
    proba = s.predict_proba(texts, languages="en")
    assert proba.index.tolist() == [10, 20, 30]
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def test_fit_rejects_labels_and_languages_of_the_wrong_length():
    s = sentiment.make_scorer("trained", min_labels=2, cv=0)
    with pytest.raises(CxParameterError, match="labels"):
        s.fit(["a", "b", "c"], ["positive", "negative"], languages="en")
    with pytest.raises(CxParameterError, match="languages"):
        s.fit(["a", "b", "c"], ["positive", "negative", "neutral"], languages=["en", "en"])


def test_trained_scorer_without_any_valid_label_raises_data_error_naming_label():
    with pytest.raises(CxDataError, match="label"):
        sentiment.make_scorer("trained").fit(["good", "bad"], ["meh", None], languages="en")


def test_trained_scorer_learns_the_sample_corpus_and_beats_the_lexicon(corpus, trained):
    # each language: a model of its own or the pooled one, whichever cross-validated better
    assert set(trained.used_) == {"en", "ru"} and set(trained.used_.values()) <= {"trained", "trained (pooled)"}
    # predictions on the corpus against its true sentiment (5 % of its training labels are flipped)
    pred = trained.predict(corpus["text"], languages=corpus["language"])
    assert set(pred) <= set(LABELS)
    acc = float((pred == corpus["true_sentiment"].to_numpy()).mean())
    lex = sentiment.make_scorer("lexicon").predict(corpus["text"], languages=corpus["language"])
    lex_acc = float((lex == corpus["true_sentiment"].to_numpy()).mean())
    assert acc > 0.85
    assert acc > lex_acc + 0.05


def test_quality_has_documented_columns_and_cross_validated_scores(trained):
    q = trained.quality_
    assert q.columns.tolist() == ["language", "labels", "scorer", "macro_f1", "lexicon_macro_f1", "corrected",
                                  "model_sd", "features"]
    assert q["features"].tolist() == ["fast", "fast"]   # the default configuration
    assert q["language"].tolist() == ["en", "ru"]
    assert q["labels"].tolist() == [trained.label_counts_["en"], trained.label_counts_["ru"]]
    assert (q["labels"] >= 100).all()
    assert q["macro_f1"].between(0.75, 1.0).all()
    assert (q["macro_f1"] > q["lexicon_macro_f1"]).all()
    assert (q["model_sd"] >= 0).all() and q["model_sd"].notna().all()
    assert q["corrected"].dtype == bool


def test_quality_is_missing_without_cross_validation(corpus):
    small = corpus[corpus["language"] == "en"]
    s = sentiment.make_scorer("trained", cv=0, min_labels=100).fit(
        small["text"], sentiment.training_labels(small), languages="en")
    assert s.used_ == {"en": "trained"}
    assert s.quality_["macro_f1"].isna().all()


def test_trained_scorer_pools_languages_with_too_few_labels(corpus):
    # en has about 690 labels, ru about 460: with min_labels=500, ru borrows the pooled model
    y = sentiment.training_labels(corpus)
    assert (y[corpus["language"] == "en"].notna().sum() >= 500) and (y[corpus["language"] == "ru"].notna().sum() < 500)
    s = sentiment.make_scorer("trained", cv=0, min_labels=500).fit(corpus["text"], y, languages=corpus["language"])
    assert s.used_ == {"en": "trained", "ru": "trained (pooled)"}
    assert "*" in s.models_
    assert s.predict(["Ужасный сервис, никогда больше"], languages="ru").tolist() == ["negative"]
    # a language never seen in fit goes to the pooled model too
    text = ["Ужасный сервис, никогда больше"]
    pd.testing.assert_frame_equal(s.predict_proba(text, languages="xx"), s.predict_proba(text, languages="ru"))


def test_auto_uses_the_lexicon_where_a_language_has_too_few_labels(corpus):
    y = sentiment.training_labels(corpus)
    s = sentiment.make_scorer("auto", cv=0, min_labels=500).fit(corpus["text"], y, languages=corpus["language"])
    assert s.used_ == {"en": "trained", "ru": "lexicon"}
    # the lexicon part predicts exactly what the lexicon scorer does
    ru = corpus.loc[corpus["language"] == "ru", "text"].head(50)
    pd.testing.assert_frame_equal(s.predict_proba(ru, languages="ru"),
                                  sentiment.make_scorer("lexicon").predict_proba(ru, languages="ru"))
    # ru has >= 30 labels, so the lexicon is measured on them
    assert s.quality_.set_index("language").loc["ru", "macro_f1"] > 0


def test_auto_keeps_the_lexicon_when_it_scores_at_least_as_well_as_a_model(corpus):
    # labels that are the lexicon's own predictions: the lexicon scores macro-F1 1, no model can beat it
    en = corpus[corpus["language"] == "en"].head(600)
    y = sentiment.make_scorer("lexicon").predict(en["text"], languages="en")
    s = sentiment.make_scorer("auto", cv=3, min_labels=100).fit(en["text"], y, languages="en")
    assert s.used_ == {"en": "lexicon"}
    q = s.quality_.iloc[0]
    assert q["lexicon_macro_f1"] == pytest.approx(1.0)


def test_rich_features_are_words_chars_and_the_full_lexicon_reading():
    f = sentiment.RichFeatures("en").fit(["great staff", "awful queue", "not great at all", "great queue"])
    x = f.transform(["not great", "awful"]).toarray()
    n_words = f.words_.transform(["x"]).shape[1]
    assert x.shape[1] == n_words + len(f.chars_.vocabulary_) + 3
    lex = x[:, -3:] / f.lexicon_weight   # tanh(positive / 4), tanh(negative / 4), compound
    assert lex[0, 1] > 0 and lex[0, 2] < 0     # "not great": negated, so negative evidence
    assert lex[1, 1] > 0 and lex[1, 0] == 0    # "awful"
    # the cache used while fitting gives the same features as none
    with sentiment._cached_features():
        cached = f.transform(["not great", "awful"]).toarray()
        cached_again = f.transform(["not great", "awful"]).toarray()
    np.testing.assert_array_equal(cached, x)
    np.testing.assert_array_equal(cached_again, x)
    assert sentiment.char_features("ab cd") == [" a", "ab", "b ", " ab", "ab ", " ab ", " c", "cd", "d ", " cd", "cd ",
                                                " cd "]


def test_char_grams_match_scikit_learns_tfidf_of_the_same_n_grams(corpus):
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = corpus["text"].tolist()
    train, test = texts[:1500], texts[1500:] + ["", "Zzzz unseen wordsss!!"]
    ref = TfidfVectorizer(analyzer=sentiment.char_features, sublinear_tf=True, min_df=2, dtype=np.float32).fit(train)
    ours = sentiment.CharGrams(min_df=2).fit(train)
    assert set(ours.vocabulary_) == set(ref.vocabulary_)
    order = [ours.vocabulary_[g] for g in ref.get_feature_names_out()]
    for _ in range(2):   # the second time from the per-word cache
        np.testing.assert_allclose(ours.transform(test).toarray()[:, order], ref.transform(test).toarray(), atol=1e-6)
    import pickle
    again = pickle.loads(pickle.dumps(ours))
    assert "_memo" not in again.__dict__
    np.testing.assert_array_equal(again.transform(test[:20]).toarray(), ours.transform(test[:20]).toarray())


def test_word_matrix_matches_the_fitted_tfidf_vectorizer(corpus):
    texts = corpus["text"].tolist()
    train = texts[:1500] + ["not good at all, no way", "never again!!! not helpful"]
    test = texts[1500:] + ["", "!!!", "not not good", "no. good", "Not good, not bad", "not helpful at all",
                           "Zzzz unseen wordsss!!", "   "]
    f = sentiment.WordsAndLexicon("en").fit(train)
    ref = f.words_.transform(test)
    assert ref.nnz > 10 * len(test)
    for _ in range(2):   # the second time from the per-word cache
        ours = f.word_matrix(test)
        assert ours.shape == ref.shape and ours.nnz == ref.nnz
        np.testing.assert_allclose(ours.toarray(), ref.toarray(), atol=1e-6)
    # pairs and negated words are among the features it finds
    names = f.words_.get_feature_names_out()
    row = f.word_matrix(["not helpful at all"]).toarray()[0]
    assert {"not helpful", "!helpful", "!at"} <= {names[j] for j in np.flatnonzero(row[:len(names)])}
    import pickle
    again = pickle.loads(pickle.dumps(f))
    assert "_memo" not in again.__dict__
    np.testing.assert_array_equal(again.transform(test[:20]).toarray(), f.transform(test[:20]).toarray())


def test_features_option_chooses_the_model_configuration(corpus):
    en = corpus[corpus["language"] == "en"]
    y = sentiment.training_labels(en)
    rich = sentiment.make_scorer("trained", cv=3, min_labels=100, features="rich").fit(en["text"], y, languages="en")
    assert rich.feature_sets_ == {"en": "rich"}
    assert rich.quality_["features"].tolist() == ["rich"]
    assert isinstance(rich.models_["en"][0], sentiment.RichFeatures)
    assert rich.quality_["macro_f1"].iloc[0] > 0.75
    assert set(rich.predict(en["text"].head(50), languages="en")) <= set(LABELS)
    auto = sentiment.make_scorer("trained", cv=3, min_labels=100, features="auto").fit(en["text"], y, languages="en")
    scores = auto.config_scores_["en"]
    assert set(scores) == set(sentiment.MODEL_CONFIGS)
    best = max(scores, key=scores.get)
    assert auto.feature_sets_ == {"en": best}
    assert auto.quality_["macro_f1"].iloc[0] == pytest.approx(scores[best])
    assert scores["rich"] == pytest.approx(rich.quality_["macro_f1"].iloc[0])   # same folds, same model
    with pytest.raises(CxParameterError, match="features"):
        sentiment.make_scorer("trained", features="bert")


def test_save_and_load_round_trip_gives_identical_probabilities(trained, corpus, tmp_path):
    path = trained.save(tmp_path / "models" / "sentiment.joblib")
    assert path.is_file()
    loaded = sentiment.load_scorer(path)
    again = sentiment.make_scorer(str(path))  # make_scorer accepts a saved scorer's path
    texts, langs = corpus["text"].head(200), corpus["language"].head(200)
    expected = trained.predict_proba(texts, languages=langs)
    pd.testing.assert_frame_equal(loaded.predict_proba(texts, languages=langs), expected, check_exact=True)
    pd.testing.assert_frame_equal(again.predict_proba(texts, languages=langs), expected, check_exact=True)
    assert loaded.used_ == trained.used_
    pd.testing.assert_frame_equal(loaded.quality_, trained.quality_)


def test_load_scorer_explains_a_missing_file_and_a_file_of_another_kind(tmp_path):
    import joblib

    with pytest.raises(CxDataError, match="no saved scorer"):
        sentiment.load_scorer(tmp_path / "nothing.joblib")
    other = tmp_path / "other.joblib"
    joblib.dump({"not": "a scorer"}, other)
    with pytest.raises(CxDataError, match="dict"):
        sentiment.load_scorer(other)


def test_scorer_summary_names_each_kind_with_its_languages(corpus):
    y = sentiment.training_labels(corpus)
    s = sentiment.make_scorer("trained", cv=0, min_labels=500).fit(corpus["text"], y, languages=corpus["language"])
    assert sentiment.scorer_summary(s) == "Trained model: en. Model pooled over all languages: ru."
    lex = sentiment.make_scorer("lexicon").fit(["good", "хорошо"], languages=["en", "ru"])
    assert sentiment.scorer_summary(lex) == "Lexicon (no training): en, ru."


# --- labels --------------------------------------------------------------------------------------------------


def test_labels_from_ratings_maps_1_2_negative_3_neutral_4_5_positive():
    got = labels_from_ratings([1, 2, 3, 4, 5, 0, 6, None, "x", 2.5, "4"]).tolist()
    assert got == ["negative", "negative", "neutral", "positive", "positive", None, None, None, None, None,
                   "positive"]


def test_labels_from_ratings_keeps_a_series_index():
    got = labels_from_ratings(pd.Series([5, 1], index=["a", "b"]))
    assert got.index.tolist() == ["a", "b"] and got.tolist() == ["positive", "negative"]


def test_training_labels_prefers_the_label_and_falls_back_to_the_rating():
    m = pd.DataFrame({"label": [" Positive", None, "meh", None, "neutral"], "rating": [1, 2, 5, None, None]})
    assert sentiment.training_labels(m).tolist() == ["positive", "negative", "positive", None, "neutral"]
    assert sentiment.training_labels(m, use_ratings=False).tolist() == ["positive", None, None, None, "neutral"]
    assert sentiment.training_labels(m.drop(columns="label")).tolist() == ["negative", "negative", "positive",
                                                                           None, None]


# --- adjusted classify-and-count ---------------------------------------------------------------------------


def test_adjust_counts_recovers_known_shares_through_random_confusion_matrices():
    rng = np.random.default_rng(0)
    for _ in range(50):
        confusion = rng.dirichlet([1, 1, 1], size=3) * 0.4 + np.eye(3) * 0.6  # rows sum to 1, diagonal dominant
        truth = rng.dirichlet([1, 1, 1], size=4)
        observed = truth @ confusion
        np.testing.assert_allclose(adjust_counts(observed, confusion), truth, atol=1e-9)
        np.testing.assert_allclose(adjust_counts(observed[0], confusion), truth[0], atol=1e-9)


def test_adjust_counts_stays_on_the_simplex_for_shares_the_matrix_cannot_explain():
    confusion = np.array([[0.8, 0.1, 0.1], [0.2, 0.6, 0.2], [0.1, 0.1, 0.8]])
    out = adjust_counts(np.array([0.95, 0.04, 0.01]), confusion)  # more negative than any mix gives
    assert (out >= 0).all()
    assert out.sum() == pytest.approx(1.0)
    assert out[0] == pytest.approx(1.0)


# --- periods -------------------------------------------------------------------------------------------------


def test_period_start_days_weeks_from_monday_and_months():
    when = pd.Series(["2025-03-10 00:00", "2025-03-16 23:59", "2025-03-17 00:01", "2025-03-31 12:00"])
    fmt = lambda s: s.dt.strftime("%Y-%m-%d").tolist()  # noqa: E731
    assert fmt(period_start(when, "D")) == ["2025-03-10", "2025-03-16", "2025-03-17", "2025-03-31"]
    assert fmt(period_start(when, "W")) == ["2025-03-10", "2025-03-10", "2025-03-17", "2025-03-31"]
    assert fmt(period_start(when, "week")) == fmt(period_start(when, "W"))
    assert fmt(period_start(when, "M")) == ["2025-03-01"] * 4
    assert fmt(period_start(when, "Q")) == ["2025-01-01"] * 4
    assert period_start(when, "W").name == "period"
    assert (period_start(pd.Series(pd.date_range("2025-01-01", periods=60, freq="D")), "W").dt.dayofweek == 0).all()


def test_period_start_rejects_an_unknown_frequency():
    with pytest.raises(CxParameterError, match="freq"):
        period_start(pd.Series(["2025-03-10"]), "fortnight")


def test_period_start_drops_the_time_zone_of_a_datetime_column():
    when = pd.Series(pd.to_datetime(["2025-03-16 22:00"]).tz_localize("UTC"))
    got = period_start(when, "D")
    assert got.dt.tz is None
    assert got.tolist() == [pd.Timestamp("2025-03-16")]


def test_period_start_gives_the_same_period_for_the_same_moments_parsed_or_not():
    text = pd.Series(["2025-03-17 00:30:00+02:00", "2025-03-18 00:30:00+02:00"])
    parsed = pd.Series(pd.to_datetime(text))
    assert period_start(text, "W").tolist() == period_start(parsed, "W").tolist()
    # the local day: 00:30 on Monday 17 March (+02:00) starts the week of the 17th, not the week of the 10th (UTC)
    assert period_start(parsed, "W").tolist() == [pd.Timestamp("2025-03-17")] * 2


# --- scoring mentions --------------------------------------------------------------------------------------


def test_score_mentions_adds_language_probabilities_and_label_without_changing_input():
    m = pd.DataFrame({"text": ["Thank you, quick and friendly help!", "Ужасное обслуживание, грубый персонал"],
                      "language": ["en", None]})
    before = m.copy()
    out = sentiment.score_mentions(m, sentiment.make_scorer("lexicon"))
    pd.testing.assert_frame_equal(m, before)
    assert out["language"].tolist() == ["en", "ru"]  # the blank one detected
    np.testing.assert_allclose(out[list(LABELS)].sum(axis=1), 1.0)
    assert out["sentiment"].tolist() == ["positive", "negative"]
    assert (out["sentiment"] == out[list(LABELS)].idxmax(axis=1)).all()


def test_score_mentions_uses_a_given_sentiment_column_as_one_hot_probabilities():
    m = pd.DataFrame({"text": ["x", "y", "z"], "language": "en", "sentiment": ["Positive", "negative ", "neutral"]})
    out = sentiment.score_mentions(m, sentiment.make_scorer("lexicon"))
    assert out[list(LABELS)].values.tolist() == [[0, 0, 1], [1, 0, 0], [0, 1, 0]]


def test_score_mentions_rejects_unknown_sentiment_values_naming_the_column_and_row():
    m = pd.DataFrame({"text": ["x", "y"], "language": "en", "sentiment": ["positive", "great"]})
    with pytest.raises(CxDataError, match=r"column 'sentiment'.*row 2.*'great'"):
        sentiment.score_mentions(m)


def test_score_mentions_fits_an_unfitted_scorer_on_the_mentions_labels(corpus):
    en = corpus[corpus["language"] == "en"].drop(columns=["true_sentiment"])
    s = sentiment.make_scorer("trained", cv=0, min_labels=100)
    out = sentiment.score_mentions(en, s)
    assert s.used_ == {"en": "trained"}
    assert s.label_counts_["en"] == sentiment.training_labels(en).notna().sum()
    assert len(out) == len(en) and out["sentiment"].isin(LABELS).all()


# --- the index: hand-computed values ---------------------------------------------------------------------------

HAND = [("2025-03-10 09:00", "A", "positive"), ("2025-03-11", "A", "positive"), ("2025-03-12", "A", "negative"),
        ("2025-03-13", "A", "neutral"), ("2025-03-10", "B", "negative"), ("2025-03-14", "B", "negative"),
        ("2025-03-16 23:00", "B", "positive"), ("2025-03-24", "A", "neutral"), ("2025-03-30", "B", "positive")]


def test_index_has_the_documented_columns_in_order():
    idx = sentiment_index(_labelled(HAND))
    assert idx.columns.tolist()[:7] == ["brand", "period", "n", "net_sentiment", "ci_low", "ci_high",
                                        "share_of_voice"]
    assert {"negative", "neutral", "positive", "low_volume", "complete"} <= set(idx.columns)


def test_index_polar_net_sentiment_matches_hand_computed_values():
    idx = sentiment_index(_labelled(HAND), min_mentions=2).set_index(["brand", "period"])
    w1, w2, w3 = pd.Timestamp("2025-03-10"), pd.Timestamp("2025-03-17"), pd.Timestamp("2025-03-24")
    # A, week 1: 2 positive, 1 negative, 1 neutral -> (2 - 1) / (2 + 1)
    assert idx.loc[("A", w1), "net_sentiment"] == pytest.approx(1 / 3)
    assert idx.loc[("A", w1), "n"] == 4
    assert idx.loc[("A", w1), ["negative", "neutral", "positive"]].tolist() == pytest.approx([0.25, 0.25, 0.5])
    # B, week 1: 2 negative, 1 positive -> -1/3
    assert idx.loc[("B", w1), "net_sentiment"] == pytest.approx(-1 / 3)
    # A, week 3: neutral only -> no polar mentions, NaN (not 0)
    assert np.isnan(idx.loc[("A", w3), "net_sentiment"]) and idx.loc[("A", w3), "n"] == 1
    # B, week 3: 1 positive -> 1
    assert idx.loc[("B", w3), "net_sentiment"] == pytest.approx(1.0)
    # week 2: nobody wrote, both brands still listed with n = 0
    assert idx.loc[("A", w2), "n"] == 0 and idx.loc[("B", w2), "n"] == 0
    assert np.isnan(idx.loc[("A", w2), "net_sentiment"]) and np.isnan(idx.loc[("A", w2), "ci_low"])
    assert idx.attrs["denominator"] == "polar"


def test_index_all_denominator_counts_neutral_mentions():
    idx = sentiment_index(_labelled(HAND), denominator="all").set_index(["brand", "period"])
    w1, w3 = pd.Timestamp("2025-03-10"), pd.Timestamp("2025-03-24")
    assert idx.loc[("A", w1), "net_sentiment"] == pytest.approx((2 - 1) / 4)
    assert idx.loc[("B", w1), "net_sentiment"] == pytest.approx((1 - 2) / 3)
    assert idx.loc[("A", w3), "net_sentiment"] == pytest.approx(0.0)
    assert idx.attrs["denominator"] == "all"


def test_index_polar_interval_is_the_wilson_interval_of_the_positive_share():
    from statsmodels.stats.proportion import proportion_confint

    rows = [("2025-03-10", "A", "positive")] * 30 + [("2025-03-11", "A", "negative")] * 10 + \
        [("2025-03-12", "A", "neutral")] * 20
    r = sentiment_index(_labelled(rows)).iloc[0]
    # proportion_confint(30, 40, alpha=0.05, method="wilson") on the positive share of polar mentions
    lo, hi = proportion_confint(30, 40, alpha=0.05, method="wilson")
    assert r["net_sentiment"] == pytest.approx(0.5)
    assert (r["ci_low"], r["ci_high"]) == pytest.approx((2 * lo - 1, 2 * hi - 1))
    r90 = sentiment_index(_labelled(rows), confidence=0.90).iloc[0]
    assert r["ci_low"] < r90["ci_low"] < r90["net_sentiment"] < r90["ci_high"] < r["ci_high"]


def test_share_of_voice_sums_to_one_in_each_period_with_mentions():
    rng = np.random.default_rng(1)
    days = pd.Timestamp("2025-01-06") + pd.to_timedelta(rng.integers(0, 70, 600), unit="D")
    m = pd.DataFrame({"created_at": days, "brand": rng.choice(["A", "B", "C"], 600, p=[0.5, 0.3, 0.2]),
                      "sentiment": rng.choice(LABELS, 600), "text": ""})
    idx = sentiment_index(m)
    sums = idx.groupby("period")["share_of_voice"].sum()
    np.testing.assert_allclose(sums, 1.0)
    # a brand's share is its mentions over all mentions of the period
    counts = m.assign(period=period_start(m["created_at"])).groupby(["period", "brand"]).size()
    expected = (counts / counts.groupby(level=0).transform("sum")).rename("share_of_voice")
    got = idx.set_index(["period", "brand"])["share_of_voice"]
    np.testing.assert_allclose(got.loc[expected.index], expected)


def test_index_lists_every_brand_and_period_with_zero_rows_for_gaps():
    rows = [("2025-03-03", "A", "positive"), ("2025-03-31", "A", "negative"), ("2025-03-18", "B", "neutral")]
    idx = sentiment_index(_labelled(rows))
    assert len(idx) == 2 * 5  # 2 brands x weeks of 3, 10, 17, 24, 31 March
    assert idx.groupby("brand")["period"].apply(list).tolist() == [list(pd.date_range("2025-03-03", periods=5,
                                                                                      freq="W-MON"))] * 2
    assert idx["n"].sum() == 3
    gaps = idx[idx["n"] == 0]
    assert len(gaps) == 7 and gaps["net_sentiment"].isna().all() and gaps["low_volume"].all()
    week_24 = idx[idx["period"] == pd.Timestamp("2025-03-24")]
    assert week_24["share_of_voice"].isna().all()  # nobody wrote: no share to give


def test_low_volume_flags_cells_under_min_mentions_without_hiding_them():
    rows = [("2025-03-10", "A", "positive")] * 5 + [("2025-03-10", "B", "negative")] * 4
    idx = sentiment_index(_labelled(rows), min_mentions=5).set_index("brand")
    assert idx.loc["A", "low_volume"] == False  # noqa: E712 (5 is not under 5)
    assert idx.loc["B", "low_volume"] == True  # noqa: E712
    assert idx.loc["B", "net_sentiment"] == pytest.approx(-1.0)  # still reported
    assert idx.attrs["min_mentions"] == 5


def test_complete_is_false_for_partial_first_and_last_periods():
    # Wednesday 12 March to Wednesday 26 March: weeks of 10 and 24 March only in part
    days = pd.date_range("2025-03-12", "2025-03-26", freq="D")
    m = _labelled([(str(d.date()), "A", "positive") for d in days])
    idx = sentiment_index(m)
    assert idx["period"].dt.strftime("%m-%d").tolist() == ["03-10", "03-17", "03-24"]
    assert idx["complete"].tolist() == [False, True, False]
    # Monday 10 March to Sunday 30 March: all three weeks whole
    full = _labelled([(str(d.date()) + " 12:00", "A", "positive") for d in pd.date_range("2025-03-10", "2025-03-30")])
    assert sentiment_index(full)["complete"].tolist() == [True, True, True]
    months = sentiment_index(full, freq="M")
    assert months["complete"].tolist() == [False]


def test_reach_weighting_uses_log1p_of_reach():
    m = _labelled([("2025-03-10", "A", "positive"), ("2025-03-10", "A", "positive"), ("2025-03-10", "A", "negative")])
    m["reach"] = [1, 9, 99]
    plain = sentiment_index(m).iloc[0]
    weighted = sentiment_index(m, weight="reach").iloc[0]
    assert plain["net_sentiment"] == pytest.approx(1 / 3)
    w = np.log1p([1, 9, 99])
    expected = (w[0] + w[1] - w[2]) / w.sum()  # = log(0.2) / log(2000)
    assert weighted["net_sentiment"] == pytest.approx(expected)
    assert weighted["net_sentiment"] != pytest.approx(-1 / 3)  # what log(reach) would give
    assert weighted["n"] == 3 and weighted.name == 0
    assert weighted["positive"] == pytest.approx((w[0] + w[1]) / w.sum())
    # the effective number of mentions is smaller with unequal weights: a wider interval
    assert weighted["ci_high"] - weighted["ci_low"] > plain["ci_high"] - plain["ci_low"]
    assert sentiment_index(m, weight="reach").attrs["weight"] == "reach"


def test_reach_weighting_changes_the_index_of_the_sample_corpus(corpus):
    m = corpus.assign(sentiment=corpus["true_sentiment"])
    plain, weighted = sentiment_index(m, freq="M"), sentiment_index(m, freq="M", weight="reach")
    assert (plain["n"] == weighted["n"]).all()
    diff = (plain["net_sentiment"] - weighted["net_sentiment"]).abs()
    assert diff.max() > 0.01


def test_index_by_channel_splits_cells_and_share_of_voice_within_each_channel():
    m = _labelled([("2025-03-10", "A", "positive"), ("2025-03-10", "B", "negative"), ("2025-03-10", "A", "neutral")])
    m["channel"] = ["forum", "forum", "news"]
    idx = sentiment_index(m, by=["channel"])
    assert idx.columns.tolist()[:3] == ["brand", "period", "channel"]
    assert len(idx) == 4  # 2 brands x 2 channels
    np.testing.assert_allclose(idx.groupby("channel")["share_of_voice"].sum(), 1.0)


def test_index_intervals_cover_the_true_net_sentiment_about_95_percent_of_the_time():
    rng = np.random.default_rng(7)
    cells, size, rows = 400, 150, []
    truth = rng.dirichlet([3, 2, 3], size=cells)
    brands = np.repeat([f"b{i:02d}" for i in range(40)], 10)
    weeks = np.tile(pd.date_range("2025-01-06", periods=10, freq="W-MON"), 40)
    for k in range(cells):
        labels = rng.choice(LABELS, size=size, p=truth[k])
        rows.append(pd.DataFrame({"created_at": weeks[k] + pd.Timedelta(hours=12), "brand": brands[k],
                                  "sentiment": labels}))
    m = pd.concat(rows, ignore_index=True).assign(text="")
    true_polar = (truth[:, 2] - truth[:, 0]) / (truth[:, 2] + truth[:, 0])
    true_all = truth[:, 2] - truth[:, 0]
    for denominator, true_net in (("polar", true_polar), ("all", true_all)):
        idx = sentiment_index(m, denominator=denominator)
        assert len(idx) == cells and (idx["n"] == size).all()
        covered = ((idx["ci_low"] <= true_net) & (true_net <= idx["ci_high"])).mean()
        # 400 cells at 95 %: sd of the coverage is 1.1 points
        assert 0.91 <= covered <= 0.985, (denominator, covered)


def test_index_intervals_include_the_model_error_of_a_trained_scorer(corpus, trained):
    scored = sentiment.score_mentions(corpus.drop(columns=["label", "rating"]), trained)
    # correct=False keeps the same point estimates, so only the intervals' width differs
    with_checks = sentiment_index(scored, trained, freq="M", correct=False)
    sampling_only = sentiment_index(scored, None, freq="M", correct=False)
    np.testing.assert_allclose(with_checks["net_sentiment"], sampling_only["net_sentiment"])
    assert with_checks.attrs["model_error_included"] == ["en", "ru"]
    assert sampling_only.attrs["model_error_included"] == []
    width = lambda i: (i["ci_high"] - i["ci_low"])  # noqa: E731
    assert (width(with_checks) >= width(sampling_only) - 1e-12).all()
    assert width(with_checks).mean() > width(sampling_only).mean() + 0.02


def test_index_of_a_trained_scorer_is_closer_to_the_truth_than_counting_labels(corpus, trained):
    m = corpus.drop(columns=["label", "rating"])
    est = sentiment_index(sentiment.score_mentions(m, trained), trained, freq="M")
    truth = sentiment_index(m.assign(sentiment=corpus["true_sentiment"]), freq="M")
    err = (est["net_sentiment"] - truth["net_sentiment"]).abs()
    assert err.median() < 0.10


def test_index_rejects_bad_parameters():
    m = _labelled(HAND)
    with pytest.raises(CxParameterError, match="denominator"):
        sentiment_index(m, denominator="neutral")
    with pytest.raises(CxParameterError, match="weight"):
        sentiment_index(m, weight="followers")
    with pytest.raises(CxParameterError, match="freq"):
        sentiment_index(m, freq="hourly")


def test_index_rejects_a_confidence_outside_0_1():
    with pytest.raises(CxParameterError, match="confidence"):
        sentiment_index(_labelled(HAND), confidence=1.5)


def test_index_names_a_missing_brand_or_date_column():
    m = _labelled(HAND)
    with pytest.raises(CxDataError, match="column 'brand'"):
        sentiment_index(m.drop(columns="brand"))
    with pytest.raises(CxDataError, match="column 'created_at'"):
        sentiment_index(m.drop(columns="created_at"))


def test_index_names_a_missing_by_column():
    with pytest.raises(CxDataError, match="channel"):
        sentiment_index(_labelled(HAND), by=["channel"])


def test_index_names_a_missing_text_column_when_it_has_to_score():
    m = _labelled(HAND).drop(columns=["sentiment", "text"])
    with pytest.raises(CxDataError, match="text"):
        sentiment_index(m, sentiment.make_scorer("lexicon"))


def test_index_does_not_change_its_input():
    m = _labelled(HAND)
    m["reach"] = 10
    before = m.copy()
    sentiment_index(m, weight="reach")
    pd.testing.assert_frame_equal(m, before)


def test_index_default_scorer_is_the_same_as_an_explicit_auto_scorer(corpus):
    en = corpus[corpus["language"] == "en"].drop(columns=["true_sentiment"]).reset_index(drop=True)
    default = sentiment_index(en, freq="M")
    explicit = sentiment_index(en, sentiment.make_scorer("auto"), freq="M")
    assert default.attrs["model_error_included"] == explicit.attrs["model_error_included"]
    pd.testing.assert_frame_equal(default, explicit)


# --- selecting, mixing, describing -----------------------------------------------------------------------------


def test_select_mentions_filters_brands_inclusive_dates_and_languages():
    m = pd.DataFrame({"brand": ["A", "B", "A", "C", "A"],
                      "created_at": ["2025-01-31 23:59", "2025-02-01 00:00", "2025-02-28 23:59", "2025-02-10",
                                     "2025-03-01 00:00"],
                      "language": ["en", "RU", "ru", "en", "en"]})
    got = sentiment.select_mentions(m, ["A", "B"], start="2025-02-01", end="2025-02-28")
    assert got.index.tolist() == [1, 2]
    assert sentiment.select_mentions(m, languages=["ru"]).index.tolist() == [1, 2]
    assert sentiment.select_mentions(m).index.tolist() == [0, 1, 2, 3, 4]
    assert sentiment.select_mentions(m, ["A", "Z"]).index.tolist() == [0, 2, 4]


def test_select_mentions_names_the_brands_found_when_none_matches():
    m = pd.DataFrame({"brand": ["Velora", "Kvant"], "created_at": ["2025-01-01"] * 2})
    with pytest.raises(CxDataError, match=r"column 'brand'.*Velorra.*'Kvant'"):
        sentiment.select_mentions(m, ["Velorra"])


def test_sentiment_mix_averages_shares_per_group_largest_first():
    s = pd.DataFrame({"channel": ["news", "forum", "forum", "forum", None],
                      "negative": [0.0, 1.0, 0.5, 0.0, 0.2], "neutral": [1.0, 0.0, 0.0, 0.0, 0.6],
                      "positive": [0.0, 0.0, 0.5, 1.0, 0.2]})
    mix = sentiment.sentiment_mix(s, "channel")
    assert mix.columns.tolist() == ["channel", "n", "negative", "neutral", "positive", "net_sentiment"]
    assert mix["channel"].tolist()[0] == "forum" and mix["n"].tolist()[0] == 3
    forum = mix.iloc[0]
    assert forum[["negative", "neutral", "positive"]].tolist() == pytest.approx([0.5, 0.0, 0.5])
    assert forum["net_sentiment"] == pytest.approx(0.0)
    assert "(blank)" in mix["channel"].tolist()  # missing group kept, not dropped


def test_describe_index_reads_the_latest_complete_period():
    days = pd.date_range("2025-03-10", "2025-03-26", freq="D")  # the week of 24 March is partial
    rows = [(str(d.date()), b, s) for d in days for b, s in (("A", "positive"), ("A", "negative"), ("A", "positive"),
                                                              ("B", "negative"))]
    idx = sentiment_index(_labelled(rows), min_mentions=5)
    assert not idx["complete"].iloc[-1]
    text = sentiment.describe_index(idx, "A")
    assert text.startswith("Period of 2025-03-17:")
    assert "2025-03-24" not in text
    a = idx[(idx["brand"] == "A") & (idx["period"] == pd.Timestamp("2025-03-17"))].iloc[0]
    assert f"A has net sentiment {a['net_sentiment']:.2f}" in text and "1st of 2 brands" in text
    assert "B -1.00" in text
    assert text.endswith("Net sentiment = (positive - negative) / (positive + negative).")


def test_describe_index_names_thin_brands_and_the_all_definition():
    rows = [("2025-03-10", "A", "positive")] * 40 + [("2025-03-11", "B", "neutral"), ("2025-03-12", "B", "negative")]
    idx = sentiment_index(_labelled(rows), denominator="all")
    text = sentiment.describe_index(idx, "B")
    assert "2nd of 2 brands" in text
    assert "Few mentions (under 30) for B" in text
    assert text.endswith("Net sentiment = (positive - negative) / all mentions, neutral included.")
    empty = idx.assign(n=0)
    assert sentiment.describe_index(empty).startswith("No mentions in the selected range.")


def test_flag_mentions_marks_the_later_copy_and_spam_without_dropping_rows():
    m = pd.DataFrame({"id": ["m1", "m2", "m3", "m4"],
                      "created_at": ["2025-03-12", "2025-03-10", "2025-03-11", "2025-03-13"],
                      "text": ["Courier late again and nobody answers the phone",
                               "Courier late again and nobody answers the phone",
                               "PROMO CODE X7K2LM -70% CLICK HERE https://x.co", "Friendly staff at the desk"]})
    before = m.copy()
    f = sentiment.flag_mentions(m)
    pd.testing.assert_frame_equal(m, before)
    assert len(f) == 4 and f["id"].tolist() == m["id"].tolist()
    assert f["duplicate"].tolist() == ["exact", "", "", ""]  # the earlier post (row 2) is the original
    assert f["duplicate_of"].tolist()[0] == 1 and f["duplicate_of"].isna().tolist()[1:] == [True] * 3
    assert f["spam"].tolist() == [False, False, True, False]
    assert f["spam_likeness"].between(0, 1).all()
    assert sentiment.describe_flags(f) == ("Of 4 mentions, 1 exact and 0 near duplicate (copies and reposts) and 1 "
                                           "spam-like (promotion, template posts) are left out of the index; "
                                           "2 remain.")


def _alerts(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame([{"brand": b, "kind": k, "period": pd.Timestamp(p)} for b, k, p in rows],
                        columns=["brand", "kind", "period"])


def test_next_steps_lists_our_alerts_gaps_unlabelled_languages_and_thin_cells():
    idx = pd.DataFrame({"brand": ["A", "B", "A", "B"], "period": pd.to_datetime(["2025-03-03"] * 2 + ["2025-03-10"] * 2),
                        "n": [10, 10, 300, 200], "net_sentiment": [0.1, 0.2, 0.05, 0.40],
                        "ci_low": [-0.5, -0.4, -0.05, 0.30], "ci_high": [0.6, 0.7, 0.15, 0.50],
                        "low_volume": [True, True, False, False]})
    alerts = _alerts([("A", "sentiment drop", "2025-03-10"), ("A", "sentiment rise", "2025-03-03"),
                      ("B", "volume spike", "2025-03-10")])
    lex = sentiment.make_scorer("lexicon").fit(["good"], languages="ru")
    text = sentiment.next_steps(idx, alerts, lex, "A")
    lines = text.splitlines()
    assert all(line.startswith("- ") for line in lines)
    assert "sentiment drop in the period of 2025-03-10" in lines[0]
    assert not any("sentiment rise" in line for line in lines)  # a rise needs no action
    assert not any("volume spike" in line for line in lines)  # another brand's alert
    assert any("A is behind B in the latest period (0.05 against 0.40" in line for line in lines)
    assert any(line.startswith(f"- Label about {sentiment.MIN_LABELS} mentions in ru") for line in lines)
    assert any("50% of the cells have fewer than 30 mentions" in line for line in lines)


def test_next_steps_says_nothing_stands_out_when_nothing_does():
    idx = pd.DataFrame({"brand": ["A", "B"], "period": pd.to_datetime(["2025-03-10"] * 2), "n": [300, 200],
                        "net_sentiment": [0.30, 0.35], "ci_low": [0.2, 0.25], "ci_high": [0.4, 0.45],
                        "low_volume": False})
    assert sentiment.next_steps(idx, _alerts([]), None, "A") == \
        "- Nothing stands out: keep the weekly run and watch the alerts."


def test_the_cv_measurement_uses_a_stratified_sample_per_language_and_the_model_every_label():
    texts = ["great service thanks", "awful rude staff", "ok I guess"] * 200
    labels = ["positive", "negative", "neutral"] * 200
    s = sentiment.make_scorer("trained", cv=3, max_cv_labels=150, seed=0)
    keep = s._cv_sample(np.ones(600, bool), np.array(["en"] * 600), np.array(labels, dtype=object))
    assert keep.sum() == 150 and pd.Series(np.array(labels)[keep]).value_counts().tolist() == [50, 50, 50]
    s.fit(texts, labels, languages="en")
    assert s.label_counts_["en"] == 600 and s.quality_["macro_f1"].iloc[0] > 0.9
    with pytest.raises(CxParameterError):
        sentiment.make_scorer("trained", max_cv_labels=10)


def test_keep_mentions_leaves_out_flagged_rows_as_asked_and_describe_counts_them():
    m = sentiment.flag_mentions(sample.make_mentions(3000, seed=2))
    kept = sentiment.keep_mentions(m)
    assert len(kept) == int(((m["duplicate"] == "") & ~m["spam"]).sum()) < len(m)
    assert len(sentiment.keep_mentions(m, drop_duplicates=False, drop_spam=False)) == len(m)
    assert len(sentiment.keep_mentions(m, drop_duplicates=False)) == int((~m["spam"]).sum())
    text = sentiment.describe_mentions(m)
    assert text.startswith(f"**{len(m):,}** mentions of **4** brands from 2024-07-01 to 2025-12-3")
    assert f"{len(kept):,} remain" in text
