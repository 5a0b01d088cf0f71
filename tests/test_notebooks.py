"""Committed notebooks: no outputs, a parameters cell, computation in the package."""

import json

import pytest

from bro_analysis.core.config import NOTEBOOKS_DIR
from bro_analysis.running.runner import list_notebooks

NOTEBOOKS = list_notebooks(NOTEBOOKS_DIR)


def test_there_are_notebooks():
    assert any(p.stem.endswith("nki") for p in NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
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
