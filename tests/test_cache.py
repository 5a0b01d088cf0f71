"""The fast runner gives the same HTML sequentially, concurrently and from the cache."""

import json
import shutil
from pathlib import Path

import nbformat
import pytest

from bro_analysis.core.config import EXAMPLE_DATA_DIR, NOTEBOOKS_DIR
from bro_analysis.core.periods import Period
from bro_analysis.running import cache
from bro_analysis.running.runner import run_periods

NKI = NOTEBOOKS_DIR / "10_nki.ipynb"
PERIODS = [Period(2024), Period(2025)]


def _htmls(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.html"))}


@pytest.mark.e2e
def test_same_html_sequential_concurrent_and_cached(tmp_path):
    seq, par = tmp_path / "seq", tmp_path / "par"
    a = run_periods(PERIODS, EXAMPLE_DATA_DIR, seq, notebooks=[NKI], combine=False, jobs=1, reuse_kernels=False)
    b = run_periods(PERIODS, EXAMPLE_DATA_DIR, par, notebooks=[NKI], combine=False, jobs=2)
    assert all(r.ok and not r.cached for r in a + b)
    assert _htmls(seq) == _htmls(par)
    before = _htmls(par)
    c = run_periods(PERIODS, EXAMPLE_DATA_DIR, par, notebooks=[NKI], combine=False, jobs=2)
    assert all(r.ok and r.cached for r in c)
    assert _htmls(par) == before


def _small_notebook(path: Path) -> Path:
    """A one-cell notebook: the cache keys on inputs, not on what a notebook computes."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    params = nbformat.v4.new_code_cell('period = ""\ndata_dir = ""')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell("print(period)")]
    nbformat.write(nb, path)
    return path


@pytest.mark.e2e
def test_changed_data_invalidates_and_force_reruns(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE_DATA_DIR, data)
    out = tmp_path / "out"
    small = [_small_notebook(tmp_path / "liten.ipynb")]
    run_periods([Period(2025)], data, out, notebooks=small, combine=False, jobs=1)
    assert run_periods([Period(2025)], data, out, notebooks=small, combine=False, jobs=1)[0].cached
    with open(data / "arenor.csv", "a", encoding="utf-8") as fh:
        fh.write("Ny arena;nationell;2025-03-03;ja;ja\n")
    assert not run_periods([Period(2025)], data, out, notebooks=small, combine=False, jobs=1)[0].cached
    assert not run_periods([Period(2025)], data, out, notebooks=small, combine=False, jobs=1, force=True)[0].cached


def test_key_depends_on_period_notebook_and_inputs(tmp_path):
    inputs = cache.input_digest(EXAMPLE_DATA_DIR)
    k1 = cache.notebook_key(NKI, Period(2025), EXAMPLE_DATA_DIR, inputs)
    assert k1 == cache.notebook_key(NKI, Period(2025), EXAMPLE_DATA_DIR, inputs)
    assert k1 != cache.notebook_key(NKI, Period(2024), EXAMPLE_DATA_DIR, inputs)
    assert k1 != cache.notebook_key(NKI, Period(2025), EXAMPLE_DATA_DIR, inputs + "x")
    other = tmp_path / "nb.ipynb"
    other.write_text(json.dumps({"cells": []}), encoding="utf-8")
    assert k1 != cache.notebook_key(other, Period(2025), EXAMPLE_DATA_DIR, inputs)


def test_freshness_needs_record_and_output(tmp_path):
    assert not cache.is_fresh(tmp_path, "nb", "k")
    cache.remember(tmp_path, "nb", "k")
    assert not cache.is_fresh(tmp_path, "nb", "k")  # no HTML yet
    (tmp_path / "nb.html").write_text("x")
    assert cache.is_fresh(tmp_path, "nb", "k")
    assert not cache.is_fresh(tmp_path, "nb", "other")
    cache.forget(tmp_path, "nb")
    assert not cache.is_fresh(tmp_path, "nb", "k")
