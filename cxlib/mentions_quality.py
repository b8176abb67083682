"""Mention quality: duplicates and spam-like posts, to flag (not silently drop) before a sentiment index.

The source texts warn about fake reviews and astroturfing (DOMAIN.md 2.7): report the index with and without
the suspicious mentions. Duplicates are found on the texts as :func:`cxlib.text.normalize` cleans them; spam is
scored from the raw text (its links, capitals and codes are the evidence) and from the author's posting pattern.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from cxlib.errors import CxDataError, CxParameterError
from cxlib.text import normalize

__all__ = ["find_duplicates", "spam_likeness", "spam_signals", "SPAM_THRESHOLD"]

_WORD = re.compile(r"[^\W\d_]+")  # letters only: case, digits, punctuation, emoji and spaces do not count
# "RT @user: " (and MT, the modified retweet) in front of a copied post, as normalize() leaves it; repeated for
# a retweet of a retweet. Lower-case "rt" only before a handle: "Mt" can start an ordinary sentence.
_RETWEET = re.compile(r"^(?:\s*(?:(?:RT|MT)\b\s*:?\s*(?:@user\b\s*:?)?|(?i:rt|mt)\s*:?\s*@user\b\s*:?))+")
# Dropping one of these turns a text into its opposite ("not good" / "good"): never a near duplicate.
_NEGATIONS = frozenset("not no never nor dont didnt doesnt isnt wasnt cant won t не ни нет няма нито никога "
                       "nu nici niciodata niciodată ոչ չէ չի չեմ չենք".split())


def _fold(text: str) -> list[str]:
    """Lower-cased words of letters only, a word repeated right after itself kept once ("very very" -> "very"),
    without a retweet prefix ("RT @user:")."""
    if text[:2].lower() in ("rt", "mt"):
        text = _RETWEET.sub("", text)
    words = _WORD.findall(text.lower())
    return [w for w, before in zip(words, [""] + words) if w != before]


class _Groups:
    """Union-find over integer codes; the representative of a group is its smallest code."""

    def __init__(self, n: int) -> None:
        self.parent = np.arange(n)

    def root(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, i: int, j: int) -> None:
        a, b = self.root(i), self.root(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)

    def roots(self) -> np.ndarray:
        """The representative of every code at once (pointer jumping)."""
        parent = self.parent.copy()
        while True:
            up = parent[parent]
            if np.array_equal(up, parent):
                return parent
            parent = up


def find_duplicates(texts: Iterable[object], *, min_words: int = 8) -> pd.DataFrame:
    """Exact and near duplicates, each pointing to the first occurrence (by position).

    - **exact**: the same text after :func:`cxlib.text.normalize` (HTML, URLs, @handles, stretched letters and
      spacing do not count);
    - **near**: the same letters once case, digits, punctuation, emoji, spaces, a retweet prefix ("RT @user:")
      and a word repeated right after itself are removed ("Nobody Nobody answers!!" / "RT @ana: nobody
      answers"); or, in texts of at least ``min_words`` words, the same words but one more or fewer inside the
      text, not at either end and not a negation (not, не, nu ...). Short posts differ from each other by one
      word far more often than by copying, and distinct posts differ by a greeting, a tag or a sign-off at an
      end; a word added or dropped inside a long text is a copy. A different URL or @handle is an exact copy.

    Texts without letters are never near duplicates. A row's ``duplicate_of`` is the first earlier row with the
    same normalised text for an exact duplicate, else the first row of its group of near duplicates.

    Parameters
    ----------
    texts : iterable of str
        In time order if "first" should mean "earliest". A Series keeps its index.
    min_words : int
        Words the shorter of two texts needs for a one-word difference to count.

    Returns
    -------
    DataFrame
        ``duplicate_of`` (Int64: 0-based position of the first occurrence, <NA> for a first occurrence or a
        unique text) and ``duplicate`` ("exact", "near" or "").

    Examples
    --------
    >>> found = find_duplicates(["Great service, thank you!", "great service thank you", "Great service, thank you!",
    ...                          "Great service, thank you so much", "Sooo slow https://t.co/x", "Soo slow"])
    >>> found["duplicate"].tolist()
    ['', 'near', 'exact', '', '', 'exact']
    >>> found["duplicate_of"].tolist()
    [<NA>, 0, 0, <NA>, <NA>, 4]

    One word more inside a long text is a copy; a different word is not:

    >>> find_duplicates(["The courier came two days late and nobody called me about it",
    ...                  "The courier came two days late and nobody ever called me about it",
    ...                  "The courier came two days late and somebody called me about it"])["duplicate"].tolist()
    ['', 'near', '']
    """
    if isinstance(min_words, bool) or not isinstance(min_words, (int, np.integer)) or min_words < 1:
        raise CxParameterError("min_words", "mentions_quality.find_duplicates", "an int >= 1", min_words)
    norm = normalize(texts)
    n = len(norm)
    position = np.arange(n)
    # work on the distinct normalised texts (a repost costs nothing), then map back to the rows
    text_code, texts_once = pd.factorize(norm.to_numpy())
    exact_first = _first_position(text_code)
    words = [_fold(t) for t in texts_once]
    keys = ["".join(w) for w in words]
    key_code, uniques = pd.factorize(np.asarray(keys, dtype=object))
    codes = key_code[text_code]
    first_of_code = _first_position(codes, of_codes=True)
    code_of = {k: c for c, k in enumerate(uniques)}
    groups = _Groups(len(uniques))
    seen = np.zeros(len(uniques), dtype=bool)
    for w, key, c in zip(words, keys, key_code):
        if len(w) <= min_words or seen[c]:
            continue
        seen[c] = True
        start = len(w[0])
        for word in w[1:-1]:  # the text minus one inner word: is that another text?
            end = start + len(word)
            if word not in _NEGATIONS:
                other = code_of.get(key[:start] + key[end:])
                if other is not None and other != c:
                    groups.join(c, other)
            start = end
    group_first = first_of_code[groups.roots()]
    near_first = np.where(codes == code_of.get("", -1), position, group_first[codes])
    exact = (exact_first < position) & (norm.to_numpy() != "")
    near = ~exact & (near_first < position)
    duplicate_of = pd.array(np.where(exact, exact_first, near_first), dtype="Int64")
    duplicate_of[~(exact | near)] = pd.NA
    return pd.DataFrame({"duplicate_of": duplicate_of, "duplicate": np.select([exact, near], ["exact", "near"], "")},
                        index=norm.index)


def _first_position(codes: np.ndarray, *, of_codes: bool = False) -> np.ndarray:
    """Per row, the position of the first row with the same code (codes 0, 1, ... in order of appearance, as
    pd.factorize gives them); with ``of_codes``, that position per code instead."""
    first = np.unique(codes, return_index=True)[1]
    return first if of_codes else first[codes]


# --- spam ---------------------------------------------------------------------------------------------------

#: Default cut-off of :func:`spam_likeness` for the ``spam`` flag of :func:`spam_signals`.
SPAM_THRESHOLD = 0.5

# Promotional phrases in the five languages. A price complaint may say "discount" once; spam piles them up.
_PROMO_PHRASES = (
    r"promo\w*|coupon|discount code|click here|free gift|gift cards?|giveaway|limited offer|best deals?"
    r"|buy now|order now|make \$\s?\d+|earn \$|a day from home|work from home|no experience|dm me"
    r"|промо\w*|скидк\w*|бесплатн\w*|подарочн\w*|жми|переходи|заработ\w*|без вложений|розыгрыш\w*|подпиш\w*"
    r"|cod promo\w*|reducer\w*|gratuit\w*|cadou|click aici|intră aici|intra aici|câștig\w*|castig\w*|ofert\w*"
    r"|отстъпк\w*|безплатн\w*|подарък|кликни|натисни тук|печели|спечели"
    r"|զեղչ\w*|անվճար|նվեր|սեղմեք")
_PROMO = re.compile(rf"(?<!\w)(?:{_PROMO_PHRASES})|(?<![\w%-])-\d{{1,2}}\s?%|(?<![\w.,])\d{{1,2}}\s?% off\b|>>>",
                    re.IGNORECASE)
_CODE = re.compile(r"(?<![@\w])(?=[A-Z0-9]*\d)(?=[A-Z0-9]*[A-Z])[A-Z0-9]{5,10}\b")  # X7K2LM: a promo code
_LINK = re.compile(r"https?://\S+|www\.\S+")

# The same in RE2 syntax, run by pyarrow over the whole column (as in cxlib.text): RE2 has no look-around, so
# _PROMO_RE2 and _CODE_RE2 are loose versions that find every text _PROMO and _CODE can match, and the exact
# Python patterns then run on those few texts only. \s and \S are ASCII in RE2: _NOT_SPACE spells out what Python
# counts as space, and _LETTER what Python's [^\W\d_] counts as a letter.
_NOT_SPACE = r"[^\s\x{0B}\x{1C}-\x{1F}\x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}]"
_LINK_RE2 = rf"https?://{_NOT_SPACE}+|www\.{_NOT_SPACE}+"
_LETTER = r"[\p{L}\p{Nl}\p{No}]"
_PROMO_RE2 = "(?is)" + _PROMO_PHRASES.replace(r"\s", ".").replace(r"\d", r"\p{Nd}") + r"|\p{Nd}{1,2}.?%|>>>"
_CODE_RE2 = r"[A-Z][A-Z0-9]*[0-9]|[0-9][A-Z0-9]*[A-Z]"

#: Weight of each signal (0-1) in the combined score: 1 - prod(1 - weight * signal), so one strong signal alone
#: stays below the threshold unless it is decisive, and independent signals add up.
_WEIGHTS = {"promo": 0.6, "promo_code": 0.3, "link_only": 0.25, "caps": 0.25, "author_repeats": 0.45,
            "author_burst": 0.45}
_BURST_WINDOW = pd.Timedelta(hours=12)


def _mentions_frame(mentions: pd.DataFrame | Iterable[object]) -> pd.DataFrame:
    if isinstance(mentions, pd.DataFrame):
        if "text" not in mentions.columns:
            raise CxDataError(None, "text", "is missing from the mentions", hint="map your text column with "
                              "columns={'their_name': 'text'} or pass the texts as a Series")
        return mentions
    texts = mentions if isinstance(mentions, pd.Series) else pd.Series(list(mentions), dtype="object")
    return pd.DataFrame({"text": texts})


def _arrow(values: list[str]):
    import pyarrow as pa

    return pa.array(values, type=pa.large_string())


def _count(values, pattern: str) -> np.ndarray:
    import pyarrow.compute as pc

    return pc.count_substring_regex(values, pattern).to_numpy(zero_copy_only=False).astype(np.int64)


def _maybe(values, pattern: str) -> np.ndarray:
    """Positions of the texts an RE2 pattern matches."""
    import pyarrow.compute as pc

    return np.flatnonzero(pc.match_substring_regex(values, pattern).to_numpy(zero_copy_only=False))


def _text_signals(raw: pd.Series) -> pd.DataFrame:
    import pyarrow.compute as pc

    values = [v if isinstance(v, str) else "" for v in raw]
    text = _arrow(values)
    links = _count(text, _LINK_RE2)
    rest = pc.replace_substring_regex(text, _LINK_RE2, " ")
    words = _count(rest, _LETTER + "+")
    letters = pc.utf8_length(pc.replace_substring_regex(rest, f"[^{_LETTER[1:-1]}]+", "")).to_numpy(
        zero_copy_only=False)  # faster than counting one match per letter
    upper = _count(rest, r"\p{Lu}")
    promo = np.zeros(len(values))  # distinct phrases
    for i in _maybe(text, _PROMO_RE2):
        promo[i] = len({f.lower() for f in _PROMO.findall(values[i])})
    code = np.zeros(len(values))
    for i in _maybe(text, _CODE_RE2):
        code[i] = _CODE.search(values[i]) is not None
    return pd.DataFrame({
        # spam is short: two promotional words in a 200-word review (a gift, an offer) are not a promotion
        "promo": np.minimum(1.0, promo / 2) * np.minimum(1.0, 30 / np.maximum(words, 1)),
        "promo_code": code,
        # a link with a few words around it: the shape of a promotion, rarely of a customer's story
        "link_only": ((links > 0) & (words <= 12)).astype(float),
        "caps": np.clip((upper / np.maximum(letters, 1) - 0.5) / 0.3, 0, 1) * (letters >= 12),
    }, index=raw.index)


def _skeleton(values: list[str], brands: list[str]):
    """Lower-cased words of letters, one space apart, without links, promo codes and brand names (whole words)."""
    import pyarrow.compute as pc

    text = pc.replace_substring_regex(_arrow(values), _LINK_RE2, " ")
    rows = _maybe(text, _CODE_RE2)
    if len(rows):
        import pyarrow as pa

        mask = np.zeros(len(values), dtype=bool)
        mask[rows] = True
        text = pc.replace_with_mask(text, pa.array(mask), _arrow([_CODE.sub(" ", t) for t in
                                                                  text.take(pa.array(rows)).to_pylist()]))
    gaps = f"^[^{_LETTER[1:-1]}]*|[^{_LETTER[1:-1]}]+|$"  # "^" alone would glue a leading "@" or digit to a word
    words = pc.replace_substring_regex(pc.utf8_lower(text), gaps, "  ")  # each word between two double spaces
    # a brand, made of its letters the same way, is removed where it stands between spaces: as a whole word
    names = {" ".join(re.findall(r"[^\W\d_]+", b.lower())) for b in brands}
    names = sorted((n for n in names if n), key=len, reverse=True)
    if names:
        words = pc.replace_substring_regex(words, " (?:" + "|".join(re.escape(n).replace(r"\ ", "  ")
                                                                     for n in names) + ") ", " ")
    return pc.utf8_trim(pc.replace_substring_regex(words, " {2,}", " "), " ")


def _author_signals(frame: pd.DataFrame) -> pd.DataFrame:
    """Posts of the same author: how many repeat this post's words (codes, links, digits and the brand aside),
    and how many fall within 12 hours of it."""
    out = pd.DataFrame({"author_repeats": 0.0, "author_burst": 0.0}, index=frame.index)
    if "author" not in frame.columns:
        return out
    author = frame["author"].where(frame["author"].notna() & (frame["author"].astype(str).str.strip() != ""))
    known = author.notna().to_numpy()
    brands = frame["brand"].dropna().astype(str).unique().tolist() if "brand" in frame.columns else []
    skeleton = _skeleton([v if isinstance(v, str) else "" for v in frame["text"]], brands)
    skeleton = skeleton.to_numpy(zero_copy_only=False)
    who = pd.factorize(author)[0]  # -1 for no author
    what = pd.factorize(skeleton)[0]
    _, group, size = np.unique(who.astype(np.int64) * (what.max(initial=0) + 1) + what, return_inverse=True,
                               return_counts=True)
    same = size[group.reshape(-1)]
    out["author_repeats"] = np.where(known & (skeleton != ""), np.minimum(1.0, (same - 1) / 3), 0.0)
    if "created_at" in frame.columns:
        when = pd.to_datetime(frame["created_at"], errors="coerce", utc=True, format="mixed")
        ok = known & when.notna().to_numpy()
        if ok.any():
            codes = who[ok].astype(np.int64)
            seconds = (when[ok] - when[ok].min()).dt.total_seconds().to_numpy().astype(np.int64)
            span = int(seconds.max()) + 2 * int(_BURST_WINDOW.total_seconds()) + 1
            key = codes * span + seconds  # one number line, each author on its own stretch of it
            ordered = np.sort(key)
            w = int(_BURST_WINDOW.total_seconds())
            near = np.searchsorted(ordered, key + w, side="right") - np.searchsorted(ordered, key - w, side="left")
            burst = np.zeros(len(frame))
            burst[ok] = np.clip((near - 3) / 7, 0, 1)  # 3 posts in a day are ordinary, 10 are a campaign
            out["author_burst"] = burst
    return out


def spam_signals(mentions: pd.DataFrame | Iterable[object], *, threshold: float = SPAM_THRESHOLD) -> pd.DataFrame:
    """The signals behind :func:`spam_likeness`, each 0-1, the combined score and the flag.

    Columns used: ``text`` (required); ``author`` (repeats and bursts of one author), ``created_at`` (bursts) and
    ``brand`` (brand names do not make two template posts differ) when present. ``url`` is not used: it is the
    address of the mention itself, not a link the author posted.

    Parameters
    ----------
    mentions : DataFrame or iterable of str
        Mentions with a ``text`` column, or texts alone (then only the text signals count).
    threshold : float
        ``spam`` is ``spam_likeness >= threshold``.

    Returns
    -------
    DataFrame, index of the input
        ``promo`` (promotional phrases in en/ru/ro/bg/hy: one is 0.5, two different ones 1, scaled down in texts
        over 30 words), ``promo_code`` (a token such as X7K2LM), ``link_only`` (a link with 12 words or fewer),
        ``caps`` (share of capitals above 50 %, 1 from 80 %; texts of 12 letters or more), ``author_repeats``
        (other posts of the author with the same words: 1 is 1/3, 3 or more 1), ``author_burst`` (the author's
        posts within 12 hours either side, this one included: 3 or fewer 0, 10 or more 1), ``spam_likeness``
        (0-1) and ``spam`` (bool). Repeats or a burst alone stay under the default threshold (a customer may
        ask again and again); at full strength, together or with a bare link, they cross it.

    Examples
    --------
    >>> s = spam_signals(["PROMO CODE X7K2LM: -70% on everything!!! Click here https://deals.example.net/x",
    ...                   "The courier was late again, waited two hours"])
    >>> s[["promo", "promo_code", "link_only", "spam"]]
       promo  promo_code  link_only   spam
    0    1.0         1.0        1.0   True
    1    0.0         0.0        0.0  False
    """
    if not 0 <= threshold <= 1:
        raise CxParameterError("threshold", "mentions_quality.spam_signals", "a number in 0-1", threshold)
    frame = _mentions_frame(mentions)
    out = pd.concat([_text_signals(frame["text"]), _author_signals(frame)], axis=1).astype(float)
    keep = np.ones(len(out))
    for name, weight in _WEIGHTS.items():
        keep *= 1 - weight * out[name].to_numpy()
    out["spam_likeness"] = 1 - keep
    out["spam"] = out["spam_likeness"] >= threshold
    return out


def spam_likeness(mentions: pd.DataFrame | Iterable[object]) -> pd.Series:
    """How much each mention looks like spam or a fake promotion, 0 (ordinary) to 1; flag at 0.5.

    Combines the signals of :func:`spam_signals` (promotional phrases, promo codes, bare links, capitals, the
    same author repeating a text or posting in bursts). Use it to report the sentiment index with and without
    the suspicious mentions rather than to delete them.

    Examples
    --------
    >>> m = pd.DataFrame({"author": ["deals_24"] * 3 + ["ana"],
    ...                   "created_at": pd.to_datetime(["2025-03-01 10:00", "2025-03-01 10:05", "2025-03-01 11:00",
    ...                                                 "2025-03-01 12:00"]),
    ...                   "text": ["Best deals of the year https://x.co/a", "Best deals of the year https://x.co/b",
    ...                            "Best deals of the year!!! https://x.co/c", "Courier late again, two hours"]})
    >>> (spam_likeness(m) >= SPAM_THRESHOLD).tolist()
    [True, True, True, False]
    """
    return spam_signals(mentions)["spam_likeness"].rename("spam_likeness")
