"""Real public datasets live in ../shared/datasets (never copied here); every test in this folder is marked
`realdata` and skipped when the folder is absent."""
from pathlib import Path

import pytest

DATASETS = Path(__file__).resolve().parents[3] / "shared" / "datasets"


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.realdata)
            if not DATASETS.is_dir():
                item.add_marker(pytest.mark.skip(reason=f"real datasets not found at {DATASETS}"))


@pytest.fixture(scope="session")
def datasets() -> Path:
    return DATASETS
