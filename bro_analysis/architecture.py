"""An import-linter contract type for the area packages (pyproject.toml, `make lint`).

`independent_subpackages`: every subpackage of `parent`, except those named in `exceptions`,
is independent of the others. A package copied and renamed under analysis/ is covered
without naming it anywhere, so an area that imports another always fails lint.

Only `lint-imports` loads this module; nothing in the package imports it.
"""

from __future__ import annotations

from grimp import ImportGraph
from importlinter.contracts.independence import IndependenceContract
from importlinter.domain import fields
from importlinter.domain.contract import ContractCheck
from importlinter.domain.imports import ModuleExpression


def subpackages(graph: ImportGraph, parent: str, exceptions: set[str]) -> list[str]:
    """The children of `parent` that hold modules of their own (packages), by name."""
    missing = sorted(name for name in exceptions if name not in graph.modules)
    if missing:
        raise ValueError(f"exceptions name modules that do not exist: {', '.join(missing)}")
    children = graph.find_children(parent)
    return sorted(c for c in children if graph.find_children(c) and c not in exceptions)


class IndependentSubpackages(IndependenceContract):
    """Every subpackage of `parent`, except `exceptions`, independent of the others."""

    type_name = "independent_subpackages"

    parent = fields.StringField()
    exceptions = fields.SetField(subfield=fields.StringField(), required=False)
    modules = fields.SetField(subfield=fields.ModuleExpressionField(), required=False)

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        found = subpackages(graph, str(self.parent), set(self.exceptions or ()))  # type: ignore[arg-type]
        self.modules = {ModuleExpression(name) for name in found}  # type: ignore[assignment]
        return super().check(graph, verbose)
