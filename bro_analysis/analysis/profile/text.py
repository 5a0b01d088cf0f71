"""Swedish sentences for one member municipality's kommunblad, from its figures."""

from __future__ import annotations

import re
from html import escape

import pandas as pd

from bro_analysis.presentation.formatting import fmt_int, fmt_msek, fmt_number, fmt_percent, fmt_signed, join_sv
from bro_analysis.presentation.vocabulary import unit_word

from . import numbers


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


def investments_text(
    row: pd.Series, stages: pd.Series, label: str, why: str | None = None, priority=None, decided_later: int = 0
) -> str:
    """Realised investments in all sectors and, of them, in the plan's prioritised target areas
    (what I1 counts), open projects and the stages today of new projects; or why the register
    cannot say (never a false 0). A zero is said in words."""
    if why:
        return f"Investeringarna kan inte redovisas för {label}: {why}."
    if row["projekt"]:
        text = (
            f"Under {label} beslutades {fmt_int(row['projekt'])} investeringsprojekt i kommunen (alla branscher): "
            f"{fmt_msek(row['värde_msek'])} och {fmt_int(row['arbetstillfällen'])} nya arbetstillfällen."
        )
        if priority is not None:
            text += (
                f" {fmt_int(priority['projekt'])} av dem ({fmt_msek(priority['värde_msek'])}) ligger inom planens "
                "prioriterade målområden, som nämndrapporten räknar."
                if priority["projekt"]
                else " Inget av dem ligger inom planens prioriterade målområden, som nämndrapporten räknar."
            )
    else:
        text = f"Inga investeringsprojekt beslutades i kommunen under {label}."
    text += (
        f" Vid periodens slut var {fmt_int(row['pipeline_projekt'])} projekt ännu inte avgjorda "
        f"({fmt_msek(row['pipeline_msek'])})."
        if row["pipeline_projekt"]
        else " Vid periodens slut fanns inga projekt som ännu inte var avgjorda."
    )
    if stages.sum():
        parts = [f"{fmt_int(n)} i skedet {stage}" for stage, n in stages.items() if n]
        started = int(stages.sum())
        text += (
            f" Av de {fmt_int(started)} projekt som fick sin första kontakt under perioden är i dag {join_sv(parts)}."
            if started > 1
            else f" Projektet som fick sin första kontakt under perioden är i dag i skedet {stages.idxmax()}."
        )
        if decided_later:
            text += (
                " Det beslutades efter periodens slut och räknas därför inte bland periodens beslut."
                if started == 1
                else f" {fmt_int(decided_later)} av dem beslutades efter periodens slut och räknas därför "
                "inte bland periodens beslut."
            )
    return text


def joint_text(counts: dict[str, int], tools: dict, label: str, why: str | None = None) -> str:
    """The municipality's shared tools and readiness; before them why the register cannot say,
    or that it took part in no joint work (the counts are in the key-result box, the activities
    in the table)."""
    if why:
        text = f"Det gemensamma arbetet: {why}. "
    elif not any(counts.values()):
        text = f"Kommunen deltog inte i något samverkansprojekt, någon workshop eller utbildning under {label}. "
    else:
        text = ""
    missing = [tool for tool in ("Insikt", "Syna", "Objektvision") if not tools.get(tool)]
    text += (
        "Kommunen använder alla tre gemensamma verktyg."
        if not missing
        else f"Kommunen använder inte {join_sv(missing)}."
    )
    ready = str(tools.get("beredskap"))
    text += {
        "ja": " Den har beredskap för etableringsförfrågningar.",
        "nej": " Den har inte beredskap för etableringsförfrågningar.",
    }.get(ready, " Det finns ingen uppgift om kommunens beredskap för etableringsförfrågningar.")
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
    return text + " Leads kan inte delas upp per kommun, eftersom leadsregistret inte anger kommun."


def contribution_text(contribution: dict | None, per_inhabitant: float, year: int) -> str:
    """The operating contribution: population × kr per inhabitant."""
    if contribution is None:
        return f"Folkmängden för {year} saknas i underlaget, så driftsbidraget kan inte räknas."
    return (
        f"Driftsbidraget {year} är {fmt_int(contribution['bidrag_kr'])} kronor: "
        f"{fmt_int(contribution['folkmängd'])} invånare × {fmt_int(per_inhabitant)} kronor."
    )


def _role(word: str, sentence: str) -> str:
    return f"{word[:1].upper()}{word[1:]}: {sentence}"


def key_result_part(part: dict, label: str) -> str:
    """One key result from the municipality's side (numbers.key_result_parts' row): whether it
    counts toward the key result or holds it back, and the fact that decides it, in the words
    of the area package that computes the key result (about.MEMBER_LINES), or for a count of
    activities how many of the county's the municipality took part in (about.MEMBER_COUNTS)."""
    role, kind = part["roll"], part["mått"]
    if role == "kan inte bedömas":
        return _role(role, "uppgift saknas eller för få svar.")
    about = numbers.member_abouts()[kind]
    line = getattr(about, "MEMBER_LINES", {}).get(kind)
    if line is not None:
        return _role(role, line(part, label))
    things, one = about.MEMBER_COUNTS[kind], unit_word(1, about.MEMBER_COUNTS[kind])
    if part["av"] == 1 and one != things:  # "länets enda workshop", not "1 av länets 1 workshops"
        return _role(role, f"deltog {'' if part['antal'] else 'inte '}i länets enda {one}.")
    if part["antal"]:
        return _role(role, f"deltog i {fmt_int(part['antal'])} av länets {fmt_int(part['av'])} {things}.")
    if part["av"]:
        return _role(role, f"deltog inte i någon av länets {fmt_int(part['av'])} {things}.")
    return _role(role, f"länet hade inga {things} under {label}.")


TAG = re.compile(r"<(/?)([^\s<>/][^<>]*?)\s*>")  # <steg 2>, </b>; not "a < b > c"


def clean(text) -> str:
    """Register text as a reader should see it: straight double quotes become Swedish ones
    (”…”), an angle-bracket tag keeps its words in brackets (<steg 2> → (steg 2)) and a closing
    tag with no words of its own goes; whitespace is collapsed. Nothing with content is hidden."""
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return ""
    shown = TAG.sub(lambda m: "" if m.group(1) else f"({m.group(2)})", str(text))
    shown = shown.replace('"', "\u201d")
    return " ".join(shown.split())


def nki_years_alt(history: pd.DataFrame, name: str, target: float | None) -> str:
    """The small NKI figure's alt text: every value it shows."""
    own = history.dropna(subset=["kommunen"])
    if own.empty:
        return f"Diagram utan värden: {name} har inget totalt NKI i underlaget."
    values = join_sv(f"{int(y)} {fmt_number(v, 1)}" for y, v in zip(own["mätår"], own["kommunen"]))
    county = join_sv(f"{int(y)} {fmt_number(v, 1)}" for y, v in zip(history["mätår"], history["länet"]) if pd.notna(v))
    text = f"Linjediagram över {genitive(name)} totala NKI per mätår: {values}. Länets genomsnitt: {county}."
    return text + (f" Planens mål för länets genomsnitt är {fmt_number(target, 0)}." if target is not None else "")


def footer(report_href: str, contact: dict) -> str:
    """The kommunblad's last lines as HTML: a link back to the committee report and whom to
    contact (settings.toml [kontakt]); everything from settings is escaped."""
    parts = [escape(str(contact.get(key, "")).strip()) for key in ("namn", "telefon")]
    mail = str(contact.get("e-post", "")).strip()
    site = str(contact.get("webbplats", "")).strip()
    reach = [p for p in parts[1:] if p]
    if mail:
        reach.insert(0, f'<a href="mailto:{escape(mail)}">{escape(mail)}</a>')
    if site:
        reach.append(f'<a href="{escape(site)}">{escape(site)}</a>')
    who = parts[0] or "Business Region Örebro"
    contact_line = f"Frågor: {who}" + (f", {', '.join(reach)}" if reach else "") + "."
    return (
        f'<p class="kommunblad-footer"><a href="{escape(report_href)}">Hela nämndrapporten för perioden</a>. '
        f"{contact_line}</p>"
    )


def _count(n, one: str, many: str, none: str) -> str:
    return none if n == 0 else f"{fmt_int(n)} {one if n == 1 else many}"


def previous_text(frame: pd.DataFrame, before: str) -> str:
    """The same months a year earlier in one sentence (numbers.since_previous' 'före' column);
    a register that does not reach back says so, never 0."""
    projects, value, jobs, joint, support = frame["före"].tolist()
    if projects is None or pd.isna(projects):
        text = f"Samma period ett år tidigare ({before}) kan investeringarna inte redovisas"
    elif projects:
        text = (
            f"Samma period ett år tidigare ({before}) beslutades {fmt_int(projects)} investeringsprojekt i "
            f"kommunen (alla branscher, {fmt_msek(value)} och {fmt_int(jobs)} nya arbetstillfällen)"
        )
    else:
        text = f"Samma period ett år tidigare ({before}) beslutades inga investeringsprojekt i kommunen"
    if joint is None or pd.isna(joint):
        return text + "; det gemensamma arbetet kan inte redovisas för den perioden."
    return (
        f"{text}; kommunen deltog i "
        f"{_count(int(joint), 'gemensam aktivitet', 'gemensamma aktiviteter', 'inga gemensamma aktiviteter')} och "
        f"fick {_count(int(support), 'insats', 'insatser', 'inga insatser')} med marknadsföringsstöd."
    )
