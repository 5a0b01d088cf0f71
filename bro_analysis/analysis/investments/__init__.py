"""Investments and establishments: realised value, heavy tails, jobs, the pipeline
funnel, and the key results I1–I4.

The register (`investeringar`) holds one row per project at the furthest stage
it has reached *today*. A project is realised when it is at `beslut` or
`etablerad`; it is dated by its `beslutsdatum`. Values are in MSEK; a value
marked `uppskattat_värde` is an estimate and is kept apart from confirmed ones
(a missing flag counts as an estimate).

Funnel assumption: `förlorad` does not say when a project was lost. A lost
project is counted as having reached `dialog` (lost after dialog, before a
decision): it counts in "reached at least lead" and "reached at least dialog"
but not further.
"""

from __future__ import annotations

from bro_analysis.analysis import okr
from bro_analysis.presentation.formatting import fmt_int, fmt_percent, join_sv

from . import figures, numbers, tables, text
from .numbers import (
    VALUE,
    change,
    concentration,
    decided_by_one,
    readiness,
    realised,
    strategic_companies,
    training_efforts,
)
from .text import _change_phrase, dominant_project, one_project_detail, period_figures_text, total_count_text


def priority_value_outcome(ctx, kr) -> okr.Outcome:
    """Realised value in prioritised areas against the previous period (same months).
    Status by okr.judge on the total, as the plan measures it; the row also shows the
    number of projects, the median project and the total without the largest, and says
    "avgörs av ett projekt" where one project is more than half of either total."""
    inv, period, plan = ctx.dataset["investeringar"], ctx.period, ctx.plan
    register = okr.Register(inv, "första_kontakt", "investeringsregistret")
    why = okr.uncovered(register, period)
    if why:
        return okr.Outcome(kr.id, None, None, okr.UNKNOWN, why, "–", "–")
    cur = realised(inv, period, plan.priority_areas)
    prev = realised(inv, period.previous, plan.priority_areas)
    cc, cp = concentration(cur), concentration(prev)
    value = round(cc["total_msek"], 6)
    previous = None if okr.uncovered(register, period.previous) else round(cp["total_msek"], 6)
    status, reason = okr.judge(kr, value, previous, len(plan.members), period.fraction_of_year)
    reason += f" ({period.label} mot {period.previous.label})"
    reason += f"; {period_figures_text(cc, period.label)}"
    if previous is not None:
        reason += f"; {period_figures_text(cp, period.previous.label)}"
    if cc["projekt"] and cp["projekt"] and previous:
        reason += (
            f"; utan det största projektet {_change_phrase(change(cc['utan_största_msek'], cp['utan_största_msek']))}"
        )
    for conc, label in ((cc, period.label), (cp, period.previous.label)):
        name = dominant_project(conc)
        if name is not None:
            reason += f"; {name} stod för {fmt_percent(conc['andel_största'])} av värdet {label}"
    missing = int(cur[VALUE].isna().sum())
    if missing:
        reason += f"; {missing} beslutade projekt saknar värde"
    judged = status != okr.UNKNOWN
    qualifier = okr.ONE_PROJECT if judged and (decided_by_one(cc) or decided_by_one(cp)) else ""
    return okr.Outcome(
        kr.id,
        value,
        previous,
        status,
        reason,
        total_count_text(cc),
        "–" if previous is None else total_count_text(cp),
        one_project_detail(cc, cp, period) if judged else "",
        qualifier,
    )


def training_outcome(ctx, kr) -> okr.Outcome:
    """Training efforts on investment and establishment counted in the period."""
    act = ctx.dataset["aktiviteter"]
    register = okr.Register(act, "datum", "aktivitetsregistret")
    return okr.count_outcome(ctx, kr, register, lambda p: len(training_efforts(act, p)))


def strategic_companies_outcome(ctx, kr) -> okr.Outcome:
    """Distinct strategic companies in company dialogue in the period."""
    act = ctx.dataset["aktiviteter"]
    register = okr.Register(act, "datum", "aktivitetsregistret")
    return okr.count_outcome(ctx, kr, register, lambda p: len(strategic_companies(act, p)))


def readiness_outcome(ctx, kr) -> okr.Outcome:
    """Members with etableringsberedskap = ja for the period's year; the reason
    names those that are not ready or lack a value. No rows for the year = unknown."""
    municipalities, period, plan = ctx.dataset["kommuner"], ctx.period, ctx.plan
    members = len(plan.members)

    def count(year):
        if not (municipalities["år"] == year).any():
            return None, None
        frame = readiness(municipalities, plan.members, year)
        return int((frame["beredskap"] == "ja").sum()), frame

    value, frame = count(period.year)
    previous, _ = count(period.previous.year)
    status, reason = okr.judge(kr, value, previous, members, period.fraction_of_year)
    detail = ""
    if frame is not None:
        others = frame[frame["beredskap"] != "ja"]
        if len(others):
            reason += f"; inte redo: {join_sv(others['kommun'] + ' (' + others['beredskap'] + ')')}"
            detail = f"inte redo: {join_sv(others['kommun'])}"

    def shown(v: int | None) -> str:
        return "–" if v is None else f"{fmt_int(v)} av {members} kommuner"

    return okr.Outcome(kr.id, value, previous, status, reason, shown(value), shown(previous), detail)


# The plan's `mått` (data/okr.toml) computed here.
METRICS = {
    "investeringsvärde_prioriterat": priority_value_outcome,
    "utbildningsinsatser": training_outcome,
    "strategiska_företag": strategic_companies_outcome,
    "kommuner_med_etableringsberedskap": readiness_outcome,
}


def outcomes(ctx) -> list[okr.Outcome]:
    """The plan's key results measured here, in the plan's order."""
    return okr.outcomes_for(ctx, METRICS)


__all__ = ["METRICS", "figures", "numbers", "outcomes", "tables", "text"]
