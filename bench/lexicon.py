"""Benchmark of the no-training lexicon scorer (``cxlib.lexicon``) on the real sentiment datasets, against VADER.

    .venv/bin/python bench/lexicon.py [--n 0] [--seed 0]

Sets (from ``../shared/datasets`` through ``bench/datasets.py``; a missing one is skipped):

- ``airline``: Tweets.csv, 14,485 English tweets about US airlines (duplicate ids dropped), three classes
  negative / neutral / positive; scored as ``"en"`` (VADER plus ``data/lexicons/en.yaml``);
- ``laroseda``: LaRoSeDa, 15,000 Romanian product reviews, negative (1-2 stars) / positive (4-5 stars), half each;
  scored as ``"ro"``;
- ``bg_tweets``: 8,660 Bulgarian tweets (Mozetič et al. 2016), negative / positive; scored as ``"bg"``.

``--n`` scores a random sample of that many texts per set (``--seed``); 0, the default, scores every text.

How a label is predicted, and so how macro-F1 is computed (:func:`lexicon_labels`, :func:`macro_f1`):

- three-class set: exactly :func:`cxlib.lexicon.predict` (the most probable of negative / neutral / positive;
  ties to neutral, then negative);
- two-class set (no neutral label exists): the larger of P(negative) and P(positive), i.e. the side with more
  lexicon evidence; a tie, including a text with no evidence at all, counts as negative. A neutral answer could
  never be right there, so it is not offered. What that choice is worth is printed next to it: ``F1 ties pos``
  sends ties to positive instead, ``F1 3-way`` scores :func:`cxlib.lexicon.predict` as it is (a "neutral" counting
  as a miss), and ``no evidence`` is the share of texts with equal positive and negative evidence (mostly none),
  which the tie rule alone decides.

Macro-F1 is the unweighted mean of the per-class F1 over the classes of the set's labels (scikit-learn's
``f1_score(average="macro")``).

VADER baseline (English only): the plain ``vaderSentiment`` analyzer on the raw tweet, with the thresholds its
authors recommend: compound >= 0.05 positive, <= -0.05 negative, neutral in between.

Speed: texts/s of one ``lexicon.predict_proba`` call over the whole set and of VADER's ``polarity_scores`` over
the same texts, in the same run, after loading (lexicons, VADER's word list) outside the clock. The English
lexicon runs VADER itself underneath, so it cannot be faster than VADER there.

Issue targets (:data:`TARGETS`): macro-F1 above VADER's on the airline tweets, >= 0.70 on LaRoSeDa, >= 0.60 on
the Bulgarian tweets. ``tests/realdata/test_lexicon_realdata.py`` asserts them with these same functions.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import f1_score

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import datasets  # noqa: E402  (bench/datasets.py)

from cxlib import lexicon  # noqa: E402

#: set name -> (loader, language code the texts are scored with)
SETS: dict[str, tuple[Callable[[], pd.DataFrame | None], str]] = {
    "airline": (datasets.airline_tweets, "en"),
    "laroseda": (datasets.laroseda, "ro"),
    "bg_tweets": (datasets.bulgarian_tweets, "bg"),
}
#: macro-F1 floors of the issue; "vader" means: above VADER's macro-F1 on the same texts
TARGETS: dict[str, float | str] = {"airline": "vader", "laroseda": 0.70, "bg_tweets": 0.60}
#: VADER's recommended compound thresholds (Hutto & Gilbert, vaderSentiment README)
VADER_POSITIVE, VADER_NEGATIVE = 0.05, -0.05


def load(name: str, n: int = 0, seed: int = 0) -> pd.DataFrame | None:
    """``text`` and ``label`` of one set (all rows, or a random ``n``), or None when its files are absent."""
    d = SETS[name][0]()
    if d is None:
        return None
    d = d.loc[d["text"].notna(), ["text", "label"]].reset_index(drop=True)
    if 0 < n < len(d):
        d = d.sample(n, random_state=seed).reset_index(drop=True)
    return d


def classes_of(labels: Sequence[str]) -> list[str]:
    """The classes present in the labels, in the order negative, neutral, positive."""
    present = set(labels)
    return [c for c in lexicon.CLASSES if c in present]


def labels_from_proba(proba: pd.DataFrame, classes: Sequence[str], ties_to: str = "negative") -> np.ndarray:
    """The most probable of ``classes`` per row of :func:`cxlib.lexicon.predict_proba` (see the module docstring).

    With all three classes this is :func:`cxlib.lexicon.predict`; without neutral it is the side with more
    evidence, ties to negative (``ties_to="positive"`` shows how much the tie rule matters).
    """
    polar = ("negative", "positive") if ties_to == "negative" else ("positive", "negative")
    order = [c for c in ("neutral", *polar) if c in classes]  # predict's tie order
    return np.asarray(order, dtype=object)[proba[order].to_numpy().argmax(axis=1)]


def lexicon_labels(texts: Sequence[str], language: str, classes: Sequence[str]) -> np.ndarray:
    """The lexicon's label of each text, choosing only among ``classes``."""
    return labels_from_proba(lexicon.predict_proba(texts, language), classes)


def vader_labels(texts: Sequence[str], analyzer=None) -> np.ndarray:
    """Plain VADER with the standard compound thresholds (>= 0.05 positive, <= -0.05 negative)."""
    if analyzer is None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
        analyzer = SentimentIntensityAnalyzer()
    compound = np.array([analyzer.polarity_scores(t)["compound"] for t in texts])
    return np.where(compound >= VADER_POSITIVE, "positive",
                    np.where(compound <= VADER_NEGATIVE, "negative", "neutral")).astype(object)


def macro_f1(y_true: Sequence[str], y_pred: Sequence[str], classes: Sequence[str]) -> float:
    """Unweighted mean F1 over ``classes``; a prediction outside them (a "neutral" on a binary set) is a miss."""
    return float(f1_score(list(y_true), list(y_pred), labels=list(classes), average="macro", zero_division=0))


def evaluate(name: str, n: int = 0, seed: int = 0) -> dict | None:
    """Macro-F1 of the lexicon (and of VADER on English) on one set, with texts/s; None when the set is absent."""
    d = load(name, n, seed)
    if d is None:
        return None
    language = SETS[name][1]
    texts, y = d["text"].tolist(), d["label"].to_numpy()
    classes = classes_of(y)
    lexicon.predict_proba(texts[:50], language)  # loading the lexicon is not throughput
    t0 = time.perf_counter()
    proba = lexicon.predict_proba(texts, language)
    lex_s = time.perf_counter() - t0
    pred = labels_from_proba(proba, classes)
    row = {"set": name, "language": language, "n": len(texts), "classes": "/".join(c[:3] for c in classes),
           "lexicon F1": macro_f1(y, pred, classes),
           "F1 ties pos": macro_f1(y, labels_from_proba(proba, classes, "positive"), classes),
           "F1 3-way": macro_f1(y, labels_from_proba(proba, lexicon.CLASSES), classes) if len(classes) < 3 else np.nan,
           "no evidence": float((proba["positive"] == proba["negative"]).mean()),
           "VADER F1": np.nan, "lexicon texts/s": len(texts) / lex_s, "VADER texts/s": np.nan}
    if language == "en":
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
        analyzer = SentimentIntensityAnalyzer()
        t0 = time.perf_counter()
        vpred = vader_labels(texts, analyzer)
        row["VADER texts/s"] = len(texts) / (time.perf_counter() - t0)
        row["VADER F1"] = macro_f1(y, vpred, classes)
    target = TARGETS[name]
    floor = row["VADER F1"] if target == "vader" else target
    row["target"] = f"> VADER {floor:.3f}" if target == "vader" else f">= {floor:.2f}"
    row["met"] = bool(row["lexicon F1"] > floor) if target == "vader" else bool(row["lexicon F1"] >= floor)
    return row


def main(argv: Sequence[str] | None = None) -> pd.DataFrame:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=0, help="texts per set, a random sample (0 = all)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the sample")
    args = parser.parse_args(argv)
    rows = [r for name in SETS if (r := evaluate(name, args.n, args.seed)) is not None]
    missing = [name for name in SETS if name not in {r["set"] for r in rows}]
    table = pd.DataFrame(rows).set_index("set") if rows else pd.DataFrame()
    with pd.option_context("display.width", 200, "display.max_columns", 20, "display.float_format", "{:.3f}".format):
        print(table if rows else f"no dataset found under {datasets.DATASETS}")
    if missing:
        print(f"skipped (files absent under {datasets.DATASETS}): {', '.join(missing)}")
    return table


if __name__ == "__main__":
    main()
