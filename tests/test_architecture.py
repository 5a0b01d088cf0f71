"""The package's shape: the import-layer contracts in pyproject.toml hold, and cover a
copied area without naming it; no module imports one that (directly or not) imports it
back; the areas are found, not listed, and every area has one shape."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from types import SimpleNamespace

import grimp
import pytest

from bro_analysis import architecture
from bro_analysis.analysis import okr, registry
from bro_analysis.core.config import PROJECT_ROOT, load_plan

AREAS = registry.AREAS
IMPORTLINTER = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]


def _lint_imports(root: Path) -> subprocess.CompletedProcess:
    """lint-imports run in `root`; its report with every run of whitespace made one space
    (it wraps long lines at the terminal's width)."""
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint), "--no-cache"], cwd=root, capture_output=True, text=True, timeout=300)
    done.stdout = " ".join(done.stdout.split())
    return done


def test_import_contracts_hold():
    done = _lint_imports(PROJECT_ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


# Two of today's areas: one to copy, one for the copy to import.
COPIED, OTHER = (area.__name__.rsplit(".", 1)[-1] for area in AREAS[:2])


def _tree_with_copied_area(root: Path, *lines: str) -> Path:
    """The package and pyproject.toml in `root`, with a new area `kopierat_omrade` copied from
    another and `lines` added to its numbers.py."""
    shutil.copytree(PROJECT_ROOT / "bro_analysis", root / "bro_analysis", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(PROJECT_ROOT / "pyproject.toml", root / "pyproject.toml")
    area = root / "bro_analysis" / "analysis" / "kopierat_omrade"
    shutil.copytree(root / "bro_analysis" / "analysis" / COPIED, area)
    with (area / "numbers.py").open("a", encoding="utf-8") as numbers:
        numbers.write("".join(f"{line}  # noqa\n" for line in lines))
    return root


def test_a_copied_area_is_covered_by_the_contracts_without_naming_it(tmp_path):
    done = _lint_imports(_tree_with_copied_area(tmp_path / "clean"))
    assert done.returncode == 0, done.stdout + done.stderr
    done = _lint_imports(_tree_with_copied_area(tmp_path / "broken", f"from bro_analysis.analysis import {OTHER}"))
    assert done.returncode != 0
    assert "Areas are independent of one another" in done.stdout.split("Broken contracts")[1]
    assert "bro_analysis.analysis.kopierat_omrade is not allowed to import" in done.stdout
    assert f"bro_analysis.analysis.kopierat_omrade.numbers -> bro_analysis.analysis.{OTHER}" in done.stdout


def test_inside_a_copied_area_numbers_never_import_text(tmp_path):
    done = _lint_imports(_tree_with_copied_area(tmp_path, "from . import text"))
    assert done.returncode != 0
    assert "bro_analysis.analysis.kopierat_omrade.numbers is not allowed to import" in done.stdout


def test_the_linted_areas_are_the_registered_areas():
    """Every package under analysis/ that lint treats as an area exports METRICS (and is
    found by the registry), and only the declared exceptions are left out."""
    (contract,) = [c for c in IMPORTLINTER["contracts"] if c["type"] == "independent_subpackages"]
    graph = grimp.build_graph("bro_analysis")
    linted = architecture.subpackages(graph, contract["parent"], set(contract["exceptions"]))
    assert linted == [area.__name__ for area in registry.AREAS]
    packages = {p.parent.name for p in (PROJECT_ROOT / "bro_analysis" / "analysis").glob("*/__init__.py")}
    assert {name.rsplit(".", 1)[-1] for name in linted} == packages - {"profile"}


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


@pytest.mark.parametrize("module", AREAS, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_every_area_has_one_shape(module):
    for part in ("numbers", "text", "tables"):
        assert hasattr(module, part), f"{module.__name__}.{part}"
    assert callable(module.outcomes) and isinstance(module.METRICS, dict)
    for metric, function in module.METRICS.items():
        assert registry.METRICS[metric] is function


def test_outcomes_follow_the_plan_not_the_order_areas_are_found(monkeypatch):
    plan = load_plan()
    found_order = {metric: (lambda ctx, kr: kr.id) for metric in registry.METRICS}
    monkeypatch.setattr(registry, "METRICS", found_order)
    ids = registry.outcomes(SimpleNamespace(plan=plan))
    assert ids == [kr.id for kr in plan.key_results]
    by_discovery = sorted(plan.key_results, key=lambda kr: list(found_order).index(kr.metric))
    assert [kr.id for kr in by_discovery] != ids  # the areas are found in another order than the plan's


def test_every_metric_in_the_plan_is_computed_and_every_computed_metric_used():
    """Every mått of data/okr.toml is computed; every computed mått is used by it or by the plan
    2026–2027 the computation tests hold (a dropped key result's mått may stay in its area)."""
    from fixture_plan import PLAN

    plan = load_plan()
    registry.check_plan(plan)
    registry.check_plan(PLAN)
    assert {kr.metric for kr in (*plan.key_results, *PLAN.key_results)} == set(registry.METRICS)


def test_status_vocabulary_is_one():
    assert len(set(okr.STATUSES)) == len(okr.STATUSES) == len(okr.SYMBOLS)
