"""cxlib.text: normalisation, language detection for the project's five languages, PII redaction, HTML-safe quoting.

Short texts as they appear in reviews, each written in its native script.
"""
from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest

from cxlib import text as text_module
from cxlib.errors import CxError, CxParameterError
from cxlib.text import detect_language, normalize, quote_html, redact_pii

# --- normalize -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    ("Fast &amp; friendly &lt;3", "Fast & friendly <3"),        # entities unescaped; "<3" is not a tag
    ("<p>Great <b>service</b></p>", "Great service"),          # tags stripped, the space they leave collapsed
    ("a < b and c > d", "a < b and c > d"),                     # comparison signs are not tags
    ("Track it: https://t.co/AbC?x=1 now", "Track it: now"),
    ("see www.shop.md/p/1 please", "see please"),
    ("@Velora @ana_pop hello", "@user @user hello"),
    ("mail ana.pop@mail.md today", "mail ana.pop@mail.md today"),  # an e-mail address is not a handle
    ("Sooooo goooood", "Soo good"),
    ("Оченьььь долгоооо", "Оченьь долгоо"),                      # any script
    ("soo good", "soo good"),                                   # two letters stay
    ("Wow!!!! 1000 lei???", "Wow!!!! 1000 lei???"),             # punctuation and digits are not stretched
    ("  Late\n\tagain  ", "Late again"),
    ("LATE again 😡👎", "LATE again 😡👎"),                       # case and emoji kept
])
def test_normalize_cleans_markup_links_handles_stretching_and_spacing(raw, expected):
    assert normalize([raw]).tolist() == [expected]


def test_normalize_keeps_the_index_and_turns_none_nan_and_numbers_into_empty_texts():
    out = normalize(pd.Series(["  ok ", None, np.nan, 5], index=["a", "b", "c", "d"]))
    assert out.to_dict() == {"a": "ok", "b": "", "c": "", "d": ""}
    assert out.name == "text"


def test_normalize_accepts_a_generator_and_numbers_rows_from_zero():
    out = normalize(t for t in ["a", "b"])
    assert out.index.tolist() == [0, 1]


def test_normalize_of_nothing_is_an_empty_series():
    assert normalize([]).empty


def test_normalize_does_not_change_its_input():
    texts = pd.Series(["Sooo <b>good</b> @user1"])
    normalize(texts)
    assert texts.tolist() == ["Sooo <b>good</b> @user1"]


# --- detect_language -------------------------------------------------------------------------------------------

SHORT_TEXTS = [
    ("Very slow delivery", "en"),
    ("Fast delivery, great shop", "en"),
    ("Not bad at all", "en"),
    ("Очень долго ждал", "ru"),
    ("Быстрая доставка", "ru"),
    ("Не рекомендую", "ru"),
    ("Всё было хорошо", "ru"),
    ("Это хорошо", "ru"),
    ("Много е бавно и скъпо", "bg"),
    ("Бърза доставка", "bg"),
    ("Това е добре", "bg"),
    ("Персоналът е любезен", "bg"),
    ("Livrare foarte rapidă", "ro"),
    ("Prețul e mare", "ro"),
    ("Mulțumesc, totul e bine", "ro"),
    ("Nu recomand", "ro"),
    ("Շատ արագ սպասարկում", "hy"),
    ("Վատ որակ", "hy"),
    ("Շնորհակալություն, ամեն ինչ լավ է", "hy"),
]


@pytest.mark.parametrize("text, language", SHORT_TEXTS, ids=[t for t, _ in SHORT_TEXTS])
def test_detect_language_recognises_short_reviews_in_the_five_languages(text, language):
    assert detect_language([text]).tolist() == [language]


@pytest.mark.parametrize("text", ["", "   ", "12345", "123 456", "😀👍", "!!! ???", "http://example.com/a?b=1",
                                  "@user 😀", "www.shop.md", "5/5"])
def test_detect_language_is_und_without_letters(text):
    assert detect_language([text]).tolist() == ["und"]


def test_detect_language_ignores_urls_and_handles():
    assert detect_language(["@best_shop_official Очень долго https://example.com/track?id=abc"]).tolist() == ["ru"]


def test_detect_language_returns_a_series_aligned_to_the_input_index():
    texts = pd.Series(["Very good", "Очень хорошо", None, np.nan, 5], index=[7, 3, 9, 11, 1])
    out = detect_language(texts)
    assert isinstance(out, pd.Series)
    assert out.index.tolist() == [7, 3, 9, 11, 1]
    assert out.tolist() == ["en", "ru", "und", "und", "und"]  # None, NaN and non-texts are "und"
    assert out.name == "language"


def test_detect_language_accepts_any_iterable_and_numbers_from_zero():
    out = detect_language(t for t in ["Very good", "Վատ որակ"])
    assert out.index.tolist() == [0, 1]
    assert out.tolist() == ["en", "hy"]


def test_detect_language_of_nothing_is_an_empty_series():
    assert detect_language([]).empty
    assert detect_language(pd.Series([], dtype=object)).empty


def test_detect_language_does_not_change_its_input():
    texts = pd.Series(["Very good", None])
    before = texts.copy()
    detect_language(texts)
    pd.testing.assert_series_equal(texts, before)


@pytest.mark.parametrize("text", ["Спасибо за заказ", "Курьер опоздал на два часа", "Цена и качество на уровне"])
def test_detect_language_keeps_russian_with_common_prepositions_russian(text):
    assert detect_language([text]).tolist() == ["ru"]


@pytest.mark.parametrize("text", ["Много съм доволен", "Не препоръчвам"])
def test_detect_language_recognises_bulgarian_with_bulgarian_only_words(text):
    assert detect_language([text]).tolist() == ["bg"]


def test_detect_language_recognises_romanian_that_needs_no_diacritics():
    assert detect_language(["Totul a fost bine"]).tolist() == ["ro"]


@pytest.mark.parametrize("method", ["auto", "rules"])
@pytest.mark.parametrize("text", ["Awful service", "Wonderful helpful staff", "Beautiful colorful box", "Dreadful"])
def test_detect_language_does_not_take_english_ful_and_color_for_romanian_endings(text, method):
    # -ful and -olor once counted as the Romanian -ul and -lor
    assert detect_language([text], method=method).tolist() == ["en"]


@pytest.mark.parametrize("text", ["Produsul este bun", "Nivelul e slab", "Biroul era închis", "Produselor noi"])
def test_detect_language_still_counts_the_romanian_article_and_plural_endings(text):
    assert detect_language([text], method="rules").tolist() == ["ro"]


@pytest.mark.parametrize("method", ["auto", "rules"])
@pytest.mark.parametrize("text", ["Для него", "У нее нет", "Сами приехали к нам"])
def test_detect_language_does_not_count_words_russian_shares_with_bulgarian_as_bulgarian(text, method):
    # "него", "нее" and "сами" were subtracted from the Russian points although nothing had counted them
    assert detect_language([text], method=method).tolist() == ["ru"]


# Short texts with no letter or word only one language of the script writes: the rules fall back on their tie
# rule (Russian for short Cyrillic, English for Latin); "auto" asks lingua. Each pair: (text, rules, auto).
AMBIGUOUS_SHORT = [
    ("Чисто и приятно мирише", "ru", "bg"),
    ("Добра цена", "ru", "bg"),
    ("Вкусна храна", "ru", "bg"),
    ("Страхотно обслужване", "ru", "bg"),
    ("Чисто и приятно пахнет", "ru", "ru"),
    ("Calitate slaba", "en", "ro"),
    ("Produs excelent", "en", "ro"),
    ("Livrare rapida", "en", "ro"),
    ("Mancare buna", "en", "ro"),
    ("Good product", "en", "en"),
    ("Fast shipping", "en", "en"),
]


@pytest.mark.parametrize("text, by_rules, by_auto", AMBIGUOUS_SHORT, ids=[t for t, _, _ in AMBIGUOUS_SHORT])
def test_detect_language_auto_resolves_short_texts_the_rules_cannot(text, by_rules, by_auto):
    assert detect_language([text], method="rules").tolist() == [by_rules]
    assert detect_language([text], method="auto").tolist() == [by_auto]


def test_detect_language_auto_keeps_the_rules_answer_where_the_evidence_is_clear():
    # each text has a letter only one language writes, or several function words: "auto" sends none to lingua
    texts = ["Вы очень быстро ответили", "Това е най-добрият магазин", "Mulțumesc pentru ajutor",
             "Thank you for the help", "Շատ արագ սպասարկում", "12345", ""]
    expected = ["ru", "bg", "ro", "en", "hy", "und", "und"]
    assert detect_language(texts, method="rules").tolist() == expected
    assert detect_language(texts, method="auto").tolist() == expected


def test_detect_language_auto_puts_the_model_answers_back_in_their_rows():
    # undecided texts (to lingua) between decided ones, under a shuffled index
    texts = pd.Series(["Шатъл", "Добра цена", "Очень долго ждал", None, "Calitate slaba", "Very slow delivery",
                       "Вкусна храна"], index=[40, 10, 30, 20, 60, 50, 0])
    out = detect_language(texts)
    assert out.index.tolist() == [40, 10, 30, 20, 60, 50, 0]
    assert out.tolist() == ["bg", "bg", "ru", "und", "ro", "en", "bg"]


@pytest.mark.parametrize("method", ["lingua", "AUTO", "", None, 1])
def test_detect_language_rejects_an_unknown_method_naming_the_allowed_ones(method):
    with pytest.raises(CxParameterError, match=r"The 'method' parameter of text.detect_language must be one of "
                                               r'"auto", "rules"\. Got .* instead\.'):
        detect_language(["Very good"], method=method)


def test_detect_language_rejects_method_as_a_positional_argument():
    with pytest.raises(TypeError):
        detect_language(["Very good"], "rules")


@pytest.fixture
def without_lingua(monkeypatch):
    text_module._lingua_detector.cache_clear()
    monkeypatch.setitem(sys.modules, "lingua", None)  # "import lingua" now fails as if it were not installed
    yield
    text_module._lingua_detector.cache_clear()


def test_detect_language_auto_says_how_to_install_lingua_when_it_is_missing(without_lingua):
    with pytest.raises(CxError, match=r"lingua-language-detector.*method='rules'") as raised:
        detect_language(["Добра цена"])  # undecided by the rules: needs the model
    assert raised.value.reason == "missing_dependency"


def test_detect_language_rules_and_decided_texts_need_no_lingua(without_lingua):
    assert detect_language(["Добра цена"], method="rules").tolist() == ["ru"]
    assert detect_language(["Очень долго ждал"]).tolist() == ["ru"]  # decided by the rules: no model loaded


# --- redact_pii ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("write to ana.pop@mail.md please", "write to [email] please"),
    ("Ion.Popescu+cx@Example.co.uk", "[email]"),
    ("call +373 22 123 456 now", "call [phone] now"),
    ("call +7 495 123-45-67 now", "call [phone] now"),
    ("call (555) 123-4567 now", "call [phone] now"),
    ("call 555-123-4567", "call [phone]"),
    ("tel: +1 (555) 123-4567.", "tel: [phone]."),
    ("mobil 069 123 456", "mobil [phone]"),
    ("+37369123456", "[phone]"),
    ("card 4111 1111 1111 1111", "card [card]"),
    ("card 4111-1111-1111-1111", "card [card]"),
    ("card 4111111111111111", "card [card]"),
    ("card 1234 5678 9012 3456", "card [card]"),  # 16 digits are a card even when Luhn fails
])
def test_redact_pii_replaces_emails_phones_and_card_numbers(text, expected):
    assert redact_pii([text]).tolist() == [expected]


@pytest.mark.parametrize("text", [
    "order 12345", "order #1234567", "price 1 299,99 MDL", "costs $1,299.99", "price 12 500 lei", "in 2024 and 2025",
    "on 10/03/2025", "at 14:05", "rated 5/5", "3 x 250 g = 750 g", "IBAN MD24AG000225100013104168",
])
def test_redact_pii_keeps_prices_order_numbers_years_and_times(text):
    assert redact_pii([text]).tolist() == [text]


@pytest.mark.parametrize("text", ["delivered on 2025-03-10", "delivered on 10.03.2025", "at 2025-03-10 14:05:33",
                                  "customer from 2019-2024"])
def test_redact_pii_keeps_dates(text):
    assert redact_pii([text]).tolist() == [text]


def test_redact_pii_keeps_the_space_after_a_card_number():
    assert redact_pii(["card 5500 0000 0000 0004 exp 12/27"]).tolist() == ["card [card] exp 12/27"]


def test_redact_pii_replaces_several_items_in_one_text():
    out = redact_pii(["mail a@b.co or b@c.md, call +373 22 123 456, card 4111 1111 1111 1111"])
    assert out.tolist() == ["mail [email] or [email], call [phone], card [card]"]


def test_redact_pii_keeps_the_index_and_turns_none_and_nan_into_empty_texts():
    out = redact_pii(pd.Series(["a@b.co", None, np.nan, 5], index=[5, 6, 7, 8]))
    assert out.index.tolist() == [5, 6, 7, 8]
    assert out.tolist() == ["[email]", "", "", "5"]  # no "None" or "nan" leaks into a report
    assert out.name == "text"


def test_redact_pii_of_nothing_is_an_empty_series():
    assert redact_pii([]).empty


def test_redact_pii_does_not_change_its_input():
    texts = pd.Series(["a@b.co"])
    redact_pii(texts)
    assert texts.tolist() == ["a@b.co"]


# --- quote_html ------------------------------------------------------------------------------------------------

def test_quote_html_escapes_a_script_tag_so_it_shows_as_text():
    assert quote_html(["<script>alert(1)</script>"]).tolist() == ["&lt;script&gt;alert(1)&lt;/script&gt;"]


def test_quote_html_escapes_quotes_and_ampersands():
    assert quote_html(['"quoted" & \'single\'']).tolist() == ["&quot;quoted&quot; &amp; &#x27;single&#x27;"]


def test_quote_html_escapes_an_attribute_injection():
    out = quote_html(['<img src=x onerror="alert(1)">']).iloc[0]
    assert "<" not in out and '"' not in out
    assert out == "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"


def test_quote_html_redacts_before_escaping():
    assert quote_html(["<b>mail me: a@b.co</b>"]).tolist() == ["&lt;b&gt;mail me: [email]&lt;/b&gt;"]


def test_quote_html_keeps_the_index_and_quotes_none_as_empty():
    out = quote_html(pd.Series(["<i>", None], index=["a", "b"]))
    assert out.to_dict() == {"a": "&lt;i&gt;", "b": ""}
