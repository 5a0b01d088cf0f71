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

import pandas as pd

from bro_analysis.analysis import okr
from bro_analysis.core.periods import data_end
from bro_analysis.presentation.formatting import fmt_int, fmt_number, fmt_signed, join_sv

from . import figures, numbers, tables, text
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
    target_certainty_text,
    width_text,
)

# The target test in words for the committee's one line where the period is not cut.
CERTAINTY_WORDS = {ABOVE: "målet är nått med god säkerhet", BELOW: "målet är med god säkerhet inte nått"}


def _arenas_word(n: int) -> str:
    return f"{fmt_int(n)} {'arena' if n == 1 else 'arenor'}"


def arenas_outcome(ctx, kr) -> okr.Outcome:
    """Arenas in the period with both goals and follow-up. An arena whose follow-up time has
    not run out at the data's end is pending: neither counted nor missing, and a full year
    that pending follow-ups could still bring to the target is "kan inte bedömas"."""
    register = okr.Register(ctx.dataset["arenor"], "datum", "arenaregistret")
    why = okr.uncovered(register, ctx.period)
    if why:
        return okr.Outcome(kr.id, None, None, okr.UNKNOWN, why, "–", "–")
    days = definitions(ctx.settings).follow_up_days
    end = data_end(ctx.dataset.tables)
    table = arenas_in_period(ctx.dataset["arenor"], ctx.period, end, days)
    prev = arenas_in_period(ctx.dataset["arenor"], ctx.period.previous, end, days)
    value = int(table["uppfyller"].sum())
    previous = None if okr.uncovered(register, ctx.period.previous) else int(prev["uppfyller"].sum())
    pending = table[table["pågår"]]
    missing = table[~table["uppfyller"] & ~table["pågår"]]
    reachable = kr.kind == "minst" and kr.target is not None and value < kr.target <= value + len(pending)
    if reachable and ctx.period.fraction_of_year >= 1:
        status = okr.UNKNOWN
        reason = (
            f"{fmt_int(value)} mot målet minst {fmt_number(kr.target, 0)} hittills, men målet kan nås när "
            f"uppföljningen av {_arenas_word(len(pending))} är gjord"
        )
        detail = f"Målet kan nås när uppföljningen av {_arenas_word(len(pending))} är gjord"
    else:
        status, reason = okr.judge(kr, value, previous, len(ctx.plan.members), ctx.period.fraction_of_year)
        parts = [f"{_arenas_word(len(missing))} saknar mål eller uppföljning"] if len(missing) else []
        parts += [f"uppföljning pågår för {_arenas_word(len(pending))}"] if len(pending) else []
        detail = "; ".join(parts)
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
    )


def _compared(cmp: Comparison) -> str:
    """'; leads 1 januari–4 maj 2026 mot … ; 89 av periodens 229 leads (39 %) är för nya för att räknas'."""
    return "".join(f"; {part}" for part in (compared_dates_text(cmp), left_out_text(cmp)) if part)


def _change_reason(cmp: Comparison, kr, period) -> str:
    """The judged reason: the change against the target, the dates, the interval and how certain."""
    low, high = cmp.ratio_interval
    against = "föregående år" if period.is_full_year and cut_spans(cmp, period) is None else "samma dagar föregående år"
    reason = (
        f"förändring {pct_change(cmp.change)} ({fmt_signed(100 * cmp.points, 1)} procentenheter) mot {against}; "
        f"målet är minst {fmt_number(100 * kr.target, 0)} % ökning"
        + ("; året är inte slut" if not period.is_full_year else "")
        + _compared(cmp)
        + f"; {fmt_number(100 * cmp.confidence, 0)} %-intervall {pct_change(low - 1)} till {pct_change(high - 1)}"
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


def conversion_outcome(ctx, kr) -> okr.Outcome:
    """The lead conversion rate against the same days of the previous year, with its uncertainty."""
    register = okr.Register(ctx.dataset["leads"], "datum", "leadsregistret")
    why = okr.uncovered(register, ctx.period)
    if why:
        return okr.Outcome(kr.id, None, None, okr.UNKNOWN, why, "–", "–")
    defs = definitions(ctx.settings)
    cmp = compare(ctx.dataset["leads"], ctx.period, defs)
    value = cmp.rate if cmp.leads else None
    value_text = rate_text(cmp.rate, cmp.converted, cmp.leads)
    uncovered_before = okr.uncovered(register, ctx.period.previous)
    if uncovered_before:
        reason = f"{uncovered_before}, så det finns inget föregående år att jämföra med"
        return okr.Outcome(kr.id, value, None, okr.UNKNOWN, reason, value_text, "–")
    previous = cmp.previous_rate if cmp.previous_leads else None
    texts = (value_text, rate_text(cmp.previous_rate, cmp.previous_converted, cmp.previous_leads))
    line = cut_line(cmp, ctx.period)
    status, qualifier = conversion_status(cmp, kr, ctx.period.fraction_of_year, len(ctx.plan.members))
    if not (cmp.leads and cmp.previous_leads):
        reason = "inga leads att jämföra i " + ("perioden" if not cmp.leads else "föregående år") + _compared(cmp)
        return okr.Outcome(kr.id, value, previous, status, reason, *texts, detail=line)
    if status == okr.UNKNOWN:
        observed = f"; uppmätt förändring {pct_change(cmp.change)}" if not pd.isna(cmp.ratio) else ""
        reason = width_text(cmp, kr.target) + observed + _compared(cmp)
        short = "För få leads för att bedöma målet."
        return okr.Outcome(kr.id, value, previous, status, reason, *texts, detail=f"{short} {line}".strip())
    certainty = CERTAINTY_WORDS.get(cmp.target_certainty(kr.target), "")
    reason = _change_reason(cmp, kr, ctx.period)
    return okr.Outcome(kr.id, value, previous, status, reason, *texts, detail=line or certainty, qualifier=qualifier)


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


__all__ = ["METRICS", "conversion_status", "figures", "numbers", "outcomes", "tables", "text"]
