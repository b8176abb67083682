"""Packaging: pyproject.toml and environment.yml describe the same environment.

pip users install from pyproject.toml, conda users from environment.yml; the two must list the same packages with
the same lower bounds, the same Python, the ``cx-report`` command and the report templates as package data.
"""
from __future__ import annotations

import importlib
import re
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
ENVIRONMENT = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))

#: pip name -> conda-forge name where the two differ (normalised names); most packages share one name.
PIP_TO_CONDA = {"torch": "pytorch", "tables": "pytables"}
#: conda entries that are the environment itself, not a package of the project.
CONDA_ONLY = {"python", "pip"}


def normalise(name: str) -> str:
    """PEP 503 name: lower case, runs of '-', '_' and '.' as one '-'."""
    return re.sub(r"[-_.]+", "-", name).lower()


def lower_bound(spec: SpecifierSet) -> Version | None:
    bounds = [Version(s.version) for s in spec if s.operator in (">=", "==", "~=")]
    return max(bounds) if bounds else None


def conda_spec(entry: str) -> tuple[str, SpecifierSet]:
    """'pandas>=2.2' or 'pandas >=2.2,<3' -> ('pandas', SpecifierSet('>=2.2,<3'))."""
    match = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)\s*(\[[^\]]*\])?\s*(.*?)\s*", entry)
    assert match, f"environment.yml: cannot read the dependency {entry!r}"
    return normalise(match.group(1)), SpecifierSet(match.group(3).replace(" ", ""))


def environment_packages() -> dict[str, SpecifierSet]:
    """Every package of environment.yml, conda and pip sections together, by normalised name."""
    out: dict[str, SpecifierSet] = {}
    for entry in ENVIRONMENT["dependencies"]:
        if isinstance(entry, dict):  # the pip: [...] section
            for pip_entry in entry.get("pip", []):
                req = Requirement(pip_entry)
                out[normalise(req.name)] = req.specifier
        else:
            name, spec = conda_spec(entry)
            out[name] = spec
    return out


def pyproject_requirements() -> list[tuple[str, Requirement]]:
    """(group, requirement) for the runtime dependencies and the dev extra."""
    runtime = [("dependencies", Requirement(r)) for r in PYPROJECT["project"]["dependencies"]]
    dev = [("dev", Requirement(r)) for r in PYPROJECT["project"]["optional-dependencies"]["dev"]]
    return runtime + dev


def conda_name(pip_name: str) -> str:
    name = normalise(pip_name)
    return PIP_TO_CONDA.get(name, name)


ENV = environment_packages()
REQUIREMENTS = pyproject_requirements()


# --- same packages, same lower bounds --------------------------------------------------------------------------

@pytest.mark.parametrize("group, req", REQUIREMENTS, ids=[f"{g}:{r.name}" for g, r in REQUIREMENTS])
def test_every_pyproject_dependency_is_in_environment_yml_with_the_same_lower_bound(group, req):
    name = conda_name(req.name)
    assert name in ENV, f"environment.yml lacks {req.name} ({group} in pyproject.toml); add '{name}{req.specifier}'"
    assert lower_bound(ENV[name]) == lower_bound(req.specifier), (
        f"{req.name}: pyproject.toml says {req.specifier}, environment.yml says {ENV[name]}")


@pytest.mark.parametrize("group, req", REQUIREMENTS, ids=[f"{g}:{r.name}" for g, r in REQUIREMENTS])
def test_every_pyproject_dependency_has_a_lower_bound(group, req):
    assert lower_bound(req.specifier) is not None, f"{req} ({group}) needs a lower bound such as '>=1.0'"


def test_environment_yml_lists_nothing_that_pyproject_lacks():
    known = {conda_name(req.name) for _, req in REQUIREMENTS} | CONDA_ONLY
    extra = sorted(set(ENV) - known)
    assert extra == [], f"environment.yml lists {extra}, which pyproject.toml's dependencies and dev extra lack"


def test_the_helpers_read_names_and_bounds_the_way_pip_and_conda_do():
    assert normalise("Scikit_Learn") == normalise("scikit-learn") == "scikit-learn"
    assert normalise("ruamel.yaml") == "ruamel-yaml"
    assert conda_spec("pandas >=2.2,<3") == ("pandas", SpecifierSet(">=2.2,<3"))
    assert lower_bound(SpecifierSet(">=2.2,<3")) == Version("2.2") == Version("2.2.0")
    assert lower_bound(SpecifierSet("<3")) is None


# --- python, command, package data -----------------------------------------------------------------------------

def test_python_requirement_is_3_11_or_newer_in_both_files():
    assert lower_bound(SpecifierSet(PYPROJECT["project"]["requires-python"])) == Version("3.11")
    assert "python" in ENV, "environment.yml must pin python"
    assert lower_bound(ENV["python"]) == Version("3.11")


def test_the_running_python_satisfies_requires_python():
    running = Version(".".join(map(str, sys.version_info[:3])))
    assert running in SpecifierSet(PYPROJECT["project"]["requires-python"])


def test_cx_report_command_points_at_report_main():
    assert PYPROJECT["project"]["scripts"]["cx-report"] == "cxlib.report:main"
    module, _, attr = PYPROJECT["project"]["scripts"]["cx-report"].partition(":")
    assert callable(getattr(importlib.import_module(module), attr))


def test_package_data_ships_every_report_template():
    patterns = PYPROJECT["tool"]["setuptools"]["package-data"]["cxlib"]
    package = ROOT / "cxlib"
    templates = {p for p in (package / "templates").rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    assert templates, "cxlib/templates is empty"
    shipped = {p for pattern in patterns for p in package.glob(pattern) if p.is_file()}
    assert templates <= shipped, f"not shipped: {sorted(str(p.relative_to(package)) for p in templates - shipped)}"
    assert package / "templates" / "cx_report" / "index.html.j2" in shipped


def test_setuptools_finds_only_the_cxlib_packages():
    assert PYPROJECT["tool"]["setuptools"]["packages"]["find"]["include"] == ["cxlib*"]
