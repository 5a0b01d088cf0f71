"""pyproject.toml and environment.yml name the same dependencies."""

import importlib.metadata
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.utils import canonicalize_name

from bro_analysis.core.config import PROJECT_ROOT


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = {_name(r) for r in project["dependencies"]}
    wanted |= {_name(r) for r in project["optional-dependencies"]["test"]}
    env = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    from_pip = {_name(r) for r in pip_section if not r.startswith("-")}
    assert not conda & from_pip, "a package is listed twice"
    assert conda | from_pip == wanted


def test_environment_yml_installs_the_project():
    env = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip_section


def _locked_pins() -> dict[str, str]:
    """Name -> version of every package uv.lock pins for this Python and platform."""
    from packaging.requirements import Requirement

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
