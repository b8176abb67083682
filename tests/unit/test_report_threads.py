"""cx-report shares the machine's cores between the kernels it runs side by side."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat

CODE = 'import os\nprint(os.environ.get("OMP_NUM_THREADS"), os.environ.get("OPENBLAS_NUM_THREADS"))'


def make_project(root: Path) -> Path:
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("seed: int = 0  # unused", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(CODE)])
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    nbformat.write(nb, root / "threads.ipynb")
    (root / "reports.yml").write_text("reports:\n  - {name: a, notebook: threads.ipynb}\n"
                                      "  - {name: b, notebook: threads.ipynb}\n", encoding="utf-8")
    return root / "reports.yml"


def printed(out: Path, name: str) -> str:
    cells = json.loads((out / f"{name}.ipynb").read_text())["cells"]
    texts = [o.get("text", "") for c in cells for o in c.get("outputs", []) if o["output_type"] == "stream"]
    return "".join("".join(t) if isinstance(t, list) else t for t in texts)


def run(config: Path, out: Path, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    return subprocess.run([sys.executable, "-m", "cxlib.report", "--config", str(config), "--out", str(out),
                           "--workers", "2"], env={**clean, **env}, capture_output=True, text=True, timeout=300)


def test_parallel_kernels_each_get_their_share_of_the_cores(tmp_path):
    res = run(make_project(tmp_path), tmp_path / "out")
    assert res.returncode == 0, res.stderr
    share = str(max(1, (os.cpu_count() or 1) // 2))
    assert printed(tmp_path / "out", "a").split() == [share, share]
    assert printed(tmp_path / "out", "b").split() == [share, share]


def test_a_thread_count_the_user_set_is_kept(tmp_path):
    res = run(make_project(tmp_path), tmp_path / "out", OMP_NUM_THREADS="3")
    assert res.returncode == 0, res.stderr
    assert printed(tmp_path / "out", "a").split()[0] == "3"
