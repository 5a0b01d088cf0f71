"""RUS 2030: the regional development strategy's five wished-for states for business and
talent, as context for BRO's plan. Kolada's KPIs (kontext.csv) for the members, the
county and the country, with the direction over time.

This is context, not BRO's effect: no key result is measured here, so METRICS is empty
and `outcomes` returns nothing. The KPIs and the source where each id was verified are
`[kolada.kontext.<id>]` in data/settings.toml; a goal no verified KPI illuminates is
said so, never filled with a guess.
"""

from __future__ import annotations

from bro_analysis.analysis import okr
from bro_analysis.input.kolada import SOURCE_TEXT
from bro_analysis.presentation.blocks import Source

from . import figures, numbers, tables, text

# No key result of the plan is computed here.
METRICS: dict = {}


def outcomes(ctx) -> list[okr.Outcome]:
    """RUS 2030 has no key results: the section is context."""
    return []


def source(ctx) -> Source:
    """The source line under every figure and table of the section."""
    return Source(SOURCE_TEXT, ctx.dataset.is_example)


__all__ = ["METRICS", "figures", "numbers", "outcomes", "source", "tables", "text"]
