"""Lexicon sentiment engine: positive and negative evidence for customer texts in en, ru, ro, bg and hy, no labels needed.

English runs VADER (Hutto & Gilbert 2014, shipped in the ``vaderSentiment`` wheel) with a customer-service
supplement (``data/lexicons/en.yaml``: delays, cancellations, time on hold, refunds, lost luggage, "never
again", ...). Russian, Romanian, Bulgarian and Armenian use lexicons written for this project
(``data/lexicons/{ru,ro,bg,hy}.yaml``) and the same rules as VADER where they carry over:

- **matching**: texts are lower-cased and folded (RU ``ё`` -> ``е``; RO without diacritics, so ``ș``, ``ş``
  and ``s`` match alike); a token matches its exact form, else the longest listed stem it starts with
  (``груб*`` matches ``грубый``, ``грубо``); a stem listed with weight 0 blocks a shorter one (RO ``reclam*``
  = advert blocks nothing, ``reclamați*`` = complaint is negative). Multi-word phrases (``так себе``,
  ``nu merge``, ``си струва``) are matched first.
- **negation**: a negator (``не``, ``нет``, ``nu``, ``fără``, ``няма``, ``ոչ`` ...) flips the terms among the
  next 3 words of its clause: a positive term times -0.8, a negative one times -0.5 ("not bad" is weakly
  positive). A negation prefix does the same inside one word (RU/BG ``не-``, RO ``ne-``, HY ``չ-``, ``ան-``:
  ``неудобно``, ``neplăcut``, ``չհավանեցի``). Armenian negated auxiliaries (``չէ``, ``չեմ`` ...) also flip
  the word just before them, an intensifier in between skipped (``գոհ չեմ`` = I am not satisfied). A phrase
  that begins with a negator or negated auxiliary carries its negation once (``никогда не работает``,
  ``գոհ չեմ չի աշխատում``).
- **intensity**: an intensifier (``очень``, ``foarte``, ``prea``, ``շատ``) multiplies the next term within 2
  words (1.3 by default), a diminisher (``немного``, ``puțin``) by less than 1; not both with a negation.
- **contrast**: after ``но``/``dar``/``însă``/``обаче``/``բայց`` the evidence before counts half and the
  evidence after 1.5 times (VADER's weights; weaker for the ambiguous RU/BG ``а``).
- **emphasis**: each ``!`` (up to 4) adds 0.292 to the dominant side, as in VADER; emoji and emoticons
  (``:)``, ``:(``, ``^_^``, ``)))``, ``😡``, ``👍`` ...) are terms of their own, not negated.

A language code outside :data:`LANGUAGES` (``"und"``, ``None``, ``"de"``) picks the lexicon by script:
Armenian letters -> hy, Cyrillic -> ru and bg combined, Latin -> en and ro combined.

Probabilities come from a fixed mapping of the evidence, fitted to no labels (:func:`to_proba`).

Examples
--------
>>> from cxlib import lexicon
>>> lexicon.predict(["Очень вежливый персонал", "Nu recomand, calitate slabă", "Bag lost, on hold for 2 hours"],
...                 ["ru", "ro", "en"]).tolist()
['positive', 'negative', 'negative']
"""
from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd
import yaml
from vaderSentiment import vaderSentiment as _vaderlib

from cxlib.errors import CxParameterError

__all__ = ["LANGUAGES", "polarity", "predict_proba", "predict", "to_proba", "lexicon_size"]

#: Languages with a lexicon of their own.
LANGUAGES: tuple[str, ...] = ("en", "ru", "ro", "bg", "hy")

#: A negated positive term counts this many times its weight ("not good" is about as bad as "bad" is bad).
NEGATED_POSITIVE = -0.8
#: A negated negative term counts this many times its weight ("not bad" is weakly positive).
NEGATED_NEGATIVE = -0.5
#: A negator reaches the terms among the next this many words of its clause.
NEGATION_WINDOW = 3
#: An intensifier or diminisher reaches the terms among the next this many words.
INTENSIFIER_WINDOW = 2
#: VADER's per-"!" emphasis, added to the dominant side, for at most this many marks.
EXCLAMATION_WEIGHT, EXCLAMATION_MAX = 0.292, 4
#: Pseudo-evidence of the neutral class in :func:`to_proba`: one mild term (weight 1 on VADER's -4..4 scale).
NEUTRAL_EVIDENCE = 1.0
#: Added to every class's evidence in :func:`to_proba`, so that no probability is 0 or 1.
SMOOTHING = 0.1

CLASSES = ("negative", "neutral", "positive")

# token kinds
_NONE, _TERM, _NEG, _INT, _BUT, _BOUND, _EMO, _AUXNEG, _PROHIB = range(9)

# Emoji and emoticons, on VADER's scale; shared by ru, ro, bg and hy (VADER has its own for English).
_EMOJI = MappingProxyType({
    "😀": 2.0, "😃": 2.0, "😄": 2.0, "😁": 2.0, "😆": 1.8, "😊": 2.0, "🙂": 1.3, "😉": 1.3, "😍": 2.8,
    "🥰": 2.8, "😘": 2.2, "😋": 2.0, "😎": 1.5, "🤗": 2.0, "🤩": 2.8, "😇": 1.8, "😂": 1.2, "🤣": 1.2,
    "😅": 0.5, "👍": 2.0, "👌": 1.8, "👏": 2.0, "🙌": 2.0, "💪": 1.5, "🔥": 1.5, "⭐": 1.5, "🌟": 1.5,
    "✨": 1.0, "🎉": 2.0, "🥳": 2.0, "❤": 2.5, "♥": 2.5, "💖": 2.5, "💕": 2.5, "💗": 2.5, "💙": 2.0,
    "💚": 2.0, "💛": 2.0, "💜": 2.0, "🧡": 2.0, "💯": 2.0, "✅": 1.0, "🙏": 1.0, "☺": 2.0, "😌": 1.2,
    "😡": -3.0, "😠": -2.8, "🤬": -3.2, "😤": -2.2, "👎": -2.2, "😞": -2.0, "😔": -1.8, "😟": -1.8,
    "😢": -2.2, "😭": -2.2, "😩": -2.0, "😫": -2.0, "😒": -1.8, "🙄": -1.8, "😑": -1.0, "😐": -0.5,
    "😕": -1.3, "🙁": -1.5, "☹": -2.0, "😣": -1.8, "😖": -2.0, "🤮": -3.0, "🤢": -2.5, "💩": -2.5,
    "😱": -1.5, "😨": -1.5, "😰": -1.8, "😬": -1.0, "🤦": -2.0, "💔": -2.5, "❌": -1.2, "⛔": -1.2,
})
_EMOTICON_POSITIVE_MOUTHS = set(")]}dpр*3д^")
_EMOTICON_NEGATIVE_MOUTHS = set("([{/\\|@")

# URLs and @handles (skipped), emoticons, words, emoji, clause punctuation. Applied to lower-cased text.
_TOKEN = re.compile(
    r"(?:https?://|www\.)\S+|@\w+"
    r"|(?<![\w:])(?:>?[:;=][-'^]?(?:[)\]}dpр*3д]+|[(\[{/\\|@]+)|\^_*\^|<3+|\){2,}|\({2,})"
    r"|(?<!\w)x+d+(?!\w)"
    r"|[^\W\d_]+"
    r"|[\U0001F300-\U0001FAFF\u2600-\u27BF\u2B50\u2764\u2665\u263A\u2639]"
    r"|[.,;:!?\u2026\u0589\u055D\u055C\u055E]")
_EXCLAMATION = re.compile(r"[!\u055C]")
_ENTRY_WORD = re.compile(r"([^\W\d_]+)(\*?)")
_BOUNDARIES = ".,;:!?\u2026\u0589\u055D\u055C\u055E"

_LATIN_NEGATORS = ("not", "no", "never", "nothing", "without", "dont", "cant", "wont", "isnt", "didnt", "doesnt")

_ARMENIAN = re.compile(r"[\u0531-\u0587]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[a-zA-Z\u00c0-\u024f]")


@dataclass(frozen=True)
class _Lexicon:
    """One language's compiled lexicon: exact forms and stems with their kind and value, phrases, folding."""

    code: str
    exact: Mapping[str, tuple[int, float]]
    stems: Mapping[str, float]
    stem_lengths: tuple[int, ...]
    prefixes: tuple[str, ...]
    phrases: Mapping[str, tuple[tuple[tuple[str, ...], float], ...]]
    phrase_stem_lengths: tuple[int, ...]
    prohibitive_suffixes: tuple[str, ...]
    fold: Mapping[int, str]
    n_terms: int
    latin: Mapping[str, float]


def _read_yaml(code: str) -> dict:
    text = resources.files("cxlib").joinpath("data", "lexicons", f"{code}.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _fold_table(spec: dict) -> dict[int, str]:
    return str.maketrans({k: v for k, v in (spec.get("fold") or {}).items()})


def _entries(spec: dict, fold: dict[int, str]) -> dict[str, float]:
    """``{entry: weight}`` from the positive/negative/neutral blocks (weights by block key), folded."""
    out: dict[str, float] = {}
    for block, sign in (("positive", 1.0), ("negative", -1.0)):
        for weight, words in (spec.get(block) or {}).items():
            for w in words:
                out[w.lower().translate(fold)] = sign * float(weight)
    for w in spec.get("neutral") or ():
        out[w.lower().translate(fold)] = 0.0
    return out


def _compile(code: str, specs: list[dict], latin: Mapping[str, float] | None = None) -> _Lexicon:
    """Merge one or more YAML specs (ru+bg for unknown Cyrillic) into a lookup structure.

    Where two specs weigh the same entry, the mean is used.
    """
    fold: dict[int, str] = {}
    for spec in specs:
        fold.update(_fold_table(spec))
    terms: dict[str, list[float]] = {}
    exact: dict[str, tuple[int, float]] = {}
    prefixes: set[str] = set()
    suffixes: set[str] = set()
    for spec in specs:
        for entry, weight in _entries(spec, fold).items():
            terms.setdefault(entry, []).append(weight)
        for w in spec.get("negators") or ():
            exact[w.translate(fold)] = (_NEG, 0.0)
        for w in spec.get("auxiliary_negators") or ():
            exact[w.translate(fold)] = (_AUXNEG, 0.0)
        for w, mult in (spec.get("intensifiers") or {}).items():
            exact[w.translate(fold)] = (_INT, float(mult))
        for w, mult in (spec.get("diminishers") or {}).items():
            exact[w.translate(fold)] = (_INT, float(mult))
        for w, strength in (spec.get("contrast") or {}).items():
            exact[w.translate(fold)] = (_BUT, float(strength))
        prefixes.update(p.translate(fold) for p in spec.get("negation_prefixes") or ())
        prohib = spec.get("prohibitive") or {}
        for w in prohib.get("words") or ():
            exact[w.translate(fold)] = (_PROHIB, 0.0)
        suffixes.update(prohib.get("suffixes") or ())
    stems: dict[str, float] = {}
    phrases: dict[str, list[tuple[tuple[str, ...], float]]] = {}
    for entry, weights in terms.items():
        weight = float(np.mean(weights))
        parts = _entry_words(entry)
        if len(parts) > 1:
            phrases.setdefault(parts[0], []).append((tuple(parts[1:]), weight))
        elif entry.endswith("*"):
            stems[parts[0][:-1]] = weight
        else:
            exact[parts[0]] = (_TERM, weight) if weight else (_NONE, 0.0)
    # longer phrases are tried first
    frozen_phrases = {k: tuple(sorted(v, key=lambda p: -len(p[0]))) for k, v in phrases.items()}
    phrase_stems = {k[:-1] for k in frozen_phrases if k.endswith("*")}
    return _Lexicon(
        code=code, exact=MappingProxyType(exact), stems=MappingProxyType(stems),
        stem_lengths=tuple(sorted({len(s) for s in stems}, reverse=True)), prefixes=tuple(sorted(prefixes)),
        phrases=MappingProxyType(frozen_phrases),
        phrase_stem_lengths=tuple(sorted({len(s) for s in phrase_stems}, reverse=True)),
        prohibitive_suffixes=tuple(sorted(suffixes)), fold=MappingProxyType(fold), n_terms=len(terms),
        latin=MappingProxyType(dict(latin or {})))


def _entry_words(entry: str) -> list[str]:
    """An entry as the tokenizer would split it ("супер-пупер" -> two words); a final "*" stays on each stem."""
    return [w + "*" if star else w for w, star in _ENTRY_WORD.findall(entry)]


@lru_cache(maxsize=None)
def _lexicon(code: str) -> _Lexicon:
    """The compiled lexicon of ``ru``, ``ro``, ``bg``, ``hy`` or ``cyrl`` (ru and bg combined), loaded once."""
    specs = [_read_yaml("ru"), _read_yaml("bg")] if code == "cyrl" else [_read_yaml(code)]
    # In Cyrillic and Armenian text a word in Latin letters is an English loan ("super", "fail", "lol"):
    # score it with VADER's lexicon and the English supplement (single words only).
    latin = None
    if code != "ro":
        latin = {w: v for w, v in _vader()[0].lexicon.items() if w.isascii() and w.isalpha() and v}
        latin.update(dict.fromkeys(_LATIN_NEGATORS, None))
    return _compile(code, specs, latin)


def _vader_polarity(self: Any, text: str) -> Any:
    """VADER 3.3.2's ``polarity_scores``, rule for rule and in the same arithmetic order, so the same numbers.

    VADER re-lowers every word of the text several times for each sentiment word it meets (negation,
    idioms, "least") and rebuilds the text character by character to replace emoji; here each word is lowered
    once and a text without emoji is left as it is. ``tests/unit/test_lexicon.py`` compares the two.
    """
    v = _vaderlib
    emojis = self.emojis
    if not _emoji_chars(self).isdisjoint(text):
        out: list[str] = []
        prev_space = True
        for ch in text:
            description = emojis.get(ch)
            if description is not None:
                if not prev_space:
                    out.append(" ")
                out.append(description)
                prev_space = False
            else:
                out.append(ch)
                prev_space = ch == " "
        text = "".join(out)
    text = text.strip()
    words = [w if len(s := w.strip(_PUNCTUATION)) <= 2 else s for w in text.split()]
    lower = [w.lower() for w in words]
    n = len(words)
    lex = self.lexicon
    sentiments: list[float] = [0] * n
    if lex.keys().isdisjoint(lower):  # no sentiment word: every valence is 0
        return self.score_valence(sentiments, text)
    allcaps = sum(map(str.isupper, words))
    is_cap_diff = 0 < n - allcaps < n
    booster = v.BOOSTER_DICT
    for i, lw in enumerate(lower):
        if lw not in lex or lw in booster or (i < n - 1 and lw == "kind" and lower[i + 1] == "of"):
            continue
        item = words[i]
        valence: float = lex[lw]
        if lw == "no" and i != n - 1 and lower[i + 1] in lex:
            valence = 0.0
        if (i > 0 and lower[i - 1] == "no") or (i > 1 and lower[i - 2] == "no") or (
                i > 2 and lower[i - 3] == "no" and lower[i - 1] in ("or", "nor")):
            valence = lex[lw] * v.N_SCALAR
        if is_cap_diff and item.isupper():
            if valence > 0:
                valence += v.C_INCR
            else:
                valence -= v.C_INCR
        for start_i in range(0, 3):
            if i > start_i and lower[i - (start_i + 1)] not in lex:
                before = words[i - (start_i + 1)]
                s = 0.0
                if lower[i - (start_i + 1)] in booster:
                    s = v.scalar_inc_dec(before, valence, is_cap_diff)
                if start_i == 1 and s != 0:
                    s = s * 0.95
                if start_i == 2 and s != 0:
                    s = s * 0.9
                valence = valence + s
                valence = _vader_negation(valence, lower, start_i, i)
                if start_i == 2:
                    valence = _vader_idioms(valence, lower, i)
        if i > 0 and lower[i - 1] == "least":
            valence = self._least_check(valence, words, i)
        sentiments[i] = valence
    if "but" in lower:
        sentiments = self._but_check(words, sentiments)
    return self.score_valence(sentiments, text)


_PUNCTUATION = string.punctuation
_VADER_NEGATE = frozenset(_vaderlib.NEGATE)
_N_SCALAR = _vaderlib.N_SCALAR


def _emoji_chars(analyzer: Any) -> frozenset[str]:
    chars = analyzer.__dict__.get("_emoji_chars")
    if chars is None:
        chars = analyzer._emoji_chars = frozenset(k for k in analyzer.emojis if len(k) == 1)
    return chars


def _vader_negated(word: str) -> bool:
    return word in _VADER_NEGATE or "n't" in word


def _vader_negation(valence: float, lower: list[str], start_i: int, i: int) -> float:
    """VADER's ``_negation_check`` on the already lowered words."""
    N_SCALAR = _N_SCALAR  # noqa: N806 (VADER's name)
    if start_i == 0:
        if _vader_negated(lower[i - 1]):
            valence = valence * N_SCALAR
    if start_i == 1:
        if lower[i - 2] == "never" and (lower[i - 1] == "so" or lower[i - 1] == "this"):
            valence = valence * 1.25
        elif lower[i - 2] == "without" and lower[i - 1] == "doubt":
            pass
        elif _vader_negated(lower[i - 2]):
            valence = valence * N_SCALAR
    if start_i == 2:
        if lower[i - 3] == "never" and (lower[i - 2] == "so" or lower[i - 2] == "this") or (
                lower[i - 1] == "so" or lower[i - 1] == "this"):
            valence = valence * 1.25
        elif lower[i - 3] == "without" and (lower[i - 2] == "doubt" or lower[i - 1] == "doubt"):
            pass
        elif _vader_negated(lower[i - 3]):
            valence = valence * N_SCALAR
    return valence


def _vader_idioms(valence: float, lower: list[str], i: int) -> float:
    """VADER's ``_special_idioms_check`` on the already lowered words."""
    BOOSTER_DICT, SPECIAL_CASES = _vaderlib.BOOSTER_DICT, _vaderlib.SPECIAL_CASES  # noqa: N806 (VADER's names)
    onezero = f"{lower[i - 1]} {lower[i]}"
    twoonezero = f"{lower[i - 2]} {lower[i - 1]} {lower[i]}"
    twoone = f"{lower[i - 2]} {lower[i - 1]}"
    threetwoone = f"{lower[i - 3]} {lower[i - 2]} {lower[i - 1]}"
    threetwo = f"{lower[i - 3]} {lower[i - 2]}"
    for seq in (onezero, twoonezero, twoone, threetwoone, threetwo):
        if seq in SPECIAL_CASES:
            valence = SPECIAL_CASES[seq]
            break
    if len(lower) - 1 > i:
        zeroone = f"{lower[i]} {lower[i + 1]}"
        if zeroone in SPECIAL_CASES:
            valence = SPECIAL_CASES[zeroone]
    if len(lower) - 1 > i + 1:
        zeroonetwo = f"{lower[i]} {lower[i + 1]} {lower[i + 2]}"
        if zeroonetwo in SPECIAL_CASES:
            valence = SPECIAL_CASES[zeroonetwo]
    for n_gram in (threetwoone, threetwo, twoone):
        if n_gram in BOOSTER_DICT:
            valence = valence + BOOSTER_DICT[n_gram]
    return valence


@lru_cache(maxsize=1)
def _vader() -> Any:
    """VADER with the customer-service supplement of ``en.yaml`` (single words and joined phrases), loaded once."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    class _Evidence(SentimentIntensityAnalyzer):
        # VADER's own scoring, stopping at the per-word valences: positive and negative sums, hits
        polarity_scores = _vader_polarity  # VADER's rules, the same numbers, about 3 times quicker

        def score_valence(self, sentiments, text):  # noqa: D102 (VADER's hook)
            pos = float(sum(s for s in sentiments if s > 0))
            neg = float(-sum(s for s in sentiments if s < 0))
            hits = sum(1 for s in sentiments if s)
            amp = self._punctuation_emphasis(text)
            if pos > neg:
                pos += amp
            elif neg > pos:
                neg += amp
            return pos, neg, hits

    spec = _read_yaml("en")
    analyzer = _Evidence()
    phrases = {}
    for entry, weight in _entries(spec, {}).items():
        if " " in entry:
            phrases[entry] = weight
        else:
            analyzer.lexicon[entry] = weight
    for entry, weight in phrases.items():
        analyzer.lexicon[entry.replace(" ", "_")] = weight
    # longest phrases first, whole words only; "n't" forms are written out in the YAML
    alternatives = sorted(phrases, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w'])(?:" + "|".join(re.escape(p).replace(r"\ ", r"[\s\-]+") for p in alternatives)
                         + r")(?![\w'])", re.IGNORECASE)
    # the same phrases by first word, for _join_phrases (the regex above, as one pass over the words)
    by_first = _PhraseIndex()
    for phrase in alternatives:
        words = tuple(phrase.split(" "))
        by_first.setdefault(words[0], []).append(words)
    by_first.pairs = frozenset((p[0], p[1]) for ps in by_first.values() for p in ps)
    return analyzer, pattern, by_first


class _PhraseIndex(dict):
    """Phrases (tuples of words) by their first word; ``pairs``: every phrase's first two words."""

    pairs: frozenset[tuple[str, str]] = frozenset()


_JOIN = re.compile(r"[\s\-]+")
_HANDLES_AND_URLS = re.compile(r"(?:https?://|www\.)\S+|@\w+")


_PHRASE_WORD = re.compile(r"[\w']+")
_PHRASE_GAP = re.compile(r"[\s\-]+")


def _join_phrases(text: str, by_first: Mapping[str, list[tuple[str, ...]]]) -> str:
    """Each phrase of the English supplement joined into one VADER token ("thank you" -> "thank_you").

    The same result as the alternation regex that ``_vader`` also builds (whole words, any case, words
    separated by spaces or hyphens, at each word the longest phrase first, left to right, no overlaps), in one
    pass over the words instead of trying every phrase at every position: about five times quicker.
    """
    # most texts hold no phrase at all: look for any phrase's first two words side by side first, and only
    # then walk the text with the positions (which also checks the gaps between the words)
    pairs = getattr(by_first, "pairs", None)
    if pairs is None:
        pairs = frozenset((p[0], p[1]) for ps in by_first.values() for p in ps)
    lowered = list(map(str.lower, _PHRASE_WORD.findall(text)))
    if pairs.isdisjoint(zip(lowered, lowered[1:])):
        return text
    words = list(_PHRASE_WORD.finditer(text))
    out: list[str] = []
    last = i = 0
    while i < len(words):
        for phrase in by_first.get(lowered[i], ()):
            k = len(phrase)
            if tuple(lowered[i:i + k]) == phrase and all(
                    _PHRASE_GAP.fullmatch(text, words[i + j - 1].end(), words[i + j].start()) for j in range(1, k)):
                start, end = words[i].start(), words[i + k - 1].end()
                out += [text[last:start], _JOIN.sub("_", text[start:end].lower())]
                last, i = end, i + k
                break
        else:
            i += 1
    if not out:
        return text
    out.append(text[last:])
    return "".join(out)


def _english(text: str) -> tuple[float, float, int]:
    analyzer, _, by_first = _vader()
    # a handle or a link names something, it says nothing ("@united" is not "united")
    text = text.replace("\u2019", "'")
    if "@" in text or "http" in text or "www." in text:
        text = _HANDLES_AND_URLS.sub(" ", text)
    return analyzer.polarity_scores(_join_phrases(text, by_first))


def _classify(tok: str, lex: _Lexicon) -> tuple[int, float, str | None]:
    """Kind, value and phrase key (the phrases that may start here) of one lower-cased, folded token."""
    key = tok if tok in lex.phrases else None
    if key is None:
        for n in lex.phrase_stem_lengths:
            if n <= len(tok) and tok[:n] + "*" in lex.phrases:
                key = tok[:n] + "*"
                break
    kind, value = _kind(tok, lex)
    return kind, value, key


def _kind(tok: str, lex: _Lexicon) -> tuple[int, float]:
    found = lex.exact.get(tok)
    if found is not None:
        return found
    for n in lex.stem_lengths:
        if n <= len(tok):
            w = lex.stems.get(tok[:n])
            if w is not None:
                return (_TERM, w) if w else (_NONE, 0.0)
    for p in lex.prefixes:
        if tok.startswith(p) and len(tok) - len(p) >= 4:
            kind, w = _kind(tok[len(p):], lex)
            if kind == _TERM and w:
                return _TERM, w * (NEGATED_POSITIVE if w > 0 else NEGATED_NEGATIVE)
    if tok in lex.latin:
        w = lex.latin[tok]
        return (_NEG, 0.0) if w is None else (_TERM, w)
    c = tok[0]
    if len(tok) == 1 and c in _BOUNDARIES:
        return _BOUND, 0.0
    if c in _EMOJI:
        return _EMO, _EMOJI[c]
    if len(tok) >= 2 and not c.isalpha() or c == "x" and tok.endswith("d") and set(tok) <= {"x", "d"}:
        # an emoticon: the mouth decides, ")))" and "(((" are the Russian-style smiles
        last = tok[-1]
        if tok[0] == ">" or last in _EMOTICON_NEGATIVE_MOUTHS:
            return _EMO, -2.0
        if last in _EMOTICON_POSITIVE_MOUTHS:
            return _EMO, 2.0
    return _NONE, 0.0


def _score(text: str, lex: _Lexicon, memo: dict[str, tuple[int, float, str | None]]) -> tuple[float, float, int]:
    """Positive evidence, negative evidence and hits of one text (see the module docstring for the rules)."""
    toks = _TOKEN.findall(text.lower().translate(lex.fold))
    pos = neg = 0.0
    hits = 0
    neg_left = boost_left = 0
    boost = after = 1.0
    last_term_at, last_value, last_negated = -9, 0.0, False
    phrases, prohib = lex.phrases, lex.prohibitive_suffixes
    i, n, word_i = 0, len(toks), 0
    while i < n:
        tok = toks[i]
        i += 1
        info = memo.get(tok)
        if info is None:
            info = memo[tok] = _classify(tok, lex)
        kind, val, key = info
        if kind == _BOUND:
            neg_left = boost_left = 0
            continue
        word_i += 1
        if key is not None:
            for rest, w in phrases[key]:
                k = len(rest)
                if i + k <= n and all(t == r or (r[-1] == "*" and t.startswith(r[:-1]))
                                      for t, r in zip(toks[i:i + k], rest)):
                    i += k
                    word_i += k
                    kind, val = (_TERM if w else _NONE), w
                    if info[0] in (_NEG, _AUXNEG):  # a phrase that begins with a negator carries its own
                        neg_left = 0                   # negation: "никогда не работает", "չեմ ... չի աշխատում"
                    break
        if kind == _TERM:
            v = val
            negated = neg_left > 0
            if negated:
                v *= NEGATED_POSITIVE if v > 0 else NEGATED_NEGATIVE
            elif boost_left > 0:
                v *= boost
            v *= after
            if v > 0:
                pos += v
            else:
                neg -= v
            hits += 1
            last_term_at, last_value, last_negated = word_i, v, negated
        elif kind == _NEG:
            neg_left = NEGATION_WINDOW + 1
        elif kind == _AUXNEG:
            if last_term_at == word_i - 1 and not last_negated:
                # Armenian: "գոհ չեմ" negates the word before; undo it and count it negated
                flipped = last_value * (NEGATED_POSITIVE if last_value > 0 else NEGATED_NEGATIVE)
                if last_value > 0:
                    pos -= last_value
                else:
                    neg += last_value
                if flipped > 0:
                    pos += flipped
                else:
                    neg -= flipped
                last_negated = True
            neg_left = NEGATION_WINDOW + 1
        elif kind == _INT:
            boost, boost_left = val, INTENSIFIER_WINDOW + 1
            if last_term_at == word_i - 1:
                last_term_at = word_i  # an intensifier between a term and "չէ" is skipped: "հերթ ընդհանրապես չկար"
        elif kind == _BUT:
            keep = 1.0 - 0.5 * val
            pos, neg, after = pos * keep, neg * keep, 1.0 + 0.5 * val
            neg_left = boost_left = 0
        elif kind == _EMO:
            if val > 0:
                pos += val * after
            else:
                neg -= val * after
            hits += 1
        elif kind == _PROHIB and i < n and toks[i].endswith(prohib):
            neg_left = 2  # Armenian "մի" + imperative: "մի վստահեք" (do not trust)
        neg_left -= 1
        boost_left -= 1
    if pos != neg:
        amp = EXCLAMATION_WEIGHT * min(EXCLAMATION_MAX, len(_EXCLAMATION.findall(text)))
        if pos > neg:
            pos += amp
        else:
            neg += amp
    return pos, neg, hits


def _normalise_codes(languages: Any, n: int) -> np.ndarray:
    if isinstance(languages, str) or languages is None:
        codes = [languages] * n
    else:
        codes = list(languages)
    if len(codes) != n:
        raise CxParameterError("languages", "lexicon.polarity", f"one code per text ({n} texts)",
                               f"{len(codes)} codes",
                               hint="Pass a column such as mentions['language'], or one code as a string for all.")
    out = np.empty(n, dtype=object)
    for j, c in enumerate(codes):
        c = str(c).strip().lower().replace("_", "-").split("-")[0] if isinstance(c, str) else ""
        out[j] = c if c in LANGUAGES else ""
    return out


def _by_script(text: str) -> str:
    hy, cyr, lat = len(_ARMENIAN.findall(text)), len(_CYRILLIC.findall(text)), len(_LATIN.findall(text))
    if max(hy, cyr, lat) == 0:
        return "latn"
    if hy >= cyr and hy >= lat:
        return "hy"
    return "cyrl" if cyr >= lat else "latn"


def polarity(texts: Iterable[Any], languages: Iterable[Any] | str | None) -> pd.DataFrame:
    """Positive and negative lexicon evidence of each text, after negation, intensifiers and contrast.

    Parameters
    ----------
    texts : iterable of str or Series
        The texts. Anything that is not a string (None, NaN, numbers) gets zero evidence.
    languages : iterable of str, or one str for all texts
        ISO 639-1 codes, one per text: ``"en"``, ``"ru"``, ``"ro"``, ``"bg"``, ``"hy"`` (case and region
        suffixes such as ``"en-US"`` are ignored). Any other code (``"und"``, None) picks the lexicon by the
        text's script: Armenian -> hy, Cyrillic -> ru and bg combined, Latin -> en and ro combined.

    Returns
    -------
    DataFrame
        One row per text (index of ``texts`` when it is a Series, else 0..n-1) with ``positive`` and
        ``negative`` (float >= 0, summed term weights on VADER's -4..4 per-word scale) and ``hits`` (int,
        matched terms, phrases, emoji and emoticons).

    Examples
    --------
    ``вежливый`` (polite) weighs 2: ``очень`` makes it 2 x 1.3 of positive evidence, ``не`` 2 x 0.8 of negative
    evidence; the Armenian "the queue was long" has two mild terms (1 + 1.5); a number has none.

    >>> polarity(["Персонал очень вежливый", "Персонал не вежливый", "Հերթը երկար էր", 42], ["ru", "ru", "hy", "ru"])
       positive  negative  hits
    0       2.6       0.0     1
    1       0.0       1.6     1
    2       0.0       2.5     2
    3       0.0       0.0     0
    """
    index = texts.index if isinstance(texts, pd.Series) else None
    texts = list(texts)
    n = len(texts)
    codes = _normalise_codes(languages, n)
    pos = np.zeros(n)
    neg = np.zeros(n)
    hits = np.zeros(n, dtype=np.int64)
    groups: dict[str, list[int]] = {}
    for j, (t, c) in enumerate(zip(texts, codes)):
        if isinstance(t, str) and t:
            groups.setdefault(c or _by_script(t), []).append(j)
    for code, rows in groups.items():
        if code in ("en", "latn"):
            for j in rows:
                pos[j], neg[j], hits[j] = _english(texts[j])
            if code == "en":
                continue
            lex = _lexicon("ro")
        else:
            lex = _lexicon(code)
        memo: dict[str, tuple[int, float, str | None]] = {}
        for j in rows:
            p, q, h = _score(texts[j], lex, memo)
            pos[j] += p
            neg[j] += q
            hits[j] += h
    return pd.DataFrame({"positive": pos.round(6), "negative": neg.round(6), "hits": hits},
                        index=index if index is not None else pd.RangeIndex(n))


def to_proba(evidence: pd.DataFrame) -> pd.DataFrame:
    """Map lexicon evidence to probabilities of negative, neutral and positive (a fixed rule, fitted to no labels).

    Each class gets a share proportional to its evidence plus :data:`SMOOTHING`: the positive and negative
    columns of :func:`polarity`, and a fixed :data:`NEUTRAL_EVIDENCE` of 1.0 for neutral (one mild term on
    VADER's scale). So a text without evidence is neutral (0.85), one clear term (weight 2) makes its side
    the most likely (0.64), and mixed texts keep probability on both sides; the index over many texts
    averages these shares. ``hits`` is not used: the weights already carry it.

    Parameters
    ----------
    evidence : DataFrame
        ``positive`` and ``negative`` columns (>= 0), e.g. the output of :func:`polarity`.

    Returns
    -------
    DataFrame
        Columns ``negative``, ``neutral``, ``positive`` (each row sums to 1), same index as ``evidence``.

    Examples
    --------
    >>> to_proba(pd.DataFrame({"positive": [0.0, 2.0, 2.0], "negative": [0.0, 0.0, 3.0]})).round(3)
       negative  neutral  positive
    0     0.077    0.846     0.077
    1     0.030    0.333     0.636
    2     0.492    0.175     0.333
    """
    pos = evidence["positive"].to_numpy(dtype=float) + SMOOTHING
    neg = evidence["negative"].to_numpy(dtype=float) + SMOOTHING
    neu = NEUTRAL_EVIDENCE + SMOOTHING
    total = pos + neg + neu
    return pd.DataFrame({"negative": neg / total, "neutral": neu / total, "positive": pos / total},
                        index=evidence.index)


def predict_proba(texts: Iterable[Any], languages: Iterable[Any] | str | None) -> pd.DataFrame:
    """Probabilities of negative, neutral and positive for each text: :func:`polarity` mapped by :func:`to_proba`.

    Parameters
    ----------
    texts, languages
        As in :func:`polarity`.

    Returns
    -------
    DataFrame
        Columns exactly ``negative``, ``neutral``, ``positive``; rows sum to 1; index as in :func:`polarity`.

    Examples
    --------
    >>> p = predict_proba(["Livrare rapidă, mulțumesc!", "Total nemulțumit", "Am comandat ieri"], "ro")
    >>> p.idxmax(axis=1).tolist(), bool(np.allclose(p.sum(axis=1), 1))
    (['positive', 'negative', 'neutral'], True)
    """
    return to_proba(polarity(texts, languages))


def predict(texts: Iterable[Any], languages: Iterable[Any] | str | None) -> np.ndarray:
    """The most probable label of each text: ``"negative"``, ``"neutral"`` or ``"positive"``.

    Ties go to neutral, then to negative: a text whose strongest side has no more evidence than the neutral
    pseudo-evidence (1.0) is neutral, and exactly balanced positive and negative evidence reads as negative.

    Parameters
    ----------
    texts, languages
        As in :func:`polarity`.

    Returns
    -------
    numpy.ndarray
        Object array of labels, one per text.

    Examples
    --------
    >>> predict(["Много бавно обслужване, никога повече", "Страхотно обслужване 👍", "Thanks, great crew!"],
    ...         ["bg", "bg", "en"]).tolist()
    ['negative', 'positive', 'positive']
    """
    proba = predict_proba(texts, languages)
    # argmax over (neutral, negative, positive): the first of equal maxima wins
    order = ["neutral", "negative", "positive"]
    return np.asarray(order, dtype=object)[proba[order].to_numpy().argmax(axis=1)]


def lexicon_size(language: str) -> int:
    """Number of entries (words, stems and phrases; function words excluded) in a language's own lexicon file.

    For ``"en"`` this is the customer-service supplement only; VADER's 7,500 entries come on top.

    Examples
    --------
    >>> lexicon_size("ru") > 500
    True
    """
    if language not in LANGUAGES:
        raise CxParameterError("language", "lexicon.lexicon_size", f"one of {LANGUAGES}", language)
    return len(_entries(_read_yaml(language), {}))
