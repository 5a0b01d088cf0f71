"""Swedish sentences generated from the numbers."""

from __future__ import annotations

import pandas as pd

from bro_analysis.core.periods import MONTHS_SV, Period
from bro_analysis.presentation.formatting import (
    NBSP,
    fmt_int,
    fmt_msek,
    fmt_number,
    fmt_percent,
    fmt_signed,
    join_sv,
)
from bro_analysis.presentation.vocabulary import count_text

from .numbers import FUNNEL, LOST, STAGE_LABELS, VALUE, change, decided_by_one


def _projects(n: int) -> str:
    return f"{fmt_int(n)} projekt"


def _change_phrase(rel: float) -> str:
    if pd.isna(rel):
        return "en förändring som inte kan anges i procent eftersom jämförelseperioden saknar värde"
    word = "en ökning" if rel > 0 else ("en minskning" if rel < 0 else "oförändrat")
    if rel == 0:
        return word
    return f"{word} med {fmt_percent(abs(rel))}"


def dominant_project(conc: pd.Series) -> str | None:
    """The company of the largest project if it is more than half of the total, else None."""
    return conc["största_företag"] if decided_by_one(conc) else None


def priority_areas_text(areas) -> str:
    """The prioritised target areas are BRO's reading of the plan, which does not list them."""
    return (
        f"Planen räknar inte upp de prioriterade målområdena. BRO tolkar dem som {join_sv(areas)}, "
        "och nämnden kan ändra listan."
    )


def total_count_text(conc: pd.Series) -> str:
    """A period's total with its number of projects, for the key-result table: '1 272 MSEK (14 projekt)'."""
    return f"{fmt_msek(conc['total_msek'], 0)} ({_projects(conc['projekt'])})"


def period_figures_text(conc: pd.Series, label: str) -> str:
    """One period's total, number of projects, median project and total without the largest."""
    if not conc["projekt"]:
        return f"{label}: inga beslutade projekt med angivet värde"
    return (
        f"{label}: {fmt_msek(conc['total_msek'])} i {_projects(conc['projekt'])}, median "
        f"{fmt_msek(conc['median_msek'])} per projekt, utan det största projektet {fmt_msek(conc['utan_största_msek'])}"
    )


def one_project_detail(current: pd.Series, previous: pd.Series, period: Period) -> str:
    """The short line after I1's first sentence on page one: the project that decides a
    total (if any), the change without the largest project and the median project."""
    parts = []
    for conc, label in ((current, period.label), (previous, period.previous.label)):
        name = dominant_project(conc)
        if name is not None:
            parts.append(f"{name} var {fmt_percent(conc['andel_största'])} av värdet {label}.")
            break
    if current["projekt"] and previous["projekt"]:
        rel = change(current["utan_största_msek"], previous["utan_största_msek"])
        without = f"{fmt_number(previous['utan_största_msek'], 0)} → {fmt_msek(current['utan_största_msek'], 0)}"
        if pd.notna(rel):
            without += f" ({fmt_signed(100 * rel, 0)}{NBSP}%)"
        parts.append(
            f"Utan största projektet: {without}; medianprojekt "
            f"{fmt_number(previous['median_msek'])} → {fmt_msek(current['median_msek'])}."
        )
    return " ".join(parts)


def total_text(current: pd.Series, previous: pd.Series, period: Period, what: str) -> list[str]:
    """Sentences: the total against the same months a year earlier, and plainly how
    far single projects drive the change (named when more than half of a total). A period
    with nothing decided says so, with no change in per cent: early in a year "0 MSEK, a
    decrease of 100 %" would read as a collapse."""
    prev = period.previous
    cur_total, prev_total = current["total_msek"], previous["total_msek"]
    before = f"Under {prev.label} var värdet {fmt_msek(prev_total)} ({_projects(previous['projekt'])})"
    if not current["projekt"]:
        done = "fattades inga beslut" if period.is_full_year else "har ännu inga beslut fattats"
        out = [f"Under {period.label} {done} om investeringar {what} med angivet värde. {before}."]
    else:
        out = [
            f"Under {period.label} fattades beslut om investeringar {what} till ett sammanlagt värde av "
            f"{fmt_msek(cur_total)} ({_projects(current['projekt'])}). {before}, "
            f"{_change_phrase(change(cur_total, prev_total))}."
        ]
    out.append("Totalen bestäms av ett fåtal stora projekt, så en förändring mellan åren kan bero på ett enda projekt.")
    for conc, label in ((current, period.label), (previous, prev.label)):
        name = dominant_project(conc)
        if name is not None:
            out.append(
                f"Under {label} stod ett enda projekt, {name}, för {fmt_percent(conc['andel_största'])} "
                f"av värdet ({fmt_msek(conc['största_msek'])}"
                f"{', uppskattat' if conc['största_uppskattat'] else ''})."
            )
    if current["projekt"] and previous["projekt"]:
        rel_wo = change(current["utan_största_msek"], previous["utan_största_msek"])
        out.append(
            f"Utan det största projektet varje period blir värdet {fmt_msek(current['utan_största_msek'])} "
            f"mot {fmt_msek(previous['utan_största_msek'])}, {_change_phrase(rel_wo)}."
        )
    return out


def concentration_text(conc: pd.Series, label: str) -> str:
    """Sentences on the heavy tail of one period's realised projects."""
    n = int(conc["projekt"])
    if n == 0:
        return f"Inga beslutade investeringar med angivet värde under {label}."
    if n == 1:
        return (
            f"Under {label} finns bara ett beslutat projekt med angivet värde "
            f"({fmt_msek(conc['total_msek'])}); det utgör hela totalen och någon spridning går inte att ange."
        )
    return (
        f"Under {label} stod det största projektet för {fmt_percent(conc['andel_största'])} av totalen och "
        f"de tre största för {fmt_percent(conc['andel_topp3'])}. Utan det största projektet är totalen "
        f"{fmt_msek(conc['utan_största_msek'])}. Ett typiskt projekt (medianen av {fmt_int(n)}) var "
        f"{fmt_msek(conc['median_msek'])}; hälften av projekten låg mellan {fmt_msek(conc['q1_msek'])} och "
        f"{fmt_msek(conc['q3_msek'])}. Ett statistiskt osäkerhetsintervall för totalen vore missvisande när "
        "enstaka projekt dominerar; känsligheten visas i stället som totalen utan det största projektet."
    )


def estimate_text(summary: pd.Series, label: str) -> str:
    """How much of a total is estimated, and how many projects lack a value."""
    total = summary["värde_msek"]
    text = (
        f"Av värdet under {label} är {fmt_msek(summary['bekräftat_msek'])} bekräftade belopp och "
        f"{fmt_msek(summary['uppskattat_msek'])} uppskattningar"
        + (f" ({fmt_percent(summary['uppskattat_msek'] / total)} av totalen)." if total > 0 else ".")
    )
    if summary["utan_värde"]:
        text += (
            f" {fmt_int(summary['utan_värde'])} beslutade projekt saknar värde i registret och ingår inte "
            "i summan, som därför är en nedre gräns."
        )
    return text


def jobs_text(summary: pd.Series, label: str) -> str:
    """Jobs in realised projects, with the projects that lack a number."""
    text = (
        f"De beslutade projekten under {label} anger sammanlagt {fmt_int(summary['arbetstillfällen'])} "
        "nya arbetstillfällen."
    )
    if summary["utan_arbetstillfällen"]:
        text += (
            f" {fmt_int(summary['utan_arbetstillfällen'])} av {fmt_int(summary['projekt'])} projekt "
            "saknar uppgift och ingår inte."
        )
    return text


def funnel_text(frame: pd.DataFrame, label: str) -> str:
    """Sentences on the funnel of one cohort."""
    f = frame.set_index("skede")
    n = int(f.loc["lead", "nått_minst"])
    if n == 0:
        return f"Inga projekt hade sin första kontakt under {label}."
    decided = int(f.loc["beslut", "nått_minst"])
    conv = f.loc["beslut", "konvertering"]
    return (
        f"Av de {fmt_int(n)} projekt som hade sin första kontakt under {label} har {fmt_int(decided)} "
        f"nått beslut eller etablering ({fmt_percent(decided / n)}), {fmt_int(f.loc[LOST, 'i_skedet'])} "
        f"har gått förlorade och {fmt_int(f.loc['lead', 'i_skedet'] + f.loc['dialog', 'i_skedet'])} är "
        f"fortfarande öppna. Av dem som nått dialog gick {fmt_percent(conv)} vidare till beslut. "
        "Förlorade projekt räknas som förlorade efter dialog, eftersom registret inte anger när de föll bort. "
        "Skedet är det projektet nått i dag, så en ny årgång har haft kortare tid att nå beslut."
    )


def months_note(period: Period) -> str:
    """'' for a full year, ' (januari–augusti varje år)' for a year to date."""
    if period.is_full_year:
        return ""
    months = "januari" if period.end_month == 1 else f"januari–{MONTHS_SV[period.end_month - 1]}"
    return f" ({months} varje år)"


def end_label(period: Period) -> str:
    """'2025' for a full year, 'augusti 2026' for a year to date."""
    return period.label if period.is_full_year else f"{MONTHS_SV[period.end_month - 1]} {period.year}"


def pipeline_text(summary: pd.Series, period: Period) -> str:
    """The pipeline open at the end of the period: count, value, share estimated."""
    if not summary["projekt"]:
        return f"Inga projekt var öppna (lead eller dialog) vid utgången av {end_label(period)}."
    total = summary["värde_msek"]
    text = (
        f"Vid utgången av {end_label(period)} var {fmt_int(summary['projekt'])} projekt öppna (lead eller dialog) "
        f"med ett sammanlagt angivet värde av {fmt_msek(total)}"
    )
    text += f", varav {fmt_percent(summary['uppskattat_msek'] / total)} uppskattningar." if total > 0 else "."
    if summary["utan_värde"]:
        text += f" {fmt_int(summary['utan_värde'])} öppna projekt saknar värde."
    return text + (
        " Pipelinen är möjliga, inte beslutade, investeringar och ingår inte i nyckelresultatet. "
        "Förlorade projekt räknas inte som öppna, eftersom registret inte anger när de föll bort."
    )


def lead_time_text(lt: pd.Series, label: str) -> str:
    """Median and quartiles of the lead time, with n."""
    n = int(lt["n"])
    if n == 0:
        return f"Inga projekt fick beslut under {label}, så ledtiden kan inte anges."
    months = lambda d: fmt_number(d / 30.44, 1)  # noqa: E731
    text = (
        f"För de {fmt_int(n)} projekt som fick beslut under {label} var tiden från första kontakt till "
        f"beslut i median {fmt_int(lt['median_dagar'])} dagar (cirka {months(lt['median_dagar'])} månader); "
        f"hälften låg mellan {fmt_int(lt['q1_dagar'])} och {fmt_int(lt['q3_dagar'])} dagar."
    )
    if n < 10:
        text += " Underlaget är litet, så medianen är osäker."
    return text


def training_text(count: int, target: float | None, label: str, uncovered: str | None = None) -> str:
    """Training efforts in the period, against the plan's target when it has one; or why the
    register cannot say (`uncovered`, okr.uncovered), never a count of 0."""
    if uncovered:
        return f"Antalet utbildningsinsatser kan inte bedömas: {uncovered}."
    goal = "" if target is None else f" Målet är minst {fmt_int(target)} per år."
    return (
        f"Under {label} genomfördes {count_text(count, 'utbildningsinsatser')} om investeringar och etableringar."
        f"{goal} Gemensamma workshops med kommunerna redovisas under samverkan och räknas inte här."
    )


def companies_text(count: int, target: float | None, label: str, unnamed: int, uncovered: str | None = None) -> str:
    """Strategic companies in dialogue, against the plan's target when it has one; or why the
    register cannot say (`uncovered`, okr.uncovered), never a count of 0."""
    if uncovered:
        return f"Antalet strategiskt viktiga företag i dialog kan inte bedömas: {uncovered}."
    goal = "" if target is None else f" Målet är minst {fmt_int(target)}."
    text = (
        f"Under {label} fördes dokumenterade dialoger med {fmt_int(count)} olika strategiskt viktiga "
        f"företag.{goal} Ett företag räknas en gång även om det haft flera dialoger."
    )
    if unnamed:
        text += f" {fmt_int(unnamed)} dialoger saknar företagsnamn och räknas inte."
    return text


def readiness_text(frame: pd.DataFrame, year: int) -> str:
    ready = frame[frame["beredskap"] == "ja"]
    not_ready = frame[frame["beredskap"] == "nej"]["kommun"].tolist()
    missing = frame[frame["beredskap"] == "uppgift saknas"]["kommun"].tolist()
    text = (
        f"{fmt_int(len(ready))} av {fmt_int(len(frame))} medlemskommuner har beredskap att ta emot och "
        f"svara på etableringsförfrågningar ({year})."
    )
    if not_ready:
        text += f" Beredskap saknas i {join_sv(not_ready)}."
    if missing:
        text += f" Uppgift saknas för {join_sv(missing)}."
    return text


def totals_alt_text(yearly: pd.DataFrame, what: str) -> str:
    if yearly.empty:
        return "Stapeldiagram utan data."
    peak = yearly.loc[yearly["värde_msek"].idxmax()]
    last = yearly.iloc[-1]
    return (
        f"Stapeldiagram över beslutat investeringsvärde {what} per år {int(yearly['år'].iloc[0])}–"
        f"{int(last['år'])}, uppdelat i bekräftade (fyllda) och uppskattade (streckade) belopp. "
        f"Högst var {int(peak['år'])} med {fmt_msek(peak['värde_msek'])}; senaste året "
        f"{fmt_msek(last['värde_msek'])}. Romber visar totalen utan årets största projekt."
    )


def distribution_alt_text(rows: pd.DataFrame) -> str:
    valued = rows[rows[VALUE] > 0]
    if valued.empty:
        return "Diagram utan data."
    return (
        f"Punkt- och lådagram på logaritmisk skala över {fmt_int(len(valued))} beslutade projekts värde per år. "
        f"Värdena går från {fmt_msek(valued[VALUE].min())} till {fmt_msek(valued[VALUE].max())}; "
        "fyllda punkter är bekräftade värden, ofyllda uppskattningar."
    )


def funnel_alt_text(current: pd.DataFrame, label: str) -> str:
    f = current.set_index("skede")
    parts = [f"{STAGE_LABELS[s].lower()} {fmt_int(f.loc[s, 'nått_minst'])}" for s in FUNNEL]
    return (
        f"Liggande staplar: antal projekt med första kontakt under {label} som nått minst varje skede: "
        f"{', '.join(parts)}; förlorade {fmt_int(f.loc[LOST, 'i_skedet'])}. Jämförelseårgången visas streckad."
    )


def assumptions(stage_log: bool | None = None) -> list[str]:
    """The choices behind the numbers, for the report's caveats; `stage_log` False adds that the
    register has no stage history (no_stage_log_text), None says nothing of it."""
    return [
        "En investering räknas som genomförd när projektet nått beslut eller etablering, och dateras med "
        "beslutsdatum. Registret visar det skede projektet nått i dag.",
        *([no_stage_log_text()] if stage_log is False else []),
        "Nyckelresultatet gäller de prioriterade målområdena i data/okr.toml; tabellerna visar alla målområden.",
        "Uppskattade värden redovisas skilt från bekräftade. Projekt utan värde ingår inte i summorna.",
        "Trattens skeden: ett projekt som nått ett senare skede har passerat de tidigare. Förlorade projekt "
        "räknas som förlorade efter dialog (de har nått lead och dialog men inte beslut), eftersom registret "
        "inte anger när de föll bort.",
        "Ledtid är dagar från första kontakt till beslutsdatum, för projekt med beslut under perioden.",
        "Utbildningsinsatser är aktiviteter av typen utbildning. Strategiska företag är olika företag med minst "
        "en dokumenterad företagsdialog under perioden. Beredskap gäller uppgiften i kommuntabellen för "
        "periodens år; en kommun utan uppgift räknas som inte redo.",
        "För en period del av året bedöms värdet, insatserna och företagen på en prognos för helåret. "
        "Investeringsvärdet: det som är beslutat hittills och de öppna projekten, vart och ett med den andel "
        "av de öppna projekten vid samma datum som fick beslut före årets slut under tidigare hela år; chansen "
        "att värdet blir högre än hela föregående år ger statusen (minst 50 % = på väg, annars risk, men tidigt "
        "på året aldrig risk). Förlorade projekt räknas inte med, eftersom registret inte anger "
        "när de föll bort; prognosen kan därför bli något för hög om öppna projekt senare går förlorade.",
        "Investeringsvärdet skrivs inte fram till planens sista år: ett års värde avgörs av enstaka stora beslut. "
        "Beredskapen anges en gång per år och får ingen prognos inom året; till planens sista år räknas den fram "
        "ur hur ofta kommuner har fått eller behållit beredskapen från ett år till nästa.",
    ]


def stage_changes_text(changes: pd.DataFrame, when: str = "sedan periodens slut") -> str:
    """'ändrat skede sedan periodens slut: Norrmyren Plast AB (231,1 MSEK, beslut 2025-08-09, dialog
    från 2026-06-09)'; '' without changes (investments.stages.changed_since)."""
    if changes.empty:
        return ""
    parts = []
    for r in changes.itertuples(index=False):
        value = f"{fmt_msek(getattr(r, VALUE))}, " if pd.notna(getattr(r, VALUE)) else ""
        since = f" från {r.ändrat:%Y-%m-%d}" if pd.notna(r.ändrat) else ""
        parts.append(f"{r.företag} ({value}{r.skede_då} {r.beslutsdatum:%Y-%m-%d}, {r.skede}{since})")
    return f"ändrat skede {when}: " + ", ".join(parts)


def no_stage_log_text() -> str:
    """The caveat where the register has no stage log."""
    return (
        "Investeringsregistret har ingen skedeshistorik (tabellen investeringar_skeden), så varje projekts "
        "nuvarande skede gäller också för tidigare perioder: ett projekt som beslutades och senare förlorades "
        "eller sköts upp räknas inte heller i äldre perioders siffror, och de kan skilja sig från det som "
        "rapporterades då."
    )


def stage_log_text(changed: int) -> str:
    """The note where the register has a stage log: what it changes, and how many projects."""
    which = (
        f"{fmt_int(changed)} projekt som räknades som beslutade i perioden eller jämförelseperioden har ändrat "
        "skede sedan dess och nämns i motiveringen för investeringsvärdet"
        if changed
        else "inget projekt som räknades som beslutat i perioden eller jämförelseperioden har ändrat skede sedan dess"
    )
    return (
        "Investeringsregistrets skedeshistorik (investeringar_skeden) visar när varje projekt bytte skede. "
        f"Värdet räknas på projektens skede i dag; {which}."
    )


# --- Forecasts --------------------------------------------------------------------------------


def _years_text(years) -> str:
    years = [int(y) for y in years]
    first, last = min(years), max(years)
    return str(first) if first == last else f"{first}–{last}"


def value_forecast_how(so_far: float, open_: pd.Series, rates: pd.DataFrame, date: str, unvalued: int = 0) -> str:
    """How I1's year-end forecast was made: decided so far, the open projects, the historical
    share decided before the year's end; the project that decides it when one is more than
    half of the open value. `open_` is a `concentration` of the open projects, `rates` the
    years used (`decision_rates`), `date` e.g. '31 augusti', `unvalued` open projects without
    a value."""
    shares = rates["andel"]
    if not open_["projekt"]:
        return (
            f"beslutat hittills {fmt_msek(so_far, 0)}; inga öppna projekt med angivet värde, "
            "så året slutar på det som redan är beslutat"
        )
    missing = f"; {fmt_int(unvalued)} öppna projekt utan värde räknas som 0" if unvalued else ""
    text = (
        f"beslutat hittills {fmt_msek(so_far, 0)} och de {_projects(open_['projekt'])} som är öppna "
        f"({fmt_msek(open_['total_msek'], 0)}{missing}), vart och ett med den chans som åren "
        f"{_years_text(rates['år'])} gav: i snitt {fmt_percent(shares.mean(), 0)} (mellan "
        f"{fmt_percent(shares.min(), 0)} och {fmt_percent(shares.max(), 0)}) av projekten som var öppna den {date} "
        "fick beslut före årets slut; förlorade projekt räknas inte, eftersom registret inte anger när de föll bort"
    )
    if decided_by_one(open_):
        text += (
            f"; ett enda öppet projekt, {open_['största_företag']} ({fmt_msek(open_['största_msek'], 0)}), är "
            f"{fmt_percent(open_['andel_största'], 0)} av det öppna värdet och avgör prognosen"
        )
    return text


def value_judgement_text(year_end, to_beat: float, previous_label: str, chance_word: str) -> str:
    """I1's part-year reason on its forecast: the year-end forecast with its interval against
    the previous year's total, the chance of beating it, and how it was made."""
    return (
        f"prognos för helåret {fmt_number(year_end.value, 0)} "
        f"({fmt_number(year_end.low, 0)}–{fmt_number(year_end.high, 0)}) MSEK mot {fmt_msek(to_beat, 0)} hela "
        f"{previous_label}, chans att öka: {fmt_percent(year_end.chance, 0)} ({chance_word}); {year_end.how}"
    )


def value_reached_text(value: float, to_beat: float, previous_label: str) -> str:
    """I1 in a part year when the value decided so far already beats the previous year's."""
    return (
        f"{fmt_msek(value, 0)} beslutat hittills, mer än hela {previous_label} ({fmt_msek(to_beat, 0)}); "
        "helårsmålet är redan nått"
    )


def project_share_detail(conc: pd.Series, label: str) -> str:
    """Page one's line naming the project that is more than half of a period's total."""
    return f"{conc['största_företag']} var {fmt_percent(conc['andel_största'])} av värdet {label}."


def open_project_detail(open_: pd.Series) -> str:
    """Page one's line when one open project is more than half of the open value."""
    return f"{open_['största_företag']} är {fmt_percent(open_['andel_största'], 0)} av de öppna projektens värde."


def plan_end_value_reason(totals: pd.DataFrame) -> str:
    """Why I1 has no forecast for the plan's last year; `totals` the complete years' totals
    (columns år, värde_msek), whose range is named when there are two or more."""
    reason = "ett års värde avgörs av enstaka stora beslut"
    if len(totals) >= 2:
        values = totals["värde_msek"]
        reason += f"; hela åren {_years_text(totals['år'])}: {fmt_number(values.min(), 0)}–{fmt_msek(values.max(), 0)}"
    return reason
