"""Deterministic sample data with planted ground truth: ``python -m cxlib.sample --out data/sample --seed 42``.

Four inputs, one per kind of :mod:`cxlib.schemas` (DESIGN.md section 4), plus a README describing them:

- ``mentions.csv``: online mentions of our brand (:data:`OUR_BRAND`) and three competitors in five languages
  (en, ru, ro, bg, hy), 2024-07-01 .. 2025-12-31, with a sentiment dip of our brand in the outage week
  :data:`DIP_WEEK_START`, a competitor weak on one aspect (:data:`WEAK_COMPETITOR`, :data:`WEAK_ASPECT`),
  duplicates, spam, fake personal data and a few HTML snippets.
- ``touchpoints.csv``: the 16 touchpoints of the survey, each with its journey stage and group.
- ``survey.csv``: touchpoint ratings whose true effects on overall satisfaction are :data:`DRIVER_WEIGHTS`.
- ``customers.csv``: a churn table drawn from a logistic model with the log-odds :data:`CHURN_DRIVERS`.

Same seed, byte-identical files: every random draw comes from ``numpy.random.Generator(PCG64([stream, seed]))``,
rows are in a fixed order, numbers are formatted explicitly and nothing depends on time, locale or hashing.
Everything is synthetic: no real people, and the e-mail addresses, phone and card numbers are fake.
"""
from __future__ import annotations

import argparse
import copy
import functools
import itertools
import re
import sys
import textwrap
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from statistics import NormalDist

import numpy as np
import pandas as pd
import yaml

from cxlib.errors import CxParameterError

__all__ = [
    "OUR_BRAND", "COMPETITORS", "BRANDS", "DIP_WEEK_START", "WEAK_COMPETITOR", "WEAK_ASPECT", "DRIVER_WEIGHTS",
    "CHURN_DRIVERS", "CHURN_INTERCEPT", "CHURN_SCALES", "NOISE_TOUCHPOINT", "ASPECTS", "LANGUAGE_SHARES",
    "TOUCHPOINTS", "SAMPLE_ROWS", "load_phrases", "expand_all", "make_mentions", "make_survey", "make_touchpoints",
    "make_customers", "write_sample", "text_pool", "write_mentions_set", "main",
]

# --- ground truth --------------------------------------------------------------------------------------------
OUR_BRAND = "Velora"
COMPETITORS = ("Brightel", "Kvant", "Meridian")
BRANDS = (OUR_BRAND, *COMPETITORS)
PERIOD_START, PERIOD_END = "2024-07-01", "2025-12-31"
DIP_WEEK_START = "2025-03-10"  # a Monday: the week of Velora's phone and billing outage
DIP_VOLUME_FACTOR = 3.0  # Velora's mentions that week, relative to an ordinary week
DIP_SENTIMENT = {"negative": 0.78, "neutral": 0.14, "positive": 0.08}
DIP_ASPECTS = {"phone_access": 0.42, "billing": 0.30, "waiting": 0.18, "staff_politeness": 0.05, "quality": 0.05}
WEAK_COMPETITOR = "Kvant"
WEAK_ASPECT = "delivery"
WEAK_ASPECT_NEGATIVE = {"Velora": 0.30, "Brightel": 0.30, "Kvant": 0.80, "Meridian": 0.30}
NOISE_TOUCHPOINT = "parking_signage"

ASPECTS = ("waiting", "staff_politeness", "price", "quality", "cleanliness", "phone_access", "delivery", "billing")
ASPECT_SHARES = (0.13, 0.16, 0.14, 0.15, 0.08, 0.11, 0.13, 0.10)
SENTIMENTS = ("negative", "neutral", "positive")
LANGUAGE_SHARES = {"en": 0.35, "ru": 0.25, "ro": 0.15, "bg": 0.15, "hy": 0.10}
SHARE_OF_VOICE = {"Velora": 0.40, "Brightel": 0.24, "Kvant": 0.19, "Meridian": 0.17}
# (negative, neutral, positive) outside the dip and the weak aspect: Meridian best, Kvant worst
BRAND_SENTIMENT = {"Velora": (0.27, 0.31, 0.42), "Brightel": (0.30, 0.32, 0.38),
                   "Kvant": (0.36, 0.32, 0.32), "Meridian": (0.20, 0.30, 0.50)}
CHANNELS = ("social", "forum", "review_site", "news", "complaint_book")
CHANNEL_BY_SENTIMENT = {"negative": (0.38, 0.14, 0.22, 0.04, 0.22),
                        "neutral": (0.46, 0.22, 0.14, 0.14, 0.04),
                        "positive": (0.42, 0.14, 0.36, 0.05, 0.03)}
RATING_SHARE_BY_CHANNEL = {"social": 0.04, "forum": 0.04, "review_site": 0.90, "news": 0.0, "complaint_book": 0.75}
STARS_BY_SENTIMENT = {"negative": (0.58, 0.42, 0, 0, 0), "neutral": (0, 0.15, 0.70, 0.15, 0),
                      "positive": (0, 0, 0, 0.38, 0.62)}
EXACT_DUPLICATE_SHARE = 0.02
NEAR_DUPLICATE_SHARE = 0.02
SPAM_SHARE = 0.015
PII_SHARE = 0.03
N_CARD_NUMBERS = 6
LABEL_SHARE = 0.25
LABEL_NOISE = 0.05
SPAMMERS = {"best_deals_24": "en", "promo.king": "en", "skidki_tut": "ru", "reduceri.top": "ro"}

# touchpoint, stage, group, description, true weight on overall satisfaction (standardized latent scores)
TOUCHPOINTS: tuple[tuple[str, str, str, str, float], ...] = (
    ("website_info", "before", "ease of access", "The website tells what is offered, where and when", 0.02),
    ("ease_of_finding_number", "before", "ease of access", "Knowing which number to call for the service wanted", 0.01),
    ("reached_first_call", "before", "ease of access", "Got through on the first call", 0.18),
    ("hold_time", "before", "ease of access", "Time on hold / waiting for an answer on the phone", 0.12),
    ("evening_weekend_availability", "before", "ease of access", "Available when needed, evenings and weekends", 0.035),
    ("parking_signage", "before", "premises", "Parking and signs to find the store (planted noise: no effect)", 0.0),
    ("staff_politeness", "during", "staff", "Politeness and friendliness of the staff", 0.34),
    ("staff_competence", "during", "staff", "Staff know the products and answer questions", 0.065),
    ("waiting_time_in_store", "during", "premises", "Queue and waiting time in the store", 0.055),
    ("cleanliness", "during", "premises", "Cleanliness and order in customer areas", 0.015),
    ("price_clarity", "during", "offer", "Prices are clear, price tags match the till", 0.08),
    ("product_quality", "during", "offer", "Quality of the product itself (technical quality)", 0.15),
    ("delivery_on_time", "after", "after-sales", "Delivery arrived on the promised day", 0.1),
    ("billing_accuracy", "after", "after-sales", "Invoice or bill correct the first time", 0.03),
    ("complaint_handling", "after", "after-sales", "How a complaint was handled (only those who complained)", 0.045),
    ("first_contact_resolution", "after", "after-sales",
     "Solved by the first employee contacted, not passed around (ease-of-access item f, DOMAIN 2.1)", 0.22),
)
DRIVER_WEIGHTS: dict[str, float] = {t[0]: t[4] for t in TOUCHPOINTS}
SURVEY_R2 = 0.75  # share of the latent satisfaction's variance explained by the touchpoints
# latent correlation: 0.08 between any two touchpoints (a halo), plus the group's share within a group, so
# r = 0.24-0.29 within a group (distinct enough for the weights to be recoverable from 3,000 answers, rank
# correlation >= 0.9 at seed 42); the noise touchpoint is independent of everything
_GROUP_LOADING = {"ease of access": 0.16, "staff": 0.21, "premises": 0.175, "offer": 0.175, "after-sales": 0.16}
_GLOBAL_LOADING = 0.08
_RATING_CUTS = (0.05, 0.12, 0.30, 0.62)  # cumulative shares of 1, 2, 3, 4 stars at shift 0
_RATING_SHIFT = {"hold_time": -0.45, "evening_weekend_availability": -0.35, "complaint_handling": -0.40,
                 "delivery_on_time": -0.15, "price_clarity": -0.20, "staff_politeness": 0.15, "cleanliness": 0.20}
_SATISFACTION_CUTS = (0.05, 0.13, 0.30, 0.68)  # 1-5: 5 %, 8 %, 17 %, 38 %, 32 % (mean 3.84)
_NPS_CUTS = (0.02, 0.03, 0.05, 0.08, 0.11, 0.17, 0.25, 0.42, 0.60, 0.78)  # 25 % detractors, 40 % promoters
NA_SHARE = {"zero": 0.04, "blank": 0.04}
NA_TOUCHPOINTS = ("website_info", "ease_of_finding_number", "hold_time", "evening_weekend_availability",
                  "waiting_time_in_store", "price_clarity", "billing_accuracy", "first_contact_resolution",
                  "parking_signage")
DELIVERY_NA_BY_CHANNEL = {"store": 0.55, "phone": 0.35, "online": 0.08}
COMPLAINT_NA = 0.70

# log-odds of churning per unit of the scaled feature (x - center) / scale, see CHURN_SCALES
CHURN_DRIVERS: dict[str, float] = {
    "contract_month_to_month": 1.10,   # indicator: contract == "month-to-month"
    "rude_staff_complaints": 0.70,     # per scale unit
    "tenure_months": -0.60,
    "first_contact_resolution": -0.45,  # indicator: yes
    "avg_resolution_hours": 0.35,
    "last_nps": -0.40,                 # blank NPS contributes 0
    "complaint_count": 0.25,
    "favourite_color": 0.0,            # planted noise
}
CHURN_INTERCEPT = -1.85
# (center, scale): about the population mean and SD of each feature, fixed so the truth does not depend on the sample
CHURN_SCALES: dict[str, tuple[float, float]] = {
    "rude_staff_complaints": (0.22, 0.48), "tenure_months": (25.4, 21.2), "avg_resolution_hours": (21.2, 18.3),
    "last_nps": (7.5, 2.4), "complaint_count": (0.9, 0.95),
}
_STREAMS = {"mentions": 1, "survey": 2, "customers": 3}


def _rng(seed: int, stream: str) -> np.random.Generator:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise CxParameterError("seed", "cxlib.sample", "an int >= 0", seed)
    return np.random.Generator(np.random.PCG64([_STREAMS[stream], int(seed)]))


def _check_n(n: int, where: str) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise CxParameterError("n", where, "an int >= 1", n)
    return int(n)


def _pick(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One categorical draw per row of ``probs`` (rows sum to 1): the index of the chosen column."""
    probs = np.atleast_2d(probs)
    cum = np.cumsum(probs / probs.sum(axis=1, keepdims=True), axis=1)
    u = rng.random(cum.shape[0])
    return np.minimum((u[:, None] >= cum).sum(axis=1), cum.shape[1] - 1)


@functools.lru_cache(maxsize=1)
def _phrases() -> dict:
    text = resources.files("cxlib").joinpath("data/sample_phrases.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def load_phrases() -> dict:
    """The phrase templates behind the mention texts (``cxlib/data/sample_phrases.yaml``), as a new dict.

    ``languages[lang]`` holds ``aspects[aspect]`` with ``keywords`` and ``positive``/``negative``/``neutral``
    phrases, plus ``openers``, ``closers``, ``negation``, ``negators``, ``intensifiers``, ``pii`` and ``spam``.

    Examples
    --------
    >>> p = load_phrases()
    >>> sorted(p["languages"])
    ['bg', 'en', 'hy', 'ro', 'ru']
    >>> p["languages"]["en"]["aspects"]["delivery"]["keywords"]
    ['deliver', 'courier', 'parcel', 'shipping']
    """
    return copy.deepcopy(_phrases())


# --- mentions ------------------------------------------------------------------------------------------------

_HOUR_WEIGHTS = np.array([2, 1, 1, 1, 1, 2, 3, 5, 7, 8, 8, 8, 9, 9, 8, 8, 8, 9, 10, 11, 11, 10, 7, 4], dtype=float)


def _calendar(n: int, rng: np.random.Generator) -> pd.DataFrame:
    """Day and brand of each ordinary mention: seasonal (peak in December), weekly (quieter weekends), a mild
    upward trend, share of voice by brand, and Velora's tripled volume in the dip week."""
    days = pd.date_range(PERIOD_START, PERIOD_END, freq="D")
    season = 1 + 0.18 * np.cos(2 * np.pi * (days.day_of_year.to_numpy() - 350) / 365.25)
    weekday = np.array([1.08, 1.05, 1.02, 1.0, 0.97, 0.82, 0.78])[days.day_of_week.to_numpy()]
    trend = 1 + 0.10 * np.linspace(0, 1, len(days))
    weights = (season * weekday * trend)[:, None] * np.array([SHARE_OF_VOICE[b] for b in BRANDS])[None, :]
    dip_start = pd.Timestamp(DIP_WEEK_START)
    dip = (days >= dip_start) & (days < dip_start + pd.Timedelta(days=7))
    weights[dip, 0] *= DIP_VOLUME_FACTOR
    counts = rng.multinomial(n, weights.ravel() / weights.sum())
    cell = np.repeat(np.arange(weights.size), counts)
    day_i, brand_i = np.divmod(cell, len(BRANDS))
    hours = rng.choice(24, size=n, p=_HOUR_WEIGHTS / _HOUR_WEIGHTS.sum())
    seconds = hours * 3600 + rng.integers(0, 3600, size=n)
    created = days.to_numpy()[day_i] + seconds.astype("timedelta64[s]")
    return pd.DataFrame({"created_at": created, "brand": np.array(BRANDS)[brand_i],
                         "dip": dip[day_i] & (brand_i == 0)})


def _truth(cal: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Language, aspect, true sentiment and channel of each ordinary mention."""
    n = len(cal)
    langs = np.array(list(LANGUAGE_SHARES))
    language = langs[_pick(rng, np.tile(list(LANGUAGE_SHARES.values()), (n, 1)))]
    dip = cal["dip"].to_numpy()
    aspect_p = np.tile(ASPECT_SHARES, (n, 1))
    aspect_p[dip] = [DIP_ASPECTS.get(a, 0.0) for a in ASPECTS]
    aspect = np.array(ASPECTS)[_pick(rng, aspect_p)]
    sent_p = np.array([BRAND_SENTIMENT[b] for b in cal["brand"]], dtype=float)
    weak = aspect == WEAK_ASPECT
    neg = np.array([WEAK_ASPECT_NEGATIVE[b] for b in cal["brand"][weak]])
    rest = sent_p[weak, 1:] / sent_p[weak, 1:].sum(axis=1, keepdims=True)
    sent_p[weak] = np.column_stack([neg, rest * (1 - neg)[:, None]])
    sent_p[dip] = list(DIP_SENTIMENT.values())
    sentiment = np.array(SENTIMENTS)[_pick(rng, sent_p)]
    channel = np.array(CHANNELS)[_pick(rng, np.array([CHANNEL_BY_SENTIMENT[s] for s in sentiment]))]
    return cal.assign(language=language, aspect=aspect, true_sentiment=sentiment, channel=channel)


def _authors(rng: np.random.Generator, per_language: int = 1200) -> dict[str, list[str]]:
    """A fixed pool of fake handles per language (ASCII, e.g. ``olga_k84``); earlier ones post more."""
    pools: dict[str, list[str]] = {}
    for lang, spec in _phrases()["languages"].items():
        names, surnames = spec["names"], spec["surnames"]
        seen: dict[str, None] = {}
        while len(seen) < per_language:
            first = names[rng.integers(len(names))]
            style = rng.integers(4)
            if style == 0:
                handle = f"{first}_{rng.integers(10, 100)}"
            elif style == 1:
                handle = f"{first}.{surnames[rng.integers(len(surnames))]}"
            elif style == 2:
                handle = f"{first}{surnames[rng.integers(len(surnames))][0]}{rng.integers(70, 100)}"
            else:
                handle = f"{surnames[rng.integers(len(surnames))]}_{first[0]}{rng.integers(1, 1000)}"
            seen.setdefault(handle)
        pools[lang] = list(seen)
    return pools


def _author_weights(k: int) -> np.ndarray:
    w = 1.0 / (np.arange(k) + 8.0) ** 1.1
    return w / w.sum()


_LOWER_AFTER = (",",)
_VOWELS = set("aeiouăâîаеиоуыэюяёъաեէըիոօ")


def _fill_intensifiers(text: str, spec: dict, u: float, v: float) -> str:
    if "{i}" not in text:
        return text
    ints = spec["intensifiers"]
    word = ints[int(v * len(ints))] + " " if u < 0.4 else ""
    return text.replace("{i}", word)


_ALTERNATIVES = re.compile(r"\[([^\[\]]*)\]")


def _expand(template: str, u: np.ndarray) -> str:
    """Replace each ``[a|b|c]`` group by one alternative, the k-th group chosen by ``u[k]``."""
    count = iter(range(len(u)))

    def choose(match: re.Match) -> str:
        options = match.group(1).split("|")
        return options[int(u[next(count) % len(u)] * len(options))]

    return _ALTERNATIVES.sub(choose, template)


def expand_all(template: str) -> list[str]:
    """Every text a phrase template can give (alternatives expanded; ``{b}`` and ``{i}`` kept).

    Examples
    --------
    >>> expand_all("Waited [20|40] minutes[ again|].")
    ['Waited 20 minutes again.', 'Waited 20 minutes.', 'Waited 40 minutes again.', 'Waited 40 minutes.']
    """
    groups = [g.split("|") for g in _ALTERNATIVES.findall(template)]
    parts = _ALTERNATIVES.split(template)[::2]
    out = []
    for combo in itertools.product(*groups):
        out.append("".join(p + c for p, c in zip(parts, (*combo, ""))))
    return out


def _lower_first(clause: str, lang: str) -> str:
    if clause.startswith("{b}") or (lang == "en" and clause[:2] in ("I ", "I'")):
        return clause
    return clause[:1].lower() + clause[1:]


def _compose(spec: dict, emoji: dict, lang: str, aspect: str, sentiment: str, brand: str,
             u: np.ndarray, handles: list[str], extra: bool) -> str:
    """One mention text from 1-3 clauses, with optional opener, closer, emoji, brand, @handle, link and noise.

    ``u`` holds 30 uniforms that make every choice; ``extra`` adds one more decoration (used to break
    accidental repeats of short texts)."""
    phrases = spec["aspects"][aspect][sentiment]
    first = int(u[0] * len(phrases))
    clauses = [phrases[first]]
    add = int(u[22] * 3) if extra else -1  # 0: opener, 1: closer, 2: emoji
    if u[1] < 0.20:
        kind = u[2]
        if sentiment != "neutral" and kind < 0.2:
            neg = spec["negation"][sentiment]
            clauses.append(neg[int(u[3] * len(neg))])
        elif kind < 0.5 and sentiment != "neutral":
            # a second aspect with the same sentiment; never the weak aspect, so its keywords stay with its own
            others = [a for a in ASPECTS if a not in (aspect, WEAK_ASPECT)]
            other = spec["aspects"][others[int(u[4] * len(others))]][sentiment]
            clauses.append(other[int(u[3] * len(other))])
        elif len(phrases) > 1:
            clauses.append(phrases[(first + 1 + int(u[3] * (len(phrases) - 1))) % len(phrases)])
    clauses = [_fill_intensifiers(_expand(c, u[24 + 3 * k: 27 + 3 * k]), spec, u[13], u[14])
               for k, c in enumerate(clauses)]
    if add == 0 or u[5] < 0.07:
        opener = spec["openers"][int(u[6] * len(spec["openers"]))]
        if opener.endswith(_LOWER_AFTER):
            clauses[0] = _lower_first(clauses[0], lang)
        clauses.insert(0, opener)
    if add == 1 or u[7] < 0.10:
        closers = spec["closers"][sentiment]
        clauses.append(closers[int(u[8] * len(closers))])
    text = _end_mark(" ".join(clauses), sentiment, u[21])
    if "{b}-ը" in text and brand[-1] in "aeiou":  # Armenian article after a vowel
        text = text.replace("{b}-ը", "{b}-ն")
    if "{b}" in text:
        text = text.replace("{b}", brand)
    elif u[11] < 0.25:
        form = ("{b}: {t}", "{t} #{b}", "@{b} {t}", "{t} ({b})")[int(u[12] * 4)]
        text = form.format(b=brand, t=text)
    if add == 2 or u[9] < 0.14:
        marks = emoji[sentiment]
        text += " " + marks[int(u[10] * len(marks))]
    if u[15] < 0.04:
        text = f"@{handles[int(u[16] * len(handles))]} {text}"
    if u[17] < 0.02:
        text += f" https://example.org/p/{100 + int(u[18] * 9900)}"
    return _noise(text, sentiment, u[19], u[20])


def _end_mark(text: str, sentiment: str, u: float) -> str:
    """Vary the final punctuation as people do: dropped, "!" or "!!!" instead of a full stop."""
    if text[-1] in ".։" and u < 0.25:
        return text[:-1]
    if text[-1] in ".։" and u < 0.40 and sentiment != "neutral":
        return text[:-1] + "!"
    if text[-1] == "!" and u < 0.15:
        return text + "!!"
    return text


def _noise(text: str, sentiment: str, u: float, v: float) -> str:
    """Social-media noise: a stretched vowel ("sooo"), a swapped letter pair, all lower case, all caps."""
    words = text.split(" ")
    if u < 0.05:
        cands = [i for i, w in enumerate(words) if len(w) >= 3 and w.isalpha() and w not in BRANDS]
        if cands:
            i = cands[int(v * len(cands))]
            w = words[i]
            j = next((k for k, ch in enumerate(w) if ch.lower() in _VOWELS), None)
            if j is not None:
                words[i] = w[: j + 1] + w[j] * (2 + int(v * 10) % 3) + w[j + 1:]
        return " ".join(words)
    if u < 0.07:
        cands = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha() and w not in BRANDS]
        if cands:
            i = cands[int(v * len(cands))]
            w = words[i]
            k = 1 + int(v * 97) % (len(w) - 2)
            words[i] = w[:k] + w[k + 1] + w[k] + w[k + 2:]
        return " ".join(words)
    if u < 0.12:
        return text.lower()
    if u < 0.13 and sentiment == "negative":
        return text.upper()
    if u < 0.25 and not text.startswith("@"):
        return text[:1].lower() + text[1:]
    return text


def _texts(truth: pd.DataFrame, rng: np.random.Generator, authors: dict[str, list[str]]) -> list[str]:
    """Compose every ordinary text; a text with the same words as an earlier one is composed again (after a
    few rounds with one more decoration), so the only repeats in the file are the planted duplicates.

    Each round looks only at the texts composed again (their words against the first holder of the same words),
    not at all texts: the same repeats in the same order as comparing everything, in time linear in the rows."""
    phr = _phrases()
    langs, emoji = phr["languages"], phr["emoji"]
    rows = list(zip(truth["language"], truth["aspect"], truth["true_sentiment"], truth["brand"]))
    u = rng.random((len(rows), 30))
    texts = [_compose(langs[lg], emoji, lg, a, s, b, u[i], authors[lg], False) for i, (lg, a, s, b) in enumerate(rows)]
    owner: dict[str, int] = {}  # words -> the earliest text with them (the texts that are no repeats)
    repeat = []
    for i, t in enumerate(texts):
        key = _fold(t)
        if key in owner:
            repeat.append(i)
        else:
            owner[key] = i
    for round_ in range(40):
        if not repeat:
            break
        u2 = rng.random((len(repeat), 30))
        changed: dict[str, list[int]] = {}
        for k, i in enumerate(repeat):
            lg, a, s, b = rows[i]
            texts[i] = _compose(langs[lg], emoji, lg, a, s, b, u2[k], authors[lg], round_ >= 6)
            changed.setdefault(_fold(texts[i]), []).append(i)  # repeat is sorted, so each list is too
        repeat = []
        for key, idx in changed.items():
            holder = owner.get(key)
            if holder is None or idx[0] < holder:
                owner[key] = idx[0]
                repeat += idx[1:]
                if holder is not None:  # an earlier text now has its words: it is the repeat
                    repeat.append(holder)
            else:
                repeat += idx
        repeat.sort()
    return texts


_WORDS = re.compile(r"[^\W_]+")


def _fold(text: str) -> str:
    """Lower case, punctuation and emoji removed: two texts with the same words fold the same."""
    return " ".join(_WORDS.findall(text.lower()))


def _phone(lang: str, rng: np.random.Generator) -> str:
    d = rng.integers(0, 10, size=10).astype(str)
    if lang == "ru":
        return f"+7 495 {''.join(d[:3])}-{''.join(d[3:5])}-{''.join(d[5:7])}"
    if lang == "ro":
        return f"+373 22 {''.join(d[:3])} {''.join(d[3:6])}"
    if lang == "bg":
        return f"+359 2 {''.join(d[:3])} {''.join(d[3:7])}"
    if lang == "hy":
        return f"+374 10 {''.join(d[:6])}"
    return f"(555) {''.join(d[:3])}-{''.join(d[3:7])}"


_TEST_CARDS = ("4111 1111 1111 1111", "5555 5555 5555 4444", "4242 4242 4242 4242",
               "4000 0566 5566 5556", "5105 1051 0510 5100", "4012 8888 8888 1881")  # public test numbers


def _plant_pii(df: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Append a fake e-mail or phone number to PII_SHARE of the texts, a test card number to a few, and HTML
    (``<script>``, ``<b>``) to four, so reports can show they redact and escape."""
    phr = _phrases()["languages"]
    n = len(df)
    order = rng.permutation(n)
    n_pii = int(round(PII_SHARE * n))
    n_card = min(N_CARD_NUMBERS, max(0, n - n_pii))
    n_html = min(4, max(0, n - n_pii - n_card))
    texts = df["text"].to_numpy(dtype=object).copy()
    pii = np.zeros(n, dtype=bool)
    for k, i in enumerate(order[: n_pii + n_card]):
        lang = df["language"].iat[i]
        spec = phr[lang]
        if k >= n_pii:
            tmpl = spec["pii"]["card"][0]
            value = _TEST_CARDS[(k - n_pii) % len(_TEST_CARDS)]
            texts[i] = f"{texts[i]} {tmpl.format(card=value)}"
        elif rng.random() < 0.5:
            tmpl = spec["pii"]["email"][rng.integers(len(spec["pii"]["email"]))]
            first = spec["names"][rng.integers(len(spec["names"]))]
            last = spec["surnames"][rng.integers(len(spec["surnames"]))]
            email = f"{first}.{last}{rng.integers(1, 100)}@example.{('com', 'org', 'net')[rng.integers(3)]}"
            texts[i] = f"{texts[i]} {tmpl.format(email=email)}"
        else:
            tmpl = spec["pii"]["phone"][rng.integers(len(spec["pii"]["phone"]))]
            texts[i] = f"{texts[i]} {tmpl.format(phone=_phone(lang, rng))}"
        pii[i] = True
    for k, i in enumerate(order[n_pii + n_card: n_pii + n_card + n_html]):
        texts[i] = f"<b>{texts[i]}</b>" if k % 2 else f"{texts[i]} <script>alert(1)</script>"
    return df.assign(text=texts, has_pii=pii)


def _near_edit(text: str, u: float, v: float) -> str:
    """A small edit: final punctuation, case, an emoji, one word dropped or doubled."""
    words = text.split(" ")
    if u < 0.25:
        out = text[:-1] if text[-1] in ".!?։" else text + "!"
    elif u < 0.45:
        out = text.lower() if text != text.lower() else text[:1].upper() + text[1:]
    elif u < 0.60:
        out = text + " 👍" if not text.endswith("👍") else text[:-2]
    elif u < 0.80 and len(words) >= 3:
        i = 1 + int(v * (len(words) - 1))
        out = " ".join(words[:i] + words[i + 1:])
    else:
        i = int(v * len(words))
        out = " ".join(words[: i + 1] + [words[i]] + words[i + 1:])
    return out if out != text else text + "!!"


def _duplicates(df: pd.DataFrame, n_exact: int, n_near: int, rng: np.random.Generator,
                end: pd.Timestamp) -> pd.DataFrame:
    """Copies of ordinary mentions, posted 5 minutes to 3 days later by someone else: exact and near."""
    src = rng.choice(len(df), size=n_exact + n_near, replace=False)
    dup = df.iloc[src].reset_index(drop=True).copy()
    dup["duplicate_of"] = src
    dup["kind"] = ["exact_duplicate"] * n_exact + ["near_duplicate"] * n_near
    offset = rng.integers(300, 3 * 86400, size=len(dup)).astype("timedelta64[s]")
    dup["created_at"] = np.minimum(dup["created_at"].to_numpy() + offset, end.to_datetime64())
    u, v = rng.random(len(dup)), rng.random(len(dup))
    existing = set(df["text"])
    texts = dup["text"].tolist()
    for k in range(n_exact, len(dup)):
        t = _near_edit(texts[k], u[k], v[k])
        texts[k] = t if t not in existing else _near_edit(t + "!", u[k], v[k])
    dup["text"] = texts
    return dup


def _spam(n: int, rng: np.random.Generator) -> pd.DataFrame:
    """Promo posts from a handful of accounts, in bursts: links, promo codes, caps, stretched letters."""
    phr = _phrases()["languages"]
    names = list(SPAMMERS)
    who = np.array(names)[_pick(rng, np.tile([0.35, 0.25, 0.2, 0.2], (n, 1)))] if n else np.array([], dtype=object)
    start = pd.Timestamp(PERIOD_START).to_datetime64()
    n_days = (pd.Timestamp(PERIOD_END) - pd.Timestamp(PERIOD_START)).days
    bursts = {s: rng.integers(0, n_days - 2, size=3) for s in names}
    alphabet = np.array(list("ABCDEFGHJKLMNPQRSTUVWXYZ23456789"))
    rows = []
    for s in who:
        lang = SPAMMERS[s]
        templates = phr[lang]["spam"]
        code = "".join(rng.choice(alphabet, size=6))
        brand = BRANDS[rng.integers(len(BRANDS))]
        text = templates[rng.integers(len(templates))]
        if rng.random() < 0.3:
            text = text.upper().replace("{B}", "{b}").replace("{CODE}", "{code}").replace("{URL}", "{url}")
        text = text.format(b=brand, code=code, url=f"https://deals.example.net/{code.lower()}")
        day = bursts[s][rng.integers(3)]
        created = start + np.timedelta64(int(day * 86400 + rng.integers(0, 36 * 3600)), "s")
        rows.append({"created_at": created, "brand": brand, "language": lang, "text": text, "author": s,
                     "channel": "social" if rng.random() < 0.7 else "forum"})
    out = pd.DataFrame(rows, columns=["created_at", "brand", "language", "text", "author", "channel"])
    out["created_at"] = pd.to_datetime(out["created_at"])
    return out.assign(aspect=None, true_sentiment="neutral", kind="spam", has_pii=False, dip=False)


def _finish(df: pd.DataFrame, rng: np.random.Generator, authors: dict[str, list[str]]) -> pd.DataFrame:
    """Authors, reach, labels (25 %, 5 % noise), star ratings, urls; then time order and ids."""
    n = len(df)
    spam = (df["kind"] == "spam").to_numpy()
    author = df["author"].to_numpy(dtype=object).copy()
    for lang, pool in authors.items():
        todo = np.flatnonzero((df["language"].to_numpy() == lang) & pd.isna(author))
        author[todo] = np.array(pool, dtype=object)[rng.choice(len(pool), size=len(todo), p=_author_weights(len(pool)))]
    dup_rows = np.flatnonzero(df["duplicate_of"].notna().to_numpy())
    for i in dup_rows:  # a duplicate comes from someone else than its source
        src = int(df["duplicate_of"].iat[i])
        if author[i] == author[src]:
            pool = authors[df["language"].iat[i]]
            author[i] = pool[(pool.index(author[i]) + 1) % len(pool)]
    sentiment = df["true_sentiment"].to_numpy()
    labelled = (rng.random(n) < LABEL_SHARE) & ~spam
    flip = rng.random(n) < LABEL_NOISE
    shift = rng.integers(1, 3, size=n)
    idx = np.array([SENTIMENTS.index(s) for s in sentiment])
    label_idx = np.where(flip, (idx + shift) % 3, idx)
    label = np.where(labelled, np.array(SENTIMENTS, dtype=object)[label_idx], None)
    rated = (rng.random(n) < np.array([RATING_SHARE_BY_CHANNEL[c] for c in df["channel"]])) & ~spam
    stars = 1 + _pick(rng, np.array([STARS_BY_SENTIMENT[s] for s in sentiment], dtype=float))
    rating = pd.array(np.where(rated, stars, 0), dtype="Int64")
    rating[~rated] = pd.NA
    news = (df["channel"] == "news").to_numpy()
    reach = np.where(news, rng.lognormal(8.5, 1.1, n), np.where(spam, rng.lognormal(3.0, 0.8, n),
                                                                  rng.lognormal(4.3, 1.7, n)))
    url_share = {"news": 0.8, "review_site": 0.25, "forum": 0.15, "social": 0.03, "complaint_book": 0.0}
    has_url = rng.random(n) < np.array([url_share[c] for c in df["channel"]])
    num = rng.integers(10_000, 100_000, size=n)
    path = {"news": "news/", "review_site": "r/", "forum": "t/", "social": "p/", "complaint_book": ""}
    url = np.where(has_url, [f"https://example.org/{path[c]}{k}" for c, k in zip(df["channel"], num)], None)
    out = df.assign(author=author, label=label, rating=rating, reach=np.round(reach).astype(np.int64), url=url,
                    _row=np.arange(n))
    out = out.sort_values("created_at", kind="stable").reset_index(drop=True)
    width = max(6, len(str(len(out))))
    out.insert(0, "id", [f"m{i:0{width}d}" for i in range(1, len(out) + 1)])
    id_of_row = dict(zip(out["_row"], out["id"]))  # duplicate_of held row positions: make them ids
    out["duplicate_of"] = [id_of_row[int(r)] if pd.notna(r) else None for r in out["duplicate_of"]]
    return out.drop(columns="_row")


_MENTION_COLUMNS = ["id", "created_at", "brand", "channel", "language", "text", "rating", "label", "author",
                    "reach", "url"]
_TRUTH_COLUMNS = ["true_sentiment", "aspect", "kind", "duplicate_of", "has_pii", "dip"]


def make_mentions(n: int = 20000, seed: int = 42, truth: bool = False) -> pd.DataFrame:
    """Online mentions of four brands with planted effects (see the module docstring and the sample README).

    Parameters
    ----------
    n : int
        Number of rows, duplicates and spam included.
    seed : int
        Same seed, same rows.
    truth : bool
        Add the ground-truth columns ``true_sentiment``, ``aspect`` (of the main clause), ``kind``
        ("original", "exact_duplicate", "near_duplicate", "spam"), ``duplicate_of`` (id of the copied row),
        ``has_pii`` and ``dip`` (Velora in the outage week).

    Returns
    -------
    DataFrame
        ``id``, ``created_at`` (Timestamp), ``brand``, ``channel``, ``language``, ``text``, ``rating`` (1-5 stars
        or <NA>), ``label`` (negative/neutral/positive or None), ``author``, ``reach`` (followers), ``url``.

    Examples
    --------
    >>> m = make_mentions(n=300, seed=1)
    >>> len(m), m["id"].is_unique, sorted(m["brand"].unique())
    (300, True, ['Brightel', 'Kvant', 'Meridian', 'Velora'])
    >>> m["created_at"].min() >= pd.Timestamp("2024-07-01"), m["created_at"].max() < pd.Timestamp("2026-01-01")
    (True, True)
    >>> set(make_mentions(n=300, seed=1, truth=True)["kind"]) >= {"original", "exact_duplicate", "spam"}
    True
    """
    n = _check_n(n, "sample.make_mentions")
    rng = _rng(seed, "mentions")
    n_exact = int(round(EXACT_DUPLICATE_SHARE * n))
    n_near = int(round(NEAR_DUPLICATE_SHARE * n))
    n_spam = int(round(SPAM_SHARE * n))
    n_base = max(1, n - n_exact - n_near - n_spam)
    n_exact, n_near = min(n_exact, n_base), min(n_near, max(0, n_base - n_exact))
    n_spam = n - n_base - n_exact - n_near
    authors = _authors(rng)
    base = _truth(_calendar(n_base, rng), rng)
    base["text"] = _texts(base, rng, authors)
    base = _plant_pii(base, rng)
    base = base.assign(kind="original", author=None, duplicate_of=np.nan)
    end = pd.Timestamp(PERIOD_END) + pd.Timedelta(hours=23, minutes=59, seconds=59)
    dups = _duplicates(base, n_exact, n_near, rng, end)
    spam = _spam(n_spam, rng).assign(duplicate_of=np.nan)
    allrows = pd.concat([base, dups, spam], ignore_index=True)
    out = _finish(allrows, rng, authors)
    cols = _MENTION_COLUMNS + (_TRUTH_COLUMNS if truth else [])
    return out[cols]


# --- a large set for benchmarks ---------------------------------------------------------------------------------

#: Distinct texts in the pool the large benchmark set draws from (:func:`write_mentions_set`).
POOL_TEXTS = 250_000
#: Rows per file of the large set, by default: a Parquet file is one Dask partition.
PARTITION_ROWS = 250_000


def text_pool(size: int = POOL_TEXTS, seed: int = 42) -> pd.DataFrame:
    """``size`` mention texts composed as :func:`make_mentions` composes them, no two with the same words, with
    their ``language``, ``aspect``, ``true_sentiment`` and ``brand``: the pool of the large benchmark set.

    Examples
    --------
    >>> pool = text_pool(500, seed=1)
    >>> len(pool), pool["text"].is_unique, list(pool.columns)
    (500, True, ['language', 'aspect', 'true_sentiment', 'brand', 'text'])
    """
    size = _check_n(size, "sample.text_pool")
    rng = np.random.Generator(np.random.PCG64([_STREAMS["mentions"], int(seed), 0, size]))
    truth = _truth(_calendar(size, rng), rng)
    truth["text"] = _texts(truth, rng, _authors(rng))
    return truth[["language", "aspect", "true_sentiment", "brand", "text"]].reset_index(drop=True)


_CELL = ("language", "aspect", "true_sentiment", "brand")


def _cell_codes(df: pd.DataFrame) -> np.ndarray:
    levels = (list(LANGUAGE_SHARES), list(ASPECTS), list(SENTIMENTS), list(BRANDS))
    code = np.zeros(len(df), dtype=np.int64)
    for col, values in zip(_CELL, levels):
        code = code * len(values) + pd.Categorical(df[col], categories=values).codes
    return code


def _pool_partition(pool: pd.DataFrame, part: int, rows: int, first_id: int, width: int, seed: int) -> pd.DataFrame:
    """One partition of the large set: its own calendar and truth (a seed per partition), texts drawn from the pool
    cell of the same language, aspect, sentiment and brand, then labels, stars, reach, authors and urls."""
    rng = np.random.Generator(np.random.PCG64([_STREAMS["mentions"], int(seed), 1 + part]))
    df = _truth(_calendar(rows, rng), rng)
    pool_code = _cell_codes(pool)
    order = np.argsort(pool_code, kind="stable")
    sorted_code = pool_code[order]
    code = _cell_codes(df)
    start = np.searchsorted(sorted_code, code, side="left")
    count = np.searchsorted(sorted_code, code, side="right") - start
    pick = order[np.minimum(start + (rng.random(rows) * count).astype(np.int64), len(order) - 1)]
    texts = pool["text"].to_numpy(dtype=object)[pick]
    empty = np.flatnonzero(count == 0)  # a cell the pool happens to lack: composed here
    if len(empty):
        phr, authors = _phrases(), _authors(rng, per_language=50)
        u = rng.random((len(empty), 30))
        for k, i in enumerate(empty):
            lg, a, s, b = (df[c].iat[i] for c in _CELL)
            texts[i] = _compose(phr["languages"][lg], phr["emoji"], lg, a, s, b, u[k], authors[lg], False)
    n = rows
    sentiment = pd.Categorical(df["true_sentiment"], categories=list(SENTIMENTS)).codes
    labelled = rng.random(n) < LABEL_SHARE
    flip = rng.random(n) < LABEL_NOISE
    label_idx = np.where(flip, (sentiment + rng.integers(1, 3, size=n)) % 3, sentiment)
    label = np.where(labelled, np.array(SENTIMENTS, dtype=object)[label_idx], None)
    channel = pd.Categorical(df["channel"], categories=list(CHANNELS)).codes
    rated = rng.random(n) < np.array([RATING_SHARE_BY_CHANNEL[c] for c in CHANNELS])[channel]
    stars = 1 + _pick(rng, np.array([STARS_BY_SENTIMENT[s] for s in SENTIMENTS], dtype=float)[sentiment])
    rating = pd.array(np.where(rated, stars, 0), dtype="Int64")
    rating[~rated] = pd.NA
    news = channel == CHANNELS.index("news")
    reach = np.where(news, rng.lognormal(8.5, 1.1, n), rng.lognormal(4.3, 1.7, n))
    author = np.empty(n, dtype=object)
    handles = _authors(np.random.Generator(np.random.PCG64([_STREAMS["mentions"], int(seed)])))
    for lang, pool_names in handles.items():
        rows_of = np.flatnonzero(df["language"].to_numpy() == lang)
        author[rows_of] = np.array(pool_names, dtype=object)[rng.choice(len(pool_names), size=len(rows_of),
                                                                         p=_author_weights(len(pool_names)))]
    url_share = np.array([{"news": 0.8, "review_site": 0.25, "forum": 0.15}.get(c, 0.0) for c in CHANNELS])
    has_url = rng.random(n) < url_share[channel]
    paths = np.array(["t/" if c == "forum" else "r/" if c == "review_site" else "news/" for c in CHANNELS],
                     dtype=object)
    url = pd.Series(paths[channel]).radd("https://example.org/") + pd.Series(rng.integers(10_000, 100_000, n)).astype(str)
    out = pd.DataFrame({"created_at": df["created_at"].to_numpy(), "brand": df["brand"].to_numpy(),
                        "channel": df["channel"].to_numpy(), "language": df["language"].to_numpy(), "text": texts,
                        "rating": rating, "label": label, "author": author, "reach": np.round(reach).astype(np.int64),
                        "url": url.where(has_url, None).to_numpy(dtype=object)})
    out = out.sort_values("created_at", kind="stable").reset_index(drop=True)
    out.insert(0, "id", pd.Series(np.arange(first_id, first_id + n)).astype(str).str.zfill(width).radd("m").to_numpy())
    return out


_SET_POOL: pd.DataFrame | None = None


def _set_pool(pool: pd.DataFrame) -> None:
    global _SET_POOL
    _SET_POOL = pool


def _write_partition(part: int, rows: int, first_id: int, width: int, seed: int, path: str, fmt: str) -> str:
    import os

    df = _pool_partition(_SET_POOL, part, rows, first_id, width, seed)
    tmp = f"{path}.tmp"
    if fmt == "parquet":
        df.to_parquet(tmp, index=False)
    else:
        _mentions_csv(df).to_csv(tmp, index=False)
    os.replace(tmp, path)
    return path


def write_mentions_set(out: str | Path, n: int, seed: int = 42, fmt: str = "parquet",
                       partition_rows: int = PARTITION_ROWS, pool_size: int = POOL_TEXTS,
                       workers: int | None = None) -> list[Path]:
    """A large mentions set for benchmarks, as partitioned files ``out/part-00000.parquet`` (or ``.csv``), fast.

    Not the committed sample (:func:`make_mentions` writes that, byte for byte as before). Each partition has a
    seed of its own (``seed`` and the partition number), its own calendar and ground truth (brands, languages,
    aspects, sentiment, the outage dip) drawn as :func:`make_mentions` draws them, and takes its texts from a
    pre-built pool of ``pool_size`` distinct texts (:func:`text_pool`; default :data:`POOL_TEXTS` = 250,000, none
    two with the same words), picking a text of the row's language, aspect, true sentiment and brand. So on
    10,000,000 rows each text occurs about 40 times: fine for timing scoring and aggregation, not for duplicate
    detection (no planted duplicates, spam or personal data here). Partitions are written in parallel by
    ``workers`` processes (default: one per core); same seed, same rows, whatever the number of workers.
    Columns as in :func:`make_mentions`; ids unique across files; each file covers the whole period.

    Examples
    --------
    >>> import tempfile
    >>> files = write_mentions_set(tempfile.mkdtemp(), 1200, seed=1, partition_rows=500, pool_size=600, workers=1)
    >>> [f.name for f in files], sum(len(pd.read_parquet(f)) for f in files)
    (['part-00000.parquet', 'part-00001.parquet', 'part-00002.parquet'], 1200)
    """
    import os
    from concurrent.futures import ProcessPoolExecutor

    n = _check_n(n, "sample.write_mentions_set")
    if fmt not in ("parquet", "csv"):
        raise CxParameterError("fmt", "sample.write_mentions_set", "'parquet' or 'csv'", fmt)
    partition_rows = _check_n(partition_rows, "sample.write_mentions_set")
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    pool = text_pool(min(pool_size, max(n, 1)), seed)
    width = max(6, len(str(n)))
    bounds = list(range(0, n, partition_rows)) + [n]
    jobs = [(k, b - a, a + 1, width, seed, str(folder / f"part-{k:05d}.{fmt}"), fmt)
            for k, (a, b) in enumerate(zip(bounds, bounds[1:]))]
    if workers is None:
        workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if workers <= 1 or len(jobs) == 1:
        _set_pool(pool)
        done = [_write_partition(*job) for job in jobs]
    else:  # the pool travels once to each process (initializer), each job is a few numbers
        with ProcessPoolExecutor(min(workers, len(jobs)), initializer=_set_pool, initargs=(pool,)) as ex:
            done = list(ex.map(_write_partition, *zip(*jobs)))
    return [Path(p) for p in done]


# --- touchpoints and survey ----------------------------------------------------------------------------------

def make_touchpoints() -> pd.DataFrame:
    """The touchpoint map of the survey: 16 touchpoints with journey stage, group and description.

    The ease-of-access group holds the components of DOMAIN.md 2.1 (first call, hold time, knowing the number,
    evenings and weekends; first-contact resolution sits in after-sales). :data:`NOISE_TOUCHPOINT` has no effect.

    Returns
    -------
    DataFrame
        ``touchpoint``, ``stage`` (before/during/after), ``group``, ``description``.

    Examples
    --------
    >>> tp = make_touchpoints()
    >>> len(tp), tp.groupby("stage").size().to_dict()
    (16, {'after': 4, 'before': 6, 'during': 6})
    """
    return pd.DataFrame([t[:4] for t in TOUCHPOINTS], columns=["touchpoint", "stage", "group", "description"])


def _latent_covariance() -> np.ndarray:
    """Correlation matrix of the latent touchpoint scores (unit variances)."""
    groups = [t[2] for t in TOUCHPOINTS]
    noise = np.array([t[0] == NOISE_TOUCHPOINT for t in TOUCHPOINTS])
    same = np.equal.outer(np.array(groups, dtype=object), np.array(groups, dtype=object))
    cov = _GLOBAL_LOADING + same * np.array([_GROUP_LOADING[g] for g in groups])[:, None]
    cov[noise, :] = 0.0
    cov[:, noise] = 0.0
    np.fill_diagonal(cov, 1.0)
    return cov


def _cuts(cumulative: Sequence[float]) -> np.ndarray:
    return np.array([NormalDist().inv_cdf(p) for p in cumulative])


def _ordinal(z: np.ndarray, cumulative: Sequence[float], low: int) -> np.ndarray:
    """Cut standard-normal scores into ``low, low+1, ...`` with the given cumulative shares."""
    return low + (z[..., None] > _cuts(cumulative)).sum(axis=-1)


def make_survey(n: int = 3000, seed: int = 42) -> pd.DataFrame:
    """Survey answers whose overall satisfaction is driven by the touchpoints with weights :data:`DRIVER_WEIGHTS`.

    Latent touchpoint scores are standard normal, correlated 0.24-0.29 within a group and 0.08 across groups
    (the noise touchpoint is independent); ``satisfaction = sum(DRIVER_WEIGHTS[t] * z[t]) + noise`` with the
    touchpoints explaining :data:`SURVEY_R2` of its variance, cut into 1-5 (mean about 3.8); ``nps`` follows
    satisfaction (r = 0.8 on the latent scale). Ratings 1-5 are cut from the latent scores; "not applicable"
    (0 or blank) is masked afterwards, at random, so it carries no information.

    Returns
    -------
    DataFrame
        ``respondent_id``, ``date`` (2025), ``customer_type``, ``region``, ``channel``, ``nps`` (0-10),
        ``overall_satisfaction`` (1-5), then one nullable-int column per touchpoint (1-5, 0 or <NA> = N/A).

    Examples
    --------
    >>> s = make_survey(n=50, seed=1)
    >>> s.shape, bool(s["overall_satisfaction"].between(1, 5).all()), bool(s["nps"].between(0, 10).all())
    ((50, 23), True, True)
    """
    n = _check_n(n, "sample.make_survey")
    rng = _rng(seed, "survey")
    names = [t[0] for t in TOUCHPOINTS]
    cov = _latent_covariance()
    z = rng.standard_normal((n, len(names))) @ np.linalg.cholesky(cov).T
    w = np.array([DRIVER_WEIGHTS[t] for t in names])
    signal_var = float(w @ cov @ w)
    total_sd = np.sqrt(signal_var / SURVEY_R2)
    satisfaction = (z @ w + rng.standard_normal(n) * np.sqrt(signal_var * (1 - SURVEY_R2) / SURVEY_R2)) / total_sd
    nps_latent = 0.8 * satisfaction + 0.6 * rng.standard_normal(n)
    days = rng.integers(0, 365, size=n)
    order = np.argsort(days, kind="stable")
    out = pd.DataFrame({
        "respondent_id": [f"r{i:05d}" for i in range(1, n + 1)],
        "date": (pd.Timestamp("2025-01-01") + pd.to_timedelta(days[order], unit="D")).strftime("%Y-%m-%d"),
        "customer_type": np.array(["new", "returning", "business"])[
            _pick(rng, np.tile([0.3, 0.55, 0.15], (n, 1)))][order],
        "region": np.array(["North", "South", "East", "West", "Capital"])[
            _pick(rng, np.tile([0.18, 0.2, 0.15, 0.17, 0.3], (n, 1)))][order],
        "channel": np.array(list(DELIVERY_NA_BY_CHANNEL))[_pick(rng, np.tile([0.5, 0.25, 0.25], (n, 1)))][order],
        "nps": _ordinal(nps_latent, _NPS_CUTS, 0)[order],
        "overall_satisfaction": _ordinal(satisfaction, _SATISFACTION_CUTS, 1)[order],
    })
    base_cuts = _cuts(_RATING_CUTS)
    for j, name in enumerate(names):
        rating = 1 + (z[order, j, None] + _RATING_SHIFT.get(name, 0.0) > base_cuts).sum(axis=1)
        u = rng.random(n)
        if name == "delivery_on_time":
            na = u < out["channel"].map(DELIVERY_NA_BY_CHANNEL).to_numpy()
            zero, blank = na & (rng.random(n) < 0.5), None
        elif name == "complaint_handling":
            na = u < COMPLAINT_NA
            zero, blank = na & (rng.random(n) < 0.5), None
        elif name in NA_TOUCHPOINTS:
            na = u < NA_SHARE["zero"] + NA_SHARE["blank"]
            zero, blank = u < NA_SHARE["zero"], None
        else:
            na = zero = np.zeros(n, dtype=bool)
        blank = na & ~zero
        col = pd.array(np.where(zero, 0, rating), dtype="Int64")
        col[blank] = pd.NA
        out[name] = col
    return out


# --- customers -----------------------------------------------------------------------------------------------

_YES_SPELLINGS = (("Yes", "No"), ("yes", "no"), ("Y", "N"), ("TRUE", "false"))
_CHURN_SPELLINGS = (("Yes", "No"), ("yes", "no"), ("1", "0"), ("TRUE", "FALSE"))


def _spell(flag: np.ndarray, spellings: tuple[tuple[str, str], ...], probs: Sequence[float],
           rng: np.random.Generator) -> np.ndarray:
    """Write booleans in the mixed spellings of real exports ("Yes", "yes", "Y", "TRUE", ...)."""
    k = _pick(rng, np.tile(probs, (len(flag), 1)))
    yes = np.array([s[0] for s in spellings], dtype=object)[k]
    no = np.array([s[1] for s in spellings], dtype=object)[k]
    return np.where(flag, yes, no)


def _scaled(values: np.ndarray, name: str) -> np.ndarray:
    center, scale = CHURN_SCALES[name]
    return (values - center) / scale


def make_customers(n: int = 5000, seed: int = 42) -> pd.DataFrame:
    """A churn table drawn from a logistic model with the true log-odds :data:`CHURN_DRIVERS`.

    ``logit P(churn) = CHURN_INTERCEPT + sum(CHURN_DRIVERS[f] * x[f])`` where numeric features enter as
    ``(value - center) / scale`` with the fixed :data:`CHURN_SCALES`, ``contract_month_to_month`` and
    ``first_contact_resolution`` as 0/1 indicators, and a blank ``last_nps`` as 0. ``favourite_color``,
    ``plan``, ``monthly_revenue``, ``paperless_billing``, ``support_channel`` and ``segment`` have no effect.
    ``total_revenue`` is text, with a single space where ``tenure_months`` is 0 (as in the Telco data set).

    Returns
    -------
    DataFrame
        ``customer_id``, ``tenure_months``, ``contract``, ``plan``, ``monthly_revenue``, ``total_revenue``,
        ``complaint_count``, ``rude_staff_complaints``, ``avg_resolution_hours``, ``first_contact_resolution``,
        ``last_nps``, ``paperless_billing``, ``support_channel``, ``segment``, ``favourite_color``, ``churned``.

    Examples
    --------
    >>> c = make_customers(n=40, seed=1)
    >>> c.shape, c["customer_id"].iloc[0]
    ((40, 16), 'c00001')
    >>> bool(((c["tenure_months"] == 0) == (c["total_revenue"] == " ")).all())
    True
    """
    n = _check_n(n, "sample.make_customers")
    rng = _rng(seed, "customers")
    tenure = np.where(rng.random(n) < 0.45, 1 + np.floor(rng.exponential(12, n)), rng.integers(1, 73, n))
    tenure = np.clip(tenure, 1, 72).astype(np.int64)
    tenure[rng.random(n) < 0.012] = 0
    share = tenure / 72
    contract_p = np.column_stack([0.70 - 0.50 * share, 0.25 + 0.15 * share, 0.05 + 0.35 * share])
    contract = np.array(["month-to-month", "one_year", "two_year"])[_pick(rng, contract_p)]
    plan_k = _pick(rng, np.tile([0.4, 0.4, 0.2], (n, 1)))
    plan = np.array(["basic", "standard", "premium"])[plan_k]
    monthly = np.maximum(9.99, rng.normal(np.array([24.0, 48.0, 89.0])[plan_k], np.array([4.0, 7.0, 11.0])[plan_k]))
    monthly = np.round(monthly, 2)
    total = tenure * monthly * np.exp(rng.normal(0, 0.03, n))
    complaints = rng.poisson(0.9, n)
    rude = rng.binomial(complaints, 0.25)
    hours = np.round(rng.lognormal(np.log(16.0), 0.75, n), 1)
    fcr = rng.random(n) < 0.62
    nps_latent = (-0.3 * _scaled(complaints, "complaint_count") - 0.3 * _scaled(rude, "rude_staff_complaints")
                  + 0.25 * (fcr - 0.62) / 0.485 + np.sqrt(0.67) * rng.standard_normal(n))
    nps = _ordinal(nps_latent, _NPS_CUTS, 0).astype(float)
    nps[rng.random(n) < 0.10] = np.nan
    logit = (CHURN_INTERCEPT
             + CHURN_DRIVERS["contract_month_to_month"] * (contract == "month-to-month")
             + CHURN_DRIVERS["rude_staff_complaints"] * _scaled(rude, "rude_staff_complaints")
             + CHURN_DRIVERS["tenure_months"] * _scaled(tenure, "tenure_months")
             + CHURN_DRIVERS["first_contact_resolution"] * fcr
             + CHURN_DRIVERS["avg_resolution_hours"] * _scaled(hours, "avg_resolution_hours")
             + CHURN_DRIVERS["last_nps"] * np.nan_to_num(_scaled(nps, "last_nps"), nan=0.0)
             + CHURN_DRIVERS["complaint_count"] * _scaled(complaints, "complaint_count"))
    churned = rng.random(n) < 1 / (1 + np.exp(-logit))
    colors = np.array(["red", "blue", "green", "black", "white", "yellow"])
    return pd.DataFrame({
        "customer_id": [f"c{i:05d}" for i in range(1, n + 1)],
        "tenure_months": tenure,
        "contract": contract,
        "plan": plan,
        "monthly_revenue": [f"{v:.2f}" for v in monthly],
        "total_revenue": [" " if t == 0 else f"{v:.2f}" for t, v in zip(tenure, total)],
        "complaint_count": complaints,
        "rude_staff_complaints": rude,
        "avg_resolution_hours": [f"{v:.1f}" for v in hours],
        "first_contact_resolution": _spell(fcr, _YES_SPELLINGS, [0.55, 0.2, 0.15, 0.1], rng),
        "last_nps": pd.array([None if np.isnan(v) else int(v) for v in nps], dtype="Int64"),
        "paperless_billing": np.where(rng.random(n) < 0.6, "Yes", "No"),
        "support_channel": np.array(["phone", "chat", "email", "store"])[
            _pick(rng, np.tile([0.35, 0.3, 0.15, 0.2], (n, 1)))],
        "segment": np.array(["consumer", "small_business", "vip"])[_pick(rng, np.tile([0.7, 0.22, 0.08], (n, 1)))],
        "favourite_color": colors[rng.integers(0, len(colors), n)],
        "churned": _spell(churned, _CHURN_SPELLINGS, [0.65, 0.15, 0.12, 0.08], rng),
    })


# --- files ---------------------------------------------------------------------------------------------------

SAMPLE_ROWS = {"mentions": 20000, "survey": 3000, "customers": 5000}
_FILES = {"mentions": "mentions.csv", "touchpoints": "touchpoints.csv", "survey": "survey.csv",
          "customers": "customers.csv", "readme": "README.md"}


def _mentions_csv(m: pd.DataFrame) -> pd.DataFrame:
    return m[_MENTION_COLUMNS].assign(created_at=m["created_at"].dt.strftime("%Y-%m-%d %H:%M:%S"))


def write_sample(out: str | Path, seed: int = 42, rows: dict[str, int] | None = None) -> dict[str, Path]:
    """Write the four sample inputs and their README into ``out``; same seed, byte-identical files.

    Parameters
    ----------
    out : str or Path
        Folder, created if needed; files in it are replaced atomically.
    seed : int
        The committed sample uses 42.
    rows : dict, optional
        Row counts ``{"mentions": ..., "survey": ..., "customers": ...}``; missing keys take
        :data:`SAMPLE_ROWS` (20,000 / 3,000 / 5,000; together under 5 MB).

    Returns
    -------
    dict
        ``{"mentions": path, "touchpoints": path, "survey": path, "customers": path, "readme": path}``.

    Examples
    --------
    >>> import tempfile
    >>> paths = write_sample(tempfile.mkdtemp(), seed=3, rows={"mentions": 300, "survey": 40, "customers": 40})
    >>> sorted(paths), paths["survey"].read_text().count("\\n")
    (['customers', 'mentions', 'readme', 'survey', 'touchpoints'], 41)
    """
    from cxlib.io import atomic_write_csv, atomic_write_text

    folder = Path(out)
    n = {**SAMPLE_ROWS, **(rows or {})}
    mentions = make_mentions(n["mentions"], seed, truth=True)
    frames = {"mentions": _mentions_csv(mentions), "touchpoints": make_touchpoints(),
              "survey": make_survey(n["survey"], seed), "customers": make_customers(n["customers"], seed)}
    paths = {name: atomic_write_csv(df, folder / _FILES[name]) for name, df in frames.items()}
    sizes = {name: p.stat().st_size for name, p in paths.items()}
    paths["readme"] = atomic_write_text(folder / _FILES["readme"], _readme(frames, mentions, sizes, seed))
    return paths


def _pct(x: float, digits: int = 1) -> str:
    return f"{100 * x:.{digits}f} %"


def _table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)


def _realised(mentions: pd.DataFrame, customers: pd.DataFrame) -> dict[str, float]:
    """Effects as they came out in this draw (labels and text, as an analysis would see them)."""
    m = mentions
    week = m["created_at"].dt.to_period("W-SUN").dt.start_time
    dip = pd.Timestamp(DIP_WEEK_START)
    ours = (m["brand"] == OUR_BRAND) & m["label"].notna()
    neg = m["label"] == "negative"
    in_dip = ours & (week == dip)
    eight_before = (week >= dip - pd.Timedelta(weeks=8)) & (week < dip)
    before = ours & eight_before
    phr = _phrases()["languages"]
    stems = sorted({k for spec in phr.values() for k in spec["aspects"][WEAK_ASPECT]["keywords"]})
    about = m["text"].str.lower().str.contains("|".join(map(re.escape, stems))) & m["label"].notna()
    weak = about & (m["brand"] == WEAK_COMPETITOR)
    churn = customers["churned"].str.lower().isin(["yes", "1", "true"])
    return {
        "dip_negative": float(neg[in_dip].mean()), "before_negative": float(neg[before].mean()),
        "dip_volume": int(((m["brand"] == OUR_BRAND) & (week == dip)).sum()),
        "before_volume": float(((m["brand"] == OUR_BRAND) & eight_before).sum() / 8),
        "weak_negative": float(neg[weak].mean()), "others_negative": float(neg[about & ~weak].mean()),
        "weak_n": int(weak.sum()), "others_n": int((about & ~weak).sum()),
        "churn": float(churn.mean()),
        "churn_m2m": float(churn[customers["contract"] == "month-to-month"].mean()),
        "churn_other": float(churn[customers["contract"] != "month-to-month"].mean()),
        "churn_rude": float(churn[customers["rude_staff_complaints"] > 0].mean()),
        "churn_polite": float(churn[customers["rude_staff_complaints"] == 0].mean()),
    }


_MENTION_DOC = (
    ("id", "text", "mention id, `m000001` ... in time order", "`id`"),
    ("created_at", "datetime (naive, `YYYY-MM-DD HH:MM:SS`)", "when it was posted", "`created_at`"),
    ("brand", "text", f"brand the mention is about: {OUR_BRAND} (ours), {', '.join(COMPETITORS)}", "`brand`"),
    ("channel", "text", ", ".join(CHANNELS), "`channel`"),
    ("language", "text", "ISO 639-1: en, ru, ro, bg, hy (the true language of the text)", "`language` (optional)"),
    ("text", "text", "the mention; Latin, Cyrillic or Armenian script; may contain emoji, @handles, links, "
     "fake e-mails/phones/test card numbers and a few HTML snippets", "`text`"),
    ("rating", "int 1-5 or blank", "stars, mostly on review_site and complaint_book; follows the true sentiment "
     "(negative 1-2, neutral 2-4, positive 4-5)", "`rating` (optional)"),
    ("label", "negative/neutral/positive or blank", "hand label: the true sentiment with 5 % label noise",
     "`label` (optional)"),
    ("author", "text", "fake handle; spam accounts post many times", "`author` (optional)"),
    ("reach", "int >= 0", "followers of the author (heavy-tailed lognormal; news outlets larger)",
     "`reach` (optional)"),
    ("url", "text or blank", "fake `https://example.org/...` link", "`url` (optional)"),
)
_CUSTOMER_DOC = (
    ("customer_id", "text", "`c00001` ...", "`customer_id`"),
    ("tenure_months", "int 0-72", "months as a customer", "`tenure_months`"),
    ("contract", "text", "month-to-month, one_year, two_year (longer contracts more likely at long tenure)", "feature"),
    ("plan", "text", "basic, standard, premium", "feature"),
    ("monthly_revenue", "number, 2 decimals", "monthly bill, by plan", "`monthly_revenue`"),
    ("total_revenue", "**text**", "about tenure x monthly; a single space `\" \"` where tenure is 0 "
     "(as in the Telco data set): convert with care", "feature"),
    ("complaint_count", "int", "complaints filed (Poisson, mean 0.9)", "feature"),
    ("rude_staff_complaints", "int", "of which about rude staff (each complaint 25 %)", "feature"),
    ("avg_resolution_hours", "number, 1 decimal", "average hours to resolve a request (lognormal)", "feature"),
    ("first_contact_resolution", "yes/no, mixed spellings", "Yes, yes, Y, TRUE / No, no, N, false", "feature"),
    ("last_nps", "int 0-10 or blank", "last NPS answer; 10 % blank; lower after complaints", "feature"),
    ("paperless_billing", "Yes/No", "no effect", "feature"),
    ("support_channel", "text", "phone, chat, email, store; no effect", "feature"),
    ("segment", "text", "consumer, small_business, vip; no effect", "feature"),
    ("favourite_color", "text", "planted noise: no effect", "feature"),
    ("churned", "yes/no, mixed spellings", "Yes/No, yes/no, 1/0, TRUE/FALSE (all read by `cxlib.schemas.parse_yes_no`)",
     "`churned`"),
)


def _para(text: str) -> str:
    """One Markdown paragraph or bullet, wrapped at 110 characters (bullets with a hanging indent)."""
    text = " ".join(text.split())
    indent = "  " if text.startswith("- ") else "   " if re.match(r"\d\. ", text) else ""
    return textwrap.fill(text, width=110, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False)


def _readme(frames: dict[str, pd.DataFrame], mentions: pd.DataFrame, sizes: dict[str, int], seed: int) -> str:
    r = _realised(mentions, frames["customers"])
    kinds = mentions["kind"].value_counts()
    survey = frames["survey"]
    dip_end = (pd.Timestamp(DIP_WEEK_START) + pd.Timedelta(days=6)).strftime("%Y-%m-%d")
    shares = lambda d: ", ".join(f"{k} {_pct(v, 0)}" for k, v in d.items())  # noqa: E731
    files = [(f"`{_FILES[k]}`", k, f"{len(frames[k]):,}", f"{sizes[k] / 1e6:.2f} MB") for k in frames]
    brand_rows = [(b, _pct(SHARE_OF_VOICE[b], 0), *(_pct(x, 0) for x in BRAND_SENTIMENT[b]),
                   _pct(WEAK_ASPECT_NEGATIVE[b], 0)) for b in BRANDS]
    tp_rows = [(f"`{t[0]}`", t[1], t[2], f"{t[4]:.2f}", t[3]) for t in sorted(TOUCHPOINTS, key=lambda t: (-t[4], t[0]))]
    zero = {t[0]: survey[t[0]].eq(0).fillna(False).astype(bool) for t in TOUCHPOINTS}
    na_rows = [(f"`{t}`", _pct(float(z.mean())), _pct(float(survey[t].isna().mean())))
               for t, z in zero.items() if (z | survey[t].isna()).any()]
    churn_rows = [(f"`{k}`", f"{v:+.2f}", _CHURN_FEATURE_DOC[k]) for k, v in CHURN_DRIVERS.items()]
    sat_shares = [b - a for a, b in zip((0.0, *_SATISFACTION_CUTS), (*_SATISFACTION_CUTS, 1.0))]
    names = [t[0] for t in TOUCHPOINTS]
    complete = int((survey[names].fillna(0) > 0).all(axis=1).sum())
    within = (min(_GROUP_LOADING.values()) + _GLOBAL_LOADING, max(_GROUP_LOADING.values()) + _GLOBAL_LOADING)
    blocks = [
        "# Sample data",
        "Synthetic data with planted ground truth for the cxlib notebooks and tests. Generated by our own code:",
        f"```\npython -m cxlib.sample --out data/sample --seed {seed}      # or: make sample\n```",
        "Same seed, byte-identical files (numpy `PCG64`, fixed row order and number formats, no dependence on time, "
        "locale or hashing); `tests/unit/test_sample.py` checks that these committed files equal a fresh run, so they "
        "cannot go stale. The true values below are constants in `cxlib/sample.py` (`OUR_BRAND`, `DIP_WEEK_START`, "
        "`WEAK_COMPETITOR`, `DRIVER_WEIGHTS`, `CHURN_DRIVERS`, ...): tests and analyses compare against the code, "
        "not against this page; `make_mentions(truth=True)` also returns each mention's true sentiment, aspect and "
        "kind.",
        *([f"**These files were generated with seed {seed}, not the committed seed 42.**"] if seed != 42 else []),
        "**Everything here is synthetic.** No real people or companies: authors are generated handles, e-mail "
        "addresses use the reserved `example.com/.org/.net` domains, phone numbers are random digits in national "
        "formats, and the card numbers are public test numbers (e.g. 4111 1111 1111 1111). The texts are built "
        "from the phrases in `cxlib/data/sample_phrases.yaml`.",
        _table(("file", "kind (`cxlib.schemas`)", "rows", "size"), files),
        "All files are UTF-8, comma-separated, `\\n` line ends, one header row; a blank cell means missing.",
        "## mentions.csv",
        f"Online mentions of our brand **{OUR_BRAND}** and its competitors **{', '.join(COMPETITORS)}**, "
        f"{PERIOD_START} to {PERIOD_END}, in English, Russian, Romanian (with ă â î ș ț), Bulgarian and Armenian. "
        f"Each text has one main aspect ({', '.join(ASPECTS)}) and sometimes a second one (never `{WEAK_ASPECT}`). "
        "The aspect can be read from the words: the phrase file lists keyword stems per aspect and language, and "
        "every phrase contains its own aspect's keywords and no other's.",
        _table(("column", "type", "meaning", "canonical name (DESIGN.md 4)"), _MENTION_DOC),
        "### Planted effects",
        "\n".join(_para(b) for b in [
            f"- **Language mix** (drawn): {shares(LANGUAGE_SHARES)}; spam is en/ru/ro only.",
            "- **Share of voice and baseline sentiment** (negative/neutral/positive outside the dip week and the "
            f"weak aspect), and the negative share of mentions about `{WEAK_ASPECT}`:"]),
        _table(("brand", "share of voice", "negative", "neutral", "positive", f"negative on {WEAK_ASPECT}"),
               brand_rows),
        "\n".join(_para(b) for b in [
            f"- **Outage dip**: in the week {DIP_WEEK_START} (Monday) to {dip_end}, {OUR_BRAND}'s volume is "
            f"{DIP_VOLUME_FACTOR:g}x an ordinary week and its mentions are {shares(DIP_SENTIMENT)}, about "
            f"{shares(DIP_ASPECTS)}. In this file: {r['dip_volume']} {OUR_BRAND} mentions that week vs "
            f"{r['before_volume']:.0f} a week in the 8 weeks before; {_pct(r['dip_negative'], 0)} of its labelled "
            f"mentions negative vs {_pct(r['before_negative'], 0)}.",
            f"- **Weak competitor**: {WEAK_COMPETITOR} on `{WEAK_ASPECT}`, true negative share "
            f"{_pct(WEAK_ASPECT_NEGATIVE[WEAK_COMPETITOR], 0)} vs {_pct(WEAK_ASPECT_NEGATIVE[OUR_BRAND], 0)} for the "
            f"others. In this file, labelled mentions with a `{WEAK_ASPECT}` keyword are {_pct(r['weak_negative'], 0)} "
            f"negative for {WEAK_COMPETITOR} (n = {r['weak_n']}) vs {_pct(r['others_negative'], 0)} for the others "
            f"(n = {r['others_n']}).",
            "- **Seasonality**: volume peaks in mid-December (+18 %) and is lowest in June, weekends are about 20 % "
            "quieter, and volume grows 10 % over the period.",
            f"- **Duplicates**: {kinds.get('exact_duplicate', 0)} exact duplicates "
            f"({_pct(EXACT_DUPLICATE_SHARE, 0)}: same text, another id and author, posted 5 minutes to 3 days after "
            f"the original) and {kinds.get('near_duplicate', 0)} near duplicates ({_pct(NEAR_DUPLICATE_SHARE, 0)}: "
            "final punctuation, case, an emoji, one word dropped or doubled). Apart from these, no two texts have the "
            "same words (lower-cased, punctuation and emoji removed).",
            f"- **Spam**: {kinds.get('spam', 0)} posts ({_pct(SPAM_SHARE, 1)}) from {len(SPAMMERS)} accounts "
            f"({', '.join(f'`{s}`' for s in SPAMMERS)}) in bursts: promo codes, \"click here\", links, caps, "
            "stretched letters; never labelled or rated.",
            f"- **Personal data**: {_pct(PII_SHARE, 0)} of the original texts end with a fake e-mail address or "
            "phone number (`+373 22 123 456`, `+7 495 123-45-67`, `+359 2 123 4567`, `+374 10 123456`, "
            f"`(555) 123-4567` styles) and {N_CARD_NUMBERS} more with a 16-digit test card number: "
            f"{int(mentions['has_pii'].sum())} rows with personal data in all, duplicates included. Two texts "
            "contain `<script>alert(1)</script>` and two are wrapped in `<b>...</b>`: reports must show them "
            "escaped.",
            f"- **Labels and ratings**: {_pct(LABEL_SHARE, 0)} of non-spam rows are labelled, "
            f"{_pct(LABEL_NOISE, 0)} of labels flipped to another class. Stars on "
            f"{_pct(RATING_SHARE_BY_CHANNEL['review_site'], 0)} of review_site and "
            f"{_pct(RATING_SHARE_BY_CHANNEL['complaint_book'], 0)} of complaint_book rows, "
            f"{_pct(RATING_SHARE_BY_CHANNEL['social'], 0)} of social and forum rows, none on news "
            f"({_pct(float(frames['mentions']['rating'].notna().mean()), 0)} in all). Negative mentions go more "
            "often to complaint_book, positive ones to review_site.",
            "- **Noise in the text**: openers and closers, intensifiers, negations (\"not bad at all\", "
            "\"Совсем не плохо\"), stretched vowels (\"sooo\"), swapped letters, all lower case or all caps, emoji, "
            "@handles, links."]),
        "## touchpoints.csv",
        "The touchpoint map of the survey (kind `touchpoints`): `touchpoint` (the survey column), `stage` (before, "
        "during or after the purchase), `group`, `description`. The ease-of-access group holds the components of "
        f"DOMAIN.md 2.1; `{NOISE_TOUCHPOINT}` is planted noise.",
        "## survey.csv",
        "Kind `survey`: `respondent_id` (`r00001` ...), `date` (2025, `YYYY-MM-DD`), segments `customer_type` "
        "(new/returning/business), `region` (North/South/East/West/Capital) and `channel` (store/phone/online), the "
        "outcomes `nps` (0-10) and `overall_satisfaction` (1-5), then one column per touchpoint of "
        "`touchpoints.csv`: 1-5 stars, **0 or blank = not applicable** (never \"very bad\"). Segments have no effect.",
        "### How the ratings were made (true driver weights)",
        "\n".join(_para(b) for b in [
            f"1. Latent touchpoint scores `z` are standard normal, correlated {_GLOBAL_LOADING:.2f} across groups "
            f"and {within[0]:.2f}-{within[1]:.2f} within a group; `{NOISE_TOUCHPOINT}` is independent of everything.",
            "2. Latent satisfaction = `sum(DRIVER_WEIGHTS[t] * z[t]) + noise`, the touchpoints explaining "
            f"{_pct(SURVEY_R2, 0)} of its variance; it is standardised and cut into 1-5 with shares "
            f"{', '.join(_pct(x, 0) for x in sat_shares)} (mean {survey['overall_satisfaction'].mean():.2f} here). "
            f"`nps` = 0.8 x that + 0.6 x noise, cut into 0-10 with {_pct(_NPS_CUTS[6], 0)} detractors and "
            f"{_pct(1 - _NPS_CUTS[8], 0)} promoters.",
            "3. Each touchpoint's 1-5 stars are cut from its latent score. The weights apply to the **latent "
            "standardised scores, before cutting into stars and before N/A masking**: they are standardised "
            "effects, so a regression on the 1-5 ratings recovers them attenuated, in the same order."]),
        _table(("touchpoint", "stage", "group", "true weight", "description"), tp_rows),
        "### Not applicable",
        "Masked at random after the ratings were made, so it carries no information: `delivery_on_time` by channel "
        f"({shares(DELIVERY_NA_BY_CHANNEL)}), `complaint_handling` {_pct(COMPLAINT_NA, 0)} (only those who "
        f"complained answer), and {_pct(NA_SHARE['zero'], 0)} coded 0 plus {_pct(NA_SHARE['blank'], 0)} blank in "
        "the other touchpoints of the table below; half of the delivery and complaint N/A are 0, half blank. "
        f"Only {complete:,} respondents ({_pct(complete / len(survey), 0)}) answered every touchpoint, so listwise "
        "deletion keeps few rows (and fewer per segment); pairwise deletion uses all answers. Shares in this file:",
        _table(("touchpoint", "coded 0", "blank"), na_rows),
        "## customers.csv",
        "Kind `customers`, like the usual Telco churn export, mess included.",
        _table(("column", "type", "meaning", "canonical name (DESIGN.md 4)"), _CUSTOMER_DOC),
        "### True churn model",
        f"`logit P(churned) = {CHURN_INTERCEPT:.2f} + sum(CHURN_DRIVERS[f] * x[f])`, where a numeric feature enters "
        "as `(value - center) / scale` with the fixed centers and scales below (about the population mean and SD), "
        f"the two indicators as 0/1, and a blank `last_nps` as 0. Churn rate here: {_pct(r['churn'])}; "
        f"month-to-month {_pct(r['churn_m2m'])} vs other contracts {_pct(r['churn_other'])}; with a rude-staff "
        f"complaint {_pct(r['churn_rude'])} vs without {_pct(r['churn_polite'])}. Contract and tenure are related "
        "(month-to-month is commoner at short tenure), so the log-odds are effects given the other features, not "
        "raw differences.",
        _table(("feature", "log-odds", "how it enters"), churn_rows),
        "Centers and scales: " + ", ".join(f"`{k}` {c:g} / {s:g}" for k, (c, s) in CHURN_SCALES.items()) + ".",
    ]
    return "\n\n".join(b if b.startswith(("|", "```", "#", "- ", "1. ")) else _para(b) for b in blocks) + "\n"


_CHURN_FEATURE_DOC = {
    "contract_month_to_month": "1 if `contract` is month-to-month",
    "rude_staff_complaints": "per scale unit of `rude_staff_complaints`",
    "tenure_months": "per scale unit of `tenure_months`",
    "first_contact_resolution": "1 if `first_contact_resolution` is yes",
    "avg_resolution_hours": "per scale unit of `avg_resolution_hours`",
    "last_nps": "per scale unit of `last_nps` (blank: 0)",
    "complaint_count": "per scale unit of `complaint_count`",
    "favourite_color": "planted noise: no effect",
}


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m cxlib.sample --out data/sample --seed 42``; prints each file with rows and size.

    ``--mentions``, ``--survey`` and ``--customers`` change the row counts. ``--format parquet`` (or
    ``--partition-rows N``) writes instead only a large mentions set for benchmarks, partitioned, into
    ``OUT/mentions/part-00000.parquet`` ... (:func:`write_mentions_set`: texts from a pool of 250,000, partitions
    written in parallel), e.g. ``python -m cxlib.sample --mentions 10000000 --format parquet --out /tmp/big``.

    Examples
    --------
    >>> import contextlib, io, tempfile
    >>> printed = io.StringIO()
    >>> with contextlib.redirect_stdout(printed):
    ...     code = main(["--out", tempfile.mkdtemp(), "--mentions", "200", "--survey", "30", "--customers", "30"])
    >>> code, "mentions.csv" in printed.getvalue(), "200 rows" in printed.getvalue()
    (0, True, True)
    """
    parser = argparse.ArgumentParser(prog="python -m cxlib.sample",
                                     description="Write the synthetic sample data with planted ground truth.")
    parser.add_argument("--out", default="data/sample", help="output folder (default: data/sample)")
    parser.add_argument("--seed", type=int, default=42, help="random seed; same seed, same bytes (default: 42)")
    for name, default in SAMPLE_ROWS.items():
        parser.add_argument(f"--{name}", type=int, default=default, metavar="N",
                            help=f"rows of {name}.csv (default: {default:,})")
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv",
                        help="csv: the four sample files (default); parquet: only a large partitioned mentions set "
                        "in OUT/mentions/ for benchmarks")
    parser.add_argument("--partition-rows", type=int, default=0, metavar="N",
                        help=f"rows per file of the partitioned mentions set (default with parquet: {PARTITION_ROWS:,}); "
                        "with csv, writes a partitioned CSV set instead of the sample")
    args = parser.parse_args(argv)
    if args.seed < 0:
        parser.error(f"--seed must be 0 or more, got {args.seed}")
    for name in SAMPLE_ROWS:
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be 1 or more, got {getattr(args, name)}")
    if args.partition_rows < 0:
        parser.error(f"--partition-rows must be 1 or more, got {args.partition_rows}")
    if args.format == "parquet" or args.partition_rows:
        import time

        started = time.perf_counter()
        files = write_mentions_set(Path(args.out) / "mentions", args.mentions, seed=args.seed, fmt=args.format,
                                   partition_rows=args.partition_rows or PARTITION_ROWS)
        size = sum(f.stat().st_size for f in files)
        print(f"{str(Path(args.out) / 'mentions' / ('*.' + args.format)):<36} {args.mentions:>11,} rows in "
              f"{len(files)} files  {size / 1e6:8.2f} MB  ({time.perf_counter() - started:.0f} s)")
        return 0
    paths = write_sample(args.out, seed=args.seed, rows={k: getattr(args, k) for k in SAMPLE_ROWS})
    total = 0
    for path in paths.values():
        size = path.stat().st_size
        total += size
        rows = f"{len(pd.read_csv(path, dtype=str)):>7,} rows" if path.suffix == ".csv" else " " * 12
        print(f"{str(path):<36} {rows}  {size / 1e6:6.2f} MB")
    print(f"{'total':<36} {'':12}  {total / 1e6:6.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
