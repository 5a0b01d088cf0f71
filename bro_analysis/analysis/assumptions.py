"""The assumptions-and-caveats log printed in every combined report's appendix.

Each entry is (area, Swedish text). Entries that depend on the data are
computed from it, so the log states what this report actually did.
"""

from __future__ import annotations

from bro_analysis.analysis import forecast
from bro_analysis.analysis.okr import ONE_PROJECT, target_text
from bro_analysis.input.contracts import DECIDED_STAGES
from bro_analysis.presentation.formatting import fmt_int, fmt_percent


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


def _nki(ctx) -> list[tuple[str, str]]:
    nki_cfg = ctx.settings["nki"]
    first_new = int(nki_cfg["ny_total_från_mätår"])
    return [
        (
            "NKI",
            "Länets genomsnitt är det ovägda medelvärdet av kommunernas NKI totalt, som nyckelresultatet "
            "är formulerat; det svarsviktade medelvärdet visas bredvid där antal svar finns.",
        ),
        (
            "NKI",
            "Insikt redovisas per mätår. En period använder det senaste publicerade mätåret till och med "
            "periodens år; ett mätår utan mätning är en lucka, aldrig noll.",
        ),
        (
            "NKI",
            f"Från mätår {first_new} omfattar SKR:s totala NKI bara "
            + ", ".join(nki_cfg["obligatoriska_områden"])
            + f"; brandskydd och markupplåtelse redovisas separat. En förändring mellan {first_new - 1} och "
            f"{first_new} kan därför bero på att måttet ändrats.",
        ),
        (
            "NKI",
            f"Resultat med färre än {nki_cfg.get('minsta_antal_svar', 7)} svar (totalt) eller "
            f"{nki_cfg.get('minsta_antal_svar_område', 10)} svar (per område) publicerar SKR inte: de visas som "
            "osäkra, rangordnas inte och ingår inte i länets eller områdenas genomsnitt. Ett genomsnitt av "
            f"färre än {nki_cfg.get('minsta_antal_kommuner', 10)} kommuner bedöms inte.",
        ),
    ] + _plan_vs_skr(ctx)


def _plan_vs_skr(ctx) -> list[tuple[str, str]]:
    """The plan's word for its area threshold beside SKR's band names, when the plan has that key result."""
    from bro_analysis.analysis.nki.numbers import bands, grade

    kr = ctx.plan.by_metric("nki_lägsta_område")
    if kr is None:
        return []
    band_list = sorted(bands(ctx.settings), key=lambda b: b[1])
    lows = [low for _, low in band_list]
    passed = next((i for i, (name, _) in enumerate(band_list) if name == "godkänt"), None)
    skr = ""
    if passed is not None and passed + 1 < len(band_list):
        skr = f"; SKR kallar {fmt_int(lows[passed])}–{fmt_int(lows[passed + 1] - 1)} 'godkänt'"
    return [
        (
            "NKI",
            f"Planens gräns {fmt_int(kr.target)} ('godkänt') är SKR:s gräns för "
            f"'{grade(kr.target, bands(ctx.settings))}'{skr}.",
        )
    ]


def _investments(ctx) -> list[tuple[str, str]]:
    from bro_analysis.analysis.investments.numbers import ONE_PROJECT_SHARE
    from bro_analysis.analysis.investments.text import priority_areas_text

    inv = ctx.dataset["investeringar"]
    decided = inv["skede"].isin(DECIDED_STAGES) & ctx.period.contains(inv["beslutsdatum"])
    estimated = int((decided & inv["uppskattat_värde"].fillna(False).astype(bool)).sum())
    return _stage_log(ctx) + [
        (
            "Investeringar",
            "Realiserad investering är ett projekt i skede beslut eller etablerad, räknat det år "
            "beslutet togs; övriga skeden är pipeline.",
        ),
        (
            "Investeringar",
            priority_areas_text(ctx.plan.priority_areas) + " Listan står i data/okr.toml.",
        ),
        (
            "Investeringar",
            f"{fmt_int(estimated)} av periodens realiserade projekt har ett uppskattat värde; "
            "de redovisas åtskilda från bekräftade värden.",
        ),
        (
            "Investeringar",
            "Enstaka mycket stora projekt kan avgöra ett års totalsumma; totalen visas därför "
            "också utan det största projektet, med antal projekt och medianprojektet. Statusen bedömer "
            "totalen, som planen mäter den, men där ett projekt är mer än "
            f"{fmt_percent(ONE_PROJECT_SHARE, 0)} av periodens eller jämförelseperiodens totalsumma står det "
            f"”{ONE_PROJECT}” efter statusen.",
        ),
    ]


def _stage_log(ctx) -> list[tuple[str, str]]:
    """Whether the register's stages are known as they were (investeringar_skeden) or only as they are."""
    from bro_analysis.analysis.investments import stage_log, stages
    from bro_analysis.analysis.investments.text import no_stage_log_text, stage_log_text

    log = stage_log(ctx)
    if log is None:
        return [("Investeringar", no_stage_log_text())]
    inv, period, areas = ctx.dataset["investeringar"], ctx.period, ctx.plan.priority_areas
    changed = sum(len(stages.changed_since(inv, log, p, areas)) for p in (period, period.previous))
    return [("Investeringar", stage_log_text(changed))]


def _marketing(ctx) -> list[tuple[str, str]]:
    from bro_analysis.analysis.marketing.numbers import definitions
    from bro_analysis.analysis.marketing.text import definitions_text

    dropped = list(ctx.dataset.dropped_personal_data)
    items = [("Marknadsföring", text) for text in definitions_text(definitions(ctx.settings))]
    kr = ctx.plan.by_metric("konverteringsgrad")
    if kr is not None and kr.target:
        rate = 0.10
        items.append(
            (
                "Marknadsföring",
                f"Planens {target_text(kr, len(ctx.plan.members)).removeprefix('minst ')} läses som relativ "
                f"förändring ({fmt_percent(rate, 0)} → {fmt_percent(rate * (1 + kr.target), 0)}); förändringen "
                "i procentenheter visas bredvid.",
            )
        )
    items.append(
        (
            "Marknadsföring",
            "Kolumner med personuppgifter lästes inte in: " + "; ".join(dropped)
            if dropped
            else "Leadfilen innehöll inga kolumner med personuppgifter.",
        )
    )
    return items


def _collaboration(ctx) -> list[tuple[str, str]]:
    return [
        ("Samverkan", "Ett samverkansprojekt räknas när minst två kommuner deltar, det år projektet startade."),
        (
            "Samverkan",
            "Verktygsmålet mäts som användning av Insikt, Syna och Objektvision; om kommunerna "
            "arbetar med förbättringsåtgärder baserade på användningen finns inte i underlaget.",
        ),
        (
            "Budget",
            f"Driftsbidraget är {fmt_int(ctx.plan.contribution_per_inhabitant)} kronor per invånare, "
            "beräknat på folkmängden i tabellen kommuner för året.",
        ),
    ]


def log(ctx) -> list[tuple[str, str]]:
    """All entries for this report."""
    return _general(ctx) + _collaboration(ctx) + _nki(ctx) + _investments(ctx) + _marketing(ctx)
