"""Benchmark of the competitor SWOT (issue 7's figures), in one run on this machine.

    .venv/bin/python bench/swot.py [--rows 100000] [--skip-aspects] [--skip-big] [--only-big]

Prints:

1. **Aspect detection against real labels** (``bench/aspects.py``): Tweets.csv negative reasons against the
   service aspects (precision and recall per mapped aspect), SentiRuEval-2015 restaurants (food, interior, price,
   service) against the gold categories, macro-F1 at review and sentence level (target >= 0.70).
2. **Tweets.csv SWOT ordering**: ``swot_table`` on the airline tweets (brand = airline), and the negative share of
   each airline's aspect mentions from its ``attrs["current"]`` table, once with the lexicon (no labels) and once
   with the auto scorer trained on the tweets' labels. Known ordering: US Airways highest, Virgin America lowest.
3. **Planted weak competitor** of ``data/sample/mentions.csv``: the rows the notebook's default run gives for
   Kvant x delivery (expected: Kvant's weakness and our opportunity).
4. **100,000 mentions to a finished SWOT table** (``sample.make_mentions``, generated outside the clock): the auto
   scorer fitted on their labels, aspects found and scored, the table with quotes. Target < 60 s on 2 cores. The
   baseline in the same run: scoring the same mentions whole with the same fitted scorer
   (``sentiment.score_mentions``), so the ratio says what aspects, clauses and tests add.
"""
from __future__ import annotations

import argparse
import os
import runpy
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import datasets  # noqa: E402  (bench/datasets.py)

from cxlib import io, sample, sentiment, swot  # noqa: E402


def tweets_ordering() -> None:
    d = datasets.airline_tweets()
    if d is None:
        print("2. Tweets.csv absent: skipped")
        return
    truth = d.groupby("brand")["label"].apply(lambda s: (s == "negative").mean()).sort_values()
    print(f"2. Tweets.csv ({len(d):,} tweets, 6 airlines), negative share of all tweets by label: "
          + ", ".join(f"{b} {v:.2f}" for b, v in truth.items()))
    m = d.assign(language="en")
    for kind in ("lexicon", "auto"):
        t0 = time.perf_counter()
        model = sentiment.make_scorer(kind, seed=0)
        found = swot.aspect_mentions(m, model)
        table = swot.swot_table(found, "Virgin America", window="")
        cur = found.groupby("brand")["negative"].mean().sort_values()
        order = cur.index.tolist()
        ok = order[0] == "Virgin America" and order[-1] == "US Airways"
        print(f"   {kind:7s} ({time.perf_counter() - t0:.1f} s): {found['mention'].nunique():,} tweets name an "
              f"aspect; negative share of aspect mentions, lowest first: "
              + ", ".join(f"{b} {v:.2f}" for b, v in cur.items())
              + f" -> {'REPRODUCED' if ok else 'NOT reproduced'} (Virgin America lowest, US Airways highest); "
              f"{len(table)} SWOT rows, {int(table.attrs['tests']['significant'].sum())} of "
              f"{len(table.attrs['tests'])} tests significant")
        if kind == "auto":
            q = model.quality_
            print("           auto scorer's 5-fold CV macro-F1 on the tweets: "
                  + ", ".join(f"{r.language} {r.macro_f1:.3f}" for r in q.itertuples() if hasattr(r, "macro_f1")))


def planted() -> None:
    m = io.read_table(ROOT / "data" / "sample" / "mentions.csv")
    t0 = time.perf_counter()
    flagged = sentiment.flag_mentions(m)
    kept = flagged[(flagged["duplicate"] == "") & ~flagged["spam"]]
    table = swot.swot_table(kept, sample.OUR_BRAND, scorer="auto", window="6M")
    rows = table[(table["brand"] == sample.WEAK_COMPETITOR) & (table["aspect"] == sample.WEAK_ASPECT)]
    print(f"3. sample mentions, notebook defaults ({time.perf_counter() - t0:.1f} s): {len(table)} SWOT rows; "
          f"{sample.WEAK_COMPETITOR} x {sample.WEAK_ASPECT}: {rows['quadrant'].tolist()} (expected weakness and "
          f"opportunity)")
    for r in rows.itertuples():
        print(f"   {r.quadrant}: {r.metric}")
    others = table[(table["aspect"] == sample.WEAK_ASPECT) & (table["quadrant"] == "weakness")
                   & (table["brand"] != sample.WEAK_COMPETITOR)]
    print(f"   other brands listed as weak on {sample.WEAK_ASPECT}: {len(others)}")


def big(rows: int) -> None:
    t0 = time.perf_counter()
    m = sample.make_mentions(rows, seed=7)
    print(f"4. {rows:,} mentions generated in {time.perf_counter() - t0:.0f} s (outside the clock); "
          f"load average {os.getloadavg()[0]:.1f}")
    t0 = time.perf_counter()
    model = sentiment.make_scorer("auto", seed=0)
    model.fit(m["text"], sentiment.training_labels(m), languages=m["language"])
    t_fit = time.perf_counter() - t0
    found = swot.aspect_mentions(m, model)
    t_aspects = time.perf_counter() - t0 - t_fit
    table = swot.swot_table(found, sample.OUR_BRAND, window="6M")
    total = time.perf_counter() - t0
    t1 = time.perf_counter()
    sentiment.score_mentions(m, model)
    t_base = time.perf_counter() - t1
    print(f"   to a finished SWOT table: {total:.1f} s (goal < 60 s): scorer fitted on "
          f"{int(sentiment.training_labels(m).notna().sum()):,} labels {t_fit:.1f} s, aspects found in "
          f"{found['mention'].nunique():,} mentions and {len(found):,} mention x aspect pairs scored "
          f"{t_aspects:.1f} s, tests, rules and quotes {total - t_fit - t_aspects:.1f} s; {len(table)} rows")
    print(f"   baseline, same run: scoring the {rows:,} mentions whole with the same scorer {t_base:.1f} s; "
          f"aspects + scoring clauses take {t_aspects / t_base:.2f}x that")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--skip-aspects", action="store_true")
    ap.add_argument("--skip-big", action="store_true")
    ap.add_argument("--only-big", action="store_true", help="section 4 only")
    args = ap.parse_args(argv)
    print(f"machine: {os.cpu_count()} cores, load average {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    if args.only_big:
        big(args.rows)
        return 0
    if not args.skip_aspects:
        print("1. aspect detection (bench/aspects.py):")
        argv, sys.argv = sys.argv, [str(ROOT / "bench" / "aspects.py")]  # its own defaults, not our flags
        try:
            runpy.run_path(str(ROOT / "bench" / "aspects.py"), run_name="__main__")
        except SystemExit as stop:  # its main() ends with sys.exit(0)
            if stop.code not in (0, None):
                raise
        finally:
            sys.argv = argv
    tweets_ordering()
    planted()
    if not args.skip_big:
        big(args.rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
