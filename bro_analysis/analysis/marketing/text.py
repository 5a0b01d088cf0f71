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
from bro_analysis.presentation.vocabulary import CHANCE, MARGIN, target_pct, unit_word

from .numbers import ABOVE, BELOW, MASK, Comparison, Definitions, Span, has_cohorts, leads_needed, observed_until

MONTHS_SHORT_SV = ("jan", "feb", "mars", "apr", "maj", "juni", "juli", "aug", "sep", "okt", "nov", "dec")


def definitions_text(defs: Definitions) -> list[str]:
    """The definitions as Swedish sentences for the report."""
    window = (
        "Ett lead hör till den period då det kom in (kolumnen datum). Föregående år räknas över samma "
        "dagar som perioden: slutar periodens räknade leads till exempel 4 maj, räknas föregående år också till 4 maj"
    )
    if defs.maturation_days:
        window += (
            f"; leads från periodens sista {defs.maturation_days} dagar räknas inte, de har inte hunnit konvertera"
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
            "(logaritmmetoden). Statusen följer den uppmätta förändringen mot målet; omfattar intervallet "
            "målet kan skillnaden bero på slumpen, och statusen får tillägget ”osäkert”."
        ),
        (
            "Nyckelresultatet bedöms bara när intervallet för förändringen är så smalt att det säger något "
            f"om målet: den övre gränsen får vara högst {factor_text(defs.max_interval_ratio)} gånger den "
            f"nedre (vid 13 % konvertering krävs då omkring {fmt_int(leads_needed(defs))} leads per år). "
            f"Kanaler och arenor med färre än {defs.min_leads_channel} leads rangordnas inte."
        ),
        (
            "Arena: räknas när den har både skriftliga mål och gjord uppföljning. Uppföljningen har "
            f"{defs.follow_up_days} dagar på sig; har de inte gått ut när datan slutar står arenan som "
            "”uppföljning pågår” och räknas varken med eller som saknad."
        ),
        (
            "Prognos för arenorna: hittills i år plus så många som tidigare hela år fick till under resten av "
            "året. En arena vars uppföljning pågår räknas i prognosen med den andel av tidigare års arenor med mål "
            "som blev uppföljda; arenor senare i år som redan står i registret nämns men räknas inte in."
        ),
        (
            "Prognos för konverteringsgraden: årets värde om resten av året konverterar som de leads som hunnit "
            "räknas. Chansen att nå målet räknas på kvoten mot föregående år och anges bara när intervallet är "
            "smalt nog för att bedöma målet. Målet jämför varje år med året före, så planens sista år får ingen "
            "prognos förrän det året har börjat."
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


def pct_change(change: float, decimals: int = 1) -> str:
    """A relative change as '+19,2 %'."""
    if pd.isna(change):
        return "–"
    return f"{fmt_signed(100 * change, decimals)}{NBSP}%"


def date_text(date: pd.Timestamp, year: bool = True, short: bool = False) -> str:
    """'4 maj 2026'; '4 maj' without the year; '4 maj' and '1 jan' short."""
    month = (MONTHS_SHORT_SV if short else MONTHS_SV)[date.month - 1]
    return f"{date.day} {month}" + (f" {date.year}" if year else "")


def span_text(span: Span, year: bool = True, short: bool = False) -> str:
    """'1 januari–4 maj 2026' (the year once, at the end)."""
    first, last = span
    return f"{date_text(first, first.year != last.year and year, short)}–{date_text(last, year, short)}"


def cut_spans(cmp: Comparison, period: Period) -> tuple[Span, Span] | None:
    """The compared date ranges where they end before the period does (leads too young, or
    maturation days) and are not empty; None when the whole period is compared."""
    if cmp.span is None or cmp.previous_span is None:
        return None
    first, last = cmp.span
    return (cmp.span, cmp.previous_span) if first <= last < period.end else None


def compared_dates_text(cmp: Comparison) -> str:
    """'leads 1 januari–4 maj 2026 mot 1 januari–4 maj 2025 (samma uppföljningstid, 180 dagar)';
    '' without dates, or when no lead of the period has been followed long enough."""
    if cmp.span is None or cmp.previous_span is None or cmp.span[1] < cmp.span[0]:
        return ""
    follow = f" (samma uppföljningstid, {cmp.cohort_days} dagar)" if cmp.cohort_days else ""
    return f"leads {span_text(cmp.span)} mot {span_text(cmp.previous_span)}{follow}"


def left_out_text(cmp: Comparison) -> str:
    """'89 av periodens 229 leads (39 %) är för nya för att räknas'; '' when none is left out."""
    if not cmp.left_out:
        return ""
    share = fmt_number(100 * cmp.left_out / cmp.period_leads, 0)
    return (
        f"{fmt_int(cmp.left_out)} av periodens {fmt_int(cmp.period_leads)} leads ({share}{NBSP}%) "
        "är för nya för att räknas"
    )


def cut_line(cmp: Comparison, period: Period) -> str:
    """Page one's short line where the period is cut: 'Jämför 1 jan–4 maj i båda åren;
    89 leads är för nya för att räknas.' '' when the whole period is compared."""
    spans = cut_spans(cmp, period)
    if spans is None:
        return ""
    line = f"Jämför {span_text(spans[0], year=False, short=True)} i båda åren"
    if cmp.left_out:
        line += f"; {fmt_int(cmp.left_out)} leads är för nya för att räknas"
    return line + "."


def months_label(cmp: Comparison, period: Period) -> str:
    """What part of each year the per-year figure and table cover: '' for a whole year,
    'januari–augusti' for a whole part year, '1 januari–4 maj' when the period is cut."""
    spans = cut_spans(cmp, period)
    if spans is not None:
        return span_text(spans[0], year=False)
    return "" if period.is_full_year else period.label.rsplit(" ", 1)[0]


def factor_text(factor: float) -> str:
    """'3' or '2,5'."""
    return fmt_number(factor, 0 if float(factor).is_integer() else 1)


def width_text(cmp: Comparison, target: float) -> str:
    """Why the change cannot be judged: the interval is too wide (or there is none)."""
    low, high = cmp.ratio_interval
    goal = target_pct(target)
    if pd.isna(low) or pd.isna(high):
        return (
            "en av perioderna saknar konverteringar, så osäkerheten i förändringen kan inte beräknas; "
            f"för få konverteringar för att bedöma en förändring på {goal}"
        )
    return (
        f"{MARGIN}en för förändringen går från {pct_change(low - 1, 0)} till {pct_change(high - 1, 0)}, "
        f"mer än en faktor {factor_text(cmp.max_interval_ratio)}; "
        f"för få leads för att bedöma en förändring på {goal}"
    )


def rate_text(rate: float, converted: int, leads: int) -> str:
    """'14,3 % (52 av 364 leads)'."""
    if not leads:
        return "inga leads"
    return f"{fmt_percent(rate)} ({fmt_int(converted)} av {fmt_int(leads)} leads)"


def target_certainty_text(cmp: Comparison, target: float) -> str:
    """How certain it is that the target (+20 %) is reached, from the interval, in Swedish.
    Where the interval covers the target the status carries the qualifier 'osäkert'."""
    goal = target_pct(target)
    verdict = cmp.target_certainty(target)
    if not verdict:
        return "Hur säkert målet är kan inte bedömas eftersom en period saknar konverteringar."
    if verdict == ABOVE:
        return f"Hela {MARGIN}en ligger över målet {goal}, så målet är nått."
    if verdict == BELOW:
        return f"Hela {MARGIN}en ligger under målet {goal}, så målet är inte nått."
    return f"{MARGIN.capitalize()}en rymmer målet {goal}, så statusen är osäker. Skillnaden mot målet {CHANCE}."


def interval_text(cmp: Comparison) -> str:
    """The margin of the change, in plain Swedish (the method's level is in the appendix)."""
    low, high = cmp.ratio_interval
    if pd.isna(low):
        return "Osäkerheten i förändringen kan inte beräknas eftersom en period saknar konverteringar."
    return f"{MARGIN.capitalize()}en för förändringen går från {pct_change(low - 1)} till {pct_change(high - 1)}."


def comparison_text(cmp: Comparison, period: Period, target: float) -> str:
    """The key result in Swedish sentences, answer first, with the dates compared."""
    spans = cut_spans(cmp, period)
    now, before = (
        (f"under {period.label}", f"under {period.previous.label}")
        if spans is None
        else (f"för leads {span_text(spans[0])}", f"för leads {span_text(spans[1])}")
    )
    head = (
        f"Konverteringsgraden var {rate_text(cmp.rate, cmp.converted, cmp.leads)} {now}, "
        f"mot {rate_text(cmp.previous_rate, cmp.previous_converted, cmp.previous_leads)} {before}."
    )
    if cmp.cohort_days:
        head += f" Konvertering räknas inom {cmp.cohort_days} dagar från att leadet kom in, båda åren."
    if spans is not None:
        head += " Båda åren räknas till samma dag" + (
            ", så alla leads har följts lika länge." if cmp.cohort_days else "."
        )
    if cmp.left_out:
        left = left_out_text(cmp)
        head += f" {left[:1].upper()}{left[1:]} och är inte med."
    if not (cmp.leads and cmp.previous_leads):
        empty = "perioden" if not cmp.leads else "föregående år"
        return head + f" Det är för få leads för att bedöma målet: {empty} har inga leads att räkna."
    if pd.isna(cmp.ratio):
        return head + " Föregående period hade inga konverteringar, så förändringen i procent kan inte beräknas."
    if not cmp.enough:
        reason = width_text(cmp, target)
        return head + f" Målet kan inte bedömas. {reason[:1].upper()}{reason[1:]}."
    verdict = "når" if cmp.change >= target - 1e-12 else "når inte"
    return " ".join(
        [
            head,
            f"Förändringen är {pct_change(cmp.change)} och {verdict} målet {target_pct(target)}.",
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
        f"({MARGIN} {ci_text(best['ki_nedre'], best['ki_övre'])}), rangordnat efter "
        "marginalens nedre gräns så att en kanal med få leads inte hamnar först på en slump."
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
    """How many arenas met the requirement (against the plan's target when it has one), which
    still have their follow-up pending, and which lacked what."""
    met = int(table["uppfyller"].sum())
    goal = "" if target is None else f", mot målet minst {fmt_int(target)}"
    text = (
        f"Under {period.label} deltog BRO på {fmt_int(len(table))} nationella eller internationella arenor. "
        f"{fmt_int(met)} av dem hade både skriftliga mål och uppföljning{goal}."
    )
    pending = table[table["pågår"]]
    if len(pending):
        text += (
            " Uppföljning pågår (tiden för den har inte gått ut när datan slutar), så de räknas varken med "
            "eller som saknade: " + "; ".join(arena_label(r) for _, r in pending.iterrows()) + "."
        )
    missing = table[~table["uppfyller"] & ~table["pågår"]]
    if len(missing):
        text += " " + " ".join(f"{arena_label(r)} saknade {r['saknas']}." for _, r in missing.iterrows())
    return text


def support_text(table: pd.DataFrame, period: Period, uncovered: str | None = None) -> str:
    """How many members got marketing support, naming those that did not; or why the register
    cannot say (`uncovered`, okr.uncovered), never a count of 0."""
    if uncovered:
        return f"Marknadsföringsstödet kan inte bedömas: {uncovered}."
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
        f"Punktdiagram över konverteringsgraden per år med osäkerhetsmarginal som lodräta streck. "
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
    return f"Konverteringsgrad per {label} med osäkerhetsmarginal som vågräta streck. {items}."


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
    text += (
        " Föregående år räknas över samma dagar som perioden: leads från 1 januari till samma dag som "
        "periodens sista räknade lead, så att säsongen och uppföljningstiden är desamma båda åren."
    )
    if defs.maturation_days:
        text += f" Leads från de sista {defs.maturation_days} dagarna av varje period räknas inte av det skälet."
    return text


# --- forecasts ------------------------------------------------------------------------


def _arenas(n: int) -> str:
    return f"{fmt_int(n)} {'arena' if n == 1 else 'arenor'}"


def years_text(years) -> str:
    """'2019–2025', or '2025' for one year."""
    first, last = int(min(years)), int(max(years))
    return str(first) if first == last else f"{first}–{last}"


def pending_forecast_how(so_far: int, pending: int, followed: int, with_goals: int, history: pd.DataFrame) -> str:
    """How M1's year end was made when follow-ups are pending: so far, the pending arenas
    at the history's follow-up share, and what the complete years added after this date."""
    years = years_text(history["år"])
    rest = (history["helår"] - history["hittills"]).mean()
    share = (
        f"av arenorna med mål {years} följdes {fmt_percent(followed / with_goals, 0)} upp"
        if with_goals
        else f"de räknas inte, eftersom inga arenor {years} hade mål att jämföra med"
    )
    return (
        f"hittills {fmt_int(so_far)}; uppföljning pågår för {_arenas(pending)}, och {share}; därtill så många "
        f"som åren {years} la till under resten av året (i snitt {fmt_number(rest, 1)})"
    )


def later_arenas_text(later: pd.DataFrame, data_end: pd.Timestamp | None) -> str:
    """'2 arenor senare i år står redan i arenaregistret', or 'N planerade arenor återstår i år'
    when all lie after the data's end; '' without any. Said beside the forecast, not in it."""
    if later.empty:
        return ""
    if data_end is not None and bool((later["datum"] > data_end).all()):
        planned = "planerad arena återstår" if len(later) == 1 else "planerade arenor återstår"
        return f"{fmt_int(len(later))} {planned} i år"
    return f"{_arenas(len(later))} senare i år står redan i arenaregistret"


def conversion_forecast_how(cmp: Comparison, target: float, year: int) -> str:
    """How M2's year is forecast: the like-for-like rate of the leads counted so far, if the
    rest of the year converts alike, and the year's target rate."""
    span = f", {span_text(cmp.span)}" if cmp.span is not None and cmp.span[0] <= cmp.span[1] else ""
    text = (
        f"om resten av året konverterar som de leads som hunnit räknas ({fmt_int(cmp.converted)} av "
        f"{fmt_int(cmp.leads)}{span})"
    )
    if cmp.previous_leads:
        text += (
            f"; målet är {fmt_percent(cmp.previous_rate * (1 + target))}, {fmt_percent(cmp.previous_rate)} samma "
            f"dagar {year - 1} plus {fmt_number(100 * target, 0)}{NBSP}%"
        )
    return text


def conversion_chance_missing_text(cmp: Comparison, target: float) -> str:
    """Why M2's forecast has no chance of reaching the target in words."""
    if not cmp.previous_leads:
        return "hur troligt målet är går inte att säga: föregående år har inga leads att jämföra med"
    return "hur troligt målet är går inte att säga: " + width_text(cmp, target)


def conversion_plan_end_how(last_year: int) -> str:
    """Why M2 has no forecast for the plan's last year."""
    return (
        f"målet jämför {last_year} med {last_year - 1}; en förändring så långt fram går inte att förutse "
        "ur leadsregistret"
    )


def arenas_path_caption(period: Period, first_year: int, target: float, unit: str) -> str:
    """The caption of M1's year-to-date figure."""
    years = years_text(range(first_year, period.year))
    return (
        f"Arenor med mål och uppföljning hittills {period.year}, vid varje månads slut. Jämförelsen är "
        f"säsongstakten för ett år som når målet {fmt_number(target, 0)} {unit_word(target, unit)} "
        f"(så som arenorna {years} "
        "fördelade sig över året)."
    )
