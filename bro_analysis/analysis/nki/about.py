"""What the report says about NKI outside its section: the appendix's caveats, the word
list's entries and the kommunblad's part and line per key result (MEMBER_PARTS, built from
analysis.member_parts, and MEMBER_LINES), from the settings and the plan so they stay true.
Copying the package copies them; analysis.assumptions, analysis.summary and the kommunblad
(profile) collect every area's."""

from __future__ import annotations

import pandas as pd

from bro_analysis.analysis.member_parts import COUNTS, HOLDS_BACK, UNKNOWN
from bro_analysis.presentation.formatting import fmt_int, fmt_number, join_sv

from .numbers import TOTAL, area_cells, bands, grade, measurement_year

AREA = "NKI"  # the appendix's label for these caveats


def caveats(ctx) -> list[tuple[str, str]]:
    """The appendix's assumptions and caveats on NKI: (label, text)."""
    nki_cfg = ctx.settings["nki"]
    first_new = int(nki_cfg["ny_total_från_mätår"])
    return [
        (
            AREA,
            "Länets genomsnitt är det ovägda medelvärdet av kommunernas NKI totalt, som nyckelresultatet "
            "är formulerat; det svarsviktade medelvärdet visas bredvid där antal svar finns.",
        ),
        (
            AREA,
            "Insikt redovisas per mätår. En period använder det senaste publicerade mätåret till och med "
            "periodens år; ett mätår utan mätning är en lucka, aldrig noll.",
        ),
        (
            AREA,
            f"Från mätår {first_new} omfattar SKR:s totala NKI bara "
            + ", ".join(nki_cfg["obligatoriska_områden"])
            + f"; brandskydd och markupplåtelse redovisas separat. En förändring mellan {first_new - 1} och "
            f"{first_new} kan därför bero på att måttet ändrats.",
        ),
        (
            AREA,
            f"Resultat med färre än {nki_cfg.get('minsta_antal_svar', 7)} svar (totalt) eller "
            f"{nki_cfg.get('minsta_antal_svar_område', 10)} svar (per område) publicerar SKR inte: de visas som "
            "osäkra, rangordnas inte och ingår inte i länets eller områdenas genomsnitt. Ett genomsnitt av "
            f"färre än {nki_cfg.get('minsta_antal_kommuner', 10)} kommuner bedöms inte.",
        ),
    ] + _plan_vs_skr(ctx)


def _plan_vs_skr(ctx) -> list[tuple[str, str]]:
    """The plan's word for its area threshold beside SKR's band names, when the plan has that key result."""
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
            AREA,
            f"Planens gräns {fmt_int(kr.target)} ('godkänt') är SKR:s gräns för "
            f"'{grade(kr.target, bands(ctx.settings))}'{skr}.",
        )
    ]


def glossary(ctx) -> list[tuple[str, str]]:
    """The word list's entries for the words the NKI section uses: (term, meaning)."""
    band_list = sorted(bands(ctx.settings), key=lambda b: -b[1])
    grades = join_sv(f"”{name}” från {fmt_number(low, 0)}" for name, low in band_list if low > 0)
    s2 = ctx.plan.by_metric("nki_lägsta_område")
    return [
        (
            "NKI",
            "Nöjd-Kund-Index från SKR:s undersökning Insikt: hur nöjda företag är med kommunens "
            "myndighetsservice, på en skala 0–100.",
        ),
        ("SKR:s betyg", f"SKR delar in NKI i {grades}. Lägre är ”lågt”."),
        (
            "Godkänt",
            "I rapporten planens ord: NKI minst "
            + (f"{fmt_number(s2.target, 0)} i varje myndighetsområde" if s2 else "planens gräns")
            + ". SKR:s betyg ”godkänt” är något annat och skrivs alltid ”SKR:s godkänt”.",
        ),
        ("Mätår", "Året som Insikts enkätsvar gäller. Resultaten kommer en gång om året."),
        (
            "Myndighetsområde",
            "Ett område där kommunen ger företag service, till exempel bygglov eller livsmedelskontroll.",
        ),
    ]


def _county_mean_line(part: dict, label: str) -> str:
    side = "minst" if part["roll"] == "bidrar" else "under"
    value, year = fmt_number(part["värde"], 1), int(part["mätår"])
    return f"NKI {value} (mätår {year}), {side} {fmt_number(part['mål'], 0)}."


def _lowest_area_line(part: dict, label: str) -> str:
    target = part["mål"]
    if part["roll"] == "håller tillbaka":
        below = join_sv(f"{area} {fmt_number(value, 1)}" for area, value in part["under"])
        return f"{below}, under {fmt_number(target, 0)}."
    firm = part["områden"]
    text = (
        f"alla {fmt_int(firm)} områden är minst {fmt_number(target, 0)}."
        if firm > 1
        else f"området med nog många svar är minst {fmt_number(target, 0)}."
    )
    if part.get("osäkra"):
        text += f" {fmt_int(part['osäkra'])} andra har för få svar."
    return text


def _own_results(ctx, name: str) -> tuple[int | None, pd.DataFrame]:
    """The period's mätår and the municipality's NKI per område (totalt too) in it."""
    year = measurement_year(ctx.dataset["nki"], ctx.period.year)
    if year is None:
        return None, pd.DataFrame(columns=["kommun", "område", "värde", "osäker"])
    cells = area_cells(ctx.dataset["nki"], year, ctx.settings)
    return year, cells[cells["kommun"] == name]


def _county_mean_part(ctx, kr, outcome, code: str, name: str) -> dict:
    """S1: the municipality's published total NKI, at least the target (bidrar) or under it."""
    year, own = _own_results(ctx, name)
    total = own[own["område"] == TOTAL]
    if total.empty or bool(total.iloc[0]["osäker"]):
        return {"roll": UNKNOWN}
    value = float(total.iloc[0]["värde"])
    return {"värde": value, "mätår": year, "roll": COUNTS if value >= kr.target else HOLDS_BACK}


def _lowest_area_part(ctx, kr, outcome, code: str, name: str) -> dict:
    """S2: the municipality's published myndighetsområden under the target (håller tillbaka),
    or how many are at least the target and how many have too few responses."""
    _, own = _own_results(ctx, name)
    areas = own[own["område"] != TOTAL]
    firm = areas[~areas["osäker"].astype(bool)]
    below = firm[firm["värde"] < kr.target].sort_values("värde")
    if len(below):
        return {"under": list(zip(below["område"], below["värde"])), "roll": HOLDS_BACK}
    if len(firm):
        return {"områden": len(firm), "osäkra": len(areas) - len(firm), "roll": COUNTS}
    return {"roll": UNKNOWN}


# The kommunblad's part per key result (by mått, analysis.member_parts): the facts that decide
# a member's part; and its line, from profile.numbers.key_result_parts' row (roll, mål and the
# facts for the mått).
MEMBER_PARTS = {"nki_länsmedel": _county_mean_part, "nki_lägsta_område": _lowest_area_part}
MEMBER_LINES = {"nki_länsmedel": _county_mean_line, "nki_lägsta_område": _lowest_area_line}
