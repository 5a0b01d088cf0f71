"""The plan's key results bound to their computations by `mått` (data/okr.toml).

Every package under analysis/ that exports METRICS is an area (planområde or context such
as RUS 2030); a copied and renamed package is found without being listed here. Each maps
the mått it computes to a function (ctx, key result) -> Outcome; this module joins them.
The report follows the plan's order, never the order the packages are found in. A key
result in okr.toml with a mått no area computes is a ConfigError naming the file and the
entry.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

from bro_analysis import analysis
from bro_analysis.analysis import okr
from bro_analysis.core.config import ConfigError, Plan


def area_packages() -> tuple[ModuleType, ...]:
    """The area packages: every subpackage of bro_analysis.analysis with METRICS, by name."""
    found = []
    for info in sorted(pkgutil.iter_modules(analysis.__path__, f"{analysis.__name__}."), key=lambda i: i.name):
        if info.ispkg:
            module = importlib.import_module(info.name)
            if hasattr(module, "METRICS"):
                found.append(module)
    return tuple(found)


AREAS = area_packages()


def _joined() -> dict:
    metrics: dict = {}
    for area in AREAS:
        for name, function in area.METRICS.items():
            if name in metrics:
                raise ValueError(f"mått '{name}' is computed by two areas")
            metrics[name] = function
    return metrics


METRICS = _joined()


def check_plan(plan: Plan) -> None:
    """Every key result's mått must be one that an area computes."""
    for kr in plan.key_results:
        if kr.metric not in METRICS:
            known = ", ".join(sorted(METRICS))
            raise ConfigError(f"{kr.where}: okänt mått '{kr.metric}'. Kända mått: {known}")


def outcomes(ctx) -> list[okr.Outcome]:
    """Outcomes of all key results, in the plan's order."""
    check_plan(ctx.plan)
    return okr.outcomes_for(ctx, METRICS)
