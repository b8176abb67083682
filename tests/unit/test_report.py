"""cxlib.report (``cx-report``): configuration errors, parameter checks, real runs, failures, the index.

Every run is a real ``cx-report`` on a copy of ``tests/fixtures/notebooks`` in a temporary folder (so that
nothing lands in the repository); nothing is mocked. Configuration errors are found before any kernel
starts, so those tests call :func:`cxlib.report.main` in-process; the runs that execute notebooks use the
installed ``cx-report`` entry point in a subprocess and are shared between tests through module fixtures.
"""
from __future__ import annotations

import doctest
import hashlib
import html
import json
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

import cxlib
import cxlib.report
from cxlib.report import ReportConfigError, load_config, main, merge_params

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "notebooks"
_ENTRY_POINT = Path(sys.executable).parent / "cx-report"
TEMP_PATTERNS = (".*.running.ipynb", "*.tmp", ".*.tmp")


def cx_report(*args: object, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the real ``cx-report`` command line (the installed entry point, else ``python -m cxlib.report``)."""
    cmd = [str(_ENTRY_POINT)] if _ENTRY_POINT.exists() else [sys.executable, "-m", "cxlib.report"]
    return subprocess.run(cmd + [str(a) for a in args], capture_output=True, text=True, timeout=300, cwd=cwd)


def copy_fixtures(dest: Path) -> Path:
    """A private copy of the fixture project (reports.yml, notebooks, tiny.csv)."""
    proj = dest / "proj"
    shutil.copytree(FIXTURES, proj)
    return proj


def read_index(out: Path) -> dict:
    return json.loads((out / "index.json").read_text(encoding="utf-8"))


def records(out: Path) -> dict[str, dict]:
    return {r["name"]: r for r in read_index(out)["reports"]}


def leftover_temp_files(out: Path) -> list[str]:
    return sorted(p.name for pattern in TEMP_PATTERNS for p in out.glob(pattern))


def error_lines(stderr: str, needle: str) -> list[str]:
    return [line for line in stderr.splitlines() if needle in line]


# ------------------------------------------------------------------------------------- shared real runs
@pytest.fixture(scope="module")
def good_run(tmp_path_factory) -> SimpleNamespace:
    """Both fixture reports, run once with two workers into a fresh output folder."""
    proj = copy_fixtures(tmp_path_factory.mktemp("good"))
    out = proj / "out"
    res = cx_report("--config", proj / "reports.yml", "--out", out, "--workers", 2)
    assert res.returncode == 0, res.stderr
    return SimpleNamespace(proj=proj, out=out, res=res, index=read_index(out), records=records(out))


@pytest.fixture(scope="module")
def failed_runs(good_run, tmp_path_factory) -> SimpleNamespace:
    """Two failing runs of fx_fail (a CxDataError, then a ZeroDivisionError) over a copy of the good output."""
    out = tmp_path_factory.mktemp("failed") / "out"
    shutil.copytree(good_run.out, out)  # copy2 keeps the mtimes
    before = {name: ((out / name).read_bytes(), (out / name).stat().st_mtime_ns) for name in ("fx_fail.html", "fx_plot.html")}
    params = out.parent / "bad_mapping.yaml"
    params.write_text("fx_fail:\n  columns: {nope: score}\n", encoding="utf-8")
    first = cx_report("--config", good_run.proj / "reports.yml", "--out", out, "--params", params, "--only", "fx_fail")
    snap1 = SimpleNamespace(
        res=first, records=records(out), index_html=(out / "index.html").read_text(encoding="utf-8"),
        failed_nb=nbformat.read(out / "fx_fail.failed.ipynb", as_version=4) if (out / "fx_fail.failed.ipynb").exists() else None,
        temp_files=leftover_temp_files(out),
    )
    zero = out.parent / "zero.yaml"
    zero.write_text("fx_fail:\n  divisor: 0\n", encoding="utf-8")
    second = cx_report("--config", good_run.proj / "reports.yml", "--out", out, "--params", zero, "--only", "fx_fail")
    snap2 = SimpleNamespace(res=second, records=records(out), index_html=(out / "index.html").read_text(encoding="utf-8"))
    return SimpleNamespace(out=out, before=before, first=snap1, second=snap2, proj=good_run.proj)


# ----------------------------------------------------------------------------------- configuration errors
def write_config(tmp_path: Path, text: str, name: str = "reports.yml") -> Path:
    proj = copy_fixtures(tmp_path)
    cfg = proj / name
    cfg.write_text(text, encoding="utf-8")
    return cfg


def run_main(capsys, *args: object) -> tuple[int, str]:
    code = main([str(a) for a in args])
    return code, capsys.readouterr().err


def assert_one_line_usage_error(code: int, err: str, *needles: str) -> None:
    assert code == 2, err
    assert "Traceback" not in err
    assert err.count("\n") == 1 and err.startswith("cx-report: error: "), err
    for needle in needles:
        assert needle in err, f"{needle!r} not in {err!r}"


def test_missing_config_file_is_a_one_line_error_naming_the_path(tmp_path, capsys):
    code, err = run_main(capsys, "--config", tmp_path / "nope.yml", "--out", tmp_path / "out")
    assert_one_line_usage_error(code, err, "config file not found", str(tmp_path / "nope.yml"))
    assert not (tmp_path / "out").exists()


def test_invalid_yaml_is_reported_with_its_line_number(tmp_path, capsys):
    cfg = write_config(tmp_path, "reports:\n  - notebook: fx_plot.ipynb\n    parameters: {seed: [1,\n  - notebook: fx_fail.ipynb\n")
    code, err = run_main(capsys, "--config", cfg, "--out", tmp_path / "out")
    assert_one_line_usage_error(code, err, f"{cfg} line 4: not valid YAML")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("text", "needles"), [
    ("reports:\n  - notebook: fx_plot.ipynb\n    paramters: {seed: 1}\n",
     ["report 1: unknown key 'paramters'", "did you mean 'parameters'?"]),
    ("report:\n  - notebook: fx_plot.ipynb\n",
     ["expected 'reports:'"]),
    ("reports:\n  - notebook: fx_plot.ipynb\nreprots: []\n",
     ["unknown key 'reprots'", "did you mean 'reports'?"]),
    ("reports:\n  - notebook: fx_plot.ipynb\n  - name: fx_plot\n    notebook: fx_fail.ipynb\n",
     ["two reports are named 'fx_plot'"]),
    ("reports:\n  - notebook: fx_plot.ipynb\n    timeout: -1\n",
     ["report 1 (fx_plot): 'timeout' must be a positive number of seconds per cell"]),
    ("reports:\n  - notebook: fx_plot.ipynb\n    timeout: 10s\n",
     ["'timeout' must be a positive number"]),
    ("reports:\n  - notebook: fx_plot.ipynb\n    timeout: true\n",
     ["'timeout' must be a positive number"]),
    ("reports:\n  - notebook: fx_plot.ipynb\n    name: ../evil\n",
     ["name '../evil' must be letters, digits"]),
    ("reports:\n  - notebook: missing.ipynb\n",
     ["missing: notebook not found: missing.ipynb"]),
    ("reports:\n  - notebook: fx_plot.ipynb\n    parameters: {sede: 1}\n",
     ["fx_plot: unknown parameter 'sede' for fx_plot.ipynb", "did you mean 'seed'?", "valid parameters: export_path, input_path, seed, title"]),
], ids=["misspelt-key", "no-reports", "misspelt-top-key", "duplicate-names", "negative-timeout", "text-timeout",
        "bool-timeout", "bad-name", "missing-notebook", "misspelt-parameter-in-config"])
def test_bad_config_exits_2_with_one_readable_line_and_writes_nothing(tmp_path, capsys, text, needles):
    cfg = write_config(tmp_path, text)
    code, err = run_main(capsys, "--config", cfg, "--out", tmp_path / "out")
    assert_one_line_usage_error(code, err, *needles)
    assert not (tmp_path / "out").exists()


def test_bad_config_through_the_installed_command_has_no_traceback(tmp_path):
    cfg = write_config(tmp_path, "reports:\n  - notebook: fx_plot.ipynb\n    timeout: 0\n")
    res = cx_report("--config", cfg, "--out", tmp_path / "out")
    assert res.returncode == 2
    assert res.stderr.strip() == "cx-report: error: reports.yml: report 1 (fx_plot): 'timeout' must be a positive number of seconds per cell"
    assert res.stdout == ""


def test_config_that_is_not_utf8_is_a_one_line_error(tmp_path, capsys):
    cfg = copy_fixtures(tmp_path) / "reports.yml"
    cfg.write_bytes("# Отчёты для клиента\nreports:\n  - notebook: fx_plot.ipynb\n".encode("cp1251"))
    code, err = run_main(capsys, "--config", cfg, "--out", tmp_path / "out")
    assert_one_line_usage_error(code, err, str(cfg), "UTF-8")


def test_a_report_named_index_is_refused(tmp_path, capsys):
    # its index.html would be overwritten by the report index, which would then link to itself
    cfg = write_config(tmp_path, "reports:\n  - notebook: fx_plot.ipynb\n    name: index\n")
    with pytest.raises(ReportConfigError, match="'index'"):
        load_config(cfg)
    code, err = run_main(capsys, "--config", cfg, "--out", tmp_path / "out")
    assert_one_line_usage_error(code, err, "report 1", "'index'")
    assert not (tmp_path / "out").exists()


def test_workers_below_one_is_a_usage_error(tmp_path, capsys):
    cfg = copy_fixtures(tmp_path) / "reports.yml"
    code, err = run_main(capsys, "--config", cfg, "--out", tmp_path / "out", "--workers", 0)
    assert_one_line_usage_error(code, err, "--workers must be an int >= 1. Got 0 instead.")


# ------------------------------------------------------------------------------------- --params, --only
def test_params_for_an_unknown_notebook_stem_names_the_closest_report(tmp_path, capsys):
    proj = copy_fixtures(tmp_path)
    (proj / "p.yaml").write_text("fx_plt: {seed: 1}\n", encoding="utf-8")
    code, err = run_main(capsys, "--config", proj / "reports.yml", "--params", proj / "p.yaml", "--out", tmp_path / "out")
    assert_one_line_usage_error(code, err, "--params: no report or notebook named 'fx_plt'", "did you mean 'fx_plot'?",
                                "reports: fx_plot, fx_fail")
    assert not (tmp_path / "out").exists()


def test_misspelt_parameter_in_params_names_the_closest_valid_one_and_writes_nothing(tmp_path, capsys):
    proj = copy_fixtures(tmp_path)
    (proj / "p.yaml").write_text("fx_fail:\n  input_pth: other.csv\n", encoding="utf-8")
    code, err = run_main(capsys, "--config", proj / "reports.yml", "--params", proj / "p.yaml", "--out", tmp_path / "out")
    assert_one_line_usage_error(code, err, "fx_fail: unknown parameter 'input_pth'", "did you mean 'input_path'?",
                                "valid parameters: columns, divisor, input_path, seed")
    assert not (tmp_path / "out").exists()


def test_unknown_parameter_with_nothing_close_lists_the_valid_ones(tmp_path, capsys):
    proj = copy_fixtures(tmp_path)
    (proj / "p.yaml").write_text("fx_plot:\n  zzzz: 1\n", encoding="utf-8")
    code, err = run_main(capsys, "--config", proj / "reports.yml", "--params", proj / "p.yaml", "--out", tmp_path / "out")
    assert_one_line_usage_error(code, err, "unknown parameter 'zzzz'", "valid parameters: export_path, input_path, seed, title")
    assert "did you mean" not in err


@pytest.mark.parametrize("text", ["- fx_plot\n", "fx_plot: 3\n", "fx_plot: {seed: [1\n"], ids=["list", "scalar", "bad-yaml"])
def test_params_file_of_the_wrong_shape_is_a_usage_error(tmp_path, capsys, text):
    proj = copy_fixtures(tmp_path)
    (proj / "p.yaml").write_text(text, encoding="utf-8")
    code, err = run_main(capsys, "--config", proj / "reports.yml", "--params", proj / "p.yaml", "--out", tmp_path / "out")
    assert_one_line_usage_error(code, err, str(proj / "p.yaml"))


def test_missing_params_file_is_a_usage_error(tmp_path, capsys):
    proj = copy_fixtures(tmp_path)
    code, err = run_main(capsys, "--config", proj / "reports.yml", "--params", proj / "nope.yaml", "--out", tmp_path / "out")
    assert_one_line_usage_error(code, err, "params file not found", "nope.yaml")


def test_params_merge_applies_the_notebook_stem_entry_then_the_report_name_entry(tmp_path):
    cfg = write_config(tmp_path, "reports:\n  - name: plot2\n    notebook: fx_plot.ipynb\n    parameters: {seed: 1, title: A}\n"
                                 "  - notebook: fx_fail.ipynb\n")
    merged = merge_params(load_config(cfg), {"fx_plot": {"seed": 5, "title": "B"}, "plot2": {"title": "C"}})
    plot2, fail = merged.reports
    assert plot2.parameters == {"seed": 5, "title": "C"}
    assert set(plot2.overridden) == {"seed", "title"}
    assert fail.parameters == {} and fail.overridden == ()


def test_only_with_an_unknown_report_names_the_closest_one(tmp_path, capsys):
    proj = copy_fixtures(tmp_path)
    code, err = run_main(capsys, "--config", proj / "reports.yml", "--only", "fx_fial", "--out", tmp_path / "out")
    assert_one_line_usage_error(code, err, "--only: no report named 'fx_fial'", "did you mean 'fx_fail'?")
    assert not (tmp_path / "out").exists()


def test_only_runs_the_named_report_and_leaves_the_others_alone(good_run, failed_runs):
    assert "1 report from reports.yml, 1 worker" in failed_runs.first.res.stderr
    assert "fx_plot ... started" not in failed_runs.first.res.stderr
    html_bytes, mtime = failed_runs.before["fx_plot.html"]
    assert (failed_runs.out / "fx_plot.html").read_bytes() == html_bytes
    assert (failed_runs.out / "fx_plot.html").stat().st_mtime_ns == mtime
    assert failed_runs.second.records["fx_plot"] == good_run.records["fx_plot"]


# ---------------------------------------------------------------------------------------- a good run
def test_successful_run_writes_html_executed_notebook_and_index(good_run):
    names = {p.name for p in good_run.out.iterdir()}
    assert {"fx_plot.html", "fx_plot.ipynb", "fx_fail.html", "fx_fail.ipynb", "index.json", "index.html"} <= names
    assert not any(n.endswith(".failed.ipynb") for n in names)
    assert "cx-report: 2 ok, 0 failed" in good_run.res.stderr
    assert "Traceback" not in good_run.res.stderr


def test_exports_that_default_to_reports_follow_the_out_folder(good_run):
    # fx_plot writes its table to export_path, whose default is reports/fx_scores.csv: with --out elsewhere it
    # lands beside the report, not in a reports/ folder of the project
    written = good_run.out / "fx_scores.csv"
    assert written.is_file()
    assert written.read_text(encoding="utf-8").splitlines()[0] == "group,score,comment"
    assert not (good_run.proj / "reports").exists()
    assert good_run.records["fx_plot"]["parameters"]["export_path"] == str(written.resolve())


def test_index_json_records_status_duration_parameters_with_defaults_seed_and_version(good_run):
    plot, fail = good_run.records["fx_plot"], good_run.records["fx_fail"]
    assert [r["name"] for r in good_run.index["reports"]] == ["fx_plot", "fx_fail"]  # config order
    assert plot["status"] == fail["status"] == "ok"
    assert plot["html"] == "fx_plot.html" and plot["executed_notebook"] == "fx_plot.ipynb"
    assert plot["error"] is None and plot["last_good"] is None
    assert 0 < plot["duration_s"] < 120
    # reports.yml sets title and seed; input_path is the notebook's default; export_path follows --out
    assert plot["parameters"] == {"title": "Scores by group <i>&</i>", "input_path": "tiny.csv", "seed": 3,
                                  "export_path": str((good_run.out / "fx_scores.csv").resolve())}
    assert plot["overridden"] == ["title", "seed"]
    assert fail["parameters"] == {"input_path": "tiny.csv", "columns": {}, "divisor": 1, "seed": 0}
    assert fail["overridden"] == []
    assert plot["seed"] == 3 and fail["seed"] == 0
    assert plot["cxlib_version"] == good_run.index["cxlib_version"] == cxlib.__version__
    assert plot["plotly_figures"] == 2 and fail["plotly_figures"] == 0
    assert plot["notebook_sha256"] == hashlib.sha256((FIXTURES / "fx_plot.ipynb").read_bytes()).hexdigest()


def test_index_json_records_the_sha256_of_the_input_file(good_run):
    expected = hashlib.sha256((good_run.proj / "tiny.csv").read_bytes()).hexdigest()
    for name in ("fx_plot", "fx_fail"):
        assert good_run.records[name]["inputs"] == [
            {"parameter": "input_path", "path": "tiny.csv", "sha256": expected, "size_bytes": (good_run.proj / "tiny.csv").stat().st_size}]


def test_executed_notebook_carries_the_injected_parameters_and_outputs(good_run):
    nb = nbformat.read(good_run.out / "fx_plot.ipynb", as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1
    assert "seed = 3" in injected[0].source
    assert sum(1 for c in nb.cells if c.cell_type == "code" for o in c.outputs
               if "application/vnd.plotly.v1+json" in o.get("data", {})) == 2


def test_report_html_escapes_input_text_and_parameters(good_run):
    page = (good_run.out / "fx_plot.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in page  # tiny.csv's comment, in the table and print
    assert "<script>window.__pwned" not in page
    assert "Scores by group &lt;i&gt;&amp;&lt;/i&gt;" in page  # the title parameter in the run card
    assert "Scores by group <i>&</i>" not in page


def test_reports_run_in_parallel_with_two_workers(good_run):
    lines = good_run.res.stderr.splitlines()
    started = [i for i, line in enumerate(lines) if line.strip().endswith("... started")]
    first_done = next(i for i, line in enumerate(lines) if line.startswith("[1/2]"))
    assert len(started) == 2 and max(started) < first_done
    assert "2 workers" in lines[0]
    # the worker clocks: each report started before the other one finished (ISO UTC strings sort as times)
    plot, fail = good_run.records["fx_plot"], good_run.records["fx_fail"]
    assert max(plot["started_at"], fail["started_at"]) < min(plot["finished_at"], fail["finished_at"])


def test_no_temporary_files_are_left_after_a_successful_run(good_run):
    assert leftover_temp_files(good_run.out) == []


def test_index_html_lists_each_report_with_status_link_and_escaped_parameters(good_run):
    page = (good_run.out / "index.html").read_text(encoding="utf-8")
    assert page.count('<span class="ok">ok</span>') == 2
    assert '<a href="fx_plot.html">fx_plot</a>' in page and '<a href="fx_fail.html">fx_fail</a>' in page
    assert "2 ok, 0 failed, 0 not run" in page
    assert "Scores by group &lt;i&gt;&amp;&lt;/i&gt;" in page and "<i>&</i>" not in page
    assert good_run.records["fx_plot"]["inputs"][0]["sha256"] in page


# ------------------------------------------------------------------------------------------- failures
def test_failing_notebook_exits_1_naming_notebook_cell_file_and_column_on_one_line(failed_runs):
    res = failed_runs.first.res
    assert res.returncode == 1
    assert "Traceback" not in res.stderr
    [line] = error_lines(res.stderr, "CxDataError")
    assert line.strip().startswith("fx_fail.ipynb, cell 4 (In [4]): CxDataError: tiny.csv: column 'nope'"), line
    assert "not in the file" in line
    assert "cx-report: 0 ok, 1 failed" in res.stderr and "(fx_fail)" in res.stderr


def test_plain_python_error_is_reported_with_its_cell_and_message(failed_runs):
    res = failed_runs.second.res
    assert res.returncode == 1
    assert "Traceback" not in res.stderr
    [line] = error_lines(res.stderr, "ZeroDivisionError")
    assert line.strip() == "fx_fail.ipynb, cell 5 (In [5]): ZeroDivisionError: division by zero"


def test_failure_keeps_the_previous_html_byte_identical_and_untouched(failed_runs):
    html_bytes, mtime = failed_runs.before["fx_fail.html"]
    assert (failed_runs.out / "fx_fail.html").read_bytes() == html_bytes
    assert (failed_runs.out / "fx_fail.html").stat().st_mtime_ns == mtime
    assert f"previous {failed_runs.out / 'fx_fail.html'} kept" in failed_runs.first.res.stderr


def test_failure_writes_the_executed_notebook_with_the_error(failed_runs):
    nb = failed_runs.first.failed_nb
    assert nb is not None
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert [e.ename for e in errors] == ["CxDataError"]
    assert "column 'nope'" in errors[0].evalue
    assert f"executed notebook with the error: {failed_runs.out / 'fx_fail.failed.ipynb'}" in failed_runs.first.res.stderr


def test_failed_record_keeps_the_last_good_run_and_the_error(good_run, failed_runs):
    rec = failed_runs.first.records["fx_fail"]
    assert rec["status"] == "failed" and rec["html"] is None
    assert rec["parameters"]["columns"] == {"nope": "score"} and "columns" in rec["overridden"]
    assert rec["error"]["cell"] == 4 and rec["error"]["ename"] == "CxDataError"
    assert rec["error"]["message"].startswith("CxDataError: tiny.csv: column 'nope'")
    assert rec["error"]["failed_notebook"] == "fx_fail.failed.ipynb"
    good = dict(good_run.records["fx_fail"])
    good.pop("last_good")
    assert rec["last_good"] == good


def test_a_second_failure_still_points_at_the_first_good_run(good_run, failed_runs):
    rec = failed_runs.second.records["fx_fail"]
    assert rec["status"] == "failed"
    assert rec["error"]["cell"] == 5 and rec["error"]["message"] == "ZeroDivisionError: division by zero"
    assert rec["last_good"]["finished_at"] == good_run.records["fx_fail"]["finished_at"]
    assert rec["last_good"]["html"] == "fx_fail.html"


def test_index_html_shows_the_failure_and_links_the_last_good_report(failed_runs):
    page = failed_runs.first.index_html
    message = failed_runs.first.records["fx_fail"]["error"]["message"]
    assert '<span class="failed">failed</span> <small>cell 4 (In [4])</small>' in page
    assert html.escape(message) in page
    assert '<a href="fx_fail.failed.ipynb">executed notebook with the error</a>' in page
    assert '<a href="fx_fail.html">fx_fail</a>' in page  # the last good HTML is still linked
    assert "showing the last good report" in page
    assert "1 ok, 1 failed, 0 not run" in page


def test_no_temporary_files_are_left_after_a_failed_run(failed_runs):
    assert failed_runs.first.temp_files == []
    assert leftover_temp_files(failed_runs.out) == []


def test_a_later_successful_run_removes_the_failed_notebook(failed_runs, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(failed_runs.out, out)
    assert (out / "fx_fail.failed.ipynb").exists()
    res = cx_report("--config", failed_runs.proj / "reports.yml", "--out", out, "--only", "fx_fail")
    assert res.returncode == 0, res.stderr
    assert not (out / "fx_fail.failed.ipynb").exists()
    rec = records(out)["fx_fail"]
    assert rec["status"] == "ok" and rec["error"] is None and rec["last_good"] is None
    assert rec["parameters"]["divisor"] == 1
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "2 ok, 0 failed, 0 not run" in page and 'class="failed"' not in page
    assert leftover_temp_files(out) == []


def test_cell_timeout_names_the_cell_and_keeps_the_executed_notebook(tmp_path):
    proj = tmp_path / "proj"
    proj.mkdir()
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                                            "language_info": {"name": "python"}})
    params = nbformat.v4.new_code_cell("sleep_s: float = 0.0  # seconds to sleep\nseed: int = 0  # unused")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# Slow"), params, nbformat.v4.new_code_cell("print('before')"),
                nbformat.v4.new_code_cell("import time\ntime.sleep(sleep_s)")]
    nbformat.write(nb, proj / "slow.ipynb")
    (proj / "reports.yml").write_text("reports:\n  - notebook: slow.ipynb\n    timeout: 1\n    parameters: {sleep_s: 20}\n",
                                      encoding="utf-8")
    res = cx_report("--config", proj / "reports.yml", "--out", proj / "out")
    assert res.returncode == 1
    [line] = error_lines(res.stderr, "CellTimeoutError")
    assert "slow.ipynb, cell 4" in line, line
    assert (proj / "out" / "slow.failed.ipynb").exists()


# -------------------------------------------------------------------------------------------- doctests
def test_default_pytest_run_collects_the_report_browser_tests():
    # norecursedirs matches folder names anywhere: "reports" (for the generated reports/) would also hide tests/reports
    import fnmatch
    import tomllib

    options = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]
    assert (ROOT / "tests" / "reports" / "test_reports_browser.py").is_file()
    assert [p for p in options.get("norecursedirs", []) if fnmatch.fnmatch("reports", p)] == []


def test_module_doctests_pass():
    result = doctest.testmod(cxlib.report, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 8
    assert result.failed == 0
