"""Shared fixtures for every test folder. Keep it small: folder-specific fixtures live next to their tests."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def repo_root() -> Path:
    """The repository root (the folder holding pyproject.toml)."""
    return ROOT


@pytest.fixture
def write_file(tmp_path: Path) -> Callable[[str, bytes | str], Path]:
    """Write a real file under ``tmp_path`` and return its path: ``write_file("a.csv", b"...")``.

    ``str`` content is written as UTF-8; give ``bytes`` to control the encoding exactly.
    """

    def write(name: str, content: bytes | str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return path

    return write


@pytest.fixture
def plotly_default_template():
    """Restore plotly's global default template after a test that calls ``cxlib.plots.apply_template``."""
    import plotly.io as pio

    before = pio.templates.default
    yield pio
    pio.templates.default = before
