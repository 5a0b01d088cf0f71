"""Swedish sentences generated from the numbers."""

from __future__ import annotations

import pandas as pd

from bro_analysis.core.periods import MONTHS_SV, Period
from bro_analysis.presentation.formatting import (
    NBSP,
    fmt_int,
    fmt_interval,
    fmt_number,
    fmt_percent,
    fmt_signed,
    join_sv,
)

from .numbers import ABOVE, BELOW, MASK, Comparison, Definitions, has_cohorts, observed_until


def definitions_text(defs: Definitions) -> list[str]:
    """The definitions as Swedish sentences for the report."""
    window = "Ett lead hör till den period då det kom in (kolumnen datum)"
    if defs.maturation_days:
        window += (
            f", utom leads från periodens sista {defs.maturation_days} dagar som inte hunnit "
            "konvertera; samma dagar räknas inte heller året innan"
        )
    return [
        f"Lead: ett lead vars längsta steg är {join_sv((f'”{i}”' for i in defs.lead_stages), 'eller')}.",
        f"Konverterat: ett lead som nått steget ”{defs.converted_stage}”. Har registret konverteringsdatum "
        f"räknas bara konvertering inom {defs.cohort_days} dagar från att leadet kom in, och leads som ännu "
        "inte följts så länge lämnas utanför, så att alla år har samma uppföljningstid; annars räknas det "
        "steg leadet nått när filen togs ut.",
        "Konverteringsgrad: antal konverterade delat med antal leads.",
        window + ".",
        (
            f"Osäkerhet: {fmt_number(100 * defs.confidence, 0)} % konfidensintervall (Wilson) för varje "
            "andel. Förändringen mot föregående år är kvoten mellan andelarna med intervall enligt Katz "
            "(logaritmmetoden). Målet prövas mot det intervallet: ligger hela intervallet över målet är "
            "målet säkert nått, ligger hela under är det säkert inte nått, annars är det osäkert."
        ),
        (
            f"Nyckelresultatet bedöms bara när båda perioderna har minst {defs.min_leads} leads; "
            f"kanaler och arenor med färre än {defs.min_leads_channel} leads rangordnas inte."
        ),
    ]


def personal_data_text(dropped: list[str], masked: int) -> str:
    """A note on what was removed, without any of the removed values."""
    if dropped:
        text = "Kolumner med personuppgifter (namn, e-post, telefon) lästes inte in: " + "; ".join(dropped) + "."
    else:
        text = "Leadsfilen innehöll inga kolumner med personuppgifter."
    if masked:
        text += (
            f" I {fmt_int(masked)} textfält (t.ex. kanal) stod något som liknade en e-postadress eller "
            f"ett telefonnummer; det ersattes med {MASK}."
        )
    else:
        text += " Inga textfält innehöll något som liknade en e-postadress eller ett telefonnummer."
    return text


def pct_change(change: float) -> str:
    """A relative change as '+19,2 %'."""
    if pd.isna(change):
        return "–"
    return f"{fmt_signed(100 * change, 1)}{NBSP}%"


def rate_text(rate: float, converted: int, leads: int) -> str:
    """'14,3 % (52 av 364 leads)'."""
    if not leads:
        return "inga leads"
    return f"{fmt_percent(rate)} ({fmt_int(converted)} av {fmt_int(leads)} leads)"


def target_certainty_text(cmp: Comparison, target: float) -> str:
    """How certain it is that the target (+20 %) is reached, from the interval, in Swedish."""
    goal = pct_change(target)
    verdict = cmp.target_certainty(target)
    if not verdict:
        return "Hur säkert målet är kan inte bedömas eftersom en period saknar konverteringar."
    if verdict == ABOVE:
        return f"Hela intervallet ligger över målet {goal}: målet är nått med god säkerhet."
    if verdict == BELOW:
        return f"Hela intervallet ligger under målet {goal}: målet är med god säkerhet inte nått."
    return (
        f"Intervallet omfattar målet {goal}, så det går inte att säga säkert om målet är nått; "
        "skillnaden mot målet kan bero på slumpen."
    )


def interval_text(cmp: Comparison) -> str:
    """The confidence interval for the relative change, in Swedish."""
    low, high = cmp.ratio_interval
    level = fmt_number(100 * cmp.confidence, 0)
    if pd.isna(low):
        return "Osäkerheten i förändringen kan inte beräknas eftersom en period saknar konverteringar."
    return (
        f"Med {level} % konfidens ligger den verkliga förändringen mellan "
        f"{pct_change(low - 1)} och {pct_change(high - 1)}."
    )


def comparison_text(cmp: Comparison, period: Period, target: float) -> str:
    """The key result in Swedish sentences, answer first."""
    now, before = period.label, period.previous.label
    head = (
        f"Konverteringsgraden var {rate_text(cmp.rate, cmp.converted, cmp.leads)} under {now}, "
        f"mot {rate_text(cmp.previous_rate, cmp.previous_converted, cmp.previous_leads)} under {before}."
    )
    if cmp.cohort_days:
        head += f" Konvertering räknas inom {cmp.cohort_days} dagar från att leadet kom in, båda åren."
        if cmp.left_out:
            head += (
                f" {fmt_int(cmp.left_out)} leads från periodens sista {cmp.cohort_days} dagar har inte följts så "
                "länge ännu och är inte med."
            )
    if not cmp.enough:
        return (
            head + f" Det är för få leads för att bedöma målet (minst {fmt_int(cmp.min_leads)} "
            "leads per period behövs)."
        )
    if pd.isna(cmp.ratio):
        return head + " Föregående period hade inga konverteringar, så en relativ förändring kan inte beräknas."
    verdict = "når" if cmp.change >= target else "når inte"
    return " ".join(
        [
            head,
            (
                f"Det är en relativ förändring på {pct_change(cmp.change)} ({fmt_signed(100 * cmp.points, 1)} "
                f"procentenheter) och {verdict} målet, en ökning med minst {fmt_number(100 * target, 0)} %."
            ),
            interval_text(cmp),
            target_certainty_text(cmp, target),
        ]
    )


def group_text(table: pd.DataFrame, by_label: str, defs: Definitions) -> str:
    """Which channel (arena) converts best, with its uncertainty, in Swedish."""
    ranked = table[table["rangordnas"]]
    few = table.loc[~table["rangordnas"], table.columns[0]].tolist()
    tail = f" {len(few)} med färre än {defs.min_leads_channel} leads rangordnas inte: {', '.join(few)}." if few else ""
    if ranked.empty:
        return f"Ingen {by_label} hade tillräckligt många leads för att rangordnas.{tail}"
    best = ranked.iloc[0]
    name = best[table.columns[0]]
    text = (
        f"Bäst konverterar {name}: {fmt_percent(best['andel'])} av {fmt_int(best['leads'])} leads "
        f"(konfidensintervall {ci_text(best['ki_nedre'], best['ki_övre'])}), rangordnat efter "
        "intervallets nedre gräns så att en kanal med få leads inte hamnar först på en slump."
    )
    if len(ranked) > 1:
        second = ranked.iloc[1]
        if second["ki_övre"] >= best["ki_nedre"]:
            text += (
                f" Intervallet överlappar med {second[table.columns[0]]} "
                f"({fmt_percent(second['andel'])}), så ordningen mellan dem är osäker."
            )
        else:
            text += f" Intervallet överlappar inte med nästa ({second[table.columns[0]]})."
    return text + tail


def arena_label(row: pd.Series) -> str:
    """'Expo Real (6 oktober 2025)'."""

    d = row["datum"]
    return f"{row['namn']} ({d.day} {MONTHS_SV[d.month - 1]} {d.year})"


def arenas_text(table: pd.DataFrame, period: Period, target: float | None) -> str:
    """How many arenas met the requirement (against the plan's target when it has one), and which lacked what."""
    met = int(table["uppfyller"].sum())
    goal = "" if target is None else f", mot målet minst {fmt_int(target)}"
    text = (
        f"Under {period.label} deltog BRO i {fmt_int(len(table))} nationella eller internationella arenor; "
        f"{fmt_int(met)} hade både skriftliga mål och gjord uppföljning{goal}."
    )
    missing = table[~table["uppfyller"]]
    if len(missing):
        text += (
            " Saknar mål eller uppföljning: "
            + "; ".join(f"{arena_label(r)} saknar {r['saknas']}" for _, r in missing.iterrows())
            + "."
        )
    return text


def support_text(table: pd.DataFrame, period: Period) -> str:
    """How many members got marketing support, naming those that did not."""
    supported = int(table["stödd"].sum())
    text = (
        f"Under {period.label} fick {fmt_int(supported)} av {fmt_int(len(table))} medlemskommuner marknadsföringsstöd."
    )
    missing = table.loc[~table["stödd"], "kommun"].tolist()
    if missing:
        text += " Inget stöd registrerat för: " + ", ".join(missing) + "."
        if not period.is_full_year:
            text += " Perioden är inte ett helt år; stöd kan komma senare under året."
    return text


def ci_text(low: float, high: float) -> str:
    """'10,9–18,4 %'; '–' when there is no interval."""
    return fmt_interval(100 * low, 100 * high, suffix=f"{NBSP}%")


def year_alt_text(years: pd.DataFrame, period: Period) -> str:
    """Alt text for the per-year figure, from its data."""
    data = years[years["leads"] > 0]
    if data.empty:
        return "Diagram utan data: inga leads."
    points = "; ".join(f"{int(r['år'])}: {fmt_percent(r['andel'])}" for _, r in data.iterrows())
    empty = years.loc[years["leads"] == 0, "år"].tolist()
    text = (
        f"Punktdiagram över konverteringsgraden per år med konfidensintervall som lodräta streck. "
        f"{points}. Periodens år {period.year} är en fylld fyrkant."
    )
    if empty:
        text += " Inga leads: " + ", ".join(str(y) for y in empty) + "."
    return text


def group_alt_text(table: pd.DataFrame, label: str) -> str:
    """Alt text for the per-channel (arena) figure, from its data."""
    if table.empty:
        return f"Diagram utan data: inga leads per {label}."
    items = "; ".join(
        f"{r[table.columns[0]]}: {fmt_percent(r['andel'])} av {fmt_int(r['leads'])} leads"
        + ("" if r["rangordnas"] else " (för få leads)")
        for _, r in table.iterrows()
    )
    return f"Konverteringsgrad per {label} med konfidensintervall som vågräta streck. {items}."


def window_caveat(period: Period, defs: Definitions, leads: pd.DataFrame | None = None) -> str:
    """How follow-up time is handled: equal for every lead with conversion dates,
    otherwise which way the missing dates bias the comparison."""
    if leads is not None and has_cohorts(leads, defs):
        text = (
            f"Konverteringen räknas inom {defs.cohort_days} dagar från att leadet kom in, med registrets "
            f"konverteringsdatum, och leads som ännu inte följts {defs.cohort_days} dagar (registret slutar "
            f"{observed_until(leads):%Y-%m-%d}) är inte med. Alla leads har därför haft lika lång tid att "
            "konvertera, och åren kan jämföras rakt av."
        )
    else:
        text = (
            "Konverteringen räknas per lead efter datumet då leadet kom in, med det steg det nått när filen "
            "togs ut; registret har inget datum för konverteringen. Periodens leads har därför haft kortare tid "
            "att konvertera än föregående års, så periodens konverteringsgrad är snarare för låg än för hög och "
            "förändringen mot föregående år snarare underskattad än överskattad."
        )
    if not period.is_full_year:
        text += f" Perioden är {period.label} och jämförs med samma månader året innan ({period.previous.label})."
    if defs.maturation_days:
        text += f" Leads från de sista {defs.maturation_days} dagarna av varje period räknas inte av det skälet."
    return text
