"""``cx-report``: run the analysis notebooks with papermill and write offline HTML reports plus an index.

Usage (from the project root, where ``reports.yml`` lives)::

    cx-report                                  # every report in reports.yml -> reports/
    cx-report --only 00_data_health            # some of them
    cx-report --params params.yaml --out /srv/reports --workers 2

``reports.yml`` lists the reports; ``--params`` is a YAML ``{notebook_stem: {parameter: value}}`` merged
over it. Relative paths (notebooks, input files given as parameters) resolve against the project root,
the folder of the config file; notebooks run with that folder as working directory and with
``CX_PROJECT_ROOT`` set, so ``cxlib.io.resolve_path`` finds the same files.

Exit codes: 0 all reports ok; 1 at least one notebook failed (its previous HTML is kept, the failed
executed notebook is written as ``<name>.failed.ipynb``); 2 a usage or configuration error, found before
anything runs (missing file, unknown report, unknown or misspelt parameter).

Outputs in ``--out``: ``<name>.html`` (self-contained, offline), ``<name>.ipynb`` (the executed notebook),
``index.json`` (one record per report, keeping the last good run of a failing report) and ``index.html``.
"""
from __future__ import annotations

import argparse
import ast
import contextlib
import copy
import datetime as _dt
import difflib
import json
import multiprocessing
import os
import re
import sys
import tempfile
import time
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any

import yaml

from cxlib import __version__
from cxlib.errors import CxError
from cxlib.io import atomic_write_text, file_checksum

__all__ = [
    "ReportSpec", "ReportsConfig", "ReportConfigError", "load_config", "load_params", "merge_params",
    "check_parameters", "closest_name", "one_line_error", "run_reports", "update_index", "main",
]

KERNEL_NAME = "python3"
DEFAULT_CONFIG = "reports.yml"
INJECTED_TAG = "injected-parameters"
PAPERMILL_ERROR_TAG = "papermill-error-cell-tag"
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_ANSI_RE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_MAX_MESSAGE = 1000


class ReportConfigError(CxError):
    """``reports.yml``, ``--params`` or the command line asks for something that cannot run."""

    def __init__(self, message: str) -> None:
        super().__init__(message, reason="report_config")


@dataclass(frozen=True)
class ReportSpec:
    """One report: a notebook and the parameters it runs with."""

    name: str
    notebook: Path                      # absolute
    notebook_label: str                 # as written in reports.yml, for messages
    parameters: dict[str, Any] = field(default_factory=dict)
    overridden: tuple[str, ...] = ()    # keys set by reports.yml / --params (not notebook defaults)
    timeout: float | None = None        # per cell, seconds

    @property
    def stem(self) -> str:
        return self.notebook.stem


@dataclass(frozen=True)
class ReportsConfig:
    path: Path
    root: Path
    reports: tuple[ReportSpec, ...]

    def names(self) -> list[str]:
        return [r.name for r in self.reports]


# ----------------------------------------------------------------------------------------- config
def closest_name(name: str, valid: Iterable[str]) -> str | None:
    """The valid name closest to a misspelt one, or ``None`` when nothing is close.

    Examples
    --------
    >>> closest_name("survey_pth", ["mentions_path", "survey_path", "seed"])
    'survey_path'
    >>> closest_name("zzz", ["seed"]) is None
    True
    """
    matches = difflib.get_close_matches(str(name), list(valid), n=1, cutoff=0.6)
    return matches[0] if matches else None


def _did_you_mean(name: str, valid: Sequence[str]) -> str:
    best = closest_name(name, valid)
    return f"did you mean '{best}'? " if best else ""


def _read_yaml(path: Path, what: str) -> Any:
    if not path.is_file():
        raise ReportConfigError(f"{what} not found: {path}" + (" (run from the project root or pass --config)"
                                                               if what == "config file" else ""))
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise ReportConfigError(f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise ReportConfigError(f"{path}{where}: not valid YAML ({getattr(exc, 'problem', None) or exc})") from None


def load_config(path: str | os.PathLike) -> ReportsConfig:
    """Read ``reports.yml``: ``reports: [{name, notebook, parameters, timeout}]``; name defaults to the stem.

    Notebook paths resolve against the config file's folder (the project root). Notebooks must exist.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp()); _ = (root / "a.ipynb").write_text("{}")
    >>> _ = (root / "reports.yml").write_text("reports:\\n  - notebook: a.ipynb\\n    parameters: {seed: 1}\\n")
    >>> cfg = load_config(root / "reports.yml")
    >>> [(r.name, r.parameters) for r in cfg.reports], cfg.root == root.resolve()
    ([('a', {'seed': 1})], True)
    """
    cfg_path = Path(path).expanduser().resolve()
    data = _read_yaml(cfg_path, "config file")
    if not isinstance(data, dict) or not isinstance(data.get("reports"), list) or not data["reports"]:
        raise ReportConfigError(f"{cfg_path}: expected 'reports:' with a list of {{notebook: ..., parameters: {{...}}}}")
    unknown_top = set(data) - {"reports"}
    if unknown_top:
        key = sorted(unknown_top)[0]
        raise ReportConfigError(f"{cfg_path}: unknown key '{key}'; {_did_you_mean(key, ['reports'])}the file holds 'reports:' only")
    root = cfg_path.parent
    specs: list[ReportSpec] = []
    allowed = ["name", "notebook", "parameters", "timeout"]
    for i, entry in enumerate(data["reports"], start=1):
        where = f"{cfg_path.name}: report {i}"
        if not isinstance(entry, dict) or not entry.get("notebook"):
            raise ReportConfigError(f"{where}: each report needs 'notebook: path/to/notebook.ipynb'")
        for key in entry:
            if key not in allowed:
                raise ReportConfigError(f"{where}: unknown key '{key}'; {_did_you_mean(key, allowed)}allowed: {', '.join(allowed)}")
        label = str(entry["notebook"])
        nb_path = Path(label).expanduser()
        nb_path = (nb_path if nb_path.is_absolute() else root / nb_path).resolve()
        name = str(entry.get("name") or nb_path.stem)
        if name.lower() == "index":
            raise ReportConfigError(f"{where}: the name 'index' is taken by the report index; choose another 'name:'")
        if not _NAME_RE.match(name):
            raise ReportConfigError(f"{where}: name '{name}' must be letters, digits, '.', '_' or '-' (it names the HTML file)")
        params = entry.get("parameters") or {}
        if not isinstance(params, dict):
            raise ReportConfigError(f"{where} ({name}): 'parameters' must be a mapping {{parameter: value}}")
        timeout = entry.get("timeout")
        if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0):
            raise ReportConfigError(f"{where} ({name}): 'timeout' must be a positive number of seconds per cell")
        specs.append(ReportSpec(name, nb_path, label, dict(params), tuple(params), timeout))
    seen: set[str] = set()
    for spec in specs:
        if spec.name in seen:
            raise ReportConfigError(f"{cfg_path.name}: two reports are named '{spec.name}'; give one a different 'name:'")
        seen.add(spec.name)
    return ReportsConfig(cfg_path, root, tuple(specs))


def load_params(path: str | os.PathLike) -> dict[str, dict[str, Any]]:
    """Read a ``--params`` YAML ``{notebook_stem_or_report_name: {parameter: value}}``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "p.yaml"; _ = p.write_text("00_data_health: {seed: 7}\\n")
    >>> load_params(p)
    {'00_data_health': {'seed': 7}}
    """
    p = Path(path).expanduser().resolve()
    data = _read_yaml(p, "params file")
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise ReportConfigError(f"{p}: expected {{notebook_stem: {{parameter: value}}}}, e.g. '00_data_health: {{seed: 1}}'")
    return {str(k): dict(v) for k, v in data.items()}


def merge_params(config: ReportsConfig, overrides: Mapping[str, Mapping[str, Any]]) -> ReportsConfig:
    """Merge ``--params`` over the config: first the notebook-stem entry, then a report-name entry.

    Examples
    --------
    >>> spec = ReportSpec("a2", Path("/x/a.ipynb"), "a.ipynb", {"seed": 1, "k": 2}, ("seed", "k"))
    >>> cfg = merge_params(ReportsConfig(Path("/x/r.yml"), Path("/x"), (spec,)), {"a": {"seed": 5}, "a2": {"k": 3}})
    >>> cfg.reports[0].parameters
    {'seed': 5, 'k': 3}
    """
    known = set(config.names()) | {r.stem for r in config.reports}
    for key in overrides:
        if key not in known:
            raise ReportConfigError(f"--params: no report or notebook named '{key}'; "
                                    f"{_did_you_mean(key, sorted(known))}reports: {', '.join(config.names())}")
    out = []
    for spec in config.reports:
        params = dict(spec.parameters)
        for key in dict.fromkeys([spec.stem, spec.name]):
            params.update(overrides.get(key, {}))
        overridden = tuple(dict.fromkeys([*spec.overridden, *params]))
        out.append(replace(spec, parameters=params, overridden=overridden))
    return replace(config, reports=tuple(out))


def select_reports(config: ReportsConfig, only: Sequence[str] | None) -> ReportsConfig:
    """Keep the reports named in ``--only`` (report names or notebook stems), in config order.

    Examples
    --------
    >>> a = ReportSpec("a", Path("/x/a.ipynb"), "a.ipynb"); b = ReportSpec("b", Path("/x/b.ipynb"), "b.ipynb")
    >>> select_reports(ReportsConfig(Path("/x/r.yml"), Path("/x"), (a, b)), ["b"]).names()
    ['b']
    """
    if not only:
        return config
    known = config.names() + [r.stem for r in config.reports]
    for name in only:
        if name not in known:
            raise ReportConfigError(f"--only: no report named '{name}'; {_did_you_mean(name, known)}reports: {', '.join(config.names())}")
    wanted = set(only)
    return replace(config, reports=tuple(r for r in config.reports if r.name in wanted or r.stem in wanted))


def _declared_parameters(notebook: Path) -> dict[str, dict[str, Any]]:
    import papermill

    try:
        return dict(papermill.inspect_notebook(str(notebook)))
    except Exception as exc:  # unreadable JSON, no kernelspec metadata, ...
        raise ReportConfigError(f"{notebook}: could not read its parameters cell ({type(exc).__name__}: {exc})") from None


def check_parameters(config: ReportsConfig) -> dict[str, dict[str, dict[str, Any]]]:
    """Fail on a missing notebook or an unknown parameter (naming the closest valid one).

    Returns ``{report name: papermill.inspect_notebook(notebook)}`` for the selected reports.

    Examples
    --------
    >>> check_parameters(load_config("reports.yml"))["00_data_health"]["seed"]["default"]  # doctest: +SKIP
    '0'
    """
    declared_by_name: dict[str, dict[str, dict[str, Any]]] = {}
    cache: dict[Path, dict[str, dict[str, Any]]] = {}
    for spec in config.reports:
        if not spec.notebook.is_file():
            raise ReportConfigError(f"{spec.name}: notebook not found: {spec.notebook_label} (looked at {spec.notebook})")
        if spec.notebook not in cache:
            cache[spec.notebook] = _declared_parameters(spec.notebook)
        declared = cache[spec.notebook]
        for key in spec.parameters:
            if key not in declared:
                valid = sorted(declared)
                listing = f"valid parameters: {', '.join(valid)}" if valid else "the notebook has no cell tagged 'parameters'"
                raise ReportConfigError(f"{spec.name}: unknown parameter '{key}' for {spec.notebook_label}; "
                                        f"{_did_you_mean(key, valid)}{listing}")
        declared_by_name[spec.name] = declared
    return declared_by_name


def _literal(source: Any) -> Any:
    try:
        return ast.literal_eval(str(source))
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return str(source)


def effective_parameters(declared: Mapping[str, Mapping[str, Any]], given: Mapping[str, Any]) -> dict[str, Any]:
    """Notebook defaults (literals from the parameters cell) updated with the given values.

    Examples
    --------
    >>> effective_parameters({"seed": {"default": "0"}, "path": {"default": "'a.csv'"}}, {"seed": 3})
    {'seed': 3, 'path': 'a.csv'}
    """
    params = {k: _literal(v.get("default")) for k, v in declared.items()}
    params.update(given)
    return params


def follow_out_dir(declared: Mapping[str, Mapping[str, Any]], given: Mapping[str, Any], out_dir: Path,
                   root: Path) -> dict[str, Any]:
    """The given parameters, plus every export path whose notebook default lies in ``reports/`` moved to
    ``out_dir`` (``cx-report --out elsewhere`` keeps a report and its CSV exports together). Paths the
    config or the user set stay as they are.

    Examples
    --------
    >>> declared = {"at_risk_path": {"default": "'reports/churn_at_risk.csv'"}, "seed": {"default": "0"}}
    >>> follow_out_dir(declared, {"seed": 1}, Path("/tmp/run"), Path("/project"))
    {'seed': 1, 'at_risk_path': '/tmp/run/churn_at_risk.csv'}
    >>> follow_out_dir(declared, {}, Path("/project/reports"), Path("/project"))
    {}
    """
    out = dict(given)
    target = out_dir.resolve()   # where the reports are written (relative to the working folder)
    if target == (root / "reports").resolve():
        return out
    for name, spec in declared.items():
        default = _literal(spec.get("default"))
        if name not in out and isinstance(default, str) and default.startswith("reports/"):
            out[name] = str(target / default[len("reports/"):])
    return out


def input_files(parameters: Mapping[str, Any], root: Path) -> list[dict[str, Any]]:
    """Each parameter value that names an existing file (relative to ``root``), with its sha256.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp()); _ = (root / "m.csv").write_text("id\\n1\\n")
    >>> [(f["parameter"], f["size_bytes"]) for f in input_files({"input_path": "m.csv", "seed": 1}, root)]
    [('input_path', 5)]
    """
    found = []
    for key, value in parameters.items():
        values = value if isinstance(value, (list, tuple)) else [value]
        for v in values:
            if not isinstance(v, str) or not v.strip() or "\n" in v or len(v) > 1024:
                continue
            p = Path(v).expanduser()
            p = p if p.is_absolute() else root / p
            try:
                is_file = p.is_file()
            except OSError:
                continue
            if is_file:
                found.append({"parameter": key, "path": v, "sha256": file_checksum(p), "size_bytes": p.stat().st_size})
    return found


# ------------------------------------------------------------------------------------------ running
def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def one_line_error(ename: str, evalue: str, limit: int = _MAX_MESSAGE) -> str:
    """``ename: evalue`` on one line (first line of the value, colours stripped, capped).

    Examples
    --------
    >>> one_line_error("CxDataError", "survey.csv: column 'nps' is missing")
    "CxDataError: survey.csv: column 'nps' is missing"
    >>> one_line_error("ValueError", "\\x1b[31mbad\\x1b[0m\\nmore lines")
    'ValueError: bad'
    """
    value = _ANSI_RE.sub("", str(evalue or "")).strip()
    first = value.splitlines()[0].strip() if value else ""
    text = f"{ename}: {first}" if first else str(ename)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _failed_cell_position(nb_path: Path, cell_index: int) -> int | None:
    """1-based position in the source notebook of the executed notebook's cell ``cell_index``."""
    import nbformat

    try:
        nb = nbformat.read(str(nb_path), as_version=4)
    except Exception:
        return None
    cells = [c for c in nb.cells if PAPERMILL_ERROR_TAG not in c.get("metadata", {}).get("tags", [])]
    before = cells[:cell_index]
    return 1 + sum(1 for c in before if INJECTED_TAG not in c.get("metadata", {}).get("tags", []))


def _running_cell_position(nb_path: Path) -> int | None:
    """Source position of the cell papermill marked as running when execution stopped (timeout, dead kernel)."""
    import nbformat

    try:
        nb = nbformat.read(str(nb_path), as_version=4)
    except Exception:
        return None
    # papermill marks every cell "completed" once it gives up; the stuck cell is the last one that started
    started = [i for i, cell in enumerate(nb.cells) if cell.get("metadata", {}).get("papermill", {}).get("start_time")]
    return _failed_cell_position(nb_path, started[-1]) if started else None


def _kernel_config(name: str = "kernel"):
    import zmq
    from traitlets.config import Config

    # Provision CurveZMQ keys where the kernelspec supports them: encrypted, and without ipykernel's
    # "running over TCP without encryption" warning on our stderr.
    manager: dict = {"transport_encryption": "auto" if zmq.has("curve") else "disabled"}
    if sys.platform.startswith("linux"):
        # IPC sockets instead of TCP ports: kernels started side by side can race for the same free port
        # ("Address already in use", "Kernel died before replying to kernel_info"); files cannot collide.
        manager["transport"] = "ipc"
        manager["ip"] = os.path.join(tempfile.gettempdir(), f"cx-{os.getpid()}-{name[:40]}-ipc")
    return Config({"KernelManager": manager})


@contextlib.contextmanager
def _kernel_stderr_discarded() -> Iterator[None]:
    """The worker's standard error (which the kernel it starts inherits) goes nowhere while a report runs.

    A kernel's own process writes only its internals there: logging from zmq and tornado callbacks, e.g. a
    traceback when a socket closes while the kernel shuts down (a race in ipykernel, harmless: the report is
    complete). Cell errors, printed output and warnings of the notebook come back as cell outputs, and
    failures reach the user as the one-line message built from them; this keeps raw tracebacks off the
    user's terminal.
    """
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "wb") as sink:
            os.dup2(sink.fileno(), 2)
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)


def _execute_report(job: dict[str, Any]) -> dict[str, Any]:
    """Run one report (in a worker process): papermill, then HTML, then atomic writes. Never raises."""
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from cxlib.report_html import export_report_html

    out_dir, root, name = Path(job["out_dir"]), Path(job["root"]), job["name"]
    record = dict(job["record"])
    os.environ["CX_PROJECT_ROOT"] = str(root)
    # Kernels running side by side must share the cores, not each claim all of them: OpenMP (gradient
    # boosting) and BLAS pools that oversubscribe the machine spin and run several times slower.
    for var in _THREAD_VARS:
        if var not in job.get("user_threads", ()):
            os.environ[var] = str(job.get("threads", 1))
    record["started_at"] = _now()
    t0 = time.perf_counter()
    fd, tmp_name = tempfile.mkstemp(prefix=f".{name}.", suffix=".running.ipynb", dir=out_dir)
    os.close(fd)
    tmp = Path(tmp_name)
    error: dict[str, Any] | None = None
    nb = None
    try:
        with _kernel_stderr_discarded():
            nb = papermill.execute_notebook(
                str(job["notebook"]), str(tmp), parameters=job["parameters"], kernel_name=KERNEL_NAME,
                language="python", progress_bar=False, log_output=False, cwd=str(root),
                # saved as cells run, so a cell timeout or a dead kernel still leaves the executed notebook
                request_save_on_cell_execute=True, execution_timeout=job.get("timeout"),
                config=_kernel_config(name),
                # jupyter_client interrupts every kernel before shutting it down, and ipykernel then logs
                # "KeyboardInterrupt caught in kernel" at ERROR level; cell errors reach us as outputs anyway.
                extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
            )
    except PapermillExecutionError as exc:
        error = {"cell": _failed_cell_position(tmp, exc.cell_index), "execution_count": exc.exec_count,
                 "ename": exc.ename, "evalue": _ANSI_RE.sub("", str(exc.evalue))}
    except Exception as exc:  # kernel died, cell timeout, unreadable notebook: no cell error output
        error = {"cell": _running_cell_position(tmp), "execution_count": None, "ename": type(exc).__name__,
                 "evalue": str(exc)}
    if error is None:
        try:
            record["finished_at"] = _now()
            record["duration_s"] = round(time.perf_counter() - t0, 2)
            html_text, record["plotly_figures"] = export_report_html(nb, record)
        except Exception as exc:
            error = {"cell": None, "execution_count": None, "ename": type(exc).__name__,
                     "evalue": f"HTML export failed: {exc}"}
    record["finished_at"] = _now()
    record["duration_s"] = round(time.perf_counter() - t0, 2)
    with contextlib.suppress(OSError):
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the executed notebook is a normal output file
    if error is None:
        os.replace(tmp, out_dir / f"{name}.ipynb")
        atomic_write_text(out_dir / f"{name}.html", html_text)
        with contextlib.suppress(FileNotFoundError):
            (out_dir / f"{name}.failed.ipynb").unlink()
        record.update(status="ok", html=f"{name}.html", executed_notebook=f"{name}.ipynb", error=None)
        return record
    error["message"] = one_line_error(error["ename"], error["evalue"])
    if tmp.exists() and tmp.stat().st_size > 0:
        os.replace(tmp, out_dir / f"{name}.failed.ipynb")
        error["failed_notebook"] = f"{name}.failed.ipynb"
    else:
        tmp.unlink(missing_ok=True)
        error["failed_notebook"] = None
    record.update(status="failed", html=None, executed_notebook=None, error=error)
    return record


_THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "VECLIB_MAXIMUM_THREADS",
                "NUMEXPR_NUM_THREADS")


def _pool_context():
    # fork starts workers in milliseconds with papermill/nbconvert already imported; elsewhere use the default.
    if sys.platform == "linux" and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _prewarm() -> None:
    """Import the heavy modules once in the parent, so forked workers start warm."""
    import nbformat  # noqa: F401
    import papermill  # noqa: F401

    from cxlib import report_html

    report_html._exporter()
    report_html._plotly_js()


def _failure_lines(rec: Mapping[str, Any], out_dir: Path) -> list[str]:
    err = rec.get("error") or {}
    where = f"cell {err['cell']}" if err.get("cell") else "before any cell ran"
    if err.get("execution_count"):
        where += f" (In [{err['execution_count']}])"
    lines = [f"      {rec['notebook']}, {where}: {err.get('message', '')}"]
    keep = f"previous {out_dir / (rec['name'] + '.html')} kept" if (out_dir / f"{rec['name']}.html").exists() else "no previous HTML"
    if err.get("failed_notebook"):
        lines.append(f"      executed notebook with the error: {out_dir / err['failed_notebook']}; {keep}")
    else:
        lines.append(f"      {keep}")
    return lines


def run_reports(config: ReportsConfig, out_dir: Path, workers: int | None = None,
                stream: IO[str] | None = None,
                declared: Mapping[str, Mapping[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Run the selected reports in parallel worker processes and update the index after each one.

    ``declared`` is :func:`check_parameters`' result (computed here when not given).
    Returns one record per report (``status`` ``"ok"`` or ``"failed"``), in finishing order.

    Examples
    --------
    >>> config = load_config("reports.yml")                       # doctest: +SKIP
    >>> [r["status"] for r in run_reports(config, Path("reports"))]  # doctest: +SKIP
    ['ok']
    """
    stream = stream or sys.stderr
    declared = declared if declared is not None else check_parameters(config)
    out_dir.mkdir(parents=True, exist_ok=True)
    jobs = deque()
    for spec in config.reports:
        given = follow_out_dir(declared[spec.name], spec.parameters, out_dir, config.root)
        params = effective_parameters(declared[spec.name], given)
        record = {
            "name": spec.name, "notebook": spec.notebook_label,
            "notebook_sha256": file_checksum(spec.notebook),
            "parameters": params, "overridden": [k for k in spec.overridden if k in params],
            "seed": params.get("seed"), "inputs": input_files(params, config.root),
            "cxlib_version": __version__,
        }
        jobs.append({"name": spec.name, "notebook": str(spec.notebook), "parameters": given,
                     "timeout": spec.timeout, "out_dir": str(out_dir), "root": str(config.root), "record": record})
    n = len(jobs)
    workers = max(1, min(workers or os.cpu_count() or 1, n))
    threads = max(1, (os.cpu_count() or 1) // workers)
    user_threads = tuple(v for v in _THREAD_VARS if v in os.environ)   # the user's own settings win
    for job in jobs:
        job.update(threads=threads, user_threads=user_threads)
    print(f"cx-report: {n} report{'s' * (n != 1)} from {config.path.name}, {workers} worker{'s' * (workers != 1)}, "
          f"writing to {out_dir}", file=stream, flush=True)
    _prewarm()
    results: list[dict[str, Any]] = []
    with ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context()) as pool:
        running = {}

        def submit_next() -> None:
            job = jobs.popleft()
            print(f"      {job['name']} ... started", file=stream, flush=True)
            running[pool.submit(_execute_report, job)] = job

        for _ in range(min(workers, len(jobs))):
            submit_next()
        while running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for fut in done:
                job = running.pop(fut)
                try:
                    rec = fut.result()
                except Exception as exc:  # the worker process itself died
                    rec = dict(job["record"], status="failed", html=None, executed_notebook=None, finished_at=_now(),
                               duration_s=None, error={"cell": None, "execution_count": None, "ename": type(exc).__name__,
                                                       "evalue": str(exc), "failed_notebook": None,
                                                       "message": one_line_error(type(exc).__name__, str(exc))})
                results.append(rec)
                update_index(out_dir, config, [rec])
                took = f"{rec['duration_s']:.1f} s" if rec.get("duration_s") is not None else "?"
                status = "ok" if rec["status"] == "ok" else "FAILED"
                print(f"[{len(results)}/{n}] {rec['name']} ... {status} ({took})", file=stream, flush=True)
                if rec["status"] != "ok":
                    for line in _failure_lines(rec, out_dir):
                        print(line, file=stream, flush=True)
                if jobs:
                    submit_next()
    return results


# -------------------------------------------------------------------------------------------- index
@contextlib.contextmanager
def _locked(path: Path):
    """An exclusive lock (POSIX) so two runs writing the same folder do not lose index entries."""
    try:
        import fcntl
    except ImportError:  # Windows: no lock, the writes stay atomic
        yield
        return
    with open(path, "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def read_index(out_dir: Path) -> dict[str, Any]:
    """``index.json`` of a report folder, or an empty index when it is missing or unreadable.

    Examples
    --------
    >>> import tempfile
    >>> read_index(Path(tempfile.mkdtemp()))
    {'reports': []}
    """
    try:
        data = json.loads((out_dir / "index.json").read_text(encoding="utf-8"))
        return data if isinstance(data, dict) and isinstance(data.get("reports"), list) else {"reports": []}
    except (OSError, ValueError):
        return {"reports": []}


def update_index(out_dir: Path, config: ReportsConfig, results: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Merge run records into ``index.json`` and re-render ``index.html`` (both atomic).

    A failed record keeps the report's last good run under ``last_good`` (its HTML is still in place).
    Reports listed in the config but never run appear as ``"not run"``; reports no longer in the config
    are dropped from the index.

    Examples
    --------
    >>> config = load_config("reports.yml")                                  # doctest: +SKIP
    >>> update_index(Path("reports"), config, [])["reports"][0]["status"]     # doctest: +SKIP
    'ok'
    """
    from cxlib.report_html import render_index_html

    with _locked(out_dir / ".index.lock"):
        old = {r.get("name"): r for r in read_index(out_dir)["reports"] if isinstance(r, dict)}
        for rec in results:
            rec = copy.deepcopy(dict(rec))
            prev = old.get(rec["name"])
            if rec["status"] == "failed":
                good = prev if prev and prev.get("status") == "ok" else (prev or {}).get("last_good")
                if good and not (out_dir / str(good.get("html"))).is_file():
                    good = None
                rec["last_good"] = {k: v for k, v in good.items() if k != "last_good"} if good else None
            else:
                rec["last_good"] = None
            old[rec["name"]] = rec
        full = load_config(config.path) if config.path.is_file() else config
        reports = [old.get(name) or {"name": name, "notebook": spec.notebook_label, "status": "not run"}
                   for name, spec in ((s.name, s) for s in full.reports)]
        index = {"cxlib_version": __version__, "generated_at": _now(), "config": str(config.path),
                 "reports": reports}
        atomic_write_text(out_dir / "index.json", json.dumps(index, indent=2, ensure_ascii=False, default=str) + "\n")
        atomic_write_text(out_dir / "index.html", render_index_html(index))
    return index


# ---------------------------------------------------------------------------------------------- CLI
def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="cx-report",
        description="Run the cxlib notebooks with papermill and write offline HTML reports plus reports/index.html.",
        epilog="Exit codes: 0 all ok, 1 a notebook failed (previous HTML kept), 2 usage or configuration error.",
    )
    p.add_argument("--config", default=None, help="reports YAML (default: reports.yml in the working directory); "
                                                  "its folder is the project root")
    p.add_argument("--params", default=None, help="YAML {notebook_stem: {parameter: value}} merged over the config")
    p.add_argument("--out", default=None, help="output folder (default: reports/ in the project root)")
    p.add_argument("--only", nargs="+", metavar="NAME", help="run only these reports (names or notebook stems)")
    p.add_argument("--workers", type=int, default=None, help="parallel notebooks (default: CPU count, capped by the number of reports)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``cx-report`` / ``python -m cxlib.report``; returns the exit code."""
    args = _parser().parse_args(argv)
    err = sys.stderr
    t0 = time.perf_counter()
    try:
        if args.workers is not None and args.workers < 1:
            raise ReportConfigError(f"--workers must be an int >= 1. Got {args.workers} instead.")
        config = load_config(args.config or DEFAULT_CONFIG)
        if args.params:
            config = merge_params(config, load_params(args.params))
        config = select_reports(config, args.only)
        out_dir = Path(args.out).expanduser().resolve() if args.out else config.root / "reports"
        declared = check_parameters(config)
    except CxError as exc:
        print(f"cx-report: error: {exc}", file=err)
        return 2
    try:
        results = run_reports(config, out_dir, workers=args.workers, stream=err, declared=declared)
    except CxError as exc:
        print(f"cx-report: error: {exc}", file=err)
        return 2
    except KeyboardInterrupt:
        print("cx-report: interrupted; reports not finished keep their previous HTML", file=err)
        return 130
    failed = [r for r in results if r["status"] != "ok"]
    print(f"cx-report: {len(results) - len(failed)} ok, {len(failed)} failed in {time.perf_counter() - t0:.1f} s"
          f"{' (' + ', '.join(r['name'] for r in failed) + ')' if failed else ''}; index: {out_dir / 'index.html'}",
          file=err, flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
