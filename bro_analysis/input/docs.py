"""Generate `data/README.md` from the data contracts in `contracts.py`."""

from __future__ import annotations

from pathlib import Path

from bro_analysis.core.config import load_plan
from bro_analysis.input.contracts import TABLES, Column

INTRO = """# Data: tabellerna och deras kontrakt

*Den här filen skapas från `bro_analysis/input/contracts.py` med `bro-analysis docs`;
ändra där, inte här (ett test kontrollerar att filen är aktuell).*

En datamapp (t.ex. `data/example/`) innehåller en fil per tabell, med filnamnet
nedan och ändelsen `.csv` eller `.xlsx`. Arbetsboken läser det analytiker har:

- CSV med semikolon eller komma som avgränsare, decimalkomma eller decimalpunkt
  (inte blandat i samma kolumn), mellanslag som tusentalsavgränsare;
- teckenkodning UTF-8 (med eller utan BOM) eller Windows-1252;
- Excel (`.xlsx`): bladet som heter som tabellen, annars det enda bladet eller
  bladet med tabellens rubrikrad; en titelrad ovanför rubrikraden går bra;
- kolumnrubriker utan hänsyn till versaler, å/ä/ö och mellanslag
  (`Antal svar` = `antal_svar`);
- kommuner med namn eller kod (`Örebro`, `Örebro kommun`, `orebro`, `1880`);
- datum som `ÅÅÅÅ-MM-DD` (eller `ÅÅÅÅMMDD`, eller en Excel-datumcell);
  `1/3/2025` avvisas eftersom dag och månad inte går att skilja åt;
- ja/nej-kolumner som `ja`/`nej` (även `1`/`0`, `x`).

En kolumn `kommun` ger i analysen både kommunens namn (`kommun`) och kod (`kommunkod`).

Allt annat som är fel ger ett felmeddelande med fil, rad (som i Excel), kolumn,
värde och vad som väntades; hela filen kontrolleras på en gång. Okända extra
kolumner ger en varning. Kolumner med personuppgifter tas bort vid inläsning.
Kontrollera en mapp med `bro-analysis validate --data MAPP` (eller `make validate`).

Mål och nyckelresultat står i [`okr.toml`](okr.toml), analysinställningar
(NKI-band, minsta antal svar, Kolada-nyckeltal, definition av konvertering) i
[`settings.toml`](settings.toml).
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
    lines += [
        "| kolumn | betydelse | typ | enhet | krävs | tillåtna värden | exempel |",
        "|---|---|---|---|---|---|---|",
    ]
    for col in table.columns:
        lines.append(
            f"| `{col.name}` | {col.description} | {KIND_TEXT[col.kind]} | {col.unit} | "
            f"{'ja' if col.required else 'nej'} | {_allowed(col)} | {col.example} |"
        )
    return "\n".join(lines) + "\n"


def data_readme() -> str:
    return INTRO + "\n" + "\n".join(table_markdown(n) for n in TABLES)


def write_data_readme(path: Path) -> None:
    path.write_text(data_readme(), encoding="utf-8")
