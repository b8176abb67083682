"""Aspect detection: which service aspects (price, staff, waiting, delivery ...) a text talks about, per clause.

An aspect taxonomy is data: a YAML file with, per aspect, a label and word patterns in each language
(``cxlib/data/aspects/service.yaml`` by default, ``restaurant.yaml`` as a second example; pass your own path).
Matching rules:

- texts and patterns are lower-cased and folded (RU ``ё`` -> ``е``; RO without diacritics), so ``reclamație``
  and ``reclamatie`` match alike;
- a pattern is a word prefix (``pric`` matches ``price``, ``pricing``); ``=word`` matches that word only; a
  phrase matches its words in sequence; ``re:...`` is a raw regular expression on the folded text;
- ``exclude`` patterns win over any aspect pattern that overlaps them (RU ``ожидания не оправдались`` is about
  expectations, not waiting);
- patterns of a language apply to texts of that language; texts of another or unknown language get all of them.

Texts are split into clauses (sentences, and the parts around "but"/"но"/"dar"/"обаче"/"բայց"), so
"polite staff but the prices are high" gives ``staff`` and ``price`` in two clauses that can be scored apart.

Examples
--------
>>> from cxlib import aspects
>>> found = aspects.find_aspects(["Courier was late again. Polite staff, but prices are high!"], ["en"])
>>> found[["clause", "aspect", "clause_text"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
[[0, 'delivery', 'Courier was late again.'], [1, 'staff', 'Polite staff,'], [2, 'price', 'but prices are high!']]
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from cxlib.errors import CxDataError, CxParameterError

__all__ = ["Taxonomy", "load_taxonomy", "split_clauses", "find_aspects", "aspect_flags", "fold"]

LANGUAGES = ("en", "ru", "ro", "bg", "hy")
_FOLD = str.maketrans({"ё": "е", "ă": "a", "â": "a", "î": "i", "ș": "s", "ş": "s", "ț": "t", "ţ": "t"})


def fold(text: str) -> str:
    """Lower-case and fold a text the way patterns are matched (same length, so offsets carry over).

    >>> fold("Reclamație ЁЛКА")
    'reclamatie елка'
    """
    return text.lower().translate(_FOLD)


def _pattern_regex(pattern: str) -> str:
    """One taxonomy pattern as a regular expression on folded text."""
    pattern = str(pattern).strip()
    if pattern.startswith("re:"):
        return f"(?:{pattern[3:]})"
    words = fold(pattern).split()
    if not words:
        raise ValueError("empty pattern")
    parts = [re.escape(w[1:]) + r"(?!\w)" if w.startswith("=") else re.escape(w) + r"\w*" for w in words]
    return r"(?<!\w)" + r"\s+".join(parts)


_WORD = re.compile(r"\w+")


class _Matcher:
    """Patterns indexed by their first word, so a clause costs one dictionary lookup per prefix of each word
    instead of a pass of every pattern over every character; ``re:`` patterns are scanned as they are."""

    def __init__(self, items: list[tuple[str, int]]) -> None:
        self.index: dict[str, list[tuple[bool, re.Pattern | None, int]]] = {}
        self.raw: list[tuple[re.Pattern, int]] = []
        for pattern, kind in items:
            pattern = str(pattern).strip()
            if pattern.startswith("re:"):
                self.raw.append((re.compile(_pattern_regex(pattern)), kind))
                continue
            words = fold(pattern).split()
            first = words[0]
            exact = first.startswith("=")
            head = _WORD.match(first.lstrip("="))
            if head is None:
                self.raw.append((re.compile(_pattern_regex(pattern)), kind))
                continue
            simple = len(words) == 1 and head.group(0) == first.lstrip("=")
            entry = (exact and simple, None if simple else re.compile(_pattern_regex(pattern)), kind)
            self.index.setdefault(head.group(0), []).append(entry)
        self.longest = max((len(k) for k in self.index), default=0)

    def find(self, folded: str, a: int, b: int) -> list[tuple[int, int, int]]:
        """Non-overlapping matches ``(start, end, aspect index)`` in ``folded[a:b]``: excludes removed, then the
        leftmost, longest match wins where two overlap."""
        cands: list[tuple[int, int, int]] = []
        index, longest = self.index, self.longest
        for m in _WORD.finditer(folded, a, b):
            w, p = m.group(0), m.start()
            for k in range(min(len(w), longest), 0, -1):
                entries = index.get(w[:k])
                if not entries:
                    continue
                for exact, rx, kind in entries:
                    if rx is None:
                        if not exact or k == len(w):
                            cands.append((p, p + len(w), kind))
                    else:
                        hit = rx.match(folded, p, b)
                        if hit:
                            cands.append((p, hit.end(), kind))
        for rx, kind in self.raw:
            cands.extend((h.start(), h.end(), kind) for h in rx.finditer(folded, a, b) if h.end() > h.start())
        if not cands:
            return []
        excluded = [(x, y) for x, y, kind in cands if kind < 0]
        keep = [c for c in cands if c[2] >= 0 and not any(c[0] < y and c[1] > x for x, y in excluded)]
        keep.sort(key=lambda c: (c[0], c[0] - c[1]))
        out, end = [], -1
        for c in keep:
            if c[0] >= end:
                out.append(c)
                end = c[1]
        return out


@dataclass(frozen=True)
class Taxonomy:
    """A loaded aspect taxonomy: aspect ids in file order, their labels and the compiled matchers."""

    name: str
    aspects: tuple[str, ...]
    labels: dict[str, str]
    descriptions: dict[str, str]
    patterns: dict[str, dict[str, tuple[str, ...]]]  # aspect -> language -> patterns
    excludes: dict[str, tuple[str, ...]]  # language -> patterns
    source: str = ""
    _compiled: dict[str, "_Matcher"] = field(default_factory=dict, repr=False, compare=False)

    def matcher(self, language: str) -> "_Matcher":
        """The compiled matcher of a language (all languages' patterns for another or unknown code)."""
        lang = language if language in self.languages else "*"
        if lang not in self._compiled:
            langs = self.languages if lang == "*" else (lang,)
            items = [(p, -1) for lg in langs for p in self.excludes.get(lg, ())]
            items += [(p, k) for k, a in enumerate(self.aspects) for lg in langs for p in self.patterns[a].get(lg, ())]
            self._compiled[lang] = _Matcher(items)
        return self._compiled[lang]

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(sorted({lg for a in self.aspects for lg in self.patterns[a]}))

    def label(self, aspect: str) -> str:
        return self.labels.get(aspect, aspect.replace("_", " "))


_NAMED = ("service", "restaurant")


def load_taxonomy(path_or_name: str | Path | None = None) -> Taxonomy:
    """Read a taxonomy: ``None`` or ``"service"`` (default), ``"restaurant"``, or the path of your YAML file.

    Raises :class:`CxDataError` naming the file and the aspect when the file does not follow the format.

    Examples
    --------
    >>> t = load_taxonomy()
    >>> t.aspects[:3], t.label("phone_access")
    (('price', 'staff', 'waiting'), 'Reaching us (phone, hours, first contact)')
    """
    key = "service" if path_or_name in (None, "") else str(path_or_name)
    stamp = Path(key).stat().st_mtime_ns if key not in _NAMED and Path(key).is_file() else 0
    return _load(key, stamp)


@lru_cache(maxsize=16)
def _load(key: str, stamp: int = 0) -> Taxonomy:  # stamp: the file's mtime, so an edited file is read again
    if key in _NAMED:
        res = resources.files("cxlib") / "data" / "aspects" / f"{key}.yaml"
        source, raw = f"cxlib/data/aspects/{key}.yaml", res.read_text(encoding="utf-8")
    else:
        p = Path(key)
        if not p.is_file():
            raise CxParameterError("taxonomy", "aspects.load_taxonomy",
                                   f"'service', 'restaurant' or the path of an existing YAML file", key)
        source, raw = str(p), p.read_text(encoding="utf-8")
    try:
        spec = yaml.safe_load(raw) or {}
    except yaml.YAMLError as exc:
        raise CxDataError(source, None, f"is not valid YAML ({exc.__class__.__name__}: {str(exc)[:200]})",
                          hint="check the indentation and quotes near the line named") from None
    aspects = spec.get("aspects")
    if not isinstance(aspects, dict) or not aspects:
        raise CxDataError(source, "aspects", "is missing or empty: a taxonomy needs an `aspects:` mapping",
                          hint="see cxlib/data/aspects/service.yaml for the format")
    patterns: dict[str, dict[str, tuple[str, ...]]] = {}
    labels, descriptions = {}, {}
    for aspect, body in aspects.items():
        if not isinstance(body, dict) or not isinstance(body.get("patterns"), dict) or not body["patterns"]:
            raise CxDataError(source, f"aspects.{aspect}", "has no `patterns:` mapping of language -> list",
                              hint="e.g. patterns: {en: [pric, expensiv], ru: [цен, дорог]}")
        patterns[str(aspect)] = {}
        for lang, pats in body["patterns"].items():
            if isinstance(pats, str):
                pats = [pats]
            if not isinstance(pats, list) or not all(isinstance(x, (str, int)) and str(x).strip() for x in pats):
                raise CxDataError(source, f"aspects.{aspect}.patterns.{lang}", "must be a list of non-empty words",
                                  hint="write e.g. [pric, expensiv, \"value for money\"]")
            for x in pats:
                _check_regex(source, f"aspects.{aspect}.patterns.{lang}", str(x))
            patterns[str(aspect)][str(lang)] = tuple(str(x) for x in pats)
        labels[str(aspect)] = str(body.get("label") or str(aspect).replace("_", " "))
        descriptions[str(aspect)] = str(body.get("description") or "")
    excludes: dict[str, list[str]] = {}
    for aspect, body in aspects.items():
        for lang, pats in (body.get("exclude") or {}).items():
            for x in [pats] if isinstance(pats, str) else pats:
                _check_regex(source, f"aspects.{aspect}.exclude.{lang}", str(x))
                excludes.setdefault(str(lang), []).append(str(x))
    for lang, pats in (spec.get("exclude") or {}).items():
        excludes.setdefault(str(lang), []).extend(str(x) for x in ([pats] if isinstance(pats, str) else pats))
    return Taxonomy(name=str(spec.get("name") or Path(source).stem), aspects=tuple(patterns), labels=labels,
                    descriptions=descriptions, patterns=patterns,
                    excludes={k: tuple(v) for k, v in excludes.items()}, source=source)


def _check_regex(source: str, where: str, pattern: str) -> None:
    try:
        re.compile(_pattern_regex(pattern))
    except (re.error, ValueError) as exc:
        raise CxDataError(source, where, f"has a pattern that does not compile: {pattern!r} ({exc})",
                          hint="escape special characters or drop the re: prefix") from None


# sentence ends, line breaks, and contrast words that start a new clause ("..., but ...")
_CLAUSE = re.compile(
    r"(?<=[.!?…;։])\s+|\n+"
    r"|\s+(?=(?i:but|however|although|но|однако|зато|хотя|dar|însă|insa|totuși|totusi|обаче|ама|въпреки|բայց|սակայն)"
    r"(?!\w))")


def split_clauses(text: str) -> list[tuple[int, int]]:
    """Character spans ``(start, end)`` of the clauses of one text: sentences, split again before "but" and the
    like in each language. Whitespace between clauses belongs to none.

    >>> t = "Fast delivery. Staff polite but prices high"
    >>> [t[a:b] for a, b in split_clauses(t)]
    ['Fast delivery.', 'Staff polite', 'but prices high']
    """
    spans, start = [], 0
    for m in _CLAUSE.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


_STRETCHED = re.compile(r"([^\W\d_])\1{2,}")  # a letter 3+ times in a row


def _unstretch(text: str) -> tuple[str, list[int]]:
    """The text with each run of 3+ equal letters cut to one, and the original position of each character kept.

    >>> _unstretch("deeeelivery")
    ('delivery', [0, 1, 5, 6, 7, 8, 9, 10])
    """
    out, where, last = [], [], 0
    for m in _STRETCHED.finditer(text):
        out.append(text[last:m.start() + 1])
        where.extend(range(last, m.start() + 1))
        last = m.end()
    out.append(text[last:])
    where.extend(range(last, len(text)))
    return "".join(out), where


def _as_list(texts: Iterable[Any]) -> list[str]:
    values = texts.tolist() if isinstance(texts, (pd.Series, pd.Index, np.ndarray)) else list(texts)
    return ["" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v) for v in values]


def _languages(texts: list[str], languages: Any) -> list[str]:
    if languages is None:
        from cxlib.text import detect_language

        return detect_language(texts, method="rules").astype(str).tolist()
    if isinstance(languages, str):
        return [languages] * len(texts)
    langs = _as_list(languages)
    if len(langs) != len(texts):
        raise CxParameterError("languages", "aspects.find_aspects", f"one code per text ({len(texts)})",
                               f"{len(langs)} codes")
    return [s.strip().lower()[:2] for s in langs]


def find_aspects(texts: Iterable[Any], languages: Iterable[Any] | str | None = None,
                 taxonomy: Taxonomy | str | Path | None = None) -> pd.DataFrame:
    """Every aspect mentioned in each clause of each text.

    Parameters
    ----------
    texts : the texts (a Series, list ...)
    languages : one ISO code per text, one code for all, or None to detect them (``text.detect_language``)
    taxonomy : a :class:`Taxonomy`, a name (``"service"``, ``"restaurant"``) or a YAML path; default service

    Returns
    -------
    DataFrame, one row per text x clause x aspect (an aspect named twice in a clause counts once): ``doc``
    (position of the text in ``texts``), ``clause`` (position within the text), ``aspect``, ``term`` (the
    words that matched, as written), ``start``, ``end`` (the clause's character span) and ``clause_text``.

    Examples
    --------
    >>> find_aspects(["Ожидания не оправдались", "Время ожидания 40 минут"], "ru")[["doc", "aspect", "term"]]
       doc   aspect            term
    0    1  waiting  Время ожидания
    """
    tax = taxonomy if isinstance(taxonomy, Taxonomy) else load_taxonomy(taxonomy)
    values = _as_list(texts)
    langs = _languages(values, languages)
    rows: list[tuple[int, int, str, str, int, int, str]] = []
    names = tax.aspects
    for doc, (text, lang) in enumerate(zip(values, langs)):
        if not text:
            continue
        matcher = tax.matcher(lang)
        folded = fold(text)
        for k, (a, b) in enumerate(split_clauses(text)):
            seen: set[int] = set()
            if _STRETCHED.search(folded, a, b):  # "deeeelivery", "кааачество": match the word without the stretch
                part, where = _unstretch(folded[a:b])
                hits = [(a + where[x], a + where[y - 1] + 1, i) for x, y, i in matcher.find(part, 0, len(part))]
            else:
                hits = matcher.find(folded, a, b)
            for start, end, idx in hits:
                if idx not in seen:
                    seen.add(idx)
                    rows.append((doc, k, names[idx], text[start:end], a, b, text[a:b]))
    out = pd.DataFrame(rows, columns=["doc", "clause", "aspect", "term", "start", "end", "clause_text"])
    out["aspect"] = pd.Categorical(out["aspect"], categories=list(names))
    out = out.sort_values(["doc", "clause", "aspect"], kind="stable").reset_index(drop=True)
    out["aspect"] = out["aspect"].astype(str)
    out.attrs["taxonomy"] = tax.name
    return out


def aspect_flags(texts: Iterable[Any], languages: Iterable[Any] | str | None = None,
                 taxonomy: Taxonomy | str | Path | None = None) -> pd.DataFrame:
    """One row per text, one boolean column per aspect of the taxonomy: does the text mention it?

    Examples
    --------
    >>> aspect_flags(["Livrarea a întârziat", "Prețuri mici, personal amabil"], "ro")[["price", "staff", "delivery"]]
       price  staff  delivery
    0  False  False      True
    1   True   True     False
    """
    tax = taxonomy if isinstance(taxonomy, Taxonomy) else load_taxonomy(taxonomy)
    values = _as_list(texts)
    found = find_aspects(values, languages, tax)
    flags = pd.DataFrame(False, index=range(len(values)), columns=list(tax.aspects))
    for aspect, docs in found.groupby("aspect")["doc"]:
        flags.loc[docs.unique(), aspect] = True
    if isinstance(texts, pd.Series):
        flags.index = texts.index
    return flags
