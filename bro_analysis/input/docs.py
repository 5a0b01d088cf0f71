"""Generate `data/README.md` from the data contracts in `contracts.py`."""

from __future__ import annotations

from pathlib import Path

from bro_analysis.core.config import load_plan
from bro_analysis.input import parsing
from bro_analysis.input.assessments import README_SECTION
from bro_analysis.input.contracts import EARLIEST_DATE, TABLES, Column
from bro_analysis.input.loading import HEADER_SEARCH_ROWS


def _words(words) -> str:
    return ", ".join(f"`{w}`" for w in words)


INTRO = f"""# Data: tabellerna och deras kontrakt

*Den här filen skapas från `bro_analysis/input/contracts.py` med `bro-analysis dokumentera`;
ändra där, inte här (ett test kontrollerar att filen är aktuell).*

En datamapp (t.ex. `data/example/`) innehåller en fil per tabell, med filnamnet
nedan och ändelsen `.csv` eller `.xlsx`. Arbetsboken läser det analytiker har:

- CSV med semikolon eller komma som avgränsare, decimalkomma eller decimalpunkt
  (inte blandat i samma kolumn), mellanslag som tusentalsavgränsare;
- teckenkodning UTF-8 (med eller utan BOM), UTF-16 med BOM, Windows-1252 eller
  Mac OS Roman (den som ger å, ä och ö); en fil vars rader har olika teckenkodning
  (rader inklistrade från ett annat program) är ett fel som namnger första raden som skiljer sig;
- Excel (`.xlsx`): bladet som heter som tabellen, annars det enda bladet eller
  bladet med tabellens rubrikrad; rubrikraden är den första raden (bland de
  {HEADER_SEARCH_ROWS} första) som har tabellens obligatoriska kolumner, så titel- och
  instruktionsrader ovanför går bra;
- kolumnrubriker utan hänsyn till versaler, å/ä/ö och mellanslag
  (`Antal svar` = `antal_svar`), och de andra rubriker som står under varje tabell;
- kommuner med namn eller kod (`Örebro`, `Örebro kommun`, `orebro`, `1880`), också
  kod och namn tillsammans som SCB och Kolada skriver dem (`1814 Lekeberg`, `Lekeberg (1814)`);
- datum som `ÅÅÅÅ-MM-DD` (eller `ÅÅÅÅMMDD`, eller en Excel-datumcell);
  `1/3/2025` avvisas eftersom dag och månad inte går att skilja åt;
- ja/nej-kolumner som {_words(sorted(parsing.TRUE_WORDS))} för ja och
  {_words(sorted(parsing.FALSE_WORDS))} för nej (utan hänsyn till versaler);
- saknat värde som tom cell eller {_words(parsing.MISSING_WORDS)} (utan hänsyn till
  versaler); Excels `#N/A`/`#SAKNAS!` räknas som saknat värde bara i en valfri kolumn
  som inget nyckelresultat läser, annars är det ett fel;
- alla medlemskommuner i en kommunlista som {_words(parsing.ALL_WORDS)} eller
  `alla 12 kommuner` (utan hänsyn till versaler och å/ä/ö);
- osynliga tecken (mjukt bindestreck, nollbreddsmellanslag, BOM) tas bort ur varje cell.

En kolumn `kommun` ger i analysen både kommunens namn (`kommun`) och kod (`kommunkod`).

**Värden prövas för vad de betyder, inte bara för sin typ.** Varje talkolumn har en
enhet och ett rimligt intervall, och ett värde som har rätt typ men fel betydelse är ett
fel med den troliga orsaken: ett investeringsvärde i kronor i stället för MSEK, ett NKI
skrivet som andel (0,774 för 77,4), NKI 0 för ett område som inte mättes, 0 svar bakom
ett resultat, `1.000` i en kolumn för antal (tusentalsavgränsare?), ett datum före
{EARLIEST_DATE[:4]}. Regler mellan kolumner står under varje tabell. Rader för riket, länet
eller en summa (`Riket`, `Örebro län`, `Totalt`, `Summa`, Koladas koder `0000` och `00`
+ länsnummer) är inga kommuner: ett fel i medlemskommunernas tabeller, en rad som hoppas
över med en varning i `nki_riket`.

**Excel-ark.** Sammanfogade celler nedåt i en kolumn som grupperar rader (kommunen eller
året för ett block) ger varje rad sitt värde; andra sammanfogade celler bland raderna är
ett fel. En rubrikrad som upprepas längre ned hoppas över med en varning; står kolumnerna
där i en annan ordning är det ett fel. En tabell som fortsätter på ett annat blad utan
rubrikrad, och en formel (också en matrisformel) utan sparat värde, är fel.

**Kolumner som nyckelresultaten läser tas aldrig bort i tysthet.** Kolumnen
*används för* nedan säger vilka nyckelresultat som räknas från den. En okänd
kolumnrubrik som troligen är en saknad kolumn (rubriken liknar kolumnens namn, eller
värdena passar en saknad kolumn som ett nyckelresultat läser) är ett fel som föreslår
rätt rubrik; andra okända kolumner ger en varning. Saknas en valfri kolumn som ett
nyckelresultat läser är det ett fel, om inte tabellen nedan säger hur nyckelresultatet
räknas utan den (då en varning).

Allt annat som är fel ger ett felmeddelande med fil, rad (som i Excel), kolumn,
värde och vad som väntades; hela filen kontrolleras på en gång, och varningarna skrivs
ut tillsammans med felen. Kolumner med personuppgifter tas bort vid inläsning.
Kontrollera en mapp med `bro-analysis kontrollera --data MAPP` (eller `make validate`).

Mål och nyckelresultat står i [`okr.toml`](okr.toml), analysinställningar
(NKI-band, minsta antal svar, Kolada-nyckeltal, definition av konvertering) i
[`settings.toml`](settings.toml).

**Täckning per kategori.** Ett register täcker perioderna från sitt första datum. Började
registret föra en kategori senare (en aktivitetstyp, ett skede, en kanal, ett målområde),
skriv dagen i `settings.toml` under `[täckning]`, med registret och kolumnen i rubriken och
datumet utan citattecken:

```toml
["täckning".aktiviteter.typ]
"marknadsföringsstöd" = 2026-03-01
```

Före den dagen "kan inte bedömas" ett antal över kategorin – i nyckelresultaten, i
tabellerna och i texten – med kategorin och dagen som skäl, i stället för att visas som 0.
En period som slutar efter dagen räknas med de rader den har. Registret, kolumnen och
kategorin prövas mot kontrakten nedan (en kolumn med tillåtna värden eller en etikett).
"""

KIND_TEXT = {
    "int": "heltal",
    "float": "tal",
    "str": "text",
    "date": "datum",
    "bool": "ja/nej",
    "year": "år (heltal)",
    "municipality": "medlemskommun",
    "municipalities": "kommunlista",
    "code": "kommunkod",
    "category": "värde ur lista",
}


def _allowed(col: Column) -> str:
    if col.name == "målområde":
        plan = load_plan()
        return ", ".join(plan.target_areas) + " (från okr.toml)"
    if col.kind in ("municipality", "municipalities"):
        return ", ".join(load_plan().members.values()) + " (eller koden)"
    if col.allowed:
        return ", ".join(col.allowed)
    if col.min is not None or col.max is not None:
        low = "" if col.min is None else f"{col.min:g}"
        high = "" if col.max is None else f"{col.max:g}"
        return f"{low}–{high}" if high else f"minst {low}"
    return ""


def _number(x: float) -> str:
    return f"{x:,.0f}".replace(",", " ") if float(x).is_integer() else f"{x:g}".replace(".", ",")


def _span(low: float, high: float) -> str:
    """'0', 'över 0 till 1', '20 000 eller mer', '0–999'."""
    if low == high:
        return _number(low)
    if high == float("inf"):
        return f"{_number(low)} eller mer"
    if 0 < low < 1e-6:
        return f"över 0 till {_number(high)}"
    return f"{_number(low)}–{_number(high)}"


def _notes(col: Column) -> str:
    """What else the reader should know of a column: other headers, suspect values, fill-down."""
    notes = []
    if col.aliases:
        notes.append("rubriken kan också vara " + ", ".join(f"`{a}`" for a in col.aliases))
    for suspect in col.suspect:
        notes.append(f"{_span(suspect.low, suspect.high)} är fel: {suspect.cause}")
    if col.blank_means:
        notes.append(f"tom cell betyder {col.blank_means}")
    if col.fill_down:
        notes.append("sammanfogad cell nedåt i Excel gäller varje rad")
    if col.if_absent:
        notes.append(f"saknas kolumnen: {col.if_absent}")
    return "; ".join(notes)


def table_markdown(name: str) -> str:
    table = TABLES[name]
    lines = [
        f"## {table.title}",
        "",
        f"Fil: `{table.stem}.csv` eller `{table.stem}.xlsx`"
        + (" (valfri)" if table.optional else "")
        + ". "
        + table.description,
        "",
    ]
    if table.key:
        lines += [f"Nyckel (får bara förekomma en gång): {', '.join(table.key)}.", ""]
    if table.personal_data:
        lines += [f"Tas bort vid inläsning: {', '.join(table.personal_data)}.", ""]
    if table.rules:
        lines += ["Regler mellan kolumnerna:", "", *(f"- {rule}" for rule in table.rules), ""]
    lines += [
        "| kolumn | betydelse | typ | enhet | krävs | tillåtna värden | exempel | används för | mer |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for col in table.columns:
        lines.append(
            f"| `{col.name}` | {col.description} | {KIND_TEXT[col.kind]} | {col.unit} | "
            f"{'ja' if col.required else 'nej'} | {_allowed(col)} | {col.example} | "
            f"{', '.join(col.used_by)} | {_notes(col)} |"
        )
    return "\n".join(lines) + "\n"


def data_readme() -> str:
    return INTRO + "\n" + "\n".join(table_markdown(n) for n in TABLES) + "\n" + README_SECTION


def write_data_readme(path: Path) -> None:
    path.write_text(data_readme(), encoding="utf-8")
