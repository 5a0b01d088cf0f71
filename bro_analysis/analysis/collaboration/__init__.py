"""Samverkan och näringslivsservice: collaboration projects, shared tools,
workshops (key results S3–S5) and the operating contribution per municipality.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from bro_analysis.analysis import forecast, okr
from bro_analysis.presentation.formatting import join_sv

from . import about, numbers, tables, text
from .numbers import activities_in, collaboration_projects, tool_use


def activities_register(ctx, kind: str) -> okr.Register:
    """The activity register counted over one type, from the day [täckning] dates it."""
    return okr.category_register(ctx, "aktiviteter", "datum", "aktivitetsregistret", "typ", [kind])


def projects_outcome(ctx, kr) -> okr.Outcome:
    """Collaboration projects between two or more members counted in the period."""
    acts = ctx.dataset["aktiviteter"]

    def projects(p) -> int:
        return int(collaboration_projects(acts, p)["räknas"].sum())

    return okr.count_outcome(ctx, kr, activities_register(ctx, "samverkansprojekt"), projects)


def tools_outcome(ctx, kr) -> okr.Outcome:
    """Members that use every jointly procured tool in the period's year. The table states
    the year's situation once, so a part year has no forecast of its own; the plan's last
    year comes from how members gained and kept the tools from one year to the next."""
    period, plan, municipalities = ctx.period, ctx.plan, ctx.dataset["kommuner"]
    outcome = _all_members_outcome(
        kr,
        tool_use(municipalities, period.year, plan),
        tool_use(municipalities, period.year - 1, plan),
        "alla_verktyg",
        lambda r: f"{r['kommun']} ({r['saknar']})",
        period.fraction_of_year,
        str(period.year - 1),
    )
    if outcome.value is None:
        return outcome
    year_end = None if period.is_full_year else forecast.Forecast(period.year, how=forecast.ONCE_A_YEAR)
    return replace(outcome, forecast=year_end, plan_forecast=okr.plan_end(ctx, year_end, lambda: _tools_level(ctx)))


def _with_all_tools(table: pd.DataFrame) -> set:
    return set(table.loc[table["alla_verktyg"].fillna(False).astype(bool), "kommun"])


def _tools_level(ctx) -> forecast.Forecast:
    period, plan, municipalities = ctx.period, ctx.plan, ctx.dataset["kommuner"]
    last = plan.last_year
    years = sorted(int(y) for y in municipalities["år"].unique() if int(y) <= period.year)
    states = [_with_all_tools(tool_use(municipalities, y, plan)) for y in years]
    members = set(plan.members.values())
    text = f"{years[0]}–{years[-1]}" if years else ""
    return forecast.members_transitions(
        states, states[-1] if states else set(), members, forecast.rules(ctx.settings), last, last - period.year, text
    )


def workshops_outcome(ctx, kr) -> okr.Outcome:
    """Joint workshops counted in the period."""
    acts = ctx.dataset["aktiviteter"]

    def workshops(p) -> int:
        return len(activities_in(acts, "workshop", p))

    return okr.count_outcome(ctx, kr, activities_register(ctx, "workshop"), workshops)


def _all_members_outcome(
    kr,
    table: pd.DataFrame,
    previous: pd.DataFrame,
    column: str,
    describe,
    fraction_of_year: float = 1.0,
    previous_label: str = "",
) -> okr.Outcome:
    """An 'alla' key result from a year's state per member (`column` true where met): a state
    at a time, not summed over the period; names the members that fall short."""
    members = len(table)
    if table[column].isna().all():
        return okr.Outcome(
            kr.id, None, None, okr.UNKNOWN, "uppgift saknas för året", previous_label=previous_label, accumulates=False
        )
    now = int(table[column].fillna(False).sum())
    before = int(previous[column].fillna(False).sum()) if previous[column].notna().any() else None
    status, reason = okr.judge(kr, now, before, members=members, fraction_of_year=fraction_of_year)
    short = table[table[column] != True]  # noqa: E712 - None (unknown) also falls short
    if len(short):
        reason += "; saknas: " + "; ".join(describe(r) for _, r in short.iterrows())
    return okr.Outcome(
        kr.id,
        now,
        before,
        status,
        reason,
        f"{now} av {members} kommuner",
        f"{before} av {members} kommuner" if before is not None else "–",
        detail=f"saknas: {join_sv(short['kommun'])}" if len(short) else "",
        previous_label=previous_label,
        missing=tuple(str(k) for k in short["kommun"]),
        accumulates=False,
    )


# The plan's `mått` (data/okr.toml) computed here.
METRICS = {
    "samverkansprojekt": projects_outcome,
    "kommuner_med_verktyg": tools_outcome,
    "workshops": workshops_outcome,
}


def outcomes(ctx) -> list[okr.Outcome]:
    """The plan's key results measured here, in the plan's order."""
    return okr.outcomes_for(ctx, METRICS)


__all__ = ["METRICS", "about", "activities_register", "numbers", "outcomes", "tables", "text"]
