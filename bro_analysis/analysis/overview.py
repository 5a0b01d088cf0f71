"""Every key result of the plan on one page, computed by the area modules."""

from __future__ import annotations

from bro_analysis.analysis import assessment, forecast, okr, registry
from bro_analysis.presentation.formatting import join_sv

STATUS_ORDER = okr.STATUSES


def outcomes(ctx) -> list[okr.Outcome]:
    """Outcomes of all key results, in the plan's order."""
    return registry.outcomes(ctx)


def summary_records(ctx, results: list[okr.Outcome]) -> list[dict]:
    """Machine-readable rows for okr.csv / okr.json: values as the report shows them, with
    BRO's assessment of each key result (empty where the period's file has none)."""
    members = len(ctx.plan.members)
    approved = ctx.assessment is not None and ctx.assessment.approved
    records = []
    for o in results:
        kr = ctx.plan.key_result(o.id)
        section = ctx.assessment.sections.get(o.id) if ctx.assessment else None
        assessed = assessment.section_fields(kr, section)
        target = members if kr.kind == "alla" else okr.shown_number(kr, kr.target, target=True)
        values = (
            o.id,
            kr.area,
            kr.text,
            kr.kind,
            target,
            okr.shown_number(kr, o.value),
            okr.shown_number(kr, o.previous),
            o.previous_label,
            kr.unit,
            o.status,
            o.qualifier,
            o.measurement_year,
            o.reason,
            *(assessed[name] for name in assessment.FIELDS.values()),
            *okr.forecast_fields(kr, o.forecast),
            *okr.forecast_fields(kr, o.plan_forecast),
            list(o.missing) if kr.kind == "alla" else [],
            o.accumulates,
            ctx.period.key,
            is_baseline(ctx),
            approved,
            ctx.dataset.is_example,
        )
        records.append(dict(zip(okr.SUMMARY_FIELDS, values)))
    return records


def page_one_rows(ctx, results: list[okr.Outcome]) -> list[dict]:
    """The committee's first page, one row per key result: id, short text, outcome with its
    unit, target, previous period (with the period it refers to, short), status and one line of why."""
    members = len(ctx.plan.members)
    rule = forecast.rules(ctx.settings)
    rows = []
    for o in results:
        kr = ctx.plan.key_result(o.id)
        rows.append(
            {
                "id": o.id,
                "area": kr.area,
                "text": kr.short,
                "value": o.value_text or "–",
                "target": okr.target_text(kr, members),
                "previous": okr.previous_cell(o, short=True),
                "status": o.status,
                "status_class": okr.status_class(o.status),
                "symbol": okr.SYMBOLS[o.status],
                "qualifier": o.qualifier,
                "why_full": okr.why_text(kr, o, ctx.period),
                "why": assessment.short_why(okr.why_text(kr, o, ctx.period)),
                "forecast": okr.forecast_text(kr, o, rule),
            }
        )
    return rows


def plan_years(plan) -> str:
    """'2026–2027': the plan period."""
    return f"{plan.first_year}–{plan.last_year}"


def is_baseline(ctx) -> bool:
    """A period before the plan's first year: the baseline, not a year the plan is judged on."""
    return ctx.period.year < ctx.plan.first_year


def baseline_note(ctx) -> str:
    """'' or what a report for a year before the plan is (said under page one's title)."""
    if not is_baseline(ctx):
        return ""
    return (
        f"{ctx.period.label} är utgångsläget inför planperioden {plan_years(ctx.plan)}. Tabellen visar hur "
        f"utgångsläget står sig mot planens mål; planen gäller från {ctx.plan.first_year}, så inget mål har "
        "ännu missats."
    )


def period_headline(ctx, results: list[okr.Outcome]) -> str:
    """The headline for the context's period (the baseline's before the plan)."""
    return headline(results, plan_years(ctx.plan) if is_baseline(ctx) else "")


def headline(results: list[okr.Outcome], baseline_years: str = "") -> str:
    """The first sentence a committee member reads. For a year before the plan
    (`baseline_years`, e.g. '2026–2027') it is the baseline against the targets."""
    counts = {s: sum(o.status == s for o in results) for s in STATUS_ORDER}
    if baseline_years:
        parts = [f"{counts[okr.MET]} av {len(results)} nyckelresultat når redan planens mål"]
        if counts[okr.NOT_MET] + counts[okr.RISK] + counts[okr.ON_TRACK]:
            parts.append(f"{counts[okr.NOT_MET] + counts[okr.RISK] + counts[okr.ON_TRACK]} gör det inte ännu")
        if counts[okr.UNKNOWN]:
            parts.append(f"{counts[okr.UNKNOWN]} kan inte bedömas")
        return f"Utgångsläge inför planperioden {baseline_years}: " + join_sv(parts) + "."

    def reached(n: int) -> str:  # the participle agrees with the number: 1 är uppnått, 2 är uppnådda
        return "uppnått" if n == 1 else "uppnådda"

    parts = [f"{counts[okr.MET]} av {len(results)} nyckelresultat är {reached(counts[okr.MET])}"]
    if counts[okr.ON_TRACK]:
        parts.append(f"{counts[okr.ON_TRACK]} är på väg")
    if counts[okr.RISK]:
        parts.append(f"{counts[okr.RISK]} riskerar att inte nås")
    if counts[okr.NOT_MET]:
        parts.append(f"{counts[okr.NOT_MET]} är inte {reached(counts[okr.NOT_MET])}")
    if counts[okr.UNKNOWN]:
        parts.append(f"{counts[okr.UNKNOWN]} kan inte bedömas")
    return join_sv(parts) + "."


def status_lists(results: list[okr.Outcome], plan) -> dict[str, list[str]]:
    """Per status, the key results in it as 'S1 text'."""
    out: dict[str, list[str]] = {s: [] for s in STATUS_ORDER}
    for o in results:
        out[o.status].append(f"{o.id} {plan.key_result(o.id).text}")
    return out
