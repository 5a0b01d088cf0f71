"""The package's shape: the import-layer contracts in pyproject.toml hold, no module
imports one that (directly or not) imports it back, and every area has one shape."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

from bro_analysis.analysis import okr, registry
from bro_analysis.core.config import PROJECT_ROOT, load_plan

AREAS = ("nki", "investments", "marketing", "collaboration")


def test_import_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint), "--no-cache"], cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def _cycles(graph) -> list[tuple[str, str]]:
    found = []
    for importer in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            if imported.startswith(importer + "."):
                continue  # a package importing its own submodules is not a cycle
            chain = graph.find_shortest_chain(importer=imported, imported=importer)
            if chain and not importer.startswith(imported + "."):
                found.append((importer, imported))
    return found


def test_no_import_cycle():
    graph = grimp.build_graph("bro_analysis")
    assert _cycles(graph) == []


def test_cycle_finder_finds_a_cycle():
    graph = grimp.ImportGraph()
    for name in ("p", "p.a", "p.b", "p.c"):
        graph.add_module(name)
    graph.add_import(importer="p.a", imported="p.b")
    graph.add_import(importer="p.b", imported="p.c")
    graph.add_import(importer="p.c", imported="p.a")
    assert ("p.a", "p.b") in _cycles(graph)


@pytest.mark.parametrize("area", AREAS)
def test_every_area_has_one_shape(area):
    module = importlib.import_module(f"bro_analysis.analysis.{area}")
    for part in ("numbers", "text", "tables"):
        assert hasattr(module, part), f"{area}.{part}"
    assert callable(module.outcomes) and module.METRICS
    for metric, function in module.METRICS.items():
        assert registry.METRICS[metric] is function


def test_every_metric_in_the_plan_is_computed_and_every_computed_metric_used():
    plan = load_plan()
    assert {kr.metric for kr in plan.key_results} == set(registry.METRICS)
    registry.check_plan(plan)


def test_status_vocabulary_is_one():
    assert len(set(okr.STATUSES)) == len(okr.STATUSES) == len(okr.SYMBOLS)
