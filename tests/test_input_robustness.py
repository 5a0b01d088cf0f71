"""Input robustness: Excel sheets and formulas, dates in the future, keys, file names,
the folder's entries and every member municipality in every year."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile

import pandas as pd
import pytest

from bro_analysis.core.config import EXAMPLE_DATA_DIR
from bro_analysis.input import loading, parsing
from bro_analysis.input.loading import DataError, load_dataset, load_table

LEADS_HEADER = ["id", "datum", "kanal", "arena", "steg", "konverteringsdatum"]
NKI_HEADER = ["mätår", "kommun", "område", "mått", "värde"]
KOM_HEADER = ["år", "kommun", "folkmängd", "insikt", "syna", "objektvision", "etableringsberedskap"]
TODAY = dt.date(2025, 6, 1)


def messages(exc: pytest.ExceptionInfo) -> list[str]:
    return [str(p) for p in exc.value.problems]


def lead(i: int, date="2025-01-02", converted="") -> list:
    return [f"L-{i}", date, "Webb", "", "konverterad" if converted else "lead", converted]


# --- 1. a table on more than one sheet ---------------------------------------------------------


def test_table_split_over_two_sheets_is_an_error_naming_them(write_xlsx, plan):
    sheets = {"Blad1": [LEADS_HEADER, lead(1)], "Blad2": [LEADS_HEADER, lead(2)], "Anteckningar": [["x"]]}
    with pytest.raises(DataError) as exc:
        load_table(write_xlsx("leads.xlsx", sheets), "leads", plan, TODAY)
    assert messages(exc) == [
        "leads.xlsx – tabellen finns på flera blad: 'Blad1', 'Blad2'; samla raderna på ett blad och ta bort de andra"
    ]


def test_named_sheet_and_another_sheet_with_rows_is_an_error(write_xlsx, plan):
    sheets = {"leads": [LEADS_HEADER, lead(1)], "leads (2)": [LEADS_HEADER, lead(2)]}
    with pytest.raises(DataError) as exc:
        load_table(write_xlsx("leads.xlsx", sheets), "leads", plan, TODAY)
    assert "tabellen finns på flera blad: 'leads', 'leads (2)'" in str(exc.value)


def test_named_sheet_wins_over_a_header_only_template(write_xlsx, plan):
    sheets = {"Mall": [LEADS_HEADER], "leads": [LEADS_HEADER, lead(1), lead(2)]}
    frame, _ = load_table(write_xlsx("leads.xlsx", sheets), "leads", plan, TODAY)
    assert frame["id"].tolist() == ["L-1", "L-2"]


def test_chart_sheet_is_skipped(tmp_path, plan):
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference

    book = Workbook()
    sheet = book.active
    sheet.title = "Export"
    for row in [LEADS_HEADER, lead(1), lead(2)]:
        sheet.append(row)
    chart = BarChart()
    chart.add_data(Reference(sheet, min_col=1, min_row=1, max_row=3))
    book.create_chartsheet("Diagram", 0).add_chart(chart)
    book.save(tmp_path / "leads.xlsx")
    frame, _ = load_table(tmp_path / "leads.xlsx", "leads", plan, TODAY)
    assert len(frame) == 2


def rewrite_sheet_xml(path, change) -> None:
    """`change(xml bytes)` applied to the first sheet of an xlsx file."""
    with zipfile.ZipFile(path) as old:
        members = {info.filename: old.read(info) for info in old.infolist()}
    members["xl/worksheets/sheet1.xml"] = change(members["xl/worksheets/sheet1.xml"])
    with zipfile.ZipFile(path, "w") as new:
        for name, data in members.items():
            new.writestr(name, data)


def test_wrongly_recorded_sheet_size_does_not_cut_the_table(write_xlsx, plan):
    path = write_xlsx("leads.xlsx", {"leads": [LEADS_HEADER, lead(1), lead(2), lead(3)]})
    rewrite_sheet_xml(path, lambda xml: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:B2"', xml))
    frame, _ = load_table(path, "leads", plan, TODAY)
    assert frame["id"].tolist() == ["L-1", "L-2", "L-3"] and frame["steg"].notna().all()


# --- 2. dates in the future ----------------------------------------------------------------------


def test_date_after_today_is_an_error(write_csv, plan):
    rows = [LEADS_HEADER, lead(1, "2025-06-01"), lead(2, "2025-06-02"), lead(3, "2025-01-02", "2062-01-03")]
    with pytest.raises(DataError) as exc:
        load_table(write_csv("leads.csv", rows), "leads", plan, today=TODAY)
    assert messages(exc) == [
        "leads.csv, rad 3, kolumn 'datum': värdet '2025-06-02' – "
        "datumet ligger i framtiden (i dag är 2025-06-01); fel år?",
        "leads.csv, rad 4, kolumn 'konverteringsdatum': värdet '2062-01-03' – "
        "datumet ligger i framtiden (i dag är 2025-06-01); fel år?",
    ]


def test_planned_arena_may_lie_in_the_future(write_csv, plan):
    rows = [
        ["namn", "typ", "datum", "mål_formulerade", "uppföljning_gjord"],
        ["Expo", "nationell", "2030-05-01", "ja", "nej"],
    ]
    frame, _ = load_table(write_csv("arenor.csv", rows), "arenor", plan, today=TODAY)
    assert frame.loc[0, "datum"] == pd.Timestamp("2030-05-01")


def test_only_arenas_allow_the_future():
    from bro_analysis.input.contracts import TABLES

    allowed = {(t.name, c.name) for t in TABLES.values() for c in t.columns if c.future_allowed}
    assert allowed == {("arenor", "datum")}


def test_today_is_passed_from_load_dataset(tmp_path, plan):
    """The example data run to 2026-10-31: a day earlier, its last leads lie in the future."""
    shutil.copytree(EXAMPLE_DATA_DIR, tmp_path / "data")
    assert load_dataset(tmp_path / "data", plan, names=("leads",), today=dt.date(2026, 10, 31))
    with pytest.raises(DataError) as exc:
        load_dataset(tmp_path / "data", plan, names=("leads",), today=dt.date(2026, 10, 30))
    assert all("ligger i framtiden (i dag är 2026-10-30)" in m for m in messages(exc))


# --- 3. keys without case or surrounding space -------------------------------------------------


def test_ids_differing_only_in_case_are_one_key(write_csv, plan):
    rows = [LEADS_HEADER, lead(1), ["l-1 ", "2025-01-03", "Webb", "", "lead", ""]]
    with pytest.raises(DataError) as exc:
        load_table(write_csv("leads.csv", rows), "leads", plan, TODAY)
    assert messages(exc) == [
        "leads.csv, rad 3, kolumn 'id': värdet 'l-1' – samma nyckel som rad 2 "
        "('L-1'; versaler och mellanslag räknas inte); varje nyckel får finnas en gång"
    ]


def test_different_ids_stay_different(write_csv, plan):
    rows = [
        LEADS_HEADER,
        lead(1),
        ["L-1-B", "2025-01-03", "Webb", "", "lead", ""],
        ["L 1", "2025-01-03", "Webb", "", "lead", ""],
    ]
    frame, _ = load_table(write_csv("leads.csv", rows), "leads", plan, TODAY)
    assert frame["id"].tolist() == ["L-1", "L-1-B", "L 1"]  # kept as written


# --- 4. formulas without a computed value --------------------------------------------------------


def test_formula_without_saved_value_is_an_error(write_xlsx, plan):
    rows = [NKI_HEADER, [2025, "Kumla", "bygglov", "NKI", 71.5], [2025, "Nora", "bygglov", "NKI", "=70+1,5"]]
    with pytest.raises(DataError) as exc:
        load_table(write_xlsx("nki.xlsx", {"nki": rows}), "nki", plan, TODAY)
    assert messages(exc) == [
        "nki.xlsx, rad 3, kolumn 'värde': värdet '=70+1,5' – "
        "formeln har inget sparat värde; öppna filen i Excel och spara den igen"
    ]


def test_calculated_workbook_keeps_a_formula_that_gave_empty(write_xlsx, plan):
    """Excel saved it: the formulas have values, and one whose result is "" is an empty cell."""
    header = [*NKI_HEADER, "antal_svar"]
    rows = [header, [2025, "Kumla", "bygglov", "NKI", 71.5, "=10+28"], [2025, "Nora", "bygglov", "NKI", 70, '=""']]
    path = write_xlsx("nki.xlsx", {"nki": rows})
    rewrite_sheet_xml(path, lambda xml: xml.replace(b"<f>10+28</f><v />", b"<f>10+28</f><v>38</v>"))
    frame, _ = load_table(path, "nki", plan, TODAY)
    assert frame.loc[0, "antal_svar"] == 38 and pd.isna(frame.loc[1, "antal_svar"])


@pytest.mark.parametrize(
    "rows",
    [
        [NKI_HEADER, [2025, "Kumla", "bygglov", "NKI", 71.5]],  # no empty cell
        [[*NKI_HEADER, "antal_svar"], [2025, "Kumla", "bygglov", "NKI", 71.5, None]],  # no formula
    ],
)
def test_workbook_is_read_once_unless_a_formula_may_lack_its_value(write_xlsx, plan, monkeypatch, rows):
    path = write_xlsx("nki.xlsx", {"nki": rows})
    opened = []
    real = loading._open_workbook
    monkeypatch.setattr(
        loading, "_open_workbook", lambda p, data_only=True: opened.append(data_only) or real(p, data_only)
    )
    load_table(path, "nki", plan, TODAY)
    assert opened == [True]


# --- 5. date-times ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["2025-03-04 13:22:10", "2025-03-04T13:22", "2025-03-04 13:22:10.5", "2025-03-04T13:22:10Z", "2025-03-04 9.05"],
)
def test_date_time_text_keeps_the_date(text):
    dates, errors = parsing.parse_date(parsing.drop_time(pd.Series([text], dtype=str)))
    assert dates[0] == pd.Timestamp("2025-03-04") and errors[0] == ""


def test_date_time_cells_and_crm_timestamps_load(write_xlsx, write_csv, plan):
    rows = [LEADS_HEADER, ["L-1", dt.datetime(2025, 3, 4, 13, 22, 10), "Webb", None, "konverterad", "2025-03-05 08:00"]]
    frame, _ = load_table(write_xlsx("leads.xlsx", {"leads": rows}), "leads", plan, TODAY)
    assert frame.loc[0, "datum"] == pd.Timestamp("2025-03-04")
    assert frame.loc[0, "konverteringsdatum"] == pd.Timestamp("2025-03-05")
    rows = [LEADS_HEADER, ["L-1", "2025-03-04T13:22", "Webb", "", "lead", ""]]
    frame, _ = load_table(write_csv("leads.csv", rows), "leads", plan, TODAY)
    assert frame.loc[0, "datum"] == pd.Timestamp("2025-03-04")


def test_a_time_does_not_rescue_a_bad_date(write_csv, plan):
    rows = [LEADS_HEADER, ["L-1", "2025-02-30 10:00", "Webb", "", "lead", ""]]
    with pytest.raises(DataError) as exc:
        load_table(write_csv("leads.csv", rows), "leads", plan, TODAY)
    assert messages(exc) == ["leads.csv, rad 2, kolumn 'datum': värdet '2025-02-30 10:00' – datumet finns inte"]


# --- 6. what the folder holds under a data file's name -----------------------------------------


def test_folder_named_like_a_data_file(tmp_path, plan):
    (tmp_path / "nki.csv").mkdir()
    with pytest.raises(DataError) as exc:
        load_dataset(tmp_path, plan, names=("nki",))
    assert messages(exc) == [f"{tmp_path / 'nki.csv'} – är en mapp, inte en fil"]


def test_dangling_link_named_like_a_data_file(tmp_path, plan):
    (tmp_path / "leads.xlsx").symlink_to(tmp_path / "saknas" / "leads.xlsx")
    with pytest.raises(DataError) as exc:
        load_dataset(tmp_path, plan, names=("leads",))
    target = tmp_path / "saknas" / "leads.xlsx"
    assert messages(exc) == [f"{tmp_path / 'leads.xlsx'} – är en länk till {target}, som inte finns"]


def test_unreadable_file(tmp_path, plan, monkeypatch):
    (tmp_path / "nki.csv").write_text("mätår;kommun\n", encoding="utf-8")

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(loading, "open", refuse, raising=False)  # the test may run as root
    with pytest.raises(DataError) as exc:
        load_dataset(tmp_path, plan, names=("nki",))
    assert messages(exc) == [f"{tmp_path / 'nki.csv'} – kan inte läsas: behörighet saknas"]


# --- 7. near misses of a file name -------------------------------------------------------------


@pytest.mark.parametrize(
    "name, hint",
    [
        ("nki.xls", "hittade nki.xls – spara som .xlsx"),
        ("NKI.xlsm", "hittade NKI.xlsm – spara som .xlsx"),
        ("nki.ods", "hittade nki.ods – spara som .xlsx"),
        ("nki.numbers", "hittade nki.numbers – spara som .xlsx"),
        ("nki.csv.csv", "hittade nki.csv.csv – ta bort den dubbla ändelsen (filen ska heta nki.csv)"),
        ("nki.xlsx.csv", "hittade nki.xlsx.csv – ta bort den dubbla ändelsen (filen ska heta nki.csv)"),
        ("nki.txt", "hittade nki.txt – byt ändelsen till .csv"),
        ("nki .csv", "hittade 'nki .csv' – byt namn till nki.csv"),
    ],
)
def test_near_miss_is_named(tmp_path, plan, name, hint):
    (tmp_path / name).write_text("x", encoding="utf-8")
    with pytest.raises(DataError) as exc:
        load_dataset(tmp_path, plan, names=("nki",))
    assert messages(exc) == [
        f"nki.csv – filen saknas i {tmp_path} (tabellen 'NKI-resultat (SKR Insikt)', .csv eller .xlsx); {hint}"
    ]


@pytest.mark.parametrize("name", ["nki_riket.csv", "nki.csv.bak", "nki.pdf", "nkix.csv"])
def test_other_files_are_no_near_miss(tmp_path, name):
    (tmp_path / name).write_text("x", encoding="utf-8")
    assert loading.near_misses(tmp_path, "nki") == []


def test_near_miss_of_an_optional_table_is_a_warning(tmp_path, plan):
    shutil.copytree(EXAMPLE_DATA_DIR, tmp_path / "data")
    (tmp_path / "data" / "nki_riket.csv").rename(tmp_path / "data" / "nki_riket.xls")
    data = load_dataset(tmp_path / "data", plan, names=("nki", "nki_riket"))
    assert "nki_riket" not in data.tables
    assert data.warnings == ["nki_riket: hittade nki_riket.xls – spara som .xlsx; den valfria tabellen lästes inte"]


# --- 8. every member municipality in every year ------------------------------------------------


def municipalities(plan, years, skip=()) -> list[list]:
    return [
        [str(y), name, "1000", "ja", "ja", "nej", "ja"]
        for y in years
        for name in plan.members.values()
        if (y, name) not in skip
    ]


def test_every_member_every_year_loads(write_csv, plan):
    frame, _ = load_table(
        write_csv("kommuner.csv", [KOM_HEADER, *municipalities(plan, (2024, 2025))]), "kommuner", plan
    )
    assert len(frame) == 24


def test_missing_member_year_is_an_error(write_csv, plan):
    rows = [KOM_HEADER, *municipalities(plan, (2024, 2025), skip={(2025, "Nora"), (2024, "Laxå")})]
    with pytest.raises(DataError) as exc:
        load_table(write_csv("kommuner.csv", rows), "kommuner", plan)
    assert messages(exc) == [
        "kommuner.csv – rad saknas för Laxå år 2024; tabellen ska ha en rad per medlemskommun och år",
        "kommuner.csv – rad saknas för Nora år 2025; tabellen ska ha en rad per medlemskommun och år",
    ]


def test_a_row_with_a_bad_value_still_counts_as_present(write_csv, plan):
    rows = [KOM_HEADER, *municipalities(plan, (2025,))]
    rows[1][2] = "många"
    with pytest.raises(DataError) as exc:
        load_table(write_csv("kommuner.csv", rows), "kommuner", plan)
    assert len(exc.value.problems) == 1 and exc.value.problems[0].column == "folkmängd"


# --- more of what exports look like ----------------------------------------------------------------


def test_repeated_header_row_is_skipped_with_a_warning(write_csv, plan):
    rows = [LEADS_HEADER, lead(1), [h.upper() for h in LEADS_HEADER], lead(2)]
    frame, warnings = load_table(write_csv("leads.csv", rows), "leads", plan, TODAY)
    assert frame["id"].tolist() == ["L-1", "L-2"]
    assert warnings == ["leads.csv: rad 3 upprepar rubrikraden och hoppas över"]


def test_bom_anywhere_is_dropped():
    assert loading.decode(b"\xef\xbb\xbf\xef\xbb\xbfa;b\r\n\xef\xbb\xbfa;b") == "a;b\r\na;b"


def test_leading_apostrophe_dropped_except_in_text(write_csv, plan):
    rows = [LEADS_HEADER, ["'L-1", "'2025-01-02", "'Webb", "", "'lead", ""]]
    frame, _ = load_table(write_csv("leads.csv", rows), "leads", plan, TODAY)
    assert frame.loc[0, "datum"] == pd.Timestamp("2025-01-02") and frame.loc[0, "steg"] == "lead"
    assert frame.loc[0, "id"] == "'L-1"  # free text is kept as written


def test_a_year_in_the_future_is_an_error_naming_row_and_value(write_csv, plan):
    rows = [
        ["mätår", "kommun", "område", "mått", "värde"],
        ["2025", "Kumla", "bygglov", "NKI", "71,0"],
        ["2062", "Nora", "bygglov", "NKI", "70,0"],
    ]
    with pytest.raises(DataError) as exc:
        load_table(write_csv("nki.csv", rows), "nki", plan, today=dt.date(2026, 11, 29))
    text = str(exc.value)
    assert "rad 3" in text and "'2062'" in text and "året ligger i framtiden (i år är 2026)" in text


def test_labels_that_differ_only_in_case_or_space_are_one():
    values = pd.Series(["LinkedIn", "linkedin ", "Mässa", "LinkedIn", None, " MÄSSA", "mässa"])
    result = loading.one_spelling(values)
    assert result.drop(4).tolist() == ["LinkedIn", "LinkedIn", "Mässa", "LinkedIn", "Mässa", "Mässa"]
    assert pd.isna(result[4])  # missing stays missing


# --- round three (issue 28): what values mean, needed columns, synonyms, Excel layout ------------

INV_HEADER = [
    "id",
    "företag",
    "kommun",
    "målområde",
    "skede",
    "investeringsvärde_msek",
    "arbetstillfällen",
    "första_kontakt",
    "beslutsdatum",
    "uppskattat_värde",
]
NKI_FULL = [*NKI_HEADER, "antal_svar", "ki_nedre", "ki_övre"]


def project(i: int, value="45,0", stage="beslut", decided="2025-02-01", jobs="10", first="2025-01-10") -> list:
    return [f"INV-{i}", "AB", "Kumla", "logistik", stage, value, jobs, first, decided, "nej"]


def nki_row(value="72,4", answers="38", low="", high="") -> list:
    return ["2025", "Kumla", "bygglov", "NKI", value, answers, low, high]


@pytest.mark.parametrize(
    "value, cause",
    [
        ("450000000", "ser ut som kronor eller tusental kronor, inte MSEK"),
        ("45000", "ser ut som kronor eller tusental kronor, inte MSEK"),
    ],
)
def test_a_value_in_kronor_is_an_error_saying_so(write_csv, plan, value, cause):
    with pytest.raises(DataError) as exc:
        load_table(write_csv("investeringar.csv", [INV_HEADER, project(1, value)]), "investeringar", plan, TODAY)
    assert messages(exc) == [
        f"investeringar.csv, rad 2, kolumn 'investeringsvärde_msek': värdet '{value}' – {cause} "
        "(450 000 000 kr = 450 MSEK)"
    ]


def test_the_largest_plausible_value_in_msek_loads(write_csv, plan):
    frame, _ = load_table(
        write_csv("investeringar.csv", [INV_HEADER, project(1, "19 999")]), "investeringar", plan, TODAY
    )
    assert frame["investeringsvärde_msek"].tolist() == [19999.0]


@pytest.mark.parametrize(
    "row, column, cause",
    [
        (nki_row("0,724"), "värde", "ser ut som en andel"),
        (nki_row("1"), "värde", "ser ut som en andel"),
        (nki_row("0"), "värde", "NKI 0 betyder att området inte mättes"),
        (nki_row(answers="0"), "antal_svar", "ett resultat bygger på minst 1 svar"),
    ],
)
def test_nki_values_outside_their_meaning(write_csv, plan, row, column, cause):
    with pytest.raises(DataError) as exc:
        load_table(write_csv("nki.csv", [NKI_FULL, row]), "nki", plan, TODAY)
    (problem,) = exc.value.problems
    assert (problem.row, problem.column) == (2, column) and cause in problem.message


def test_nki_of_1_point_5_is_read(write_csv, plan):
    frame, _ = load_table(write_csv("nki.csv", [NKI_FULL, nki_row("1,5")]), "nki", plan, TODAY)
    assert frame["värde"].tolist() == [1.5]


@pytest.mark.parametrize(
    "low, high, column, message",
    [
        ("66,1", "", "ki_övre", "ki_nedre är ifyllt men ki_övre saknas"),
        ("", "78,7", "ki_nedre", "ki_övre är ifyllt men ki_nedre saknas"),
        ("72,4", "72,4", "ki_nedre/ki_övre", "ett intervall utan bredd"),
        ("78,7", "66,1", "ki_nedre/ki_övre", "intervallet måste omsluta värdet 72.4"),
    ],
)
def test_confidence_limits_both_or_none_around_the_value(write_csv, plan, low, high, column, message):
    with pytest.raises(DataError) as exc:
        load_table(write_csv("nki.csv", [NKI_FULL, nki_row(low=low, high=high)]), "nki", plan, TODAY)
    (problem,) = exc.value.problems
    assert (problem.row, problem.column) == (2, column) and message in problem.message


def test_interval_equal_to_the_value_at_one_end_is_fine(write_csv, plan):
    frame, _ = load_table(write_csv("nki.csv", [NKI_FULL, nki_row(low="72,4", high="80,0")]), "nki", plan, TODAY)
    assert frame["ki_nedre"].tolist() == [72.4]


@pytest.mark.parametrize("stage", ["lead", "dialog"])
def test_decision_date_on_an_undecided_stage_is_an_error(write_csv, plan, stage):
    with pytest.raises(DataError) as exc:
        load_table(write_csv("investeringar.csv", [INV_HEADER, project(1, stage=stage)]), "investeringar", plan, TODAY)
    assert messages(exc) == [
        f"investeringar.csv, rad 2, kolumn 'beslutsdatum': värdet '2025-02-01' – skedet '{stage}' har inget beslut; "
        "är skedet beslut eller etablerad, eller hör datumet inte hit?"
    ]


def test_a_lost_project_may_have_a_decision_date(write_csv, plan):
    frame, _ = load_table(
        write_csv("investeringar.csv", [INV_HEADER, project(1, stage="förlorad")]), "investeringar", plan, TODAY
    )
    assert len(frame) == 1


def test_a_date_before_2000_is_an_error(write_csv, plan):
    with pytest.raises(DataError) as exc:
        load_table(
            write_csv("investeringar.csv", [INV_HEADER, project(1, first="1922-01-10")]), "investeringar", plan, TODAY
        )
    assert messages(exc) == [
        "investeringar.csv, rad 2, kolumn 'första_kontakt': värdet '1922-01-10' – "
        "datumet ligger före 2000, innan registren började; fel år?"
    ]


@pytest.mark.parametrize("word", ["NA", "na", "NULL", "nan", "..", "saknas", "#SAKNAS!"])
def test_words_for_missing_in_an_optional_column(write_csv, plan, word):
    rows = [INV_HEADER + ["källa"], project(1, jobs=word if word != "#SAKNAS!" else "") + [word]]
    frame, _ = load_table(write_csv("investeringar.csv", rows), "investeringar", plan, TODAY)
    assert frame["arbetstillfällen"].isna().all() and frame["källa"].isna().all()


def test_a_failed_lookup_where_a_key_result_reads_is_an_error(write_csv, plan):
    with pytest.raises(DataError) as exc:
        load_table(write_csv("investeringar.csv", [INV_HEADER, project(1, "#SAKNAS!")]), "investeringar", plan, TODAY)
    assert "Excel-felvärde" in messages(exc)[0] and "'#SAKNAS!'" in messages(exc)[0]


def test_a_blank_follow_up_means_no(write_csv, plan):
    header = ["namn", "typ", "datum", "mål_formulerade", "uppföljning_gjord"]
    rows = [
        header,
        ["Expo Real", "internationell", "2024-10-06", "ja", ""],
        ["MIPIM", "internationell", "2024-03-08", "ja", "ja"],
    ]
    frame, _ = load_table(write_csv("arenor.csv", rows), "arenor", plan, TODAY)
    assert frame["uppföljning_gjord"].tolist() == [False, True]


def test_a_blank_in_another_yes_no_column_is_still_missing(write_csv, plan):
    header = ["namn", "typ", "datum", "mål_formulerade", "uppföljning_gjord"]
    with pytest.raises(DataError) as exc:
        load_table(
            write_csv("arenor.csv", [header, ["Expo Real", "internationell", "2024-10-06", "", "ja"]]),
            "arenor",
            plan,
            TODAY,
        )
    assert messages(exc) == ["arenor.csv, rad 2, kolumn 'mål_formulerade': värdet '' – värde saknas"]


def test_an_unknown_header_whose_values_fit_a_needed_column_is_an_error(write_csv, plan):
    header = [h if h != "investeringsvärde_msek" else "Belopp" for h in INV_HEADER]
    with pytest.raises(DataError) as exc:
        load_table(write_csv("investeringar.csv", [header, project(1)]), "investeringar", plan, TODAY)
    assert messages(exc) == [
        "investeringar.csv, rad 1, kolumn 'Belopp' – okänd kolumnrubrik, och den saknade kolumnen "
        "'investeringsvärde_msek' (MSEK; I1 räknas från den) ser ut att vara den; byt rubriken till kolumnens namn "
        "(data/README.md)"
    ]


def test_an_unknown_header_near_a_missing_column_is_an_error(write_csv, plan):
    header = [h if h != "arbetstillfällen" else "Arbetstilfällen" for h in INV_HEADER]
    with pytest.raises(DataError) as exc:
        load_table(write_csv("investeringar.csv", [header, project(1)]), "investeringar", plan, TODAY)
    assert "kolumn 'Arbetstilfällen'" in messages(exc)[0] and "'arbetstillfällen' (st)" in messages(exc)[0]


def test_an_unrelated_unknown_column_is_a_warning(write_csv, plan):
    rows = [INV_HEADER + ["Kommentar"], project(1) + ["123"]]  # numbers, but every column is there
    frame, warnings = load_table(write_csv("investeringar.csv", rows), "investeringar", plan, TODAY)
    assert warnings == ["investeringar.csv: okänd kolumn 'Kommentar' ignoreras"] and len(frame) == 1


def test_a_missing_column_a_key_result_reads(tmp_path, plan):
    """In a data folder: without the values I1 would be 0, an error; without the answers S2
    cannot be judged, which the contract declares, a warning."""
    import shutil

    folder = tmp_path / "data"
    shutil.copytree(EXAMPLE_DATA_DIR, folder)
    for name, column in (("investeringar.csv", "investeringsvärde_msek"), ("nki.csv", "antal_svar")):
        frame = pd.read_csv(folder / name, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
        frame.drop(columns=column).to_csv(folder / name, sep=";", index=False, encoding="utf-8-sig")
    with pytest.raises(DataError) as exc:
        load_dataset(folder, plan)
    assert messages(exc) == [
        "investeringar.csv, rad 1, kolumn 'investeringsvärde_msek' – kolumnen saknas, och I1 räknas från den; "
        "lägg till den (tomma celler går bra)"
    ]
    assert exc.value.warnings[0] == (
        "nki.csv: kolumnen 'antal_svar' saknas; S2 kan då inte bedömas (regionens resultat vägs med antalet svar)"
    )
    assert "Varning: nki.csv: kolumnen 'antal_svar' saknas" in str(exc.value)  # printed with the errors


def test_warnings_are_printed_with_the_errors():
    error = loading.DataError([loading.Problem("a.csv", 2, "x", "1", "fel")], ["a.csv: okänd kolumn 'y' ignoreras"])
    assert str(error).splitlines() == [
        "1 fel i indata:",
        "  a.csv, rad 2, kolumn 'x': värdet '1' – fel",
        "Varning: a.csv: okänd kolumn 'y' ignoreras",
    ]


def test_header_synonyms(write_csv, plan):
    header = ["År", "Kommunkod", "Befolkning", "insikt", "syna", "objektvision", "etableringsberedskap"]
    frame, warnings = load_table(write_csv("kommuner.csv", [header, *municipalities(plan, (2025,))]), "kommuner", plan)
    assert len(frame) == 12 and warnings == [] and frame["folkmängd"].eq(1000).all()


def test_invisible_characters_are_dropped_from_every_cell(write_csv, plan):
    rows = [NKI_FULL, ["2025", "Kum\u00adla\u200b", "bygg\u00adlov", "\ufeffNKI", "72,4", "38", "", ""]]
    frame, _ = load_table(write_csv("nki.csv", rows), "nki", plan, TODAY)
    assert frame.loc[0, ["kommun", "område", "mått"]].tolist() == ["Kumla", "bygglov", "NKI"]


def test_header_repeated_in_another_order_is_an_error(write_csv, plan):
    shifted = LEADS_HEADER[1:] + LEADS_HEADER[:1]
    rows = [LEADS_HEADER, lead(1), shifted, ["2025-01-03", "Webb", "", "lead", "", "L-2"]]
    with pytest.raises(DataError) as exc:
        load_table(write_csv("leads.csv", rows), "leads", plan, TODAY)
    assert exc.value.problems[0].row == 3 and "annan ordning" in exc.value.problems[0].message


def test_country_and_county_rows_of_the_national_table_are_skipped(write_csv, plan):
    header = ["mätår", "kommunkod", "område", "mått", "värde", "antal_svar"]
    rows = [header, ["2025", "0180", "totalt", "NKI", "70", "400"], ["2025", "0000", "totalt", "NKI", "71", "99000"]]
    rows.append(["2025", "0018", "totalt", "NKI", "72", "4100"])
    frame, warnings = load_table(write_csv("nki_riket.csv", rows), "nki_riket", plan, TODAY)
    assert frame["kommunkod"].tolist() == ["0180"]
    assert warnings == [
        "nki_riket.csv: rad 3, 4 (0000, 0018) gäller riket eller ett län, inte en kommun, och hoppas över"
    ]


def test_a_header_below_instruction_rows(write_xlsx, plan):
    above = [[f"Instruktion {i}"] for i in range(15)]
    path = write_xlsx("leads.xlsx", {"leads": [*above, LEADS_HEADER, lead(1), lead(2)]})
    frame, _ = load_table(path, "leads", plan, TODAY)
    assert frame["id"].tolist() == ["L-1", "L-2"]


def test_fill_merged_fills_a_block_where_the_contract_allows():
    from bro_analysis.input.contracts import TABLES

    cells = pd.DataFrame(
        [KOM_HEADER, ["2025", "Nora", "1", "ja", "ja", "ja", "ja"], ["", "Kumla", "2", "ja", "", "ja", "ja"]]
    )
    cells.index = [1, 2, 3]
    filled, problems = loading.fill_merged(cells, [(1, 2, 1, 3)], TABLES["kommuner"], "k.xlsx")
    assert filled[0].tolist() == ["år", "2025", "2025"] and problems == []
    _, problems = loading.fill_merged(cells, [(5, 2, 5, 3)], TABLES["kommuner"], "k.xlsx")
    assert [(p.row, p.column, p.value) for p in problems] == [(2, "syna", "E2:E3")]


def test_merged_cells_above_the_header_are_ignored():
    from bro_analysis.input.contracts import TABLES

    cells = pd.DataFrame(
        [["Verktyg", "", "", "", "", "", ""], KOM_HEADER, ["2025", "Nora", "1", "ja", "ja", "ja", "ja"]]
    )
    cells.index = [1, 2, 3]
    filled, problems = loading.fill_merged(cells, [(4, 1, 6, 1)], TABLES["kommuner"], "k.xlsx")
    assert problems == [] and filled.equals(cells)


def test_a_sheet_continuing_the_table_without_header_is_an_error(write_xlsx, plan):
    rows = [[f"L-{i}", dt.date(2025, 1, 2), "Webb", None, "lead", None] for i in range(1, 5)]
    path = write_xlsx("leads.xlsx", {"Blad1": [LEADS_HEADER, *rows[:2]], "Blad2": rows[2:]})
    with pytest.raises(DataError) as exc:
        load_table(path, "leads", plan, TODAY)
    assert messages(exc) == [
        "leads.xlsx – bladet 'Blad2' ser ut att fortsätta tabellen på bladet 'Blad1' men saknar rubrikrad, så bara "
        "ena halvan skulle läsas; flytta raderna till ett blad under rubrikraden"
    ]


def test_a_notes_sheet_is_no_continuation(write_xlsx, plan):
    path = write_xlsx("leads.xlsx", {"Blad1": [LEADS_HEADER, lead(1)], "Anteckningar": [["2025", "ring Anna", "x"]]})
    frame, _ = load_table(path, "leads", plan, TODAY)
    assert len(frame) == 1


def test_an_array_formula_without_its_value_is_an_error(write_xlsx, plan):
    from openpyxl import load_workbook
    from openpyxl.worksheet.formula import ArrayFormula

    rows = [
        KOM_HEADER,
        *[[2025, name, 1000 + i, "ja", "ja", "nej", "ja"] for i, name in enumerate(plan.members.values())],
    ]
    path = write_xlsx("kommuner.xlsx", {"kommuner": rows})
    book = load_workbook(path)
    sheet = book["kommuner"]
    sheet["C3"], sheet["C4"] = None, None
    sheet["C2"] = ArrayFormula("C2:C4", "=D2:D4*1")
    book.save(path)
    with pytest.raises(DataError) as exc:
        load_table(path, "kommuner", plan)
    assert [(p.row, p.column, p.value) for p in exc.value.problems] == [
        (row, "folkmängd", "=D2:D4*1") for row in (2, 3, 4)
    ]
    assert "formeln har inget sparat värde" in exc.value.problems[0].message


def test_a_misspelt_required_header_names_the_nearest_known_one(write_csv, plan):
    header = ["id", "datum", "Kanl", "arena", "steg", "konverteringsdatum"]
    with pytest.raises(DataError) as exc:
        load_table(write_csv("leads.csv", [header, lead(1)]), "leads", plan, TODAY)
    assert messages(exc) == [
        "leads.csv – saknar obligatoriska kolumner: kanal; rubrikraden har 'id', 'datum', 'Kanl', 'arena', 'steg', "
        "'konverteringsdatum'; är 'Kanl' kanal?"
    ]
