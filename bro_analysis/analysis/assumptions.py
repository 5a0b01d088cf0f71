"""The assumptions-and-caveats log printed in every combined report's appendix.

Each entry is (label, Swedish text). The general entries are here; each area package
states its own in `about.caveats(ctx)` (copying a package copies them), collected in the
plan's order. Entries that depend on the data are computed from it, so the log states
what this report actually did.
"""

from __future__ import annotations

from bro_analysis.analysis import forecast, registry
from bro_analysis.presentation.formatting import fmt_percent


def _general(ctx) -> list[tuple[str, str]]:
    period, rule = ctx.period, forecast.rules(ctx.settings)
    items = []
    if ctx.dataset.is_example:
        items.append(("Allmänt", "Rapporten bygger på påhittade exempeldata och visar inga verkliga resultat."))
    if period.is_full_year:
        items.append(("Allmänt", f"Perioden är helåret {period.year} och jämförs med {period.year - 1}."))
    else:
        items.append(
            (
                "Allmänt",
                f"Perioden är {period.label} och jämförs med samma period året innan "
                f"({period.previous.label}). Ett delår bedöms aldrig som ett helt år: ett mål per år är "
                "'på väg' när prognosen ger minst 50 % chans att nå det före årets slut och annars 'risk'; "
                "'ej uppnått' används bara för ett avslutat år. Prognosen för ett antal är det som räknats "
                "hittills plus det som de tidigare hela åren i registret la till under resten av året "
                "(Poissonfördelat, eller negativt binomialfördelat när åren varierar mer), så att "
                "verksamhet som samlas till hösten inte ser ut som en risk på våren. Före "
                f"{fmt_percent(rule.earliest, 0)} av året blir ett antal som ligger efter 'kan inte "
                "bedömas' i stället för 'risk'.",
            )
        )
    items.append(
        (
            "Allmänt",
            f"Prognosen för planens sista år ({ctx.plan.last_year}) antar att nivån från de hela åren i "
            "registret håller, eller för NKI att trenden håller; den säger vad som händer om inget "
            f"ändras, inte vad som kommer att hända. Chansen sägs i ord: 'troligt' från "
            f"{fmt_percent(rule.likely, 0)}, 'osannolikt' till {fmt_percent(rule.unlikely, 0)}, "
            "däremellan 'osäkert'.",
        )
    )
    items.append(
        ("Allmänt", "Målen och medlemskommunerna kommer från data/okr.toml, beräkningsvalen från data/settings.toml.")
    )
    return items


def packages_in_plan_order(plan) -> list:
    """The area packages (registry.AREAS) in the order the plan first names one of their key
    results; packages the plan does not use come last."""
    first = {kr.metric: i for i, kr in reversed(list(enumerate(plan.key_results)))}

    def position(area) -> int:
        return min((first[m] for m in area.METRICS if m in first), default=len(first))

    return sorted(registry.AREAS, key=position)


def area_caveats(ctx) -> list[tuple[str, str]]:
    """Each area package's own caveats (its about.caveats), in the plan's order."""
    return [
        item for area in packages_in_plan_order(ctx.plan) if hasattr(area, "about") for item in area.about.caveats(ctx)
    ]


def log(ctx) -> list[tuple[str, str]]:
    """All entries for this report."""
    return _general(ctx) + area_caveats(ctx)
