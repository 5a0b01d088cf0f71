"""Seeded, deterministic example data for the BRO analysis workbook.

`write_example_data(out_dir, seed)` writes one CSV file per table in
`bro_analysis.input.contracts.TABLES` (nki.csv, nki_riket.csv, investeringar.csv,
investeringar_skeden.csv, leads.csv, arenor.csv, aktiviteter.csv, kommuner.csv,
kontext.csv) plus the marker file `EXEMPELDATA.txt` that makes every report say
"Exempeldata", and BRO's assessment
files `bedomningar/2025.md` and `bedomningar/2026-08.md` (example_assessments). `generate(seed)`
returns the same tables in memory and `scale(tables, factor)` multiplies the
row-heavy tables for benchmarks.

Everything is invented. Nothing here is a real result of BRO, SKR Insikt or
any company; company names are made up from fictitious place names.

Files are written the way Swedish analysts' Excel exports look: separator
';', decimal comma, dates YYYY-MM-DD, booleans 'ja'/'nej', UTF-8 with BOM,
'\\n' line endings, municipality names (not codes) in `kommun` columns.

Assumptions and shape of the data (so the analysis meets its edge cases):

* Period 2019-01-01 to 2026-10-31: 2026 is the year in progress and its data
  stops at DATA_END. NKI mätår runs 2019-2025 only (Insikt results for a
  mätår are published the following spring).
* kommuner: one row per year and member. Population is realistic and drifts
  slowly. Use of Syna and Objektvision grows over the years; in 2025-2026 one
  or two members still lack one of them. Etableringsberedskap is mostly 'ja'
  with one or two 'nej' in the latest years. Insikt is 'ja' exactly in the
  years a member has NKI results.
* nki: for every mätår, member, myndighetsområde and measure (NKI and six
  service factors). The county mean of the members' 'totalt' NKI drifts from
  about 70 (2019) to about 78 (2025): the plan's >= 80 is not met but some
  members exceed 80, and some areas are below 70. Responses scale with
  population, so small members have area results under SKR's minimum of 7.
  Service factor = area NKI + factor offset + noise (effektivitet and
  information weakest, bemötande strongest). 95 % intervals are
  value +- 1.96*18/sqrt(n), clipped to 0-100, and blank for mätår 2019-2020.
  Mätår 2020 lacks markupplåtelse and serveringstillstånd everywhere; some
  small members lack brandskydd some years; Lekeberg has no NKI before 2021.
  'totalt' is the response-weighted mean of the areas included (computed
  exactly from the rounded area values, half up to one decimal: see
  `weighted_mean_1dp`, so every machine writes the same digit): all measured
  areas up to 2023, from 2024 only bygglov, miljö- och hälsoskydd,
  livsmedelskontroll and serveringstillstånd (SKR's change).
* nki_riket: 'totalt'/NKI for 290 municipality codes (the 12 real member
  codes, with the same values as nki; the other codes are invented but
  plausible 4-digit codes per county), national median about 70-74.
* investeringar: 25-45 projects a year (fewer in 2026), members weighted by
  size, mostly in the prioritised target areas of data/okr.toml. Older
  projects are more often decided, established or lost. Values are lognormal
  (median about 20 MSEK) plus a few 1 000-5 000 MSEK projects; early leads
  sometimes have no value. beslutsdatum is set for every beslut/etablerad.
* investeringar_skeden: every project's stages from its first contact (lead) to
  its stage in investeringar; two projects decided in 2025 were lost and one put
  back in dialogue in 2026 (REVERSED_LOST, REVERSED_POSTPONED).
* leads: 250-400 a year with seasonality (few in July and late December),
  six channels with clearly different conversion rates (Partnerförmedlat
  best, LinkedIn-kampanj worst), overall 8-15 % varying by year. Leads from
  'Mässa' carry the arena name. Converted leads have a konverteringsdatum
  (median 45 days after the lead, a few beyond the 180-day cohort window).
  No personal data columns.
* arenor: 3-7 a year; some lack written goals or follow-up and the most
  recent ones (from August 2026) have no follow-up yet.
* aktiviteter: workshops, utbildning, samverkansprojekt (2+ members each),
  företagsdialog (10-20 distinct companies a year, some repeat) and
  marknadsföringsstöd (one member per row, not always all 12 a year). One
  title holds HTML special characters to exercise escaping.
* kontext: four context KPIs (CONTEXT_KPIS, the ids of data/settings.toml
  [kolada.kontext]) for the members, the county (0018) and the country (0000),
  2019 to the last year Kolada would have published (BRP two years behind,
  education one). Members lie below the country, larger members higher; the county
  is the members' population-weighted mean; the source column says the values are
  invented.

Randomness comes only from numpy's default_rng seeded with (seed, table
number); no dict/set ordering or current date is used, so the same seed gives
byte-identical files.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import math
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from bro_analysis.core.config import EXAMPLE_MARKER, load_plan
from bro_analysis.input.contracts import DECIDED_STAGES, NKI_AREAS, NKI_MEASURES, TABLES, Table
from bro_analysis.input.example_assessments import write_example_assessments

DEFAULT_SEED = 2026
FIRST_YEAR = 2019
LAST_YEAR = 2026
DATA_END = dt.date(2026, 10, 31)
NKI_LAST_YEAR = 2025
YEARS = tuple(range(FIRST_YEAR, LAST_YEAR + 1))
NKI_YEARS = tuple(range(FIRST_YEAR, NKI_LAST_YEAR + 1))

# Member name -> (population 31 Dec 2018, yearly relative change).
POPULATION = {
    "Örebro": (155_600, 0.0035),
    "Karlskoga": (30_200, -0.0005),
    "Lindesberg": (23_500, -0.0020),
    "Kumla": (21_700, 0.0060),
    "Hallsberg": (15_800, 0.0020),
    "Askersund": (11_400, -0.0015),
    "Nora": (10_600, -0.0010),
    "Degerfors": (9_700, -0.0045),
    "Lekeberg": (8_000, 0.0100),
    "Hällefors": (7_000, -0.0060),
    "Laxå": (5_750, -0.0050),
    "Ljusnarsberg": (4_950, -0.0070),
}

AREAS = tuple(a for a in NKI_AREAS if a != "totalt")
MANDATORY_FROM_2024 = ("bygglov", "miljö- och hälsoskydd", "livsmedelskontroll", "serveringstillstånd")
# Responses per 1 000 inhabitants and the area's level relative to the municipality.
AREA_RESPONSES = {
    "brandskydd": 0.60,
    "bygglov": 1.60,
    "livsmedelskontroll": 1.00,
    "markupplåtelse": 0.30,
    "miljö- och hälsoskydd": 1.30,
    "serveringstillstånd": 0.35,
}
AREA_EFFECT = {
    "brandskydd": 5.0,
    "bygglov": -4.5,
    "livsmedelskontroll": 3.0,
    "markupplåtelse": 1.0,
    "miljö- och hälsoskydd": -1.0,
    "serveringstillstånd": 4.0,
}
FACTOR_OFFSET = {
    "information": -4.0,
    "tillgänglighet": 0.5,
    "bemötande": 5.0,
    "kompetens": 3.0,
    "rättssäkerhet": 1.5,
    "effektivitet": -5.5,
}
NKI_COUNTY_MEAN_2019 = 70.2  # county mean of the members' totalt NKI
NKI_COUNTY_TREND = 1.25  # per year
NATIONAL_MEDIAN_2019 = 70.5
NATIONAL_TREND = 0.5
NKI_SD = 18.0  # individual answers' standard deviation on the 0-100 scale
NKI_YEARS_WITHOUT_CI = (2019, 2020)
# Of those, this year gives the responses' standard deviation instead (uncertainty from sd and n).
NKI_YEAR_WITH_SD = 2020

CHANNELS = ("LinkedIn-kampanj", "Webbplats", "Nyhetsbrev", "Mässa", "Partnerförmedlat", "Business Sweden")
CHANNEL_SHARE = (0.30, 0.22, 0.15, 0.13, 0.10, 0.10)
CHANNEL_CONVERSION = (0.03, 0.09, 0.06, 0.15, 0.28, 0.20)
YEAR_CONVERSION = {2019: 0.85, 2020: 0.78, 2021: 1.02, 2022: 1.06, 2023: 1.35, 2024: 1.22, 2025: 1.32, 2026: 1.40}
MONTH_WEIGHT = (1.0, 1.1, 1.2, 1.1, 1.1, 0.8, 0.25, 0.8, 1.3, 1.3, 1.1, 0.7)

TARGET_AREA_WEIGHT = {
    "logistik": 0.30,
    "industri": 0.27,
    "innovation och tech": 0.18,
    "handel och service": 0.08,
    "livsmedel": 0.07,
    "energi": 0.06,
    "övrigt": 0.04,
}
COMPANY_PREFIXES = (
    "Ekvreten",
    "Tallmoen",
    "Korpåsen",
    "Hjortmossen",
    "Blåtorpet",
    "Svartkärret",
    "Lönnhagen",
    "Granmyren",
    "Björkslätten",
    "Rävlyckan",
    "Stenvreten",
    "Ormbacken",
    "Videmossen",
    "Ugglebo",
    "Tranvreten",
    "Lodjursberg",
    "Kråkhyttan",
    "Näverlund",
    "Gruvmoen",
    "Malmvreten",
    "Kvarnmossen",
    "Slaggbacken",
    "Tjäderåsen",
    "Sälgdalen",
    "Rönnhyttan",
    "Norrmyren",
    "Vintervreten",
    "Smedjevreten",
    "Ljungmossen",
    "Hjälmarnäs",
)
COMPANY_SUFFIXES = {
    "logistik": ("Logistik AB", "Lager AB", "Terminal AB", "Transport AB"),
    "industri": ("Mekaniska AB", "Industri AB", "Gjuteri AB", "Komponent AB", "Plast AB"),
    "innovation och tech": ("Tech AB", "Data AB", "Systems AB", "Robotics AB"),
    "handel och service": ("Handel AB", "Service AB"),
    "livsmedel": ("Livs AB", "Mejeri AB", "Bageri AB"),
    "energi": ("Energi AB", "Solpark AB", "Vätgas AB"),
    "övrigt": ("Fastigheter AB", "Gruppen AB"),
}
DEFAULT_SUFFIXES = ("Gruppen AB", "Utveckling AB")
STRATEGIC_SUFFIXES = (
    "Industrier AB",
    "Verkstäder AB",
    "Logistik AB",
    "Foods AB",
    "Teknik AB",
    "Emballage AB",
    "Stål AB",
)
# Very large projects: (year, target area, company, value MSEK range).
MEGA_PROJECTS = (
    (2020, "logistik", "Hjälmarnäs Logistikcenter AB", (1_200, 2_000)),
    (2022, "industri", "Malmvreten Batteri AB", (1_500, 3_000)),
    (2024, "innovation och tech", "Korpåsen Datacenter AB", (3_500, 5_000)),
    (2025, "logistik", "Tranvreten Terminal AB", (1_000, 1_800)),
)
ORDINARY_MAX_MSEK = 800.0
STAGE_BY_AGE = (  # (max age in years, probabilities of INVESTMENT_STAGES)
    (0.5, (0.55, 0.35, 0.05, 0.00, 0.05)),
    (1.5, (0.20, 0.35, 0.17, 0.05, 0.23)),
    (3.0, (0.05, 0.20, 0.20, 0.20, 0.35)),
    (99.0, (0.02, 0.08, 0.15, 0.35, 0.40)),
)
ESTIMATE_SHARE = {"lead": 0.9, "dialog": 0.7, "beslut": 0.3, "etablerad": 0.1, "förlorad": 0.6}
JOBS_PER_MSEK = {
    "logistik": 0.5,
    "industri": 0.4,
    "innovation och tech": 0.5,
    "handel och service": 1.0,
    "livsmedel": 0.6,
    "energi": 0.05,
    "övrigt": 0.4,
}
ESTIMATE_SOURCE = "BRO:s uppskattning"
SOURCES = ("Företaget", "Kommunen", "Business Sweden", "Pressmeddelande", "Fastighetsägare", ESTIMATE_SOURCE)

# Arenas: name -> (type, month, day, years attended).
ARENAS = {
    "MIPIM": ("internationell", 3, 12, (2019, 2022, 2023, 2024, 2025, 2026)),
    "Hannover Messe": ("internationell", 4, 22, (2023, 2024, 2026)),
    "Transport Logistic": ("internationell", 6, 4, (2019, 2023, 2025)),
    "Almedalen": ("nationell", 6, 30, (2019, 2021, 2022, 2023, 2024, 2025, 2026)),
    "Logistikdagarna": ("nationell", 9, 10, YEARS),
    "Business Arena Stockholm": ("nationell", 9, 24, (2019, 2020, 2021, 2022, 2024, 2025)),
    "Expo Real": ("internationell", 10, 6, (2019, 2021, 2022, 2023, 2024, 2025, 2026)),
    "Elmia Subcontractor": ("nationell", 11, 12, (2019, 2020, 2022, 2023, 2025)),
}
NO_FOLLOW_UP_FROM = dt.date(2026, 8, 1)
HTML_TITLE = 'Workshop: "Bygglov & miljö" <steg 2>'
HTML_TITLE_YEAR = 2025
WORKSHOP_TITLES = (
    "Erfarenhetsutbyte bygglov",
    "Nätverksträff näringslivschefer",
    "Workshop Insikt-resultat",
    "Erfarenhetsutbyte servicegarantier",
    "Workshop företagslots",
    "Erfarenhetsutbyte livsmedelskontroll",
    "Workshop digital ärendehantering",
)
TRAINING_TITLES = (
    "Utbildning etableringsprocessen",
    "Att svara på etableringsförfrågningar",
    "Utbildning i Objektvision",
    "Mark och lokaler för etableringar",
    "Utbildning i Syna",
    "Investerardialog med Business Sweden",
    "Detaljplan och etablering",
)
COLLABORATION_TITLES = (
    "Gemensam företagslots",
    "Samordnad livsmedelskontroll",
    "Delad miljöinspektör",
    "Gemensam mark- och lokalbank",
    "Samordnad bygglovsrådgivning",
)
SUPPORT_TITLES = (
    "Marknadsföringsstöd investeringsprospekt",
    "Marknadsföringsstöd etableringsbroschyr",
    "Marknadsföringsstöd kampanj",
)

# Context KPIs (kontext.csv), as listed in data/settings.toml [kolada.kontext]: id ->
# (the country's value in FIRST_YEAR, its yearly change, the members' spread around the
# county by size (per unit of log population), noise, last year published, decimals).
CONTEXT_KPIS = {
    "N00999": (10.6, 0.12, 0.9, 0.35, 2025, 1),  # nystartade företag per 1 000 inv. 16–64 år
    "N00926": (1.05, 0.04, 0.08, 0.12, 2025, 2),  # företagskonkurser per 1 000 inv. 16–64 år
    "N03702": (505.0, 17.0, 60.0, 9.0, 2023, 0),  # BRP, 1 000 kr per invånare (two years behind)
    "N01982": (44.6, 0.55, 4.5, 0.3, 2024, 1),  # eftergymnasial utbildning 25–64 år, andel (%)
}
# The members' level relative to the country, per KPI (Örebro län lies below the country).
CONTEXT_COUNTY_RATIO = {"N00999": 0.78, "N00926": 0.82, "N03702": 0.78, "N01982": 0.80}
CONTEXT_COUNTY = "0018"
CONTEXT_COUNTRY = "0000"
CONTEXT_SOURCE = "Exempeldata (påhittat), inte hämtat från Kolada"

MARKER_TEXT = """\
EXEMPELDATA

Den här mappen innehåller påhittade exempeldata för Business Region Örebros
analysarbetsbok. Uppgifterna är inte verkliga resultat: NKI-värden, investeringar,
leads, arenor och aktiviteter är slumpade (med fast frö) så att analysen och
rapporterna kan köras och testas. Företagsnamnen är påhittade; likheter med
verkliga företag är oavsiktliga.

Filerna skapas av bro_analysis/input/example_data.py med `bro-analysis exempeldata`
eller `make example-data`. Redigera dem inte för hand – ändra generatorn och
skapa filerna på nytt. Rapporter som bygger på den här mappen märks "Exempeldata".
"""


# --- helpers -------------------------------------------------------------------


def _rng(seed: int, stream: int) -> np.random.Generator:
    return np.random.default_rng([seed, stream])


def _members() -> list[tuple[str, str]]:
    """(code, name) of the member municipalities, sorted by code."""
    return sorted(load_plan().members.items())


def _year_end(year: int) -> dt.date:
    return min(dt.date(year, 12, 31), DATA_END)


def _day_weights(year: int) -> tuple[list[dt.date], np.ndarray]:
    """Days of the year (up to DATA_END) and their relative activity."""
    days: list[dt.date] = []
    weights: list[float] = []
    day = dt.date(year, 1, 1)
    end = _year_end(year)
    while day <= end:
        w = MONTH_WEIGHT[day.month - 1]
        if day.month == 12 and day.day >= 20 or day.month == 1 and day.day <= 6:
            w *= 0.15
        if day.weekday() >= 5:
            w *= 0.2
        days.append(day)
        weights.append(w)
        day += dt.timedelta(days=1)
    relative = np.asarray(weights)
    return days, relative / relative.sum()


def _year_fraction(year: int) -> float:
    """Share of a normal year's activity that falls before DATA_END."""
    if year < DATA_END.year:
        return 1.0
    full = sum(MONTH_WEIGHT)
    return sum(MONTH_WEIGHT[: DATA_END.month]) / full


def _sample_dates(rng: np.random.Generator, year: int, n: int) -> list[dt.date]:
    days, p = _day_weights(year)
    idx = np.sort(rng.choice(len(days), size=n, p=p))
    return [days[i] for i in idx]


def _population(name: str, year: int, rng_noise: float) -> int:
    base, growth = POPULATION[name]
    return int(round(base * (1 + growth) ** (year - FIRST_YEAR) + rng_noise))


# --- tables --------------------------------------------------------------------


def _kommuner(seed: int) -> pd.DataFrame:
    rng = _rng(seed, 7)
    members = _members()
    names = [n for _, n in members]
    # Adoption years: most early, laggards fixed so 2025 still has gaps.
    syna = {n: int(rng.choice([2019, 2019, 2020, 2021, 2022, 2023])) for n in names}
    objekt = {n: int(rng.choice([2019, 2020, 2020, 2021, 2022, 2024])) for n in names}
    syna["Ljusnarsberg"] = 2026
    objekt["Laxå"] = 9999
    objekt["Degerfors"] = 2025
    ready = {n: int(rng.choice([2019, 2019, 2019, 2020, 2021])) for n in names}
    not_ready_from = {"Hällefors": 2025, "Ljusnarsberg": 2026}
    rows = []
    for year in YEARS:
        for _, name in members:
            noise = rng.normal(0, POPULATION[name][0] * 0.0008)
            rows.append(
                {
                    "år": year,
                    "kommun": name,
                    "folkmängd": _population(name, year, noise),
                    "insikt": not (name == "Lekeberg" and year < 2021),
                    "syna": year >= syna[name],
                    "objektvision": year >= objekt[name],
                    "etableringsberedskap": ready[name] <= year < not_ready_from.get(name, 9999),
                }
            )
    return pd.DataFrame(rows)


def weighted_mean_1dp(values: list[float], weights: list[int]) -> float:
    """The weighted mean of one-decimal values, rounded half up to one decimal, exactly.

    In floating point a mean that lies on a tie (74,85) comes out a hair above or
    below it depending on the CPU, BLAS and library versions, and so rounds either
    way; here the values are read as the decimals they are written as and the
    arithmetic is exact (fractions), so every machine gives the same digit.
    """
    mean = sum(Fraction(repr(v)) * w for v, w in zip(values, weights, strict=True)) / sum(weights)
    return math.floor(mean * 10 + Fraction(1, 2)) / 10  # values are 0–100: half up


def _nki(seed: int, kommuner: pd.DataFrame) -> pd.DataFrame:
    rng = _rng(seed, 1)
    members = _members()
    names = [n for _, n in members]
    draws = rng.normal(0, 3.2, len(names))
    muni_effect = dict(zip(names, draws - draws.mean()))
    muni_area = {(n, a): rng.normal(0, 2.5) for n in names for a in AREAS}
    pop = {(r.år, r.kommun): r.folkmängd for r in kommuner.itertuples()}
    rows = []
    for year in NKI_YEARS:
        target = NKI_COUNTY_MEAN_2019 + NKI_COUNTY_TREND * (year - FIRST_YEAR) + rng.normal(0, 0.4)
        raw: dict[str, dict[str, dict[str, tuple[float, int]]]] = {}
        included: dict[str, list[str]] = {}
        for _, name in members:
            if name == "Lekeberg" and year < 2021:
                continue
            level = target + muni_effect[name] + rng.normal(0, 1.2)
            areas = list(AREAS)
            if year == 2020:
                areas = [a for a in areas if a not in ("markupplåtelse", "serveringstillstånd")]
            if (name in ("Ljusnarsberg", "Laxå") and year <= 2021) or (name == "Hällefors" and year == 2022):
                areas.remove("brandskydd")
            results: dict[str, dict[str, tuple[float, int]]] = {}
            for area in areas:
                expected = 3.0 + AREA_RESPONSES[area] * pop[(year, name)] / 1000
                n = max(2, int(rng.poisson(expected)))
                sampling = NKI_SD / math.sqrt(n)
                nki = level + AREA_EFFECT[area] + muni_area[(name, area)] + rng.normal(0, min(sampling, 6.0))
                results[area] = {"NKI": (nki, n)}
                for factor, offset in FACTOR_OFFSET.items():
                    n_f = n - int(rng.binomial(n, 0.04))
                    value = nki + offset + rng.normal(0, 1.8) + rng.normal(0, min(0.5 * sampling, 4.0))
                    results[area][factor] = (value, max(n_f, 1))
            raw[name] = results
            included[name] = [a for a in areas if year < 2024 or a in MANDATORY_FROM_2024]
        # Shift the whole year so the county mean of 'totalt' NKI hits the target.
        means = [
            np.average([raw[m][a]["NKI"][0] for a in included[m]], weights=[raw[m][a]["NKI"][1] for a in included[m]])
            for m in raw
        ]
        shift = target - float(np.mean(means))
        for name, results in raw.items():
            rounded = {
                area: {
                    measure: (round(float(np.clip(v + shift, 0, 100)), 1), n) for measure, (v, n) in by_measure.items()
                }
                for area, by_measure in results.items()
            }
            total = {}
            for measure in NKI_MEASURES:
                ns = [rounded[a][measure][1] for a in included[name]]
                vs = [rounded[a][measure][0] for a in included[name]]
                total[measure] = (weighted_mean_1dp(vs, ns), sum(ns))
            rounded["totalt"] = total
            for area in NKI_AREAS:
                if area not in rounded:
                    continue
                for measure in NKI_MEASURES:
                    value, n = rounded[area][measure]
                    lo = hi = sd = np.nan
                    if year not in NKI_YEARS_WITHOUT_CI:
                        half = 1.96 * NKI_SD / math.sqrt(n)
                        lo = round(max(0.0, value - half), 1)
                        hi = round(min(100.0, value + half), 1)
                    elif year == NKI_YEAR_WITH_SD:
                        sd = NKI_SD  # no interval, but the spread: the other route to uncertainty
                    rows.append(
                        {
                            "mätår": year,
                            "kommun": name,
                            "område": area,
                            "mått": measure,
                            "värde": value,
                            "antal_svar": n,
                            "ki_nedre": lo,
                            "ki_övre": hi,
                            "standardavvikelse": sd,
                        }
                    )
    return pd.DataFrame(rows)


def _national_codes(rng: np.random.Generator, member_codes: list[str]) -> list[str]:
    """290 unique 4-digit codes: real member codes plus invented ones per county."""
    counties = {
        "01": 26,
        "03": 8,
        "04": 9,
        "05": 13,
        "06": 13,
        "07": 8,
        "08": 12,
        "10": 5,
        "12": 33,
        "13": 6,
        "14": 49,
        "17": 16,
        "19": 10,
        "20": 15,
        "21": 10,
        "22": 7,
        "23": 8,
        "24": 15,
        "25": 14,
    }
    codes = list(member_codes) + ["0980"]
    for county, count in counties.items():
        suffixes = np.sort(rng.choice(np.arange(14, 99), size=count, replace=False))
        codes += [f"{county}{s:02d}" for s in suffixes]
    return sorted(codes)


def _nki_riket(seed: int, nki: pd.DataFrame) -> pd.DataFrame:
    rng = _rng(seed, 2)
    members = dict((n, c) for c, n in _members())
    codes = _national_codes(rng, sorted(members.values()))
    total = nki[(nki["område"] == "totalt") & (nki["mått"] == "NKI")]
    own = {(r.mätår, members[r.kommun]): (r.värde, r.antal_svar) for r in total.itertuples()}
    draws = rng.normal(0, 4.5, len(codes))
    effect = dict(zip(codes, draws - np.median(draws)))
    size = {c: float(rng.lognormal(math.log(140), 0.9)) for c in codes}
    rows = []
    for year in NKI_YEARS:
        trend = NATIONAL_MEDIAN_2019 + NATIONAL_TREND * (year - FIRST_YEAR)
        for code in codes:
            if code in members.values():
                if (year, code) in own:
                    value, n = own[(year, code)]
                    rows.append(
                        {
                            "mätår": year,
                            "kommunkod": code,
                            "område": "totalt",
                            "mått": "NKI",
                            "värde": value,
                            "antal_svar": n,
                        }
                    )
                continue
            if rng.random() < 0.06:  # not every municipality takes part every year
                continue
            n = max(8, int(rng.poisson(size[code])))
            value = trend + effect[code] + rng.normal(0, 2.0) + rng.normal(0, NKI_SD / math.sqrt(n) * 0.5)
            rows.append(
                {
                    "mätår": year,
                    "kommunkod": code,
                    "område": "totalt",
                    "mått": "NKI",
                    "värde": round(float(np.clip(value, 0, 100)), 1),
                    "antal_svar": n,
                }
            )
    return pd.DataFrame(rows)


def _investeringar(seed: int, kommuner: pd.DataFrame) -> pd.DataFrame:
    rng = _rng(seed, 3)
    plan = load_plan()
    areas = list(plan.target_areas)
    weights = np.array([TARGET_AREA_WEIGHT.get(a, 0.03) for a in areas])
    weights /= weights.sum()
    members = [n for _, n in _members()]
    rows = []
    for year in YEARS:
        pops = kommuner[kommuner["år"] == year].set_index("kommun")["folkmängd"]
        mw = np.array([pops[n] ** 0.85 for n in members], dtype=float)
        mw /= mw.sum()
        n = int(round(rng.integers(25, 46) * _year_fraction(year)))
        dates = _sample_dates(rng, year, n)
        year_rows: list[dict[str, Any]] = []
        for first in dates:
            area = areas[rng.choice(len(areas), p=weights)]
            kommun = members[rng.choice(len(members), p=mw)]
            suffixes = COMPANY_SUFFIXES.get(area, DEFAULT_SUFFIXES)
            company = f"{COMPANY_PREFIXES[rng.integers(len(COMPANY_PREFIXES))]} {suffixes[rng.integers(len(suffixes))]}"
            age = (DATA_END - first).days / 365.25
            probs = next(p for limit, p in STAGE_BY_AGE if age < limit)
            stage = ("lead", "dialog", "beslut", "etablerad", "förlorad")[rng.choice(5, p=probs)]
            value = float(rng.lognormal(math.log(20), 1.3))
            while value > ORDINARY_MAX_MSEK:  # only the MEGA_PROJECTS go above
                value = float(rng.lognormal(math.log(20), 1.3))
            year_rows.append(
                dict(företag=company, kommun=kommun, målområde=area, skede=stage, värde=value, första_kontakt=first)
            )
        for mega_year, area, company, (low, high) in MEGA_PROJECTS:
            if mega_year == year and area in areas and year_rows:
                row = year_rows[int(rng.integers(len(year_rows)))]
                row.update(
                    företag=company,
                    målområde=area,
                    värde=float(rng.uniform(low, high)),
                    kommun=("Örebro", "Hallsberg", "Kumla")[int(rng.integers(3))],
                    skede=("beslut", "etablerad", "dialog")[int(rng.integers(3))] if year < 2025 else "dialog",
                )
        for i, row in enumerate(year_rows, start=1):
            first, stage = row["första_kontakt"], row["skede"]
            room = (DATA_END - first).days
            decided = None
            if stage in DECIDED_STAGES and (room < 30 or (stage == "etablerad" and room < 200)):
                stage = "dialog" if room < 30 else "beslut"
            if stage in DECIDED_STAGES:
                lead_days = int(rng.lognormal(math.log(270), 0.6))
                upper = room - (180 if stage == "etablerad" else 1)
                decided = first + dt.timedelta(days=int(min(max(lead_days, 21), upper)))
            value = row["värde"]
            if stage == "lead" and rng.random() < 0.4 or stage == "dialog" and rng.random() < 0.1:
                value = np.nan
            jobs = np.nan
            if not np.isnan(value) and rng.random() < 0.9:
                per = JOBS_PER_MSEK.get(row["målområde"], 0.4)
                if "Datacenter" in row["företag"]:
                    per = 0.02
                jobs = int(round(value * per * rng.lognormal(0, 0.5)))
            estimate = bool(not np.isnan(value) and rng.random() < ESTIMATE_SHARE[stage])
            source = SOURCES[int(rng.integers(len(SOURCES)))] if rng.random() < 0.93 else ""
            rows.append(
                {
                    "id": f"INV-{year}-{i:03d}",
                    "företag": row["företag"],
                    "kommun": row["kommun"],
                    "målområde": row["målområde"],
                    "skede": stage,
                    "investeringsvärde_msek": round(value, 1) if not np.isnan(value) else np.nan,
                    "arbetstillfällen": jobs,
                    "första_kontakt": pd.Timestamp(first),
                    "beslutsdatum": pd.Timestamp(decided) if decided else pd.NaT,
                    "uppskattat_värde": estimate,
                    "källa": source,
                }
            )
    frame = pd.DataFrame(rows)
    # A source that says "estimate" goes with an estimated value, except in one record, left
    # as an analyst might type it, so that validate's warning has a case to find.
    said = (frame["källa"] == ESTIMATE_SOURCE) & ~frame["uppskattat_värde"]
    frame.loc[said & (said.cumsum() > 1), "källa"] = SOURCES[0]
    frame["arbetstillfällen"] = frame["arbetstillfällen"].astype("Int64")
    return frame


# Projects decided in 2025 and no longer decided in 2026 (the stage log's changes of mind):
# this many lost, and this many postponed (back in dialogue), each the earliest in the plan's
# prioritised areas first contacted in the first half of 2025 at that stage today.
REVERSED_LOST, REVERSED_POSTPONED = 2, 1


def _stage_day(rng: np.random.Generator, after: dt.date, before: dt.date, median: int) -> dt.date:
    """A day strictly between `after` and `before` (`before` itself where they are one day
    apart or less), about `median` days after `after`."""
    room = (before - after).days
    if room <= 1:
        return before
    return after + dt.timedelta(days=int(min(max(rng.lognormal(math.log(median), 0.6), 1), room - 1)))


def _reversed_projects(investeringar: pd.DataFrame) -> tuple[set, set]:
    """The ids of the projects decided in 2025 and later lost, and later postponed."""
    areas = set(load_plan().priority_areas)
    first = investeringar["första_kontakt"]
    early = investeringar[(first >= "2025-01-01") & (first < "2025-07-01") & investeringar["målområde"].isin(areas)]
    early = early.sort_values(["första_kontakt", "id"])
    lost = early.loc[early["skede"] == "förlorad", "id"].head(REVERSED_LOST)
    postponed = early.loc[early["skede"] == "dialog", "id"].head(REVERSED_POSTPONED)
    return set(lost), set(postponed)


def _investeringar_skeden(seed: int, investeringar: pd.DataFrame) -> pd.DataFrame:
    """The register's stage log, consistent with `investeringar`: every project a lead on its
    first contact, then in dialogue, decided on its beslutsdatum, established some months
    later or lost, ending at its stage in the register. The _reversed_projects were decided in
    2025 (without a beslutsdatum today: they are no longer decided) and lost or back in
    dialogue in 2026."""
    rng = _rng(seed, 10)
    lost, postponed = _reversed_projects(investeringar)
    rows = []
    for project in investeringar.itertuples(index=False):
        pid, stage = project.id, project.skede
        first = project.första_kontakt.date()
        decided = project.beslutsdatum.date() if pd.notna(project.beslutsdatum) else None
        end = decided or DATA_END
        entries = [("lead", first)]
        if stage != "lead":
            entries.append(("dialog", _stage_day(rng, first, end, 30)))
        if pid in lost or pid in postponed:
            made = _stage_day(rng, entries[-1][1], dt.date(2025, 12, 20), 120)
            entries += [("beslut", made), (stage, _stage_day(rng, dt.date(2026, 1, 15), dt.date(2026, 6, 30), 60))]
        elif decided is not None:
            entries.append(("beslut", decided))
            if stage == "etablerad":
                entries.append(("etablerad", _stage_day(rng, decided + dt.timedelta(days=90), DATA_END, 200)))
        elif stage == "förlorad":
            entries.append(("förlorad", _stage_day(rng, entries[-1][1], DATA_END, 120)))
        days = [day for _, day in entries]
        if len(set(days)) < len(days):  # no room for a stage of its own: the project starts later on
            entries = [e for i, e in enumerate(entries) if i + 1 == len(entries) or e[1] != entries[i + 1][1]]
        rows += [{"id": pid, "skede": s, "datum": pd.Timestamp(day)} for s, day in entries]
    return pd.DataFrame(rows)


def _arenor(seed: int) -> pd.DataFrame:
    rng = _rng(seed, 5)
    rows = []
    for year in YEARS:
        for name, (kind, month, day, years) in ARENAS.items():
            if year not in years:
                continue
            date = dt.date(year, month, day) + dt.timedelta(days=int(rng.integers(-4, 5)))
            if date > DATA_END:
                continue
            goal_share = 0.5 if year <= 2022 else 0.85
            goals = bool(rng.random() < goal_share)
            follow = bool(rng.random() < (0.85 if goals else 0.4)) and date < NO_FOLLOW_UP_FROM
            rows.append(
                {
                    "namn": name,
                    "typ": kind,
                    "datum": pd.Timestamp(date),
                    "mål_formulerade": goals,
                    "uppföljning_gjord": follow,
                }
            )
    return pd.DataFrame(rows).sort_values(["datum", "namn"], kind="stable").reset_index(drop=True)


def _leads(seed: int, arenor: pd.DataFrame) -> pd.DataFrame:
    rng = _rng(seed, 4)
    rows = []
    for year in YEARS:
        n = int(round(rng.integers(250, 401) * _year_fraction(year)))
        # Channel counts follow the shares exactly (largest remainder), in random order.
        exact = np.asarray(CHANNEL_SHARE) * n
        counts = np.floor(exact).astype(int)
        counts[np.argsort(-(exact - counts), kind="stable")[: n - counts.sum()]] += 1
        channel = rng.permutation(np.repeat(np.arange(len(CHANNELS)), counts))
        dates = _sample_dates(rng, year, n)
        rng.shuffle(dates)
        fairs = arenor[arenor["datum"].dt.year == year]
        arena = [""] * n
        for i in range(n):
            if CHANNELS[channel[i]] == "Mässa" and len(fairs):
                fair = fairs.iloc[int(rng.integers(len(fairs)))]
                day = fair["datum"].date() + dt.timedelta(days=int(rng.integers(0, 15)))
                dates[i] = min(day, DATA_END)
                arena[i] = fair["namn"]
            elif CHANNELS[channel[i]] == "LinkedIn-kampanj" and len(fairs) and rng.random() < 0.1:
                fair = fairs.iloc[int(rng.integers(len(fairs)))]
                dates[i] = min(fair["datum"].date() + dt.timedelta(days=int(rng.integers(-14, 8))), DATA_END)
                arena[i] = fair["namn"]
        stage = np.array(["lead"] * n, dtype=object)
        for c, rate in enumerate(CHANNEL_CONVERSION):
            idx = np.flatnonzero(channel == c)
            k = int(round(len(idx) * rate * YEAR_CONVERSION[year]))
            converted = rng.choice(idx, size=min(k, len(idx)), replace=False)
            stage[converted] = "konverterad"
        rest = np.flatnonzero(stage == "lead")
        qualified = rest[rng.random(len(rest)) < 0.22]
        stage[qualified] = "kvalificerad"
        order = sorted(range(n), key=lambda i: (dates[i], i))
        for number, i in enumerate(order, start=1):
            rows.append(
                {
                    "id": f"L-{year}-{number:04d}",
                    "datum": pd.Timestamp(dates[i]),
                    "kanal": CHANNELS[channel[i]],
                    "arena": arena[i],
                    "steg": stage[i],
                }
            )
    return _conversion_dates(seed, pd.DataFrame(rows))


def _conversion_dates(seed: int, leads: pd.DataFrame) -> pd.DataFrame:
    """A conversion date for every converted lead: a lognormal lag (median 45 days, so
    a few take longer than the 180-day cohort window) after the lead, never after
    DATA_END. Its own random stream, so the other columns stay as they were."""
    rng = _rng(seed, 8)
    converted = leads["steg"] == "konverterad"
    lag = np.maximum(1, np.round(rng.lognormal(math.log(45), 0.8, int(converted.sum())))).astype(int)
    dates = leads.loc[converted, "datum"] + pd.to_timedelta(lag, unit="D")
    out = leads.copy()
    out["konverteringsdatum"] = pd.NaT
    out.loc[converted, "konverteringsdatum"] = dates.clip(upper=pd.Timestamp(DATA_END))
    return out


def _strategic_companies(rng: np.random.Generator, members: list[str]) -> list[tuple[str, str]]:
    combos = [(p, s) for p in COMPANY_PREFIXES for s in STRATEGIC_SUFFIXES]
    picked = rng.choice(len(combos), size=32, replace=False)
    weights = np.array([POPULATION[m][0] ** 0.7 for m in members])
    weights /= weights.sum()
    return [(f"{combos[i][0]} {combos[i][1]}", members[rng.choice(len(members), p=weights)]) for i in picked]


def _aktiviteter(seed: int) -> pd.DataFrame:
    rng = _rng(seed, 6)
    members = [n for _, n in _members()]
    companies = _strategic_companies(rng, members)
    rows = []

    def subset(low: int, high: int) -> str:
        k = int(rng.integers(low, high + 1))
        chosen = sorted(rng.choice(len(members), size=k, replace=False))
        return "; ".join(members[i] for i in chosen)

    for year in YEARS:
        items = []
        for _ in range(int(rng.integers(2, 7))):
            title = WORKSHOP_TITLES[int(rng.integers(len(WORKSHOP_TITLES)))]
            items.append(("workshop", title, "alla" if rng.random() < 0.5 else subset(3, 9), ""))
        if year == HTML_TITLE_YEAR:
            items[0] = ("workshop", HTML_TITLE, items[0][2], "")
        for _ in range(int(rng.integers(3, 9))):
            title = TRAINING_TITLES[int(rng.integers(len(TRAINING_TITLES)))]
            items.append(("utbildning", title, "alla" if rng.random() < 0.4 else subset(2, 8), ""))
        for _ in range(int(rng.integers(1, 5))):
            title = COLLABORATION_TITLES[int(rng.integers(len(COLLABORATION_TITLES)))]
            items.append(("samverkansprojekt", title, subset(2, 4), ""))
        distinct = int(rng.integers(10, 21))
        chosen = [companies[i] for i in rng.choice(len(companies), size=distinct, replace=False)]
        dialogs = chosen + [chosen[i] for i in rng.integers(0, distinct, size=int(rng.integers(0, 6)))]
        for company, home in dialogs:
            items.append(("företagsdialog", f"Strategisk dialog med {company}", home, company))
        supported = 12 if rng.random() < 0.4 else int(rng.integers(9, 12))
        for i in sorted(rng.choice(len(members), size=supported, replace=False)):
            title = SUPPORT_TITLES[int(rng.integers(len(SUPPORT_TITLES)))]
            items.append(("marknadsföringsstöd", title, members[i], ""))
        dates = _sample_dates(rng, year, len(items))
        rng.shuffle(dates)
        order = sorted(range(len(items)), key=lambda i: (dates[i], i))
        for number, i in enumerate(order, start=1):
            kind, title, munis, company = items[i]
            rows.append(
                {
                    "id": f"A-{year}-{number:03d}",
                    "datum": pd.Timestamp(dates[i]),
                    "typ": kind,
                    "titel": title,
                    "kommuner": munis,
                    "företag": company,
                }
            )
    return pd.DataFrame(rows)


def _kontext(seed: int) -> pd.DataFrame:
    """Context KPIs for the members, the county (0018) and the country (0000): the members lie
    around the country times a fixed ratio, by size (larger members higher), with a fixed
    member effect and yearly noise; the county is the members' population-weighted mean.
    Each KPI stops at the last year Kolada would have published. Plausible, invented values."""
    rng = _rng(seed, 9)
    members = _members()
    log_mean = float(np.mean([math.log(POPULATION[name][0]) for _, name in members]))
    rows = []
    for kpi, (level, change, spread, noise, last, decimals) in CONTEXT_KPIS.items():
        effect = {name: float(rng.normal(0, spread * 0.4)) for _, name in members}
        for year in range(FIRST_YEAR, last + 1):
            country = level + change * (year - FIRST_YEAR) + float(rng.normal(0, noise * 0.5))
            base = country * CONTEXT_COUNTY_RATIO[kpi]
            values = {CONTEXT_COUNTRY: country}
            for code, name in members:
                size = math.log(POPULATION[name][0]) - log_mean
                values[code] = max(base + spread * size + effect[name] + float(rng.normal(0, noise)), 0.0)
            weights = [POPULATION[name][0] for _, name in members]
            values[CONTEXT_COUNTY] = float(np.average([values[code] for code, _ in members], weights=weights))
            for code in sorted(values):
                rows.append(
                    {
                        "år": year,
                        "kommunkod": code,
                        "nyckeltal": kpi,
                        "värde": round(values[code], decimals),
                        "källa": CONTEXT_SOURCE,
                    }
                )
    return pd.DataFrame(rows).sort_values(["år", "nyckeltal", "kommunkod"], kind="stable").reset_index(drop=True)


# --- public API --------------------------------------------------------------------


def generate(seed: int = DEFAULT_SEED) -> dict[str, pd.DataFrame]:
    """All example tables in memory, keyed by table name, columns as in the schema."""
    kommuner = _kommuner(seed)
    nki = _nki(seed, kommuner)
    arenor = _arenor(seed)
    investeringar = _investeringar(seed, kommuner)
    tables = {
        "nki": nki,
        "nki_riket": _nki_riket(seed, nki),
        "investeringar": investeringar,
        "investeringar_skeden": _investeringar_skeden(seed, investeringar),
        "leads": _leads(seed, arenor),
        "arenor": arenor,
        "aktiviteter": _aktiviteter(seed),
        "kommuner": kommuner,
        "kontext": _kontext(seed),
    }
    return {name: tables[name][_columns(TABLES[name], tables[name])] for name in TABLES}


def _columns(table: Table, frame: pd.DataFrame) -> list[str]:
    """The contract's columns in its order; optional ones the generator does not make are left out."""
    return [c.name for c in table.columns if c.required or c.name in frame.columns]


SCALED_TABLES = ("leads", "investeringar", "aktiviteter")


def scale(tables: dict[str, pd.DataFrame], factor: int) -> dict[str, pd.DataFrame]:
    """Copy of `tables` with leads, investeringar and aktiviteter repeated `factor` times.

    Copy 0 keeps the original ids; copy k gets the suffix '-Kk' (zero padded),
    so ids stay unique. Dates and all other values are unchanged, so every
    copy is as valid as the original.
    """
    if int(factor) != factor or factor < 1:
        raise ValueError(f"factor must be a positive integer, got {factor!r}")
    factor = int(factor)
    width = len(str(factor - 1))
    out = {}
    for name, frame in tables.items():
        if name not in SCALED_TABLES or factor == 1:
            out[name] = frame.copy()
            continue
        copies = []
        for k in range(factor):
            copy = frame.copy()
            if k:
                copy["id"] = copy["id"] + f"-K{k:0{width}d}"
            copies.append(copy)
        out[name] = pd.concat(copies, ignore_index=True)
    return out


def _format(value, kind: str, column: str) -> str:
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if kind == "float":
        return f"{float(value):.1f}".replace(".", ",")
    if kind in ("int", "year"):
        return str(int(value))
    if kind == "date":
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    if kind == "bool":
        return "ja" if bool(value) else "nej"
    return str(value)


def _format_context(value, kind: str, column: str) -> str:
    """As _format, but a value keeps the decimals its KPI has (0,83; 512; 7,4)."""
    if kind == "float" and isinstance(value, float) and not math.isnan(value):
        text = f"{value:.3f}".rstrip("0").rstrip(".")
        return text.replace(".", ",")
    return _format(value, kind, column)


def table_csv(frame: pd.DataFrame, table: Table | str) -> str:
    """The table as CSV text in the analysts' Excel style (';', decimal comma, ja/nej)."""
    table = TABLES[table] if isinstance(table, str) else table
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    columns = [(c.name, c.kind) for c in table.columns if c.name in _columns(table, frame)]
    writer.writerow([name for name, _ in columns])
    fmt = _format_context if table.name == "kontext" else _format
    for record in frame[[name for name, _ in columns]].itertuples(index=False, name=None):
        writer.writerow([fmt(v, kind, name) for v, (name, kind) in zip(record, columns)])
    return buffer.getvalue()


def write_tables(tables: dict[str, pd.DataFrame], out_dir: Path, marker: bool = True) -> list[Path]:
    """Write each table to `<stem>.csv` (UTF-8 with BOM) and, if asked, the example-data marker."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, table in TABLES.items():
        if name not in tables:
            continue
        path = out_dir / f"{table.stem}.csv"
        path.write_bytes(table_csv(tables[name], table).encode("utf-8-sig"))
        paths.append(path)
    if marker:
        path = out_dir / EXAMPLE_MARKER
        path.write_bytes(MARKER_TEXT.encode("utf-8"))
        paths.append(path)
    return paths


def write_example_data(out_dir: Path, seed: int = DEFAULT_SEED) -> list[Path]:
    """Generate the example tables and write them (and EXEMPELDATA.txt and the assessments) to `out_dir`."""
    return write_tables(generate(seed), out_dir) + write_example_assessments(out_dir)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Skapa exempeldata för BRO-analysen.")
    parser.add_argument("--out", type=Path, default=Path("data/example"))
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--scale", type=int, default=1, help="multiplicera leads, investeringar, aktiviteter")
    args = parser.parse_args(argv)
    tables = generate(args.seed)
    if args.scale != 1:
        tables = scale(tables, args.scale)
    for path in write_tables(tables, args.out) + write_example_assessments(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
