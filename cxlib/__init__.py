"""cxlib: customer-experience analytics behind the cxlib notebooks.

Modules are imported lazily so that ``import cxlib`` stays light in every kernel::

    from cxlib import io, text, sentiment, churn, drivers, swot, scale
"""
from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_SUBMODULES = {
    "io", "schemas", "errors", "sample", "text", "sentiment", "churn", "drivers", "swot",
    "scale", "plots", "report", "health", "metrics", "notebook", "survival", "retention", "relimp",
}

__all__ = sorted(_SUBMODULES) + ["__version__"]


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f"cxlib.{name}")
    raise AttributeError(f"module 'cxlib' has no attribute {name!r}")
