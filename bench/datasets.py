"""Loaders for the real public datasets in ``../shared/datasets`` (never copied into this repository).

Shared by the ``bench/`` scripts and the ``tests/realdata`` tests. Each loader returns a DataFrame with at
least ``text`` and ``label`` (negative/neutral/positive), or ``None`` when the file is absent.

    >>> from bench.datasets import airline_tweets   # doctest: +SKIP
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

DATASETS = Path(__file__).resolve().parents[2] / "shared" / "datasets"


def _path(*parts: str) -> Path | None:
    p = DATASETS.joinpath(*parts)
    return p if p.is_file() else None


def airline_tweets() -> pd.DataFrame | None:
    """Tweets.csv: 14,640 English tweets about 6 US airlines, 3 classes; duplicated tweet ids dropped.

    Columns: id, created_at, brand (airline), text, label, negativereason.
    """
    p = _path("twitter_airline_sentiment", "Tweets.csv")
    if p is None:
        return None
    d = pd.read_csv(p).drop_duplicates("tweet_id")
    return pd.DataFrame({"id": d["tweet_id"].astype(str), "created_at": d["tweet_created"], "brand": d["airline"],
                         "text": d["text"], "label": d["airline_sentiment"],
                         "negativereason": d["negativereason"]}).reset_index(drop=True)


def laroseda() -> pd.DataFrame | None:
    """LaRoSeDa: 15,000 Romanian product reviews, stars 1-2 negative, 4-5 positive (no 3-star reviews).

    Columns: text (title + ". " + content), rating (int), label.
    """
    files = [_path("ro_laroseda", f"{k}_reviews.json") for k in ("positive", "negative")]
    if any(f is None for f in files):
        return None
    rows = [r for f in files for r in json.loads(f.read_text(encoding="utf-8"))["reviews"]]
    rating = pd.Series([int(r["starRating"]) for r in rows])
    return pd.DataFrame({"text": [f"{r['title']}. {r['content']}" for r in rows], "rating": rating,
                         "label": rating.map(lambda s: "negative" if s <= 2 else "neutral" if s == 3 else "positive")})


def bulgarian_tweets() -> pd.DataFrame | None:
    """Bulgarian tweets (Mozetič et al. 2016, an 80 % sample): 8,660 tweets, positive/negative only."""
    p = _path("bg_twitter", "bulgarian_twitter_sentiment_dev.csv")
    if p is None:
        return None
    d = pd.read_csv(p)
    return pd.DataFrame({"id": d["tweet_id"].astype(str), "text": d["text"], "label": d["label"].str.lower()})


def sentirueval_restaurants() -> pd.DataFrame | None:
    """SentiRuEval-2015 Russian restaurant reviews (404), with the whole-review sentiment and aspect labels.

    Columns: text, label (from ``sent_Whole``: positive/negative/neutral; "both" kept as "both"), the
    ``sent_Food``/``sent_Interior``/``sent_Price``/``sent_Service`` columns and the 0-10 scores.
    """
    p = _path("ru_sentirueval2015_restaurants", "restaurant_reviews_flat.csv")
    if p is None:
        return None
    d = pd.read_csv(p)
    return d.assign(label=d["sent_Whole"])
