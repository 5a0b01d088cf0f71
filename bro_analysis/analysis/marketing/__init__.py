"""Marketing: conversion rates with uncertainty, channels, arenas and municipal support.

Definitions (which stages are leads, which stage is converted, the time
window, the confidence level) come from the [marknadsföring] section of
`data/settings.toml`. Rates carry Wilson intervals; the change against the
previous year is a ratio of rates with a Katz log interval, and the key result
is tested against its target ratio (1 + target) with that interval, not against
"any improvement".
"""

from __future__ import annotations

import pandas as pd

from bro_analysis.analysis import okr
from bro_analysis.presentation.formatting import fmt_int, fmt_number, fmt_signed, join_sv

from . import figures, numbers, tables, text
from .numbers import ABOVE, BELOW, UNCERTAIN, arenas_in_period, compare, definitions, supported_municipalities
from .text import arena_label, pct_change, rate_text, target_certainty_text

# The target test in words for the committee's one line (numbers.Comparison.target_certainty).
CERTAINTY_WORDS = {
    ABOVE: "målet är nått med god säkerhet",
    BELOW: "målet är med god säkerhet inte nått",
    UNCERTAIN: "osäkert om målet är nått: skillnaden kan bero på slumpen",
}


def arenas_outcome(ctx, kr) -> okr.Outcome:
    """Arenas in the period with both goals and follow-up."""
    register = okr.Register(ctx.dataset["arenor"], "datum", "arenaregistret")
    why = okr.uncovered(register, ctx.period)
    if why:
        return okr.Outcome(kr.id, None, None, okr.UNKNOWN, why, "–", "–")
    table = arenas_in_period(ctx.dataset["arenor"], ctx.period)
    prev = arenas_in_period(ctx.dataset["arenor"], ctx.period.previous)
    value = int(table["uppfyller"].sum())
    previous = None if okr.uncovered(register, ctx.period.previous) else int(prev["uppfyller"].sum())
    status, reason = okr.judge(kr, value, previous, len(ctx.plan.members), ctx.period.fraction_of_year)
    missing = table[~table["uppfyller"]]
    if len(missing):
        reason += "; saknar mål eller uppföljning: " + ", ".join(arena_label(r) for _, r in missing.iterrows())
    return okr.Outcome(
        kr.id,
        value,
        previous,
        status,
        reason,
        f"{fmt_int(value)} av {fmt_int(len(table))} arenor",
        "–" if previous is None else f"{fmt_int(previous)} av {fmt_int(len(prev))} arenor",
        detail=(f"{fmt_int(len(missing))} {'arena' if len(missing) == 1 else 'arenor'} saknar mål eller uppföljning")
        if len(missing)
        else "",
    )


def conversion_outcome(ctx, kr) -> okr.Outcome:
    """The lead conversion rate against the previous year, with its uncertainty."""
    why = okr.uncovered(okr.Register(ctx.dataset["leads"], "datum", "leadsregistret"), ctx.period)
    if why:
        return okr.Outcome(kr.id, None, None, okr.UNKNOWN, why, "–", "–")
    defs = definitions(ctx.settings)
    cmp = compare(ctx.dataset["leads"], ctx.period, defs)
    value = cmp.rate if cmp.leads else None
    previous = cmp.previous_rate if cmp.previous_leads else None
    texts = (
        rate_text(cmp.rate, cmp.converted, cmp.leads),
        rate_text(cmp.previous_rate, cmp.previous_converted, cmp.previous_leads),
    )
    if not cmp.enough:
        reason = (
            f"för få leads för att bedöma ({fmt_int(cmp.leads)} i perioden, {fmt_int(cmp.previous_leads)} "
            f"föregående år; minst {fmt_int(defs.min_leads)} i varje behövs)"
        )
        return okr.Outcome(kr.id, value, previous, okr.UNKNOWN, reason, *texts)
    status, reason = okr.judge(kr, value, previous, len(ctx.plan.members), ctx.period.fraction_of_year)
    if not pd.isna(cmp.ratio):
        low, high = cmp.ratio_interval
        if cmp.cohort_days:
            reason += f"; konvertering inom {cmp.cohort_days} dagar"
        reason += f"; skillnaden är {fmt_signed(100 * cmp.points, 1)} procentenheter"
        if not pd.isna(low):
            reason += (
                f"; {fmt_number(100 * cmp.confidence, 0)} %-intervall {pct_change(low - 1)} till {pct_change(high - 1)}"
            )
        reason += ". " + target_certainty_text(cmp, kr.target)
    certainty = CERTAINTY_WORDS.get(cmp.target_certainty(kr.target), "") if not pd.isna(cmp.ratio) else ""
    return okr.Outcome(kr.id, value, previous, status, reason, *texts, detail=certainty)


def support_outcome(ctx, kr) -> okr.Outcome:
    """Members that received marketing support in the period."""
    members = ctx.plan.members
    register = okr.Register(ctx.dataset["aktiviteter"], "datum", "aktivitetsregistret")
    why = okr.uncovered(register, ctx.period)
    if why:
        return okr.Outcome(kr.id, None, None, okr.UNKNOWN, why, "–", "–")
    table = supported_municipalities(ctx.dataset["aktiviteter"], ctx.period, members)
    prev = supported_municipalities(ctx.dataset["aktiviteter"], ctx.period.previous, members)
    value = int(table["stödd"].sum())
    previous = None if okr.uncovered(register, ctx.period.previous) else int(prev["stödd"].sum())
    status, reason = okr.judge(kr, value, previous, len(members), ctx.period.fraction_of_year)
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


__all__ = ["METRICS", "figures", "numbers", "outcomes", "tables", "text"]
