"""cxlib.lexicon: the no-training sentiment lexicon for en, ru, ro, bg and hy.

Known answers come from the module's constants (a negated positive term counts -0.8 times its weight, a negated
negative one -0.5 times, ``очень`` multiplies by 1.3) and from the weights written in ``data/lexicons/*.yaml``.
"""
from __future__ import annotations

import re
from importlib import resources

import numpy as np
import pandas as pd
import pytest
import yaml

from cxlib import lexicon
from cxlib.errors import CxParameterError

# Short customer-service texts whose label nobody would dispute: (positive, negative, neutral) per language.
CLEAR_TEXTS = {
    "en": (["The staff were friendly and helpful, thank you!", "Great service, the flight was on time"],
           ["Flight delayed 3 hours and no response from support", "Rude agent, worst service ever"],
           ["What time does the gate open?", "I am flying to Boston tomorrow"]),
    "ru": (["Очень вежливый персонал, спасибо!", "Быстрая доставка, всё отлично"],
           ["Ужасное обслуживание, хамство и грязь", "Ждали час, никто не отвечает"],
           ["Во сколько открывается магазин?", "Заказал вчера, доставка в пятницу"]),
    "ro": (["Livrare rapidă, mulțumesc!", "Produs excelent, recomand"],
           ["Nu recomand, calitate slabă", "Personal nepoliticos, am așteptat o oră"],
           ["Am comandat ieri", "La ce oră se deschide magazinul?"]),
    "bg": (["Страхотно обслужване 👍", "Много любезен персонал, благодаря"],
           ["Много бавно обслужване, никога повече", "Ужасно отношение, груби служители"],
           ["Кога отваря магазинът?", "Поръчах вчера онлайн"]),
    "hy": (["Աշխատակիցները շատ քաղաքավարի էին", "Արագ առաքում, շնորհակալություն"],
           ["Առաքումը ուշացավ, շատ դժգոհ եմ", "Ոչ ոք չի պատասխանում, սարսափելի սպասարկում"],
           ["Ե՞րբ է բացվում խանութը", "Պատվերը տրվել է երեկ"]),
}

# (plain, negated) pairs: "good" and "not good" in each language's own word order
NEGATION_PAIRS = {
    "en": ("The service was good", "The service was not good"),
    "ru": ("Сервис хороший, всё хорошо", "Сервис не хороший, не хорошо"),
    "ro": ("Serviciul e bun", "Serviciul nu e bun"),
    "bg": ("Обслужването е добре", "Обслужването не е добре"),
    "hy": ("Սպասարկումը լավ է", "Սպասարկումը լավ չէ"),  # Armenian: the negated auxiliary follows the adjective
}

# (term, intensified term, negative term, intensified negative term)
INTENSIFIER_SETS = {
    "en": ("good", "very good", "slow", "very slow"),
    "ru": ("вежливый", "очень вежливый", "грубый", "очень грубый"),
    "ro": ("bun", "foarte bun", "lent", "foarte lent"),
    "bg": ("добре", "много добре", "бавно", "много бавно"),
    "hy": ("լավ է", "շատ լավ է", "կոպիտ", "շատ կոպիտ"),
}

BLOCKS_WITH_WEIGHTS = ("positive", "negative")
FUNCTION_WORD_KEYS = {"negators", "auxiliary_negators", "negation_prefixes", "intensifiers", "diminishers",
                      "contrast", "prohibitive", "fold"}


def _yaml(code: str) -> dict:
    text = resources.files("cxlib").joinpath("data", "lexicons", f"{code}.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _header(code: str) -> str:
    return resources.files("cxlib").joinpath("data", "lexicons", f"{code}.yaml").read_text(encoding="utf-8")


# --- labels of clear texts ------------------------------------------------------------------------------------

@pytest.mark.parametrize("language", lexicon.LANGUAGES)
def test_clear_positive_negative_and_neutral_texts_get_their_label(language):
    positive, negative, neutral = CLEAR_TEXTS[language]
    got = lexicon.predict(positive + negative + neutral, language).tolist()
    assert got == ["positive"] * len(positive) + ["negative"] * len(negative) + ["neutral"] * len(neutral)


@pytest.mark.parametrize("language", lexicon.LANGUAGES)
def test_neutral_questions_and_statements_carry_no_evidence_outside_english(language):
    ev = lexicon.polarity(CLEAR_TEXTS[language][2], language)
    # VADER's English lexicon may give a word some weight; the project's own lexicons find nothing here
    if language != "en":
        assert (ev[["positive", "negative"]] == 0).all().all()
    assert (lexicon.predict(CLEAR_TEXTS[language][2], language) == "neutral").all()


def test_a_text_in_a_list_of_languages_uses_its_own_language():
    texts = [CLEAR_TEXTS[c][0][0] for c in lexicon.LANGUAGES]
    assert lexicon.predict(texts, list(lexicon.LANGUAGES)).tolist() == ["positive"] * 5


# --- negation -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("language", lexicon.LANGUAGES)
def test_negation_turns_good_into_negative(language):
    plain, negated = NEGATION_PAIRS[language]
    ev = lexicon.polarity([plain, negated], language)
    assert ev.loc[0, "positive"] > ev.loc[0, "negative"]
    assert ev.loc[1, "negative"] > ev.loc[1, "positive"]
    assert lexicon.predict([plain, negated], language).tolist() == ["positive", "negative"]


@pytest.mark.parametrize(("text", "language", "weight"), [
    ("не вежливый", "ru", 2.0),     # вежлив* = 2 in ru.yaml
    ("nu e bun", "ro", 2.0),        # bun = 2 in ro.yaml
    ("լավ չէ", "hy", 2.5),          # լավ = 2.5 in hy.yaml
])
def test_a_negated_positive_term_counts_minus_0_8_times_its_weight(text, language, weight):
    ev = lexicon.polarity([text], language)
    assert ev.loc[0, "negative"] == pytest.approx(weight * -lexicon.NEGATED_POSITIVE)
    assert ev.loc[0, "positive"] == 0


def test_not_bad_is_weakly_positive():
    ev = lexicon.polarity(["не плохо", "плохо"], "ru")  # плох* = 2.5
    assert ev.loc[0, "positive"] == pytest.approx(2.5 * -lexicon.NEGATED_NEGATIVE)
    assert ev.loc[0, "negative"] == 0 and ev.loc[1, "negative"] == pytest.approx(2.5)


def test_a_negation_prefix_flips_a_listed_word_that_is_not_listed_with_the_prefix():
    # не + хорош* (2), ne + amabil* (2), չ + օգնեցին (2): none of the prefixed words is in the YAML
    ev = lexicon.polarity(["Персонал нехороший", "Personal neamabil", "Չօգնեցին"], ["ru", "ro", "hy"])
    np.testing.assert_allclose(ev["negative"], 2.0 * -lexicon.NEGATED_POSITIVE)
    assert (ev["positive"] == 0).all()


def test_negation_stops_at_the_end_of_the_clause():
    ev = lexicon.polarity(["Не знаю. Персонал вежливый"], "ru")
    assert ev.loc[0, "positive"] == pytest.approx(2.0) and ev.loc[0, "negative"] == 0


@pytest.mark.parametrize("text", ["Ոչ ոք չի պատասխանում", "Երբեք չի աշխատում", "Ոչինչ չի աշխատում"])
def test_armenian_negative_concord_does_not_negate_twice(text):
    # "nobody answers", "it never works", "nothing works": the verb carries the negation once
    ev = lexicon.polarity([text], "hy")
    assert ev.loc[0, "negative"] > 0 and ev.loc[0, "positive"] == 0


def test_a_phrase_that_begins_with_a_negated_auxiliary_is_not_negated_again():
    # "not only does it not work, ...": ոչ must not flip the negative phrase "չի աշխատում"
    ev = lexicon.polarity(["Ոչ միայն չի աշխատում"], "hy")
    assert ev.loc[0, "negative"] == pytest.approx(2.5) and ev.loc[0, "positive"] == 0


def test_armenian_negated_auxiliary_reaches_back_over_an_intensifier():
    # "there was no queue at all": հերթ (queue, -1) is negated by չկար across ընդհանրապես (at all)
    ev = lexicon.polarity(["Հերթ ընդհանրապես չկար", "Հերթ կար"], "hy")
    assert ev.loc[0, "negative"] == 0 and ev.loc[0, "positive"] == pytest.approx(-lexicon.NEGATED_NEGATIVE)
    assert ev.loc[1, "negative"] == pytest.approx(1.0)


def test_armenian_nothing_to_complain_about_is_positive():
    assert lexicon.predict(["Բողոքելու բան չկա", "Գոհ չեմ"], "hy").tolist() == ["positive", "negative"]


# --- intensity and contrast -----------------------------------------------------------------------------------

@pytest.mark.parametrize("language", lexicon.LANGUAGES)
def test_an_intensifier_increases_the_magnitude_on_both_sides(language):
    good, very_good, bad, very_bad = INTENSIFIER_SETS[language]
    ev = lexicon.polarity([good, very_good, bad, very_bad], language)
    assert ev.loc[1, "positive"] > ev.loc[0, "positive"] > 0
    assert ev.loc[3, "negative"] > ev.loc[2, "negative"] > 0


def test_ochen_multiplies_the_next_term_by_1_3():
    ev = lexicon.polarity(["вежливый", "очень вежливый"], "ru")
    assert ev.loc[1, "positive"] == pytest.approx(1.3 * ev.loc[0, "positive"])


def test_a_diminisher_decreases_the_magnitude():
    ev = lexicon.polarity(["дорого", "немного дорого"], "ru")
    assert 0 < ev.loc[1, "negative"] < ev.loc[0, "negative"]


def test_exclamation_marks_add_to_the_dominant_side():
    ev = lexicon.polarity(["Отлично", "Отлично!!"], "ru")
    assert ev.loc[1, "positive"] == pytest.approx(ev.loc[0, "positive"] + 2 * lexicon.EXCLAMATION_WEIGHT)


@pytest.mark.parametrize(("text", "language"), [
    ("Еда вкусная, но обслуживание ужасное", "ru"),
    ("Produsul arată bine, dar nu funcționează", "ro"),
    ("Храната е вкусна, но персоналът е груб", "bg"),
])
def test_what_follows_but_outweighs_what_precedes_it(text, language):
    assert lexicon.predict([text], language).tolist() == ["negative"]


def test_emoticons_and_emoji_are_terms_of_their_own():
    ev = lexicon.polarity(["Спасибо)))", "Доставка 😡", "Livrare :("], ["ru", "ru", "ro"])
    assert ev.loc[0, "positive"] > 2.0  # спасибо (2) plus the smile
    assert ev.loc[1, "negative"] > 0 and ev.loc[2, "negative"] > 0


# --- false friends (DOMAIN.md section 5) ----------------------------------------------------------------------

@pytest.mark.parametrize(("text", "language"), [
    ("Am văzut reclama la televizor", "ro"),      # reclamă = advert
    ("Reclamele lor sunt peste tot", "ro"),
    ("Sunt la serviciu până la cinci", "ro"),      # la serviciu = at work
    ("Время ожидания 10 минут", "ru"),             # ожидание = waiting or expectation
    ("Ожидания клиентов растут", "ru"),
    ("Увидел рекламу в метро", "ru"),
    ("Видях рекламата по телевизията", "bg"),
    ("Сервизът е в центъра", "bg"),                # сервиз = repair shop
    ("Սպասարկումը", "hy"),                        # service, not սպասել (to wait)
    ("Հավանաբար վաղը", "hy"),                      # probably, not հավանել (to like)
    ("Please help", "en"),
])
def test_false_friends_carry_no_sentiment(text, language):
    ev = lexicon.polarity([text], language)
    assert ev.loc[0, "positive"] == 0 and ev.loc[0, "negative"] == 0
    assert lexicon.predict([text], language).tolist() == ["neutral"]


@pytest.mark.parametrize(("text", "language"), [
    ("Am făcut o reclamație", "ro"),                # reclamație = complaint
    ("Написал претензию", "ru"),                    # претензия = formal complaint
    ("Подадох рекламация", "bg"),                   # рекламация = warranty claim
    ("Ожидал большего", "ru"),                      # expected more
    ("Սպասեցինք երկար հերթում", "hy"),              # we waited in a long queue
])
def test_the_true_complaint_next_to_a_false_friend_is_negative(text, language):
    assert lexicon.predict([text], language).tolist() == ["negative"]


# --- probabilities, shapes and bad inputs ---------------------------------------------------------------------

def test_predict_proba_has_the_three_classes_and_rows_sum_to_one():
    texts = [t for c in lexicon.LANGUAGES for group in CLEAR_TEXTS[c] for t in group]
    langs = [c for c in lexicon.LANGUAGES for group in CLEAR_TEXTS[c] for _ in group]
    p = lexicon.predict_proba(texts, langs)
    assert p.columns.tolist() == ["negative", "neutral", "positive"]
    np.testing.assert_allclose(p.sum(axis=1), 1.0, atol=1e-12)
    assert ((p > 0) & (p < 1)).all().all()


def test_to_proba_of_no_evidence_is_mostly_neutral():
    # neutral share = (1.0 + 0.1) / (1.0 + 3 * 0.1), by NEUTRAL_EVIDENCE and SMOOTHING
    p = lexicon.to_proba(pd.DataFrame({"positive": [0.0], "negative": [0.0]}))
    assert p.loc[0, "neutral"] == pytest.approx(1.1 / 1.3)
    assert p.loc[0, "negative"] == pytest.approx(p.loc[0, "positive"])


def test_balanced_evidence_reads_as_negative_and_weak_evidence_as_neutral():
    ev = pd.DataFrame({"positive": [2.0, 0.5], "negative": [2.0, 0.0]})
    p = lexicon.to_proba(ev)
    order = ["neutral", "negative", "positive"]  # predict's tie order
    assert [order[i] for i in p[order].to_numpy().argmax(axis=1)] == ["negative", "neutral"]


def test_series_index_is_kept():
    texts = pd.Series(["Отлично", "Ужасно", "Привет"], index=["a", "b", "c"])
    assert lexicon.polarity(texts, "ru").index.tolist() == ["a", "b", "c"]
    assert lexicon.predict_proba(texts, "ru").index.tolist() == ["a", "b", "c"]
    assert lexicon.predict(texts, "ru").tolist() == ["positive", "negative", "neutral"]


def test_inputs_are_not_changed():
    texts = pd.Series(["Отлично", None, "Ужасно"], index=[10, 11, 12])
    langs = pd.Series(["RU", "ru", "ru-RU"], index=[10, 11, 12])
    before_texts, before_langs = texts.copy(), langs.copy()
    lexicon.predict_proba(texts, langs)
    pd.testing.assert_series_equal(texts, before_texts)
    pd.testing.assert_series_equal(langs, before_langs)


def test_empty_input_gives_empty_results_with_the_columns():
    ev = lexicon.polarity([], "en")
    assert len(ev) == 0 and ev.columns.tolist() == ["positive", "negative", "hits"]
    p = lexicon.predict_proba(pd.Series([], dtype=object), "en")
    assert len(p) == 0 and p.columns.tolist() == ["negative", "neutral", "positive"]
    assert lexicon.predict([], []).shape == (0,)


def test_missing_and_non_text_values_have_no_evidence_and_read_neutral():
    texts = [None, np.nan, "", 42, "   "]
    ev = lexicon.polarity(texts, "ru")
    assert (ev[["positive", "negative", "hits"]] == 0).all().all()
    assert lexicon.predict(texts, "ru").tolist() == ["neutral"] * 5


def test_language_codes_ignore_case_and_region():
    texts = ["Очень вежливый персонал"] * 3
    ev = lexicon.polarity(texts, ["ru", "RU", "ru-RU"])
    assert ev["positive"].nunique() == 1 and ev.loc[0, "positive"] > 0


def test_an_unknown_language_code_picks_the_lexicon_by_script():
    # polarity raises nothing for "de", "und" or None: Armenian letters -> hy, Cyrillic -> ru and bg, Latin -> en+ro
    hy = "Աշխատակիցները շատ քաղաքավարի էին"
    ev = lexicon.polarity([hy, hy, "Ужасное обслуживание", "Terrible service"], ["und", "hy", None, "de"])
    assert ev.loc[0, "positive"] == ev.loc[1, "positive"] > 0
    assert ev.loc[2, "negative"] > 0 and ev.loc[3, "negative"] > 0


def test_an_unknown_language_in_lexicon_size_is_a_parameter_error():
    with pytest.raises(CxParameterError) as info:
        lexicon.lexicon_size("de")
    msg = str(info.value)
    assert "'language' parameter of lexicon.lexicon_size" in msg and "'hy'" in msg and "Got 'de'" in msg


def test_one_language_code_per_text_or_a_parameter_error():
    with pytest.raises(CxParameterError) as info:
        lexicon.polarity(["a", "b", "c"], ["en", "ru"])
    msg = str(info.value)
    assert "'languages' parameter of lexicon.polarity" in msg and "3 texts" in msg and "2 codes" in msg


# --- the YAML lexicons ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("language", lexicon.LANGUAGES)
def test_each_lexicon_file_loads_with_the_known_sections(language):
    spec = _yaml(language)
    assert spec["language"] == language
    assert spec["positive"] and spec["negative"]
    allowed = {"language", "positive", "negative", "neutral"} | (FUNCTION_WORD_KEYS if language != "en" else set())
    assert set(spec) <= allowed, set(spec) - allowed
    if language != "en":
        assert spec["negators"] and spec["intensifiers"] and spec["contrast"]


@pytest.mark.parametrize("language", lexicon.LANGUAGES)
def test_every_lexicon_entry_is_well_formed(language):
    spec = _yaml(language)
    seen: dict[str, str] = {}
    entries = [(block, float(w), e) for block in BLOCKS_WITH_WEIGHTS for w, es in spec[block].items() for e in es]
    entries += [("neutral", 0.0, e) for e in spec.get("neutral") or ()]
    for block, weight, entry in entries:
        where = f"{language}.yaml {block} {entry!r}"
        assert isinstance(entry, str), f"{where}: not a string (quote YAML words such as false, no, on)"
        assert entry == entry.strip() and entry and "  " not in entry, where
        assert entry == entry.lower(), f"{where}: entries are lower case"
        for word in entry.split():
            assert word.count("*") <= 1 and (not word.count("*") or word.endswith("*")), f"{where}: '*' ends a stem"
            assert len(word.rstrip("*")) >= 1, where
        if block != "neutral":
            assert 0 < weight <= 4, f"{where}: weight {weight} outside VADER's 0-4"
        key = entry.lower()
        assert key not in seen, f"{where}: listed twice (also in {seen.get(key)})"
        seen[key] = block
    for key in ("intensifiers", "diminishers"):
        for word, mult in (spec.get(key) or {}).items():
            assert isinstance(word, str) and isinstance(mult, (int, float)), f"{language}.yaml {key} {word!r}"
            assert (mult >= 0.9) if key == "intensifiers" else (0 < mult < 1), f"{language}.yaml {key} {word}={mult}"
    for word, strength in (spec.get("contrast") or {}).items():
        assert 0 < strength <= 1, f"{language}.yaml contrast {word}={strength}"
    for key in ("negators", "auxiliary_negators", "negation_prefixes"):
        assert all(isinstance(w, str) and w == w.strip().lower() and w for w in spec.get(key) or ()), key


@pytest.mark.parametrize("language", [c for c in lexicon.LANGUAGES if c != "en"])
def test_every_entry_is_made_of_words_the_tokenizer_produces(language):
    # an entry with a digit, an apostrophe or a stray character could never match a text
    spec = _yaml(language)
    words = [e for block in BLOCKS_WITH_WEIGHTS for es in spec[block].values() for e in es]
    words += list(spec.get("neutral") or ())
    token = re.compile(r"[^\W\d_]+\*?")
    for entry in words:
        parts = re.split(r"[\s\-]+", entry)
        bad = [p for p in parts if not token.fullmatch(p)]
        assert not bad, f"{language}.yaml: {entry!r} has parts {bad} that no text token can match"


@pytest.mark.parametrize("language", lexicon.LANGUAGES)
def test_the_size_stated_in_each_lexicon_header_is_its_size(language):
    stated = re.search(r"# Size: (\d+) entries", _header(language))
    assert stated, f"{language}.yaml states no size"
    assert int(stated.group(1)) == lexicon.lexicon_size(language)


def test_no_word_is_both_a_negator_and_a_sentiment_term():
    for language in ("ru", "ro", "bg", "hy"):
        spec = _yaml(language)
        single = {e.rstrip("*") for block in BLOCKS_WITH_WEIGHTS for es in spec[block].values() for e in es
                  if " " not in e}
        assert not set(spec["negators"]) & single, language


def test_armenian_lexicon_covers_customer_service_basics():
    # the words an Armenian customer-service lexicon cannot lack: good/bad, polite/rude, fast/slow, satisfied,
    # complaint, problem, expensive, thanks, recommend
    words = ["լավ", "վատ", "քաղաքավարի", "կոպիտ", "արագ", "դանդաղ", "գոհ", "դժգոհ", "բողոք", "խնդիր", "թանկ",
             "շնորհակալություն", "խորհուրդ եմ տալիս", "ուշացում"]
    ev = lexicon.polarity(words, "hy")
    signs = np.sign(ev["positive"] - ev["negative"]).tolist()
    assert signs == [1, -1, 1, -1, 1, -1, 1, -1, -1, -1, -1, 1, 1, -1]
    assert lexicon.lexicon_size("hy") > 500


def test_lexicon_sizes_are_substantial():
    assert lexicon.lexicon_size("en") > 200  # on top of VADER's 7,500
    assert all(lexicon.lexicon_size(c) > 500 for c in ("ru", "ro", "bg", "hy"))


VADER_EXAMPLES = [  # VADER's own demonstration sentences and the rules' edge cases
    "VADER is smart, handsome, and funny.", "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!",
    "VADER is not smart, handsome, nor funny.", "At least it isn't a horrible book.",
    "The book was only kind of good.", "The plot was good, but the characters are uncompelling and the dialog is not "
    "great.", "Today SUX!", "Today only kinda sux! But I'll get by, lol", "Make sure you :) or :D today!",
    "Catch utf-8 emoji such as 💘 and 💋 and 😁", "Not bad at all", "Sentiment analysis has never been good.",
    "Sentiment analysis has never been this good!", "With VADER, sentiment analysis is the shit!",
    "On the other hand, VADER is quite bad ass", "Without a doubt, excellent idea.",
    "Roger Dodger is at least compelling as a variation on the theme.",
    "Roger Dodger is one of the least compelling variations on this theme.", "no no good", "not so very good",
    "no or nor good", "good, but bad but good", "", "   ", "!!!", "???", "😁😁😁", "a😁b", "THE BEST", "the best",
    "kind of good", "never so good", "without doubt good", "it isn't very good at all",
]


def test_vader_rules_give_vaders_own_numbers():
    """cxlib's quicker port of VADER's ``polarity_scores`` against VADER's own code, on the same analyzer (the
    customer-service supplement included): every text gives the same positive, negative and hits."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from cxlib import sample

    analyzer = lexicon._vader()[0]
    texts = sample.make_mentions(n=3000, seed=5)["text"].astype(str).tolist() + VADER_EXAMPLES
    nonzero = 0
    for t in texts:
        ours = analyzer.polarity_scores(t)
        assert ours == SentimentIntensityAnalyzer.polarity_scores(analyzer, t), t
        nonzero += ours != (0.0, 0.0, 0)
    assert nonzero > 500   # most texts carry evidence: the comparison is not between zeros


def test_english_phrases_are_joined_exactly_as_the_alternation_regex_joins_them():
    from cxlib import sample

    _, pattern, by_first = lexicon._vader()
    texts = sample.make_mentions(n=3000, seed=5)["text"].astype(str).tolist()
    texts += ["Thank-you so much!!", "THANK YOU VERY MUCH", "thank  you", "thank\tyou, thank you", "cant complain",
              "I can't   get through", "5 stars", "five-stars", "above and beyond and beyond", "thank you.so much",
              "thank_you", "no thank you", "", "you"]
    joined = 0
    for t in texts:
        expected = pattern.sub(lambda m: lexicon._JOIN.sub("_", m.group(0).lower()), t)
        assert lexicon._join_phrases(t, by_first) == expected, t
        joined += expected != t
    assert joined > 100   # the phrases do occur: the comparison is not between untouched texts
