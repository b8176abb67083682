"""Sentiment of online mentions: pluggable scorers and the net-sentiment index with intervals.

Scorers (scikit-learn shape: ``fit`` / ``predict`` / ``predict_proba``; ``save`` / :func:`load_scorer`):

- ``"lexicon"``: :mod:`cxlib.lexicon`, works with no labels in en, ru, ro, bg and hy.
- ``"trained"``: a linear model (SVM, calibrated) on word n-grams, word stems (first 4 letters), endings,
  negation-marked words and the lexicon's evidence, trained on the analyst's labels (or star ratings: 1-2
  negative, 3 neutral, 4-5 positive). Per language, a model of its own or one model pooled over all labelled
  texts, whichever has the better cross-validated macro-F1 on that language's labels (same folds); a language
  with too few labels of its own gets the pooled model. ``quality_`` holds each language's cross-validated
  macro-F1.
- ``"auto"``: per language, the trained model where there are at least ``min_labels`` labels and it beats the
  lexicon on them (cross-validated), the lexicon elsewhere; ``used_`` says which was used where.

The index (:func:`sentiment_index`) averages the mentions' predicted probabilities per brand x period (and
channel, language), which is closer to the truth than counting predicted labels, corrects them with the
classifier's cross-validated confusion matrix where that helps (checked on held-out labels), and gives each
cell a 95 % interval that includes the scorer's own measured error where labels exist.

Examples
--------
>>> s = make_scorer("lexicon")
>>> s.predict(["Very rude staff, waited an hour", "Thank you, quick and friendly help!"]).tolist()
['negative', 'positive']
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import pandas as pd
from scipy import sparse
from scipy.stats import norm
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.svm import LinearSVC

from cxlib import lexicon
from cxlib.errors import CxDataError, CxParameterError

__all__ = ["LABELS", "SentimentScorer", "make_scorer", "load_scorer", "labels_from_ratings", "training_labels",
           "score_mentions", "sentiment_index", "index_aggregates", "combine_aggregates", "index_from_aggregates",
           "scorer_summary", "describe_mentions", "keep_mentions"]

#: The three sentiment classes, in the column order of every ``predict_proba``.
LABELS: tuple[str, str, str] = ("negative", "neutral", "positive")
#: Fewest labelled texts (with at least two classes) for a language of its own model.
MIN_LABELS = 300
#: Labels per language the cross-validated measurement uses at most (a stratified sample; the final model learns
#: from all labels): 5-fold CV on 5,000 labels pins macro-F1 to about +-0.01 and keeps fitting on 100,000
#: labelled mentions to seconds instead of minutes.
MAX_CV_LABELS = 5000
_KINDS = ("lexicon", "trained", "auto")

# --- features -----------------------------------------------------------------------------------------------

_TOKEN = re.compile(r"\w+(?:['’]\w+)?|[^\w\s]", re.UNICODE)
_URL = re.compile(r"https?://\S+|www\.\S+")
_HANDLE = re.compile(r"@\w+")
_REPEAT = re.compile(r"(\w)\1\1+")  # a letter 3 or more times (written so: quicker than \1{2,})
_NEGATORS = frozenset({"not", "no", "never", "don't", "didn't", "can't", "won't", "isn't", "wasn't", "nothing",
                       "nobody", "cannot", "n't", "не", "нет", "ни", "nu", "fără", "fara", "nici", "няма", "без",
                       "ոչ", "չէ", "չեմ", "մի"})


def _clean(text: Any) -> str:
    if not isinstance(text, str):
        return ""
    return _REPEAT.sub(r"\1\1", _HANDLE.sub("@user", _URL.sub(" ", text))).lower()


def text_features(doc: str) -> list[str]:
    """The word features of one text: words, word pairs, stems (first 4 letters), endings (last 3 letters)
    and words after a negation marked with ``!`` until the next punctuation mark.

    Examples
    --------
    >>> text_features("Not good!")
    ['not', 'good', '!', 'not good', 'good !', '!good']
    """
    words = _TOKEN.findall(_clean(doc))
    out = list(words)
    out += [f"{a} {b}" for a, b in zip(words, words[1:])]
    out += ["~" + w[:4] for w in words if len(w) > 5]
    out += [w[-3:] + "~" for w in words if len(w) > 5]
    negated = False
    for w in words:
        if w in _NEGATORS:
            negated = True
        elif not w[0].isalnum():
            negated = False
        elif negated:
            out.append("!" + w)
    return out


def char_features(doc: str) -> list[str]:
    """The character n-grams (2 to 5 letters) of each word of one text, the word padded with a space on each
    side (scikit-learn's ``char_wb``), after the same cleaning as :func:`text_features`.

    Examples
    --------
    >>> char_features("Ok")
    [' o', 'ok', 'k ', ' ok', 'ok ', ' ok ']
    """
    out: list[str] = []
    for w in _clean(doc).split():
        out += _word_char_grams(w)
    return out


def _word_char_grams(word: str) -> list[str]:
    padded = f" {word} "
    out: list[str] = []
    for n in range(2, min(5, len(padded)) + 1):
        out += [padded[i:i + n] for i in range(len(padded) - n + 1)]
    return out


def _word_columns(word: str, vocabulary: dict[str, int]) -> tuple[np.ndarray, int, int, int]:
    """One word's place in the vocabulary of :func:`text_features`: the columns of its own features (the word,
    its stem and ending when it has more than 5 letters), the word's column (-1 if not in the vocabulary), the
    column of its negated form (-1 if none) and its kind (1 negator, 2 punctuation, 0 other)."""
    features = [word] + (["~" + word[:4], word[-3:] + "~"] if len(word) > 5 else [])
    cols = np.asarray([vocabulary[f] for f in features if f in vocabulary], dtype=np.int64)
    kind = 1 if word in _NEGATORS else 2 if not word[0].isalnum() else 0
    return cols, vocabulary.get(word, -1), vocabulary.get("!" + word, -1), kind


def _rows_matrix(rows: list[np.ndarray], n_features: int) -> sparse.csr_matrix:
    """One sparse row per array of column indices (a column listed twice counts 2)."""
    lengths = np.fromiter((len(r) for r in rows), np.int64, len(rows))
    indices = np.concatenate(rows) if rows else np.zeros(0, np.int64)
    return sparse.csr_matrix((np.ones(len(indices), dtype=np.float32), indices,
                              np.concatenate([[0], np.cumsum(lengths)])), shape=(len(rows), n_features))


def _words_of(cleaned: list[str], split: Any) -> tuple[sparse.csr_matrix, np.ndarray, np.ndarray, np.ndarray]:
    """The words of cleaned texts (``split(text)``) as texts x distinct words counts, with the distinct words,
    each word's position in them (``codes``, text after text) and where each text's words start (``bounds``)."""
    words: list[str] = []
    bounds = [0]
    for doc in cleaned:
        words += split(doc)
        bounds.append(len(words))
    codes, distinct = pd.factorize(np.asarray(words, dtype=object))
    codes = codes.astype(np.int64)
    starts = np.asarray(bounds, dtype=np.int64)
    docs = sparse.csr_matrix((np.ones(len(codes), dtype=np.float32), codes, starts),
                             shape=(len(cleaned), len(distinct)))
    return docs, distinct, codes, starts


def _memo_of(owner: Any) -> dict:
    """A fitted transformer's per-word cache (emptied past 200,000 words; left out when it is pickled)."""
    memo = owner.__dict__.setdefault("_memo", {})
    if len(memo) > 200_000:
        memo.clear()
    return memo


def _sublinear_tfidf(counts: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    """Rows of counts (a sparse product: no column twice in a row) to sublinear tf-idf rows of unit length, as
    ``TfidfVectorizer(sublinear_tf=True)`` computes them, in float32 (in place)."""
    x = counts
    x.data = x.data.astype(np.float32, copy=False)
    np.log(x.data, out=x.data)
    x.data += 1
    x.data *= idf[x.indices]
    lengths = np.diff(x.indptr)
    filled = lengths > 0
    scale = np.ones(x.shape[0], dtype=np.float32)
    if x.nnz:
        scale[filled] = np.sqrt(np.add.reduceat(x.data * x.data, x.indptr[:-1][filled]))
    x.data /= np.repeat(scale, lengths)
    return x


_FEATURE_CACHE: dict[tuple[str, str], Any] | None = None


def _cached(kind: str, doc: str, make: Any) -> Any:
    cache = _FEATURE_CACHE
    if cache is None:
        return make(doc)
    hit = cache.get((kind, doc))
    if hit is None:
        hit = cache[(kind, doc)] = make(doc)
    return hit


def _features(doc: str) -> list[str]:
    """:func:`text_features`, read from the cache while :meth:`SentimentScorer.fit` runs (cross-validation
    analyses the same texts once per fold)."""
    return _cached("words", doc, text_features)


@contextmanager
def _cached_features() -> Iterator[None]:
    global _FEATURE_CACHE
    outer = _FEATURE_CACHE
    if outer is None:
        _FEATURE_CACHE = {}
    try:
        yield
    finally:
        _FEATURE_CACHE = outer


class _PerWordCache:
    """For the transformers that keep a per-word cache (:func:`_memo_of`): it stays out of their pickles (a saved
    scorer, the copy each worker process receives) and is rebuilt on use."""

    def __getstate__(self) -> dict:
        state = dict(super().__getstate__())  # a copy: the live object keeps its cache
        state.pop("_memo", None)
        return state


class WordsAndLexicon(_PerWordCache, BaseEstimator, TransformerMixin):
    """The word features of :func:`text_features` (tf-idf) and three lexicon features: each text's positive and
    negative lexicon evidence and their balance.

    The lexicon is read once, at ``fit``, for every word of the training vocabulary (:func:`cxlib.lexicon.polarity`
    of the word alone: stems, false friends and the English VADER list apply; a negation-marked word ``!good``
    counts as a negated term), so that predicting is one sparse product instead of a lexicon pass over every
    text: as fast as the words alone, and the rare sentiment words of the training texts still carry the
    lexicon's knowledge. Words never seen in training carry none (the full-text lexicon scorer does).

    Examples
    --------
    >>> f = WordsAndLexicon("en").fit(["great staff", "awful queue", "not great"])
    >>> x = f.transform(["great", "not great"]).toarray()
    >>> x.shape[1] == len(f.words_.vocabulary_) + 3, bool(x[0, -3] > 0), bool(x[1, -2] > 0)
    (True, True, True)
    """

    def __init__(self, language: str = "und", weight: float = 2.0) -> None:
        self.language = language
        self.weight = weight

    def fit(self, texts: Any, y: Any = None) -> "WordsAndLexicon":
        self.words_ = TfidfVectorizer(analyzer=_features, sublinear_tf=True, min_df=1, dtype=np.float32)
        self.words_.fit(texts)
        vocabulary = self.words_.get_feature_names_out()
        single = [(j, t[1:] if t.startswith("!") else t, t.startswith("!")) for j, t in enumerate(vocabulary)
                  if " " not in t and not t.startswith("~") and not t.endswith("~")]
        language = self.language if self.language in lexicon.LANGUAGES else None
        ev = lexicon.polarity([w for _, w, _ in single], language)
        weights = np.zeros((len(vocabulary), 2), dtype=np.float32)
        for (j, _, negated), p, q in zip(single, ev["positive"].to_numpy(), ev["negative"].to_numpy()):
            # a negated term: as cxlib.lexicon counts it (positive x 0.8 to the negative side, negative x 0.5)
            weights[j] = (-lexicon.NEGATED_NEGATIVE * q, -lexicon.NEGATED_POSITIVE * p) if negated else (p, q)
        self.lexicon_ = sparse.csr_matrix(weights)
        self.__dict__.pop("_pairs", None)
        self._pair_index()  # built once here: each process that predicts receives it ready
        return self

    def transform(self, texts: Any) -> sparse.csr_matrix:
        return self._transform([_clean(t) for t in texts])

    def word_matrix(self, texts: Any) -> sparse.csr_matrix:
        """The tf-idf of :func:`text_features` alone: what ``self.words_.transform(texts)`` gives (the fitted
        ``TfidfVectorizer``), computed word by word (each word's own features looked up once): several times
        quicker."""
        return self._word_matrix([_clean(t) for t in texts])

    def _word_matrix(self, cleaned: list[str]) -> sparse.csr_matrix:
        vocabulary = self.words_.vocabulary_
        docs, distinct, codes, bounds = _words_of(cleaned, _TOKEN.findall)
        memo = _memo_of(self)
        known = []
        for w in distinct:
            k = memo.get(w)
            if k is None:
                k = memo[w] = _word_columns(w, vocabulary)
            known.append(k)
        n_docs, n_features = len(cleaned), len(vocabulary)
        # the words' own features (word, stem, ending): texts x distinct words @ distinct words x features
        counts = sparse.csr_matrix(docs @ _rows_matrix([k[0] for k in known], n_features))
        if len(codes):
            doc_of = np.repeat(np.arange(n_docs), np.diff(bounds))
            own = np.fromiter((k[1] for k in known), np.int64, len(known))[codes]
            negated_col = np.fromiter((k[2] for k in known), np.int64, len(known))[codes]
            kind = np.fromiter((k[3] for k in known), np.int8, len(known))[codes]
            # word pairs: side by side in one text, both words seen in training
            a, b = own[:-1], own[1:]
            keys, cols = self._pair_index()
            ok = (doc_of[:-1] == doc_of[1:]) & (a >= 0) & (b >= 0)
            at = keys.get_indexer(a[ok] * n_features + b[ok])
            hit = at >= 0
            pair_docs, pair_cols = doc_of[:-1][ok][hit], cols[at[hit]]
            # negated words: the last negator or punctuation mark before the word (same text) is a negator
            position = np.arange(len(codes))
            last = np.maximum.accumulate(np.where(kind != 0, position, -1))
            neg = (kind == 0) & (last >= bounds[doc_of]) & (negated_col >= 0)
            neg[neg] = kind[last[neg]] == 1
            rows = np.concatenate([pair_docs, doc_of[neg]])
            extra = sparse.csr_matrix((np.ones(len(rows), dtype=np.float32),
                                       (rows, np.concatenate([pair_cols, negated_col[neg]]))),
                                      shape=(n_docs, n_features))
            counts = counts + extra
        return _sublinear_tfidf(counts, self.words_.idf_.astype(np.float32))

    def _pair_index(self) -> tuple[pd.Index, np.ndarray]:
        """The word pairs of the vocabulary: their keys (first word's column x features + second's) and
        columns."""
        index = self.__dict__.get("_pairs")
        if index is None:
            vocabulary = self.words_.vocabulary_
            n = len(vocabulary)
            pairs = [(vocabulary[a] * n + vocabulary[b], j) for t, j in vocabulary.items() if " " in t
                     for a, b in [t.split(" ")]]
            keys = np.fromiter((k for k, _ in pairs), np.int64, len(pairs))
            cols = np.fromiter((j for _, j in pairs), np.int64, len(pairs))
            index = self._pairs = (pd.Index(keys), cols)
        return index

    def _transform(self, cleaned: list[str]) -> sparse.csr_matrix:
        return sparse.hstack(self._blocks(cleaned), format="csr")

    def _blocks(self, cleaned: list[str]) -> list[Any]:
        """The word tf-idf and the three lexicon columns, unstacked (:class:`RichFeatures` stacks them once with
        its own)."""
        x = self._word_matrix(cleaned)
        present = sparse.csr_matrix((np.ones_like(x.data), x.indices, x.indptr), shape=x.shape)
        ev = present @ self.lexicon_.toarray()
        p, n = ev[:, 0], ev[:, 1]
        compound = (p - n) / np.sqrt((p - n) ** 2 + 15.0)  # VADER's normalisation
        extra = (self.weight * np.column_stack([np.tanh(p / 4), np.tanh(n / 4), compound])).astype(np.float32)
        return [x, sparse.csr_matrix(extra)]


def _text_evidence(texts: list[str], language: str) -> np.ndarray:
    """Each text's full lexicon reading (:func:`cxlib.lexicon.polarity`: negation, intensifiers, contrast,
    emoji, and VADER's rules in English) as positive, negative and compound evidence."""
    code = language if language in lexicon.LANGUAGES else None
    out = np.zeros((len(texts), 3))
    todo = []
    for i, t in enumerate(texts):
        hit = _FEATURE_CACHE.get(("lexicon", code, t)) if _FEATURE_CACHE is not None else None
        if hit is None:
            todo.append(i)
        else:
            out[i] = hit
    if todo:
        ev = lexicon.polarity([texts[i] for i in todo], code)
        p, n = ev["positive"].to_numpy(), ev["negative"].to_numpy()
        rows = np.column_stack([np.tanh(p / 4), np.tanh(n / 4), (p - n) / np.sqrt((p - n) ** 2 + 15.0)])
        out[todo] = rows
        if _FEATURE_CACHE is not None:
            for i, r in zip(todo, rows):
                _FEATURE_CACHE[("lexicon", code, texts[i])] = r
    return out


class CharGrams(_PerWordCache, BaseEstimator, TransformerMixin):
    """Tf-idf of the character n-grams of :func:`char_features` (sublinear tf, smooth idf, rows of unit
    length, n-grams in at least ``min_df`` texts): what ``TfidfVectorizer(analyzer=char_features,
    sublinear_tf=True, min_df=2)`` gives, columns in another order, computed word by word. A text's n-grams are
    those of its words, and words repeat, so each word is cut into n-grams once: several times quicker.

    Examples
    --------
    >>> g = CharGrams().fit(["good good", "good bad", "bad"])
    >>> x = g.transform(["good"]).toarray()
    >>> len(g.vocabulary_), round(float((x ** 2).sum()), 6)
    (23, 1.0)
    """

    def __init__(self, min_df: int = 2) -> None:
        self.min_df = min_df

    def fit(self, texts: Any, y: Any = None) -> "CharGrams":
        texts = list(texts)
        df: dict[str, int] = {}
        grams_of: dict[str, list[str]] = {}
        for t in texts:
            seen: set[str] = set()
            for w in _clean(t).split():
                g = grams_of.get(w)
                if g is None:
                    g = grams_of[w] = _word_char_grams(w)
                seen.update(g)
            for g in seen:
                df[g] = df.get(g, 0) + 1
        kept = sorted(g for g, k in df.items() if k >= self.min_df)
        self.vocabulary_ = {g: j for j, g in enumerate(kept)}
        counts = np.array([df[g] for g in kept], dtype=float)
        self.idf_ = (np.log((1 + len(texts)) / (1 + counts)) + 1).astype(np.float32)
        return self

    def transform(self, texts: Any) -> sparse.csr_matrix:
        return self._transform([_clean(t) for t in texts])

    def _transform(self, cleaned: list[str]) -> sparse.csr_matrix:
        # texts x distinct words (counts) @ distinct words x n-grams (counts): the n-gram counts of each text
        docs, distinct, _, _ = _words_of(cleaned, str.split)
        memo = _memo_of(self)
        vocabulary = self.vocabulary_
        rows = []
        for w in distinct:
            cols = memo.get(w)
            if cols is None:
                cols = memo[w] = np.asarray([vocabulary[g] for g in _word_char_grams(w) if g in vocabulary],
                                            dtype=np.int64)
            rows.append(cols)
        counts = sparse.csr_matrix(docs @ _rows_matrix(rows, len(vocabulary)))
        return _sublinear_tfidf(counts, self.idf_)


class RichFeatures(BaseEstimator, TransformerMixin):
    """The features of the "rich" configuration: :class:`WordsAndLexicon`, the character n-grams of
    :func:`char_features` (tf-idf, weighted ``char_weight``) and the full lexicon reading of each text
    (weighted ``lexicon_weight``). On English airline tweets 5-fold macro-F1 0.783 against 0.775 for the words
    alone, at about 3 times the prediction cost (the lexicon reads every text with all its rules), still
    quicker than VADER alone on 2 cores (``bench/sentiment.py``, part 4).

    Examples
    --------
    >>> f = RichFeatures("en").fit(["great staff", "awful queue", "not great at all"])
    >>> x = f.transform(["not great"])
    >>> x.shape[1] == f.words_.transform(["x"]).shape[1] + len(f.chars_.vocabulary_) + 3
    True
    """

    def __init__(self, language: str = "und", char_weight: float = 0.5, lexicon_weight: float = 2.0) -> None:
        self.language = language
        self.char_weight = char_weight
        self.lexicon_weight = lexicon_weight

    def fit(self, texts: Any, y: Any = None) -> "RichFeatures":
        texts = list(texts)
        self.words_ = WordsAndLexicon(self.language).fit(texts)
        self.chars_ = CharGrams().fit(texts)
        return self

    def transform(self, texts: Any) -> sparse.csr_matrix:
        texts = list(texts)
        ev = _text_evidence(texts, self.language)
        cleaned = [_clean(t) for t in texts]
        chars = self.chars_._transform(cleaned)
        chars.data *= np.float32(self.char_weight)
        return sparse.hstack([*self.words_._blocks(cleaned), chars,
                              sparse.csr_matrix((self.lexicon_weight * ev).astype(np.float32))], format="csr")


#: The trained models' configurations: features and the SVM's C (smaller = stronger regularisation).
#: "fast": :class:`WordsAndLexicon`, C 0.5; "fast-loose": the same features, C 2.0 (long texts such as reviews
#: carry more evidence each and gain from a looser fit); "rich": :class:`RichFeatures`, C 0.3.
MODEL_CONFIGS: dict[str, tuple[str, float]] = {"fast": ("words", 0.5), "fast-loose": ("words", 2.0),
                                               "rich": ("rich", 0.3)}
#: What ``features=`` accepts: one configuration, or "auto" (each language's best by cross-validation).
FEATURE_SETS = ("fast", "rich", "auto")


def _model(language: str, seed: int, config: str = "fast") -> Any:
    features, c = MODEL_CONFIGS[config]
    svm = LinearSVC(C=c, class_weight="balanced", random_state=seed)
    return make_pipeline(RichFeatures(language) if features == "rich" else WordsAndLexicon(language),
                         CalibratedClassifierCV(svm, cv=3, method="sigmoid", ensemble=False))


def _svm_labels(model: Any, texts: list[str]) -> np.ndarray:
    """The linear SVM's own decision (trained with balanced class weights), which serves macro-F1 better than
    the largest calibrated probability: the calibration restores the classes' true shares for counting."""
    features = model[0].transform(texts)
    svm = model[-1].calibrated_classifiers_[0].estimator
    return np.asarray(svm.predict(features), dtype=object)


def _as_proba(model: Any, texts: list[str]) -> np.ndarray:
    """Model probabilities in LABELS order (a class the model never saw gets 0)."""
    p = model.predict_proba(texts)
    out = np.zeros((len(texts), 3))
    for j, c in enumerate(model.classes_):
        out[:, LABELS.index(c)] = p[:, j]
    return out


# --- labels ---------------------------------------------------------------------------------------------------

def labels_from_ratings(ratings: Iterable[Any]) -> pd.Series:
    """Star ratings to labels: 1-2 negative, 3 neutral, 4-5 positive; anything else missing.

    Examples
    --------
    >>> labels_from_ratings([1, 3, 5, None, 7]).tolist()
    ['negative', 'neutral', 'positive', None, None]
    """
    r = pd.to_numeric(pd.Series(list(ratings), dtype="object"), errors="coerce")
    lab = np.select([r.between(1, 2), r == 3, r.between(4, 5)], list(LABELS), default="")
    return pd.Series([str(v) if v else None for v in lab], index=ratings.index if isinstance(ratings, pd.Series) else None,
                     dtype="object")


def training_labels(mentions: pd.DataFrame, use_ratings: bool = True) -> pd.Series:
    """Each mention's label for training: its ``label`` where given, else (optionally) from its ``rating``.

    Examples
    --------
    >>> m = pd.DataFrame({"label": ["positive", None, None], "rating": [1, 2, None]})
    >>> training_labels(m).tolist()
    ['positive', 'negative', None]
    """
    out = pd.Series([None] * len(mentions), index=mentions.index, dtype="object")
    if use_ratings and "rating" in mentions:
        out = labels_from_ratings(mentions["rating"]).set_axis(mentions.index)
    if "label" in mentions:
        lab = mentions["label"].astype("string").str.strip().str.lower()
        ok = lab.isin(LABELS).fillna(False).astype(bool)
        out[ok] = [str(v) for v in lab[ok]]
    return out


# --- the scorer ------------------------------------------------------------------------------------------------

@dataclass
class _Check:
    """What cross-validation says about one language's scorer."""
    macro_f1: float
    lexicon_f1: float
    confusion: np.ndarray  # mean predicted probabilities (columns) of held-out texts of each true class (rows)
    correct: bool  # adjusted classify-and-count beat plain averaging on held-out samples
    model_sd: float  # the scorer's own error on net sentiment, beyond sampling noise


def _languages(texts: list[str], languages: Any) -> np.ndarray:
    if languages is None:
        from cxlib.text import detect_language
        return detect_language(texts).to_numpy(dtype=object)
    if isinstance(languages, str):
        return np.array([languages] * len(texts), dtype=object)
    langs = pd.Series(list(languages), dtype="object")
    if len(langs) != len(texts):
        raise CxParameterError("languages", "the sentiment scorer", "one code per text", f"{len(langs)} codes",
                               f"for {len(texts)} texts")
    return langs.fillna("und").astype(str).str.lower().str[:2].to_numpy(dtype=object)


def _macro_f1(y: Sequence[str], proba: np.ndarray) -> float:
    """Macro-F1 over the classes present in ``y``, predicting the most likely of those classes (a binary
    label set, such as reviews without a neutral class, is not penalised for the third class)."""
    labels = sorted(set(y))
    present = np.array([c in labels for c in LABELS])
    pred = np.asarray(LABELS)[np.where(present, proba, -np.inf).argmax(axis=1)]
    return float(f1_score(y, pred, labels=labels, average="macro", zero_division=0))


def _net(shares: np.ndarray, denominator: str = "polar") -> np.ndarray:
    neg, pos = shares[..., 0], shares[..., 2]
    if denominator == "all":
        return pos - neg
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(pos + neg > 0, (pos - neg) / (pos + neg), np.nan)


def adjust_counts(shares: np.ndarray, confusion: np.ndarray) -> np.ndarray:
    """Adjusted classify-and-count on probabilities: the class shares ``p`` that explain the observed mean
    probabilities ``q = confusion.T @ p``, kept on the simplex.

    Examples
    --------
    >>> M = np.array([[0.8, 0.1, 0.1], [0.2, 0.6, 0.2], [0.1, 0.1, 0.8]])
    >>> np.round(adjust_counts(np.array([0.5, 0.2, 0.3]) @ M, M), 6).tolist()
    [0.5, 0.2, 0.3]
    """
    shares_in, shares = shares, np.atleast_2d(shares)
    try:
        p = np.linalg.solve(confusion.T, shares.T).T
    except np.linalg.LinAlgError:
        p = np.linalg.lstsq(confusion.T, shares.T, rcond=None)[0].T
    p = np.clip(p, 0, None)
    total = p.sum(axis=1, keepdims=True)
    out = np.where(total > 0, p / np.where(total > 0, total, 1), shares)
    return out[0] if np.ndim(shares_in) == 1 else out


def _check(y: np.ndarray, proba: np.ndarray, seed: int, draws: int = 400, size: int = 200) -> tuple[bool, float]:
    """Decide on held-out predictions whether confusion-matrix correction helps, and measure the scorer's
    error on net sentiment beyond sampling noise: cells of ``size`` texts drawn with random class mixes."""
    rng = np.random.default_rng(seed)
    onehot = (y[:, None] == np.asarray(LABELS)[None, :]).astype(float)
    present = onehot.sum(axis=0) > 0
    if present.sum() < 2:
        return False, 0.0
    confusion = np.array([proba[onehot[:, k] == 1].mean(axis=0) if present[k] else np.eye(3)[k] for k in range(3)])
    by_class = [np.flatnonzero(onehot[:, k]) for k in range(3)]
    raw_err, adj_err, sampling = [], [], []
    for _ in range(draws):
        mix = rng.dirichlet(np.where(present, 1.0, 1e-9))
        counts = rng.multinomial(size, mix / mix.sum())
        rows = np.concatenate([rng.choice(by_class[k], c) for k, c in enumerate(counts) if c and len(by_class[k])])
        truth = _net(onehot[rows].mean(axis=0))
        q = proba[rows].mean(axis=0)
        raw_err.append(_net(q) - truth)
        adj_err.append(_net(adjust_counts(q, confusion)) - truth)
        sampling.append(_polar_var(q, len(rows)))
    raw_err, adj_err = np.array(raw_err), np.array(adj_err)
    correct = bool(np.nanmean(adj_err ** 2) < np.nanmean(raw_err ** 2))
    err = adj_err if correct else raw_err
    return correct, float(np.sqrt(max(np.nanmean(err ** 2) - np.nanmean(sampling), 0.0)))


def _polar_var(shares: np.ndarray, n: float) -> float:
    """Sampling variance of (pos - neg) / (pos + neg) with n texts (delta method)."""
    neg, pos = shares[0], shares[2]
    polar = max(pos + neg, 1e-9)
    r = pos / polar
    return float(4 * r * (1 - r) / max(n * polar, 1e-9))


class SentimentScorer:
    """A sentiment scorer for mixed-language texts (see the module docstring for the three kinds).

    Parameters
    ----------
    kind : "lexicon", "trained" or "auto"
    seed : random seed of the models and the cross-validation
    min_labels : labels a language needs for a model of its own
    cv : folds of the cross-validation that measures each language's macro-F1 (0 skips the measurement;
        ``auto`` then trusts any language with ``min_labels`` labels)
    n_jobs : processes for predicting large inputs (more than 50,000 texts); None = all cores
    max_cv_labels : labels per language the cross-validation uses at most (a stratified sample, the same for the
        own and the pooled model); None = all. The final models learn from every label, so beyond this many labels
        the reported macro-F1 is a conservative estimate (e.g. airline tweets: 0.748 on a 5,000-label sample,
        0.775 with all 14,485 labels in the folds).
    features : "fast" (default), "rich" or "auto": the trained models' features. "fast": word n-grams, stems,
        endings, negation marks and the lexicon's word weights. "rich" adds character n-grams and each text's
        full lexicon reading (:class:`RichFeatures`): better on short texts (English airline tweets, 5-fold
        macro-F1 0.783 against 0.775), not on long reviews, and it predicts about 3 times slower (on 2 cores
        still about 1.5 times VADER's speed). "auto" measures every configuration of :data:`MODEL_CONFIGS` on
        the same folds per language and keeps the best (about six times the cross-validation time; the pooled model stays "fast"): the
        reported macro-F1 is then the best of three, slightly optimistic. ``feature_sets_`` says which was kept.

    Attributes (after ``fit``)
    ------------------------
    used_ : dict language -> "trained", "trained (pooled)" or "lexicon"
    quality_ : DataFrame, one row per language: language, labels, scorer, macro_f1 (cross-validated),
        lexicon_macro_f1 (the lexicon on the same labels), corrected (confusion-matrix correction applied in
        the index), model_sd (the scorer's error on net sentiment beyond sampling noise), features (the
        trained model's feature set, "" for the lexicon)
    feature_sets_ : dict language (or "*" for the pooled model) -> a key of :data:`MODEL_CONFIGS`
    config_scores_ : dict language -> {configuration: cross-validated macro-F1} of each configuration measured

    Examples
    --------
    >>> texts = ["great service", "awful, rude staff", "ok I guess"] * 40
    >>> labels = ["positive", "negative", "neutral"] * 40
    >>> s = make_scorer("trained", min_labels=50, cv=0).fit(texts, labels, languages="en")
    >>> s.predict(["rude staff"], languages="en").tolist(), s.used_
    (['negative'], {'en': 'trained'})
    """

    def __init__(self, kind: str = "auto", seed: int = 0, min_labels: int = MIN_LABELS, cv: int = 5,
                 n_jobs: int | None = None, max_cv_labels: int | None = MAX_CV_LABELS, features: str = "fast") -> None:
        if kind not in _KINDS:
            raise CxParameterError("kind", "sentiment.make_scorer", "one of 'lexicon', 'trained', 'auto' or the "
                                   "path of a saved scorer (.joblib)", kind)
        if isinstance(cv, bool) or not isinstance(cv, (int, np.integer)) or cv == 1 or cv < 0:
            raise CxParameterError("cv", "sentiment.make_scorer", "0 (no cross-validation) or an int >= 2", cv)
        if max_cv_labels is not None and (isinstance(max_cv_labels, bool) or not isinstance(max_cv_labels, int)
                                          or max_cv_labels < 100):
            raise CxParameterError("max_cv_labels", "sentiment.make_scorer", "None or an int >= 100", max_cv_labels)
        self.kind, self.seed, self.min_labels, self.cv, self.n_jobs = kind, seed, min_labels, cv, n_jobs
        if features not in FEATURE_SETS:
            raise CxParameterError("features", "sentiment.make_scorer", "'fast', 'rich' or 'auto'", features)
        self.max_cv_labels = max_cv_labels
        self.features = features
        self.models_: dict[str, Any] = {}
        self.used_: dict[str, str] = {}
        self.checks_: dict[str, _Check] = {}
        self.label_counts_: dict[str, int] = {}
        self.feature_sets_: dict[str, str] = {}
        self.config_scores_: dict[str, dict[str, float]] = {}
    # fitting -------------------------------------------------------------------------------------------
    def fit(self, texts: Iterable[Any], labels: Iterable[Any] | None = None,
            languages: Iterable[Any] | str | None = None) -> "SentimentScorer":
        """Learn from labelled texts (labels in negative/neutral/positive; None or NaN = unlabelled)."""
        with _cached_features():  # each text is analysed once, not once per fold
            return self._fit(texts, labels, languages)

    def _fit(self, texts: Iterable[Any], labels: Iterable[Any] | None,
             languages: Iterable[Any] | str | None) -> "SentimentScorer":
        texts = [t if isinstance(t, str) else "" for t in texts]
        langs = _languages(texts, languages)
        self.models_, self.used_, self.checks_, self.label_counts_ = {}, {}, {}, {}
        self.feature_sets_: dict[str, str] = {}
        self.config_scores_: dict[str, dict[str, float]] = {}
        if labels is None:
            y = np.array([None] * len(texts), dtype=object)
        else:
            y = pd.Series(list(labels), dtype="object").where(lambda s: s.isin(LABELS), None).to_numpy(dtype=object)
            if len(y) != len(texts):
                raise CxParameterError("labels", "SentimentScorer.fit", "one label per text", f"{len(y)} labels",
                                       f"for {len(texts)} texts")
        labelled = np.array([v is not None for v in y])
        if self.kind != "lexicon" and labels is not None and labelled.sum() == 0:
            raise CxDataError(None, "label", f"is empty: the '{self.kind}' scorer needs labelled texts and none of "
                              f"the {len(texts)} texts has a label (negative, neutral or positive) or a 1-5 rating",
                              hint="add a label or rating column, or use scorer='lexicon'")
        text_arr = np.asarray(texts, dtype=object)
        measured = self._cv_sample(labelled, langs, y)
        for lang in sorted(set(langs)):
            rows = labelled & (langs == lang)
            self.label_counts_[lang] = int(rows.sum())
            if self.kind == "lexicon":
                self.used_[lang] = "lexicon"
                continue
            enough = rows.sum() >= self.min_labels and len(set(y[rows])) >= 2
            if not enough:
                self.used_[lang] = "lexicon"
                continue
            cv_rows = rows & measured
            self._fit_language(lang, text_arr[rows].tolist(), y[rows], text_arr[cv_rows].tolist(), y[cv_rows])
        pooled_possible = labelled.sum() >= self.min_labels and len(set(y[labelled])) >= 2
        # one model per language or one over all of them, whichever measures better per language (same folds)
        own = [lang for lang, used in self.used_.items() if used == "trained"]
        if (self.kind != "lexicon" and own and pooled_possible and self.cv and self.cv >= 2
                and len(set(langs[labelled])) >= 2 and min(pd.Series(y[labelled]).value_counts()) >= self.cv):
            sub = labelled & measured
            lab_y, lab_langs = y[sub], langs[sub]
            held, held_labels = self._held_out("und", text_arr[sub].tolist(), lab_y, self._pooled_features())
            for lang in own:
                rows = lab_langs == lang
                pooled_f1 = float(f1_score(lab_y[rows], held_labels[rows], labels=sorted(set(lab_y[rows])),
                                           average="macro", zero_division=0))
                if pooled_f1 > self.checks_[lang].macro_f1:
                    self.used_[lang] = "trained (pooled)"
                    del self.models_[lang]
                    self.feature_sets_.pop(lang, None)
                    self._store_check(lang, lab_y[rows], held[rows], pooled_f1, self.checks_[lang].lexicon_f1)
        # a language without enough labels of its own: the pooled model (trained) or the lexicon (auto)
        short = [lang for lang in self.used_ if self.used_[lang] == "lexicon"]
        if self.kind == "trained" and short and pooled_possible:
            for lang in short:
                self.used_[lang] = "trained (pooled)"
        if "trained (pooled)" in self.used_.values():
            self.models_["*"] = _model("und", self.seed, self._pooled_features()).fit(text_arr[labelled].tolist(),
                                                                                      y[labelled])
            self.feature_sets_["*"] = self._pooled_features()
        for lang, rows in ((lang, labelled & (langs == lang)) for lang in list(self.used_)):
            if (self.used_[lang] != "trained" and lang not in self.checks_ and rows.sum() >= 30
                    and len(set(y[rows])) >= 2):
                self._check_fixed(lang, text_arr[rows].tolist(), y[rows])
        return self

    def _held_out(self, model_lang: str, texts: list[str], y: np.ndarray,
                  features: str = "fast") -> tuple[np.ndarray, np.ndarray]:
        """Cross-validated probabilities and labels of a model on its own labelled texts."""
        held = np.zeros((len(texts), 3))
        held_labels = np.empty(len(texts), dtype=object)
        folds = StratifiedKFold(self.cv, shuffle=True, random_state=self.seed)
        for train, test in folds.split(texts, y):
            m = _model(model_lang, self.seed, features).fit([texts[i] for i in train], y[train])
            held[test] = _as_proba(m, [texts[i] for i in test])
            held_labels[test] = _svm_labels(m, [texts[i] for i in test])
        return held, held_labels

    def _pooled_features(self) -> str:
        """The pooled model's features: as asked, "fast" when asked to choose (one model for all languages
        is measured once)."""
        requested = getattr(self, "features", "fast")
        return "fast" if requested == "auto" else requested

    def _cv_sample(self, labelled: np.ndarray, langs: np.ndarray, y: np.ndarray) -> np.ndarray:
        """The labelled rows the cross-validation uses: all, or a stratified sample of ``max_cv_labels`` per
        language (the same for the own and the pooled model, so they are compared on the same texts)."""
        keep = labelled.copy()
        if self.max_cv_labels is None:
            return keep
        rng = np.random.default_rng(self.seed)
        for lang in set(langs[labelled]):
            rows = np.flatnonzero(labelled & (langs == lang))
            if len(rows) <= self.max_cv_labels:
                continue
            keep[rows] = False
            share = self.max_cv_labels / len(rows)
            for label in set(y[rows]):  # stratified: each label keeps its share
                of = rows[y[rows] == label]
                keep[rng.choice(of, max(1, int(round(share * len(of)))), replace=False)] = True
        return keep

    def _fit_language(self, lang: str, texts: list[str], y: np.ndarray, cv_texts: list[str] | None = None,
                      cv_y: np.ndarray | None = None) -> None:
        model_lang = lang if lang in lexicon.LANGUAGES else "und"
        cv_texts, cv_y = (texts, y) if cv_texts is None else (cv_texts, cv_y)
        requested = getattr(self, "features", "fast")
        chosen = "fast" if requested == "auto" else requested
        if self.cv and self.cv >= 2 and min(pd.Series(cv_y).value_counts()) >= self.cv:
            best = None
            for feats in (tuple(MODEL_CONFIGS) if requested == "auto" else (chosen,)):   # same folds for all
                held, held_labels = self._held_out(model_lang, cv_texts, cv_y, feats)
                f1 = float(f1_score(cv_y, held_labels, labels=sorted(set(cv_y)), average="macro", zero_division=0))
                self.config_scores_.setdefault(lang, {})[feats] = f1
                if best is None or f1 > best[0]:
                    best = (f1, held, feats)
            f1, held, chosen = best
            lex = lexicon.predict_proba(cv_texts, model_lang).to_numpy()
            lex_f1 = _macro_f1(cv_y, lex)
            if self.kind == "auto" and lex_f1 >= f1:
                self.used_[lang] = "lexicon"
                self._store_check(lang, cv_y, lex, lex_f1, lex_f1)
                return
            self._store_check(lang, cv_y, held, f1, lex_f1)
        self.models_[lang] = _model(model_lang, self.seed, chosen).fit(texts, y)
        self.feature_sets_[lang] = chosen
        if lang != "*":
            self.used_[lang] = "trained"

    def _check_fixed(self, lang: str, texts: list[str], y: np.ndarray) -> None:
        """Measure the scorer used for a language (lexicon or pooled model) on its few labels."""
        proba = self._proba_for(lang, texts)
        if self.used_[lang] == "trained (pooled)":
            f1 = float(f1_score(y, _svm_labels(self.models_["*"], texts), labels=sorted(set(y)), average="macro",
                                zero_division=0))
        else:
            f1 = _macro_f1(y, proba)
        lex_f1 = _macro_f1(y, lexicon.predict_proba(texts, lang).to_numpy())
        self._store_check(lang, y, proba, f1, lex_f1)

    def _store_check(self, lang: str, y: np.ndarray, proba: np.ndarray, f1: float, lex_f1: float) -> None:
        onehot = (y[:, None] == np.asarray(LABELS)[None, :])
        confusion = np.array([proba[onehot[:, k]].mean(axis=0) if onehot[:, k].any() else np.eye(3)[k]
                              for k in range(3)])
        correct, model_sd = _check(np.asarray(y, dtype=object), proba, self.seed)
        self.checks_[lang] = _Check(f1, lex_f1, confusion, correct, model_sd)

    # predicting ----------------------------------------------------------------------------------------
    def _proba_for(self, lang: str, texts: list[str]) -> np.ndarray:
        used = self.used_.get(lang, "trained (pooled)" if "*" in self.models_ else "lexicon")
        if used == "trained":
            return _as_proba(self.models_[lang], texts)
        if used == "trained (pooled)" and "*" in self.models_:
            return _as_proba(self.models_["*"], texts)
        return lexicon.predict_proba(texts, lang if lang in lexicon.LANGUAGES else None).to_numpy()

    def _proba_chunk(self, texts: list[str], langs: np.ndarray) -> np.ndarray:
        out = np.zeros((len(texts), 3))
        for lang in pd.unique(langs):
            rows = np.flatnonzero(langs == lang)
            out[rows] = self._proba_for(lang, [texts[i] for i in rows])
        return out

    def predict_proba(self, texts: Iterable[Any], languages: Iterable[Any] | str | None = None) -> pd.DataFrame:
        """Probabilities of negative, neutral and positive per text (rows sum to 1).

        ``languages``: one ISO code per text, one code for all, or None to detect them.
        """
        index = texts.index if isinstance(texts, pd.Series) else None
        texts = [t if isinstance(t, str) else "" for t in texts]
        langs = _languages(texts, languages)
        jobs = self.n_jobs or joblib.cpu_count()
        if len(texts) > 50_000 and jobs > 1:
            bounds = np.linspace(0, len(texts), jobs + 1).astype(int)  # one part per process: the scorer is sent once to each
            parts = joblib.Parallel(n_jobs=jobs)(joblib.delayed(self._proba_chunk)(texts[a:b], langs[a:b])
                                                 for a, b in zip(bounds, bounds[1:]))
            proba = np.vstack(parts)
        else:
            proba = self._proba_chunk(texts, langs)
        return pd.DataFrame(proba, columns=list(LABELS), index=index)

    def predict(self, texts: Iterable[Any], languages: Iterable[Any] | str | None = None) -> np.ndarray:
        """The label per text: an array of "negative", "neutral", "positive".

        For a trained model, the linear SVM's own decision (balanced class weights, which serves macro-F1 and
        the smaller classes); for the lexicon, the most likely class. ``predict_proba`` is calibrated instead,
        for counting, so on a trained model its largest probability can differ from ``predict``.
        """
        texts = [t if isinstance(t, str) else "" for t in texts]
        langs = _languages(texts, languages)
        out = np.empty(len(texts), dtype=object)
        for lang in pd.unique(langs):
            rows = np.flatnonzero(langs == lang)
            part = [texts[i] for i in rows]
            used = self.used_.get(lang, "trained (pooled)" if "*" in self.models_ else "lexicon")
            model = self.models_.get(lang if used == "trained" else "*") if used.startswith("trained") else None
            if model is not None:
                out[rows] = _svm_labels(model, part)
            else:
                out[rows] = np.asarray(LABELS, dtype=object)[self._proba_for(lang, part).argmax(axis=1)]
        return out

    # reporting and persistence -------------------------------------------------------------------------
    @property
    def quality_(self) -> pd.DataFrame:
        rows = []
        for lang in sorted(self.used_):
            c = self.checks_.get(lang)
            rows.append({"language": lang, "labels": self.label_counts_.get(lang, 0), "scorer": self.used_[lang],
                         "macro_f1": c.macro_f1 if c else np.nan, "lexicon_macro_f1": c.lexicon_f1 if c else np.nan,
                         "corrected": bool(c.correct) if c else False, "model_sd": c.model_sd if c else np.nan,
                         "features": self._features_of(lang)})
        return pd.DataFrame(rows, columns=["language", "labels", "scorer", "macro_f1", "lexicon_macro_f1",
                                           "corrected", "model_sd", "features"])

    def _features_of(self, lang: str) -> str:
        """The feature set of the model that scores a language ("" for the lexicon)."""
        sets = getattr(self, "feature_sets_", {})
        used = self.used_.get(lang)
        if used == "trained":
            return sets.get(lang, "fast")
        if used == "trained (pooled)":
            return sets.get("*", "fast")
        return ""

    def save(self, path: str | Path) -> Path:
        """Save the fitted scorer (joblib, written atomically) for a scheduled run to reuse."""
        from cxlib.io import atomic_write_bytes
        import io as _io

        buf = _io.BytesIO()
        joblib.dump(self, buf, compress=3)
        return atomic_write_bytes(path, buf.getvalue())

    def __repr__(self) -> str:
        used = ", ".join(f"{k}: {v}" for k, v in sorted(self.used_.items())) or "not fitted"
        return f"SentimentScorer(kind={self.kind!r}; {used})"


def make_scorer(kind: str = "auto", seed: int = 0, **options: Any) -> SentimentScorer:
    """A sentiment scorer: ``"lexicon"``, ``"trained"``, ``"auto"``, or the path of a saved one (.joblib).

    ``options`` go to :class:`SentimentScorer` (``min_labels``, ``cv``, ``n_jobs``, ``max_cv_labels``). A lexicon scorer needs
    no ``fit``; the others learn from ``fit(texts, labels)``.

    Examples
    --------
    >>> make_scorer("lexicon").predict_proba(["Отличное обслуживание!"], languages="ru").columns.tolist()
    ['negative', 'neutral', 'positive']
    """
    if isinstance(kind, (str, Path)) and str(kind).endswith((".joblib", ".pkl")):
        return load_scorer(kind)
    return SentimentScorer(kind, seed=seed, **options)


def load_scorer(path: str | Path) -> SentimentScorer:
    """Load a scorer saved with :meth:`SentimentScorer.save`.

    Examples
    --------
    >>> load_scorer("models/sentiment.joblib")  # doctest: +SKIP
    """
    from cxlib.io import resolve_path

    p = resolve_path(path)
    if not p.is_file():
        raise CxDataError(str(path), None, "no saved scorer at this path",
                          hint="fit one in the sentiment notebook with save_model_path=..., or use scorer='auto'")
    obj = joblib.load(p)
    if not isinstance(obj, SentimentScorer):
        raise CxDataError(str(path), None, f"this file holds a {type(obj).__name__}, not a sentiment scorer",
                          hint="point scorer= at a file written by SentimentScorer.save")
    return obj


def scorer_summary(scorer: SentimentScorer) -> str:
    """One sentence per scorer kind in use: which languages were scored how.

    Examples
    --------
    >>> scorer_summary(make_scorer("lexicon").fit(["good"], languages="en"))
    'Lexicon (no training): en.'
    """
    names = {"trained": "Trained model", "trained (pooled)": "Model pooled over all languages",
             "lexicon": "Lexicon (no training)"}
    parts = []
    for kind, label in names.items():
        langs = sorted(k for k, v in scorer.used_.items() if v == kind)
        if langs:
            parts.append(f"{label}: {', '.join(langs)}.")
    return " ".join(parts)


# --- scoring mentions and the index ----------------------------------------------------------------------

_FREQS = {"D": "D", "day": "D", "daily": "D", "W": "W-SUN", "week": "W-SUN", "weekly": "W-SUN",
          "M": "M", "month": "M", "monthly": "M", "Q": "Q", "quarter": "Q"}


def period_start(created_at: pd.Series, freq: str = "W") -> pd.Series:
    """The start of each date's period: day, week (starting Monday) or month; time zones dropped (the local
    wall time is kept).

    Examples
    --------
    >>> period_start(pd.Series(["2025-03-12 10:00", "2025-03-16 23:59"]), "W").dt.strftime("%Y-%m-%d").tolist()
    ['2025-03-10', '2025-03-10']
    """
    from cxlib.health import _naive_dates

    if freq not in _FREQS:
        raise CxParameterError("freq", "sentiment.sentiment_index", "one of 'D', 'W', 'M', 'Q' (or 'day', 'week', "
                               "'month', 'quarter')", freq)
    when = created_at if pd.api.types.is_datetime64_any_dtype(created_at) else _naive_dates(created_at)
    if getattr(when.dt, "tz", None) is not None:
        # the local wall time, as for dates read from text with their offset: a post at 00:30 local time
        # belongs to that day whether the column was parsed before or not
        when = when.dt.tz_localize(None)
    return when.dt.to_period(_FREQS[freq]).dt.start_time.rename("period")


def score_mentions(mentions: pd.DataFrame, scorer: SentimentScorer | None = None,
                   use_ratings: bool = True) -> pd.DataFrame:
    """The mentions with their language (detected where missing) and sentiment probabilities.

    Adds ``language``, ``negative``, ``neutral``, ``positive`` (probabilities) and ``sentiment`` (the most
    likely label). A ``sentiment`` column already present (labels from elsewhere) is used as it is. Without a
    ``scorer``, ``make_scorer("auto")`` is fitted on the mentions' own labels (and ratings); an unfitted scorer
    is fitted the same way.

    Examples
    --------
    >>> m = pd.DataFrame({"text": ["Отличный сервис", "Livrare întârziată, nu recomand"]})
    >>> score_mentions(m, make_scorer("lexicon"))[["language", "sentiment"]].values.tolist()
    [['ru', 'positive'], ['ro', 'negative']]
    """
    from cxlib.text import detect_language

    if "text" not in mentions and not ("sentiment" in mentions and mentions["sentiment"].notna().any()):
        raise CxDataError(mentions.attrs.get("source"), "text", "is missing: scoring needs the text of each mention "
                          "(or a sentiment column with negative, neutral, positive)",
                          hint="map your text column with columns={'Your text column': 'text'}")
    out = mentions.copy()
    lang = out["language"].astype("string").str.lower().str[:2] if "language" in out else None
    missing = lang.isna() | (lang.str.strip() == "") if lang is not None else pd.Series(True, index=out.index)
    detected = detect_language(out.loc[missing, "text"]) if missing.any() else pd.Series(dtype=object)
    out["language"] = (lang.astype(object) if lang is not None else pd.Series(None, index=out.index, dtype=object))
    out.loc[missing, "language"] = detected.to_numpy()
    if "sentiment" in out and out["sentiment"].notna().any():
        lab = out["sentiment"].astype("string").str.strip().str.lower()
        bad = ~lab.isin(LABELS).fillna(False).astype(bool)
        if bad.any():
            raise CxDataError(mentions.attrs.get("source"), "sentiment", "has values other than negative, neutral, positive",
                              rows=list(np.flatnonzero(bad.to_numpy()) + 1), examples=out.loc[bad, "sentiment"].head(),
                              hint="fix or drop the sentiment column to let cxlib score the texts")
        for c in LABELS:
            out[c] = (lab == c).astype(float).to_numpy()
        return out
    if scorer is None:
        scorer = make_scorer("auto")
    if not scorer.used_:
        scorer.fit(out["text"], training_labels(out, use_ratings), languages=out["language"])
    proba = scorer.predict_proba(out["text"], languages=out["language"])
    for c in LABELS:
        out[c] = proba[c].to_numpy()
    out["sentiment"] = np.asarray(LABELS, dtype=object)[proba.to_numpy().argmax(axis=1)]
    return out


def _wilson(r: np.ndarray, n: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    with np.errstate(invalid="ignore", divide="ignore"):
        centre = (r + z * z / (2 * n)) / (1 + z * z / n)
        half = z * np.sqrt(r * (1 - r) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def sentiment_index(mentions: pd.DataFrame, scorer: SentimentScorer | None = None, freq: str = "W", *,
                    by: Sequence[str] = (), denominator: str = "polar", weight: str | None = None,
                    min_mentions: int = 30, correct: bool = True, confidence: float = 0.95) -> pd.DataFrame:
    """Net sentiment per brand x period (and ``by`` columns such as channel, language), with intervals and
    share of voice.

    Parameters
    ----------
    mentions : DataFrame with ``created_at``, ``brand``, ``text`` (and ``language``, ``reach``, labels ...).
        Uses its ``sentiment`` labels or ``negative``/``neutral``/``positive`` probabilities when present
        (e.g. from :func:`score_mentions`), else scores the texts with ``scorer``.
    scorer : a :class:`SentimentScorer`; default ``make_scorer("auto")`` fitted on the mentions' labels.
        Its cross-validated checks decide the confusion-matrix correction and the model-error part of the
        intervals; without them (lexicon, or labels from elsewhere) intervals hold sampling error only.
    freq : "D", "W" (weeks from Monday) or "M"
    denominator : "polar" = (positive - negative) / (positive + negative) (Talkwalker's definition, default)
        or "all" = (positive - negative) / all mentions including neutral
    weight : None (each mention counts once) or "reach": mentions weighted by log(1 + reach), so an outlet
        with a million followers counts more, but not a million times more; intervals use the effective n
    min_mentions : cells with fewer mentions are flagged ``low_volume`` (kept, not hidden)
    correct : apply adjusted classify-and-count where held-out labels showed that it helps

    Returns
    -------
    DataFrame: brand, period, [by ...], n, net_sentiment, ci_low, ci_high, share_of_voice, then negative,
    neutral, positive (estimated shares), low_volume, complete (False for a period the data cover only in
    part: the first or last, when the data start or end inside it). Every brand x period of the range appears (n = 0 where
    nobody wrote; net_sentiment NaN). ``attrs`` record the denominator, weighting, corrected languages and
    whether the intervals include the model error.

    Examples
    --------
    >>> m = pd.DataFrame({"id": range(4), "created_at": ["2025-03-10"] * 4, "brand": ["A", "A", "A", "B"],
    ...                   "sentiment": ["positive", "positive", "negative", "neutral"], "text": [""] * 4})
    >>> sentiment_index(m)[["brand", "n", "net_sentiment", "share_of_voice"]].round(3)
      brand  n  net_sentiment  share_of_voice
    0     A  3          0.333            0.75
    1     B  1            NaN            0.25
    """
    _check_index_options(denominator, weight, confidence)
    source = mentions.attrs.get("source")
    missing = [c for c in ("created_at", "brand", *by) if c not in mentions]
    if missing:
        raise CxDataError(source, missing[0], f"is missing: the index needs created_at, brand"
                          f"{''.join(', ' + b for b in by)}",
                          hint="map your columns with columns={'Your date': 'created_at', 'Your brand': 'brand'}"
                          if missing[0] not in by else f"leave {missing[0]!r} out of by=")
    if all(c in mentions for c in LABELS):
        scored = mentions
    else:
        if scorer is None and not ("sentiment" in mentions and mentions["sentiment"].notna().any()):
            scorer = make_scorer("auto")  # fitted by score_mentions; its checks then correct the index
        scored = score_mentions(mentions, scorer)
    aggregates = index_aggregates(scored, freq, by=by, weight=weight)
    return index_from_aggregates(aggregates, scorer, freq, by=by, denominator=denominator, weight=weight,
                                 min_mentions=min_mentions, correct=correct, confidence=confidence)


def _check_index_options(denominator: str, weight: str | None, confidence: float,
                         where: str = "sentiment.sentiment_index") -> None:
    if denominator not in ("polar", "all"):
        raise CxParameterError("denominator", where, "'polar' or 'all'", denominator)
    if weight not in (None, "reach"):
        raise CxParameterError("weight", where, "None or 'reach'", weight)
    if not (isinstance(confidence, (int, float)) and 0 < confidence < 1):
        raise CxParameterError("confidence", where, "a number between 0 and 1, e.g. 0.95", confidence)


#: The summed columns of :func:`index_aggregates` (additive: parts of the data combine by summing them).
AGGREGATE_SUMS = ("_n", "_w", "_w2", "_negative", "_neutral", "_positive")


def index_aggregates(scored: pd.DataFrame, freq: str = "W", *, by: Sequence[str] = (),
                     weight: str | None = None) -> pd.DataFrame:
    """The first step of :func:`sentiment_index`: scored mentions summed per brand x period x ``by`` x language.

    Parameters
    ----------
    scored : mentions with ``created_at``, ``brand``, ``negative``, ``neutral``, ``positive`` (probabilities, as
        :func:`score_mentions` adds them), optional ``language`` (else "und"), ``reach`` and the ``by`` columns.
    freq, by, weight : as in :func:`sentiment_index`

    Returns
    -------
    DataFrame: brand, period, [by ...], ``_lang``, then the sums ``_n`` (mentions), ``_w`` (weights), ``_w2``
    (squared weights), ``_negative``, ``_neutral``, ``_positive`` (weighted probabilities) and ``_first``,
    ``_last`` (first and last day of the group's mentions). Mentions without a date are left out. Sums are
    additive, so the aggregates of parts of the data (files, Dask partitions) combine into those of the whole
    by summing per key (``_first`` by min, ``_last`` by max): see :func:`combine_aggregates`.

    Examples
    --------
    >>> s = pd.DataFrame({"created_at": ["2025-03-10", "2025-03-11"], "brand": "A", "language": "en",
    ...                   "negative": [0.2, 0.6], "neutral": [0.2, 0.2], "positive": [0.6, 0.2]})
    >>> index_aggregates(s)[["brand", "_lang", "_n", "_positive"]].values.tolist()
    [['A', 'en', 2.0, 0.8]]
    """
    from cxlib.health import _naive_dates

    keys = ["brand", "period", *by]
    if "language" not in scored:
        scored = scored.assign(language="und")
    when = scored["created_at"]
    if not pd.api.types.is_datetime64_any_dtype(when) and freq in _FREQS:
        when = _naive_dates(when)  # parsed once for the period and the day
    w = np.log1p(pd.to_numeric(scored["reach"], errors="coerce").fillna(0).clip(lower=0).to_numpy()) \
        if weight == "reach" and "reach" in scored else np.ones(len(scored))
    frame = pd.DataFrame({"brand": scored["brand"].astype(str).to_numpy(),
                          "period": period_start(when, freq).to_numpy(),
                          **{b: scored[b].astype("string").fillna("(blank)").to_numpy() for b in by},
                          "_lang": scored["language"].astype(str).to_numpy(), "_n": 1.0, "_w": w, "_w2": w * w,
                          **{f"_{c}": w * scored[c].to_numpy(dtype=float) for c in LABELS},
                          "_day": period_start(when, "D").to_numpy()})
    frame = frame[frame["period"].notna()]
    groups = frame.groupby(keys + ["_lang"], observed=True, sort=False)
    g = groups[list(AGGREGATE_SUMS)].sum()
    g["_first"], g["_last"] = groups["_day"].min(), groups["_day"].max()
    return g.reset_index()


def combine_aggregates(parts: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """Aggregates of parts of the data (:func:`index_aggregates` per file or partition) as one: sums per key,
    first day by min, last day by max.

    Examples
    --------
    >>> s = pd.DataFrame({"created_at": ["2025-03-10", "2025-03-12"], "brand": "A", "language": "en",
    ...                   "negative": [0.2, 0.6], "neutral": [0.2, 0.2], "positive": [0.6, 0.2]})
    >>> whole = combine_aggregates([index_aggregates(s.iloc[:1]), index_aggregates(s.iloc[1:])])
    >>> whole[["_n", "_negative"]].values.tolist(), str(whole["_last"][0].date())
    ([[2.0, 0.8]], '2025-03-12')
    """
    parts = [p for p in parts if len(p)]
    if not parts:
        raise CxDataError(None, "created_at", "has no dates: no mention could be placed in a period",
                          hint="check the date column (map it with columns={'Your date': 'created_at'})",
                          reason="no_dates")
    both = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    keys = [c for c in both.columns if c not in (*AGGREGATE_SUMS, "_first", "_last")]
    groups = both.groupby(keys, observed=True, sort=False)
    g = groups[list(AGGREGATE_SUMS)].sum()
    g["_first"], g["_last"] = groups["_first"].min(), groups["_last"].max()
    return g.reset_index()


def index_from_aggregates(aggregates: pd.DataFrame, scorer: SentimentScorer | None = None, freq: str = "W", *,
                          by: Sequence[str] = (), denominator: str = "polar", weight: str | None = None,
                          min_mentions: int = 30, correct: bool = True, confidence: float = 0.95) -> pd.DataFrame:
    """The second step of :func:`sentiment_index`: the index from :func:`index_aggregates` (or
    :func:`combine_aggregates`). ``scorer`` supplies the per-language checks (confusion-matrix correction and
    model error); the other parameters are those of :func:`sentiment_index`, which documents the result.

    Examples
    --------
    >>> s = pd.DataFrame({"created_at": ["2025-03-10", "2025-03-11"], "brand": "A", "language": "en",
    ...                   "negative": [0.0, 0.0], "neutral": [0.0, 0.0], "positive": [1.0, 1.0]})
    >>> index_from_aggregates(index_aggregates(s))[["brand", "n", "net_sentiment", "complete"]].values.tolist()
    [['A', 2, 1.0, False]]
    """
    _check_index_options(denominator, weight, confidence)
    z = float(norm.ppf(0.5 + confidence / 2))
    keys = ["brand", "period", *by]
    g = aggregates.drop(columns=["_first", "_last"])
    shares = g[[f"_{c}" for c in LABELS]].to_numpy() / np.where(g["_w"] > 0, g["_w"], 1)[:, None]
    checks = scorer.checks_ if scorer is not None else {}
    model_sd = np.zeros(len(g))
    corrected = []
    for lang in pd.unique(g["_lang"]):
        c = checks.get(lang)
        if c is None:
            continue
        rows = (g["_lang"] == lang).to_numpy()
        if correct and c.correct:
            shares[rows] = adjust_counts(shares[rows], c.confusion)
            corrected.append(lang)
        model_sd[rows] = c.model_sd
    g[[f"_{c}" for c in LABELS]] = shares * g["_w"].to_numpy()[:, None]
    g["_sd"] = model_sd * g["_w"]
    cell = g.drop(columns="_lang").groupby(keys, observed=True, sort=False).sum()
    # every brand x period of the range (and every by-combination seen), so quiet periods show as gaps
    periods = pd.period_range(g["period"].min(), g["period"].max(), freq=_FREQS[freq]).start_time
    grid_parts = [sorted(g["brand"].unique()), periods] + [sorted(g[b].unique()) for b in by]
    cell = cell.reindex(pd.MultiIndex.from_product(grid_parts, names=keys), fill_value=0.0)
    W = cell["_w"].to_numpy()
    safe = np.where(W > 0, W, 1)
    p = cell[[f"_{c}" for c in LABELS]].to_numpy() / safe[:, None]
    n_eff = np.where(cell["_w2"] > 0, W ** 2 / np.where(cell["_w2"] > 0, cell["_w2"], 1), 0)
    sd = cell["_sd"].to_numpy() / safe
    net = np.where(W > 0, _net(p, denominator), np.nan)
    neg, pos = p[:, 0], p[:, 2]
    if denominator == "polar":
        lo_r, hi_r = _wilson(pos / np.where(pos + neg > 0, pos + neg, 1), n_eff * (pos + neg), z)
        lo_s, hi_s = 2 * lo_r - 1, 2 * hi_r - 1
    else:
        with np.errstate(invalid="ignore", divide="ignore"):
            se = np.sqrt(np.clip(pos + neg - (pos - neg) ** 2, 0, None) / n_eff)
        lo_s, hi_s = net - z * se, net + z * se
    lo = np.clip(net - np.sqrt((net - lo_s) ** 2 + (z * sd) ** 2), -1, 1)
    hi = np.clip(net + np.sqrt((hi_s - net) ** 2 + (z * sd) ** 2), -1, 1)
    out = cell.index.to_frame(index=False)
    n = cell["_n"].to_numpy().astype(int)
    out["n"] = n
    out["net_sentiment"], out["ci_low"], out["ci_high"] = net, np.where(W > 0, lo, np.nan), np.where(W > 0, hi, np.nan)
    total = out.groupby(["period", *by])["n"].transform("sum").to_numpy()
    out["share_of_voice"] = np.where(total > 0, n / np.where(total > 0, total, 1), np.nan)
    for j, c in enumerate(LABELS):
        out[c] = np.where(W > 0, p[:, j], np.nan)
    out["low_volume"] = n < min_mentions
    # a period the data covers only in part (the data start or end inside it): its volume is not comparable
    first_day, last_day = aggregates["_first"].min(), aggregates["_last"].max()
    ends = (pd.PeriodIndex(out["period"], freq=_FREQS[freq]) + 1).start_time - pd.Timedelta(days=1)
    out["complete"] = (out["period"] >= first_day).to_numpy() & (ends <= last_day)
    out = out.sort_values(["brand", "period", *by], kind="stable").reset_index(drop=True)
    out.attrs.update({"denominator": denominator, "weight": weight or "none", "freq": freq,
                      "corrected_languages": sorted(corrected), "confidence": confidence,
                      "model_error_included": sorted(k for k, v in checks.items() if v.model_sd > 0),
                      "min_mentions": min_mentions})
    return out


def select_mentions(mentions: pd.DataFrame, brands: Sequence[str] = (), start: str | None = None,
                    end: str | None = None, languages: Sequence[str] = ()) -> pd.DataFrame:
    """The mentions of the given brands, date range (inclusive, by day) and languages; empty = no filter.

    Raises a :class:`CxDataError` naming the brands found when none of the asked brands occurs.

    Examples
    --------
    >>> m = pd.DataFrame({"brand": ["A", "B", "C"], "created_at": ["2025-01-01", "2025-02-01", "2025-03-01"]})
    >>> select_mentions(m, ["A", "B"], start="2025-01-15")["brand"].tolist()
    ['B']
    """
    from cxlib.health import _naive_dates

    keep = pd.Series(True, index=mentions.index)
    if brands:
        found = set(mentions["brand"].astype(str))
        missing = [b for b in brands if b not in found]
        if len(missing) == len(brands):
            raise CxDataError(mentions.attrs.get("source"), "brand", f"has none of the brands asked for ({', '.join(map(str, brands))})",
                              examples=sorted(found)[:5], hint="set our_brand and competitors to names as they are "
                              "written in the brand column")
        keep &= mentions["brand"].astype(str).isin([str(b) for b in brands])
    when = _naive_dates(mentions["created_at"]) if (start or end) else None
    if start:
        keep &= when >= pd.Timestamp(start)
    if end:
        keep &= when < pd.Timestamp(end) + pd.Timedelta(days=1)
    if languages and "language" in mentions:
        keep &= mentions["language"].astype("string").str.lower().isin([l.lower() for l in languages]).fillna(False)
    return mentions[keep.astype(bool)]


def sentiment_mix(scored: pd.DataFrame, by: str) -> pd.DataFrame:
    """Mentions and their mean sentiment shares per group (language, channel, brand ...), largest first.

    Examples
    --------
    >>> s = pd.DataFrame({"language": ["en", "en", "ru"], "negative": [1., 0., 0.], "neutral": [0., 0., 1.],
    ...                   "positive": [0., 1., 0.]})
    >>> sentiment_mix(s, "language").values.tolist()
    [['en', 2, 0.5, 0.0, 0.5, 0.0], ['ru', 1, 0.0, 1.0, 0.0, nan]]
    """
    g = scored.assign(**{by: scored[by].astype("string").fillna("(blank)")}).groupby(by, observed=True)
    out = g[list(LABELS)].mean()
    out.insert(0, "n", g.size())
    out["net_sentiment"] = _net(out[list(LABELS)].to_numpy())
    return out.reset_index().sort_values("n", ascending=False, kind="stable").reset_index(drop=True)


def describe_index(index: pd.DataFrame, our_brand: str | None = None) -> str:
    """A paragraph on the latest complete period (see ``complete``): each brand's net sentiment with its interval, our rank and
    share of voice, and the definition used.

    Examples
    --------
    >>> idx = pd.DataFrame({"brand": ["A", "B"], "period": pd.to_datetime(["2025-03-10"] * 2), "n": [300, 200],
    ...     "net_sentiment": [0.25, 0.10], "ci_low": [0.15, -0.02], "ci_high": [0.34, 0.22],
    ...     "share_of_voice": [0.6, 0.4], "low_volume": [False, False]})
    >>> idx.attrs["denominator"] = "polar"
    >>> print(describe_index(idx, "A"))
    Period of 2025-03-10: A has net sentiment 0.25 (95 % interval 0.15 to 0.34, 300 mentions, 60 % share of voice), 1st of 2 brands. B 0.10 (-0.02 to 0.22). Net sentiment = (positive - negative) / (positive + negative).
    """
    definition = ("Net sentiment = (positive - negative) / (positive + negative)." if
                  index.attrs.get("denominator", "polar") == "polar" else
                  "Net sentiment = (positive - negative) / all mentions, neutral included.")
    full = index[index["n"] > 0]
    if full.empty:
        return "No mentions in the selected range. " + definition
    if "complete" in full and full["complete"].any():
        full = full[full["complete"]]
    last = full["period"].max()
    now = full[full["period"] == last].sort_values("net_sentiment", ascending=False)
    parts = [f"Period of {pd.Timestamp(last):%Y-%m-%d}:"]
    others = now
    if our_brand is not None and (now["brand"] == our_brand).any():
        r = now[now["brand"] == our_brand].iloc[0]
        rank = int((now["net_sentiment"] > r["net_sentiment"]).sum()) + 1
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(rank if rank < 20 else rank % 10, "th")
        parts.append(f"{our_brand} has net sentiment {r['net_sentiment']:.2f} (95 % interval {r['ci_low']:.2f} to "
                     f"{r['ci_high']:.2f}, {int(r['n']):,} mentions, {100 * r['share_of_voice']:.0f} % share of voice), "
                     f"{rank}{suffix} of {len(now)} brands.")
        others = now[now["brand"] != our_brand]
    parts.append(" ".join(f"{r.brand} {r.net_sentiment:.2f} ({r.ci_low:.2f} to {r.ci_high:.2f})." for r in
                          others.itertuples()))
    low = now[now["low_volume"]]
    if len(low):
        parts.append(f"Few mentions (under {index.attrs.get('min_mentions', 30)}) for {', '.join(low['brand'])}: "
                     "read their figures with care.")
    return " ".join(p for p in parts if p) + " " + definition


def flag_mentions(mentions: pd.DataFrame) -> pd.DataFrame:
    """The mentions with quality flags: ``duplicate`` ("exact", "near" or ""; within one brand), ``duplicate_of``
    and ``spam_likeness`` (0-1) with ``spam`` (flag), from :mod:`cxlib.mentions_quality`. Nothing is dropped.

    Examples
    --------
    >>> m = pd.DataFrame({"text": ["Courier late again", "Courier late again", "PROMO CODE X7K2LM -70% https://x.co"]})
    >>> flag_mentions(m)[["duplicate", "spam"]].values.tolist()
    [['', False], ['exact', False], ['', True]]
    """
    from cxlib.mentions_quality import find_duplicates, spam_signals

    order = pd.to_datetime(mentions["created_at"], errors="coerce", format="mixed", utc=True) \
        .argsort(kind="stable").to_numpy() if "created_at" in mentions else np.arange(len(mentions))
    ordered = mentions.iloc[order]
    texts = ordered["text"].astype("string").fillna("")
    if "brand" in ordered:  # a copy is a copy within one brand: "@Velora thanks" is not a copy of "@Kvant thanks"
        texts = ordered["brand"].astype("string").fillna("") + " ¦ " + texts
    dup = find_duplicates(texts.reset_index(drop=True))
    first = dup["duplicate_of"].to_numpy(dtype=float, na_value=np.nan)
    first_id = np.where(np.isnan(first), -1, order[np.nan_to_num(first, nan=0).astype(int)])
    out = mentions.copy()
    out["duplicate"] = ""
    out["duplicate_of"] = pd.array([pd.NA] * len(out), dtype="Int64")
    out.iloc[order, out.columns.get_loc("duplicate")] = dup["duplicate"].to_numpy()
    out.iloc[order, out.columns.get_loc("duplicate_of")] = pd.Series(first_id).where(first_id >= 0).astype("Int64").array
    spam = spam_signals(mentions)
    out["spam_likeness"], out["spam"] = spam["spam_likeness"].to_numpy(), spam["spam"].to_numpy()
    return out


def describe_flags(flagged: pd.DataFrame) -> str:
    """One sentence on duplicates and spam-like mentions and what the index does with them.

    Examples
    --------
    >>> f = pd.DataFrame({"duplicate": ["", "exact", "near", ""], "spam": [False, False, False, True]})
    >>> print(describe_flags(f))
    Of 4 mentions, 1 exact and 1 near duplicate (copies and reposts) and 1 spam-like (promotion, template posts) are left out of the index; 1 remain.
    """
    exact = int((flagged["duplicate"] == "exact").sum())
    near = int((flagged["duplicate"] == "near").sum())
    spam = int(flagged["spam"].sum())
    kept = int(((flagged["duplicate"] == "") & ~flagged["spam"].astype(bool)).sum())
    return (f"Of {len(flagged):,} mentions, {exact:,} exact and {near:,} near duplicate (copies and reposts) and "
            f"{spam:,} spam-like (promotion, template posts) are left out of the index; {kept:,} remain.")


def describe_mentions(flagged: pd.DataFrame) -> str:
    """The report's opening sentence: how many mentions of how many brands over which days, then
    :func:`describe_flags`.

    Examples
    --------
    >>> f = pd.DataFrame({"brand": ["A", "B"], "created_at": pd.to_datetime(["2025-01-02", "2025-03-04"]),
    ...                   "duplicate": ["", ""], "spam": [False, False]})
    >>> describe_mentions(f).split(". Of")[0]
    '**2** mentions of **2** brands from 2025-01-02 to 2025-03-04'
    """
    when = pd.to_datetime(flagged["created_at"], errors="coerce")
    return (f"**{len(flagged):,}** mentions of **{flagged['brand'].nunique()}** brands from {when.min():%Y-%m-%d} "
            f"to {when.max():%Y-%m-%d}. " + describe_flags(flagged))


def keep_mentions(flagged: pd.DataFrame, drop_duplicates: bool = True, drop_spam: bool = True) -> pd.DataFrame:
    """The mentions that go into the analysis: flagged duplicates and spam-like mentions left out (by default).

    Examples
    --------
    >>> f = pd.DataFrame({"duplicate": ["", "exact", ""], "spam": [False, False, True]})
    >>> len(keep_mentions(f)), len(keep_mentions(f, drop_duplicates=False)), len(keep_mentions(f, False, False))
    (1, 2, 3)
    """
    keep = pd.Series(True, index=flagged.index)
    if drop_duplicates:
        keep &= flagged["duplicate"].fillna("").astype(str) == ""
    if drop_spam:
        keep &= ~flagged["spam"].fillna(False).astype(bool)
    return flagged[keep]


def next_steps(index: pd.DataFrame, alerts: pd.DataFrame, scorer: SentimentScorer | None,
               our_brand: str) -> str:
    """Markdown bullets of the actions the numbers support: alerts to read, gaps to competitors whose
    intervals do not overlap, languages scored without labels, thin cells.

    Examples
    --------
    >>> idx = pd.DataFrame({"brand": ["A", "B"], "period": pd.to_datetime(["2025-03-10"] * 2), "n": [300, 200],
    ...     "net_sentiment": [0.05, 0.40], "ci_low": [-0.05, 0.30], "ci_high": [0.15, 0.50], "low_volume": False})
    >>> print(next_steps(idx, pd.DataFrame(columns=["brand", "kind", "period"]), None, "A"))
    - A is behind B in the latest period (0.05 against 0.40; the intervals do not overlap): compare the aspects in the competitor SWOT report.
    """
    bullets = []
    mine = alerts[(alerts["brand"] == our_brand) & (alerts["kind"] != "sentiment rise")] if len(alerts) else alerts
    for r in mine.head(2).itertuples():
        bullets.append(f"Read the mentions of the {r.kind} in the period of {pd.Timestamp(r.period):%Y-%m-%d} "
                       "(section 6) and route the top complaints to the teams that own them.")
    full = index[index["n"] > 0]
    if len(full):
        last = full[full["period"] == full["period"].max()]
        ours = last[last["brand"] == our_brand]
        if len(ours):
            o = ours.iloc[0]
            for r in last[last["brand"] != our_brand].itertuples():
                if r.ci_low > o["ci_high"]:
                    bullets.append(f"{our_brand} is behind {r.brand} in the latest period ({o['net_sentiment']:.2f} "
                                   f"against {r.net_sentiment:.2f}; the intervals do not overlap): compare the "
                                   "aspects in the competitor SWOT report.")
    if scorer is not None:
        unlabelled = sorted(k for k, v in scorer.used_.items() if v != "trained" and k in lexicon.LANGUAGES)
        if unlabelled:
            bullets.append(f"Label about {MIN_LABELS} mentions in {', '.join(unlabelled)} (negative/neutral/positive) "
                           "so a trained model can replace the lexicon there and the intervals include its error.")
    if index["low_volume"].mean() > 0.25:
        bullets.append(f"{index['low_volume'].mean():.0%} of the cells have fewer than "
                       f"{index.attrs.get('min_mentions', 30)} mentions: a longer period (month) gives steadier figures.")
    return "\n".join(f"- {b}" for b in bullets) or "- Nothing stands out: keep the weekly run and watch the alerts."
