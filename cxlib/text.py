"""Text helpers shared by the mention analyses: language detection, PII redaction, HTML-safe quoting.

Language detection here is a fast script-and-letter rule for the five languages of the project
(en, ru, ro, bg, hy); anything else is "und". It is what the data-health notebook uses to describe an
input without a ``language`` column.
"""
from __future__ import annotations

import html
import re
from collections.abc import Iterable

import pandas as pd

__all__ = ["detect_language", "redact_pii", "quote_html"]

_ARMENIAN = re.compile(r"[\u0531-\u0587]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_RU_ONLY = re.compile(r"[ыэё]", re.IGNORECASE)
# Words and endings that only one of the two Cyrillic languages uses (shared words such as на, за, и,
# да, от, не, много are left out: they would tip the balance without evidence).
_BG_HINT = re.compile(
    r"ъ|\b(?:съм|сме|сте|ще|със|във|това|тези|беше|бяха|е|се|ли|нещо|няма|добре|лошо|благодаря|тук|сега|днес"
    r"|какво|защо|кога|тя|той|ги|ние|вие|всички|обаче|също|трябва|чакахме|чаках)\b"
    r"|\w(?:ът|ят|ите|ото|ата|ане|ене|ния)\b", re.IGNORECASE)
_RU_HINT = re.compile(
    r"\b(?:это|очень|что|как|был|была|было|были|мне|меня|спасибо|уже|нет|если|тоже|всё|ещё|ждал|ждала|который"
    r"|сейчас|здесь|сегодня|хорошо|плохо|только|можно|нужно|когда|вообще|так)\b"
    r"|\w(?:ться|тся|ый|ая|ое|ого|его)\b", re.IGNORECASE)
_RO_LETTERS = re.compile(r"[ăâîșşțţ]", re.IGNORECASE)
_RO_WORDS = re.compile(r"\b(și|si|este|nu|foarte|pentru|cu|la|de|am|sunt|mai|prea|o|care|în|in|din|fost|bine|e"
                       r"|totul|dar|mult|acest|aceasta|sa|să|ca|că|pe|lui|ei|nou|noua|comanda|livrare|rau|rău)\b",
                       re.IGNORECASE)
_EN_WORDS = re.compile(r"\b(the|and|is|was|not|very|for|with|to|my|of|it|you|this|are|but|a|an|so|have|had"
                       r"|be|been|your|our|me|we|they|at|on)\b", re.IGNORECASE)
_URL = re.compile(r"https?://\S+|www\.\S+")
_HANDLE = re.compile(r"@\w+")


def _detect_one(text: str) -> str:
    t = _HANDLE.sub(" ", _URL.sub(" ", text or ""))
    hy, cyr, lat = len(_ARMENIAN.findall(t)), len(_CYRILLIC.findall(t)), len(_LATIN.findall(t))
    if max(hy, cyr, lat) == 0:
        return "und"
    if hy >= cyr and hy >= lat:
        return "hy"
    if cyr >= lat:
        if _RU_ONLY.search(t):
            return "ru"
        # "много" ends in -ого in both languages; do not count it for Russian
        ru = len(_RU_HINT.findall(t)) - len(re.findall(r"\bмного\b", t, re.IGNORECASE))
        bg = len(_BG_HINT.findall(t))
        if bg != ru:
            return "bg" if bg > ru else "ru"
        # no word decides: ы, э and ё make up ~2.5 % of Russian letters, so a longer text without any is Bulgarian
        return "bg" if cyr >= 25 else "ru"
    if _RO_LETTERS.search(t):
        return "ro"
    ro, en = len(_RO_WORDS.findall(t)), len(_EN_WORDS.findall(t))
    return "ro" if ro > en else "en"


def detect_language(texts: Iterable[str]) -> pd.Series:
    """ISO 639-1 language code per text among en, ru, ro, bg, hy, or "und" (no letters).

    URLs and @handles are ignored. The script decides Armenian, Cyrillic or Latin; letters and frequent
    function words then separate Russian from Bulgarian and Romanian from English.

    Examples
    --------
    >>> detect_language(["Very slow delivery", "Очень долго ждал", "Много е бавно и скъпо", "Livrare foarte rapidă",
    ...                  "Շատ արագ սպասարկում", "12345"]).tolist()
    ['en', 'ru', 'bg', 'ro', 'hy', 'und']
    """
    index = texts.index if isinstance(texts, pd.Series) else None
    return pd.Series([_detect_one(v) if isinstance(v, str) else "und" for v in texts],
                     index=index, dtype="object", name="language")


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
