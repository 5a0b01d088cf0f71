"""The plan's key results bound to their computations by `mått` (data/okr.toml).

Each area package maps the mått it computes to a function (ctx, key result) ->
Outcome in its METRICS; this module joins them. A key result in okr.toml with a
mått no area computes is a ConfigError naming the file and the entry.
"""

from __future__ import annotations

from bro_analysis.analysis import collaboration, investments, marketing, nki, okr
from bro_analysis.core.config import ConfigError, Plan

AREAS = (collaboration, nki, investments, marketing)


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
