"""Excel entry templates (`bro-analysis mallar`): the drop-down lists are the contracts'
vocabulary, a typo is refused by Excel, and a template filled with the example data's rows
reads as the example data does, to the same key results."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import tomllib
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter

from bro_analysis.core.config import EXAMPLE_DATA_DIR, OKR_FILE
from bro_analysis.input.contracts import TABLES
from bro_analysis.input.loading import DataError, load_dataset, read_csv_cells
from bro_analysis.input.templates import write_templates

# The registers analysts type by hand (issue #27), and the stage log kept beside the investments.
HAND = ("aktiviteter", "arenor", "investeringar", "investeringar_skeden", "leads", "kommuner")
LAST_ROW = 1_048_576
EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0 in the 1900 date system


def _okr() -> dict:
    return tomllib.loads(OKR_FILE.read_text(encoding="utf-8"))


def expected_lists() -> dict[tuple[str, str], tuple[list[str], str]]:
    """(table, column) -> (the drop-down's values, Excel's error style), from the contracts and
    data/okr.toml read here, not through the module under test."""
    okr = _okr()
    members = list(okr["medlemskommuner"].values())
    areas = okr["målområden"]["prioriterade"] + okr["målområden"]["övriga"]
    lists = {}
    for name in HAND:
        for col in TABLES[name].columns:
            if col.name == "målområde":
                lists[name, col.name] = (areas, "stop")
            elif col.kind == "category":
                lists[name, col.name] = (list(col.allowed), "stop")
            elif col.kind == "bool":
                lists[name, col.name] = (["ja", "nej"], "stop")
            elif col.kind == "municipality":
                lists[name, col.name] = (members, "stop")
            elif col.kind == "municipalities":  # several names in a cell: a warning, not a stop
                lists[name, col.name] = (["alla", *members], "warning")
    return lists


@pytest.fixture(scope="module")
def templates(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("mallar")
    write_templates(out)
    return out


def validation_of(sheet, letter: str):
    """The one data validation covering the column from row 2 to Excel's last row."""
    found = [dv for dv in sheet.data_validations.dataValidation if f"{letter}2:{letter}{LAST_ROW}" in str(dv.sqref)]
    assert len(found) == 1, (sheet.title, letter, found)
    return found[0]


def list_values(book, formula: str) -> list[str]:
    """A list validation's values: written inline ('"a,b"') or a range on another sheet."""
    if formula.startswith('"'):
        return formula.strip('"').split(",")
    sheet, cells = formula.split("!")
    first, last = cells.replace("$", "").split(":")
    column = column_index_from_string("".join(ch for ch in first if ch.isalpha()))
    rows = range(int("".join(ch for ch in first if ch.isdigit())), int("".join(ch for ch in last if ch.isdigit())) + 1)
    return [book[sheet].cell(row=r, column=column).value for r in rows]


def test_one_template_per_hand_register_named_as_the_loader_finds_it(templates):
    assert sorted(p.name for p in templates.iterdir()) == sorted(f"{n}.xlsx" for n in HAND)


@pytest.mark.parametrize("name", HAND)
def test_header_is_the_contracts_columns_on_a_sheet_named_after_the_table(templates, name):
    book = load_workbook(templates / f"{name}.xlsx")
    sheet = book.worksheets[0]
    assert sheet.title == name and book.active.title == name
    assert [c.value for c in sheet[1]] == [c.name for c in TABLES[name].columns]
    assert sheet.freeze_panes == "A2"
    assert "Instruktioner" in book.sheetnames
    assert all(sheet.column_dimensions[get_column_letter(i)].width >= 12 for i in range(1, sheet.max_column + 1))


def test_drop_down_lists_are_the_contracts_vocabulary(templates):
    expected = expected_lists()
    assert len(expected) == 16  # the closed columns of the six registers, counted by hand (2+3+4+1+1+5)
    seen = set()
    for name in HAND:
        book = load_workbook(templates / f"{name}.xlsx")
        sheet = book[name]
        for position, col in enumerate(TABLES[name].columns, 1):
            dv = validation_of(sheet, get_column_letter(position))
            if (name, col.name) not in expected:
                assert dv.type != "list", (name, col.name)
                continue
            values, style = expected[name, col.name]
            assert dv.type == "list" and dv.showErrorMessage, (name, col.name)
            assert (dv.errorStyle or "stop") == style, (name, col.name)
            assert list_values(book, dv.formula1) == values, (name, col.name)
            seen.add((name, col.name))
    assert seen == set(expected)


def test_a_typo_is_refused_by_the_list(templates):
    book = load_workbook(templates / "investeringar.xlsx")
    dv = validation_of(book["investeringar"], "E")  # skede
    assert dv.type == "list" and dv.showErrorMessage and (dv.errorStyle or "stop") == "stop"
    assert "etablerad" in dv.formula1 and "etabelrad" not in list_values(book, dv.formula1)
    assert dv.error.startswith("skede:") and dv.errorTitle


def test_dates_are_dates_and_numbers_have_the_contracts_range(templates):
    earliest = str((dt.date(2000, 1, 1) - EXCEL_EPOCH).days)
    inv = load_workbook(templates / "investeringar.xlsx")["investeringar"]
    first_contact = validation_of(inv, "H")
    assert (first_contact.type, first_contact.formula1, first_contact.formula2) == ("date", earliest, "TODAY()")
    assert inv.column_dimensions["H"].number_format == "yyyy-mm-dd"
    value = validation_of(inv, "F")  # MSEK: 20 000 and more looks like kronor
    assert (value.type, value.formula1, value.formula2) == ("decimal", "0", "20000")
    assert inv.column_dimensions["F"].number_format == "#,##0.0"  # 1 234,5 in a Swedish Excel
    jobs = validation_of(inv, "G")
    assert (jobs.type, jobs.formula1, jobs.formula2) == ("whole", "0", "19999")
    arena_date = validation_of(load_workbook(templates / "arenor.xlsx")["arenor"], "C")
    assert (arena_date.type, arena_date.operator, arena_date.formula2) == ("date", "greaterThanOrEqual", None)
    kommuner = load_workbook(templates / "kommuner.xlsx")["kommuner"]
    year, people = validation_of(kommuner, "A"), validation_of(kommuner, "C")
    assert (year.type, year.formula1, year.formula2) == ("whole", "2000", "YEAR(TODAY())")
    assert (people.type, people.formula1, people.formula2) == ("whole", "1000", "999999")  # not in thousands
    assert kommuner.column_dimensions["C"].number_format == "#,##0"


def test_messages_are_swedish_from_the_contract_and_within_excels_limits(templates):
    for name in HAND:
        sheet = load_workbook(templates / f"{name}.xlsx")[name]
        for position, col in enumerate(TABLES[name].columns, 1):
            dv = validation_of(sheet, get_column_letter(position))
            assert dv.showInputMessage and dv.promptTitle == col.name
            assert dv.prompt.startswith(col.description.rstrip(".")[:40]), (name, col.name)
            assert len(dv.prompt) <= 255 and len(dv.promptTitle) <= 32
            if dv.showErrorMessage:
                assert dv.errorTitle == "Ogiltigt värde" and len(dv.error) <= 225


def test_an_id_is_unique_in_its_column(templates):
    dv = validation_of(load_workbook(templates / "leads.xlsx")["leads"], "A")
    assert dv.type == "custom" and dv.formula1 == f"COUNTIF($A$2:$A${LAST_ROW},A2)=1" and dv.showErrorMessage


def test_instructions_name_every_column_with_its_meaning(templates):
    rows = list(load_workbook(templates / "arenor.xlsx")["Instruktioner"].iter_rows(values_only=True))
    by_name = {r[0]: r for r in rows if r[0] in {c.name for c in TABLES["arenor"].columns}}
    assert set(by_name) == {c.name for c in TABLES["arenor"].columns}
    assert by_name["typ"][1:4] == ("Nationell eller internationell", "ja", "nationell, internationell")
    assert by_name["uppföljning_gjord"][2] == "nej (tom = nej)"
    assert by_name["datum"][3].startswith("datum ÅÅÅÅ-MM-DD från 2000-01-01")


def test_a_list_longer_than_excel_allows_inline_is_on_a_hidden_sheet(tmp_path, plan):
    members = {f"{9000 + i}": f"Kommunen med ett mycket långt namn nummer {i}" for i in range(12)}
    write_templates(tmp_path, dataclasses.replace(plan, members=members), names=("investeringar",))
    book = load_workbook(tmp_path / "investeringar.xlsx")
    dv = validation_of(book["investeringar"], "C")
    assert dv.type == "list" and dv.formula1.startswith("Listor!$")
    assert book["Listor"].sheet_state == "hidden"
    assert list_values(book, dv.formula1) == list(members.values())
    shorter = validation_of(book["investeringar"], "E")
    assert shorter.formula1 == '"lead,dialog,beslut,etablerad,förlorad"'


# --- a filled template reads as the example data does ---------------------------------------


def typed(value: str, kind: str):
    """A CSV cell as Excel holds it once typed into the template: a date, a number or text."""
    if value == "":
        return None
    if kind == "date":
        return dt.date.fromisoformat(value)
    if kind in ("int", "year"):
        return int(value.replace(" ", ""))
    if kind == "float":
        return float(value.replace(" ", "").replace(",", "."))
    return value


def fill(template: Path, csv: Path, target: Path, name: str) -> list[list]:
    """The template with the CSV's rows typed in under its header, saved as `target`."""
    cells = read_csv_cells(csv)
    header = list(cells.iloc[0])
    assert header == [c.name for c in TABLES[name].columns]
    kinds = [TABLES[name].column(h).kind for h in header]
    rows = [[typed(v, k) for v, k in zip(row, kinds)] for row in cells.iloc[1:].itertuples(index=False)]
    book = load_workbook(template)
    for row in rows:
        book[name].append(row)
    book.save(target)
    return rows


@pytest.fixture(scope="module")
def filled(templates, tmp_path_factory) -> tuple[Path, dict[str, list[list]]]:
    """A copy of the example data whose hand registers are filled templates instead of CSVs."""
    folder = tmp_path_factory.mktemp("ifyllda") / "data"
    shutil.copytree(EXAMPLE_DATA_DIR, folder)
    rows = {}
    for name in HAND:
        rows[name] = fill(templates / f"{name}.xlsx", folder / f"{name}.csv", folder / f"{name}.xlsx", name)
        (folder / f"{name}.csv").unlink()
    return folder, rows


def test_a_filled_template_validates_clean(filled):
    folder, _ = filled
    example, dataset = load_dataset(EXAMPLE_DATA_DIR), load_dataset(folder)
    assert {s.table: s.file for s in dataset.sources if s.table in HAND} == {n: f"{n}.xlsx" for n in HAND}
    for name in HAND:
        assert dataset[name].equals(example[name]), name
    assert [w.replace(".xlsx", ".csv") for w in dataset.warnings] == example.warnings


def test_a_filled_template_gives_the_example_datas_key_results(filled):
    from bro_analysis.analysis import overview
    from bro_analysis.analysis.context import open_context

    def key_results(folder):  # a year and a part year; one folder at a time (the data is loaded once)
        return {
            period: [(o.id, o.value, o.status, o.value_text) for o in overview.outcomes(open_context(period, folder))]
            for period in ("2025", "2026-08")
        }

    folder, _ = filled
    expected = key_results(EXAMPLE_DATA_DIR)
    assert [len(v) for v in expected.values()] == [len(_okr()["nyckelresultat"])] * 2
    assert key_results(folder) == expected


def test_the_example_rows_pass_the_templates_checks(templates, filled):
    """What Excel would refuse in the example data: nothing (a list's value, a number's range)."""
    _, rows = filled
    for name in HAND:
        book = load_workbook(templates / f"{name}.xlsx")
        for position, col in enumerate(TABLES[name].columns):
            dv = validation_of(book[name], get_column_letter(position + 1))
            values = [r[position] for r in rows[name] if r[position] is not None]
            if dv.type == "list" and (dv.errorStyle or "stop") == "stop":
                assert set(values) <= set(list_values(book, dv.formula1)), (name, col.name)
            if dv.type in ("whole", "decimal") and dv.formula2 != "YEAR(TODAY())":
                assert all(float(dv.formula1) <= v <= float(dv.formula2) for v in values), (name, col.name)
            if dv.type == "custom":
                assert len({str(v).casefold() for v in values}) == len(values), (name, col.name)


# --- never overwriting --------------------------------------------------------------------------


def test_an_existing_template_is_not_replaced_without_the_flag(tmp_path):
    first = write_templates(tmp_path, names=("arenor", "leads"))
    (tmp_path / "arenor.xlsx").write_bytes(b"mitt arbete")
    with pytest.raises(DataError) as caught:
        write_templates(tmp_path)
    assert "arenor.xlsx" in str(caught.value) and "skrivs inte över" in str(caught.value)
    assert (tmp_path / "arenor.xlsx").read_bytes() == b"mitt arbete"
    assert sorted(tmp_path.iterdir()) == sorted(first)  # nothing written when one is in the way
    write_templates(tmp_path, names=("arenor",), overwrite=True)
    assert load_workbook(tmp_path / "arenor.xlsx").sheetnames == ["arenor", "Instruktioner"]


def test_a_template_beside_the_tables_csv_is_refused_even_with_the_flag(tmp_path):
    (tmp_path / "Leads.csv").write_text("id;datum\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        write_templates(tmp_path, overwrite=True)
    assert "Leads.csv" in str(caught.value) and "annan mapp" in str(caught.value)
    assert not list(tmp_path.glob("*.xlsx"))


def test_an_unknown_table_is_an_input_error(tmp_path):
    with pytest.raises(DataError, match="nkii"):
        write_templates(tmp_path, names=("nkii",))
