"""Benchmark: `cx-report` against running the same notebooks one by one with plain papermill + nbconvert.

    .venv/bin/python bench/report_runner.py [--config reports.yml] [--copies 4] [--workers N]

Both sides run in this one invocation, on the same machine, one after the other, with the same
notebooks and parameters:

- baseline: for each report, ``papermill NB OUT.ipynb -f params.yaml --cwd ROOT`` then
  ``jupyter nbconvert --to html OUT.ipynb`` (the two commands an analyst would script by hand);
- cxlib: one ``cx-report --config ... --out ...`` call (parallel workers, HTML export included).

A scheduled run usually builds several reports (weekly and monthly views, one per brand or market);
``--copies`` runs every report in the config that many times under different names and with a
different ``period`` where the notebook has one, so the benchmark measures a realistic batch even
while the config holds few notebooks. It prints the wall times, the ratio (baseline / cxlib; > 1 means
cx-report is faster) and whether the executed notebooks' outputs are identical on both sides.
"""
from __future__ import annotations

import argparse
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import numpy as np
import papermill
import yaml

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PERIODS = ["W", "M", "D", "W"]
_VOLATILE = re.compile(r"\b\d+(\.\d+)? ?s\b|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?")


def batch(config: Path, copies: int) -> list[dict]:
    """The reports of ``config``, each repeated ``copies`` times with its own name (and period)."""
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    out = []
    for entry in data["reports"]:
        nb = (config.parent / entry["notebook"]).resolve()
        declared = papermill.inspect_notebook(str(nb))
        base = entry.get("name") or nb.stem
        for i in range(copies):
            params = dict(entry.get("parameters") or {})
            if "period" in declared and copies > 1:
                params["period"] = PERIODS[i % len(PERIODS)]
            out.append({"name": f"{base}__{i}", "notebook": str(nb), "parameters": params})
    return out


def _decoded(obj):
    """Plotly's base64 typed arrays as numbers rounded to 6 significant digits: thread counts change the last
    bits of floating-point sums (OpenMP reductions), never what a reader sees."""
    if isinstance(obj, dict):
        if "bdata" in obj and "dtype" in obj:
            arr = np.frombuffer(base64.b64decode(obj["bdata"]), dtype=obj["dtype"])
            return [float(f"{v:.6g}") for v in arr.astype(float)]
        return {k: _decoded(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_decoded(v) for v in obj]
    if isinstance(obj, float):
        return float(f"{obj:.6g}")
    return obj


def outputs_of(path: Path) -> list:
    """Cell outputs of an executed notebook, without execution metadata and timings."""
    nb = nbformat.read(str(path), as_version=4)
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code" or "injected-parameters" in cell.metadata.get("tags", []):
            continue
        outs = []
        for o in cell.get("outputs", []):
            o = _decoded({k: v for k, v in o.items() if k not in ("execution_count", "metadata", "transient")})
            outs.append(_VOLATILE.sub("<t>", json.dumps(o, sort_keys=True)))
        cells.append(outs)
    return cells


def run_baseline(jobs: list[dict], out: Path) -> float:
    t0 = time.perf_counter()
    for job in jobs:
        params = out / f"{job['name']}.params.yaml"
        params.write_text(yaml.safe_dump(job["parameters"]), encoding="utf-8")
        executed = out / f"{job['name']}.ipynb"
        subprocess.run([str(BIN / "papermill"), job["notebook"], str(executed), "-f", str(params),
                        "--cwd", str(ROOT), "-k", "python3", "--no-progress-bar"],
                       check=True, env={**os.environ, "CX_PROJECT_ROOT": str(ROOT)}, capture_output=True)
        subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", str(executed)],
                       check=True, capture_output=True)
    return time.perf_counter() - t0


def run_cxlib(jobs: list[dict], out: Path, workers: int | None) -> float:
    # the config's folder is the project root of a run (relative inputs resolve there): keep it in ROOT
    cfg = ROOT / f".bench-reports-{os.getpid()}.yml"
    cfg.write_text(yaml.safe_dump({"reports": jobs}), encoding="utf-8")
    cmd = [str(BIN / "cx-report"), "--config", str(cfg), "--out", str(out)]
    if workers:
        cmd += ["--workers", str(workers)]
    try:
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True)
        took = time.perf_counter() - t0
    finally:
        cfg.unlink(missing_ok=True)
    if proc.returncode:
        raise SystemExit(f"cx-report failed:\n{proc.stderr[-2000:]}")
    return took


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--config", default=str(ROOT / "reports.yml"))
    p.add_argument("--copies", type=int, default=4, help="runs of each report in the batch (default 4)")
    p.add_argument("--workers", type=int, default=None, help="cx-report workers (default: CPU count)")
    args = p.parse_args()
    jobs = batch(Path(args.config).resolve(), args.copies)
    tmp = Path(tempfile.mkdtemp(prefix="cx-bench-"))
    try:
        (tmp / "base").mkdir()
        (tmp / "cx").mkdir()
        print(f"batch: {len(jobs)} notebook runs ({', '.join(j['name'] for j in jobs)}) on {os.cpu_count()} cores")
        t_base = run_baseline(jobs, tmp / "base")
        print(f"baseline papermill + nbconvert, one by one: {t_base:7.1f} s")
        t_cx = run_cxlib(jobs, tmp / "cx", args.workers)
        print(f"cx-report (parallel, HTML included):        {t_cx:7.1f} s")
        differing = [j["name"] for j in jobs
                     if outputs_of(tmp / "base" / f"{j['name']}.ipynb") != outputs_of(tmp / "cx" / f"{j['name']}.ipynb")]
        same = not differing
        for name in differing:
            a, b = outputs_of(tmp / "base" / f"{name}.ipynb"), outputs_of(tmp / "cx" / f"{name}.ipynb")
            cell = next(i for i, (x, y) in enumerate(zip(a, b)) if x != y)
            print(f"  outputs differ: {name}, code cell {cell + 1}")
        html_ok = all((tmp / "cx" / f"{j['name']}.html").is_file() and (tmp / "base" / f"{j['name']}.html").is_file()
                      for j in jobs)
        print(f"ratio baseline / cx-report: {t_base / t_cx:.2f}x  (goal >= 1.6x)")
        print(f"identical notebook outputs: {same}; HTML written on both sides: {html_ok}")
        return 0 if same and html_ok else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
