"""Swedish sentences generated from the numbers."""

from __future__ import annotations

import pandas as pd

from bro_analysis.analysis import forecast, okr
from bro_analysis.presentation.formatting import fmt_number, fmt_percent, fmt_signed, join_sv
from bro_analysis.presentation.vocabulary import CHANCE, MARGIN

from .numbers import (
    CHANGE_BREAK,
    CHANGE_DOWN,
    CHANGE_FIRST,
    CHANGE_NONE,
    CHANGE_UNKNOWN,
    CHANGE_UP,
    TOTAL,
    below_threshold,
    grade,
    latest_measurement,
    select,
    windows_agree,
)


def _below_text(below: pd.DataFrame, threshold: float, most: int = 5) -> str:
    if below.empty:
        return ""
    items = [f"{r.kommun} {r.område} {fmt_number(r.värde, 1)}" for r in below.head(most).itertuples()]
    more = f" och {len(below) - most} till" if len(below) > most else ""
    return f"; säkra kommunresultat under {fmt_number(threshold, 0)}: {', '.join(items)}{more}"


def below_count_text(count: int, threshold: float) -> str:
    """Page one's line on municipality × area results under the plan's limit."""
    if not count:
        return ""
    return f"{count} kommunresultat ligger under {fmt_number(threshold, 0)} (se avsnittet om NKI)"


def _period_note(period, year_m: int) -> str:
    if year_m == period.year:
        return f"mätår {year_m}"
    return (
        f"senaste publicerade mätår, {year_m}, eftersom Insikts resultat är årliga och perioden "
        f"{period.label} inte har något eget mätår"
    )


def chance_text(probability: float, points: int, settings: dict) -> str:
    """A trend model's chance of reaching the target in calibrated words ([prognos] in the
    settings); the percentage only from enough points to carry one ([nki])."""
    if pd.isna(probability):
        return "kan inte bedömas"
    word = forecast.chance_word(probability, forecast.rules(settings))
    if points >= int(settings["nki"].get("minsta_antal_mätår_sannolikhet", 6)):
        return f"{word} ({fmt_percent(probability, 0)})"
    return word


def county_text(county: pd.DataFrame, year: int, target: float) -> str:
    """Swedish sentences on the county mean against the target, from the numbers."""
    row = latest_measurement(county, year)
    if row is None:
        return f"Det finns inget NKI-resultat för mätår {year} eller tidigare."
    year_m = int(row["mätår"])
    value = row["medel"]
    verdict = "når" if value >= target else "når inte"
    text = (
        f"Mätår {year_m} var länets genomsnittliga NKI {fmt_number(value, 1)} "
        f"(medelvärdet av {int(row['antal_kommuner'])} kommuner) och {verdict} målet {fmt_number(target, 0)}."
    )
    earlier = county[county["mätår"] < year_m]
    if len(earlier):
        prev = earlier.iloc[-1]
        text += (
            f" Föregående mätning, {int(prev['mätår'])}, var genomsnittet {fmt_number(prev['medel'], 1)}, "
            f"en förändring med {fmt_signed(value - prev['medel'], 1)} enheter."
        )
    return text


def county_detail_text(table: pd.DataFrame, year: int, change: dict | None, level: float = 0.95) -> str:
    """Interval, weighted mean and significance of the county's change, from the numbers."""
    rows = table[table["mätår"] == year]
    if rows.empty:
        return ""
    row = rows.iloc[0]
    parts = []
    if pd.notna(row["ki_nedre"]):
        parts.append(
            f"Genomsnittets {MARGIN} är {fmt_number(row['ki_nedre'], 1)}–{fmt_number(row['ki_övre'], 1)}, "
            "eftersom bara en del av företagen svarar."
        )
    else:
        parts.append(f"Genomsnittets {MARGIN} kan inte beräknas, eftersom den saknas för någon kommun.")
    if pd.notna(row["viktat_medel"]):
        parts.append(
            f"Viktat med antalet svar ({fmt_number(row['antal_svar'], 0)} svar) blir länets NKI "
            f"{fmt_number(row['viktat_medel'], 1)}. De stora kommunerna väger då tyngre."
        )
    else:
        parts.append(
            "Ett genomsnitt viktat med antalet svar kan inte beräknas, eftersom antalet saknas för någon kommun."
        )
    if row["antal_utelämnade"]:
        parts.append(
            f"{int(row['antal_utelämnade'])} kommuners totalresultat bygger på färre svar än SKR:s minimum "
            "och ingår därför inte i genomsnittet, som SKR inte heller publicerar dem."
        )
    if change is not None:
        diff = fmt_signed(change["förändring"], 1)
        if change.get("definitionsbrott"):
            parts.append(
                f"Förändringen sedan {change['föregående_mätår']} ({diff}) prövas inte: SKR ändrade vad "
                f"totalen omfattar från mätår {change['definitionsbrott']}, så skillnaden kan bero på måttet."
            )
        elif pd.isna(change["p"]):
            parts.append(
                f"Förändringen sedan {change['föregående_mätår']} ({diff}) kan inte prövas statistiskt, "
                "eftersom osäkerheten inte är känd för båda åren."
            )
        elif change["p"] < 1 - level:  # the interval excludes 0 exactly when p < 1 - level
            parts.append(
                f"Förändringen sedan {change['föregående_mätår']} ({diff}) är större än slumpen förklarar "
                f"({MARGIN} {fmt_signed(change['ki_nedre'], 1)} till {fmt_signed(change['ki_övre'], 1)})."
            )
        else:
            parts.append(
                f"Förändringen sedan {change['föregående_mätår']} ({diff}) {CHANCE} "
                f"({MARGIN} {fmt_signed(change['ki_nedre'], 1)} till {fmt_signed(change['ki_övre'], 1)})."
            )
    return " ".join(parts)


def outcome_sentence(outcome: okr.Outcome, text: str) -> str:
    """One line for the answer-first list: the key result, its status and why."""
    return f"{outcome.id} – {text}: {outcome.status} ({outcome.reason})."


def bands_text(band_list: list[tuple[str, float]], s1_target: float, s2_target: float) -> str:
    """SKR's grading beside the plan's targets, stated plainly."""
    ordered = sorted(band_list, key=lambda b: b[1])
    parts = []
    for i, (name, low) in enumerate(ordered):
        high = ordered[i + 1][1] if i + 1 < len(ordered) else None
        if i == 0:
            parts.append(f"under {fmt_number(high, 0)} ”{name}”")
        elif high is None:
            parts.append(f"{fmt_number(low, 0)} och högre ”{name}”")
        else:
            parts.append(f"{fmt_number(low, 0)}–{fmt_number(high - 1, 0)} ”{name}”")
    s2_band = grade(s2_target, band_list)
    s1_band = grade(s1_target, band_list)
    return (
        f"SKR kallar NKI {join_sv(list(reversed(parts)))}. Planen kallar {fmt_number(s2_target, 0)} ”godkänt”, men "
        "planens "
        f"gräns {fmt_number(s2_target, 0)} är SKR:s gräns för ”{s2_band}”, och målet "
        f"{fmt_number(s1_target, 0)} för länets genomsnitt motsvarar ”{s1_band}”. SKR:s ”godkänt” "
        f"börjar redan vid {fmt_number(min(low for _, low in band_list if low > 0), 0)}."
    )


def areas_text(areas: pd.DataFrame, threshold: float, year: int) -> str:
    """Which areas' regional results are under the threshold."""
    if areas.empty:
        return f"Det finns inga områdesresultat för mätår {year}."
    judged = areas[areas["status"] != okr.UNKNOWN]
    low = judged[judged["medel"] < threshold].sort_values("medel")
    thin = areas[areas["status"] == okr.UNKNOWN]
    unknown = f" {join_sv(list(thin['område']))} kan inte bedömas: {'; '.join(thin['skäl'])}." if len(thin) else ""
    if judged.empty:
        return f"Mätår {year} kan inget myndighetsområde bedömas.{unknown}"
    if low.empty:
        worst = judged.loc[judged["medel"].idxmin()]
        return (
            f"Mätår {year} når regionens resultat minst {fmt_number(threshold, 0)} i "
            f"{'alla ' if thin.empty else ''}{len(judged)} myndighetsområden; lägst är {worst['område']} "
            f"med {fmt_number(worst['medel'], 1)}.{unknown}"
        )
    names = join_sv([f"{a} ({fmt_number(v, 1)})" for a, v in zip(low["område"], low["medel"])])
    return (
        f"Mätår {year} ligger regionens resultat under {fmt_number(threshold, 0)} i {len(low)} av {len(areas)} "
        f"myndighetsområden: {names}.{unknown}"
    )


def below_text(below: pd.DataFrame, threshold: float, year: int, reading: str) -> str:
    """The municipality × area results under the plan's limit, and whether the status rests on them."""
    rests = (
        "Nyckelresultatet bedöms på dem (planfilen anger läsningen ”varje kommun”)."
        if reading == "varje kommun"
        else "Nyckelresultatet bedöms på regionens resultat, men de visar var enskilda kommuner ligger under gränsen."
    )
    if below.empty:
        return f"Inget kommunresultat med tillräckligt många svar ligger under {fmt_number(threshold, 0)} mätår {year}."
    return (
        f"{len(below)} resultat för enskilda kommuner och områden med tillräckligt många svar ligger under "
        f"{fmt_number(threshold, 0)} mätår {year}. {rests}"
    )


def heatmap_text(table: pd.DataFrame, threshold: float, year: int) -> str:
    """What the heatmap shows, with counts."""
    areas = table[table["område"] != TOTAL]
    if areas.empty:
        return f"Det finns inga resultat per kommun och område för mätår {year}."
    below = below_threshold(table, threshold)
    firm_below = below[~below["osäker"]]
    return (
        f"Diagrammet visar {len(areas)} resultat per kommun och myndighetsområde för mätår {year}, och "
        f"kommunernas total i sista kolumnen. {len(below)} områdesresultat ligger under "
        f"{fmt_number(threshold, 0)}, varav {len(firm_below)} bygger på tillräckligt många svar. "
        f"{int(areas['osäker'].sum())} resultat har färre svar än minimum och är streckade; de ska inte "
        "läsas som säkra."
    )


def below_items(table: pd.DataFrame, threshold: float, level: float = 0.95) -> list[str]:
    """One line per municipality × area under the threshold."""
    items = []
    for _, r in below_threshold(table, threshold).iterrows():
        extra = f"; osäkert, {fmt_number(r['antal_svar'], 0)} svar" if r["osäker"] else ""
        interval = (
            f", {MARGIN} {fmt_number(r['ki_nedre'], 1)}–{fmt_number(r['ki_övre'], 1)}"
            if pd.notna(r["ki_nedre"])
            else ", intervall saknas"
        )
        items.append(f"{r['kommun']}, {r['område']}: {fmt_number(r['värde'], 1)}{interval}{extra}")
    return items


def changes_text(table: pd.DataFrame, year: int, break_year: int | None = None) -> str:
    """Summary of the municipalities' changes and how many are significant."""
    if table.empty:
        return f"Inga kommuner har resultat för mätår {year}."
    counts = table["bedömning"].value_counts()
    parts = [
        f"{int(counts.get(label, 0))} {word}"
        for label, word in (
            (CHANGE_UP, "med säkerställd ökning"),
            (CHANGE_DOWN, "med säkerställd minskning"),
            (CHANGE_NONE, "utan säkerställd förändring"),
            (CHANGE_UNKNOWN, "där det inte kan bedömas"),
            (CHANGE_BREAK, "som inte jämförs på grund av SKR:s nya total"),
            (CHANGE_FIRST, "utan tidigare mätning"),
        )
        if counts.get(label, 0)
    ]
    text = f"Av {len(table)} kommuner med resultat mätår {year} är det {join_sv(parts)}."
    if table["p_justerat"].notna().sum() > 1:
        text += (
            " Eftersom alla kommuner prövas samtidigt räknas en förändring som säkerställd först när den "
            "håller även efter justering för det (Holms metod); intervallen i tabellen gäller varje "
            "kommun för sig."
        )
    if counts.get(CHANGE_UNKNOWN, 0):
        text += (
            " Där konfidensintervall och antal svar med spridning saknas (till exempel data från Kolada, "
            "som bara har värden) går det inte att säga om förändringen är verklig eller slump."
        )
    if counts.get(CHANGE_BREAK, 0):
        text += (
            f" Totalen bytte innehåll från mätår {break_year}, så en skillnad mot {break_year - 1} kan bero på att "
            "andra områden ingår och inte på servicen."
            if break_year
            else " Totalen bytte innehåll mellan mätningarna, så en skillnad kan bero på att andra områden ingår "
            "och inte på servicen."
        )
    return text


def scope_text(scopes: pd.DataFrame, settings: dict) -> str:
    """Which areas the total covers, and the 2024 change."""
    first_new = int(settings["nki"]["ny_total_från_mätår"])
    mandatory = join_sv(list(settings["nki"]["obligatoriska_områden"]))
    text = (
        f"Från mätår {first_new} omfattar SKR:s totala NKI bara de obligatoriska områdena {mandatory}; "
        "brandskydd och markupplåtelse redovisas separat."
    )
    if not scopes.empty and scopes["mätår"].min() < first_new <= scopes["mätår"].max():
        text += (
            f" Totalen före och efter {first_new} mäter därför olika saker. Trenden nedan använder en "
            f"jämförbar serie: före {first_new} räknas totalen om från de obligatoriska områdena "
            "(viktat med antal svar)."
        )
    before = scopes[scopes["mätår"] < first_new]
    varying = before[before["antal_områden"] < before["antal_områden"].max()] if len(before) else before
    if len(varying):
        text += (
            f" Före {first_new} saknas några områden vissa år, så totalen omfattar färre områden: "
            + join_sv([f"{int(y)}: {int(n)} områden" for y, n in zip(varying["mätår"], varying["antal_områden"])])
            + "."
        )
    return text


def comparable_note(nki: pd.DataFrame, series: pd.DataFrame, settings: dict) -> str:
    """A sentence when SKR totals exist for years the comparable series lacks (no area results to rebuild them)."""
    first_new = int(settings["nki"]["ny_total_från_mätår"])
    totals = set(select(nki).dropna(subset=["värde"])["mätår"].astype(int))
    lacking = sorted(y for y in totals - set(series["mätår"].astype(int)) if y < first_new)
    if not lacking:
        return ""
    return (
        f"För {join_sv([str(y) for y in lacking])} saknas resultat för alla de obligatoriska områdena, så "
        f"SKR:s total kan inte räknas om till den nya definitionen och de åren ingår inte i trenden."
    )


def trend_series_note(nki: pd.DataFrame, series: pd.DataFrame, comparable: bool, settings: dict) -> str:
    """What the trend's series is (numbers.trend_series): the comparable total, or SKR's
    published total with the definition break said where the series crosses it."""
    if comparable:
        return comparable_note(nki, series, settings)
    first_new = int(settings["nki"]["ny_total_från_mätår"])
    years = series["mätår"]
    note = (
        "Resultat per område saknas för en del mätår (till exempel i data från Kolada), så trenden bygger på "
        "SKR:s publicerade total."
    )
    if len(years) and years.min() < first_new <= years.max():
        note += (
            f" Från mätår {first_new} omfattar totalen bara de obligatoriska områdena: serien har ett brott där, "
            "och trenden ska läsas med extra försiktighet."
        )
    return note


def thin_years_note(county: pd.DataFrame, minimum: int) -> str:
    """A caption sentence naming the mätår whose county mean rests on too few municipalities."""
    thin = county[county["antal_kommuner"] < minimum]
    if thin.empty:
        return ""
    years = join_sv([str(int(y)) for y in thin["mätår"]])
    return f" Ofyllda punkter ({years}) vilar på färre än {minimum} kommuner och bedöms inte."


def county_chance_text(
    county: pd.Series, target: float, settings: dict, sensitivity: pd.DataFrame | None = None
) -> str:
    """The sentence on the county trend's chance of reaching the target. When the fitting
    windows (window_sensitivity) give different calibrated words the chance is 'osäkert',
    as on page one (Forecast.disputed), and each window's answer is named."""
    points = int(county["antal_år"])
    chance = chance_text(county["sannolikhet_mål"], points, settings)
    if sensitivity is None or len(sensitivity) < 2:
        return f"Att nå minst {fmt_number(target, 0)} är enligt trendmodellen {chance}."
    others = join_sv(
        [
            f"med de {r['fönster']} mätåren {fmt_number(r['prognos'], 1)} "
            f"({chance_text(r['sannolikhet_mål'], int(r['antal_år']), settings)})"
            for _, r in sensitivity.iloc[1:].iterrows()
        ]
    )
    if windows_agree(sensitivity, forecast.rules(settings)):
        return (
            f"Att nå minst {fmt_number(target, 0)} är enligt trendmodellen {chance}, och linjen genom bara de "
            f"senaste åren ger samma bedömning: {others}."
        )
    return (
        f"Att nå minst {fmt_number(target, 0)} är enligt trendmodellen {forecast.UNSURE}, eftersom svaret beror på "
        f"vilka år linjen anpassas till: med alla {points} mätåren {chance}, {others}. Prognosen ska därför läsas "
        "med försiktighet."
    )


def trend_text(
    trend_rows: pd.DataFrame,
    target: float,
    target_year: int,
    note: str = "",
    settings: dict | None = None,
    sensitivity: pd.DataFrame | None = None,
) -> str:
    """The county's trend and forecast with its chance in calibrated words (the cautious
    'osäkert' when the fitting window changes the word, see county_chance_text), and how
    many municipalities are likely to reach the target at the current trend."""
    settings = settings or {"nki": {}}
    county = trend_rows[trend_rows["kommun"] == "Länet"].iloc[0]
    if pd.isna(county["lutning"]):
        text = f"Länets trend kan inte bedömas: {county['skäl']}."
    else:
        text = (
            f"Länets genomsnitt har förändrats med {fmt_signed(county['lutning'], 1)} enheter per år "
            f"({MARGIN} {fmt_signed(county['lutning_ki_nedre'], 1)} till "
            f"{fmt_signed(county['lutning_ki_övre'], 1)}) över {int(county['antal_år'])} mätår. "
            f"Fortsätter trenden blir det {fmt_number(county['prognos'], 1)} år {target_year} "
            f"({MARGIN} {fmt_number(county['prognos_ki_nedre'], 1)}–"
            f"{fmt_number(county['prognos_ki_övre'], 1)}). " + county_chance_text(county, target, settings, sensitivity)
        )
    munis = trend_rows[trend_rows["kommun"] != "Länet"]
    judged = munis[munis["sannolikhet_mål"].notna()]
    likely = judged[judged["sannolikhet_mål"] >= forecast.rules(settings).likely]
    text += (
        f" Av {len(munis)} kommuner kan trenden bedömas för {len(judged)}; av dem når {len(likely)} "
        f"troligt {fmt_number(target, 0)} år {target_year}."
    )
    if len(munis) > len(judged):
        text += " Övriga har för få mätår."
    if note:
        text += " " + note
    text += (
        " En prognos som bara förlänger en rak linje är osäker: den säger vad som händer om "
        "utvecklingen fortsätter som hittills, inte vad som kommer att hända."
    )
    return text


def _years_span(years: pd.Series) -> str:
    first, last = int(years.min()), int(years.max())
    return str(first) if first == last else f"{first}–{last}"


def _windows_how(sensitivity: pd.DataFrame, disputed: bool, what: str) -> str:
    """'83 % med alla mätår, 63 % med bara de senaste 4 mätåren och 23 % med bara de
    senaste 3 mätåren', and why the chance is said as 'osäkert' where the windows disagree."""
    first = sensitivity.iloc[0]
    windows = [f"{fmt_percent(first['sannolikhet_mål'], 0)} med alla mätår"] + [
        f"{fmt_percent(r['sannolikhet_mål'], 0)} med bara de {r['fönster']} mätåren"
        for _, r in sensitivity.iloc[1:].iterrows()
    ]
    text = join_sv(windows)
    if disputed:
        text += f"; eftersom svaret beror på vilka år {what} bygger på sägs chansen som ”{forecast.UNSURE}”"
    return text


def county_forecast_how(
    county: pd.DataFrame, sensitivity: pd.DataFrame, disputed: bool, target: float, year: int
) -> str:
    """How S1's forecast was made (Forecast.how): the straight line through the county
    series, the chance from every fitting window, and why the chance is said as 'osäkert'
    when the windows disagree (`disputed`)."""
    return (
        f"om trenden håller: en rak linje genom länets genomsnitt för mätåren {_years_span(county['mätår'])} "
        f"({len(county)} mätår) förlängd till {year}; chansen att nå minst {fmt_number(target, 0)} är "
        + _windows_how(sensitivity, disputed, "linjen")
    )


def areas_forecast_how(
    trends_by_area: pd.DataFrame, combined: dict, sensitivity: pd.DataFrame, disputed: bool, target: float, year: int
) -> str:
    """How S2's forecast was made: a straight line per myndighetsområde through the region's
    pooled results, the lowest area, the chance that every area reaches the limit as the
    product of the areas' chances (assuming the areas independent), and its fitting windows."""
    ordered = trends_by_area.sort_values("sannolikhet_mål")
    named = ordered[ordered["sannolikhet_mål"] < 0.95]
    chances = [f"{r['område']} {fmt_percent(r['sannolikhet_mål'], 0)}" for _, r in named.iterrows()]
    if len(named) < len(ordered):
        chances.append(f"{'övriga ' if chances else 'alla '}minst {fmt_percent(0.95, 0)}")
    return (
        "om trenderna håller: en rak linje per myndighetsområde genom regionens resultat (alla "
        f"medlemskommunernas svar sammanräknade) de mätår området kunde bedömas, förlängd till {year}; lägst blir "
        f"{combined['område']}. Chansen att alla {len(ordered)} områden når minst {fmt_number(target, 0)} är "
        f"produkten av varje områdes chans ({', '.join(chances)}), som om områdena vore oberoende av varandra "
        "(de brukar följas åt, så den kan vara något större): " + _windows_how(sensitivity, disputed, "linjerna")
    )


def forecast_sentence(
    prognosis: forecast.Forecast | None, target: float, settings: dict, subject: str, how: bool = True
) -> str:
    """A key result's forecast (the one page one shows) as a sentence for the NKI section,
    with the same calibrated word: 'Prognos för 2026: länets genomsnitt 79,3 …'; `how` adds
    how it was made."""
    if prognosis is None:
        return ""
    if not prognosis.made or prognosis.value is None:
        return f"Ingen prognos för {prognosis.year}: {prognosis.how}."
    word = prognosis.word(forecast.rules(settings)) or ""
    return (
        f"Prognos för {prognosis.year}: {subject} {fmt_number(prognosis.value, 1)} (prognosintervall "
        f"{fmt_number(prognosis.low, 1)}–{fmt_number(prognosis.high, 1)}); att nå minst {fmt_number(target, 0)} är "
        f"{word}." + (f" Så är den gjord: {prognosis.how}." if how else "")
    )


def factors_text(factors: pd.DataFrame) -> str:
    """Weakest factors and where the priority matrix points."""
    known = factors.dropna(subset=["betyg"]).sort_values("betyg")
    if known.empty:
        return "Servicefaktorer saknas för mätåret."
    weakest = join_sv([f"{r['faktor']} ({fmt_number(r['betyg'], 1)})" for _, r in known.head(2).iterrows()])
    best = known.iloc[-1]
    text = f"Svagast i länet är {weakest}; starkast är {best['faktor']} ({fmt_number(best['betyg'], 1)}). "
    prio = factors[factors["kvadrant"] == "prioritera"]
    if len(prio):
        text += (
            f"Prioritetsmatrisen pekar på {join_sv(list(prio['faktor']))}: lågt betyg och ett samband med NKI "
            "som är säkert starkare än genomsnittet, så förbättringar där bör ge mest. "
        )
    elif (factors["kvadrant"] == "kan inte rangordnas").all():
        text += (
            "Sambanden med NKI skiljer sig inte säkert åt mellan faktorerna, så prioritetsmatrisen pekar inte "
            "ut någon faktor. "
        )
    else:
        text += "Ingen faktor har både lägre betyg och säkert starkare samband än genomsnittet. "
    if factors["samband"].notna().any():
        spread = factors["samband"].max() - factors["samband"].min()
        text += (
            f"Sambanden ligger mellan {fmt_number(factors['samband'].min(), 2)} och "
            f"{fmt_number(factors['samband'].max(), 2)}"
        )
        overlaps = factors["samband_ki_nedre"].max() <= factors["samband_ki_övre"].min()
        text += (
            "; intervallen överlappar, så ordningen mellan faktorerna är osäker." if overlaps or spread < 0.1 else "."
        )
    return text


def national_text(table: pd.DataFrame, national: dict) -> str:
    """The county against the national median and the members' percentiles."""
    if not national:
        return "Nationella data (tabellen nki_riket) saknas, så länet kan inte jämföras med riket."
    ranked = table[table["rankas"]]
    above = ranked[ranked["värde"] > national["median"]]
    diff = national["länsmedel"] - national["median"]
    text = (
        f"Mätår {national['mätår']} var medianen för rikets {national['antal']} kommuner "
        f"{fmt_number(national['median'], 1)}. Länets genomsnitt, {fmt_number(national['länsmedel'], 1)}, "
        f"ligger {fmt_number(abs(diff), 1)} enheter {'över' if diff >= 0 else 'under'} medianen. "
        f"{len(above)} av {len(ranked)} rankade medlemskommuner ligger över rikets median."
    )
    if len(ranked):
        top, bottom = ranked.iloc[0], ranked.iloc[-1]
        text += (
            f" Högst placerad är {top['kommun']} (percentil {fmt_number(100 * top['percentil'], 0)}), "
            f"lägst {bottom['kommun']} (percentil {fmt_number(100 * bottom['percentil'], 0)})."
        )
    unranked = table[~table["rankas"]]
    if len(unranked):
        text += f" {join_sv(list(unranked['kommun']))} rankas inte, eftersom resultatet bygger på för få svar."
    return text


def _one(v) -> str:
    return fmt_number(v, 1)


def period_text(period, year_m: int | None) -> str:
    """Which mätår the report uses for the period, and why."""
    if year_m is None:
        return f"Det finns inget NKI-resultat för mätår {period.year} eller tidigare."
    if year_m == period.year:
        return f"Rapporten för {period.label} bygger på Insikts mätår {year_m}."
    return (
        f"Perioden är {period.label}. Insikts resultat är årliga och publiceras året efter mätåret, så "
        f"rapporten använder senaste publicerade mätår, {year_m}."
    )


def county_alt_text(table: pd.DataFrame, target: float, level: float = 0.95) -> str:
    """Alt text for the county-per-year figure."""
    if table.empty:
        return "Diagram utan data."
    first, last = table.iloc[0], table.iloc[-1]
    return (
        f"Linjediagram över länets genomsnittliga NKI per mätår {int(first['mätår'])}–{int(last['mätår'])}, "
        f"från {fmt_number(first['medel'], 1)} till {fmt_number(last['medel'], 1)}, med {MARGIN}, "
        f"medelvärdet viktat med antalet svar som streckad linje, varje kommun som tunn grå linje och målet "
        f"{fmt_number(target, 0)} som streckad vågrät linje."
    )


def forecast_alt_text(trend_rows: pd.DataFrame, target: float, target_year: int) -> str:
    """Alt text for the forecast figure."""
    county = trend_rows[trend_rows["kommun"] == "Länet"].iloc[0]
    if pd.isna(county["prognos"]):
        return f"Punktdiagram över länets jämförbara NKI-serie; trenden kan inte beräknas ({county['skäl']})."
    return (
        f"Punktdiagram över länets jämförbara NKI-serie med en rak trendlinje förlängd till {target_year}, "
        f"där den når {fmt_number(county['prognos'], 1)} (prognosintervall "
        f"{fmt_number(county['prognos_ki_nedre'], 1)}–{fmt_number(county['prognos_ki_övre'], 1)}). "
        f"Målet {fmt_number(target, 0)} är en streckad linje."
    )


def priority_alt_text(factors: pd.DataFrame) -> str:
    """Alt text for the priority matrix."""
    parts = [
        f"{r['faktor']} betyg {fmt_number(r['betyg'], 1)}, samband {fmt_number(r['samband'], 2)}"
        for _, r in factors.dropna(subset=["betyg", "samband"]).iterrows()
    ]
    return "Prioritetsmatris med sex servicefaktorer: " + "; ".join(parts) + "."


def national_alt_text(table: pd.DataFrame, national: dict) -> str:
    """Alt text for the national comparison."""
    return (
        f"Punktdiagram med medlemskommunernas NKI mätår {national['mätår']} mot rikets median "
        f"{fmt_number(national['median'], 1)} och mittersta hälften av rikets kommuner "
        f"({fmt_number(national['q1'], 1)}–{fmt_number(national['q3'], 1)}); länets genomsnitt "
        f"{fmt_number(national['länsmedel'], 1)}."
    )


def method_notes(settings: dict, has_intervals: bool) -> list[str]:
    """Caveats the reader must know, from the configuration."""
    s = settings["nki"]
    notes = [
        f"SKR visar ett resultat först vid minst {s['minsta_antal_svar']} svar ({s['minsta_antal_svar_område']} "
        f"per område i Öppna jämförelser, {s['minsta_antal_svar_rankning']} för totalrankningen). Resultat med "
        "färre svar visas här som osäkra och rangordnas aldrig.",
        f"Länets genomsnitt är kommunernas ovägda medelvärde, som nyckelresultatet är skrivet. Det bedöms bara "
        f"när minst {s['minsta_antal_kommuner']} kommuner har mätts samma år.",
        "Ett år utan mätning är en lucka i serien, aldrig noll.",
        f"Trender kräver minst {s.get('minsta_antal_mätår_trend', 3)} mätår och bygger på en rak linje "
        "som ligger så nära mätåren som möjligt (minsta kvadratmetoden). Prognosens osäkerhetsmarginal "
        "räknas från hur mycket mätåren avviker från linjen (t-fördelningen).",
    ]
    if not has_intervals:
        notes.append(
            "Osäkerhetsmarginaler saknas i underlaget (till exempel data från Kolada, som bara har värden). "
            "Därför går det inte att säga om en förändring kan bero på slumpen."
        )
    return notes
