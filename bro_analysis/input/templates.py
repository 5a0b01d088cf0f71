"""Excel entry templates for the registers analysts type by hand (`bro-analysis mallar`).

One workbook per register, made from its contract: a data sheet named after the table
(the sheet the loader reads) with the contract's columns as the header, Excel data
validation per column (drop-down lists for closed vocabularies, dates, numbers within the
contract's range, a Swedish input and error message), a sheet "Instruktioner" generated
from the contract, and a hidden sheet "Listor" for lists too long to write inline.

Excel's check is a first screen where the value is typed; `bro-analysis kontrollera` stays the
final word (rules across columns, keys over several columns, a decimal value exactly at a
suspect range's edge).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from bro_analysis.core.config import Plan, load_plan
from bro_analysis.core.files import replacing
from bro_analysis.input.contracts import EARLIEST_DATE, TABLES, Column, Table
from bro_analysis.input.loading import SUFFIXES, DataError, Problem
from bro_analysis.presentation.formatting import fmt_number

# The registers BRO's analysts type by hand; nki, nki_riket and kontext come from SKR Insikt and Kolada.
HAND_TABLES = ("aktiviteter", "arenor", "investeringar", "investeringar_skeden", "leads", "kommuner")
INSTRUCTIONS = "Instruktioner"
LISTS = "Listor"
YES_NO = ("ja", "nej")
ALL = "alla"
LAST_ROW = 1_048_576  # Excel's last row: validation covers every row below the header
# Excel's limits: a list written in the rule itself, prompt and error titles and texts.
INLINE_LIST_MAX = 255
TITLE_MAX = 32
PROMPT_MAX = 255
ERROR_MAX = 225
DATE_FORMAT = "yyyy-mm-dd"  # shown as ÅÅÅÅ-MM-DD by a Swedish Excel
TEXT_FORMAT = "@"  # text: Excel never turns an id or a code into a date or a number
HEADER_FILL = PatternFill("solid", fgColor="DCE6F0")
NUMBER_LIMIT = 1e307  # a number column without bounds still has to hold a number


@dataclass(frozen=True)
class Rule:
    """What Excel checks in one column, and how the cells are formatted."""

    kind: str  # list, date, whole, decimal, unique or "" (free text)
    values: tuple[str, ...] = ()  # a list's values
    low: float | None = None
    high: float | None = None
    until_today: bool = False  # a date or a year no later than today
    strict: bool = True  # False: a value outside the list is allowed after a warning
    number_format: str = ""


def choices(col: Column, plan: Plan) -> tuple[str, ...]:
    """The values a drop-down offers for `col`, from the contract and the plan; () for an open column."""
    if col.kind == "category":
        return plan.target_areas if col.name == "målområde" else col.allowed
    if col.kind == "bool":
        return YES_NO
    if col.kind == "municipality":
        return tuple(plan.members.values())
    if col.kind == "municipalities":
        return (ALL, *plan.members.values())
    return ()


def number_bounds(col: Column) -> tuple[float | None, float | None]:
    """The contract's min and max, narrowed by the suspect ranges at either end (kronor in a
    MSEK column, a population in thousands): Excel refuses what `kontrollera` would refuse. A
    whole number's bound is exact; a decimal's bound is the suspect range's edge."""
    whole = col.kind in ("int", "year")
    low, high = col.min, col.max
    for suspect in col.suspect:
        if math.isinf(suspect.high) and (high is None or suspect.low <= high):
            high = math.ceil(suspect.low) - 1 if whole else suspect.low
        elif low is not None and suspect.low <= low <= suspect.high:
            low = math.floor(suspect.high) + 1 if whole else suspect.high
    return low, high


def _decimals(example: str) -> int:
    """Decimals the contract's example shows ('450,0' -> 1)."""
    _, comma, decimals = example.replace(".", ",").partition(",")
    return len(decimals) if comma else 0


def rule(col: Column, table: Table, plan: Plan) -> Rule:
    """The Excel check and cell format for one column of the contract."""
    values = choices(col, plan)
    if values:
        return Rule("list", values, strict=col.kind != "municipalities", number_format=TEXT_FORMAT)
    if col.kind == "date":
        earliest = float(to_excel(dt.date.fromisoformat(EARLIEST_DATE)))
        return Rule("date", low=earliest, until_today=not col.future_allowed, number_format=DATE_FORMAT)
    if col.kind in ("int", "year", "float"):
        low, high = number_bounds(col)
        if col.kind == "year":
            return Rule("whole", low=low, high=high, until_today=not col.future_allowed, number_format="0")
        if col.kind == "int":
            return Rule("whole", low=low, high=high, number_format="#,##0")
        decimals = max(_decimals(col.example), 1)
        return Rule("decimal", low=low, high=high, number_format="#,##0." + "0" * decimals)
    if table.key == (col.name,):
        return Rule("unique", number_format=TEXT_FORMAT)
    return Rule("", number_format=TEXT_FORMAT)


# --- texts ----------------------------------------------------------------------------------


def _number(value: float) -> str:
    return fmt_number(value, 0 if float(value).is_integer() else 3).replace("\u00a0", " ")


def allowed_text(col: Column, table: Table, plan: Plan) -> str:
    """What the column takes, in words: the list, the range of numbers or dates."""
    r = rule(col, table, plan)
    if r.kind == "list":
        text = ", ".join(r.values)
        if not r.strict:
            text += "; flera kommuner åtskilda med semikolon (Kumla; Hallsberg)"
        return text
    if r.kind == "date":
        end = "till i dag" if r.until_today else "och framåt (ett planerat datum går bra)"
        return f"datum ÅÅÅÅ-MM-DD från {EARLIEST_DATE} {end}"
    if r.kind in ("whole", "decimal"):
        kind = "heltal" if r.kind == "whole" else "tal"
        if r.low is not None and r.high is not None:
            end = "innevarande år" if r.until_today else _number(r.high)
            return f"{kind} från {_number(r.low)} till {end}"
        if r.low is not None:
            return f"{kind}, minst {_number(r.low)}"
        if r.high is not None:
            return f"{kind}, högst {_number(r.high)}"
        return kind
    if r.kind == "unique":
        return "text, unik i kolumnen"
    return "text"


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def prompt(col: Column) -> str:
    """The input message Excel shows when a cell of the column is selected."""
    parts = [col.description.rstrip(".") + "."]
    if col.unit and col.unit not in ("ÅÅÅÅ-MM-DD", "ja/nej"):
        parts.append(f"Enhet: {col.unit}.")
    if col.blank_means:
        parts.append(f"En tom cell betyder {col.blank_means}.")
    elif col.required:
        parts.append("Krävs.")
    else:
        parts.append("Valfri; får lämnas tom.")
    if col.kind == "municipalities":
        parts.append("Välj en kommun eller 'alla'; flera kommuner skrivs åtskilda med semikolon.")
    return _cut(" ".join(parts), PROMPT_MAX)


def error(col: Column, table: Table, plan: Plan) -> str:
    """The message Excel shows when a value breaks the column's rule."""
    r = rule(col, table, plan)
    if r.kind == "list":
        text = "Välj ett värde i listan (pilen vid cellen)."
        if not r.strict:
            text += " Flera kommuner åtskilda med semikolon går bra: välj Ja för att behålla värdet."
    elif r.kind == "unique":
        text = "Värdet finns redan i kolumnen; varje rad ska ha ett eget id."
    else:
        text = f"Förväntade {allowed_text(col, table, plan)}."
    return _cut(f"{col.name}: {text}", ERROR_MAX)


# --- the workbook ---------------------------------------------------------------------------


def _list_formula(values: tuple[str, ...], book: Workbook) -> str:
    """The list inline ('"ja,nej"') when Excel allows it, else a range on the hidden sheet LISTS."""
    inline = '"' + ",".join(values) + '"'
    if len(inline) <= INLINE_LIST_MAX and not any("," in v or '"' in v for v in values):
        return inline
    sheet = book[LISTS] if LISTS in book.sheetnames else book.create_sheet(LISTS)
    sheet.sheet_state = "hidden"
    column = get_column_letter(sheet.max_column + 1 if sheet["A1"].value is not None else 1)
    for row, value in enumerate(values, 1):
        sheet[f"{column}{row}"] = value
    return f"{LISTS}!${column}$1:${column}${len(values)}"


def validation(col: Column, table: Table, plan: Plan, letter: str, book: Workbook) -> DataValidation | None:
    """The column's Excel data validation over every row below the header."""
    r = rule(col, table, plan)
    common = dict(
        allow_blank=True,
        showInputMessage=True,
        showErrorMessage=True,
        promptTitle=_cut(col.name, TITLE_MAX),
        prompt=prompt(col),
        errorTitle="Ogiltigt värde",
        error=error(col, table, plan),
        errorStyle="stop" if r.strict else "warning",
    )
    if r.kind == "list":
        dv = DataValidation(type="list", formula1=_list_formula(r.values, book), **common)
    elif r.kind == "date":
        if r.until_today:
            dv = DataValidation(type="date", operator="between", formula1=f"{r.low:g}", formula2="TODAY()", **common)
        else:
            dv = DataValidation(type="date", operator="greaterThanOrEqual", formula1=f"{r.low:g}", **common)
    elif r.kind in ("whole", "decimal"):
        low = -NUMBER_LIMIT if r.low is None else r.low
        high = "YEAR(TODAY())" if r.until_today else f"{NUMBER_LIMIT if r.high is None else r.high:g}"
        dv = DataValidation(type=r.kind, operator="between", formula1=f"{low:g}", formula2=high, **common)
    elif r.kind == "unique":
        cells = f"${letter}$2:${letter}${LAST_ROW}"
        dv = DataValidation(type="custom", formula1=f"COUNTIF({cells},{letter}2)=1", **common)
    else:  # free text: the input message only
        dv = DataValidation(**{**common, "showErrorMessage": False, "errorTitle": None, "error": None})
    dv.add(f"{letter}2:{letter}{LAST_ROW}")
    return dv


def _width(col: Column, values: tuple[str, ...]) -> float:
    longest = max([len(col.name), len(col.example), *(len(v) for v in values)])
    return min(max(longest + 3, 12), 45)


def _data_sheet(sheet: Worksheet, table: Table, plan: Plan, book: Workbook) -> None:
    """Header row, formats, widths and validation of the sheet the loader reads."""
    for position, col in enumerate(table.columns, 1):
        letter = get_column_letter(position)
        cell = sheet.cell(row=1, column=position, value=col.name)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.number_format = TEXT_FORMAT
        dimension = sheet.column_dimensions[letter]
        dimension.width = _width(col, choices(col, plan))
        dimension.number_format = rule(col, table, plan).number_format  # cells typed below take it
        dv = validation(col, table, plan, letter, book)
        if dv is not None:
            sheet.add_data_validation(dv)
    sheet.freeze_panes = "A2"


def _instructions(sheet: Worksheet, table: Table, plan: Plan) -> None:
    """The sheet 'Instruktioner': the table and every column as the contract states them."""
    wrap = Alignment(wrap_text=True, vertical="top")
    sheet.append([table.title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([table.description])
    sheet.append(
        [
            f"Fyll i bladet '{table.stem}', en rad per post under rubrikraden; ändra inte rubrikerna. "
            f"Spara filen som {table.stem}.xlsx i datamappen och pröva den med "
            "'bro-analysis kontrollera'. Listor och kontroller i Excel fångar de flesta skrivfel; "
            "kommandot prövar också reglerna nedan."
        ]
    )
    sheet.append([])
    header = ["Kolumn", "Betydelse", "Krävs", "Tillåtna värden", "Enhet", "Exempel"]
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for col in table.columns:
        required = f"nej (tom = {col.blank_means})" if col.blank_means else ("ja" if col.required else "nej")
        sheet.append([col.name, col.description, required, allowed_text(col, table, plan), col.unit, col.example])
    if table.rules:
        sheet.append([])
        sheet.append(["Regler mellan kolumner"])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        for text in table.rules:
            sheet.append([text])
    for letter, width in zip("ABCDEF", (24, 60, 12, 50, 14, 22)):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=5):
        for cell in row:
            cell.alignment = wrap
            cell.number_format = TEXT_FORMAT


def workbook(table: Table, plan: Plan) -> Workbook:
    """The template of one register: data sheet first (opened first), then the instructions."""
    book = Workbook()
    data = book.active
    data.title = table.stem
    _data_sheet(data, table, plan, book)
    _instructions(book.create_sheet(INSTRUCTIONS, 1), table, plan)
    book.active = 0
    return book


def template_path(out: Path, name: str) -> Path:
    return Path(out) / f"{TABLES[name].stem}.xlsx"


def _conflicts(out: Path, names: tuple[str, ...], overwrite: bool) -> list[Problem]:
    """Files the templates would replace (unless `overwrite`), and a table's other file in the
    folder (stem.csv beside stem.xlsx makes a data folder unreadable), named one by one."""
    if out.exists() and not out.is_dir():
        return [Problem(str(out), message="finns redan och är ingen mapp; ange en mapp för mallarna")]
    entries = list(out.iterdir()) if out.is_dir() else []
    problems = []
    for name in names:
        target = template_path(out, name)
        for path in entries:
            if path.stem.lower() != target.stem.lower() or path.suffix.lower() not in SUFFIXES:
                continue
            if path.suffix.lower() == ".xlsx" and not overwrite:
                problems.append(
                    Problem(
                        str(path), message="finns redan och skrivs inte över; ange --skriv-över för att ersätta den"
                    )
                )
            elif path.suffix.lower() != ".xlsx":
                message = (
                    f"mappen har redan tabellens fil; en mall bredvid den ger två filer för '{target.stem}', "
                    "som inte går att läsa. Skriv mallarna till en annan mapp"
                )
                problems.append(Problem(str(path), message=message))
    return problems


def write_templates(
    out: Path | str,
    plan: Plan | None = None,
    names: tuple[str, ...] = HAND_TABLES,
    overwrite: bool = False,
) -> list[Path]:
    """Write one template per register in `names` to the folder `out` (made if missing), each
    whole or not at all; returns the paths. Members and målområden come from `plan`
    (default: data/okr.toml). An existing template is never replaced unless `overwrite`; a
    DataError names every file in the way before anything is written."""
    out = Path(out)
    unknown = [n for n in names if n not in TABLES]
    if unknown:
        known = ", ".join(HAND_TABLES)
        raise DataError([Problem(n, message=f"ingen tabell med det namnet; mallar finns för {known}") for n in unknown])
    problems = _conflicts(out, names, overwrite)
    if problems:
        raise DataError(problems)
    plan = plan or load_plan()
    paths = []
    for name in names:
        path = template_path(out, name)
        with replacing(path) as tmp:
            workbook(TABLES[name], plan).save(tmp)
        paths.append(path)
    return paths
