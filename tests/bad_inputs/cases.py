"""The bad-input corpus: what analysts' files really look like.

Each case is a copy of the example data with ONE change, the exit code that
`bro-analysis validate` must give, and the pieces of text its message must hold
(file, row as Excel numbers it, column, value). A case that is an error must
also stop `bro-analysis run` with exit code 2 before any notebook runs. A case
that is fine (a warning, another encoding, an Excel layout) must validate with
exit code 0 and the same number of rows as the original.

The folders are made at test time from data/example; nothing is committed twice.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bro_analysis.core.config import EXAMPLE_DATA_DIR, load_plan

from .support import read_rows, write_rows

Mutation = Callable[[Path], None]


@dataclass(frozen=True)
class Case:
    """One bad (or merely unusual) input."""

    id: str
    mutate: Mutation
    validate: int  # exit code of `bro-analysis validate`
    expect: tuple[str, ...] = ()  # text the terminal output must hold
    run: int | None = None  # exit code of `bro-analysis run` (None: not run)
    period: str = "2025"
    rows: dict[str, int] = field(default_factory=dict)  # file -> rows validate must report
    # What a careful person reading the file would conclude (the cases of issue 28 and later).
    conclusion: str = ""
    # Accepted with the clean data's key results (computed and compared by the test).
    same_results: bool = False


def example_rows(name: str) -> int:
    """Data rows of an example file."""
    return len(read_rows(EXAMPLE_DATA_DIR / name)) - 1


# --- mutations: each returns a function that changes a copied data folder ------


def set_cell(file: str, row: int, column: str, value: str) -> Mutation:
    """Put `value` in Excel row `row` (the header is row 1) of `column`."""

    def mutate(folder: Path) -> None:
        rows = read_rows(folder / file)
        rows[row - 1][rows[0].index(column)] = value
        write_rows(folder / file, rows)

    return mutate


def replace_file(file: str, content: str | bytes) -> Mutation:
    def mutate(folder: Path) -> None:
        data = content.encode("utf-8") if isinstance(content, str) else content
        (folder / file).write_bytes(data)

    return mutate


def delete_file(file: str) -> Mutation:
    return lambda folder: (folder / file).unlink()


def keep_rows(file: str, count: int) -> Mutation:
    """Only the first `count` lines (the header is one)."""

    def mutate(folder: Path) -> None:
        write_rows(folder / file, read_rows(folder / file)[:count])

    return mutate


def rewrite(file: str, sep: str = ";", encoding: str = "utf-8-sig") -> Mutation:
    """The same table with another separator or encoding."""

    def mutate(folder: Path) -> None:
        write_rows(folder / file, read_rows(folder / file), sep=sep, encoding=encoding)

    return mutate


def raw_separator(file: str, sep: str) -> Mutation:
    """Every ';' replaced by `sep`, unquoted, as a hand-made export looks."""

    def mutate(folder: Path) -> None:
        path = folder / file
        path.write_text(path.read_text(encoding="utf-8-sig").replace(";", sep), encoding="utf-8")

    return mutate


def duplicate_row(file: str, row: int) -> Mutation:
    """Excel row `row` once more at the end of the file."""

    def mutate(folder: Path) -> None:
        rows = read_rows(folder / file)
        write_rows(folder / file, rows + [list(rows[row - 1])])

    return mutate


def drop_column(file: str, column: str) -> Mutation:
    def mutate(folder: Path) -> None:
        rows = read_rows(folder / file)
        i = rows[0].index(column)
        write_rows(folder / file, [r[:i] + r[i + 1 :] for r in rows])

    return mutate


def add_column(file: str, column: str, value: str) -> Mutation:
    def mutate(folder: Path) -> None:
        rows = read_rows(folder / file)
        write_rows(folder / file, [rows[0] + [column]] + [r + [value] for r in rows[1:]])

    return mutate


def rename_column(file: str, old: str, new: str) -> Mutation:
    def mutate(folder: Path) -> None:
        rows = read_rows(folder / file)
        rows[0][rows[0].index(old)] = new
        write_rows(folder / file, rows)

    return mutate


def raw_replace(file: str, old: str, new: str) -> Mutation:
    """A change to the file's text itself (what a careless hand edit does)."""

    def mutate(folder: Path) -> None:
        path = folder / file
        text = path.read_text(encoding="utf-8-sig")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8-sig")

    return mutate


def append_text(file: str, text: str) -> Mutation:
    def mutate(folder: Path) -> None:
        with open(folder / file, "a", encoding="utf-8", newline="") as fh:
            fh.write(text)

    return mutate


def unchanged(folder: Path) -> None:
    """The example data as it is (the case is in the command line)."""


def both(*mutations: Mutation) -> Mutation:
    def mutate(folder: Path) -> None:
        for m in mutations:
            m(folder)

    return mutate


def map_column(file: str, column: str, change: Callable[[str], str]) -> Mutation:
    """`change` applied to every value of `column` (a whole export done differently)."""

    def mutate(folder: Path) -> None:
        rows = read_rows(folder / file)
        i = rows[0].index(column)
        write_rows(folder / file, [rows[0]] + [r[:i] + [change(r[i])] + r[i + 1 :] for r in rows[1:]])

    return mutate


def row_of(file: str, **match: str) -> int:
    """Excel row of the first example row whose cells equal `match` (column=value)."""
    rows = read_rows(EXAMPLE_DATA_DIR / file)
    cols = [rows[0].index(c) for c in match]
    return next(n for n, r in enumerate(rows, 1) if [r[c] for c in cols] == list(match.values()))


def drop_row(file: str, **match: str) -> Mutation:
    """The row whose cells equal `match` (column=value) removed."""

    def mutate(folder: Path) -> None:
        rows = read_rows(folder / file)
        del rows[row_of(file, **match) - 1]
        write_rows(folder / file, rows)

    return mutate


def insert_row(file: str, at: int, cells: list[str] | None = None) -> Mutation:
    """`cells` (default: the header once more) inserted as Excel row `at`."""

    def mutate(folder: Path) -> None:
        rows = read_rows(folder / file)
        write_rows(folder / file, rows[: at - 1] + [list(cells or rows[0])] + rows[at - 1 :])

    return mutate


def rename_file(old: str, new: str) -> Mutation:
    return lambda folder: (folder / old).rename(folder / new)


def replace_by_folder(file: str) -> Mutation:
    """The file gone and a folder with its name in its place."""

    def mutate(folder: Path) -> None:
        (folder / file).unlink()
        (folder / file).mkdir()

    return mutate


def dangling_link(file: str, link: str) -> Mutation:
    """The file gone; `link` points at a file that does not exist (moved, or on an unmounted drive)."""

    def mutate(folder: Path) -> None:
        (folder / file).unlink()
        (folder / link).symlink_to(folder / "flyttad" / link)

    return mutate


def concatenated(file: str, at: int) -> Mutation:
    """Two exports (UTF-8 with BOM) pasted into one file: the second's BOM and header from Excel row `at`."""

    def mutate(folder: Path) -> None:
        rows = read_rows(folder / file)
        write_rows(folder / file, rows[: at - 1])
        second = folder / "andra.csv"
        write_rows(second, [rows[0]] + rows[at - 1 :])
        (folder / file).write_bytes((folder / file).read_bytes() + second.read_bytes())
        second.unlink()

    return mutate


def _typed(value: str):
    """A CSV cell as Excel would hold it: dates (and date-times) as dates, numbers as numbers."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return dt.datetime.strptime(value, "%Y-%m-%d")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", value):
        return dt.datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
    if re.fullmatch(r"-?\d+", value) and not value.startswith("0"):
        return int(value)
    if re.fullmatch(r"-?\d+,\d+", value):
        return float(value.replace(",", "."))
    return value or None


def to_xlsx(
    file: str,
    sheet: str | None = None,
    title: str | None = None,
    other_sheets: tuple[str, ...] = (),
    edits: dict[tuple[int, str], object] | None = None,
) -> Mutation:
    """The CSV file saved as Excel: typed cells, optionally a title row above the
    header, another sheet name and other sheets first; `edits` sets cells by
    (data row number counted from 1, column)."""

    def mutate(folder: Path) -> None:
        from openpyxl import Workbook

        csv_path = folder / file
        rows = read_rows(csv_path)
        book = Workbook()
        book.remove(book.active)
        for name in other_sheets:
            book.create_sheet(name).append(["Anteckningar", "om", "uppföljningen"])
        ws = book.create_sheet(sheet or csv_path.stem)
        if title:
            ws.append([title])
        ws.append(rows[0])
        for i, row in enumerate(rows[1:], 1):
            cells = [_typed(v) for v in row]
            for (at, column), value in (edits or {}).items():
                if at == i:
                    cells[rows[0].index(column)] = value
            ws.append(cells)
        book.save(csv_path.with_suffix(".xlsx"))
        csv_path.unlink()

    return mutate


def xlsx_sheets(file: str, sheets: dict[str, list[list]]) -> Mutation:
    """The CSV file replaced by a workbook holding `sheets` (name -> rows)."""

    def mutate(folder: Path) -> None:
        from openpyxl import Workbook

        book = Workbook()
        book.remove(book.active)
        for name, rows in sheets.items():
            ws = book.create_sheet(name)
            for row in rows:
                ws.append(row)
        book.save((folder / file).with_suffix(".xlsx"))
        (folder / file).unlink()

    return mutate


def xlsx_parts(file: str, sheets: dict[str, tuple[int, int | None]]) -> Mutation:
    """The CSV file saved as Excel with the header and a slice of its data rows
    (counted from 1, end excluded) on each sheet."""

    def mutate(folder: Path) -> None:
        rows = read_rows(folder / file)
        parts = {
            name: [rows[0]] + [[_typed(v) for v in r] for r in rows[start:stop]]
            for name, (start, stop) in sheets.items()
        }
        xlsx_sheets(file, parts)(folder)

    return mutate


def xlsx_edit(file: str, change: Callable) -> Mutation:
    """`change(book)` applied to an Excel file of the folder, which is then saved."""

    def mutate(folder: Path) -> None:
        from openpyxl import load_workbook

        book = load_workbook(folder / file)
        change(book)
        book.save(folder / file)

    return mutate


def chart_sheet_first(book) -> None:
    """A chart sheet before the data, as when a diagram was moved to its own sheet."""
    from openpyxl.chart import BarChart, Reference

    chart = BarChart()
    chart.add_data(Reference(book.worksheets[0], min_col=3, min_row=1, max_row=10))
    book.create_chartsheet("Diagram", 0).add_chart(chart)


def group_header_row(book) -> None:
    """A merged cell 'Verktyg' above the tool columns, as a municipality's sheet has it."""
    sheet = book.worksheets[0]
    sheet.insert_rows(1)
    sheet["D1"] = "Verktyg som används"
    sheet.merge_cells("D1:F1")


def each_line(file: str, change: Callable[[str], str]) -> Mutation:
    """`change` applied to every line of the file's text."""

    def mutate(folder: Path) -> None:
        path = folder / file
        lines = path.read_text(encoding="utf-8-sig").splitlines()
        path.write_text("\r\n".join(change(line) for line in lines) + "\r\n", encoding="utf-8-sig")

    return mutate


def raw_bytes(file: str, change: Callable[[bytes], bytes]) -> Mutation:
    def mutate(folder: Path) -> None:
        (folder / file).write_bytes(change((folder / file).read_bytes()))

    return mutate


def utf16_big_endian(raw: bytes) -> bytes:
    """UTF-16 big-endian with its BOM (Excel on a Mac, some Insikt exports)."""
    return b"\xfe\xff" + raw.decode("utf-8-sig").encode("utf-16-be")


def xlsx_dimension(file: str, ref: str) -> Mutation:
    """The sheet's recorded size set to `ref`, as some programs write it (wrongly)."""

    def mutate(folder: Path) -> None:
        import zipfile

        path = folder / file
        with zipfile.ZipFile(path) as old:
            members = {info.filename: old.read(info) for info in old.infolist()}
        sheet = "xl/worksheets/sheet1.xml"
        members[sheet] = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), members[sheet])
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
            for name, data in members.items():
                new.writestr(name, data)

    return mutate


# --- the corpus ----------------------------------------------------------------

NKI, INV, LEADS, AREN, ACT, KOM, RIKET = (
    "nki.csv",
    "investeringar.csv",
    "leads.csv",
    "arenor.csv",
    "aktiviteter.csv",
    "kommuner.csv",
    "nki_riket.csv",
)


def error(id, mutate, *expect, validate=2, run=2, period="2025") -> Case:
    return Case(id, mutate, validate, tuple(expect), run, period)


def fine(id, mutate, *expect, rows: dict[str, int] | None = None) -> Case:
    return Case(id, mutate, 0, tuple(expect), None, rows=rows or {})


CASES: list[Case] = [
    # empty, header only, the wrong separator
    error("empty_file", replace_file(NKI, b""), "nki.csv", "filen är tom"),
    error("only_blank_lines", replace_file(LEADS, "\r\n\r\n;;;\r\n"), "leads.csv", "filen är tom"),
    error("header_only", keep_rows(INV, 1), "investeringar.csv", "rubrikrad men inga datarader"),
    error(
        "wrong_separator_pipe",
        raw_separator(LEADS, "|"),
        "leads.csv",
        "saknar obligatoriska kolumner",
        "fel avgränsare",
    ),
    error(
        "comma_separator_with_decimal_commas",
        raw_separator(INV, ","),
        "investeringar.csv",
        "rad 2",
        "fler fält än rubrikraden",
    ),
    # numbers
    error(
        "mixed_decimal_comma_and_point",
        set_cell(NKI, 3, "värde", "66.1"),
        "nki.csv",
        "rad 3",
        "kolumn 'värde'",
        "'66.1'",
        "blandar decimalkomma och decimalpunkt",
    ),
    error(
        "nki_above_100",
        set_cell(NKI, 2, "värde", "105"),
        "nki.csv",
        "rad 2",
        "kolumn 'värde'",
        "'105'",
        "mellan 0 och 100",
    ),
    error(
        "nki_negative",
        set_cell(NKI, 4, "värde", "-3"),
        "nki.csv",
        "rad 4",
        "kolumn 'värde'",
        "'-3'",
        "mellan 0 och 100",
    ),
    error(
        "text_in_numeric_column",
        set_cell(INV, 5, "investeringsvärde_msek", "ca 400"),
        "investeringar.csv",
        "rad 5",
        "kolumn 'investeringsvärde_msek'",
        "'ca 400'",
        "förväntade ett tal",
    ),
    error(
        "fraction_in_integer_column",
        set_cell(KOM, 2, "folkmängd", "8004,5"),
        "kommuner.csv",
        "rad 2",
        "kolumn 'folkmängd'",
        "'8004,5'",
        "förväntade ett heltal",
    ),
    error(
        "negative_jobs",
        set_cell(INV, 2, "arbetstillfällen", "-10"),
        "investeringar.csv",
        "rad 2",
        "kolumn 'arbetstillfällen'",
        "'-10'",
        "mindre än 0",
    ),
    error(
        "year_out_of_range",
        set_cell(NKI, 2, "mätår", "1999"),
        "nki.csv",
        "rad 2",
        "kolumn 'mätår'",
        "'1999'",
        "mellan 2000 och 2100",
    ),
    error(
        "interval_does_not_hold_value",
        both(set_cell(NKI, 2, "ki_nedre", "75,0"), set_cell(NKI, 2, "ki_övre", "80,0")),
        "nki.csv",
        "rad 2",
        "ki_nedre/ki_övre",
        "omsluta värdet",
    ),
    # Excel error values
    error(
        "excel_na_in_number",
        set_cell(NKI, 5, "värde", "#N/A"),
        "nki.csv",
        "rad 5",
        "kolumn 'värde'",
        "'#N/A'",
        "Excel-felvärde",
    ),
    error(
        "excel_div0_in_number",
        set_cell(INV, 3, "investeringsvärde_msek", "#DIV/0!"),
        "investeringar.csv",
        "rad 3",
        "kolumn 'investeringsvärde_msek'",
        "'#DIV/0!'",
        "Excel-felvärde",
    ),
    error(
        "excel_error_in_text",
        set_cell(ACT, 4, "titel", "#N/A"),
        "aktiviteter.csv",
        "rad 4",
        "kolumn 'titel'",
        "'#N/A'",
        "Excel-felvärde",
    ),
    error(
        "excel_error_in_date",
        set_cell(LEADS, 6, "datum", "#VALUE!"),
        "leads.csv",
        "rad 6",
        "kolumn 'datum'",
        "'#VALUE!'",
        "Excel-felvärde",
    ),
    # names and categories
    error(
        "unknown_municipality",
        set_cell(INV, 4, "kommun", "Stockholm"),
        "investeringar.csv",
        "rad 4",
        "kolumn 'kommun'",
        "'Stockholm'",
        "okänd kommun",
    ),
    error(
        "non_member_municipality_code",
        set_cell(KOM, 3, "kommun", "0180"),
        "kommuner.csv",
        "rad 3",
        "kolumn 'kommun'",
        "'0180'",
        "okänd kommun",
    ),
    error(
        "unknown_municipality_in_list",
        set_cell(ACT, 3, "kommuner", "Laxå; Stockholm"),
        "aktiviteter.csv",
        "rad 3",
        "kolumn 'kommuner'",
        "'Laxå; Stockholm'",
        "okänd kommun: Stockholm",
    ),
    error(
        "misspelt_area",
        set_cell(NKI, 2, "område", "byggloov"),
        "nki.csv",
        "rad 2",
        "kolumn 'område'",
        "'byggloov'",
        "förväntade en av",
    ),
    error(
        "unknown_target_area",
        set_cell(INV, 2, "målområde", "rymdfart"),
        "investeringar.csv",
        "rad 2",
        "kolumn 'målområde'",
        "'rymdfart'",
        "förväntade en av",
    ),
    error(
        "unknown_lead_stage",
        set_cell(LEADS, 2, "steg", "vunnen"),
        "leads.csv",
        "rad 2",
        "kolumn 'steg'",
        "'vunnen'",
        "förväntade en av",
    ),
    error(
        "not_yes_or_no",
        set_cell(AREN, 3, "mål_formulerade", "kanske"),
        "arenor.csv",
        "rad 3",
        "kolumn 'mål_formulerade'",
        "'kanske'",
        "förväntade ja eller nej",
    ),
    error(
        "bad_national_code",
        set_cell(RIKET, 2, "kommunkod", "ABC"),
        "nki_riket.csv",
        "rad 2",
        "kolumn 'kommunkod'",
        "'ABC'",
        "4-siffrig kommunkod",
    ),
    # dates
    error(
        "date_day_slash_month",
        set_cell(LEADS, 2, "datum", "1/3/2025"),
        "leads.csv",
        "rad 2",
        "kolumn 'datum'",
        "'1/3/2025'",
        "tvetydigt datum",
    ),
    error(
        "date_excel_serial_in_csv",
        set_cell(INV, 2, "första_kontakt", "45717"),
        "investeringar.csv",
        "rad 2",
        "kolumn 'första_kontakt'",
        "'45717'",
        "Excel-serienummer",
    ),
    error(
        "date_that_does_not_exist",
        set_cell(AREN, 2, "datum", "2025-02-30"),
        "arenor.csv",
        "rad 2",
        "kolumn 'datum'",
        "'2025-02-30'",
        "datumet finns inte",
    ),
    error(
        "decision_before_first_contact",
        set_cell(INV, 2, "beslutsdatum", "2018-01-01"),
        "investeringar.csv",
        "rad 2",
        "kolumn 'beslutsdatum'",
        "2018-01-01",
        "före första kontakt",
    ),
    error(
        "decision_date_missing",
        set_cell(INV, 2, "beslutsdatum", ""),
        "investeringar.csv",
        "rad 2",
        "kolumn 'beslutsdatum'",
        "kräver ett beslutsdatum",
    ),
    # keys and columns
    error(
        "duplicated_key",
        duplicate_row(INV, 3),
        "investeringar.csv",
        f"rad {example_rows(INV) + 2}",
        "kolumn 'id'",
        "'INV-2019-002'",
        "samma nyckel som rad 3",
    ),
    error(
        "duplicated_compound_key",
        duplicate_row(AREN, 2),
        "arenor.csv",
        "kolumn 'namn, datum'",
        "MIPIM / 2019-03-08",
        "samma nyckel som rad 2",
    ),
    error("missing_required_column", drop_column(LEADS, "kanal"), "leads.csv", "saknar obligatoriska kolumner: kanal"),
    error(
        "required_value_empty", set_cell(LEADS, 4, "kanal", ""), "leads.csv", "rad 4", "kolumn 'kanal'", "värde saknas"
    ),
    error(
        "column_twice",
        rename_column(INV, "källa", "företag"),
        "investeringar.csv",
        "rad 1",
        "kolumnen 'företag' finns två gånger",
    ),
    # files
    error("missing_file", delete_file(KOM), "kommuner.csv", "filen saknas"),
    error(
        "csv_and_xlsx_for_one_table",
        both(to_xlsx(AREN), lambda f: (f / AREN).write_bytes((EXAMPLE_DATA_DIR / AREN).read_bytes())),
        "arenor.csv",
        "arenor.xlsx",
        "behåll en",
    ),
    error(
        "excel_file_named_csv",
        both(to_xlsx(AREN), lambda f: (f / "arenor.xlsx").rename(f / AREN)),
        "arenor.csv",
        "ingen textfil",
    ),
    error(
        "broken_xlsx",
        both(delete_file(AREN), replace_file("arenor.xlsx", b"PK\x03\x04 not really a zip")),
        "arenor.xlsx",
        "kan inte läsas som Excel-fil",
    ),
    error(
        "quote_opened_mid_file",
        raw_replace(ACT, ";Delad miljöinspektör;", ';"Delad miljöinspektör;'),
        "aktiviteter.csv",
        "rad 3",
        'Nora"',
        "fler fält än rubrikraden",
    ),
    error(
        "quote_never_closed",
        append_text(ACT, 'A-2026-999;2026-01-10;workshop;"Workshop om bygglov;Kumla;\r\n'),
        "aktiviteter.csv",
        f"rad {example_rows(ACT) + 2}",
        'citattecken (") avslutas aldrig',
    ),
    # Excel files with a bad value: the row is the sheet's own row number
    error(
        "xlsx_with_title_row_and_nki_105",
        to_xlsx(NKI, title="NKI-resultat 2019–2025", edits={(1, "värde"): 105}),
        "nki.xlsx",
        "rad 3",
        "kolumn 'värde'",
        "'105'",
        "mellan 0 och 100",
    ),
    error(
        "xlsx_excel_error_value",
        to_xlsx(INV, edits={(2, "investeringsvärde_msek"): "#DIV/0!"}),
        "investeringar.xlsx",
        "rad 3",
        "kolumn 'investeringsvärde_msek'",
        "'#DIV/0!'",
        "Excel-felvärde",
    ),
    error(
        "xlsx_without_the_table",
        xlsx_sheets(KOM, {"Blad1": [["Anteckningar"]], "Blad2": [["år", "antal"]]}),
        "kommuner.xlsx",
        "hittar inget blad",
        "Blad1, Blad2",
    ),
    # the period asked for
    error("period_without_data", unchanged, "Ingen data för perioden 2015", validate=0, period="2015"),
    error("future_period", unchanged, "2031", "har inte börjat", validate=0, period="2031"),
    error("period_misspelt", unchanged, "Perioden '2025-13'", "månaden", validate=0, period="2025-13"),
    # unusual but fine: a warning at most, and the same rows as the original
    fine(
        "unknown_extra_column_warns",
        add_column(LEADS, "kampanjkod", "K-1"),
        "Varning",
        "leads.csv",
        "okänd kolumn 'kampanjkod' ignoreras",
        rows={LEADS: example_rows(LEADS)},
    ),
    fine(
        "personal_data_column_dropped",
        add_column(LEADS, "e-post", "anna@example.se"),
        "Varning",
        "personuppgifter",
        rows={LEADS: example_rows(LEADS)},
    ),
    fine("utf8_without_bom", rewrite(NKI, encoding="utf-8"), rows={NKI: example_rows(NKI)}),
    fine("utf8_with_bom", rewrite(KOM, encoding="utf-8-sig"), rows={KOM: example_rows(KOM)}),
    fine("windows_1252", rewrite(NKI, encoding="cp1252"), rows={NKI: example_rows(NKI)}),
    fine("utf16_excel_unicode_text", rewrite(KOM, sep="\t", encoding="utf-16"), rows={KOM: example_rows(KOM)}),
    fine("tab_separated", rewrite(LEADS, sep="\t"), rows={LEADS: example_rows(LEADS)}),
    fine("trailing_empty_rows", append_text(INV, ";;;;;;;;;;\r\n\r\n;;;;;;;;;;\r\n"), rows={INV: example_rows(INV)}),
    fine("date_iso", set_cell(LEADS, 2, "datum", "2025-03-01"), rows={LEADS: example_rows(LEADS)}),
    fine("date_compact", set_cell(LEADS, 2, "datum", "20250301"), rows={LEADS: example_rows(LEADS)}),
    fine(
        "municipality_by_code_and_suffix",
        both(set_cell(INV, 2, "kommun", "1880"), set_cell(INV, 3, "kommun", "Örebro kommun")),
        rows={INV: example_rows(INV)},
    ),
    fine(
        "xlsx_with_title_row",
        to_xlsx(INV, title="Investeringsregister, utdrag 2025-11-01"),
        "investeringar.xlsx",
        rows={"investeringar.xlsx": example_rows(INV)},
    ),
    fine(
        "xlsx_other_sheet_name",
        to_xlsx(AREN, sheet="Export 2025", other_sheets=("Instruktioner",)),
        "arenor.xlsx",
        rows={"arenor.xlsx": example_rows(AREN)},
    ),
    fine("xlsx_real_date_cells", to_xlsx(LEADS), rows={"leads.xlsx": example_rows(LEADS)}),
    # --- a table on more than one Excel sheet ---
    error(
        "xlsx_table_split_over_two_sheets",
        xlsx_parts(LEADS, {"Blad1": (1, 1200), "Blad2": (1200, None)}),
        "leads.xlsx",
        "tabellen finns på flera blad: 'Blad1', 'Blad2'",
    ),
    error(
        "xlsx_old_copy_beside_the_named_sheet",
        xlsx_parts(AREN, {"arenor": (1, None), "arenor 2024": (1, 20)}),
        "arenor.xlsx",
        "tabellen finns på flera blad: 'arenor', 'arenor 2024'",
    ),
    fine(
        "xlsx_chart_sheet_before_the_data",
        both(to_xlsx(LEADS, sheet="Export"), xlsx_edit("leads.xlsx", chart_sheet_first)),
        rows={"leads.xlsx": example_rows(LEADS)},
    ),
    fine(
        "xlsx_wrong_size_recorded_by_the_crm",
        both(to_xlsx(LEADS, sheet="Export"), xlsx_dimension("leads.xlsx", "A1:A1")),
        rows={"leads.xlsx": example_rows(LEADS)},
    ),
    fine(
        "xlsx_merged_group_header_above_the_header",
        both(to_xlsx(KOM), xlsx_edit("kommuner.xlsx", group_header_row)),
        rows={"kommuner.xlsx": example_rows(KOM)},
    ),
    # --- dates in the future: a typo, except for a planned arena ---
    error(
        "lead_date_typed_in_the_future",
        set_cell(LEADS, 5, "datum", "2062-01-11"),
        "leads.csv",
        "rad 5",
        "kolumn 'datum'",
        "'2062-01-11'",
        "datumet ligger i framtiden",
    ),
    error(
        "decision_date_in_the_future",
        set_cell(INV, 2, "beslutsdatum", "2205-05-20"),
        "investeringar.csv",
        "rad 2",
        "kolumn 'beslutsdatum'",
        "'2205-05-20'",
        "datumet ligger i framtiden",
    ),
    fine("planned_arena_in_the_future", set_cell(AREN, 2, "datum", "2062-03-08"), rows={AREN: example_rows(AREN)}),
    # --- keys that differ only in case or spaces ---
    error(
        "duplicated_id_in_lower_case",
        both(duplicate_row(INV, 3), set_cell(INV, example_rows(INV) + 2, "id", "inv-2019-002 ")),
        "investeringar.csv",
        f"rad {example_rows(INV) + 2}",
        "kolumn 'id'",
        "'inv-2019-002'",
        "samma nyckel som rad 3 ('INV-2019-002'",
    ),
    error(
        "duplicated_arena_in_capitals",
        both(duplicate_row(AREN, 2), set_cell(AREN, example_rows(AREN) + 2, "namn", "mipim")),
        "arenor.csv",
        "kolumn 'namn, datum'",
        "'mipim / 2019-03-08'",
        "samma nyckel som rad 2",
    ),
    # --- Excel formulas saved by a program, never calculated ---
    error(
        "xlsx_formula_without_saved_value",
        to_xlsx(KOM, edits={(3, "folkmängd"): "=5000+760"}),
        "kommuner.xlsx",
        "rad 4",
        "kolumn 'folkmängd'",
        "'=5000+760'",
        "öppna filen i Excel och spara den igen",
    ),
    # --- date-times from Excel and the CRM ---
    fine(
        "crm_timestamps_in_date_columns",
        both(
            map_column(LEADS, "datum", lambda v: f"{v}T13:22:10"),
            map_column(LEADS, "konverteringsdatum", lambda v: f"{v} 09:05" if v else v),
        ),
        rows={LEADS: example_rows(LEADS)},
    ),
    fine(
        "xlsx_date_time_cells",
        both(map_column(LEADS, "datum", lambda v: f"{v} 13:22:10"), to_xlsx(LEADS)),
        rows={"leads.xlsx": example_rows(LEADS)},
    ),
    # --- what is in the folder ---
    error("folder_named_like_a_data_file", replace_by_folder(NKI), "nki.csv", "är en mapp, inte en fil"),
    error(
        "dangling_link_named_like_a_data_file",
        dangling_link(LEADS, "leads.xlsx"),
        "leads.xlsx",
        "är en länk till",
        "som inte finns",
    ),
    error("old_excel_format_xls", rename_file(NKI, "nki.xls"), "nki.csv", "hittade nki.xls – spara som .xlsx"),
    error(
        "double_extension",
        rename_file(LEADS, "leads.csv.csv"),
        "leads.csv",
        "hittade leads.csv.csv – ta bort den dubbla ändelsen",
    ),
    error(
        "text_file_extension",
        rename_file(KOM, "kommuner.txt"),
        "kommuner.csv",
        "hittade kommuner.txt – byt ändelsen till .csv",
    ),
    # --- every member, every year ---
    error(
        "member_missing_for_a_year",
        drop_row(KOM, år="2023", kommun="Nora"),
        "kommuner.csv",
        "rad saknas för Nora år 2023",
    ),
    # --- municipalities' Excel exports ---
    fine(
        "thousands_separated_by_spaces",
        map_column(KOM, "folkmängd", lambda v: f"{int(v):,}".replace(",", " ")),
        rows={KOM: example_rows(KOM)},
    ),
    fine(
        "thousands_separated_by_no_break_spaces",
        map_column(KOM, "folkmängd", lambda v: f"{int(v):,}".replace(",", "\u00a0")),
        rows={KOM: example_rows(KOM)},
    ),
    error(
        "thousands_separated_by_a_comma",
        set_cell(KOM, 2, "folkmängd", "8,004"),
        "kommuner.csv",
        "rad 2",
        "kolumn 'folkmängd'",
        "'8,004'",
        "förväntade ett heltal",
    ),
    fine(
        "yes_and_no_written_every_way",
        both(
            map_column(KOM, "insikt", {"ja": "Ja ", "nej": "NEJ"}.__getitem__),
            map_column(KOM, "syna", {"ja": "x", "nej": "n"}.__getitem__),
            map_column(AREN, "mål_formulerade", {"ja": "Yes", "nej": "No"}.__getitem__),
        ),
        rows={KOM: example_rows(KOM), AREN: example_rows(AREN)},
    ),
    error(
        "x_for_yes_and_blank_for_no",
        map_column(KOM, "insikt", lambda v: "x" if v == "ja" else ""),
        "kommuner.csv",
        f"rad {row_of(KOM, insikt='nej')}",
        "kolumn 'insikt'",
        "värde saknas",
    ),
    error(
        "total_row_at_the_end",
        append_text(KOM, "Summa;;305 123;;;;\r\n"),
        "kommuner.csv",
        f"rad {example_rows(KOM) + 2}",
        "kolumn 'år'",
        "'Summa'",
        "förväntade ett tal",
    ),
    fine(
        "municipality_names_in_other_case",
        both(map_column(NKI, "kommun", str.lower), map_column(INV, "kommun", str.upper)),
        rows={NKI: example_rows(NKI), INV: example_rows(INV)},
    ),
    fine(
        "no_break_space_after_values",
        map_column(INV, "kommun", lambda v: v + "\u00a0"),
        rows={INV: example_rows(INV)},
    ),
    error(
        "measurement_year_typed_in_the_future",
        set_cell(NKI, 5, "mätår", "2062"),
        "nki.csv",
        "rad 5",
        "kolumn 'mätår'",
        "'2062'",
        "året ligger i framtiden",
    ),
    fine(
        "stage_in_capitals",
        map_column(INV, "skede", str.upper),
        rows={INV: example_rows(INV)},
    ),
    error(
        "excel_na_from_a_lookup",
        set_cell(INV, 6, "kommun", "#N/A"),
        "investeringar.csv",
        "rad 6",
        "kolumn 'kommun'",
        "'#N/A'",
        "Excel-felvärde",
    ),
    error(
        "swedish_month_name_in_date",
        set_cell(ACT, 5, "datum", "14 maj 2019"),
        "aktiviteter.csv",
        "rad 5",
        "kolumn 'datum'",
        "'14 maj 2019'",
        "förväntade ett datum ÅÅÅÅ-MM-DD",
    ),
    error(
        "two_digit_year_in_date",
        set_cell(LEADS, 3, "datum", "19-01-10"),
        "leads.csv",
        "rad 3",
        "kolumn 'datum'",
        "'19-01-10'",
        "förväntade ett datum ÅÅÅÅ-MM-DD",
    ),
    fine(
        "separator_at_the_end_of_every_line",
        each_line(AREN, lambda line: line + ";"),
        rows={AREN: example_rows(AREN)},
    ),
    # --- CRM exports ---
    fine(
        "header_repeated_mid_file_after_copy_paste",
        insert_row(LEADS, 1001),
        "Varning",
        "leads.csv: rad 1001 upprepar rubrikraden",
        rows={LEADS: example_rows(LEADS)},
    ),
    fine(
        "two_exports_with_bom_pasted_together",
        concatenated(LEADS, 1201),
        "leads.csv: rad 1201 upprepar rubrikraden",
        rows={LEADS: example_rows(LEADS)},
    ),
    fine("double_bom_at_the_start", raw_bytes(LEADS, lambda b: b"\xef\xbb\xbf" + b), rows={LEADS: example_rows(LEADS)}),
    # --- SKR's Insikt and Kolada exports ---
    fine(
        "comma_separated_with_decimal_points",
        both(
            *(
                map_column(NKI, c, lambda v: v.replace(",", "."))
                for c in ("värde", "ki_nedre", "ki_övre", "standardavvikelse")
            ),
            rewrite(NKI, sep=","),
        ),
        rows={NKI: example_rows(NKI)},
    ),
    error(
        "percent_sign_in_nki_value",
        set_cell(NKI, 3, "värde", "66,1 %"),
        "nki.csv",
        "rad 3",
        "kolumn 'värde'",
        "'66,1 %'",
        "förväntade ett tal",
    ),
    error(
        "source_note_below_the_table",
        append_text(NKI, "Källa: SKR Insikt;;;;;;;;\r\n"),
        "nki.csv",
        f"rad {example_rows(NKI) + 2}",
        "kolumn 'mätår'",
        "'Källa: SKR Insikt'",
    ),
    fine("year_with_decimals_from_kolada", map_column(NKI, "mätår", lambda v: v + ",0"), rows={NKI: example_rows(NKI)}),
    fine(
        "leading_apostrophe_before_codes",
        both(map_column(RIKET, "kommunkod", lambda v: "'" + v), map_column(RIKET, "mätår", lambda v: "'" + v)),
        rows={RIKET: example_rows(RIKET)},
    ),
    fine(
        "municipality_codes_without_leading_zero",
        map_column(RIKET, "kommunkod", lambda v: v.lstrip("0")),
        rows={RIKET: example_rows(RIKET)},
    ),
    fine("utf16_big_endian_with_bom", raw_bytes(KOM, utf16_big_endian), rows={KOM: example_rows(KOM)}),
]


# --- round three (issue 28): values checked for what they mean --------------------------------


def refused(id, mutate, conclusion: str, *expect) -> Case:
    """An error naming the value: what a careful person would refuse."""
    return Case(id, mutate, 2, tuple(expect), 2, conclusion=conclusion)


def accepted(id, mutate, conclusion: str, *expect, rows: dict[str, int] | None = None) -> Case:
    """Read without doubt: validate exits 0 and the key results are the clean data's."""
    return Case(id, mutate, 0, tuple(expect), None, rows=rows or {}, conclusion=conclusion, same_results=True)


def header_of(file: str) -> list[str]:
    return read_rows(EXAMPLE_DATA_DIR / file)[0]


def append_encoded(file: str, line: str, encoding: str) -> Mutation:
    """A line appended in another encoding (rows pasted in from another program)."""
    return raw_bytes(file, lambda b: b + line.encode(encoding))


def reencode(file: str, encoding: str) -> Mutation:
    return raw_bytes(file, lambda b: b.decode("utf-8-sig").encode(encoding))


def map_empty(file: str, column: str, value: str) -> Mutation:
    """Every empty cell of `column` written as `value` ('NA', 'NULL', '..')."""
    return map_column(file, column, lambda v: v or value)


def rows_above(count: int) -> Callable:
    """`count` instruction rows above the header, as a template sheet has them."""

    def change(book) -> None:
        sheet = book.worksheets[0]
        sheet.insert_rows(1, amount=count)
        for i in range(1, count + 1):
            sheet.cell(i, 1, f"Instruktion {i}: fyll i en rad per post; ändra inte rubrikerna")

    return change


def merge_blocks(column: int) -> Callable:
    """Runs of one value in `column` (1 = A) below the header merged into one cell, as a
    hand-made report sheet has the municipality or the year of a block."""

    def change(book) -> None:
        sheet = book.worksheets[0]
        start = 2
        for row in range(3, sheet.max_row + 2):
            same = row <= sheet.max_row and sheet.cell(row, column).value == sheet.cell(start, column).value
            if same:
                continue
            if row - start > 1:
                for r in range(start + 1, row):
                    sheet.cell(r, column).value = None
                sheet.merge_cells(start_row=start, start_column=column, end_row=row - 1, end_column=column)
            start = row

    return change


def array_formula(column: int, first: int, last: int) -> Callable:
    """An array formula (Ctrl+Shift+Enter) over rows first–last of `column`, saved by a program
    that never calculated it."""

    def change(book) -> None:
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet.formula import ArrayFormula

        sheet = book.worksheets[0]
        letter = get_column_letter(column)
        for row in range(first, last + 1):
            sheet.cell(row, column).value = None
        ref = f"{letter}{first}:{letter}{last}"
        sheet[f"{letter}{first}"] = ArrayFormula(ref, f"={letter}{first}:{letter}{last}*1")

    return change


def split_without_header(file: str, at: int) -> Mutation:
    """The table over two sheets: the header and rows up to Excel row `at` on the first, the
    rest on a second sheet without a header row."""

    def mutate(folder: Path) -> None:
        rows = read_rows(folder / file)
        typed = [[_typed(v) for v in r] for r in rows[1:]]
        xlsx_sheets(file, {"Blad1": [rows[0]] + typed[: at - 2], "Blad2": typed[at - 2 :]})(folder)

    return mutate


def quote_every_cell(file: str) -> Mutation:
    """Every cell in quotes, as LibreOffice's 'quote all text cells' and some CRMs write."""

    def mutate(folder: Path) -> None:
        import csv as csv_module

        rows = read_rows(folder / file)
        buffer = io.StringIO()
        csv_module.writer(buffer, delimiter=";", lineterminator="\r\n", quoting=csv_module.QUOTE_ALL).writerows(rows)
        (folder / file).write_bytes(buffer.getvalue().encode("utf-8-sig"))

    return mutate


_CODES = {name: code for code, name in load_plan().members.items()}
CI_ROW = row_of(NKI, mätår="2021", kommun="Lekeberg", område="brandskydd", mått="NKI")
DIALOG_ROW = row_of(INV, id="INV-2019-004")
LEAD_STAGE_ROW = row_of(INV, id="INV-2020-026")
TOOLS = ("insikt", "syna", "objektvision", "etableringsberedskap")
SHIFTED_LEADS = header_of(LEADS)[1:] + header_of(LEADS)[:1]

ROUND_THREE: list[Case] = [
    # the right type, the wrong meaning
    refused(
        "investment_value_in_kronor",
        set_cell(INV, 2, "investeringsvärde_msek", "107000000"),
        "107 000 000 MSEK is more than Sweden's GDP: the value was typed in kronor",
        "investeringar.csv",
        "rad 2",
        "kolumn 'investeringsvärde_msek'",
        "'107000000'",
        "ser ut som kronor",
    ),
    refused(
        "investment_value_in_thousands",
        set_cell(INV, 3, "investeringsvärde_msek", "21400"),
        "21 400 MSEK for a plant in Örebro is not plausible: tkr typed for MSEK",
        "investeringar.csv",
        "rad 3",
        "'21400'",
        "inte MSEK",
    ),
    refused(
        "jobs_with_a_thousands_point",
        set_cell(INV, 2, "arbetstillfällen", "1.000"),
        "'1.000' jobs is a thousand with a point as separator, never one job",
        "investeringar.csv",
        "rad 2",
        "kolumn 'arbetstillfällen'",
        "'1.000'",
        "tusentalsavgränsare",
    ),
    refused(
        "nki_as_an_excel_share",
        set_cell(NKI, 2, "värde", "0,701"),
        "an NKI of 0,701 is 70,1 shown as a percentage in Excel",
        "nki.csv",
        "rad 2",
        "kolumn 'värde'",
        "'0,701'",
        "ser ut som en andel",
    ),
    refused(
        "nki_zero_for_an_area_not_measured",
        set_cell(NKI, 3, "värde", "0"),
        "no service scores 0; 0 stands for an area the municipality does not measure",
        "nki.csv",
        "rad 3",
        "'0'",
        "NKI 0 betyder att området inte mättes",
    ),
    refused(
        "confidence_limits_equal_to_the_value",
        both(set_cell(NKI, CI_ROW, "ki_nedre", "82,5"), set_cell(NKI, CI_ROW, "ki_övre", "82,5")),
        "an interval without width was copied from the value, it is no interval",
        "nki.csv",
        f"rad {CI_ROW}",
        "ki_nedre/ki_övre",
        "intervall utan bredd",
    ),
    refused(
        "first_contact_in_1922",
        set_cell(INV, 2, "första_kontakt", "1922-01-08"),
        "BRO did not exist in 1922: 2022 or 2019 mistyped",
        "investeringar.csv",
        "rad 2",
        "kolumn 'första_kontakt'",
        "'1922-01-08'",
        "före 2000",
    ),
    refused(
        "decision_date_on_a_project_in_dialogue",
        set_cell(INV, DIALOG_ROW, "beslutsdatum", "2019-09-01"),
        "a project still in dialogue has no decision; the stage or the date is wrong",
        "investeringar.csv",
        f"rad {DIALOG_ROW}",
        "kolumn 'beslutsdatum'",
        "2019-09-01",
        "skedet 'dialog' har inget beslut",
    ),
    accepted(
        "kolada_country_and_county_rows_in_the_national_table",
        append_text(RIKET, "2025;0000;totalt;NKI;71,2;98000\r\n2025;0018;totalt;NKI;72,0;4100\r\n"),
        "Kolada's download has the country and the county; they are no municipalities and are left out",
        "nki_riket.csv",
        "0000, 0018",
        "gäller riket eller ett län",
        rows={RIKET: example_rows(RIKET)},
    ),
    refused(
        "country_row_among_the_members",
        append_text(NKI, "2025;Riket;totalt;NKI;71,2;98000;;;\r\n"),
        "'Riket' is the country's result, not a member municipality",
        "nki.csv",
        f"rad {example_rows(NKI) + 2}",
        "kolumn 'kommun'",
        "'Riket'",
        "summarad rad",
    ),
    refused(
        "cp1252_rows_appended_to_a_utf8_file",
        append_encoded(LEADS, "L-2025-9999;2025-03-03;Mässa i Göteborg;;lead;\r\n", "cp1252"),
        "the last row was pasted from a Windows program; its å, ä and ö would be read as garbage",
        "leads.csv",
        f"rad {example_rows(LEADS) + 2}",
        "Windows-1252",
        "annan teckenkodning",
    ),
    accepted(
        "macroman_file",
        reencode(NKI, "mac_roman"),
        "a file saved by Excel on an old Mac: Mac OS Roman, read by its å, ä and ö",
        rows={NKI: example_rows(NKI)},
    ),
    refused(
        "macroman_rows_appended_to_a_windows_file",
        both(
            reencode(KOM, "cp1252"),
            append_encoded(KOM, "2026;Hällefors;6 900;ja;ja;ja;ja\r\n", "mac_roman"),
        ),
        "rows from a Mac pasted into a Windows file: two encodings in one file",
        "kommuner.csv",
        f"rad {example_rows(KOM) + 2}",
        "Mac OS Roman",
        "Windows-1252",
    ),
    # a column a key result needs is never dropped
    accepted(
        "value_column_headed_mnkr",
        rename_column(INV, "investeringsvärde_msek", "mnkr"),
        "mnkr is miljoner kronor, the same as MSEK",
        rows={INV: example_rows(INV)},
    ),
    refused(
        "value_column_headed_belopp",
        rename_column(INV, "investeringsvärde_msek", "Belopp"),
        "'Belopp' holds the values I1 is computed from; dropping it would make I1 zero",
        "investeringar.csv",
        "rad 1",
        "kolumn 'Belopp'",
        "investeringsvärde_msek",
        "I1 räknas från den",
    ),
    refused(
        "value_column_headed_tkr",
        rename_column(INV, "investeringsvärde_msek", "investeringsvärde_tkr"),
        "a value column in tkr is not the MSEK column; the header must say which it is",
        "investeringar.csv",
        "kolumn 'investeringsvärde_tkr'",
        "'investeringsvärde_msek' (MSEK",
    ),
    # valid files a person reads without doubt
    accepted(
        "kommunkod_header_for_kommun",
        rename_column(KOM, "kommun", "kommunkod"),
        "a 'kommunkod' column with names or codes is the municipality column",
        rows={KOM: example_rows(KOM)},
    ),
    accepted(
        "scb_code_and_name",
        both(
            map_column(KOM, "kommun", lambda v: f"{_CODES[v]} {v}"),
            map_column(INV, "kommun", lambda v: f"{v} ({_CODES[v]})"),
        ),
        "SCB writes '1814 Lekeberg'; code and name agree",
        rows={KOM: example_rows(KOM), INV: example_rows(INV)},
    ),
    accepted(
        "alla_kommuner_for_alla",
        map_column(ACT, "kommuner", lambda v: "Alla kommuner" if v == "alla" else v),
        "'Alla kommuner' means every member, as 'alla' does",
        rows={ACT: example_rows(ACT)},
    ),
    accepted(
        "r_na_for_missing_values",
        both(*(map_empty(INV, c, "NA") for c in ("arbetstillfällen", "beslutsdatum", "källa"))),
        "R writes NA for a missing value",
        rows={INV: example_rows(INV)},
    ),
    accepted(
        "zero_point_zero_for_no",
        both(*(map_column(KOM, c, {"ja": "1.0", "nej": "0.0"}.__getitem__) for c in TOOLS)),
        "a pandas export writes 1.0 and 0.0 for yes and no",
        rows={KOM: example_rows(KOM)},
    ),
    accepted(
        "soft_hyphen_inside_area_names",
        map_column(NKI, "område", lambda v: v.replace("bygglov", "bygg\u00adlov").replace("miljö-", "mil\u00adjö-")),
        "a soft hyphen is invisible; 'bygg-lov' is bygglov",
        rows={NKI: example_rows(NKI)},
    ),
    accepted(
        "excel_instruction_rows_above_the_header",
        both(to_xlsx(INV), xlsx_edit("investeringar.xlsx", rows_above(14))),
        "the template's instruction rows are not the table; the header is the first row with the columns",
        rows={"investeringar.xlsx": example_rows(INV)},
    ),
    accepted(
        "excel_municipality_merged_down_each_block",
        both(to_xlsx(NKI), xlsx_edit("nki.xlsx", merge_blocks(2))),
        "a merged municipality cell applies to every row of its block",
        rows={"nki.xlsx": example_rows(NKI)},
    ),
    # from the first set, still open
    refused(
        "confidence_interval_with_one_limit_missing",
        set_cell(NKI, CI_ROW, "ki_övre", ""),
        "an interval with one limit is incomplete: both limits or none",
        "nki.csv",
        f"rad {CI_ROW}",
        "kolumn 'ki_övre'",
        "ki_nedre är ifyllt men ki_övre saknas",
    ),
    refused(
        "result_with_zero_answers",
        set_cell(NKI, 2, "antal_svar", "0"),
        "a result from 0 answers does not exist",
        "nki.csv",
        "rad 2",
        "kolumn 'antal_svar'",
        "'0'",
        "minst 1 svar",
    ),
    refused(
        "header_repeated_mid_file_in_another_order",
        insert_row(LEADS, 1001, SHIFTED_LEADS),
        "a second export with its columns in another order: the rows below it would be read into wrong columns",
        "leads.csv",
        "rad 1001",
        "annan ordning",
    ),
    accepted(
        "blank_follow_up_means_no",
        map_column(AREN, "uppföljning_gjord", lambda v: "" if v == "nej" else v),
        "the register leaves the follow-up cell empty until it is done: empty is nej",
        rows={AREN: example_rows(AREN)},
    ),
    refused(
        "investments_without_the_value_column",
        drop_column(INV, "investeringsvärde_msek"),
        "without the values I1 would be 0 MSEK, not unknown",
        "investeringar.csv",
        "kolumn 'investeringsvärde_msek'",
        "I1 räknas från den",
    ),
    refused(
        "activities_without_the_company_column",
        drop_column(ACT, "företag"),
        "without the companies I3 would count none",
        "aktiviteter.csv",
        "kolumn 'företag'",
        "I3 räknas från den",
    ),
    # left from round two
    refused(
        "excel_table_split_without_header_on_the_second_sheet",
        split_without_header(LEADS, 1200),
        "the second sheet continues the table; reading the first alone would halve the leads",
        "leads.xlsx",
        "bladet 'Blad2' ser ut att fortsätta tabellen",
    ),
    refused(
        "excel_array_formula_never_calculated",
        both(to_xlsx(KOM), xlsx_edit("kommuner.xlsx", array_formula(3, 2, 4))),
        "a formula without its result has no value to read",
        "kommuner.xlsx",
        "rad 3",
        "kolumn 'folkmängd'",
        "formeln har inget sparat värde",
    ),
]

# Further realistic cases (exports from Excel, Google Sheets, CRM systems, SKR, Kolada, SCB, LibreOffice).
OWN_CASES: list[Case] = [
    accepted(
        "crm_null_for_no_conversion",
        map_empty(LEADS, "konverteringsdatum", "NULL"),
        "a CRM's SQL export writes NULL for an empty date",
        rows={LEADS: example_rows(LEADS)},
    ),
    accepted(
        "pandas_nan_for_missing_jobs",
        map_empty(INV, "arbetstillfällen", "nan"),
        "a pandas export writes nan for a missing number",
        rows={INV: example_rows(INV)},
    ),
    accepted(
        "scb_two_dots_for_missing",
        map_empty(INV, "arbetstillfällen", ".."),
        "SCB writes '..' for a value not available",
        rows={INV: example_rows(INV)},
    ),
    accepted(
        "swedish_excel_saknas_in_a_column_no_key_result_reads",
        map_empty(INV, "källa", "#SAKNAS!"),
        "a lookup of the source that found nothing: the source is unknown, nothing is computed from it",
        rows={INV: example_rows(INV)},
    ),
    refused(
        "swedish_excel_saknas_in_the_value_column",
        set_cell(INV, 4, "investeringsvärde_msek", "#SAKNAS!"),
        "a failed lookup where I1's value should be: the sum would silently miss a project",
        "investeringar.csv",
        "rad 4",
        "'#SAKNAS!'",
        "Excel-felvärde",
    ),
    refused(
        "swedish_excel_value_error_in_population",
        set_cell(KOM, 3, "folkmängd", "#VÄRDEFEL!"),
        "#VÄRDEFEL! is Swedish Excel's #VALUE!, no population",
        "kommuner.csv",
        "rad 3",
        "'#VÄRDEFEL!'",
        "Excel-felvärde",
    ),
    refused(
        "na_in_a_required_column",
        set_cell(LEADS, 4, "kanal", "NA"),
        "NA is a missing value, and every lead has a channel",
        "leads.csv",
        "rad 4",
        "kolumn 'kanal'",
        "'NA'",
        "värde saknas",
    ),
    accepted(
        "zero_width_space_after_names",
        map_column(INV, "kommun", lambda v: v + "\u200b"),
        "a zero-width space copied from a web page is invisible",
        rows={INV: example_rows(INV)},
    ),
    accepted(
        "word_joiner_inside_channel_names",
        map_column(LEADS, "kanal", lambda v: v.replace("-", "\u2060-")),
        "an invisible word joiner does not make another channel",
        rows={LEADS: example_rows(LEADS)},
    ),
    refused(
        "code_and_name_of_different_municipalities",
        set_cell(KOM, 2, "kommun", "1860 Lekeberg"),
        "1860 is Laxå, not Lekeberg: which one is meant cannot be told",
        "kommuner.csv",
        "rad 2",
        "'1860 Lekeberg'",
        "koden 1860 och namnet Lekeberg är olika kommuner",
    ),
    refused(
        "county_row_among_the_members",
        append_text(KOM, "2025;Örebro län;310 000;ja;ja;ja;ja\r\n"),
        "the county is the sum of the members, not a member",
        "kommuner.csv",
        f"rad {example_rows(KOM) + 2}",
        "'Örebro län'",
        "summarad rad",
    ),
    refused(
        "total_row_below_the_investments",
        append_text(INV, "Totalt;;;;;5062,8;;;;;\r\n"),
        "a sum row is no project",
        "investeringar.csv",
        f"rad {example_rows(INV) + 2}",
        "värde saknas",
    ),
    accepted(
        "scb_code_and_name_in_the_national_table",
        map_column(RIKET, "kommunkod", lambda v: f"{v} Kommun"),
        "'0114 Upplands Väsby' as SCB writes it is the code 0114",
        rows={RIKET: example_rows(RIKET)},
    ),
    refused(
        "population_in_thousands",
        set_cell(KOM, 2, "folkmängd", "8"),
        "a municipality of 8 inhabitants: the export was in thousands",
        "kommuner.csv",
        "rad 2",
        "'8'",
        "skriven i tusental",
    ),
    refused(
        "population_with_a_digit_too_many",
        set_cell(KOM, row_of(KOM, år="2019", kommun="Örebro"), "folkmängd", "1556380"),
        "Örebro has 155 638 inhabitants, not 1,5 million",
        "kommuner.csv",
        "'1556380'",
        "fler invånare än någon svensk kommun",
    ),
    refused(
        "absurd_number_of_jobs",
        set_cell(INV, 2, "arbetstillfällen", "91000"),
        "91 000 new jobs from one project is a typo",
        "investeringar.csv",
        "rad 2",
        "'91000'",
        "orimligt många arbetstillfällen",
    ),
    refused(
        "confidence_limits_swapped",
        both(set_cell(NKI, CI_ROW, "ki_nedre", "93,1"), set_cell(NKI, CI_ROW, "ki_övre", "71,9")),
        "the lower limit above the upper: the columns were swapped",
        "nki.csv",
        f"rad {CI_ROW}",
        "omsluta värdet",
    ),
    refused(
        "only_the_lower_limit_removed",
        set_cell(NKI, CI_ROW, "ki_nedre", ""),
        "one limit without the other is an incomplete interval",
        "nki.csv",
        f"rad {CI_ROW}",
        "kolumn 'ki_nedre'",
        "ki_övre är ifyllt men ki_nedre saknas",
    ),
    refused(
        "confidence_limit_as_a_share",
        set_cell(NKI, CI_ROW, "ki_nedre", "0,719"),
        "a limit of 0,719 is 71,9 as a percentage",
        "nki.csv",
        f"rad {CI_ROW}",
        "'0,719'",
        "ser ut som en andel",
    ),
    refused(
        "excel_zero_date_in_leads",
        set_cell(LEADS, 3, "datum", "1900-01-01"),
        "1900-01-01 is Excel's date for an empty cell given a date format",
        "leads.csv",
        "rad 3",
        "'1900-01-01'",
        "före 2000",
    ),
    refused(
        "activity_date_with_a_misread_century",
        set_cell(ACT, 2, "datum", "1919-01-18"),
        "a two-digit year 19 read as 1919",
        "aktiviteter.csv",
        "rad 2",
        "'1919-01-18'",
        "före 2000",
    ),
    refused(
        "decision_date_on_a_lead",
        set_cell(INV, LEAD_STAGE_ROW, "beslutsdatum", "2021-02-01"),
        "a lead has no decision yet",
        "investeringar.csv",
        f"rad {LEAD_STAGE_ROW}",
        "skedet 'lead' har inget beslut",
    ),
    accepted(
        "check_marks_for_yes",
        map_column(KOM, "syna", {"ja": "✓", "nej": "nej"}.__getitem__),
        "a check mark is yes",
        rows={KOM: example_rows(KOM)},
    ),
    accepted(
        "ej_for_no",
        map_column(AREN, "mål_formulerade", {"ja": "ja", "nej": "Ej"}.__getitem__),
        "'Ej' is Swedish for not",
        rows={AREN: example_rows(AREN)},
    ),
    accepted(
        "google_sheets_true_and_false",
        map_column(AREN, "uppföljning_gjord", {"ja": "TRUE", "nej": "FALSE"}.__getitem__),
        "Google Sheets writes TRUE and FALSE for a checkbox",
        rows={AREN: example_rows(AREN)},
    ),
    accepted(
        "samtliga_kommuner_for_alla",
        map_column(ACT, "kommuner", lambda v: "samtliga kommuner" if v == "alla" else v),
        "'samtliga kommuner' is every member",
        rows={ACT: example_rows(ACT)},
    ),
    accepted(
        "header_synonyms_from_the_insikt_export",
        both(rename_column(RIKET, "värde", "Resultat"), rename_column(NKI, "antal_svar", "Antal svarande")),
        "'Resultat' and 'Antal svarande' are Insikt's own headings",
        rows={RIKET: example_rows(RIKET), NKI: example_rows(NKI)},
    ),
    accepted(
        "header_befolkning_and_kommunnamn",
        both(rename_column(KOM, "folkmängd", "Befolkning"), rename_column(INV, "kommun", "Kommunnamn")),
        "'Befolkning' is folkmängd, 'Kommunnamn' the municipality",
        rows={KOM: example_rows(KOM), INV: example_rows(INV)},
    ),
    accepted(
        "unrelated_note_column_is_only_a_warning",
        add_column(INV, "Anteckning", "ring i maj"),
        "a notes column no computation reads may be left out",
        "Varning",
        "okänd kolumn 'Anteckning' ignoreras",
        rows={INV: example_rows(INV)},
    ),
    refused(
        "misspelt_value_header",
        rename_column(INV, "investeringsvärde_msek", "investeringsvärde_mesk"),
        "a typo in the header of I1's column: the column must not be dropped",
        "investeringar.csv",
        "kolumn 'investeringsvärde_mesk'",
        "'investeringsvärde_msek'",
    ),
    refused(
        "misspelt_jobs_header",
        rename_column(INV, "arbetstillfällen", "arbetstilfällen"),
        "a typo in a column the report reads is not an unknown column",
        "investeringar.csv",
        "kolumn 'arbetstilfällen'",
        "'arbetstillfällen'",
    ),
    refused(
        "conversion_date_headed_otherwise",
        rename_column(LEADS, "konverteringsdatum", "Konverterad den"),
        "the dates M2 is computed from under another heading",
        "leads.csv",
        "kolumn 'Konverterad den'",
        "'konverteringsdatum'",
        "M2 räknas från den",
    ),
    Case(
        "nki_without_answers_column_warns",
        drop_column(NKI, "antal_svar"),
        0,
        ("Varning", "kolumnen 'antal_svar' saknas; S2 kan då inte bedömas"),
        rows={NKI: example_rows(NKI)},
        conclusion="without the answers S2 cannot be judged: the contract says so, the warning and the report too",
    ),
    refused(
        "misspelt_required_header",
        rename_column(LEADS, "kanal", "Kanl"),
        "'Kanl' is the channel column with a typo; the file cannot be read without it",
        "leads.csv",
        "saknar obligatoriska kolumner: kanal",
        "är 'Kanl' kanal?",
    ),
    accepted(
        "kolada_csv_with_info_lines_above",
        insert_row(RIKET, 1, ["Källa: Kolada, SKR Insikt", "", "", "", "", ""]),
        "Kolada's download starts with a line on the source",
        rows={RIKET: example_rows(RIKET)},
    ),
    accepted(
        "libreoffice_every_cell_quoted",
        quote_every_cell(INV),
        "quotes around every cell change nothing",
        rows={INV: example_rows(INV)},
    ),
    accepted(
        "header_repeated_in_capitals",
        insert_row(LEADS, 1001, [h.upper() for h in header_of(LEADS)]),
        "the same header again, in capitals: skipped",
        "rad 1001 upprepar rubrikraden",
        rows={LEADS: example_rows(LEADS)},
    ),
    refused(
        "excel_merged_cells_across_yes_no_columns",
        both(to_xlsx(KOM), xlsx_edit("kommuner.xlsx", lambda book: book.worksheets[0].merge_cells("D2:D5"))),
        "a merged yes/no cell leaves three municipalities without a value",
        "kommuner.xlsx",
        "rad 2",
        "sammanfogade celler",
    ),
    accepted(
        "excel_year_merged_down_each_block",
        both(to_xlsx(KOM), xlsx_edit("kommuner.xlsx", merge_blocks(1))),
        "the year of a block of municipalities in one merged cell",
        rows={"kommuner.xlsx": example_rows(KOM)},
    ),
    accepted(
        "macroman_activities_with_swedish_titles",
        reencode(ACT, "mac_roman"),
        "Mac OS Roman, told from Windows-1252 by its å, ä and ö",
        rows={ACT: example_rows(ACT)},
    ),
]

CASES += ROUND_THREE + OWN_CASES
