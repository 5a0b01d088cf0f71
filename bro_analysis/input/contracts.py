"""Data contracts: every input table defined once.

Column names are Swedish, as in the analysts' spreadsheets. `data/README.md`
is generated from these definitions (`bro-analysis dokumentera`), and a test checks
that it is up to date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

NKI_AREAS = (
    "brandskydd",
    "bygglov",
    "livsmedelskontroll",
    "markupplåtelse",
    "miljö- och hälsoskydd",
    "serveringstillstånd",
    "totalt",
)
NKI_MEASURES = (
    "NKI",
    "information",
    "tillgänglighet",
    "bemötande",
    "kompetens",
    "rättssäkerhet",
    "effektivitet",
)
INVESTMENT_STAGES = ("lead", "dialog", "beslut", "etablerad", "förlorad")
# Stages of a decided project: it has a decision date, and its value counts as realised.
DECIDED_STAGES = ("beslut", "etablerad")
LEAD_STAGES = ("lead", "kvalificerad", "konverterad")
ARENA_TYPES = ("nationell", "internationell")
ACTIVITY_TYPES = (
    "workshop",
    "utbildning",
    "samverkansprojekt",
    "företagsdialog",
    "marknadsföringsstöd",
)


# The earliest date a register records: BRO's registers and Insikt start after 2000, so an
# earlier date is a typo ('1922' for '2022').
EARLIEST_DATE = "2000-01-01"


@dataclass(frozen=True)
class Suspect:
    """Values between `low` and `high` (inclusive) that have the right type and the wrong
    meaning: an error saying the likely `cause` ("ser ut som kronor, inte MSEK")."""

    low: float
    high: float
    cause: str


@dataclass(frozen=True)
class Column:
    """One column of an input table.

    kind: int, float, str, date, bool, year, municipality, municipalities
    (a list of municipalities separated by ';' or ','), code (any 4-digit
    municipality code) or category (one of `allowed`).

    A date later than today is an error unless `future_allowed` (a planned
    event); every other date records something that has happened. A date before
    EARLIEST_DATE is an error in every date column.

    `unit`, `min`/`max` and `suspect` say what a number means: outside min–max is an
    error, and so is a value in a `suspect` range (kronor in a MSEK column).

    `used_by`: the key results (ids in okr.toml) computed from the column. Such a column
    is never dropped: when it is missing and the header has a column the contract does
    not know, that is an error suggesting the nearest known header; when it is missing
    and nothing else is there, it is an error unless `if_absent` says how the key result
    is computed without it (then a warning saying so).
    """

    name: str
    kind: str
    description: str
    unit: str = ""
    required: bool = True
    allowed: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    example: str = ""
    aliases: tuple[str, ...] = ()
    future_allowed: bool = False
    # A name that groups rows (a channel, an arena): spellings that differ only in case or
    # surrounding space are one label, written as its most common spelling.
    label: bool = False
    suspect: tuple[Suspect, ...] = ()
    used_by: tuple[str, ...] = ()
    if_absent: str = ""
    # What an empty cell means (a yes/no column where an empty cell is "nej").
    blank_means: str = ""
    # An Excel cell merged down a block (the municipality of a block of rows) gives every row its value.
    fill_down: bool = False


@dataclass(frozen=True)
class Table:
    """One input table: file stem in the data folder, columns and key."""

    name: str
    stem: str
    title: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    optional: bool = False
    # Columns holding personal data: dropped at load, never reach an output.
    personal_data: tuple[str, ...] = field(default=())
    # Rules across columns, as the documentation states them (checked in loading._cross_checks).
    rules: tuple[str, ...] = ()
    # Rows for the country or a county (Kolada's 0000 and 00NN, "Riket", "Örebro län"):
    # skipped with a warning when True, else an error.
    skip_aggregates: bool = False

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


YEAR: dict[str, Any] = dict(kind="year", min=2000, max=2100)

# What a number means, where a value of the right type can still be wrong.
AS_SHARE = Suspect(1e-9, 1, "ser ut som en andel (0,774 för 77,4), inte index 0–100; visade Excel talet i procent?")
NKI_ZERO = Suspect(0, 0, "NKI 0 betyder att området inte mättes; ta bort raden (skriv aldrig 0)")
NO_ANSWERS = Suspect(0, 0, "ett resultat bygger på minst 1 svar; 0 svar betyder att resultat saknas – ta bort raden")
KRONOR = Suspect(20_000, float("inf"), "ser ut som kronor eller tusental kronor, inte MSEK (450 000 000 kr = 450 MSEK)")
MANY_JOBS = Suspect(20_000, float("inf"), "orimligt många arbetstillfällen för ett projekt; skrivfel?")
FEW_PEOPLE = Suspect(0, 999, "för få invånare för en kommun; skriven i tusental?")
MANY_PEOPLE = Suspect(1_000_000, float("inf"), "fler invånare än någon svensk kommun har; skrivfel?")
# Header synonyms every table's municipality column accepts.
MUNICIPALITY_ALIASES = ("kommunkod", "kommunnamn", "kommun_namn", "kommunnummer", "medlemskommun")

NKI = Table(
    name="nki",
    stem="nki",
    title="NKI-resultat (SKR Insikt)",
    description=(
        "Insikt-resultat per mätår, medlemskommun, myndighetsområde och mått. "
        "En rad per kombination; ett område som inte mättes ett år saknas helt "
        "(skriv aldrig 0)."
    ),
    columns=(
        Column(
            "mätår",
            description="Insikts mätår",
            example="2025",
            aliases=("år", "matar", "undersökningsår"),
            used_by=("S1", "S2"),
            fill_down=True,
            **YEAR,
        ),
        Column(
            "kommun",
            "municipality",
            "Medlemskommun, namn eller 4-siffrig kod",
            example="Kumla",
            aliases=MUNICIPALITY_ALIASES,
            used_by=("S1", "S2"),
            fill_down=True,
        ),
        Column(
            "område",
            "category",
            "Myndighetsområde, eller totalt",
            allowed=NKI_AREAS,
            example="bygglov",
            aliases=("myndighetsområde", "verksamhetsområde"),
            used_by=("S1", "S2"),
            fill_down=True,
        ),
        Column(
            "mått",
            "category",
            "NKI eller en servicefaktor",
            allowed=NKI_MEASURES,
            example="NKI",
            aliases=("matt", "faktor"),
            used_by=("S1", "S2"),
        ),
        Column(
            "värde",
            "float",
            "Resultat",
            unit="index 0–100",
            min=0,
            max=100,
            example="72,4",
            aliases=("resultat", "nki_värde", "index"),
            suspect=(NKI_ZERO, AS_SHARE),
            used_by=("S1", "S2"),
        ),
        Column(
            "antal_svar",
            "int",
            "Antal svar bakom resultatet",
            unit="st",
            required=False,
            min=0,
            example="38",
            aliases=("svar", "antal", "n", "antal_svarande"),
            suspect=(NO_ANSWERS,),
            used_by=("S2",),
            if_absent="S2 kan då inte bedömas (regionens resultat vägs med antalet svar)",
        ),
        Column(
            "ki_nedre",
            "float",
            "Konfidensintervallets nedre gräns (95 %)",
            unit="index 0–100",
            required=False,
            min=0,
            max=100,
            example="66,1",
            aliases=("ki_lägre", "nedre_gräns", "konfidensintervall_nedre"),
            suspect=(AS_SHARE,),
        ),
        Column(
            "ki_övre",
            "float",
            "Konfidensintervallets övre gräns (95 %)",
            unit="index 0–100",
            required=False,
            min=0,
            max=100,
            example="78,7",
            aliases=("ki_högre", "övre_gräns", "konfidensintervall_övre"),
            suspect=(AS_SHARE,),
        ),
        Column(
            "standardavvikelse",
            "float",
            "Svarens standardavvikelse; med antal_svar ger den osäkerheten där intervall saknas",
            unit="index 0–100",
            required=False,
            min=0,
            max=100,
            example="17,9",
            aliases=("sd",),
        ),
        Column(
            "källa",
            "str",
            "Varifrån raden kommer: 'Kolada, hämtat …' när `bro-analysis kolada importera` skrev den; "
            "tom när den kommer direkt från SKR Insikt. Rapportens källrader säger Kolada för sådana rader",
            required=False,
            example="Kolada, hämtat 2026-03-02",
        ),
    ),
    key=("mätår", "kommunkod", "område", "mått"),
    rules=(
        "ki_nedre och ki_övre anges båda eller ingen av dem",
        "ki_nedre ≤ värde ≤ ki_övre, och inte alla tre lika (ett intervall utan bredd är inget intervall)",
        "ett värde bygger på minst 1 svar (antal_svar 0 är ett fel)",
    ),
)

NKI_NATIONAL = Table(
    name="nki_riket",
    stem="nki_riket",
    title="NKI-resultat för rikets kommuner (valfri)",
    description=(
        "Samma mått för alla landets kommuner, som jämförelse. Valfri tabell; "
        "kommunkoden kan vara vilken svensk kommunkod som helst."
    ),
    columns=(
        Column("mätår", description="Insikts mätår", example="2025", aliases=("år",), fill_down=True, **YEAR),
        Column(
            "kommunkod",
            "code",
            "Kommunens 4-siffriga kod (även 'kod namn', som SCB skriver den)",
            example="0180",
            aliases=("kommun", "kod", "kommun_kod", "kommunnummer"),
            fill_down=True,
        ),
        Column(
            "område",
            "category",
            "Myndighetsområde, eller totalt",
            allowed=NKI_AREAS,
            example="totalt",
            aliases=("myndighetsområde",),
        ),
        Column("mått", "category", "NKI eller en servicefaktor", allowed=NKI_MEASURES, example="NKI"),
        Column(
            "värde",
            "float",
            "Resultat",
            unit="index 0–100",
            min=0,
            max=100,
            example="71",
            aliases=("resultat",),
            suspect=(NKI_ZERO, AS_SHARE),
        ),
        Column(
            "antal_svar",
            "int",
            "Antal svar",
            unit="st",
            required=False,
            min=0,
            example="412",
            aliases=("svar", "antal"),
            suspect=(NO_ANSWERS,),
        ),
        Column(
            "källa",
            "str",
            "Varifrån raden kommer: 'Kolada, hämtat …' när `bro-analysis kolada importera` skrev den; "
            "tom när den kommer direkt från SKR Insikt",
            required=False,
            example="Kolada, hämtat 2026-03-02",
        ),
    ),
    key=("mätår", "kommunkod", "område", "mått"),
    optional=True,
    rules=("rikets (0000) och länens (00 och länsnumret) rader hoppas över med en varning: de är inga kommuner",),
    skip_aggregates=True,
)

INVESTMENTS = Table(
    name="investeringar",
    stem="investeringar",
    title="Investerings- och etableringsregister",
    description="Ett projekt per rad, i det skede det nått längst.",
    columns=(
        Column("id", "str", "Projektets id, unikt", example="INV-2025-014"),
        Column("företag", "str", "Företagets namn", example="Nordlager AB"),
        Column(
            "kommun",
            "municipality",
            "Medlemskommun där investeringen sker",
            example="Örebro",
            aliases=MUNICIPALITY_ALIASES,
            fill_down=True,
        ),
        Column(
            "målområde",
            "category",
            "Målområde; tillåtna värden står i data/okr.toml",
            example="logistik",
            used_by=("I1",),
        ),
        Column(
            "skede",
            "category",
            "Längsta skede projektet nått",
            allowed=INVESTMENT_STAGES,
            example="beslut",
            used_by=("I1",),
        ),
        Column(
            "investeringsvärde_msek",
            "float",
            "Investeringsvärde",
            unit="MSEK",
            required=False,
            min=0,
            example="450,0",
            aliases=(
                "investeringsvärde",
                "investeringsvärde_mnkr",
                "investeringsvärde_miljoner_kronor",
                "msek",
                "mnkr",
                "värde_msek",
                "värde_mnkr",
            ),
            suspect=(KRONOR,),
            used_by=("I1",),
        ),
        Column(
            "arbetstillfällen",
            "int",
            "Nya arbetstillfällen",
            unit="st",
            required=False,
            min=0,
            example="120",
            aliases=("antal_arbetstillfällen", "nya_arbetstillfällen", "jobb"),
            suspect=(MANY_JOBS,),
        ),
        Column(
            "första_kontakt",
            "date",
            "Datum för första kontakt",
            unit="ÅÅÅÅ-MM-DD",
            example="2024-03-15",
            aliases=("första_kontakten", "datum_första_kontakt"),
        ),
        Column(
            "beslutsdatum",
            "date",
            "Datum för investeringsbeslut (krävs för beslut och etablerad)",
            unit="ÅÅÅÅ-MM-DD",
            required=False,
            example="2025-01-20",
            aliases=("beslutsdag", "datum_för_beslut"),
            used_by=("I1",),
        ),
        Column("uppskattat_värde", "bool", "Är värdet en uppskattning?", unit="ja/nej", example="nej"),
        Column("källa", "str", "Uppgiftens källa", required=False, example="Företaget"),
    ),
    key=("id",),
    rules=(
        "skedena beslut och etablerad kräver ett beslutsdatum; lead och dialog har inget",
        "beslutsdatum är inte före första_kontakt",
    ),
)

STAGE_LOG = Table(
    name="investeringar_skeden",
    stem="investeringar_skeden",
    title="Investeringsregistrets skedeshistorik",
    description=(
        "Valfri: en rad per skedesbyte i investeringsregistret, så att ett beslutat projekt som senare "
        "förlorades eller sköts upp syns som en ändring och en äldre periods siffror kan räknas om som de "
        "såg ut då. Utan tabellen gäller varje projekts nuvarande skede också för tidigare perioder, och "
        "rapporten säger det."
    ),
    columns=(
        Column("id", "str", "Projektets id, som i investeringar", example="INV-2025-014"),
        Column(
            "skede",
            "category",
            "Skedet projektet gick in i",
            allowed=INVESTMENT_STAGES,
            example="beslut",
            used_by=("I1",),
        ),
        Column(
            "datum",
            "date",
            "Dagen då projektet gick in i skedet",
            unit="ÅÅÅÅ-MM-DD",
            example="2025-01-20",
            aliases=("skedesdatum", "datum_för_skede"),
            used_by=("I1",),
        ),
    ),
    key=("id", "datum"),
    optional=True,
    rules=(
        "id finns i investeringar",
        "datum är inte före projektets första_kontakt i investeringar",
        "ett projekt har högst ett skede per dag",
        "projektets senaste skede är dess skede i investeringar",
    ),
)

LEADS = Table(
    name="leads",
    stem="leads",
    title="Leads från marknadsföringen",
    description=(
        "Ett lead per rad med det steg det nått längst. Kolumner med "
        "personuppgifter (namn, e-post, telefon) tas bort vid inläsning."
    ),
    columns=(
        Column("id", "str", "Leadets id, unikt", example="L-2025-0042"),
        Column("datum", "date", "Datum då leadet kom in", unit="ÅÅÅÅ-MM-DD", example="2025-04-02"),
        Column("kanal", "str", "Kanal eller kampanj", example="LinkedIn-kampanj", label=True),
        Column(
            "arena", "str", "Arena där leadet kom in, om någon", required=False, example="Logistikdagarna", label=True
        ),
        Column(
            "steg",
            "category",
            "Längsta steg leadet nått",
            allowed=LEAD_STAGES,
            example="kvalificerad",
            aliases=("högsta_steg",),
        ),
        Column(
            "konverteringsdatum",
            "date",
            "Datum då leadet konverterade, om det gjort det. Valfri; med den jämförs åren med lika lång "
            "uppföljningstid för varje lead",
            unit="ÅÅÅÅ-MM-DD",
            required=False,
            example="2025-06-19",
            used_by=("M2",),
            if_absent="M2 räknas då på det steg varje lead nått, utan lika lång uppföljningstid",
        ),
    ),
    key=("id",),
    personal_data=("namn", "kontaktperson", "e-post", "epost", "email", "mejl", "telefon", "mobil", "tel"),
)

ARENAS = Table(
    name="arenor",
    stem="arenor",
    title="Arenor (mässor, konferenser, evenemang)",
    description="En rad per deltagande i en nationell eller internationell arena.",
    columns=(
        Column("namn", "str", "Arenans namn", example="Expo Real", label=True),
        Column("typ", "category", "Nationell eller internationell", allowed=ARENA_TYPES, example="internationell"),
        Column(
            "datum",
            "date",
            "Datum (första dagen); en planerad arena får ha ett datum framåt i tiden",
            unit="ÅÅÅÅ-MM-DD",
            example="2025-10-06",
            future_allowed=True,
        ),
        Column("mål_formulerade", "bool", "Fanns skriftliga mål?", unit="ja/nej", example="ja", used_by=("M1",)),
        Column(
            "uppföljning_gjord",
            "bool",
            "Är uppföljningen gjord? En tom cell betyder nej",
            unit="ja/nej",
            example="nej",
            used_by=("M1",),
            blank_means="nej",
        ),
    ),
    key=("namn", "datum"),
)

ACTIVITIES = Table(
    name="aktiviteter",
    stem="aktiviteter",
    title="Aktiviteter",
    description=(
        "Workshops och erfarenhetsutbyten, utbildningsinsatser om investeringar och "
        "etableringar, samverkansprojekt mellan kommuner, dialoger med strategiska "
        "företag och marknadsföringsstöd till kommuner."
    ),
    columns=(
        Column("id", "str", "Aktivitetens id, unikt", example="A-2025-007"),
        Column("datum", "date", "Datum (start)", unit="ÅÅÅÅ-MM-DD", example="2025-05-14"),
        Column("typ", "category", "Slag av aktivitet", allowed=ACTIVITY_TYPES, example="workshop"),
        Column("titel", "str", "Rubrik", example="Erfarenhetsutbyte bygglov"),
        Column(
            "kommuner",
            "municipalities",
            "Deltagande eller stödda kommuner, åtskilda med semikolon; 'alla' för alla",
            required=False,
            example="Kumla; Hallsberg",
            aliases=("kommun", "deltagande_kommuner"),
            used_by=("S3", "M3"),
        ),
        Column(
            "företag",
            "str",
            "Företag (för företagsdialog)",
            required=False,
            example="Nordlager AB",
            aliases=("företagsnamn",),
            used_by=("I3",),
        ),
    ),
    key=("id",),
)

MUNICIPALITIES = Table(
    name="kommuner",
    stem="kommuner",
    title="Medlemskommuner per år",
    description=(
        "En rad per medlemskommun och år: folkmängd (31 december föregående år, "
        "underlag för driftsbidraget), användning av de gemensamt upphandlade "
        "verktygen och beredskap för etableringsförfrågningar."
    ),
    columns=(
        Column("år", description="År", example="2025", fill_down=True, **YEAR),
        Column(
            "kommun",
            "municipality",
            "Medlemskommun, namn eller kod",
            example="Nora",
            aliases=MUNICIPALITY_ALIASES,
            fill_down=True,
        ),
        Column(
            "folkmängd",
            "int",
            "Folkmängd",
            unit="invånare",
            min=0,
            example="10 512",
            aliases=("befolkning", "invånare", "antal_invånare"),
            suspect=(FEW_PEOPLE, MANY_PEOPLE),
        ),
        Column("insikt", "bool", "Använder Insikt", unit="ja/nej", example="ja"),
        Column("syna", "bool", "Använder Syna", unit="ja/nej", example="ja"),
        Column("objektvision", "bool", "Använder Objektvision", unit="ja/nej", example="nej"),
        Column(
            "etableringsberedskap",
            "bool",
            "Beredd att ta emot och svara på etableringsförfrågningar",
            unit="ja/nej",
            example="ja",
        ),
    ),
    key=("år", "kommunkod"),
)

# Kolada's codes that are not municipalities: the country, and a county is "00" and its number.
COUNTRY_CODE = "0000"

CONTEXT = Table(
    name="kontext",
    stem="kontext",
    title="Sammanhanget för RUS 2030 (valfri)",
    description=(
        "Nyckeltal ur Kolada som belyser den regionala utvecklingsstrategins (RUS 2030) mål för "
        "näringslivet och talang, för medlemskommunerna, länet och riket. Vilket mål ett nyckeltal "
        "belyser, dess namn och var dess id har kontrollerats står i data/settings.toml "
        "([kolada.kontext.<id>]); `bro-analysis kolada importera` skriver tabellen. Valfri tabell: "
        "utan den säger RUS-avsnittet att underlaget saknas. Ett år utan värde saknas helt "
        "(skriv aldrig 0)."
    ),
    columns=(
        Column("år", description="Året värdet avser", example="2024", **YEAR),
        Column(
            "kommunkod",
            "code",
            "Kommunens 4-siffriga kod, länets kod i Kolada (00 och länsnumret, Örebro län 0018) eller rikets (0000)",
            example="0018",
        ),
        Column(
            "nyckeltal",
            "str",
            "Nyckeltalets id i Kolada, som i data/settings.toml",
            example="N00999",
            aliases=("kpi",),
        ),
        Column("värde", "float", "Värdet, i nyckeltalets enhet (står i data/settings.toml)", example="7,4"),
        Column(
            "källa",
            "str",
            "Varifrån värdet kommer och när det hämtades",
            example="Kolada, hämtat 2026-03-02",
        ),
    ),
    key=("år", "kommunkod", "nyckeltal"),
    optional=True,
)

TABLES: dict[str, Table] = {
    t.name: t for t in (NKI, NKI_NATIONAL, INVESTMENTS, STAGE_LOG, LEADS, ARENAS, ACTIVITIES, MUNICIPALITIES, CONTEXT)
}

# Where each table's data come from, as the source line under a figure or table says it.
ORIGINS: dict[str, str] = {
    "nki": "SKR Insikt",
    "nki_riket": "SKR Insikt, alla Sveriges kommuner",
    "investeringar": "BRO:s investerings- och etableringsregister",
    "investeringar_skeden": "BRO:s investerings- och etableringsregister, skedeshistorik",
    "leads": "BRO:s leadsregister",
    "arenor": "BRO:s arenaregister",
    "aktiviteter": "BRO:s aktivitetsregister",
    "kommuner": "BRO:s uppgifter om medlemskommunerna",
    "kontext": "Kolada",
}
