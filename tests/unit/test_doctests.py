"""Docstring examples: every cxlib module's examples run (STYLE practice 11), and every public function has one.

Modules are found with pkgutil, so a new module is checked without editing this file. A module that needs an
optional dependency which is not installed (dask for ``cxlib.scale``, ...) is skipped, not failed.
"""
from __future__ import annotations

import doctest
import importlib
import inspect
import pkgutil
from types import ModuleType

import pytest

import cxlib

#: Optional dependencies (extras, heavy packages imported inside functions): a module needing one that is not
#: installed is skipped. Anything else that fails to import is a failure.
OPTIONAL_DEPENDENCIES = {"dask", "distributed", "lifelines", "playwright"}

#: Public functions that need no docstring example, with the reason.
NO_EXAMPLE_NEEDED = {
    "cxlib.report.main": "the cx-report command line; its behaviour is shown in the README and tested by running it",
    "cxlib.screenshot.main": "a command line (python -m cxlib.screenshot); tested by running it",
}

#: Public functions that lack an example today. Each is a strict xfail: when an example is added the test
#: passes unexpectedly and the entry must be removed from here.
MISSING_EXAMPLES: set[str] = set()

DOCTEST_FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def module_names() -> list[str]:
    names = [cxlib.__name__]
    names += [m.name for m in pkgutil.walk_packages(cxlib.__path__, prefix="cxlib.", onerror=lambda name: None)]
    return sorted(set(names))


def import_or_skip(name: str) -> ModuleType:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        missing = (exc.name or "").split(".")[0]
        if missing in OPTIONAL_DEPENDENCIES:
            pytest.skip(f"{name} needs the optional dependency {missing!r}, which is not installed")
        raise


def public_functions() -> list[str]:
    """'module.function' for every public function defined in a cxlib module that imports here."""
    found = []
    for name in module_names():
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if (exc.name or "").split(".")[0] in OPTIONAL_DEPENDENCIES:
                continue
            raise
        exported = set(getattr(module, "__all__", ()))
        for attr, obj in vars(module).items():
            if not inspect.isfunction(obj) or obj.__module__ != name:
                continue  # classes, constants and functions imported from elsewhere
            if attr in exported or not attr.startswith("_"):
                found.append(f"{name}.{attr}")
    return sorted(found)


MODULES = module_names()
FUNCTIONS = public_functions()


def function_params():
    for qualname in FUNCTIONS:
        marks = []
        if qualname in MISSING_EXAMPLES:
            marks.append(pytest.mark.xfail(strict=True, reason=f"{qualname} has no docstring example yet"))
        yield pytest.param(qualname, marks=marks, id=qualname)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name, plotly_default_template):
    # plotly_default_template: cxlib.plots' example calls apply_template(), which sets plotly's global default
    module = import_or_skip(name)
    failed, attempted = doctest.testmod(module, optionflags=DOCTEST_FLAGS, verbose=False, report=False)
    assert failed == 0, f"{failed} of {attempted} docstring examples of {name} failed (see the captured output)"


@pytest.mark.parametrize("qualname", list(function_params()))
def test_public_function_has_a_docstring_with_an_example(qualname):
    if qualname in NO_EXAMPLE_NEEDED:
        pytest.skip(NO_EXAMPLE_NEEDED[qualname])
    module_name, _, attr = qualname.rpartition(".")
    doc = inspect.getdoc(getattr(importlib.import_module(module_name), attr)) or ""
    assert doc, f"{qualname} has no docstring"
    assert ">>>" in doc, f"{qualname}'s docstring has no example (an Examples section with >>>)"


def test_the_module_list_covers_the_core_modules():
    assert {"cxlib.errors", "cxlib.schemas", "cxlib.health", "cxlib.text", "cxlib.plots", "cxlib.io"} <= set(MODULES)


def test_the_exemption_lists_name_existing_functions():
    # a renamed or removed function must not linger here, silently exempting nothing
    assert set(NO_EXAMPLE_NEEDED) <= set(FUNCTIONS)
    assert MISSING_EXAMPLES <= set(FUNCTIONS)
