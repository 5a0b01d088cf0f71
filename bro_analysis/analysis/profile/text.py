"""Swedish sentences for one member municipality's kommunblad, from its figures."""

from __future__ import annotations

import pandas as pd

from bro_analysis.presentation.formatting import fmt_int, fmt_msek, fmt_number, fmt_percent, fmt_signed, join_sv


def genitive(name: str) -> str:
    """'Örebros', but 'Hällefors' (a name ending in s, x or z takes no extra s)."""
    return name if name[-1:].lower() in "sxz" else f"{name}s"


def nki_text(total: dict | None, name: str) -> str:
    """The municipality's total NKI beside the county and Sweden, and its change."""
    if total is None:
        return f"Det finns ingen NKI-mätning för {name} för perioden."
    if total.get("värde") is None:
        return f"{name} har inget totalt NKI mätår {total['mätår']}."
    text = f"{genitive(name)} totala NKI mätår {total['mätår']} är {fmt_number(total['värde'], 1)}"
    if pd.notna(total.get("ki_nedre")):
        text += f" (osäkerhetsintervall {fmt_number(total['ki_nedre'], 1)}–{fmt_number(total['ki_övre'], 1)})"
    if not total["publicerbart"]:
        text += f", men med bara {fmt_int(total['antal_svar'])} svar publicerar SKR inte resultatet"
    text += "."
    if total.get("länet") is not None:
        text += f" Länets genomsnitt är {fmt_number(total['länet'], 1)}."
    if total.get("percentil") is not None:
        text += (
            f" Bland Sveriges kommuner har {fmt_percent(total['percentil'], 0)} samma eller lägre resultat "
            f"(rikets median {fmt_number(total['riket_median'], 1)})."
        )
    if total.get("föregående") is not None:
        change = total["värde"] - total["föregående"]
        text += (
            f" Sedan mätår {total['föregående_mätår']} ({fmt_number(total['föregående'], 1)}) är förändringen "
            f"{fmt_signed(change, 1)}: {total['bedömning']}."
        )
    return text


def factors_text(factors: pd.DataFrame) -> str:
    """The strongest and the weakest service factor."""
    if factors.empty:
        return "Servicefaktorerna finns inte i underlaget för mätåret."
    best, worst = factors.iloc[0], factors.iloc[-1]
    return (
        f"Starkast av servicefaktorerna är {best['mått']} ({fmt_number(best['värde'], 1)}), "
        f"svagast {worst['mått']} ({fmt_number(worst['värde'], 1)})."
    )


def investments_text(row: pd.Series, stages: pd.Series, label: str, why: str | None = None) -> str:
    """Realised investments, jobs, open projects and the stages of new projects; or why the
    register cannot say (never a false 0)."""
    if why:
        return f"Investeringarna kan inte redovisas för {label}: {why}."
    text = (
        f"Under {label} beslutades {fmt_int(row['projekt'])} investeringsprojekt i kommunen till ett värde av "
        f"{fmt_msek(row['värde_msek'])} och {fmt_int(row['arbetstillfällen'])} nya arbetstillfällen. "
        f"Vid periodens slut var {fmt_int(row['pipeline_projekt'])} projekt öppna "
        f"({fmt_msek(row['pipeline_msek'])})."
    )
    if stages.sum():
        parts = [f"{fmt_int(n)} i skedet {stage}" for stage, n in stages.items() if n]
        text += f" Av projekten med första kontakt under perioden är {join_sv(parts)}."
    return text


def joint_text(counts: dict[str, int], tools: dict, label: str, why: str | None = None) -> str:
    """The municipality's part in the joint work (or why the register cannot say), its shared
    tools and its readiness."""
    plural = {"Samverkansprojekt": ("samverkansprojekt", "samverkansprojekt"), "Workshop": ("workshop", "workshops")}
    plural["Utbildning"] = ("utbildning", "utbildningar")
    parts = [f"{fmt_int(n)} {plural[kind][0 if n == 1 else 1]}" for kind, n in counts.items()]
    missing = [tool for tool in ("Insikt", "Syna", "Objektvision") if not tools.get(tool)]
    text = f"Under {label} deltog kommunen i {join_sv(parts)}." if not why else f"Det gemensamma arbetet: {why}."
    text += (
        " Kommunen använder alla tre gemensamma verktyg."
        if not missing
        else f" Kommunen använder inte {join_sv(missing)}."
    )
    ready = tools.get("beredskap")
    text += (
        " Den har beredskap för etableringsförfrågningar."
        if ready == "ja"
        else f" Beredskap för etableringsförfrågningar: {ready}."
    )
    return text


def marketing_text(support: int, label: str, why: str | None = None) -> str:
    """Marketing support received (or why the register cannot say); leads cannot be
    attributed to one municipality."""
    if why:
        return f"Marknadsföringsstödet kan inte redovisas: {why}. Leadsregistret anger inte kommun."
    text = (
        f"Under {label} fick kommunen {fmt_int(support)} {'insats' if support == 1 else 'insatser'} "
        "med marknadsföringsstöd."
        if support
        else f"Under {label} fick kommunen inget registrerat marknadsföringsstöd."
    )
    return text + " Leadsregistret anger inte kommun, så leads kan inte delas upp per kommun."


def contribution_text(contribution: dict | None, per_inhabitant: float, year: int) -> str:
    """The operating contribution: population × kr per inhabitant."""
    if contribution is None:
        return f"Folkmängden för {year} saknas i underlaget, så driftsbidraget kan inte räknas."
    return (
        f"Driftsbidraget {year} är {fmt_int(contribution['bidrag_kr'])} kronor: "
        f"{fmt_int(contribution['folkmängd'])} invånare × {fmt_int(per_inhabitant)} kronor."
    )
