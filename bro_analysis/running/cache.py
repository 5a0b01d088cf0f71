"""Skip work whose inputs have not changed.

A notebook's key is the SHA-256 of the notebook file, its parameters, every
file in the data folder, the OKR and settings files, the package's own code and
templates, and the Python and the installed versions of the packages the package
runs on (an upgrade of pandas or matplotlib can change a number or a figure). The
key of a successful run is stored beside its outputs in `<period>/.cache/<name>.json`;
a later run with the same key reuses the outputs.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import platform
import re
from functools import lru_cache
from pathlib import Path

from bro_analysis.core.config import find_workdir
from bro_analysis.core.files import write_atomic
from bro_analysis.core.periods import Period
from bro_analysis.input.assessments import assessment_files
from bro_analysis.running.parameters import parameters

PACKAGE_DIR = Path(__file__).resolve().parents[1]
CACHE_DIR = ".cache"


def _digest(parts) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part if isinstance(part, bytes) else str(part).encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def _files_digest(paths) -> str:
    return _digest(x for p in sorted(paths) for x in (p.name, p.read_bytes()))


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


# A requirement's name: what comes before a version, an extra or a marker ("pandas>=2.1").
_REQUIREMENT_NAME = re.compile(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def dependency_versions() -> dict[str, str]:
    """Name -> installed version of the package and of every package it needs to run, the
    dependencies of dependencies included (extras, such as the test tools, left out). Read
    from the installed packages' metadata, which a wheel install has too (uv.lock it has not);
    where the package itself is not installed, every installed package counts."""
    installed = {_canonical(d.metadata["Name"]): d for d in importlib.metadata.distributions()}
    root = "bro-analysis"
    if root not in installed:
        return {name: dist.version for name, dist in installed.items()}
    versions: dict[str, str] = {}
    todo = [root]
    while todo:
        name = todo.pop()
        if name in versions or name not in installed:
            continue  # seen, or not installed here (a requirement for another platform)
        versions[name] = installed[name].version
        for requirement in installed[name].requires or []:
            match = _REQUIREMENT_NAME.match(requirement)
            if match and "extra" not in requirement.partition(";")[2]:
                todo.append(_canonical(match.group(1)))
    return versions


@lru_cache(maxsize=1)
def code_digest() -> str:
    """The package's code and templates, the Python and the installed versions of what the
    package runs on: a change in any of them invalidates every result."""
    files = [p for p in PACKAGE_DIR.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    code = [x for p in sorted(files) for x in (p.relative_to(PACKAGE_DIR).as_posix(), p.read_bytes())]
    versions = json.dumps(dependency_versions(), sort_keys=True)
    return _digest([*code, platform.python_implementation(), platform.python_version(), versions])


def input_digest(data_dir: Path) -> str:
    """Everything a notebook reads besides itself and its parameters: the tables, BRO's
    assessment files (bedomningar/), the plan, the settings and the package's code."""
    data_files = [p for p in Path(data_dir).iterdir() if p.is_file()]
    data_files += assessment_files(Path(data_dir))
    workdir = find_workdir()
    return _digest([_files_digest(data_files), _files_digest([workdir.plan, workdir.settings]), code_digest()])


def notebook_key(notebook: Path, period: Period, data_dir: Path, inputs: str, member: str | None = None) -> str:
    params = parameters(period, data_dir, member)
    return _digest([notebook.read_bytes(), json.dumps(params, sort_keys=True), inputs])


def file_digest(path: Path) -> str:
    """One file's name and bytes; empty when it cannot be read (then it is not compared)."""
    try:
        return _files_digest([Path(path)])
    except OSError:
        return ""


def combined_key(keys: list[str | None], inputs: str) -> str:
    return _digest([*(k or "" for k in keys), inputs, "combined"])


def _record(out_dir: Path, name: str) -> Path:
    return out_dir / CACHE_DIR / f"{name}.json"


def read_key(out_dir: Path, name: str) -> str | None:
    try:
        return json.loads(_record(out_dir, name).read_text(encoding="utf-8"))["key"]
    except (OSError, ValueError, KeyError):
        return None


def is_fresh(out_dir: Path, name: str, key: str, html_name: str | None = None) -> bool:
    """True when the stored key matches and the outputs are still there."""
    html = out_dir / (html_name or f"{name}.html")
    return read_key(out_dir, name) == key and html.exists()


def remember(out_dir: Path, name: str, key: str) -> None:
    write_atomic(_record(out_dir, name), json.dumps({"key": key}).encode("utf-8"))


def forget(out_dir: Path, name: str) -> None:
    _record(out_dir, name).unlink(missing_ok=True)
