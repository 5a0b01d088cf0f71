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


def _typed(value: str):
    """A CSV cell as Excel would hold it: dates as dates, numbers as numbers."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return dt.datetime.strptime(value, "%Y-%m-%d")
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
]
