"""Marketing: conversion rates with uncertainty, channels, arenas and municipal support.

Definitions (which stages are leads, which stage is converted, the time
window, the confidence level) come from the [marknadsföring] section of
`data/settings.toml`. Rates carry Wilson intervals; the change against the
previous year is a ratio of rates with a Katz log interval. Both years are cut at
the same day and follow-up (numbers.last_lead_date), so they compare like for like.
The status follows the observed change against the target; where the interval
covers the target ratio (1 + target) the status is qualified "osäkert", and where
the interval is too wide to say anything about the target (wider than
största_intervallkvot) the key result "kan inte bedömas".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pandas as pd

from bro_analysis.analysis import forecast as fc
from bro_analysis.analysis import okr
from bro_analysis.core.periods import Period, data_end
from bro_analysis.presentation.formatting import fmt_int, fmt_number, join_sv
from bro_analysis.presentation.vocabulary import MARGIN, target_pct

from . import about, figures, numbers, tables, text
from .numbers import (
    ABOVE,
    BELOW,
    UNCERTAIN,
    Comparison,
    arenas_in_period,
    compare,
    definitions,
    supported_municipalities,
)
from .text import (
    arena_label,
    compared_dates_text,
    cut_line,
    cut_spans,
    left_out_text,
    pct_change,
    rate_text,
    span_text,
    target_certainty_text,
    width_text,
)

# The target test in words for the committee's one line where the period is not cut.
CERTAINTY_WORDS = {ABOVE: "målet är nått med god säkerhet", BELOW: "målet är med god säkerhet inte nått"}


def _arenas_word(n: int) -> str:
    return f"{fmt_int(n)} {'arena' if n == 1 else 'arenor'}"


def arenas_history(ctx) -> tuple[Callable[[Period], int], pd.DataFrame]:
    """M1's count (arenas in a period with goals and follow-up, at the data's end) and its
    seasonal history: per complete year of the arena register (numbers.arena_first_year)
    before the period's, the count by the period's month and by December."""
    arenas, days = ctx.dataset["arenor"], definitions(ctx.settings).follow_up_days
    end = data_end(ctx.dataset.tables)

    def count(period: Period) -> int:
        return numbers.qualifying_arenas(arenas, period, end, days)

    return count, fc.year_history(count, numbers.arena_first_year(arenas), ctx.period)


def arenas_path(ctx, kr) -> pd.DataFrame:
    """M1 month by month this year against the seasonal pace of a year that reaches the
    target (forecast.seasonal_path), for the section's figure; empty without history."""
    count, _ = arenas_history(ctx)
    return fc.seasonal_path(count, numbers.arena_first_year(ctx.dataset["arenor"]), ctx.period, kr.target)


def arenas_year_end(ctx, kr, so_far: int, pending: int, history: pd.DataFrame) -> fc.Forecast:
    """M1's December from the register's seasonal history. Pending follow-ups count toward
    'so far' with the share of earlier arenas with goals that were followed up: the complete
    years' counts include every arena that was eventually followed up, so leaving the pending
    ones out would understate the year and counting them all would overstate it."""
    rule, year = fc.rules(ctx.settings), ctx.period.year
    arenas = ctx.dataset["arenor"]
    if not pending or len(history) < rule.min_years:
        made = fc.count_year_end(so_far, history, kr.target, rule, year)
    else:
        followed, with_goals = numbers.follow_up_share(arenas, numbers.arena_first_year(arenas), year)
        share = followed / with_goals if with_goals else 0.0
        rest = history["helår"] - history["hittills"]
        spread = numbers.count_with_pending(so_far, pending, share, rest, kr.target, rule.level)
        how = text.pending_forecast_how(so_far, pending, followed, with_goals, history)
        made = fc.Forecast(year, spread.value, spread.low, spread.high, spread.chance, how)
    later = text.later_arenas_text(numbers.later_arenas(arenas, ctx.period), data_end(ctx.dataset.tables))
    return replace(made, how=f"{made.how}; {later}") if made.made and later else made


def arenas_outcome(ctx, kr) -> okr.Outcome:
    """Arenas in the period with both goals and follow-up. An arena whose follow-up time has
    not run out at the data's end is pending: neither counted nor missing, and a full year
    that pending follow-ups could still bring to the target is "kan inte bedömas". A part
    year is judged on its forecast for December from the register's seasonal history
    (okr.judge_on_forecast); pending follow-ups enter that forecast at the history's
    follow-up share (arenas_year_end)."""
    register = okr.Register(ctx.dataset["arenor"], "datum", "arenaregistret")
    why = okr.uncovered(register, ctx.period)
    if why:
        return okr.Outcome(kr.id, None, None, okr.UNKNOWN, why, "–", "–", previous_label=ctx.period.previous.label)
    days = definitions(ctx.settings).follow_up_days
    end = data_end(ctx.dataset.tables)
    table = arenas_in_period(ctx.dataset["arenor"], ctx.period, end, days)
    prev = arenas_in_period(ctx.dataset["arenor"], ctx.period.previous, end, days)
    value = int(table["uppfyller"].sum())
    previous = None if okr.uncovered(register, ctx.period.previous) else int(prev["uppfyller"].sum())
    pending = table[table["pågår"]]
    missing = table[~table["uppfyller"] & ~table["pågår"]]
    rule = fc.rules(ctx.settings)
    _, history = arenas_history(ctx)
    full_years = history[["år", "helår"]]
    year_end, pace, qualifier = None, None, ""
    reachable = kr.kind == "minst" and kr.target is not None and value < kr.target <= value + len(pending)
    parts = [f"{_arenas_word(len(missing))} saknar mål eller uppföljning"] if len(missing) else []
    parts += [f"uppföljning pågår för {_arenas_word(len(pending))}"] if len(pending) else []
    detail = "; ".join(parts)
    if ctx.period.is_full_year:
        full_years = pd.concat([full_years, pd.DataFrame([{"år": ctx.period.year, "helår": value}])], ignore_index=True)
        if reachable:
            status = okr.UNKNOWN
            reason = (
                f"{fmt_int(value)} mot målet minst {fmt_number(kr.target, 0)} hittills, men målet kan nås när "
                f"uppföljningen av {_arenas_word(len(pending))} är gjord"
            )
            detail = f"Målet kan nås när uppföljningen av {_arenas_word(len(pending))} är gjord"
        else:
            status, reason = okr.judge(kr, value, previous, len(ctx.plan.members))
    else:
        year_end = arenas_year_end(ctx, kr, value, len(pending), history)
        pace = fc.seasonal_pace(history, kr.target) if kr.target is not None else None
        judged = okr.judge_on_forecast(kr, value, year_end, pace, ctx.period, rule)
        if judged is None:  # too little history: the straight line through the year, said so
            status, reason = okr.judge(kr, value, previous, len(ctx.plan.members), ctx.period.fraction_of_year)
            reason += f"; ingen säsongsprognos ({year_end.how})"
        else:
            status, qualifier, reason = judged
            if previous is not None:
                reason += f"; samma period föregående år: {fmt_int(previous)}"
    if len(pending):
        reason += "; uppföljning pågår: " + ", ".join(arena_label(r) for _, r in pending.iterrows())
    if len(missing):
        reason += "; saknar mål eller uppföljning: " + ", ".join(arena_label(r) for _, r in missing.iterrows())
    value_text = f"{fmt_int(value)} av {fmt_int(len(table))} arenor" + (
        f", {fmt_int(len(pending))} pågår" if len(pending) else ""
    )
    return okr.Outcome(
        kr.id,
        value,
        previous,
        status,
        reason,
        value_text,
        "–" if previous is None else f"{fmt_int(previous)} av {fmt_int(len(prev))} arenor",
        detail=detail,
        qualifier=qualifier,
        forecast=year_end,
        plan_forecast=okr.plan_end_forecast(ctx, kr, full_years, year_end),
        pace=pace,
        previous_label=ctx.period.previous.label,
    )


def _compared(cmp: Comparison) -> str:
    """'; leads 1 januari–4 maj 2026 mot … ; 89 av periodens 229 leads (39 %) är för nya för att räknas'."""
    return "".join(f"; {part}" for part in (compared_dates_text(cmp), left_out_text(cmp)) if part)


def compared_label(cmp: Comparison, period: Period) -> str:
    """What M2's previous rate covers: the same months a year earlier, or where the period is
    cut (leads too young to count) the same days: '1 januari–4 maj 2025'."""
    spans = cut_spans(cmp, period)
    return span_text(spans[1]) if spans is not None else period.previous.label


def _change_reason(cmp: Comparison, kr, period) -> str:
    """The judged reason: the change against the target, the dates, the interval and how certain."""
    low, high = cmp.ratio_interval
    against = "föregående år" if period.is_full_year and cut_spans(cmp, period) is None else "samma dagar föregående år"
    reason = (
        f"förändring {pct_change(cmp.change)} mot {against}; "
        f"målet är minst {target_pct(kr.target)}"
        + ("; året är inte slut" if not period.is_full_year else "")
        + _compared(cmp)
        + f"; {MARGIN} {pct_change(low - 1)} till {pct_change(high - 1)}"
    )
    return reason + ". " + target_certainty_text(cmp, kr.target)


def conversion_status(cmp: Comparison, kr, fraction_of_year: float = 1.0, members: int = 12) -> tuple[str, str]:
    """M2's (status, qualifier) from a comparison: "kan inte bedömas" without leads in both
    years or when the ratio's interval is too wide (Comparison.enough); otherwise the
    observed change against the target (okr.judge), qualified "osäkert" where the interval
    covers the target ratio 1 + target. The simulation (running/simulation.py) judges its
    draws with this same function."""
    if not (cmp.leads and cmp.previous_leads) or not cmp.enough:
        return okr.UNKNOWN, ""
    status, _ = okr.judge(kr, cmp.rate, cmp.previous_rate, members, fraction_of_year)
    return status, okr.UNCERTAIN if cmp.target_certainty(kr.target) == UNCERTAIN else ""


def conversion_year_end(ctx, kr, cmp: Comparison, before_why: str | None = None) -> fc.Forecast | None:
    """M2's year for a part year, from the matured cohorts: the like-for-like rate of the
    leads counted so far (the year's value if the rest of the year converts alike) with its
    Wilson interval, and the chance that the ratio to the previous year reaches 1 + target
    (Comparison.target_chance, Katz's log-normal approximation). Where the width rule says the
    change cannot be judged, or there is no previous year, the forecast keeps its (wide)
    interval but has no chance, and `how` says why. None for a full year."""
    period = ctx.period
    if period.is_full_year:
        return None
    if not cmp.leads:
        return fc.Forecast(period.year, how="inga leads har hunnit räknas i år")
    rule = fc.rules(ctx.settings)
    low, high = numbers.wilson_interval([cmp.converted], [cmp.leads], rule.level)
    how = text.conversion_forecast_how(cmp, kr.target, period.year)
    chance = None
    if before_why:
        how += f"; hur troligt målet är går inte att säga: {before_why}"
    elif not (cmp.previous_leads and cmp.enough):
        how += "; " + text.conversion_chance_missing_text(cmp, kr.target)
    else:
        chance = cmp.target_chance(kr.target)
    return fc.Forecast(period.year, cmp.rate, float(low[0]), float(high[0]), chance, how)


def conversion_plan_end(ctx, year_end: fc.Forecast | None) -> fc.Forecast | None:
    """M2 in the plan's last year (okr.plan_end_forecast's semantics): the year's own
    forecast when the period is in it, nothing once it is over, and before it a stated
    reason: the target compares each year with the one before, and a change that far ahead
    cannot be foreseen from the register."""
    last = ctx.plan.last_year
    return okr.plan_end(ctx, year_end, lambda: fc.Forecast(last, how=text.conversion_plan_end_how(last)))


def conversion_outcome(ctx, kr) -> okr.Outcome:
    """The lead conversion rate against the same days of the previous year, with its
    uncertainty. The status follows the observed like-for-like change; a part year's
    forecast (conversion_year_end) is shown beside it."""
    register = okr.Register(ctx.dataset["leads"], "datum", "leadsregistret")
    why = okr.uncovered(register, ctx.period)
    if why:
        return okr.Outcome(kr.id, None, None, okr.UNKNOWN, why, "–", "–", previous_label=ctx.period.previous.label)
    defs = definitions(ctx.settings)
    cmp = compare(ctx.dataset["leads"], ctx.period, defs)
    value = cmp.rate if cmp.leads else None
    value_text = rate_text(cmp.rate, cmp.converted, cmp.leads)
    uncovered_before = okr.uncovered(register, ctx.period.previous)
    year_end = conversion_year_end(ctx, kr, cmp, uncovered_before)
    plan_end = conversion_plan_end(ctx, year_end)
    label = compared_label(cmp, ctx.period)
    if uncovered_before:
        reason = f"{uncovered_before}, så det finns inget föregående år att jämföra med"
        return okr.Outcome(
            kr.id,
            value,
            None,
            okr.UNKNOWN,
            reason,
            value_text,
            "–",
            forecast=year_end,
            plan_forecast=plan_end,
            previous_label=label,
        )
    previous = cmp.previous_rate if cmp.previous_leads else None
    texts = (value_text, rate_text(cmp.previous_rate, cmp.previous_converted, cmp.previous_leads))
    line = cut_line(cmp, ctx.period)
    status, qualifier = conversion_status(cmp, kr, ctx.period.fraction_of_year, len(ctx.plan.members))
    if not (cmp.leads and cmp.previous_leads):
        reason = "inga leads att jämföra i " + ("perioden" if not cmp.leads else "föregående år") + _compared(cmp)
        return okr.Outcome(
            kr.id,
            value,
            previous,
            status,
            reason,
            *texts,
            detail=line,
            forecast=year_end,
            plan_forecast=plan_end,
            previous_label=label,
        )
    if status == okr.UNKNOWN:
        observed = f"; uppmätt förändring {pct_change(cmp.change)}" if not pd.isna(cmp.ratio) else ""
        reason = width_text(cmp, kr.target) + observed + _compared(cmp)
        short = "För få leads för att bedöma målet."
        return okr.Outcome(
            kr.id,
            value,
            previous,
            status,
            reason,
            *texts,
            detail=f"{short} {line}".strip(),
            forecast=year_end,
            plan_forecast=plan_end,
            previous_label=label,
        )
    certainty = CERTAINTY_WORDS.get(cmp.target_certainty(kr.target), "")
    reason = _change_reason(cmp, kr, ctx.period)
    return okr.Outcome(
        kr.id,
        value,
        previous,
        status,
        reason,
        *texts,
        detail=line or certainty,
        qualifier=qualifier,
        forecast=year_end,
        plan_forecast=plan_end,
        previous_label=label,
    )


def support_plan_end(ctx, full_years: list[tuple[int, set]], year_end: fc.Forecast | None) -> fc.Forecast | None:
    """M3 in the plan's last year (okr.plan_end_forecast's semantics): each member reached as
    often as in the complete years (forecast.members_level)."""
    years = text.years_text([y for y, _ in full_years]) if full_years else ""
    sets = [reached for _, reached in full_years]
    last = ctx.plan.last_year
    return okr.plan_end(
        ctx, year_end, lambda: fc.members_level(sets, set(ctx.plan.members), fc.rules(ctx.settings), last, years)
    )


def support_register(ctx) -> okr.Register:
    """The activity register counted over marketing support, from the day [täckning] dates it."""
    return okr.category_register(ctx, "aktiviteter", "datum", "aktivitetsregistret", "typ", [numbers.SUPPORT_TYPE])


def support_outcome(ctx, kr) -> okr.Outcome:
    """Members that received marketing support in the period. A part year is judged on its
    forecast for December (forecast.members_year_end: how often a member missing at this date
    in the complete years was reached by December), like a count on okr.judge_on_forecast
    with every member as the target."""
    members, period = ctx.plan.members, ctx.period
    activities = ctx.dataset["aktiviteter"]
    register = support_register(ctx)
    why = okr.uncovered(register, period)
    if why:
        return okr.Outcome(kr.id, None, None, okr.UNKNOWN, why, "–", "–", previous_label=ctx.period.previous.label)
    table = supported_municipalities(activities, period, members)
    prev = supported_municipalities(activities, period.previous, members)
    value = int(table["stödd"].sum())
    previous = None if okr.uncovered(register, period.previous) else int(prev["stödd"].sum())
    rule = fc.rules(ctx.settings)
    first = fc.first_full_year(register.dates())
    years = range(first, period.year) if first is not None else range(0)
    full_years = [(y, numbers.supported_set(activities, Period(y), members)) for y in years]
    now = set(table.loc[table["stödd"], "kommunkod"])
    if period.is_full_year:
        full_years.append((period.year, now))
    year_end = None
    if not period.is_full_year:
        history = numbers.support_history(activities, first, period, members)
        year_end = fc.members_year_end(now, history, set(members), rule, period.year, first)
    status, reason = okr.judge(kr, value, previous, len(members), period.fraction_of_year)
    qualifier = ""
    if year_end is not None and value < len(members):
        every_member = replace(kr, target=len(members))  # "alla" as a count of members to reach
        judged = okr.judge_on_forecast(every_member, value, year_end, None, period, rule)
        if judged is None:  # too little history: still open, said so
            reason += f"; ingen prognos ({year_end.how})"
        else:
            status, qualifier, reason = judged
            if previous is not None:
                reason += f"; samma period föregående år: {fmt_int(previous)}"
    missing = table.loc[~table["stödd"], "kommun"].tolist()
    if missing:
        reason += "; inget stöd till " + ", ".join(missing)
    return okr.Outcome(
        kr.id,
        value,
        previous,
        status,
        reason,
        f"{fmt_int(value)} av {len(members)} kommuner",
        "–" if previous is None else f"{fmt_int(previous)} av {len(members)}",
        detail=f"inget stöd till {join_sv(missing)}" if missing else "",
        qualifier=qualifier,
        forecast=year_end,
        plan_forecast=support_plan_end(ctx, full_years, year_end),
        previous_label=period.previous.label,
        missing=tuple(missing),
    )


# The plan's `mått` (data/okr.toml) computed here.
METRICS = {
    "arenor_med_mål_och_uppföljning": arenas_outcome,
    "konverteringsgrad": conversion_outcome,
    "kommuner_med_marknadsföringsstöd": support_outcome,
}


def outcomes(ctx) -> list[okr.Outcome]:
    """The plan's key results measured here, in the plan's order."""
    return okr.outcomes_for(ctx, METRICS)


__all__ = [
    "METRICS",
    "about",
    "conversion_status",
    "support_register",
    "figures",
    "numbers",
    "outcomes",
    "tables",
    "text",
]
