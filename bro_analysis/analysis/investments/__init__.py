"""Investments and establishments: realised value, heavy tails, jobs, the pipeline
funnel, and the key results I1–I4.

Words: "area" here is a target area (målområde: logistik, life science …; the plan's
[målområden] lists the prioritised ones), never the plan's area (planområde) or an NKI
service area (myndighetsområde).

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

import numpy as np
import pandas as pd

from bro_analysis.analysis import forecast as fc
from bro_analysis.analysis import okr
from bro_analysis.core.periods import Period
from bro_analysis.presentation.formatting import fmt_int, fmt_percent, fmt_signed, join_sv

from . import about, figures, numbers, stages, tables, text
from .numbers import (
    VALUE,
    change,
    concentration,
    decided_by_one,
    pipeline,
    readiness,
    realised,
    strategic_companies,
)
from .text import _change_phrase, dominant_project, one_project_detail, period_figures_text, total_count_text


def priority_value_outcome(ctx, kr) -> okr.Outcome:
    """Realised value in prioritised areas against the previous period (same months).

    A full year is judged by okr.judge on the total, as the plan measures it. A part year is
    judged on its forecast for December (`value_year_end`) against the whole previous year,
    with judge_on_forecast's rule (`judge_increase_on_forecast`); without a forecast (too
    little history) on the same months as before, saying why. The row also shows the number
    of projects, the median project and the total without the largest, and says "avgörs av
    ett projekt" where one project is more than half of either period's total, or, for a part
    year judged on its forecast, of the previous whole year or of the open projects' value
    (what that judgement compares). That qualifier wins over "osäkert": a status carries one."""
    inv, period, plan = ctx.dataset["investeringar"], ctx.period, ctx.plan
    register = okr.category_register(
        ctx, "investeringar", "första_kontakt", "investeringsregistret", "målområde", plan.priority_areas
    )
    why = okr.uncovered(register, period)
    if why:
        return okr.Outcome(kr.id, None, None, okr.UNKNOWN, why, "–", "–", previous_label=period.previous.label)
    cur = realised(inv, period, plan.priority_areas)
    prev = realised(inv, period.previous, plan.priority_areas)
    cc, cp = concentration(cur), concentration(prev)
    value = round(cc["total_msek"], 6)
    previous = None if okr.uncovered(register, period.previous) else round(cp["total_msek"], 6)
    status, reason = okr.judge(kr, value, previous, len(plan.members), period.fraction_of_year)
    compared = f" ({period.label} mot {period.previous.label})"
    reason += compared
    dominated = decided_by_one(cc) or decided_by_one(cp)
    detail = one_project_detail(cc, cp, period)
    year_end, qualifier, year_target = None, "", None
    if not period.is_full_year:
        year_end, judged, extra = _value_on_forecast(ctx, kr, register, cc, cp)
        if judged is None:  # too little history: the same months as before, said so
            reason += f"; ingen prognos för helåret ({year_end.how})"
        else:
            status, qualifier, reason = judged
            year_target = extra["to_beat"]  # page one's line: the forecast against it (okr.why_text)
            rel = change(value, previous) if previous is not None and cc["projekt"] else float("nan")
            if pd.notna(rel):  # nothing decided yet is no change of −100 %: the figures say "inga"
                reason += f"; hittills {fmt_signed(100 * rel, 1)}\u00a0% mot samma period föregående år{compared}"
            # The forecast's own: a project decided so far, or one that decided the same months a
            # year ago, does not decide a year judged on its December forecast against the whole year.
            dominated = extra["dominated"]
            detail = " ".join(x for x in (extra["names"], detail) if x)  # what decides it first
    reason += "; " + _value_figures_text(cc, cp, period, previous, int(cur[VALUE].isna().sum()))
    reason += _stage_changes(ctx)
    if status == okr.UNKNOWN:
        qualifier, detail = "", ""
    elif dominated:
        qualifier = okr.ONE_PROJECT  # wins over "osäkert": a status carries one qualifier
    return okr.Outcome(
        kr.id,
        value,
        previous,
        status,
        reason,
        total_count_text(cc),
        "–" if previous is None else total_count_text(cp),
        detail,
        qualifier,
        forecast=year_end,
        plan_forecast=value_plan_end(ctx, year_end),
        year_target=year_target,
        previous_label=period.previous.label,
    )


def stage_log(ctx) -> pd.DataFrame | None:
    """The register's stage log (investeringar_skeden), or None where the data have none."""
    try:
        return ctx.dataset[stages.LOG]
    except KeyError:
        return None


def _stage_changes(ctx) -> str:
    """'; ändrat skede sedan periodens slut: …' for I1's reason, for the period and the same months
    a year earlier: projects realised then, as the register stood at the period's end, that are
    not realised today. '' without a stage log or a change."""
    log = stage_log(ctx)
    if log is None:
        return ""
    inv, period, areas = ctx.dataset["investeringar"], ctx.period, ctx.plan.priority_areas
    parts = [
        text.stage_changes_text(stages.changed_since(inv, log, period, areas)),
        text.stage_changes_text(
            stages.changed_since(inv, log, period.previous, areas), f"efter {period.previous.label}"
        ),
    ]
    return "".join(f"; {p}" for p in parts if p)


def _value_figures_text(cc: pd.Series, cp: pd.Series, period: Period, previous: float | None, missing: int) -> str:
    """I1's figures after its judgement: each period's total, count, median and total without
    the largest, the change without the largest, the project that decides a total."""
    parts = [period_figures_text(cc, period.label)]
    if previous is not None:
        parts.append(period_figures_text(cp, period.previous.label))
    if cc["projekt"] and cp["projekt"] and previous:
        parts.append(
            f"utan det största projektet {_change_phrase(change(cc['utan_största_msek'], cp['utan_största_msek']))}"
        )
    for conc, label in ((cc, period.label), (cp, period.previous.label)):
        name = dominant_project(conc)
        if name is not None:
            parts.append(f"{name} stod för {fmt_percent(conc['andel_största'])} av värdet {label}")
    if missing:
        parts.append(f"{missing} beslutade projekt saknar värde")
    return "; ".join(parts)


def _value_on_forecast(ctx, kr, register: okr.Register, cc: pd.Series, cp: pd.Series):
    """A part year of I1: its forecast for December, the judgement on it (None without a
    forecast or a previous year to beat), and what it adds: {'to_beat': the total the year
    must beat, 'dominated': one project decides the previous whole year or the open value,
    'names': that project where page one does not name it yet}."""
    inv, period, areas = ctx.dataset["investeringar"], ctx.period, ctx.plan.priority_areas
    rule = fc.rules(ctx.settings)
    last_year = Period(period.year - 1)
    whole = None if okr.uncovered(register, last_year) else concentration(realised(inv, last_year, areas))
    to_beat = None if whole is None or not whole["total_msek"] else whole["total_msek"] * (1 + (kr.target or 0.0))
    strict = not kr.target
    year_end = value_year_end(inv, period, areas, cc["total_msek"], to_beat, strict, rule)
    judged = judge_increase_on_forecast(cc["total_msek"], to_beat, strict, year_end, period, rule, last_year.label)
    if judged is None or whole is None or to_beat is None:
        return year_end, None, {}
    open_ = concentration(pipeline(inv, period, areas))
    names = []
    named = dominant_project(cc) or dominant_project(cp)
    if decided_by_one(whole) and whole["största_företag"] != named:
        names.append(text.project_share_detail(whole, last_year.label))
    if decided_by_one(open_):
        names.append(text.open_project_detail(open_))
    extra = {
        "to_beat": to_beat,
        "dominated": decided_by_one(whole) or decided_by_one(open_),
        "names": " ".join(names),
    }
    return year_end, judged, extra


def value_year_end(
    inv: pd.DataFrame, period: Period, areas, so_far: float, to_beat: float | None, strict: bool, rule: fc.Rules
) -> fc.Forecast:
    """I1's value at the end of the period's year: decided so far plus each project open at the
    period's end decided with the share of open projects decided before the year's end in the
    complete earlier years (`numbers.decision_rates`). The point value is so far + the mean
    share × the open value; the interval and the chance of beating `to_beat` (the previous
    year's total; `strict`: more than, else at least) come from `numbers.simulate_decided`,
    seeded, so they are the same on every run. Too few years with open projects: says so."""
    rates = numbers.decision_rates(inv, period, areas, fc.first_full_year(inv["första_kontakt"]))
    rates = rates.dropna(subset=["andel"])
    if len(rates) < rule.min_years:
        return fc.too_short(period.year, len(rates), rule)
    open_rows = pipeline(inv, period, areas)
    values = open_rows[VALUE].fillna(0.0).to_numpy(dtype=float)
    totals = so_far + numbers.simulate_decided(values, rates["andel"])
    alpha = 1 - rule.level
    low, high = np.quantile(totals, [alpha / 2, 1 - alpha / 2])
    chance = None
    if to_beat is not None:
        chance = float(np.mean(totals > to_beat if strict else totals >= to_beat - 1e-9))
    unvalued = int(open_rows[VALUE].isna().sum())
    how = text.value_forecast_how(so_far, concentration(open_rows), rates, fc.date_label(period), unvalued)
    return fc.Forecast(
        period.year, so_far + float(rates["andel"].mean()) * float(values.sum()), float(low), float(high), chance, how
    )


def judge_increase_on_forecast(
    value: float,
    to_beat: float | None,
    strict: bool,
    year_end: fc.Forecast,
    period: Period,
    rule: fc.Rules,
    previous_label: str,
) -> tuple[str, str, str] | None:
    """okr.judge_on_forecast's rule for a total that must beat the previous year's
    ('ökning'): reached already when the value so far beats `to_beat`; otherwise 'på väg'
    when the forecast's chance of beating it is at least 50 %, else 'risk', qualified
    'osäkert' between the calibrated words; before `rule.earliest` of the year never 'risk'
    but 'kan inte bedömas'. Status, qualifier and reason, or None without a chance."""
    if to_beat is None or not year_end.made or year_end.chance is None:
        return None
    if value > to_beat if strict else value >= to_beat - 1e-9:
        return okr.MET, "", text.value_reached_text(value, to_beat, previous_label)
    reason = text.value_judgement_text(year_end, to_beat, previous_label, year_end.word(rule) or "")
    status, qualifier = okr.status_from_forecast(year_end, period, rule)
    if status == okr.UNKNOWN:
        return okr.UNKNOWN, "", "för tidigt på året att bedöma; " + reason
    return status, qualifier, reason


def value_plan_end(ctx, year_end: fc.Forecast | None) -> fc.Forecast | None:
    """I1 in the plan's last year: no forecast two years ahead, with the reason and the range
    of the complete years' totals (a total decided by single projects cannot be projected)."""
    inv, period = ctx.dataset["investeringar"], ctx.period

    def no_projection() -> fc.Forecast:
        complete = period.year if period.is_full_year else period.year - 1
        totals = numbers.yearly_totals(inv, Period(complete), ctx.plan.priority_areas)
        first = fc.first_full_year(inv["första_kontakt"])
        totals = totals[totals["år"] >= first] if first is not None else totals.iloc[0:0]
        return fc.Forecast(ctx.plan.last_year, how=text.plan_end_value_reason(totals))

    return okr.plan_end(ctx, year_end, no_projection)


def activities_register(ctx, kind: str) -> okr.Register:
    """The activity register counted over one type, from the day [täckning] dates it."""
    return okr.category_register(ctx, "aktiviteter", "datum", "aktivitetsregistret", "typ", [kind])


def training_outcome(ctx, kr) -> okr.Outcome:
    """Training efforts on investment and establishment counted in the period."""
    act = ctx.dataset["aktiviteter"]
    register = activities_register(ctx, numbers.TRAINING)
    return okr.count_outcome(ctx, kr, register, lambda p: numbers.training_count(act, p))


def strategic_companies_outcome(ctx, kr) -> okr.Outcome:
    """Distinct strategic companies in company dialogue in the period."""
    act = ctx.dataset["aktiviteter"]
    register = activities_register(ctx, numbers.DIALOGUE)
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
    missing: tuple[str, ...] = ()
    if frame is not None:
        others = frame[frame["beredskap"] != "ja"]
        missing = tuple(str(k) for k in others["kommun"])
        if len(others):
            reason += f"; inte redo: {join_sv(others['kommun'] + ' (' + others['beredskap'] + ')')}"
            detail = f"inte redo: {join_sv(others['kommun'])}"

    def shown(v: int | None) -> str:
        return "–" if v is None else f"{fmt_int(v)} av {members} kommuner"

    year_end = None
    if value is not None and not period.is_full_year:
        year_end = fc.Forecast(period.year, how=fc.ONCE_A_YEAR)
    plan_end = okr.plan_end(
        ctx,
        year_end,
        lambda: (
            readiness_plan_end(municipalities, plan.members, period.year, plan.last_year, fc.rules(ctx.settings))
            if value is not None
            else None
        ),
    )
    return okr.Outcome(
        kr.id,
        value,
        previous,
        status,
        reason,
        shown(value),
        shown(previous),
        detail,
        forecast=year_end,
        plan_forecast=plan_end,
        previous_label=str(period.year - 1),
        missing=missing,
        accumulates=False,
    )


def readiness_plan_end(
    municipalities: pd.DataFrame, members: dict, year: int, last: int, rule: fc.Rules
) -> fc.Forecast:
    """I4 in the plan's last year from `year`'s readiness and how members became and stayed
    ready from one year to the next in the table's years up to `year`
    (forecast.members_transitions, as for the tools in S4)."""
    years = sorted(int(y) for y in municipalities["år"].dropna().unique() if int(y) <= year)
    states = [_ready(municipalities, members, y) for y in years]
    years_text = f"{years[0]}–{years[-1]}" if years else ""
    now = states[-1] if states else set()
    return fc.members_transitions(states, now, set(members.values()), rule, last, last - year, years_text)


def _ready(municipalities: pd.DataFrame, members: dict, year: int) -> set:
    frame = readiness(municipalities, members, year)
    return set(frame.loc[frame["beredskap"] == "ja", "kommun"])


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


__all__ = ["METRICS", "about", "activities_register", "figures", "numbers", "outcomes", "stages", "tables", "text"]
