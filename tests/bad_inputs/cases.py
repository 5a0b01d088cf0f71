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
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bro_analysis.core.config import EXAMPLE_DATA_DIR

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
