"""Loading and validating the input tables (CSV or Excel, as analysts have them).

Inputs are only read. Every problem in a file is collected and reported with
file, row (as Excel numbers it), column, value and what was expected.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import hashlib
import io
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from bro_analysis.core.config import Plan, is_example_data, load_plan
from bro_analysis.input import parsing
from bro_analysis.input.contracts import DECIDED_STAGES, EARLIEST_DATE, TABLES, Column, Table

SUFFIXES = (".csv", ".xlsx")
SAVE_AS_XLSX = (".xls", ".xlsm", ".xlsb", ".ods", ".numbers")  # near misses: other spreadsheet formats
TEXT_SUFFIXES = (".txt", ".tsv", ".tab")
_FORMULA_TAG = re.compile(rb"<(\w+:)?f[\s>/]")
MAX_SHOWN = 60
HEADER_SEARCH_ROWS = 30  # instruction rows above an export's header
ABSENT = "absent_used_columns"  # frame.attrs key: optional columns a key result reads, not in the file
FILE_ROWS = "file_rows"  # frame.attrs key: each row's number in the file (the stage log's)
# Words in an investment's `källa` that say the value is an estimate (case-insensitive).
_ESTIMATE_WORDS = re.compile(r"uppskatt|bedömning|prognos|\bca\b|cirka|estimat", re.IGNORECASE)


@dataclass(frozen=True)
class Problem:
    """One thing wrong in an input file."""

    file: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    message: str = ""

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"rad {self.row}")
        if self.column:
            where.append(f"kolumn '{self.column}'")
        value = f": värdet '{self.value}'" if self.value is not None else ""
        return f"{', '.join(where)}{value} – {self.message}"


class DataError(Exception):
    """One or more input files are wrong; str() lists every problem."""

    def __init__(self, problems: list[Problem], warnings: list[str] | None = None):
        self.problems = problems
        self.warnings = list(warnings or [])
        super().__init__(self.describe())

    def describe(self) -> str:
        """Every problem (up to MAX_SHOWN), then the warnings of the same files: a dropped
        column may be why a value is wrong."""
        shown = [f"  {p}" for p in self.problems[:MAX_SHOWN]]
        more = len(self.problems) - MAX_SHOWN
        if more > 0:
            shown.append(f"  … och {more} fel till")
        head = f"{len(self.problems)} fel i indata:" if len(self.problems) != 1 else "1 fel i indata:"
        return "\n".join([head, *shown, *(f"Varning: {w}" for w in self.warnings)])


@dataclass
class Source:
    """Where a table came from, for the report's appendix."""

    table: str
    file: str
    rows: int
    sha256: str
    first_date: str | None = None
    last_date: str | None = None


class PersonalDataDropped(str):
    """The warning for a personal-data column (contracts: Table.personal_data) that was not read;
    a str like every warning, with the file and the column's header."""

    file: str
    column: str

    def __new__(cls, file: str, column: str) -> PersonalDataDropped:
        warning = super().__new__(cls, f"{file}: kolumnen '{column}' innehåller personuppgifter och lästes inte in")
        warning.file, warning.column = file, column
        return warning


@dataclass
class Dataset:
    """All tables of a data folder, validated."""

    data_dir: Path
    plan: Plan
    tables: dict[str, pd.DataFrame]
    sources: list[Source]
    warnings: list[str] = field(default_factory=list)

    @property
    def dropped_personal_data(self) -> list[PersonalDataDropped]:
        """The personal-data columns that were not read, one warning each."""
        return [w for w in self.warnings if isinstance(w, PersonalDataDropped)]

    @property
    def is_example(self) -> bool:
        return is_example_data(self.data_dir)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]


# --- reading files -----------------------------------------------------------


def find_file(data_dir: Path, stem: str) -> Path | None:
    """The table's file in the folder: stem.csv or stem.xlsx, any case."""
    matches = [p for p in _entries(data_dir) if p.stem.lower() == stem.lower() and p.suffix.lower() in SUFFIXES]
    if len(matches) > 1:
        raise DataError(
            [
                Problem(
                    str(data_dir),
                    message=(f"flera filer för tabellen '{stem}': {', '.join(p.name for p in matches)}; behåll en"),
                )
            ]
        )
    return matches[0] if matches else None


def _entries(data_dir: Path) -> list[Path]:
    try:
        return sorted(Path(data_dir).iterdir())
    except OSError as exc:
        raise DataError([Problem(str(data_dir), message=f"datamappen kan inte läsas ({exc.strerror})")]) from None


def near_misses(data_dir: Path, stem: str) -> list[str]:
    """Files probably meant as the table's: 'hittade nki.xls – spara som .xlsx'."""
    hints = []
    for path in _entries(data_dir):
        base, dot, rest = path.name.partition(".")
        rest = rest.lower()
        if not dot or parsing.fold(base) != stem:
            continue
        last = rest.rsplit(".", 1)[-1]
        if "." + rest in SUFFIXES:  # only the name differs, e.g. a space before the dot
            hints.append(f"hittade '{path.name}' – byt namn till {stem}.{rest}")
        elif "." in rest and "." + last in SUFFIXES:
            hints.append(f"hittade {path.name} – ta bort den dubbla ändelsen (filen ska heta {stem}.{last})")
        elif "." + rest in SAVE_AS_XLSX:
            hints.append(f"hittade {path.name} – spara som .xlsx")
        elif "." + rest in TEXT_SUFFIXES:
            hints.append(f"hittade {path.name} – byt ändelsen till .csv")
    return hints


def _check_readable(path: Path) -> None:
    """A folder, a broken link or a file without read permission, named like a data file, is an error."""
    try:
        with open(path, "rb"):
            return
    except OSError as exc:
        if path.is_symlink() and not path.exists():
            message = f"är en länk till {os.readlink(path)}, som inte finns"
        elif path.is_dir():
            message = "är en mapp, inte en fil"
        elif isinstance(exc, PermissionError):
            message = "kan inte läsas: behörighet saknas"
        else:
            message = f"kan inte läsas ({exc.strerror or exc})"
        raise DataError([Problem(str(path), message=message)]) from None


# Legacy encodings of Swedish text, told apart by the letters Swedish uses (å, ä, ö, é).
LEGACY_ENCODINGS = {"cp1252": "Windows-1252", "mac_roman": "Mac OS Roman"}
ENCODING_NAMES = {"utf-8": "UTF-8", **LEGACY_ENCODINGS}
_SWEDISH_LETTERS = frozenset("åäöÅÄÖéÉüÜ")


class MixedEncoding(UnicodeError):
    """Lines of one file in different encodings (rows appended from another program)."""

    def __init__(self, line: int, first: str, other: str):
        self.line, self.first, self.other = line, first, other
        super().__init__(f"line {line}: {other} after {first}")


def line_encoding(line: bytes) -> str | None:
    """The encoding a line of bytes is in: None for plain ASCII (any), UTF-8 when it decodes
    as such, else the legacy encoding that gives the most Swedish letters (None on a tie)."""
    if line.isascii():
        return None
    try:
        line.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    scores = {enc: sum(ch in _SWEDISH_LETTERS for ch in line.decode(enc, errors="replace")) for enc in LEGACY_ENCODINGS}
    best = max(scores.values())
    winners = [enc for enc, score in scores.items() if score == best]
    return winners[0] if len(winners) == 1 else None


def decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM (Excel's 'Unicode text'), else Windows-1252
    or Mac OS Roman (the one giving Swedish letters); byte order marks removed wherever they are.
    Lines in different encodings (cp1252 rows appended to a UTF-8 file) raise MixedEncoding."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = raw.decode("utf-16")
    elif b"\x00" in raw:  # not text (a workbook named .csv): the caller says so
        text = raw.decode("latin-1")
    else:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode(_legacy_encoding(raw))
    return text.replace("\ufeff", "")  # also the BOM of a second file pasted below the first


def _legacy_encoding(raw: bytes) -> str:
    """The one encoding of a file that is not UTF-8; MixedEncoding at the first line that differs."""
    first = None
    for number, line in enumerate(raw.split(b"\n"), 1):
        encoding = line_encoding(line)
        if encoding is None:
            continue
        if first is None:
            first = encoding
        elif encoding != first:
            raise MixedEncoding(number, ENCODING_NAMES[first], ENCODING_NAMES[encoding])
    if first == "utf-8":  # UTF-8 lines, and lines no encoding reads as Swedish
        bad = next(n for n, line in enumerate(raw.split(b"\n"), 1) if _not_utf8(line))
        raise MixedEncoding(bad, "UTF-8", "en annan teckenkodning")
    return first or "cp1252"


def _not_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
        return False
    except UnicodeDecodeError:
        return True


def sniff_separator(text: str, lines: int = 10) -> str:
    """';', ',' or tab: the one most lines of the first `lines` use most often,
    so that a title row above the header ("Leads, januari–augusti") does not decide."""
    head = [line for line in text.splitlines()[:50] if line.strip()][:lines]

    def typical(sep: str) -> int:
        counts = sorted(line.count(sep) for line in head)
        return counts[len(counts) // 2] if counts else 0

    first = head[0] if head else ""
    scores = {sep: (typical(sep), first.count(sep)) for sep in (";", ",", "\t")}
    return max(scores, key=lambda sep: scores[sep])


def _read_text(path: Path) -> str:
    """The file's text; a binary file (e.g. an Excel file named .csv) is an error."""
    try:
        text = decode(path.read_bytes())
    except MixedEncoding as exc:
        message = (
            f"raden har en annan teckenkodning ({exc.other}) än raderna ovanför ({exc.first}), "
            "t.ex. rader inklistrade från ett annat program; spara hela filen som CSV UTF-8"
        )
        raise DataError([Problem(path.name, exc.line, message=message)]) from None
    except UnicodeDecodeError:
        text = "\x00"
    if "\x00" in text:
        raise DataError(
            [
                Problem(
                    path.name,
                    message=("är ingen textfil; spara som CSV (UTF-8) eller som Excel-fil med ändelsen .xlsx"),
                )
            ]
        )
    return text


def _csv_rows(text: str, sep: str, file: str) -> list[list[str]]:
    """Parsed CSV records; a quote that is never closed (it swallows the rest of the file) is an error."""
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
    if rows and any("\n" in cell for cell in rows[-1]):
        try:
            list(csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True))
        except csv.Error as exc:
            if "end of data" in str(exc):
                raise DataError(
                    [
                        Problem(
                            file,
                            len(rows),
                            message=('ett citattecken (") avslutas aldrig, så resten av filen blev ett enda värde'),
                        )
                    ]
                ) from None
    return rows


def read_csv_cells(path: Path) -> pd.DataFrame:
    """All cells as stripped strings, no header inferred, index = Excel row number."""
    text = _read_text(path)
    if not text.strip():
        raise DataError([Problem(path.name, message="filen är tom")])
    sep = sniff_separator(text)
    try:  # pandas' C parser is fast; it refuses ragged rows and open quotes …
        frame = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            header=None,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            engine="c",
        ).fillna("")
    except (pd.errors.ParserError, ValueError):  # … which the csv module then reports precisely
        rows = _csv_rows(text, sep, path.name)
        width = max(len(r) for r in rows)
        frame = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=str)
    frame.index = range(1, len(frame) + 1)
    frame.columns = range(frame.shape[1])
    return without_invisible(frame)


def without_invisible(frame: pd.DataFrame) -> pd.DataFrame:
    """Cells without the characters nobody sees (soft hyphen, zero-width space …) and stripped."""

    def clean(col: pd.Series) -> pd.Series:
        if parsing.INVISIBLE.search("".join(col.tolist())):  # one look at the whole column: rarely there
            col = col.str.replace(parsing.INVISIBLE, "", regex=True)
        return col.str.strip()

    return frame.apply(clean)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d") if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "ref") and hasattr(value, "text"):  # an array formula (read with data_only=False)
        return str(value.text or "=")
    return str(value).strip()


def _sheet_cells(sheet, max_row: int | None = None) -> pd.DataFrame:
    sheet.reset_dimensions()  # a size recorded wrongly by the program that wrote the file would cut the table
    rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(max_row=max_row, values_only=True)]
    width = max((len(r) for r in rows), default=0)
    if not width:
        return pd.DataFrame(dtype=str)
    frame = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=str)
    frame.index = range(1, len(frame) + 1)
    return without_invisible(frame)


def _open_workbook(path: Path, data_only: bool = True):
    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=True, data_only=data_only)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise DataError([Problem(path.name, message=f"kan inte läsas som Excel-fil (.xlsx): {exc}")]) from None


def read_excel_cells(path: Path, table: Table) -> pd.DataFrame:
    """The cells of the sheet holding the table (`_table_sheet`), as computed values."""
    book = _open_workbook(path)
    try:
        sheet = _table_sheet(book, table, path.name)
        cells = _sheet_cells(book[sheet])
        xml_path = getattr(book[sheet], "_worksheet_path", None)
        problems = _continued_elsewhere(book, sheet, cells, table, path.name)
    finally:
        book.close()
    if xml_path:
        cells, merged_problems = fill_merged(cells, _merged_ranges(path, xml_path), table, path.name)
        problems += merged_problems
    problems = problems or _formula_problems(path, sheet, cells, table)
    if problems:
        raise DataError(problems)
    return cells


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell ref="([A-Z]+\d+):([A-Z]+\d+)"')


def _merged_ranges(path: Path, xml_path: str) -> list[tuple[int, int, int, int]]:
    """The sheet's merged cells as (first column, first row, last column, last row), counted from 1."""
    from openpyxl.utils.cell import range_boundaries

    with zipfile.ZipFile(path) as archive:
        try:
            xml = archive.read(xml_path.lstrip("/"))
        except KeyError:
            return []
    ranges = []
    for first, last in _MERGE.findall(xml):
        min_col, min_row, max_col, max_row = range_boundaries(f"{first.decode()}:{last.decode()}")
        ranges.append((int(min_col or 1), int(min_row or 1), int(max_col or 1), int(max_row or 1)))
    return ranges


def fill_merged(
    cells: pd.DataFrame, merged: list[tuple[int, int, int, int]], table: Table, file: str
) -> tuple[pd.DataFrame, list[Problem]]:
    """Merged cells below the header: a column's block (the municipality of a block of rows)
    gives each row its value where the contract allows it (Column.fill_down); any other
    merge among the data is an error (only its first cell holds the value)."""
    header_row = find_header(cells, table)
    if header_row is None or not merged:
        return cells, []
    names = _header_names(table)
    cells = cells.copy()
    problems = []
    for min_col, min_row, max_col, max_row in merged:
        if max_row <= header_row:
            continue  # a group heading above the header
        column = names.get(parsing.header_key(cells.at[header_row, min_col - 1])) if min_col - 1 in cells else None
        allowed = column is not None and table.column(column).fill_down
        if min_col == max_col and min_row > header_row and allowed:
            cells.loc[min_row:max_row, min_col - 1] = cells.at[min_row, min_col - 1]
            continue
        from openpyxl.utils.cell import get_column_letter

        where = f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col)}{max_row}"
        problems.append(
            Problem(
                file,
                min_row,
                column,
                where,
                "sammanfogade celler bland raderna; bara den första cellen har värdet. "
                "Dela upp dem och skriv värdet på varje rad",
            )
        )
    return cells, problems


_ARRAY = re.compile(
    rb'<(?:\w+:)?c r="([A-Z]+\d+)"[^>]*>\s*<(?:\w+:)?f [^>]*t="array"[^>]*ref="([A-Z]+\d+(?::[A-Z]+\d+)?)"'
)


def _spread_array_formulas(formulas: pd.DataFrame, path: Path, xml_path: str) -> pd.DataFrame:
    """Every cell an array formula (Ctrl+Shift+Enter, or a dynamic array that spills) fills
    marked with its formula: the file holds the formula in the first cell only."""
    from openpyxl.utils.cell import range_boundaries

    with zipfile.ZipFile(path) as archive:
        try:
            xml = archive.read(xml_path.lstrip("/"))
        except KeyError:
            return formulas
    formulas = formulas.copy()
    for _cell, ref in _ARRAY.findall(xml):
        min_col, min_row, max_col, max_row = range_boundaries(ref.decode())
        text = formulas.at[min_row, min_col - 1] if min_row in formulas.index and min_col - 1 in formulas else ""
        rows = [r for r in range(int(min_row or 1), int(max_row or 1) + 1) if r in formulas.index]
        cols = [c - 1 for c in range(int(min_col or 1), int(max_col or 1) + 1) if c - 1 in formulas.columns]
        formulas.loc[rows, cols] = text if str(text).startswith("=") else "=" + str(text)
    return formulas


# Kinds whose values are read without the plan, to see whether a sheet's rows are the table's.
_PLAIN_KINDS = ("int", "year", "float", "date", "bool")


def _continued_elsewhere(book, sheet: str, cells: pd.DataFrame, table: Table, file: str) -> list[Problem]:
    """Another sheet whose rows are the table's without a header row (a table split over two
    sheets, the second pasted without its header): an error, since only half would be read."""
    header_row = find_header(cells, table)
    if header_row is None:
        return []
    names = _header_names(table)
    known = {
        pos: table.column(names[parsing.header_key(text)])
        for pos, text in cells.loc[header_row].items()
        if text and names.get(parsing.header_key(text))
    }
    plain = {pos: col for pos, col in known.items() if col.kind in _PLAIN_KINDS}
    required = [pos for pos, col in known.items() if col.required]
    if not plain or not required:
        return []
    problems = []
    for other in book.worksheets:
        if other.title == sheet:
            continue
        head = _sheet_cells(other, max_row=20)
        if head.empty or find_header(head, table) is not None:
            continue
        rows = head[(head != "").any(axis=1)]
        if rows.empty or rows.shape[1] < max(required) + 1:
            continue
        rows = rows.reindex(columns=range(max(known) + 1), fill_value="")  # empty cells at the end are not saved
        # Every required cell filled, every date, number and yes/no as the table's, and some of them there.
        fits = [(rows[pos] != "").all() for pos in required]
        fits += [(parse_column(rows[pos].astype(str), col, None)[1] == "").all() for pos, col in plain.items()]  # type: ignore[arg-type]
        fits.append(any((rows[pos] != "").any() for pos in plain))
        if all(fits):
            message = (
                f"bladet '{other.title}' ser ut att fortsätta tabellen på bladet '{sheet}' men saknar rubrikrad, "
                "så bara ena halvan skulle läsas; flytta raderna till ett blad under rubrikraden"
            )
            problems.append(Problem(file, message=message))
    return problems


def _table_sheet(book, table: Table, file: str) -> str:
    """The sheet named after the table, the only sheet, or the one with the table's header.
    The header with rows under it on more than one sheet (a table split up, an old copy) is an error."""
    names = [ws.title for ws in book.worksheets]  # not chart sheets
    named = [n for n in names if parsing.fold(n) in (table.stem, parsing.fold(table.title))]
    headed, with_rows = [], []
    for name in names:
        head = _sheet_cells(book[name], max_row=HEADER_SEARCH_ROWS + 10)
        row = find_header(head, table) if len(head) else None
        if row is not None:
            headed.append(name)
            if (head.loc[row + 1 :] != "").any().any():
                with_rows.append(name)
    if len(with_rows) > 1:
        sheets = ", ".join(f"'{n}'" for n in with_rows)
        message = f"tabellen finns på flera blad: {sheets}; samla raderna på ett blad och ta bort de andra"
        raise DataError([Problem(file, message=message)])
    chosen = named or (names if len(names) == 1 else []) or with_rows or headed
    if not chosen:
        raise DataError(
            [Problem(file, message=f"hittar inget blad med tabellens rubrikrad; bladen heter {', '.join(names)}")]
        )
    return chosen[0]


def _has_formulas(path: Path) -> bool:
    """Whether a sheet of the workbook holds a formula: a quick look at its XML, so that the
    workbook is read a second time only when it does."""
    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
        return any(_FORMULA_TAG.search(archive.read(n)) for n in sheets)


def _formula_problems(path: Path, sheet: str, cells: pd.DataFrame, table: Table) -> list[Problem]:
    """Formulas saved without a computed value (the file was written by a program and never
    calculated): empty among the values, so the workbook is opened for its formulas only then."""
    header_row = find_header(cells, table)
    if header_row is None:
        return []
    columns = [pos for pos, text in cells.loc[header_row].items() if text]
    empty = cells.loc[header_row + 1 :, columns] == ""
    if not empty.any().any() or not _has_formulas(path):
        return []
    book = _open_workbook(path, data_only=False)
    try:
        formulas = _sheet_cells(book[sheet]).reindex(index=cells.index, columns=cells.columns, fill_value="")
        xml_path = getattr(book[sheet], "_worksheet_path", None)
    finally:
        book.close()
    if xml_path:
        formulas = _spread_array_formulas(formulas, path, xml_path)
    is_formula = formulas.apply(lambda col: col.str.startswith("="))
    if (is_formula & (cells != "")).any().any():
        return []  # calculated: a formula's empty result is an empty value
    missing = is_formula.loc[empty.index, columns] & empty
    return [
        Problem(
            path.name,
            int(missing.index[i]),
            cells.at[header_row, missing.columns[j]],
            formulas.at[missing.index[i], missing.columns[j]],
            "formeln har inget sparat värde; öppna filen i Excel och spara den igen",
        )
        for i, j in np.argwhere(missing.to_numpy())
    ]


def read_cells(path: Path, table: Table) -> pd.DataFrame:
    _check_readable(path)
    if path.suffix.lower() == ".xlsx":
        return read_excel_cells(path, table)
    return read_csv_cells(path)


# --- header and columns --------------------------------------------------------


def _header_names(table: Table) -> dict[str, str]:
    names = {}
    for col in table.columns:
        for alias in (col.name, *col.aliases):
            names[parsing.header_key(alias)] = col.name
    return names


def find_header(cells: pd.DataFrame, table: Table, search_rows: int = HEADER_SEARCH_ROWS) -> int | None:
    """Excel row number of the header: the first row naming all required columns (instruction
    rows above it are passed over)."""
    names = _header_names(table)
    required = {c.name for c in table.columns if c.required}
    for row_no, row in cells.head(search_rows).iterrows():
        found = {names.get(parsing.header_key(v)) for v in row if v}
        if required <= found:
            return row_no
    return None


def _missing_header_problem(cells: pd.DataFrame, table: Table, file: str) -> Problem:
    names = _header_names(table)
    rows = [[v for v in r if v] for _, r in cells.head(HEADER_SEARCH_ROWS).iterrows() if any(r)]
    if not rows:
        return Problem(file, message=f"hittar ingen rubrikrad; de {HEADER_SEARCH_ROWS} första raderna är tomma")
    found_in = [{names.get(parsing.header_key(v)) for v in r} for r in rows]
    best = max(range(len(rows)), key=lambda i: len(found_in[i] - {None}))  # the likeliest header
    first, found = rows[best], found_in[best]
    missing = [c.name for c in table.columns if c.required and c.name not in found]
    seen = ", ".join(f"'{v}'" for v in first) or "inga"
    if len(first) == 1 and len(missing) > 1:  # the whole row in one cell
        hint = " (fel avgränsare? använd semikolon eller komma)"
    else:
        hint = _nearest_headers(missing, [v for v in first if names.get(parsing.header_key(v)) is None], table)
    return Problem(file, message=(f"saknar obligatoriska kolumner: {', '.join(missing)}; rubrikraden har {seen}{hint}"))


def _nearest_headers(missing: list[str], unknown: list[str], table: Table) -> str:
    """'; är 'Kanl' kanal?' for each missing column an unknown header is near to."""
    keys = {parsing.header_key(v): v for v in unknown}
    guesses = []
    for name in missing:
        spellings = [parsing.header_key(a) for a in (name, *table.column(name).aliases)]
        near = [m for s in spellings for m in difflib.get_close_matches(s, keys, n=1, cutoff=0.75)]
        if near:
            guesses.append(f"är '{keys[near[0]]}' {name}?")
    return "; " + "; ".join(guesses) if guesses else ""


# --- validation ---------------------------------------------------------------------


def parse_column(values: pd.Series, col: Column, plan: Plan) -> tuple[pd.Series, pd.Series]:
    """Parsed values and an error message per value ("" where fine)."""
    kind = col.kind
    if kind != "str":
        values = parsing.drop_apostrophe(values)
    if kind in ("int", "year"):
        return parsing.parse_int(values)
    if kind == "float":
        return parsing.parse_number(values)
    if kind == "date":
        return parsing.parse_date(parsing.drop_time(values))
    if kind == "bool":
        return parsing.parse_bool(values)
    if kind == "category":
        allowed = plan.target_areas if col.name == "målområde" else col.allowed
        return parsing.parse_category(values, allowed)
    if kind == "municipality":
        return parsing.parse_municipality(values, plan.members)
    if kind == "municipalities":
        return parsing.parse_municipality_list(values, plan.members)
    if kind == "code":
        return parsing.parse_code(values)
    return parsing.parse_text(values)


def check_values(
    values: pd.Series, col: Column, plan: Plan, counts, is_csv: bool, today: dt.date
) -> tuple[pd.Series, pd.Series]:
    """Parse distinct values (occurring `counts` times) and say what is wrong with each."""
    values = as_written(values, col)
    parsed, errors = parse_column(values, col, plan)
    errors = errors.where(errors != "", _range_errors(parsed, col))
    errors = errors.where(errors != "", _suspect_errors(parsed, col))
    errors = errors.where(errors != "", _future_errors(parsed, col, today))
    if col.required:
        errors[(values == "") & (errors == "")] = "värde saknas"
    excel = values.isin(parsing.EXCEL_ERRORS) & (errors != "") & ~errors.str.startswith("Excel")
    errors[excel] = "Excel-felvärde; " + errors[excel]
    if col.kind == "float" and is_csv:
        mixed = parsing.mixed_decimal_rows(values, counts) & (errors == "")
        errors[mixed] = "blandar decimalkomma och decimalpunkt i samma kolumn"
    return parsed, errors


def as_written(values: pd.Series, col: Column) -> pd.Series:
    """The values with the declared synonyms read (parsing.MISSING_WORDS: 'NA', 'NULL', '..'
    are empty; a lookup's #N/A or #SAKNAS! is empty in an optional column no key result
    reads) and an
    empty cell as the contract says it reads (`blank_means`)."""
    folded = values.str.casefold()
    missing = folded.isin(parsing.MISSING_WORDS)
    if not col.required and not col.used_by:  # where a key result reads it, #N/A stays an error
        missing |= values.isin(parsing.NOT_FOUND)
    values = values.mask(missing, "")
    if col.blank_means:
        values = values.mask(values == "", col.blank_means)
    return values


def _suspect_errors(parsed: pd.Series, col: Column) -> pd.Series:
    """Values of the right type in a range that means something else (contracts: Suspect),
    and dates before the registers begin."""
    errors = pd.Series("", index=parsed.index)
    if col.kind == "date":
        early = parsed < pd.Timestamp(EARLIEST_DATE)
        errors[early] = f"datumet ligger före {EARLIEST_DATE[:4]}, innan registren började; fel år?"
        return errors
    if not col.suspect:
        return errors
    numeric = pd.to_numeric(parsed, errors="coerce")
    for suspect in reversed(col.suspect):  # the first that fits wins
        errors[numeric.between(suspect.low, suspect.high)] = suspect.cause
    return errors


def _range_errors(parsed: pd.Series, col: Column) -> pd.Series:
    errors = pd.Series("", index=parsed.index)
    if col.min is None and col.max is None:
        return errors
    numeric = pd.to_numeric(parsed, errors="coerce")
    low = col.min if col.min is not None else float("-inf")
    high = col.max if col.max is not None else float("inf")
    outside = numeric.notna() & ((numeric < low) | (numeric > high))
    if col.max is None:
        text = f"får inte vara mindre än {low:g}"
    elif col.min is None:
        text = f"får inte vara större än {high:g}"
    else:
        text = f"förväntade ett värde mellan {low:g} och {high:g}"
    errors[outside] = text
    return errors


def _future_errors(parsed: pd.Series, col: Column, today: dt.date) -> pd.Series:
    """A date (or year) after `today` in a column recording what has happened (contracts: future_allowed)."""
    errors = pd.Series("", index=parsed.index)
    if col.future_allowed:
        return errors
    if col.kind == "date":
        errors[parsed > pd.Timestamp(today)] = f"datumet ligger i framtiden (i dag är {today.isoformat()}); fel år?"
    elif col.kind == "year":
        errors[pd.to_numeric(parsed, errors="coerce") > today.year] = f"året ligger i framtiden (i år är {today.year})"
    return errors


def validate_cells(
    cells: pd.DataFrame, table: Table, plan: Plan, file: str, today: dt.date | None = None
) -> tuple[pd.DataFrame, list[Problem], list[str]]:
    """Check and convert the raw cells of one file into the table's DataFrame."""
    today = today or dt.date.today()
    if not (cells != "").any().any():
        return pd.DataFrame(), [Problem(file, message="filen är tom")], []
    header_row = find_header(cells, table)
    if header_row is None:
        return pd.DataFrame(), [_missing_header_problem(cells, table, file)], []
    names = _header_names(table)
    header = cells.loc[header_row]
    body = cells.loc[header_row + 1 :]
    body = body[(body != "").any(axis=1)]  # empty rows (e.g. trailing) carry nothing
    problems: list[Problem] = []
    warnings: list[str] = []
    repeated, reordered = _header_rows_in_body(body, header, table)
    if len(repeated):
        body = body.drop(repeated)
        rows = ", ".join(str(r) for r in repeated)
        warnings.append(f"{file}: rad {rows} upprepar rubrikraden och hoppas över")
    for row in reordered:
        message = (
            f"en rubrikrad med andra kolumner eller annan ordning än rubrikraden (rad {header_row}); "
            "två exporter inklistrade efter varandra? Gör kolumnerna lika och ta bort den andra rubrikraden"
        )
        problems.append(Problem(file, row, None, " | ".join(v for v in body.loc[row] if v), message))
    if table.skip_aggregates:
        body = _without_aggregates(body, header, table, file, warnings)
    positions: dict[str, object] = {}
    unknown: list[tuple[object, str]] = []
    for pos, text in header.items():
        if not text:
            if (body[pos] != "").any():
                warnings.append(f"{file}: kolumn utan rubrik ignoreras")
            continue
        canonical = names.get(parsing.header_key(text))
        if canonical is None:
            if _is_personal(text, table):
                warnings.append(PersonalDataDropped(file, text))
            else:
                unknown.append((pos, text))
        elif canonical in positions:
            problems.append(Problem(file, header_row, text, message=f"kolumnen '{canonical}' finns två gånger"))
        else:
            positions[canonical] = pos
    unknown_problems, suggested = _unknown_columns(unknown, positions, body, table, plan, file, header_row, warnings)
    problems += unknown_problems
    if body.empty:
        problems.append(Problem(file, message="filen har rubrikrad men inga datarader"))
        return pd.DataFrame(), problems, warnings
    absent = [
        c.name
        for c in table.columns
        if c.name not in positions and c.name not in suggested and c.used_by and not c.required
    ]

    if file.lower().endswith(".csv"):
        problems += _overflow_problems(body, header, file)
    out = pd.DataFrame(index=body.index)
    for col in table.columns:
        if col.name not in positions:
            if col.required:
                problems.append(Problem(file, header_row, col.name, message="obligatorisk kolumn saknas"))
            empty = pd.Series("", index=body.index, dtype=str)  # typed, all missing
            _store(out, col, parse_column(empty, col, plan)[0], plan)
            continue
        values = body[positions[col.name]].astype(str)
        # Each distinct value is checked once: a 250 000-row leads file has a few thousand
        # dates and a handful of channels.
        codes, uniques = pd.factorize(values)
        distinct = pd.Series(uniques, dtype=str)
        parsed, errors = check_values(
            distinct, col, plan, np.bincount(codes, minlength=len(distinct)), file.lower().endswith(".csv"), today
        )
        bad = np.flatnonzero((errors != "").to_numpy())
        if len(bad):
            for row_no, code in zip(values.index[np.isin(codes, bad)], codes[np.isin(codes, bad)]):
                problems.append(Problem(file, int(row_no), col.name, distinct[code], errors[code]))
        _store(out, col, parsed.take(codes).set_axis(values.index), plan)
    problems += _key_problems(out, table, file)  # on the values as typed, so a message quotes them
    for col in table.columns:
        if col.label and col.name in out:
            out[col.name] = one_spelling(out[col.name])
    out.attrs[ABSENT] = absent
    return out, problems, warnings


def one_spelling(values: pd.Series) -> pd.Series:
    """Labels that differ only in case or surrounding space ('LinkedIn', 'linkedin ') as one,
    written as the most common spelling (the first seen on a tie); missing values stay missing."""
    present = values.dropna().astype(str)
    if present.empty:
        return values
    keys = present.str.strip().str.casefold()
    counts = present.str.strip().groupby([keys, present.str.strip()], sort=False).size()
    spelling = counts.groupby(level=0, sort=False).idxmax().map(lambda pair: pair[1])
    result = values.copy()
    result[present.index] = keys.map(spelling)
    return result


def _header_rows_in_body(body: pd.DataFrame, header: pd.Series, table: Table) -> tuple[list[int], list[int]]:
    """Rows below the header that are a header themselves (two exports pasted one below the
    other): those naming the same columns in the same places (to skip), and those naming
    them otherwise (an error: the rows below them would be read into the wrong columns)."""
    names = _header_names(table)
    spelled = {a for c in table.columns for a in (c.name, *c.aliases)} | set(names) | {t for t in header if t}
    words = {form for w in spelled for form in (w, w.lower(), w.upper(), w.capitalize(), w.title())}
    hits = pd.DataFrame({pos: body[pos].isin(words) for pos in body.columns})  # no per-cell work: files are large
    required = sum(c.required for c in table.columns)
    same: list[int] = []
    other: list[int] = []
    wanted = {pos: names.get(parsing.header_key(text)) for pos, text in header.items() if text}
    for row in body.index[hits.sum(axis=1) >= max(required, 2)]:
        found = {pos: names.get(parsing.header_key(v)) for pos, v in body.loc[row].items() if v}
        (same if found == wanted else other).append(int(row))
    return same, other


def _without_aggregates(body: pd.DataFrame, header: pd.Series, table: Table, file: str, warnings: list[str]):
    """The rows without those of the country or a county (contracts: Table.skip_aggregates)."""
    names = _header_names(table)
    where = [pos for pos, text in header.items() if names.get(parsing.header_key(text)) in ("kommunkod", "kommun")]
    if not where:
        return body
    values = parsing.drop_apostrophe(body[where[0]]).str.replace(r"[.,]0+$", "", regex=True)
    aggregate = values.map({v: parsing.is_aggregate(v) for v in values.unique()}).astype(bool)
    if aggregate.any():
        rows = ", ".join(str(r) for r in body.index[aggregate])
        shown = ", ".join(sorted(set(body.loc[aggregate, where[0]])))
        warnings.append(f"{file}: rad {rows} ({shown}) gäller riket eller ett län, inte en kommun, och hoppas över")
    return body[~aggregate]


def _unknown_columns(
    unknown: list[tuple[object, str]],
    positions: dict[str, object],
    body: pd.DataFrame,
    table: Table,
    plan: Plan,
    file: str,
    header_row: int,
    warnings: list[str],
) -> tuple[list[Problem], set[str]]:
    """Headers the contract does not know. One that is probably a missing column (its header
    is near the column's name, or its values fit a missing column a key result reads) is an
    error suggesting that header; the others are dropped with a warning. A missing column a
    key result reads is an error, or a warning where the contract says how the key result
    is computed without it (Column.if_absent)."""
    missing = [c for c in table.columns if c.name not in positions]
    spellings = {parsing.header_key(a): c.name for c in missing for a in (c.name, *c.aliases)}
    problems: list[Problem] = []
    suggested: set[str] = set()
    for pos, text in unknown:
        near = difflib.get_close_matches(parsing.header_key(text), spellings, n=1, cutoff=0.75)
        fits = [c.name for c in missing if (c.used_by or c.required) and _values_fit(body[pos], c, plan)]
        guesses = list(dict.fromkeys([spellings[n] for n in near] + ([] if near else fits)))
        if not guesses:
            warnings.append(f"{file}: okänd kolumn '{text}' ignoreras")
            continue
        suggested.update(guesses)
        problems.append(Problem(file, header_row, text, message=_suggestion(guesses, table)))
    return problems, suggested


def absent_used_columns(frame: pd.DataFrame, table: Table, file: str) -> tuple[list[Problem], list[str]]:
    """Optional columns a key result reads that the file does not have (validate_cells notes
    them in frame.attrs): an error, or a warning where the contract says how the key result
    is computed without the column (Column.if_absent). Checked for a whole data folder, so
    that a single table may still be read without them."""
    problems, warnings = [], []
    for name in frame.attrs.get(ABSENT, ()):
        col = table.column(name)
        if col.if_absent:
            warnings.append(f"{file}: kolumnen '{col.name}' saknas; {col.if_absent}")
        else:
            results = ", ".join(col.used_by)
            message = f"kolumnen saknas, och {results} räknas från den; lägg till den (tomma celler går bra)"
            problems.append(Problem(file, 1, col.name, message=message))
    return problems, warnings


def _suggestion(guesses: list[str], table: Table) -> str:
    """'okänd kolumnrubrik; menar du 'investeringsvärde_msek' (MSEK, I1 räknas från den)?'"""
    parts = []
    for name in guesses:
        col = table.column(name)
        notes = [n for n in (col.unit, f"{', '.join(col.used_by)} räknas från den" if col.used_by else "") if n]
        parts.append(f"'{name}'" + (f" ({'; '.join(notes)})" if notes else ""))
    return (
        f"okänd kolumnrubrik, och den saknade kolumnen {' eller '.join(parts)} ser ut att vara den; "
        "byt rubriken till kolumnens namn (data/README.md)"
    )


def _values_fit(values: pd.Series, col: Column, plan: Plan) -> bool:
    """Whether a column's values read as `col`'s (most non-empty ones parse without an error)."""
    present = values[values != ""].drop_duplicates().head(200)
    if present.empty or col.kind == "str":
        return False
    _, errors = parse_column(present.astype(str), col, plan)
    return bool((errors == "").mean() >= 0.8)


def _store(out: pd.DataFrame, col: Column, parsed: pd.Series, plan: Plan) -> None:
    """Put a parsed column in the output; a municipality gives 'kommunkod' and the canonical name."""
    if col.kind == "municipality":
        out["kommunkod"] = parsed
        out[col.name] = parsed.map(plan.members)
    else:
        out[col.name] = parsed


def _is_personal(text: str, table: Table) -> bool:
    """A personal-data header, also as a variant ('Telefonnummer', 'E-postadress', 'Förnamn')."""
    key = parsing.header_key(text)
    words = {parsing.header_key(p) for p in table.personal_data}
    return any(key.startswith(w) or key.endswith(w) for w in words)


def _overflow_problems(body: pd.DataFrame, header: pd.Series, file: str) -> list[Problem]:
    """CSV rows with more fields than the header: typically decimal commas in a comma-separated file."""
    last = max((pos for pos, text in header.items() if text), default=-1)
    extra = body.loc[:, [pos for pos in body.columns if pos > last]]
    rows = extra.index[(extra != "").any(axis=1)]
    return [
        Problem(
            file,
            int(row),
            None,
            ", ".join(v for v in extra.loc[row] if v),
            (
                "raden har fler fält än rubrikraden (decimalkomma i en kommaseparerad fil?); "
                "använd semikolon som avgränsare eller citattecken runt talen"
            ),
        )
        for row in rows
    ]


def _key_problems(frame: pd.DataFrame, table: Table, file: str) -> list[Problem]:
    """Rows repeating an earlier row's key; text compared without case or surrounding space."""
    if not table.key or not set(table.key) <= set(frame.columns):
        return []
    keys = frame[list(table.key)].apply(_comparable)
    dup = keys.duplicated(keep=False) & keys.notna().all(axis=1)
    problems = []
    for _, group in keys[dup].groupby(list(table.key), sort=False):
        rows = [int(r) for r in group.index]
        first = _key_text(frame, rows[0], table)
        for row in rows[1:]:
            value = _key_text(frame, row, table)
            written = f" ('{first}'; versaler och mellanslag räknas inte)" if value != first else ""
            problems.append(
                Problem(
                    file,
                    row,
                    ", ".join(table.key),
                    value,
                    f"samma nyckel som rad {rows[0]}{written}; varje nyckel får finnas en gång",
                )
            )
    return problems


def _comparable(column: pd.Series) -> pd.Series:
    """A key column as compared: text without case or surrounding space ('INV-1 ' = 'inv-1')."""
    if pd.api.types.is_string_dtype(column):
        return column.str.strip().str.casefold()
    return column


def _key_text(frame: pd.DataFrame, row, table: Table) -> str:
    values = frame.loc[row, list(table.key)]
    return " / ".join(str(v.date()) if isinstance(v, pd.Timestamp) else str(v) for v in values)


def _cross_checks(frame: pd.DataFrame, table: Table, file: str) -> list[Problem]:
    problems = []
    if table.name == "investeringar":
        decided = frame["skede"].isin(DECIDED_STAGES) & frame["beslutsdatum"].isna()
        for row in frame.index[decided]:
            problems.append(
                Problem(
                    file, int(row), "beslutsdatum", "", f"skedet '{frame.at[row, 'skede']}' kräver ett beslutsdatum"
                )
            )
        undecided = frame["skede"].isin(("lead", "dialog")) & frame["beslutsdatum"].notna()
        for row in frame.index[undecided]:
            problems.append(
                Problem(
                    file,
                    int(row),
                    "beslutsdatum",
                    str(frame.at[row, "beslutsdatum"].date()),
                    f"skedet '{frame.at[row, 'skede']}' har inget beslut; är skedet beslut eller etablerad, "
                    "eller hör datumet inte hit?",
                )
            )
        early = frame["beslutsdatum"].notna() & (frame["beslutsdatum"] < frame["första_kontakt"])
        for row in frame.index[early]:
            problems.append(
                Problem(
                    file,
                    int(row),
                    "beslutsdatum",
                    str(frame.at[row, "beslutsdatum"].date()),
                    "beslutsdatum före första kontakt",
                )
            )
    if table.name == "leads" and "konverteringsdatum" in frame:
        early = frame["konverteringsdatum"].notna() & (frame["konverteringsdatum"] < frame["datum"])
        for row in frame.index[early]:
            problems.append(
                Problem(
                    file,
                    int(row),
                    "konverteringsdatum",
                    str(frame.at[row, "konverteringsdatum"].date()),
                    "konverteringsdatum före datumet då leadet kom in",
                )
            )
    if table.name == "nki" and {"ki_nedre", "ki_övre"} <= set(frame.columns):
        problems += _interval_problems(frame, file)
    return problems


def _interval_problems(frame: pd.DataFrame, file: str) -> list[Problem]:
    """Both confidence limits or none; lower ≤ value ≤ upper; not all three equal."""
    lo, hi, v = frame["ki_nedre"], frame["ki_övre"], frame["värde"]
    problems = []
    for row in frame.index[lo.isna() != hi.isna()]:
        given, empty = ("ki_nedre", "ki_övre") if hi.isna()[row] else ("ki_övre", "ki_nedre")
        value = f"{lo[row] if given == 'ki_nedre' else hi[row]:g}"
        message = f"{given} är ifyllt men {empty} saknas; ange båda gränserna eller ingen"
        problems.append(Problem(file, int(row), empty, value, message))
    both = lo.notna() & hi.notna()
    for row in frame.index[both & ((lo > v) | (v > hi))]:
        message = f"intervallet måste omsluta värdet {v[row]}"
        problems.append(Problem(file, int(row), "ki_nedre/ki_övre", f"{lo[row]}–{hi[row]}", message))
    for row in frame.index[both & (lo == v) & (v == hi)]:
        message = (
            "gränserna är lika med värdet, ett intervall utan bredd; kopierat värdet till gränserna? lämna dem tomma"
        )
        problems.append(Problem(file, int(row), "ki_nedre/ki_övre", f"{lo[row]}–{hi[row]}", message))
    return problems


def _estimate_warnings(frame: pd.DataFrame, table: Table, file: str) -> list[str]:
    """Investments whose källa sounds like an estimate while uppskattat_värde says nej;
    one warning per källa text, naming its rows."""
    if table.name != "investeringar" or "källa" not in frame:
        return []
    source = frame["källa"].astype("string")
    confirmed = frame["uppskattat_värde"].astype("boolean").eq(False).fillna(False)
    sounds = source.str.contains(_ESTIMATE_WORDS, na=False).astype(bool)
    rows = frame[confirmed & sounds]
    return [
        f'{file}, rad {", ".join(str(r) for r in group.index)}: källa "{text}" låter som en uppskattning '
        'men uppskattat_värde är "nej"'
        for text, group in rows.groupby("källa", sort=False)
    ]


def _missing_members(frame: pd.DataFrame, problems: list[Problem], plan: Plan, file: str) -> list[Problem]:
    """Every member municipality has a row for every year of the table; a row whose year or
    municipality is wrong already has a problem and is left out."""
    frame = frame[~frame.index.isin({p.row for p in problems if p.column in ("år", "kommun")})]
    present = set(zip(frame["år"], frame["kommunkod"]))
    return [
        Problem(file, message=f"rad saknas för {name} år {year}; tabellen ska ha en rad per medlemskommun och år")
        for year in sorted(frame["år"].dropna().unique())
        for code, name in plan.members.items()
        if (year, code) not in present
    ]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_table(
    path: Path | str, table: Table | str, plan: Plan | None = None, today: dt.date | None = None
) -> tuple[pd.DataFrame, list[str]]:
    """Read and validate one file. Raises DataError listing every problem.
    `today` (default: the real date) is when dates stop being allowed (contracts: future_allowed)."""
    path = Path(path)
    table = TABLES[table] if isinstance(table, str) else table
    plan = plan or load_plan()
    cells = read_cells(path, table)
    frame, problems, warnings = validate_cells(cells, table, plan, path.name, today)
    if len(frame):  # rows with a bad value are left out here: they already have a problem
        bad_rows = {p.row for p in problems}
        problems += _cross_checks(frame[~frame.index.isin(bad_rows)], table, path.name)
        if table.name == "kommuner":
            problems += _missing_members(frame, problems, plan, path.name)
    if problems:
        raise DataError(problems, warnings)
    warnings += _estimate_warnings(frame, table, path.name)
    rows = [int(r) for r in frame.index]
    frame = frame.reset_index(drop=True)
    if table.name == "investeringar_skeden":  # checked against investeringar once both are read
        frame.attrs[FILE_ROWS] = rows
    return frame, warnings


def _date_range(frame: pd.DataFrame) -> tuple[str | None, str | None]:
    for col in ("datum", "första_kontakt"):
        if col in frame and frame[col].notna().any():
            return str(frame[col].min().date()), str(frame[col].max().date())
    for col in ("mätår", "år"):
        if col in frame and frame[col].notna().any():
            return str(frame[col].min()), str(frame[col].max())
    return None, None


def load_dataset(
    data_dir: Path | str,
    plan: Plan | None = None,
    names: tuple[str, ...] | None = None,
    today: dt.date | None = None,
) -> Dataset:
    """Load every table of a data folder; problems across all files are raised together.
    `today` defaults to the real date (see load_table)."""
    data_dir = Path(data_dir)
    plan = plan or load_plan()
    today = today or dt.date.today()
    if not data_dir.is_dir():
        raise DataError([Problem(str(data_dir), message="datamappen finns inte")])
    tables, sources, problems = {}, [], []
    warnings: list[str] = []
    for name in names or tuple(TABLES):
        table = TABLES[name]
        try:
            path = find_file(data_dir, table.stem)
            if path is None:
                problems += _missing_file(data_dir, table, warnings)
                continue
            frame, table_warnings = load_table(path, table, plan, today)
            absent_problems, absent_warnings = absent_used_columns(frame, table, path.name)
            table_warnings += absent_warnings
            if absent_problems:
                raise DataError(absent_problems, table_warnings)
            source = Source(name, path.name, len(frame), sha256(path), *_date_range(frame))
        except DataError as exc:
            problems += exc.problems
            warnings += exc.warnings
            continue
        tables[name] = frame
        warnings += table_warnings
        sources.append(source)
    problems += stage_log_problems(tables, {s.table: s.file for s in sources})
    if problems:
        raise DataError(problems, warnings)
    return Dataset(data_dir, plan, tables, sources, warnings)


def stage_log_problems(tables: dict[str, pd.DataFrame], files: dict[str, str]) -> list[Problem]:
    """The stage log (investeringar_skeden) against the register it logs: every id is a project
    there, no stage is dated before the project's first contact, and a project's latest stage is
    its stage in the register. Nothing to check unless both tables were read."""
    if "investeringar_skeden" not in tables or "investeringar" not in tables:
        return []
    log, inv = tables["investeringar_skeden"], tables["investeringar"]
    file, register = (
        files.get("investeringar_skeden", "investeringar_skeden"),
        files.get("investeringar", "investeringar"),
    )
    rows = log.attrs.get(FILE_ROWS) or [i + 2 for i in range(len(log))]
    keys = _comparable(log["id"].astype("string")).tolist()
    projects = dict(zip(_comparable(inv["id"].astype("string")), zip(inv["första_kontakt"], inv["skede"])))
    problems = []
    latest: dict[str, int] = {}
    dates = log["datum"].tolist()  # positional lookups below: a list, not .iloc per row
    for i, (key, pid, date) in enumerate(zip(keys, log["id"], dates)):
        if key not in projects:
            message = f"projektet finns inte i {register}; är id:t felstavat, eller är projektet borttaget där?"
            problems.append(Problem(file, rows[i], "id", str(pid), message))
            continue
        first = projects[key][0]
        if pd.notna(date) and pd.notna(first) and date < first:
            message = f"datumet är före projektets första kontakt ({first:%Y-%m-%d} i {register})"
            problems.append(Problem(file, rows[i], "datum", f"{date:%Y-%m-%d}", message))
        if key not in latest or date >= dates[latest[key]]:
            latest[key] = i
    for key, i in latest.items():
        stage, now = log["skede"].iloc[i], projects[key][1]
        if stage != now:
            message = (
                f"projektets senaste skede här är '{stage}' men i {register} är det '{now}'; är skedet i "
                f"{register} fel, rätta det där, annars lägg till en rad i {file} med skedet '{now}' och dagen "
                "det ändrades"
            )
            problems.append(Problem(file, rows[i], "skede", str(stage), message))
    return problems


def _missing_file(data_dir: Path, table: Table, warnings: list[str]) -> list[Problem]:
    """A required table's file is missing (with near misses); an optional one's near miss is a warning."""
    hints = near_misses(data_dir, table.stem)
    if table.optional:
        warnings += [f"{table.stem}: {hint}; den valfria tabellen lästes inte" for hint in hints]
        return []
    found = "".join(f"; {hint}" for hint in hints)
    message = f"filen saknas i {data_dir} (tabellen '{table.title}', .csv eller .xlsx){found}"
    return [Problem(f"{table.stem}.csv", message=message)]
