"""Swedish sentences generated from the numbers."""

from __future__ import annotations

import pandas as pd

from bro_analysis.core.config import Plan
from bro_analysis.presentation.formatting import fmt_int
from bro_analysis.presentation.vocabulary import count_text


def _names(codes, plan: Plan) -> str:
    return ", ".join(plan.members.get(c, c) for c in codes)


def projects_text(projects: pd.DataFrame, target: float | None, uncovered: str | None = None) -> str:
    """Swedish summary of the collaboration projects, against the plan's target when it has one;
    `uncovered` (okr.uncovered) says why the period's count cannot be assessed, never 0."""
    if uncovered:
        return f"Antalet samverkansprojekt kan inte bedömas: {uncovered}."
    counted = int(projects["räknas"].sum())
    text = f"Under perioden startade {counted} samverkansprojekt mellan två eller fler kommuner"
    text += "." if target is None else f". Målet är minst {fmt_int(target)} per år."
    single = len(projects) - counted
    if single:
        text += f" {single} projekt med bara en kommun räknas inte."
    return text


def tools_text(tools: pd.DataFrame, year: int) -> str:
    """Swedish summary: how many use all three tools, and who falls short."""
    full = int(tools["alla_verktyg"].fillna(False).astype(bool).sum())
    text = f"{full} av {len(tools)} kommuner använde alla tre gemensamma verktyg {year}."
    short = tools[tools["alla_verktyg"] != True]  # noqa: E712 - unknown also falls short
    if len(short):
        text += " Saknas: " + "; ".join(f"{r.kommun} ({r.saknar})" for r in short.itertuples()) + "."
    return text


def contributions_text(contrib: pd.DataFrame, plan: Plan, year: int) -> str:
    """Swedish summary of the operating contribution."""
    if contrib.empty:
        return f"Folkmängd saknas för {year}; driftsbidraget kan inte beräknas."
    missing = len(plan.members) - len(contrib)
    text = (
        f"Driftsbidraget {year} är {fmt_int(plan.contribution_per_inhabitant)} kronor per invånare, "
        f"totalt {fmt_int(contrib['bidrag_kr'].sum())} kronor från {len(contrib)} kommuner."
    )
    if missing:
        text += f" Folkmängd saknas för {count_text(missing, 'kommuner')}."
    return text
