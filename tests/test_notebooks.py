"""Committed notebooks: no outputs, a parameters cell, computation in the package, and
they read as documents (headings and prose in markdown, the plan's ids never in code)."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from bro_analysis.core.config import NOTEBOOKS_DIR, PROJECT_ROOT
from bro_analysis.running.runner import list_notebooks

NOTEBOOKS = list_notebooks(NOTEBOOKS_DIR)


def _committed(path: Path) -> dict:
    """The notebook as git has it staged (what a commit holds; JupyterLab may have saved
    outputs into the working file), or the file itself outside a git checkout."""
    rel = path.relative_to(PROJECT_ROOT).as_posix()
    shown = subprocess.run(["git", "show", f":{rel}"], cwd=PROJECT_ROOT, capture_output=True)
    return json.loads(shown.stdout if shown.returncode == 0 else path.read_bytes())


def _code(path: Path) -> list[str]:
    return ["".join(c["source"]) for c in _committed(path)["cells"] if c["cell_type"] == "code"]


def test_there_are_notebooks():
    assert any(p.stem.endswith("nki") for p in NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    nb = _committed(path)
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"{path.name} cell {i} has outputs"
            assert cell.get("execution_count") is None, f"{path.name} cell {i} has an execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_has_one_parameters_cell_with_period_and_data_dir(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    tagged = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1
    source = "".join(tagged[0]["source"])
    assert "period" in source and "data_dir" in source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_has_a_report_title(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["metadata"]["bro"]["title"]
    assert nb["metadata"]["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_reads_as_a_document(path):
    """Section headings and their explanations are markdown cells; a heading in code is
    only one that carries a number from the data or the plan (an f-string)."""
    cells = _committed(path)["cells"]
    headings = [c for c in cells if c["cell_type"] == "markdown" and "".join(c["source"]).startswith("## ")]
    assert len(headings) >= 2
    for source in _code(path):
        assert not re.search(r"blocks\.heading\(\s*\"", source), source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_finds_key_results_by_metric_never_by_id(path):
    for source in _code(path):
        assert not re.search(r"key_result\(\s*[\"'][A-Z]\d", source), source


def test_no_key_result_id_in_the_package():
    for module in (PROJECT_ROOT / "bro_analysis").rglob("*.py"):
        assert not re.search(r"key_result\(\s*[\"'][A-Z]\d", module.read_text(encoding="utf-8")), module


def test_exploratory_notebooks_are_not_run(tmp_path):
    for name in ("10_a.ipynb", "exploratory/2026-11-29_ab_test.ipynb"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        nbformat.write(nbformat.v4.new_notebook(), tmp_path / name)
    assert [p.name for p in list_notebooks(tmp_path)] == ["10_a.ipynb"]
    assert (NOTEBOOKS_DIR / "exploratory" / "README.md").exists()


def test_outputs_saved_by_jupyterlab_do_not_show_as_a_change(tmp_path):
    """The nbstripout filter that `make hooks` and `make lab` configure (.gitattributes):
    a notebook saved with outputs shows no difference and stages nothing."""
    git = shutil.which("git")
    if git is None:
        pytest.skip("git saknas")
    run = lambda *a: subprocess.run([git, *a], cwd=tmp_path, check=True, capture_output=True, text=True)  # noqa: E731
    run("init", "-q")
    run("config", "user.email", "test@example.org")
    run("config", "user.name", "Test")
    nbstripout = Path(sys.executable).with_name("nbstripout")
    run("config", "filter.nbstripout.clean", f"'{nbstripout}' --keep-id")
    run("config", "filter.nbstripout.smudge", "cat")
    shutil.copy(PROJECT_ROOT / ".gitattributes", tmp_path / ".gitattributes")
    target = tmp_path / "notebooks" / NOTEBOOKS[0].name
    target.parent.mkdir()
    shutil.copy(NOTEBOOKS[0], target)
    run("add", ".")
    run("commit", "-q", "-m", "notebook")
    nb = nbformat.read(target, as_version=4)
    code = next(c for c in nb.cells if c.cell_type == "code")
    code.outputs = [nbformat.v4.new_output("stream", name="stdout", text="utdata\n")]
    code.execution_count = 3
    nbformat.write(nb, target)
    assert run("diff").stdout == ""  # git sees no change (status may list the file until it is added)
    run("add", "-A")
    assert run("status", "--porcelain").stdout == ""  # and nothing is staged
    assert json.loads(run("show", "HEAD:notebooks/" + target.name).stdout) == json.loads(NOTEBOOKS[0].read_text())
