"""Competitor SWOT from mentions: aspect sentiment per brand, significance against competitors, SWOT rows with evidence.

The steps (each a function, so a notebook can show every one):

1. :func:`aspect_mentions`: the aspects each mention talks about (:mod:`cxlib.aspects`, per clause) and the
   sentiment of the clauses around each aspect (a :mod:`cxlib.sentiment` scorer), one row per mention x aspect.
2. :func:`aspect_sentiment`: per brand x aspect, volume, share of the brand's mentions and net sentiment
   (positive - negative) / (positive + negative) with a 95 % interval.
3. :func:`compare_aspects`: every test behind the table, each brand against the average of the others, each
   competitor against us, each brand's change between the previous and the current window; two-sided z-tests on
   net sentiment, Benjamini-Hochberg adjusted together (false discovery rate ``alpha``).
4. :func:`swot_table`: the rules (after RE-SWOT, Jha et al. 2021, who derive SWOT from feature-level sentiment of
   app reviews):

   - **strength** of a brand: an aspect where its net sentiment is significantly above the average of the other
     brands and than most of them one by one (worse than none), with at least ``min_evidence`` mentions;
   - **weakness** of a brand: significantly below that average;
   - **opportunity** for us: an aspect where a competitor is significantly weak (or significantly falling) while
     we are not significantly worse than that competitor there;
   - **threat** to us: a competitor significantly better than us, or significantly improving, on an important
     aspect (at least ``importance`` of our aspect mentions), or our own net sentiment significantly falling on one.

   Every row carries its numbers (``metric`` in words plus the numeric columns) and up to ``quotes`` evidence
   quotes: the clearest mentions of that brand and aspect in the direction of the finding, PII-redacted, in their
   original language with its tag. HTML escaping happens where HTML is written (:func:`swot_html`).

Examples
--------
>>> from cxlib import sample, swot
>>> m = sample.make_mentions(4000, seed=1)
>>> table = swot.swot_table(m, "Velora", scorer="lexicon", window="")
>>> list(table.columns[:5])
['quadrant', 'aspect', 'brand', 'metric', 'evidence']
"""
from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import false_discovery_control, norm

from cxlib.aspects import Taxonomy, find_aspects, load_taxonomy
from cxlib.errors import CxDataError, CxParameterError
from cxlib.sentiment import LABELS, SentimentScorer, make_scorer, load_scorer, training_labels

__all__ = ["QUADRANTS", "aspect_mentions", "aspect_sentiment", "split_windows", "compare_aspects", "compact_aspects",
           "swot_table",
           "swot_html", "describe_swot", "write_swot"]

QUADRANTS = ("strength", "weakness", "opportunity", "threat")
_COLUMNS = ["quadrant", "aspect", "brand", "metric", "evidence"]


# --- 1. aspects and their sentiment per mention ----------------------------------------------------------------

def _scorer(scorer: SentimentScorer | str | None, seed: int) -> SentimentScorer:
    if scorer is None:
        return make_scorer("auto", seed=seed)
    if isinstance(scorer, SentimentScorer):
        return scorer
    if isinstance(scorer, (str, Path)) and str(scorer) in ("auto", "lexicon", "trained"):
        return make_scorer(str(scorer), seed=seed)
    return load_scorer(scorer)


def aspect_mentions(mentions: pd.DataFrame, scorer: SentimentScorer | str | None = None,
                    taxonomy: Taxonomy | str | Path | None = None, *, use_ratings: bool = True,
                    seed: int = 0) -> pd.DataFrame:
    """One row per mention x aspect it talks about, with the sentiment of the clauses that name the aspect.

    Parameters
    ----------
    mentions : ``id``, ``created_at``, ``brand``, ``text`` (optional ``language``, ``label``, ``rating``,
        ``channel`` and the ``duplicate``/``spam`` flags of :func:`cxlib.sentiment.flag_mentions`)
    scorer : a fitted or unfitted :class:`~cxlib.sentiment.SentimentScorer`, ``"auto"``, ``"lexicon"``,
        ``"trained"`` or the path of a saved scorer; an unfitted one is fitted on the mentions' labels (and
        ratings) first. Default ``"auto"``.
    taxonomy : :func:`cxlib.aspects.load_taxonomy` argument or a loaded taxonomy (default: service aspects)

    Returns
    -------
    DataFrame: the mention's columns (``text`` = the whole mention) plus ``aspect``, ``clause_text`` (the
    clauses naming it, joined by " … "), ``term`` (the words that matched), ``negative``, ``neutral``,
    ``positive`` (mean over those clauses), ``sentiment`` and ``mention`` (the mention's position in ``mentions``).
    ``attrs["scorer"]`` describes the scorer used (pass a scorer of your own to keep it) and
    ``attrs["taxonomy"]`` names the taxonomy.

    Examples
    --------
    >>> m = pd.DataFrame({"id": [1, 2], "created_at": ["2025-01-02"] * 2, "brand": ["A", "B"],
    ...                   "text": ["Rude staff. Great prices!", "Доставка опоздала на неделю"]})
    >>> aspect_mentions(m, "lexicon")[["id", "aspect", "sentiment"]].values.tolist()
    [[1, 'price', 'positive'], [1, 'staff', 'negative'], [2, 'delivery', 'negative']]
    """
    from cxlib.text import detect_language

    source = mentions.attrs.get("source")
    for col in ("brand", "text"):
        if col not in mentions:
            raise CxDataError(source, col, "is missing: the SWOT needs the brand and the text of each mention",
                              hint=f"map your column with columns={{'Your {col} column': '{col}'}}")
    tax = taxonomy if isinstance(taxonomy, Taxonomy) else load_taxonomy(taxonomy)
    frame = mentions.reset_index(drop=True)
    text = frame["text"].fillna("").astype(str)
    if "language" in frame:
        lang = frame["language"].astype("string").str.strip().str.lower().str[:2]
        missing = lang.isna() | (lang == "")
        lang = lang.astype(object)
        if missing.any():
            lang[missing] = detect_language(text[missing]).to_numpy()
    else:
        lang = detect_language(text)
    frame = frame.assign(language=np.asarray(lang, dtype=object))
    found = find_aspects(text, frame["language"], tax)
    model = _scorer(scorer, seed)
    if not model.used_:
        model.fit(text, training_labels(frame, use_ratings), languages=frame["language"])
    # score each distinct clause once
    clause_lang = frame["language"].to_numpy()[found["doc"].to_numpy()] if len(found) else np.array([], dtype=object)
    keys = pd.DataFrame({"t": found["clause_text"], "l": clause_lang})
    uniq = keys.drop_duplicates().reset_index(drop=True)
    if len(uniq):
        proba = model.predict_proba(uniq["t"], languages=uniq["l"]).to_numpy()
        pos = pd.MultiIndex.from_frame(uniq).get_indexer(pd.MultiIndex.from_frame(keys))
        clause_proba = proba[pos]
    else:
        clause_proba = np.zeros((0, 3))
    scored = found[["doc", "aspect", "term", "clause_text"]].assign(
        **{c: clause_proba[:, j] for j, c in enumerate(LABELS)})
    per = (scored.groupby(["doc", "aspect"], sort=True)
           .agg(clause_text=("clause_text", " … ".join), term=("term", "first"),
                negative=("negative", "mean"), neutral=("neutral", "mean"), positive=("positive", "mean"))
           .reset_index())
    keep = [c for c in frame.columns if c not in ("aspect", "clause_text", "term", "mention", *LABELS, "sentiment")]
    out = frame.iloc[per["doc"].to_numpy()][keep].reset_index(drop=True)
    out = pd.concat([out, per.rename(columns={"doc": "mention"})], axis=1)
    p = out[list(LABELS)].to_numpy()
    out["sentiment"] = np.asarray(LABELS, dtype=object)[p.argmax(axis=1)] if len(out) else pd.Series(dtype=object)
    # attrs hold only small values: pandas deep-copies them on every operation
    out.attrs.update({"scorer": repr(model), "taxonomy": tax.source if tax.source.endswith(".yaml") and
                      not tax.source.startswith("cxlib/") else tax.name, "source": source, "mentions": len(frame),
                      "mentions_per_brand": frame["brand"].astype(str).value_counts().to_dict()})
    return out


# --- 2. per brand x aspect -----------------------------------------------------------------------------------

def _net_and_se(pos: np.ndarray, neg: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Net sentiment (pos - neg) / (pos + neg) and its standard error from (expected) counts; the error uses
    add-one smoothing so that a cell with only positives still has one."""
    polar = pos + neg
    with np.errstate(invalid="ignore", divide="ignore"):
        net = np.where(polar > 0, (pos - neg) / np.where(polar > 0, polar, 1), np.nan)
        r = (pos + 1) / (polar + 2)
        se = 2 * np.sqrt(r * (1 - r) / np.where(polar > 0, polar, np.nan))
    return net, se


def aspect_sentiment(aspects: pd.DataFrame, by: Sequence[str] = ("brand", "aspect"), *,
                     confidence: float = 0.95, min_evidence: int = 30) -> pd.DataFrame:
    """Per ``by`` cell (default brand x aspect): volume, share of the brand's mentions, sentiment shares and net
    sentiment with its interval.

    A ``rows`` column, where present, weights each row (a row of :func:`compact_aspects` stands for ``rows``
    mention x aspect pairs; 0 for the rows kept only as quote candidates).

    Returns ``by`` columns, ``n`` (mentions naming the aspect), ``share_of_mentions`` (the cell's share of the
    brand's aspect mentions: what part of what customers say about the brand is about this aspect), ``negative``, ``neutral``,
    ``positive`` (mean probabilities), ``net_sentiment``, ``se``, ``ci_low``, ``ci_high`` and ``low_evidence``
    (``n < min_evidence``: shown, but not used for SWOT rows).

    Examples
    --------
    >>> a = pd.DataFrame({"brand": ["A"] * 4, "aspect": ["price"] * 4, "negative": [1, 0, 0, 0.0],
    ...                   "neutral": [0.0] * 4, "positive": [0, 1, 1, 1.0]})
    >>> aspect_sentiment(a, min_evidence=2)[["brand", "aspect", "n", "net_sentiment"]].values.tolist()
    [['A', 'price', 4, 0.5]]
    """
    if not (isinstance(confidence, (int, float)) and 0 < confidence < 1):
        raise CxParameterError("confidence", "swot.aspect_sentiment", "a number between 0 and 1", confidence)
    by = list(by)
    missing = [c for c in (*by, *LABELS) if c not in aspects]
    if missing:
        raise CxDataError(aspects.attrs.get("source"), missing[0], "is missing: pass the output of "
                          "swot.aspect_mentions", hint="run swot.aspect_mentions(mentions) first")
    rows = aspects["rows"].to_numpy(float) if "rows" in aspects else np.ones(len(aspects))
    weighted = pd.DataFrame({**{b: aspects[b].to_numpy() for b in by}, "n": rows,
                             **{f"_{c}": aspects[c].to_numpy(float) * rows for c in LABELS}})
    out = weighted.groupby(by, observed=True, sort=True).sum().reset_index()
    out = out[out["n"] > 0].reset_index(drop=True)
    out["n"] = out["n"].round().astype(int)
    z = float(norm.ppf(0.5 + confidence / 2))
    net, se = _net_and_se(out["_positive"].to_numpy(float), out["_negative"].to_numpy(float))
    if "brand" in by and len(by) > 1:
        total = out.groupby([b for b in by if b != "aspect"] if "aspect" in by else ["brand"])["n"].transform("sum")
        out["share_of_mentions"] = out["n"] / total
    else:
        out["share_of_mentions"] = out["n"] / out["n"].sum()
    for c in LABELS:
        out[c] = out.pop(f"_{c}") / out["n"]
    out["net_sentiment"], out["se"] = net, se
    out["ci_low"] = np.clip(net - z * se, -1, 1)
    out["ci_high"] = np.clip(net + z * se, -1, 1)
    out["low_evidence"] = out["n"] < min_evidence
    out.attrs.update({"confidence": confidence, "min_evidence": min_evidence})
    return out[[*by, "n", "share_of_mentions", *LABELS, "net_sentiment", "se", "ci_low", "ci_high", "low_evidence"]]


# --- 3. windows and tests ------------------------------------------------------------------------------------

def split_windows(created_at: pd.Series, window: str = "6M", end: str | None = None
                  ) -> tuple[pd.Series, tuple[pd.Timestamp, pd.Timestamp] | None, tuple[pd.Timestamp, pd.Timestamp] | None]:
    """Label each date "current" (the last ``window`` up to ``end``), "previous" (the window before) or None.

    ``window`` is a length such as "3M", "6M", "12M", "8W", "90D"; "" means one window of all the data (no
    trend). Returns the labels and the (first day, last day) of each window.

    Examples
    --------
    >>> d = pd.Series(pd.to_datetime(["2025-01-15", "2025-05-01", "2025-09-30", "2025-12-31"]))
    >>> labels, current, previous = split_windows(d, "6M")
    >>> labels.tolist(), str(current[0].date()), str(previous[0].date())
    (['previous', 'previous', 'current', 'current'], '2025-07-01', '2025-01-01')
    """
    from cxlib.health import _naive_dates

    when = created_at if pd.api.types.is_datetime64_any_dtype(created_at) else _naive_dates(created_at)
    if getattr(when.dt, "tz", None) is not None:
        when = when.dt.tz_localize(None)
    day = when.dt.normalize()
    last = pd.Timestamp(end).normalize() if end else day.max()
    if not window:
        first = day.min()
        labels = pd.Series(np.where((day >= first) & (day <= last), "current", None), index=created_at.index,
                           dtype=object)
        return labels, (first, last), None
    try:
        count, unit = int(str(window)[:-1]), str(window)[-1].upper()
        offset = {"D": pd.DateOffset(days=count), "W": pd.DateOffset(weeks=count),
                  "M": pd.DateOffset(months=count), "Y": pd.DateOffset(years=count)}[unit]
    except (ValueError, KeyError):
        raise CxParameterError("window", "swot.split_windows", "a length such as '3M', '6M', '12M', '8W', '90D', "
                               "or '' for all the data", window) from None
    cur_first = (last + pd.Timedelta(days=1)) - offset
    prev_first = cur_first - offset
    labels = np.where((day >= cur_first) & (day <= last), "current",
                      np.where((day >= prev_first) & (day < cur_first), "previous", None))
    return (pd.Series(labels, index=created_at.index, dtype=object), (cur_first, last),
            (prev_first, cur_first - pd.Timedelta(days=1)))


def _z_test(a_net, a_se, b_net, b_se) -> tuple[float, float, float]:
    diff = a_net - b_net
    se = math.sqrt(a_se ** 2 + b_se ** 2)
    if not (np.isfinite(diff) and se > 0):
        return diff, float("nan"), float("nan")
    z = diff / se
    return diff, z, float(2 * norm.sf(abs(z)))


def compare_aspects(current: pd.DataFrame, our_brand: str, previous: pd.DataFrame | None = None, *,
                    alpha: float = 0.05, min_evidence: int = 30) -> pd.DataFrame:
    """Every comparison behind the SWOT table, with p-values adjusted together (Benjamini-Hochberg).

    Parameters
    ----------
    current, previous : :func:`aspect_sentiment` tables (brand x aspect) of the current and previous window
    our_brand : our brand, as in the brand column
    alpha : false discovery rate of the whole set of tests
    min_evidence : cells with fewer mentions take part in no test

    Returns
    -------
    DataFrame, one row per test: ``test`` ("vs_others": a brand against the average of the other brands;
    "pair": ``brand`` against ``other``, once per pair, our brand always as ``other``; "trend": current window
    against previous), ``brand``, ``other``, ``aspect``, ``value`` (net sentiment), ``reference`` (what it is
    compared with), ``difference``, ``z``, ``p_value``, ``p_adjusted``, ``significant``, ``n``, ``n_reference``.
    Two-sided z-tests on net sentiment; the average of the others gives each brand equal weight.

    Examples
    --------
    >>> cur = pd.DataFrame({"brand": ["A", "B", "C"], "aspect": "price", "n": [400, 400, 400],
    ...                     "net_sentiment": [0.5, 0.0, -0.1], "se": [0.04, 0.05, 0.05]})
    >>> t = compare_aspects(cur, "A")
    >>> t[t["test"] == "vs_others"][["brand", "difference", "significant"]].round(2).values.tolist()
    [['A', 0.55, True], ['B', -0.2, True], ['C', -0.35, True]]
    >>> t[t["test"] == "pair"][["brand", "other", "difference"]].round(2).values.tolist()
    [['B', 'A', -0.5], ['C', 'A', -0.6], ['B', 'C', 0.1]]
    """
    if not 0 < alpha < 1:
        raise CxParameterError("alpha", "swot.compare_aspects", "a number between 0 and 1, e.g. 0.05", alpha)
    rows: list[dict[str, Any]] = []

    def test(kind: str, brand: str, other: str | None, aspect: str, a: Any, ref: float, ref_se: float,
             n_ref: int) -> None:
        d, z, p = _z_test(float(a["net_sentiment"]), float(a["se"]), ref, ref_se)
        rows.append({"test": kind, "brand": brand, "other": other, "aspect": aspect, "value": float(a["net_sentiment"]),
                     "reference": ref, "difference": d, "z": z, "p_value": p, "n": int(a["n"]), "n_reference": n_ref})

    ok = current[(current["n"] >= min_evidence) & current["net_sentiment"].notna()]
    for aspect, cell in ok.groupby("aspect", sort=False):
        cell = cell.set_index("brand")
        for brand, r in cell.iterrows():
            others = cell.drop(index=brand)
            if len(others):
                test("vs_others", brand, None, aspect, r, float(others["net_sentiment"].mean()),
                     float(np.sqrt((others["se"] ** 2).sum()) / len(others)), int(others["n"].sum()))
        names = sorted(cell.index, key=lambda b: (b == our_brand, b))
        if our_brand in cell.index:
            us = cell.loc[our_brand]
            for brand in names[:-1]:
                test("pair", brand, our_brand, aspect, cell.loc[brand], float(us["net_sentiment"]), float(us["se"]),
                     int(us["n"]))
        rivals = [b for b in names if b != our_brand]
        for i, brand in enumerate(rivals):
            for other in rivals[i + 1:]:
                o = cell.loc[other]
                test("pair", brand, other, aspect, cell.loc[brand], float(o["net_sentiment"]), float(o["se"]),
                     int(o["n"]))
    if previous is not None and len(previous):
        prev = previous[(previous["n"] >= min_evidence) & previous["net_sentiment"].notna()]
        both = ok.merge(prev, on=["brand", "aspect"], suffixes=("", "_prev"))
        for _, r in both.iterrows():
            test("trend", r["brand"], None, r["aspect"], r, float(r["net_sentiment_prev"]), float(r["se_prev"]),
                 int(r["n_prev"]))
    cols = ["test", "brand", "other", "aspect", "value", "reference", "difference", "z", "p_value", "p_adjusted",
            "significant", "n", "n_reference"]
    out = pd.DataFrame(rows, columns=[c for c in cols if c not in ("p_adjusted", "significant")])
    p = out["p_value"].to_numpy(float)
    adj = np.full(len(out), np.nan)
    finite = np.isfinite(p)
    if finite.any():
        adj[finite] = false_discovery_control(p[finite], method="bh")
    out["p_adjusted"] = adj
    out["significant"] = np.nan_to_num(adj, nan=1.0) < alpha
    out.attrs.update({"alpha": alpha, "tests": int(finite.sum()), "method": "Benjamini-Hochberg"})
    return out[cols]


def _standing(tests: pd.DataFrame) -> pd.DataFrame:
    """Per brand x aspect: how many other brands it is significantly better / worse than, and of how many."""
    pairs = tests[tests["test"] == "pair"]
    both = pd.concat([
        pairs[["brand", "aspect", "difference", "significant"]],
        pairs[["other", "aspect", "difference", "significant"]].rename(columns={"other": "brand"})
        .assign(difference=lambda d: -d["difference"])])
    return (both.assign(better=both["significant"] & (both["difference"] > 0),
                        worse=both["significant"] & (both["difference"] < 0))
            .groupby(["brand", "aspect"])[["better", "worse"]].agg(["sum", "size"])
            .set_axis(["better", "compared", "worse", "_"], axis=1).drop(columns="_"))


# --- 4. the SWOT table ---------------------------------------------------------------------------------------

def _fmt_net(x: float) -> str:
    return "n/a" if not np.isfinite(x) else f"{x:+.2f}".replace("-", "−")


def _fmt_p(p: float) -> str:
    return "p_adj < 0.001" if p < 0.001 else f"p_adj = {p:.3f}"


def _ranked(rows: pd.DataFrame, side: str) -> pd.DataFrame:
    """Quote candidates, best first: texts clearly on ``side`` (probability >= 0.5), duplicates and spam left out,
    very short or very long texts a little behind, one row per distinct text."""
    pool = rows[rows["text"].notna()] if "text" in rows else rows.iloc[0:0]
    if "duplicate" in pool:
        pool = pool[pool["duplicate"].fillna("").astype(str) == ""]
    if "spam" in pool:
        pool = pool[~pool["spam"].fillna(False).astype(bool)]
    pool = pool[pool[side] >= 0.5]
    if pool.empty:
        return pool
    length = pool["text"].astype(str).str.len()
    order = pool.assign(_s=pool[side] - 0.1 * ((length < 25) | (length > 400)), _t=pool["text"].astype(str).str.strip())
    ties = [c for c in ("language", "id", "created_at") if c in order]  # a full order: the same pick from any split
    order = order.assign(**{f"_k{i}": order[c].astype(str) for i, c in enumerate(ties)})
    keys = ["_s", "_t", *(f"_k{i}" for i in range(len(ties)))]
    order = order.sort_values(keys, ascending=[False] + [True] * (len(keys) - 1), kind="stable")
    return order.drop_duplicates("_t").drop(columns=keys[2:])


def compact_aspects(aspects: pd.DataFrame, window: str = "6M", end: str | None = None, quotes: int = 3
                    ) -> pd.DataFrame:
    """The same information as :func:`aspect_mentions` rows in far fewer rows, for data too big for one frame.

    Per brand x aspect x window (current, previous): one row with ``rows`` (how many mention x aspect pairs it
    stands for), the mean ``negative``/``neutral``/``positive`` and ``created_at`` (the latest date of the group),
    plus the best ``quotes`` quote candidates per language and side with ``rows`` = 0. Compacted parts of one data
    set can be concatenated (the sums add up) and passed to :func:`swot_table` with the same ``window`` and
    ``end`` (the data's last day, known before the parts are made): the table is the one the full rows give.

    Examples
    --------
    >>> a = pd.DataFrame({"brand": ["A"] * 3, "aspect": ["price"] * 3, "created_at": pd.to_datetime(["2025-01-02"] * 3),
    ...                   "text": ["cheap", "cheap!", "too expensive"], "language": "en",
    ...                   "negative": [0.0, 0.1, 0.9], "neutral": [0.0] * 3, "positive": [1.0, 0.9, 0.1]})
    >>> compact_aspects(a, window="", quotes=1)[["rows", "text", "positive"]].round(2).values.tolist()
    [[3.0, nan, 0.67], [0.0, 'too expensive', 0.1], [0.0, 'cheap', 1.0]]
    """
    if aspects.empty:
        return aspects.assign(rows=pd.Series(dtype=float))
    labels, _, _ = split_windows(aspects["created_at"], window, end)
    rows = aspects.assign(_window=labels.to_numpy())
    rows = rows[rows["_window"].notna()]
    keys = ["brand", "aspect", "_window"]
    agg = rows.groupby(keys, sort=True).agg(rows=("brand", "size"), created_at=("created_at", "max"),
                                           **{c: (c, "mean") for c in LABELS}).reset_index()
    parts = [agg]
    if quotes > 0:
        for side, (_, part) in ((side, g) for side in ("negative", "positive") for g in rows.groupby(keys)):
            ranked = _ranked(part, side)  # per cell and window, as swot_table picks them
            if len(ranked):
                parts.append(ranked.groupby(keys + ["language"], sort=False).head(quotes)
                             .drop(columns=["_s", "_t"]).assign(rows=0.0))
    out = pd.concat(parts, ignore_index=True).drop(columns="_window")
    out["rows"] = out["rows"].astype(float)
    return out


def _quotes(rows: pd.DataFrame, side: str, k: int, width: int = 220) -> str:
    """Up to ``k`` quotes from ``rows`` (one brand x aspect), clearest on ``side`` first, distinct texts, one per
    language before a second of any, flagged duplicates and spam left out; PII redacted."""
    from cxlib.text import redact_pii

    if k <= 0 or rows.empty:
        return ""
    order = _ranked(rows, side)
    if order.empty:
        return ""
    picked: list[int] = []
    seen_lang: set[str] = set()
    for i, lang in zip(order.index, order["language"].astype(str)):
        if lang not in seen_lang:
            picked.append(i)
            seen_lang.add(lang)
        if len(picked) == k:
            break
    for i in order.index:
        if len(picked) == k:
            break
        if i not in picked:
            picked.append(i)
    out = []
    for i in picked:
        r = order.loc[i]
        body = str(r["text"]).strip()
        if len(body) > width:  # keep the clause that names the aspect, with what is around it
            clause = str(r["clause_text"]).split(" … ")[0]
            at = max(body.find(clause), 0)
            lo = max(at - (width - len(clause)) // 2, 0)
            body = ("…" if lo > 0 else "") + body[lo:lo + width].strip() + ("…" if lo + width < len(body) else "")
        body = " ".join(body.split())
        ident = f" ({r['id']})" if "id" in r and pd.notna(r["id"]) else ""
        out.append(f"[{r['language']}] “{body}”{ident}")
    return "\n".join(redact_pii(out).tolist())


def _important(cur: pd.DataFrame, our_brand: str, importance: float) -> set[str]:
    ours = cur[cur["brand"] == our_brand]
    if ours.empty:
        return set(cur["aspect"])
    share = ours.set_index("aspect")["n"] / ours["n"].sum()
    return set(share[share >= importance].index)


def swot_table(mentions: pd.DataFrame, our_brand: str, competitors: Sequence[str] | None = None, *,
               scorer: SentimentScorer | str | None = None, taxonomy: Taxonomy | str | Path | None = None,
               window: str = "6M", end: str | None = None, alpha: float = 0.05, min_evidence: int = 30,
               quotes: int = 3, importance: float = 0.05, seed: int = 0) -> pd.DataFrame:
    """The SWOT table of ``our_brand`` against ``competitors``, every row with its numbers and evidence quotes.

    Parameters
    ----------
    mentions : mentions (``id``, ``created_at``, ``brand``, ``text`` ...), or the output of
        :func:`aspect_mentions` (then ``scorer`` and ``taxonomy`` are not needed)
    our_brand : our brand as written in the brand column
    competitors : the competitor brands; default every other brand in the data
    scorer, taxonomy : see :func:`aspect_mentions`
    window : the current window, e.g. "6M" (the last six months up to ``end``), compared with the six months
        before for trends; "" = all the data, no trend rows
    alpha : false discovery rate over all the tests (Benjamini-Hochberg)
    min_evidence : mentions a brand x aspect needs to take part
    quotes : evidence quotes per row
    importance : share of our aspect mentions that makes an aspect important (for threats)

    Returns
    -------
    DataFrame sorted by quadrant, brand (ours first) and strength of the finding: ``quadrant``, ``aspect``,
    ``brand`` (whose strength or weakness; for opportunities and threats the competitor behind them, or us),
    ``metric`` (the finding in words), ``evidence`` (quotes, one per line, ``[lang] “text” (id)``), then
    ``aspect_label``, ``net_sentiment``, ``reference`` (the value compared with), ``compared_with``, ``difference``,
    ``p_adjusted``, ``n``, ``test``.
    ``attrs`` carry the windows, the per-window :func:`aspect_sentiment` tables (``attrs["current"]``, with
    ``previous_net_sentiment`` and ``trend`` added; ``attrs["previous"]``) and every test (``attrs["tests"]``).

    Examples
    --------
    >>> from cxlib import sample
    >>> t = swot_table(sample.make_mentions(6000, seed=3), "Velora", scorer="lexicon", window="")
    >>> t[(t["brand"] == "Kvant") & (t["aspect"] == "delivery")]["quadrant"].tolist()
    ['weakness', 'opportunity']
    """
    if our_brand in (None, ""):
        raise CxParameterError("our_brand", "swot.swot_table", "our brand as written in the brand column", our_brand)
    if not isinstance(quotes, int) or quotes < 0:
        raise CxParameterError("quotes", "swot.swot_table", "a whole number >= 0", quotes)
    aspects = mentions if {"aspect", *LABELS} <= set(mentions.columns) else \
        aspect_mentions(mentions, scorer, taxonomy, seed=seed)
    tax = taxonomy if isinstance(taxonomy, Taxonomy) else load_taxonomy(taxonomy or aspects.attrs.get("taxonomy"))
    brands_found = sorted(aspects["brand"].astype(str).unique()) if len(aspects) else []
    if our_brand not in brands_found:
        raise CxDataError(aspects.attrs.get("source"), "brand", f"has no mention of {our_brand!r} that names an "
                          f"aspect; brands found: {', '.join(brands_found[:12]) or 'none'}",
                          hint="set our_brand to one of the brands found (same spelling)")
    rivals = [b for b in (competitors or brands_found) if b != our_brand]
    unknown = [b for b in rivals if b not in brands_found]
    if unknown:
        raise CxDataError(aspects.attrs.get("source"), "brand", f"has no aspect mentions of {', '.join(unknown)}; "
                          f"brands found: {', '.join(brands_found[:12])}",
                          hint="fix the spelling in competitors, or leave it empty for every other brand")
    aspects = aspects[aspects["brand"].astype(str).isin([our_brand, *rivals])]
    if "created_at" in aspects and aspects["created_at"].notna().any():
        labels, cur_span, prev_span = split_windows(aspects["created_at"], window, end)
    else:
        labels, cur_span, prev_span = pd.Series("current", index=aspects.index), None, None
    cur_rows, prev_rows = aspects[labels == "current"], aspects[labels == "previous"]
    current = aspect_sentiment(cur_rows, min_evidence=min_evidence)
    previous = aspect_sentiment(prev_rows, min_evidence=min_evidence) if len(prev_rows) else None
    tests = compare_aspects(current, our_brand, previous, alpha=alpha, min_evidence=min_evidence)
    sig = tests[tests["significant"]]
    # the trend of every cell beside its current value (NaN where the previous window has no mention)
    before = (previous.set_index(["brand", "aspect"])["net_sentiment"] if previous is not None
              else pd.Series(dtype=float))
    key = pd.MultiIndex.from_frame(current[["brand", "aspect"]])
    current["previous_net_sentiment"] = before.reindex(key).to_numpy()
    current["trend"] = current["net_sentiment"] - current["previous_net_sentiment"]
    important = _important(current, our_brand, importance)
    by_cell = {k: v for k, v in cur_rows.groupby(["brand", "aspect"], sort=False)}
    found: list[dict[str, Any]] = []

    def add(quadrant: str, t: Any, brand: str, metric: str, side: str) -> None:
        rows = by_cell.get((brand, t.aspect), cur_rows.iloc[0:0])
        found.append({"quadrant": quadrant, "aspect": t.aspect, "brand": brand, "metric": metric,
                      "evidence": _quotes(rows, side, quotes), "aspect_label": tax.label(t.aspect),
                      "net_sentiment": t.value, "reference": t.reference, "difference": t.difference,
                      "p_adjusted": t.p_adjusted, "n": t.n, "test": t.test,
                      "compared_with": {"vs_others": "average of the other brands",
                                        "trend": "previous window"}.get(t.test, t.other)})

    label = tax.label
    standing = _standing(tests)
    pairs = tests[tests["test"] == "pair"]
    sig_pair = {(r.brand, r.other, r.aspect): r.difference for r in pairs[pairs["significant"]].itertuples()}

    def beats(a: str, b: str, aspect: str) -> bool:  # is a significantly better than b on the aspect?
        d = sig_pair.get((a, b, aspect))
        if d is None and (b, a, aspect) in sig_pair:
            d = -sig_pair[(b, a, aspect)]
        return d is not None and d > 0

    def stands(brand: str, aspect: str, side: str) -> tuple[bool, str]:
        """Significantly better (or worse) than most of the other brands one by one, and worse (better) than none."""
        if (brand, aspect) not in standing.index:
            return False, ""
        s = standing.loc[(brand, aspect)]
        good, bad = ("better", "worse") if side == "better" else ("worse", "better")
        ok = s[good] > s["compared"] / 2 and s[bad] == 0
        return bool(ok), f"{side} than {int(s[good])} of {int(s['compared'])} brands one by one"

    for t in sig[sig["test"] == "vs_others"].itertuples(index=False):
        side = "better" if t.difference > 0 else "worse"
        ok, pairwise = stands(t.brand, t.aspect, side)
        if not ok:
            continue
        others = "the other brands" if t.brand != our_brand else "competitors"
        add("strength" if side == "better" else "weakness", t, t.brand,
            f"{t.brand} on {label(t.aspect).lower()}: net sentiment {_fmt_net(t.value)} vs {_fmt_net(t.reference)} "
            f"on average for {others} ({_fmt_net(t.difference)}; n = {t.n}; {_fmt_p(t.p_adjusted)}; "
            f"significantly {pairwise})", "positive" if side == "better" else "negative")
    weak = {(r["brand"], r["aspect"]) for r in found if r["quadrant"] == "weakness"}
    ours_now = current[current["brand"] == our_brand].set_index("aspect")["net_sentiment"]

    def at_us(aspect: str) -> str:
        return f"; we are at {_fmt_net(float(ours_now[aspect]))}" if aspect in ours_now.index else ""

    for t in sig.itertuples(index=False):
        if t.test == "trend" and t.brand == our_brand:
            if t.difference < 0 and t.aspect in important:
                add("threat", t, t.brand, f"our net sentiment on {label(t.aspect).lower()} fell from "
                    f"{_fmt_net(t.reference)} to {_fmt_net(t.value)} ({_fmt_net(t.difference)}; n = {t.n}; "
                    f"{_fmt_p(t.p_adjusted)})", "negative")
            continue
        if t.brand not in rivals:
            continue
        if t.test in ("vs_others", "trend") and t.difference < 0 and not beats(t.brand, our_brand, t.aspect):
            if t.test == "vs_others" and (t.brand, t.aspect) not in weak:
                continue
            what = (f"{t.brand} is weak on {label(t.aspect).lower()}: {_fmt_net(t.value)} vs "
                    f"{_fmt_net(t.reference)} for the other brands" if t.test == "vs_others" else
                    f"{t.brand} is getting worse on {label(t.aspect).lower()}: {_fmt_net(t.reference)} -> "
                    f"{_fmt_net(t.value)}")
            add("opportunity", t, t.brand, f"{what}{at_us(t.aspect)} (n = {t.n}; {_fmt_p(t.p_adjusted)})",
                "negative")
        elif t.aspect in important and t.difference > 0 and (
                (t.test == "pair" and t.other == our_brand)
                or (t.test == "trend" and not beats(our_brand, t.brand, t.aspect))):
            what = (f"{t.brand} beats us on {label(t.aspect).lower()}: {_fmt_net(t.value)} vs our "
                    f"{_fmt_net(t.reference)}" if t.test == "pair" else
                    f"{t.brand} is improving on {label(t.aspect).lower()}: {_fmt_net(t.reference)} -> "
                    f"{_fmt_net(t.value)}{at_us(t.aspect)}")
            add("threat", t, t.brand, f"{what} (n = {t.n}; {_fmt_p(t.p_adjusted)})", "positive")
    cols = _COLUMNS + ["aspect_label", "net_sentiment", "reference", "compared_with", "difference", "p_adjusted", "n",
                       "test"]
    out = pd.DataFrame(found, columns=cols)
    if len(out):
        out = out.assign(_q=out["quadrant"].map({q: i for i, q in enumerate(QUADRANTS)}),
                         _b=(out["brand"] != our_brand).astype(int), _d=-out["difference"].abs())
        out = out.sort_values(["_q", "_b", "brand", "_d", "aspect"], kind="stable").drop(columns=["_q", "_b", "_d"])
        out = out.drop_duplicates(["quadrant", "aspect", "brand"]).reset_index(drop=True)
    out.attrs.update({"our_brand": our_brand, "competitors": rivals, "window": window, "alpha": alpha,
                      "current_window": cur_span, "previous_window": prev_span if len(prev_rows) else None,
                      "tests": tests, "current": current, "previous": previous, "min_evidence": min_evidence,
                      "important_aspects": sorted(important), "taxonomy": tax.name})
    return out


# --- presentation and export ---------------------------------------------------------------------------------

_QUADRANT_COLOURS = {"strength": "#e6f4ea", "weakness": "#fde8e7", "opportunity": "#e8f0fe", "threat": "#fef7e0"}


def swot_html(table: pd.DataFrame, *, caption: str = "") -> str:
    """The SWOT table as a styled, self-contained HTML table; every text cell HTML-escaped (quotes one per line).

    Examples
    --------
    >>> t = pd.DataFrame({"quadrant": ["weakness"], "aspect": ["delivery"], "brand": ["B"],
    ...                   "metric": ["net −0.50 <b>"], "evidence": ["[en] “<script>x</script>” (7)"]})
    >>> "&lt;script&gt;" in swot_html(t) and "<script>" not in swot_html(t)
    True
    """
    def cell(v: Any) -> str:
        return "<br>".join(html.escape(s) for s in str("" if v is None or v is np.nan else v).split("\n"))

    shown = [c for c in ("quadrant", "brand", "aspect_label" if "aspect_label" in table else "aspect", "metric",
                         "evidence") if c in table]
    head = "".join(f"<th>{html.escape(c.replace('_label', '').replace('_', ' '))}</th>" for c in shown)
    body = []
    for _, r in table.iterrows():
        colour = _QUADRANT_COLOURS.get(str(r.get("quadrant")), "#ffffff")
        tds = "".join(f'<td style="vertical-align:top;padding:4px 8px;{"font-weight:600;" if c == "quadrant" else ""}'
                      f'{"font-size:0.9em;" if c == "evidence" else ""}">{cell(r[c])}</td>' for c in shown)
        body.append(f'<tr style="background:{colour}">{tds}</tr>')
    cap = f"<caption style='caption-side:top;text-align:left;font-weight:600'>{html.escape(caption)}</caption>" \
        if caption else ""
    if not body:
        body.append(f'<tr><td colspan="{len(shown)}">No significant finding at this significance level.</td></tr>')
    return (f'<table class="dataframe cx-swot" style="border-collapse:collapse;max-width:100%">{cap}'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")


def describe_swot(table: pd.DataFrame) -> str:
    """A Markdown paragraph: how many findings of each kind, the windows and the test count.

    >>> t = pd.DataFrame({"quadrant": ["strength", "threat"], "brand": ["A", "B"], "aspect": ["price", "staff"]})
    >>> t.attrs.update(our_brand="A", tests=pd.DataFrame({"x": [1, 2, 3]}), alpha=0.05)
    >>> describe_swot(t).split(".")[0]
    '**A**: 1 strength(s), 0 weakness(es), 0 opportunity(ies), 1 threat(s) from 3 tests at a false discovery rate of 5 %'
    """
    ours = table.attrs.get("our_brand")
    mine = table[(table["brand"] == ours) | table["quadrant"].isin(["opportunity", "threat"])]
    counts = mine["quadrant"].value_counts()
    tests = table.attrs.get("tests")
    parts = [f"**{ours}**: {counts.get('strength', 0)} strength(s), {counts.get('weakness', 0)} weakness(es), "
             f"{counts.get('opportunity', 0)} opportunity(ies), {counts.get('threat', 0)} threat(s) from "
             f"{0 if tests is None else len(tests)} tests at a false discovery rate of "
             f"{100 * table.attrs.get('alpha', 0.05):.0f} %."]
    cur, prev = table.attrs.get("current_window"), table.attrs.get("previous_window")
    if cur:
        parts.append(f"Current window {cur[0]:%Y-%m-%d} to {cur[1]:%Y-%m-%d}"
                     + (f", compared with {prev[0]:%Y-%m-%d} to {prev[1]:%Y-%m-%d}." if prev else
                        "; no earlier window in the data, so no trends."))
    rivals = table[(table["brand"] != ours) & table["quadrant"].isin(["strength", "weakness"])]
    if len(rivals):
        parts.append(f"Competitors' own strengths and weaknesses: {len(rivals)} rows, listed after ours.")
    return " ".join(parts)


def write_swot(table: pd.DataFrame, csv_path: str | Path, html_path: str | Path | None = None,
               caption: str = "") -> list[Path]:
    """Write the SWOT table as CSV (UTF-8, quotes one per line inside the cell) and optionally as the styled
    HTML table, each atomically (a failed write leaves the previous file). Returns the paths written.

    >>> import tempfile, os
    >>> t = pd.DataFrame({"quadrant": ["strength"], "aspect": ["price"], "brand": ["A"], "metric": ["m"], "evidence": [""]})
    >>> d = tempfile.mkdtemp(); [p.name for p in write_swot(t, os.path.join(d, "s.csv"), os.path.join(d, "s.html"))]
    ['s.csv', 's.html']
    """
    from cxlib.io import atomic_write_csv, atomic_write_text

    paths = [atomic_write_csv(table, csv_path, index=False)]
    if html_path:
        page = (f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(caption or 'SWOT')}</title>"
                f"</head><body style='font-family:sans-serif'>{swot_html(table, caption=caption)}</body></html>")
        paths.append(atomic_write_text(html_path, page))
    return [Path(p) for p in paths]
