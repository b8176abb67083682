"""Benchmark of cxlib.scale: 10,000,000 mentions on a laptop-sized machine, in bounded memory, same numbers.

    .venv/bin/python bench/scale.py                      # generates /tmp/cxlib-bench/mentions-10m if missing
    .venv/bin/python bench/scale.py --rows 2000000 --data /tmp/cxlib-bench/mentions-2m   # a quicker look

What it measures (each run in a fresh child process; peak memory = the largest sum of the resident memory (RSS)
of that process and all its descendants (Dask scheduler, workers and nannies, joblib workers), sampled with
psutil every 0.1 s):

1. the large set (``python -m cxlib.sample --format parquet``): written once, time and size printed;
2. the scorer: ``make_scorer("auto")`` fitted on the committed sample (trained where labels suffice), saved;
3. the in-memory path (``pd.read_parquet`` of the files, then ``sentiment.sentiment_index``) on 1M and 2M
   mentions: time and peak memory; its peak on the full set is extrapolated linearly from those two (saying so):
   running it would need more memory than the machine has;
4. ``scale.sentiment_index(..., scheduler="local")`` on the same 1M (end to end, LocalCluster start included, and
   on a cluster already running) and on the full set: time, peak memory, mentions per second per core;
5. the Dask index on 1M against the in-memory one: largest difference.

Both paths use the file's ``language`` column (no detection) and the same saved scorer, and both use every core
(the in-memory path through the scorer's own process pool above 50,000 texts, Dask through one worker process
per core). Prints the load average next to the timings: the machine may be shared.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def cores() -> int:
    return len(os.sched_getaffinity(0))


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


# --- child: one measured run -------------------------------------------------------------------------------------

def child(kind: str, files: list[str], scorer_path: str, out: str) -> None:
    import pandas as pd

    from cxlib import scale, sentiment

    scorer = sentiment.load_scorer(scorer_path)
    started = time.perf_counter()
    if kind == "memory":
        mentions = pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)
        index = sentiment.sentiment_index(mentions, scorer)
        rows = len(mentions)
    elif kind == "dask":
        index = scale.sentiment_index(files, scorer, scheduler="local")
        rows = int(index["n"].sum())
    elif kind == "dask-warm":  # the cluster started first, the clock started when it runs
        from dask.distributed import Client, LocalCluster

        with LocalCluster(n_workers=cores(), threads_per_worker=1, processes=True, dashboard_address=None) as c, \
                Client(c) as client:
            client.run(lambda: __import__("cxlib.sentiment"))  # imports on the workers, as a running cluster has
            started = time.perf_counter()
            index = scale.sentiment_index(files, scorer, scheduler=client)
            seconds = time.perf_counter() - started
        rows = int(index["n"].sum())
    else:
        raise SystemExit(f"unknown kind {kind}")
    if kind != "dask-warm":
        seconds = time.perf_counter() - started
    index.to_pickle(out)
    print(json.dumps({"seconds": seconds, "rows": rows}))


# --- parent: memory sampling and the report ----------------------------------------------------------------------

def measure(kind: str, files: list[Path], scorer_path: Path, out: Path) -> dict:
    import psutil

    proc = subprocess.Popen([sys.executable, __file__, "--child", kind, "--scorer", str(scorer_path), "--out",
                             str(out), *map(str, files)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=ROOT)
    peak = {"total": 0, "processes": 0}
    done = threading.Event()

    def sample() -> None:
        root = psutil.Process(proc.pid)
        while not done.is_set():
            total, count = 0, 0
            try:
                for p in [root, *root.children(recursive=True)]:
                    try:
                        total += p.memory_info().rss
                        count += 1
                    except psutil.Error:
                        pass
            except psutil.Error:
                pass
            if total > peak["total"]:
                peak["total"], peak["processes"] = total, count
            time.sleep(0.1)

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    stdout, stderr = proc.communicate()
    done.set()
    watcher.join()
    if proc.returncode != 0:
        raise SystemExit(f"{kind} run failed ({proc.returncode}):\n{stderr[-3000:]}")
    result = json.loads(stdout.strip().splitlines()[-1])
    return {**result, "peak_gb": peak["total"] / 1e9, "processes": peak["processes"], "load": loadavg()}


def line(label: str, r: dict, used_cores: int) -> str:
    rate = r["rows"] / r["seconds"]
    return (f"{label:<44} {r['rows']:>11,} rows {r['seconds']:8.1f} s {rate:>9,.0f}/s {rate / used_cores:>8,.0f}/s/core "
            f"peak {r['peak_gb']:5.2f} GB ({r['processes']} processes)  load {r['load']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--data", default="/tmp/cxlib-bench/mentions-10m")
    parser.add_argument("--child", default=None)
    parser.add_argument("--scorer", default="/tmp/cxlib-bench/scorer.joblib")
    parser.add_argument("--out", default=None)
    parser.add_argument("files", nargs="*")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.files, args.scorer, args.out)
        return 0

    import numpy as np
    import pandas as pd

    from cxlib import io, sample, sentiment

    work = Path(args.scorer).parent
    work.mkdir(parents=True, exist_ok=True)
    n_cores = cores()
    print(f"cxlib bench/scale.py: {n_cores} cores, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 1e9:.1f} GB "
          f"memory, load {loadavg()}")

    data = Path(args.data)
    files = sorted((data / "mentions").glob("*.parquet"))
    if sum(pd.io.parquet.read_parquet(f, columns=["id"]).shape[0] for f in files) != args.rows:
        started = time.perf_counter()
        files = sample.write_mentions_set(data / "mentions", args.rows, seed=42)
        print(f"generated {args.rows:,} mentions in {len(files)} Parquet files "
              f"({sum(f.stat().st_size for f in files) / 1e6:,.0f} MB) in {time.perf_counter() - started:.0f} s "
              f"(pool of {sample.POOL_TEXTS:,} distinct texts; load {loadavg()})")
    else:
        print(f"using {args.rows:,} mentions in {len(files)} Parquet files under {data}")
    per_file = len(pd.read_parquet(files[0], columns=["id"]))

    scorer_path = Path(args.scorer)
    if not scorer_path.exists():
        started = time.perf_counter()
        m = io.read_table(ROOT / "data" / "sample" / "mentions.csv")
        scorer = sentiment.make_scorer("auto").fit(m["text"], sentiment.training_labels(m), languages=m["language"])
        scorer.save(scorer_path)
        print(f"fitted make_scorer('auto') on the 20,000 sample mentions in {time.perf_counter() - started:.0f} s")
    scorer = sentiment.load_scorer(scorer_path)
    print(f"scorer: {sentiment.scorer_summary(scorer)}")

    one_m = files[: max(1, 1_000_000 // per_file)]
    two_m = files[: max(1, 2_000_000 // per_file)]
    print()
    mem1 = measure("memory", one_m, scorer_path, work / "memory-1m.pkl")
    print(line("in memory (pandas), 1M", mem1, n_cores))
    mem2 = measure("memory", two_m, scorer_path, work / "memory-2m.pkl")
    print(line("in memory (pandas), 2M", mem2, n_cores))
    dask1 = measure("dask", one_m, scorer_path, work / "dask-1m.pkl")
    print(line("scale, LocalCluster started by the call, 1M", dask1, n_cores))
    warm1 = measure("dask-warm", one_m, scorer_path, work / "warm-1m.pkl")
    print(line("scale, LocalCluster already running, 1M", warm1, n_cores))
    big = measure("dask", files, scorer_path, work / "dask-all.pkl")
    print(line(f"scale, LocalCluster started by the call, {args.rows / 1e6:g}M", big, n_cores))

    slope = (mem2["peak_gb"] - mem1["peak_gb"]) / max(mem2["rows"] - mem1["rows"], 1)
    extrapolated = mem1["peak_gb"] + slope * (args.rows - mem1["rows"])
    a, b = pd.read_pickle(work / "memory-1m.pkl"), pd.read_pickle(work / "dask-1m.pkl")
    numeric = a.select_dtypes("number").columns
    diff = float(np.nanmax(np.abs(a[numeric].to_numpy(float) - b[numeric].to_numpy(float))))
    same_shape = a.shape == b.shape and (a[["brand", "period"]] == b[["brand", "period"]]).all().all()
    rate = lambda r: r["rows"] / r["seconds"] / n_cores  # noqa: E731
    print()
    print(f"peak memory, {args.rows / 1e6:g}M mentions: Dask {big['peak_gb']:.2f} GB (all processes); in memory "
          f"{extrapolated:.1f} GB, extrapolated linearly from the measured 1M ({mem1['peak_gb']:.2f} GB) and 2M "
          f"({mem2['peak_gb']:.2f} GB) runs, not run ({extrapolated / big['peak_gb']:.1f}x the Dask peak; this machine "
          f"has {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 1e9:.1f} GB)")
    print(f"throughput per core on 1M, Dask / in memory: {rate(dask1) / rate(mem1):.2f} (cluster start included), "
          f"{rate(warm1) / rate(mem1):.2f} (cluster running)")
    print(f"same numbers on 1M: {same_shape and diff < 1e-9} (largest difference {diff:.1e} over {len(a):,} rows of "
          f"the index)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
