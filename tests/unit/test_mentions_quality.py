"""cxlib.mentions_quality: exact and near duplicates, spam-like posts (flagged, never dropped)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxlib.errors import CxDataError, CxParameterError
from cxlib.mentions_quality import SPAM_THRESHOLD, find_duplicates, spam_likeness, spam_signals

LONG = "The courier came two days late and nobody from the shop called me about it"  # 15 words


def kinds(texts, **kw) -> list[str]:
    return find_duplicates(texts, **kw)["duplicate"].tolist()


# --- find_duplicates: exact ------------------------------------------------------------------------------------

def test_find_duplicates_marks_repeats_of_the_same_text_as_exact_copies_of_the_first():
    out = find_duplicates(["Late again", "Thanks!", "Late again", "Late again"])
    assert out["duplicate"].tolist() == ["", "", "exact", "exact"]
    assert out["duplicate_of"].tolist() == [pd.NA, pd.NA, 0, 0]


@pytest.mark.parametrize("copy", [
    "Sooooo   slow &amp; rude",                     # stretched letters, spacing, an entity
    "<b>Soo slow & rude</b>",                       # markup
    "Soo slow & rude https://t.co/other",           # a different link
    "Soo slow & rude www.example.com/p/2",
])
def test_find_duplicates_ignores_markup_links_and_stretching_for_exact_copies(copy):
    assert kinds(["Soo slow & rude https://t.co/first", copy]) == ["", "exact"]


def test_find_duplicates_treats_the_same_text_with_another_handle_as_an_exact_copy():
    assert kinds(["@ana_p the app crashes at login", "@ion_88 the app crashes at login"]) == ["", "exact"]


def test_find_duplicates_first_occurrence_is_the_original_whatever_comes_later():
    out = find_duplicates(["Nobody answers the phone", "nobody answers the phone!!", "Nobody answers the phone"])
    assert out["duplicate"].tolist() == ["", "near", "exact"]
    assert out["duplicate_of"].tolist() == [pd.NA, 0, 0]


# --- find_duplicates: near -------------------------------------------------------------------------------------

@pytest.mark.parametrize("copy", [
    "nobody answers the phone",              # case and punctuation
    "Nobody answers the phone!!! 😡",         # emoji
    "Nobody Nobody answers the phone",       # a word repeated right after itself
    "Nobody answers the phone 2",            # digits
    "RT @ana_p: Nobody answers the phone.",  # a retweet
    "RT @ana_p: RT @velora: nobody answers the phone",
    "rt @ana_p nobody answers the phone",
])
def test_find_duplicates_finds_near_copies_of_a_short_text(copy):
    out = find_duplicates(["Nobody answers the phone.", copy])
    assert out["duplicate"].tolist() == ["", "near"]
    assert out["duplicate_of"].tolist() == [pd.NA, 0]


def test_find_duplicates_does_not_take_two_added_words_for_a_copy():
    assert kinds([LONG, LONG.replace("nobody", "nobody at all")]) == ["", ""]


@pytest.mark.parametrize("copy", [
    LONG.replace("late and", "late and again"),         # one word more inside
    LONG.replace("two days ", "days "),                 # one word fewer inside
    "RT @ana_p: " + LONG.replace("two days ", "days "),  # and retweeted
])
def test_find_duplicates_finds_a_long_text_with_one_word_more_or_fewer_inside(copy):
    assert kinds([LONG, copy]) == ["", "near"]


@pytest.mark.parametrize("other", [
    LONG.replace("nobody", "somebody"),        # a different word: another story
    LONG + " again",                           # a word more at the end: a sign-off
    "Hi " + LONG,                              # a greeting in front
    LONG.replace("and nobody", "and not nobody"),  # a negation changes the meaning
])
def test_find_duplicates_does_not_take_a_changed_word_an_end_or_a_negation_for_a_copy(other):
    assert kinds([LONG, other]) == ["", ""]


def test_find_duplicates_a_dropped_negation_is_not_a_copy():
    with_not = "I would not recommend this shop to anyone who needs the parcel on time"
    assert kinds([with_not, with_not.replace(" not", "")]) == ["", ""]


def test_find_duplicates_short_texts_differing_by_one_word_are_different_posts():
    # 6 and 5 words: under min_words=8, one word more is ordinary variation, not copying
    assert kinds(["The courier was late again today", "The courier was late today"]) == ["", ""]


def test_find_duplicates_min_words_sets_the_length_from_which_one_word_counts():
    texts = ["The courier was late again today", "The courier was late today"]
    assert kinds(texts, min_words=5) == ["", "near"]
    assert kinds(texts, min_words=6) == ["", ""]


def test_find_duplicates_points_a_whole_group_of_near_copies_at_its_first_row():
    texts = [LONG, "Other text entirely", LONG.replace("late and", "late and again"),
             LONG.replace("two days ", "days ")]
    out = find_duplicates(texts)
    assert out["duplicate"].tolist() == ["", "", "near", "near"]
    assert out["duplicate_of"].tolist() == [pd.NA, pd.NA, 0, 0]


def test_find_duplicates_an_earlier_copy_makes_the_later_original_the_duplicate():
    # "first" is by position: pass the mentions in time order
    out = find_duplicates(["nobody answers!!", "Nobody answers."])
    assert out["duplicate"].tolist() == ["", "near"]


# --- find_duplicates: input and output shape ------------------------------------------------------------------

def test_find_duplicates_keeps_the_index_of_a_series_and_counts_positions_from_zero():
    texts = pd.Series(["Late again", "Thanks", "late again!"], index=[101, 7, 55])
    out = find_duplicates(texts)
    assert out.index.tolist() == [101, 7, 55]
    assert out["duplicate_of"].tolist() == [pd.NA, pd.NA, 0]  # a position, not the label 101
    assert str(out["duplicate_of"].dtype) == "Int64"
    assert out.columns.tolist() == ["duplicate_of", "duplicate"]


def test_find_duplicates_works_with_a_repeated_index():
    out = find_duplicates(pd.Series(["Late again", "Late again"], index=[3, 3]))
    assert out.index.tolist() == [3, 3]
    assert out["duplicate"].tolist() == ["", "exact"]


def test_find_duplicates_never_matches_missing_or_empty_texts():
    out = find_duplicates(pd.Series(["", None, np.nan, "   ", 5, "Late again"]))
    assert out["duplicate"].tolist() == ["", "", "", "", "", ""]
    assert out["duplicate_of"].isna().all()


def test_find_duplicates_matches_texts_without_letters_only_exactly():
    assert kinds(["10/10", "10/10", "9/10", "👍", "👍👍"]) == ["", "exact", "", "", ""]


def test_find_duplicates_of_nothing_is_an_empty_frame():
    out = find_duplicates([])
    assert out.empty
    assert out.columns.tolist() == ["duplicate_of", "duplicate"]


def test_find_duplicates_does_not_change_its_input():
    texts = pd.Series(["Sooo late <b>again</b>", "Sooo late again"])
    before = texts.copy()
    find_duplicates(texts)
    pd.testing.assert_series_equal(texts, before)


@pytest.mark.parametrize("min_words", [0, -1, 2.5, "8", None, True])
def test_find_duplicates_rejects_a_min_words_that_is_not_a_positive_int(min_words):
    with pytest.raises(CxParameterError, match=r"The 'min_words' parameter of mentions_quality.find_duplicates "
                                               r"must be an int >= 1\. Got .* instead\."):
        find_duplicates(["a"], min_words=min_words)


# --- spam_signals and spam_likeness ----------------------------------------------------------------------------

COMPLAINTS = [
    "The courier was late again, waited two hours at home",
    "Очень долго ждал доставку, никто не позвонил",
    "Am sunat de trei ori și nimeni nu a răspuns",
    "Поръчката дойде счупена, искам си парите обратно",
    "I asked for a discount because the parcel was damaged, they refused",  # one price word is not a promotion
    "Flight UA1234 delayed 3 hours, no explanation. Photos: https://imgur.com/a/x1 of the queue at the gate",
    "@Velora why is my order 20% more expensive than last week?",
]
SPAM = [
    "PROMO CODE X7K2LM: -70% on everything!!! Click here https://deals.example.net/x",
    "BUY NOW and get a FREE GIFT >>> https://bit.ly/abc",
    "Скидки до -50%! Промокод QW3RTY, жми https://sale.example.ru",
    "Cod promoțional: K9LM2P, reducere 40%! Intră aici https://oferte.example.ro",
    "Make $500 a day from home, no experience needed, DM me",
    "MEGA SALE 60% off everything, order now https://x.co/a",
]


def test_spam_signals_flags_obvious_promotions_and_not_ordinary_complaints():
    out = spam_signals(SPAM + COMPLAINTS)
    assert out["spam"].tolist() == [True] * len(SPAM) + [False] * len(COMPLAINTS)
    assert (out["spam_likeness"].iloc[: len(SPAM)] >= SPAM_THRESHOLD).all()
    assert (out["spam_likeness"].iloc[len(SPAM):] < 0.35).all()


def test_spam_signals_returns_every_signal_between_0_and_1_with_the_documented_columns():
    out = spam_signals(SPAM + COMPLAINTS)
    signals = ["promo", "promo_code", "link_only", "caps", "author_repeats", "author_burst", "spam_likeness"]
    assert out.columns.tolist() == signals + ["spam"]
    assert ((out[signals] >= 0) & (out[signals] <= 1)).all().all()
    assert out["spam"].dtype == bool


@pytest.mark.parametrize("text, signal, value", [
    ("PROMO CODE X7K2LM: -70% on everything!!! Click here https://deals.example.net/x", "promo", 1.0),
    ("use the coupon at checkout", "promo", 0.5),                # one promotional phrase: half
    ("MEGA SALE 60% off everything", "promo", 0.5),              # "60 % off" after a number
    ("Code X7K2LM works", "promo_code", 1.0),
    ("Flight A320 delayed", "promo_code", 0.0),                  # too short for a code
    ("@X7K2LM thanks", "promo_code", 0.0),                       # a handle, not a code
    ("see https://x.co/a", "link_only", 1.0),
    ("THE COURIER NEVER CAME AND NOBODY ANSWERS", "caps", 1.0),
    ("ÎNCĂ O DATĂ ȘI ÎNCĂ O DATĂ NIMENI NU RĂSPUNDE", "caps", 1.0),   # Romanian capitals count
    ("OK THEN", "caps", 0.0),                                    # under 12 letters: too short to shout
    ("The courier never came and nobody answers", "caps", 0.0),
])
def test_spam_signals_scores_each_text_signal(text, signal, value):
    assert spam_signals([text])[signal].iloc[0] == pytest.approx(value)


def test_spam_signals_discounts_promotional_words_in_a_long_review():
    review = ("I bought the blender with a discount code from the newsletter, and it broke after two weeks of "
              "normal use. The shop refused to replace it, saying the promo items are not covered by the warranty "
              "and I should contact the manufacturer myself, which took another month of e-mails and calls.")
    out = spam_signals([review])
    assert out["promo"].iloc[0] == pytest.approx(30 / 52)  # two phrases (1.0) in 52 words, scaled by 30/52
    assert not out["spam"].iloc[0]


def test_spam_signals_flags_an_author_posting_the_same_words_with_links_many_times():
    m = pd.DataFrame({
        "author": ["deals_24"] * 4 + ["ana", "ion"],
        "brand": ["Velora", "Kvant", "Velora", "Meridian", "Velora", "Velora"],
        "text": ["Great prices at Velora, check it https://x.co/a", "Great prices at Kvant, check it https://x.co/b",
                 "great prices at velora!! check it https://x.co/c", "Great prices at Meridian, check it",
                 "Great prices at Velora, check it", "Courier late again, two hours"]})
    out = spam_signals(m)
    assert out["author_repeats"].tolist() == [1.0, 1.0, 1.0, 1.0, 0.0, 0.0]  # 3 other posts, brand names aside
    # repeats with a bare link are a campaign; repeats alone (a customer asking again and again) only raise the score
    assert out["spam"].tolist() == [True, True, True, False, False, False]
    assert out["spam_likeness"].iloc[3] == pytest.approx(0.45)
    assert out["spam_likeness"].iloc[4] == 0.0


def test_spam_signals_author_repeats_grows_with_the_number_of_copies():
    m = pd.DataFrame({"author": ["a", "a", "b", "c", "c", "c"], "text": ["same words here"] * 6})
    assert spam_signals(m)["author_repeats"].round(3).tolist() == [0.333, 0.333, 0.0, 0.667, 0.667, 0.667]


def test_spam_signals_brand_names_are_removed_as_whole_words_only():
    # "Ora" must not cut "ora" out of "Colorado" and make two different posts equal
    m = pd.DataFrame({"author": ["a", "a"], "brand": ["Ora", "Ora"],
                      "text": ["Shipping to Colorado is slow", "Shipping to Col do is slow"]})
    assert spam_signals(m)["author_repeats"].tolist() == [0.0, 0.0]


def test_spam_signals_flags_a_burst_of_posts_from_one_author():
    times = pd.date_range("2025-03-01 08:00", periods=12, freq="30min")
    m = pd.DataFrame({"author": ["bot_7"] * 10 + ["ana", "ana"], "created_at": times,
                      "text": [f"Post number {w} about the weather" for w in
                               "one two three four five six seven eight nine ten eleven twelve".split()]})
    out = spam_signals(m)
    assert (out["author_burst"].iloc[:10] == 1.0).all()  # 10 posts within 12 hours of each other
    assert (out["author_burst"].iloc[10:] == 0.0).all()


def test_spam_signals_three_posts_a_day_are_not_a_burst():
    m = pd.DataFrame({"author": ["ana"] * 3, "created_at": ["2025-03-01 08:00", "2025-03-01 12:00", "2025-03-01 18:00"],
                      "text": ["First complaint", "Second complaint", "Third complaint"]})
    assert spam_signals(m)["author_burst"].tolist() == [0.0, 0.0, 0.0]


def test_spam_signals_ignores_missing_authors_and_times():
    m = pd.DataFrame({"author": [None, np.nan, "", " "], "created_at": [None, "not a date", None, None],
                      "text": ["same words"] * 4})
    out = spam_signals(m)
    assert out[["author_repeats", "author_burst"]].eq(0).all().all()


def test_spam_signals_keeps_the_index_and_scores_missing_texts_as_ordinary():
    texts = pd.Series(["BUY NOW and get a FREE GIFT >>> https://bit.ly/abc", None, np.nan, 5], index=[9, 9, 4, 1])
    out = spam_signals(texts)
    assert out.index.tolist() == [9, 9, 4, 1]
    assert out["spam"].tolist() == [True, False, False, False]
    assert out["spam_likeness"].iloc[1:].eq(0).all()


def test_spam_signals_of_nothing_is_an_empty_frame():
    out = spam_signals([])
    assert out.empty
    assert "spam" in out.columns


def test_spam_signals_needs_a_text_column_and_says_how_to_map_one():
    with pytest.raises(CxDataError, match=r"column 'text' is missing.*columns=\{'their_name': 'text'\}"):
        spam_signals(pd.DataFrame({"body": ["hello"]}))


@pytest.mark.parametrize("threshold", [-0.1, 1.5, float("nan")])
def test_spam_signals_rejects_a_threshold_outside_0_1(threshold):
    with pytest.raises(CxParameterError, match=r"The 'threshold' parameter of mentions_quality.spam_signals must be "
                                               r"a number in 0-1"):
        spam_signals(["hello"], threshold=threshold)


def test_spam_signals_threshold_moves_the_flag_not_the_score():
    texts = ["use the coupon at checkout https://x.co/a"]
    low, high = spam_signals(texts, threshold=0.1), spam_signals(texts, threshold=0.9)
    assert low["spam_likeness"].iloc[0] == high["spam_likeness"].iloc[0]
    assert low["spam"].iloc[0] and not high["spam"].iloc[0]


def test_spam_likeness_is_the_score_of_spam_signals():
    m = pd.DataFrame({"author": ["x", "x", "y"], "text": SPAM[:2] + COMPLAINTS[:1]})
    out = spam_likeness(m)
    assert out.name == "spam_likeness"
    pd.testing.assert_series_equal(out, spam_signals(m)["spam_likeness"])


def test_spam_signals_does_not_change_its_input():
    m = pd.DataFrame({"author": ["a", "a"], "brand": ["Ora", "Ora"], "created_at": ["2025-03-01", "2025-03-01"],
                      "text": ["Ora deals https://x.co", None]})
    before = m.copy()
    spam_signals(m)
    pd.testing.assert_frame_equal(m, before)


def test_planted_spam_and_copies_in_the_sample_mentions_are_found():
    from cxlib.sample import make_mentions

    m = make_mentions(n=4000, seed=3, truth=True)
    spam = spam_signals(m)["spam"].to_numpy()
    planted = (m["kind"] == "spam").to_numpy()
    assert spam[planted].mean() >= 0.95          # recall
    assert planted[spam].mean() >= 0.95          # precision
    dup = find_duplicates(m["text"])["duplicate"]
    assert (dup[(m["kind"] == "exact_duplicate").to_numpy()] == "exact").all()
    assert (dup[(m["kind"] == "near_duplicate").to_numpy()] != "").mean() >= 0.8
