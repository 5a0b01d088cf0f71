"""Loading input files: what analysts have is accepted, everything else is a clear DataError."""

from __future__ import annotations

import datetime as dt
import os

import pandas as pd
import pytest

from bro_analysis.input.loading import DataError, Dataset, Problem, Source, load_dataset, load_table

NKI_HEADER = ["mätår", "kommun", "område", "mått", "värde"]
NKI_ROWS = [
    ["2025", "Örebro", "bygglov", "NKI", "72,4"],
    ["2025", "Hallsbergs kommun", "totalt", "nki", "80"],
    ["2024", "1880", "Miljö- och hälsoskydd", "bemötande", "65,25"],
]
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
INV_ROWS = [
    ["INV-1", "Nordlager AB", "Kumla", "logistik", "beslut", "450,5", "120", "2024-03-15", "2025-01-20", "nej"],
    ["INV-2", "Tech AB", "orebro", "Innovation och tech", "dialog", "", "", "2025-02-01", "", "ja"],
]
LEADS_HEADER = ["id", "datum", "kanal", "arena", "steg"]


def problems(exc: pytest.ExceptionInfo) -> list[Problem]:
    return exc.value.problems


def only_problem(exc: pytest.ExceptionInfo) -> Problem:
    assert len(exc.value.problems) == 1, str(exc.value)
    return exc.value.problems[0]


# --- good files ------------------------------------------------------------------------------


def check_nki(frame: pd.DataFrame) -> None:
    assert frame["mätår"].tolist() == [2025, 2025, 2024]
    assert frame["kommunkod"].tolist() == ["1880", "1861", "1880"]
    assert frame["kommun"].tolist() == ["Örebro", "Hallsberg", "Örebro"]
    assert frame["område"].tolist() == ["bygglov", "totalt", "miljö- och hälsoskydd"]
    assert frame["mått"].tolist() == ["NKI", "NKI", "bemötande"]
    assert frame["värde"].tolist() == [72.4, 80.0, 65.25]
    assert str(frame["mätår"].dtype) == "Int64"
    assert frame["värde"].dtype == "float64"
    assert list(frame.index) == [0, 1, 2]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_semicolon_csv_in_each_encoding(write_csv, plan, encoding):
    path = write_csv("nki.csv", [NKI_HEADER, *NKI_ROWS], encoding=encoding)
    frame, warnings = load_table(path, "nki", plan)
    check_nki(frame)
    assert warnings == []


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_comma_csv_with_quoted_decimal_comma(write_csv, plan, encoding):
    lines = [",".join(NKI_HEADER)] + [",".join(f'"{v}"' if "," in v else v for v in r) for r in NKI_ROWS]
    frame, _ = load_table(write_csv("nki.csv", lines, encoding=encoding), "nki", plan)
    check_nki(frame)


def test_tab_separated_csv(write_csv, plan):
    frame, _ = load_table(write_csv("nki.csv", [NKI_HEADER, *NKI_ROWS], sep="\t"), "nki", plan)
    check_nki(frame)


def test_comma_csv_with_decimal_point(write_csv, plan):
    rows = [[c.replace(",", ".") for c in r] for r in NKI_ROWS]
    frame, _ = load_table(write_csv("nki.csv", [NKI_HEADER, *rows], sep=","), "nki", plan)
    check_nki(frame)


def test_headers_matched_without_case_accents_or_aliases(write_csv, plan):
    header = ["Matar", "KOMMUN", "Myndighetsområde", "Mått", "Värde", "Antal svar"]
    frame, _ = load_table(write_csv("nki.csv", [header, ["2025", "Nora", "bygglov", "NKI", "70", "38"]]), "nki", plan)
    assert frame.loc[0, "kommunkod"] == "1884"
    assert frame.loc[0, "antal_svar"] == 38


def test_trailing_empty_rows_ignored(write_csv, plan):
    path = write_csv("nki.csv", [NKI_HEADER, *NKI_ROWS, "", ";;;;", "  ;  ;;;", ""])
    frame, _ = load_table(path, "nki", plan)
    check_nki(frame)


@pytest.mark.parametrize(
    "value, code, name",
    [
        ("Orebro", "1880", "Örebro"),
        ("Hallefors", "1863", "Hällefors"),
        ("Hallsbergs kommun", "1861", "Hallsberg"),
        ("laxå kommun", "1860", "Laxå"),
        ("1880", "1880", "Örebro"),
        ("1880.0", "1880", "Örebro"),
        ("1814", "1814", "Lekeberg"),
    ],
)
def test_municipality_normalised_in_file(write_csv, plan, value, code, name):
    path = write_csv("nki.csv", [NKI_HEADER, ["2025", value, "totalt", "NKI", "70"]])
    frame, _ = load_table(path, "nki", plan)
    assert (frame.loc[0, "kommunkod"], frame.loc[0, "kommun"]) == (code, name)


def test_investments_values_and_types(write_csv, plan):
    frame, warnings = load_table(write_csv("investeringar.csv", [INV_HEADER, *INV_ROWS]), "investeringar", plan)
    assert warnings == []
    assert frame["id"].tolist() == ["INV-1", "INV-2"]
    assert frame["kommunkod"].tolist() == ["1881", "1880"]
    assert frame["kommun"].tolist() == ["Kumla", "Örebro"]
    assert frame["målområde"].tolist() == ["logistik", "innovation och tech"]
    assert frame.loc[0, "investeringsvärde_msek"] == 450.5 and pd.isna(frame.loc[1, "investeringsvärde_msek"])
    assert frame["arbetstillfällen"].tolist()[0] == 120 and pd.isna(frame.loc[1, "arbetstillfällen"])
    assert frame.loc[0, "första_kontakt"] == pd.Timestamp("2024-03-15")
    assert frame.loc[0, "beslutsdatum"] == pd.Timestamp("2025-01-20") and pd.isna(frame.loc[1, "beslutsdatum"])
    assert frame["uppskattat_värde"].tolist() == [False, True]
    assert str(frame["uppskattat_värde"].dtype) == "boolean"
    assert str(frame["arbetstillfällen"].dtype) == "Int64"
    assert frame["första_kontakt"].dtype.kind == "M"
    assert pd.isna(frame.loc[0, "källa"])  # optional column absent


def test_absent_optional_columns_are_typed(write_csv, plan):
    """Missing optional columns come out empty but with their type (sums, comparisons work)."""
    header = [c for c in INV_HEADER if c not in ("investeringsvärde_msek", "arbetstillfällen", "beslutsdatum")]
    row = ["INV-1", "A", "Kumla", "logistik", "dialog", "2025-01-01", "nej"]
    frame, _ = load_table(write_csv("investeringar.csv", [header, row]), "investeringar", plan)
    assert frame["investeringsvärde_msek"].dtype == "float64"
    assert str(frame["arbetstillfällen"].dtype) == "Int64"
    assert frame["beslutsdatum"].dtype.kind == "M"
    assert frame["investeringsvärde_msek"].sum() == 0


def test_nki_without_optional_interval_columns_loads(write_csv, plan):
    """Regression: the interval check crashed (NA comparison) when ki_nedre/ki_övre were absent."""
    frame, _ = load_table(write_csv("nki.csv", [NKI_HEADER, *NKI_ROWS]), "nki", plan)
    assert frame["ki_nedre"].isna().all() and frame["ki_nedre"].dtype == "float64"


def test_unknown_column_is_a_warning(write_csv, plan):
    path = write_csv("nki.csv", [NKI_HEADER + ["Kommentar"], *[r + ["obs"] for r in NKI_ROWS]])
    frame, warnings = load_table(path, "nki", plan)
    check_nki(frame)
    assert warnings == ["nki.csv: okänd kolumn 'Kommentar' ignoreras"]
    assert "Kommentar" not in frame.columns


def test_personal_data_dropped_with_warning(write_csv, plan):
    header = LEADS_HEADER + ["Namn", "E-post", "Telefonnummer", "kontaktperson"]
    rows = [
        ["L-1", "2025-04-02", "LinkedIn", "", "lead", "Anna Svensson", "anna@x.se", "070-1234567", "Bo"],
        ["L-2", "2025-04-03", "Mässa", "Expo Real", "konverterad", "Kalle", "k@x.se", "", ""],
    ]
    frame, warnings = load_table(write_csv("leads.csv", [header, *rows]), "leads", plan)
    assert list(frame.columns) == ["id", "datum", "kanal", "arena", "steg", "konverteringsdatum"]
    assert frame["konverteringsdatum"].isna().all()  # the optional column, absent: missing, not a date
    assert frame["steg"].tolist() == ["lead", "konverterad"]
    assert frame["arena"].isna().tolist() == [True, False]
    assert warnings == [
        f"leads.csv: kolumnen '{c}' innehåller personuppgifter och lästes inte in"
        for c in ("Namn", "E-post", "Telefonnummer", "kontaktperson")
    ]
    text = frame.to_csv()
    assert "Anna" not in text and "anna@x.se" not in text and "070" not in text


# --- Excel -----------------------------------------------------------------------------------


def test_xlsx_with_native_cell_types(write_xlsx, plan):
    rows = [
        INV_HEADER,
        [
            "INV-1",
            "Nordlager AB",
            1880,
            "logistik",
            "beslut",
            450.5,
            120,
            dt.datetime(2024, 3, 15),
            dt.date(2025, 1, 20),
            False,
        ],
        ["INV-2", "Tech AB", 1881.0, "industri", "dialog", 12, None, dt.datetime(2025, 2, 1), None, True],
    ]
    frame, _ = load_table(write_xlsx("investeringar.xlsx", {"investeringar": rows}), "investeringar", plan)
    assert frame["kommunkod"].tolist() == ["1880", "1881"]
    assert frame["kommun"].tolist() == ["Örebro", "Kumla"]
    assert frame["investeringsvärde_msek"].tolist() == [450.5, 12.0]
    assert frame.loc[0, "arbetstillfällen"] == 120
    assert frame["första_kontakt"].tolist() == [pd.Timestamp("2024-03-15"), pd.Timestamp("2025-02-01")]
    assert frame.loc[0, "beslutsdatum"] == pd.Timestamp("2025-01-20")
    assert frame["uppskattat_värde"].tolist() == [False, True]


def test_xlsx_title_row_above_header_shifts_row_numbers(write_xlsx, plan):
    rows = [
        ["NKI-resultat 2025 (källa: SKR Insikt)"],
        [],
        NKI_HEADER,
        [2025, "Kumla", "bygglov", "NKI", 71.5],
        [2025, "Nora", "bygglov", "NKI", 140],
    ]
    path = write_xlsx("nki.xlsx", {"Blad1": rows})
    with pytest.raises(DataError) as exc:
        load_table(path, "nki", plan)
    p = only_problem(exc)
    assert (p.file, p.row, p.column, p.value) == ("nki.xlsx", 5, "värde", "140")
    assert "nki.xlsx, rad 5, kolumn 'värde': värdet '140' – förväntade ett värde mellan 0 och 100" in str(exc.value)


def test_xlsx_title_row_good_values(write_xlsx, plan):
    rows = [["NKI 2025"], NKI_HEADER, [2025, "Kumla", "bygglov", "NKI", 71.5], [2025, 1863, "totalt", "NKI", 60]]
    frame, _ = load_table(write_xlsx("nki.xlsx", {"Blad1": rows}), "nki", plan)
    assert frame["kommun"].tolist() == ["Kumla", "Hällefors"]
    assert frame["värde"].tolist() == [71.5, 60.0]


def test_xlsx_table_on_differently_named_sheet(write_xlsx, plan):
    sheets = {
        "Instruktioner": [["Fyll i bladet Data"]],
        "Data": [NKI_HEADER, [2025, "Kumla", "bygglov", "NKI", 71.5]],
        "Diagram": [],
    }
    frame, _ = load_table(write_xlsx("nki.xlsx", sheets), "nki", plan)
    assert frame["kommunkod"].tolist() == ["1881"]


def test_xlsx_sheet_named_after_table_wins(write_xlsx, plan):
    sheets = {
        "Mall": [NKI_HEADER],
        "NKI": [NKI_HEADER, [2025, "Kumla", "bygglov", "NKI", 71.5]],
    }
    frame, _ = load_table(write_xlsx("nki.xlsx", sheets), "nki", plan)
    assert frame["kommun"].tolist() == ["Kumla"]


def test_xlsx_old_copy_beside_the_named_sheet_is_an_error(write_xlsx, plan):
    sheets = {
        "Gammal": [NKI_HEADER, [2024, "Nora", "bygglov", "NKI", 50]],
        "NKI": [NKI_HEADER, [2025, "Kumla", "bygglov", "NKI", 71.5]],
    }
    with pytest.raises(DataError) as exc:
        load_table(write_xlsx("nki.xlsx", sheets), "nki", plan)
    assert "nki.xlsx – tabellen finns på flera blad: 'Gammal', 'NKI'" in str(exc.value)


def test_xlsx_no_sheet_with_header(write_xlsx, plan):
    path = write_xlsx("nki.xlsx", {"A": [["x", "y"]], "B": [["z"]]})
    with pytest.raises(DataError) as exc:
        load_table(path, "nki", plan)
    assert str(only_problem(exc)) == "nki.xlsx – hittar inget blad med tabellens rubrikrad; bladen heter A, B"


def test_xlsx_excel_error_and_date_serial(write_xlsx, plan):
    rows = [
        LEADS_HEADER,
        ["L-1", dt.date(2025, 1, 2), "LinkedIn", None, "#N/A"],
        ["L-2", 45658, "LinkedIn", None, "lead"],
    ]
    with pytest.raises(DataError) as exc:
        load_table(write_xlsx("leads.xlsx", {"leads": rows}), "leads", plan)
    found = {(p.row, p.column, p.value): p.message for p in problems(exc)}
    assert found[(2, "steg", "#N/A")].startswith("Excel-felvärde; förväntade en av: lead")
    assert "Excel-serienummer" in found[(3, "datum", "45658")]
    assert len(found) == 2


def test_empty_xlsx_is_empty(write_xlsx, plan):
    with pytest.raises(DataError) as exc:
        load_table(write_xlsx("nki.xlsx", {"Blad1": []}), "nki", plan)
    assert str(only_problem(exc)) == "nki.xlsx – filen är tom"


def test_broken_xlsx(tmp_path, plan):
    path = tmp_path / "nki.xlsx"
    path.write_text("mätår;kommun\n2025;Kumla\n", encoding="utf-8")
    with pytest.raises(DataError) as exc:
        load_table(path, "nki", plan)
    assert "nki.xlsx – kan inte läsas som Excel-fil (.xlsx)" in str(exc.value)


# --- bad values: file, Excel row, column, value and what was expected ------------------------------


@pytest.mark.parametrize(
    "row, column, value, message",
    [
        (["2025", "Kumla", "bygglov", "NKI", "100,5"], "värde", "100,5", "förväntade ett värde mellan 0 och 100"),
        (["2025", "Kumla", "bygglov", "NKI", "-1"], "värde", "-1", "förväntade ett värde mellan 0 och 100"),
        (["2025", "Kumla", "bygglov", "NKI", "#DIV/0!"], "värde", "#DIV/0!", "Excel-felvärde, förväntade ett tal"),
        (["2025", "Kumla", "bygglov", "NKI", "bra"], "värde", "bra", "förväntade ett tal (t.ex. 1 234,5)"),
        (["2025", "Kumla", "bygglov", "NKI", ""], "värde", "", "värde saknas"),
        (
            ["2025", "Stockholm", "bygglov", "NKI", "70"],
            "kommun",
            "Stockholm",
            "okänd kommun; förväntade en av de 12 medlemskommunerna (namn eller kod)",
        ),
        (["2025", "#N/A", "bygglov", "NKI", "70"], "kommun", "#N/A", "Excel-felvärde; okänd kommun"),
        (["2025", "Kumla", "parkering", "NKI", "70"], "område", "parkering", "förväntade en av: brandskydd, bygglov"),
        (["2025", "Kumla", "bygglov", "NPS", "70"], "mått", "NPS", "förväntade en av: NKI, information"),
        (["1999", "Kumla", "bygglov", "NKI", "70"], "mätår", "1999", "förväntade ett värde mellan 2000 och 2100"),
        (["2025,5", "Kumla", "bygglov", "NKI", "70"], "mätår", "2025,5", "förväntade ett heltal"),
    ],
)
def test_bad_nki_value(write_csv, plan, row, column, value, message):
    path = write_csv("nki.csv", [NKI_HEADER, *NKI_ROWS, row])
    with pytest.raises(DataError) as exc:
        load_table(path, "nki", plan)
    p = only_problem(exc)
    assert (p.file, p.row, p.column, p.value) == ("nki.csv", 5, column, value)
    assert p.message.startswith(message)
    assert str(p).startswith(f"nki.csv, rad 5, kolumn '{column}': värdet '{value}' – {message}")


@pytest.mark.parametrize(
    "column, value, message",
    [
        ("investeringsvärde_msek", "-5", "får inte vara mindre än 0"),
        ("arbetstillfällen", "-2", "får inte vara mindre än 0"),
        ("arbetstillfällen", "2,5", "förväntade ett heltal"),
        ("målområde", "turism", "förväntade en av: logistik, industri, innovation och tech"),
        ("skede", "klar", "förväntade en av: lead, dialog, beslut, etablerad, förlorad"),
        ("första_kontakt", "1/3/2025", "tvetydigt datum (dag/månad?), skriv ÅÅÅÅ-MM-DD"),
        ("första_kontakt", "45658", "ser ut som ett Excel-serienummer"),
        ("uppskattat_värde", "kanske", "förväntade ja eller nej"),
        ("kommun", "Uppsala kommun", "okänd kommun"),
    ],
)
def test_bad_investment_value(write_csv, plan, column, value, message):
    bad = list(INV_ROWS[1])
    bad[INV_HEADER.index(column)] = value
    with pytest.raises(DataError) as exc:
        load_table(write_csv("investeringar.csv", [INV_HEADER, INV_ROWS[0], bad]), "investeringar", plan)
    p = only_problem(exc)
    assert (p.file, p.row, p.column, p.value) == ("investeringar.csv", 3, column, value)
    assert p.message.startswith(message)


def test_all_problems_of_a_file_are_collected(write_csv, plan):
    rows = [
        NKI_HEADER,
        ["2025", "Kumla", "bygglov", "NKI", "101"],
        ["2025", "Kumla", "livsmedelskontroll", "NKI", "70"],
        ["2025", "Gotland", "totalt", "NKI", "70"],
        ["2025", "Nora", "totalt", "NKI", "#N/A"],
        ["2025", "Nora", "bygglov", "NKI", "70"],
        ["2025", "Nora", "bygglov", "NKI", "71"],
    ]
    with pytest.raises(DataError) as exc:
        load_table(write_csv("nki.csv", rows), "nki", plan)
    found = [(p.row, p.column) for p in problems(exc)]
    assert found == [(4, "kommun"), (2, "värde"), (5, "värde"), (7, "mätår, kommunkod, område, mått")]
    message = str(exc.value)
    assert message.startswith("4 fel i indata:")
    assert "nki.csv, rad 7, kolumn 'mätår, kommunkod, område, mått': värdet '2025 / 1884 / bygglov / NKI'" in message
    assert "samma nyckel som rad 6" in message


def test_duplicate_id(write_csv, plan):
    rows = [
        LEADS_HEADER,
        ["L-1", "2025-01-01", "x", "", "lead"],
        ["L-2", "2025-01-01", "x", "", "lead"],
        ["L-1", "2025-01-05", "y", "", "lead"],
    ]
    with pytest.raises(DataError) as exc:
        load_table(write_csv("leads.csv", rows), "leads", plan)
    p = only_problem(exc)
    assert (p.row, p.column, p.value) == (4, "id", "L-1")
    assert p.message == "samma nyckel som rad 2; varje nyckel får finnas en gång"


def test_mixed_decimal_marks(write_csv, plan):
    rows = [
        NKI_HEADER,
        ["2025", "Kumla", "bygglov", "NKI", "70,5"],
        ["2025", "Kumla", "totalt", "NKI", "71,5"],
        ["2025", "Nora", "totalt", "NKI", "72.5"],
    ]
    with pytest.raises(DataError) as exc:
        load_table(write_csv("nki.csv", rows), "nki", plan)
    p = only_problem(exc)
    assert (p.row, p.column, p.value) == (4, "värde", "72.5")
    assert p.message == "blandar decimalkomma och decimalpunkt i samma kolumn"


def test_unquoted_decimal_comma_in_comma_file_is_an_error(write_csv, plan):
    """'72,4' in a comma-separated file splits into 72 and 4: never load 72 silently."""
    lines = [",".join(NKI_HEADER), "2025,Kumla,bygglov,NKI,70", "2025,Kumla,totalt,NKI,72,4"]
    with pytest.raises(DataError) as exc:
        load_table(write_csv("nki.csv", lines), "nki", plan)
    p = only_problem(exc)
    assert (p.file, p.row, p.value) == ("nki.csv", 3, "4")
    assert "fler fält än rubrikraden" in p.message and "decimalkomma" in p.message


@pytest.mark.parametrize(
    "rows, message",
    [
        (
            [["INV-1", "A", "Kumla", "logistik", "beslut", "1", "1", "2025-01-01", "", "nej"]],
            "rad 2, kolumn 'beslutsdatum': värdet '' – skedet 'beslut' kräver ett beslutsdatum",
        ),
        (
            [["INV-1", "A", "Kumla", "logistik", "etablerad", "1", "1", "2025-01-01", "2024-12-31", "nej"]],
            "rad 2, kolumn 'beslutsdatum': värdet '2024-12-31' – beslutsdatum före första kontakt",
        ),
    ],
)
def test_investment_cross_checks(write_csv, plan, rows, message):
    with pytest.raises(DataError) as exc:
        load_table(write_csv("investeringar.csv", [INV_HEADER, *rows]), "investeringar", plan)
    assert f"investeringar.csv, {message}" in str(exc.value)


def test_nki_interval_must_enclose_value(write_csv, plan):
    rows = [
        NKI_HEADER + ["ki_nedre", "ki_övre"],
        ["2025", "Kumla", "bygglov", "NKI", "70", "60", "80"],
        ["2025", "Nora", "bygglov", "NKI", "70", "72", "80"],
    ]
    with pytest.raises(DataError) as exc:
        load_table(write_csv("nki.csv", rows), "nki", plan)
    p = only_problem(exc)
    assert (p.row, p.column) == (3, "ki_nedre/ki_övre")
    assert p.message == "intervallet måste omsluta värdet 70.0"


# --- bad files ------------------------------------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"   \r\n\r\n", b"\xef\xbb\xbf", b";;;;\r\n;;;\r\n"])
def test_empty_file(tmp_path, plan, content):
    path = tmp_path / "nki.csv"
    path.write_bytes(content)
    with pytest.raises(DataError) as exc:
        load_table(path, "nki", plan)
    assert str(exc.value) == "1 fel i indata:\n  nki.csv – filen är tom"


def test_header_only(write_csv, plan):
    with pytest.raises(DataError) as exc:
        load_table(write_csv("nki.csv", [NKI_HEADER, "", ""]), "nki", plan)
    assert str(only_problem(exc)) == "nki.csv – filen har rubrikrad men inga datarader"


def test_wrong_separator_pipe(write_csv, plan):
    with pytest.raises(DataError) as exc:
        load_table(write_csv("nki.csv", [NKI_HEADER, *NKI_ROWS], sep="|"), "nki", plan)
    text = str(only_problem(exc))
    assert text.startswith("nki.csv – saknar obligatoriska kolumner: mätår, kommun, område, mått, värde;")
    assert "'mätår|kommun|område|mått|värde'" in text
    assert "fel avgränsare" in text


def test_whole_row_in_one_column(write_csv, plan):
    """Each line quoted as one field (a common broken export): one column, not a guess."""
    lines = ['"' + ",".join(NKI_HEADER) + '"'] + ['"' + ";".join(r) + '"' for r in NKI_ROWS]
    with pytest.raises(DataError) as exc:
        load_table(write_csv("nki.csv", lines), "nki", plan)
    text = str(only_problem(exc))
    assert "saknar obligatoriska kolumner: mätår, kommun, område, mått, värde" in text
    assert "fel avgränsare" in text


def test_missing_required_column(write_csv, plan):
    header = ["mätår", "kommun", "område", "värde"]
    with pytest.raises(DataError) as exc:
        load_table(write_csv("nki.csv", [header, ["2025", "Kumla", "bygglov", "70"]]), "nki", plan)
    assert str(only_problem(exc)) == (
        "nki.csv – saknar obligatoriska kolumner: mått; rubrikraden har 'mätår', 'kommun', 'område', 'värde'"
    )


def test_missing_required_column_below_title_row(write_xlsx, plan):
    rows = [["NKI 2025"], ["mätår", "kommun", "område", "mått"], [2025, "Kumla", "bygglov", "NKI"]]
    with pytest.raises(DataError) as exc:
        load_table(write_xlsx("nki.xlsx", {"Blad1": rows}), "nki", plan)
    text = str(only_problem(exc))
    assert "saknar obligatoriska kolumner: värde; rubrikraden har 'mätår', 'kommun', 'område', 'mått'" in text


def test_duplicated_column(write_csv, plan):
    with pytest.raises(DataError) as exc:
        load_table(write_csv("nki.csv", [NKI_HEADER + ["Värde"], NKI_ROWS[0] + ["71"]]), "nki", plan)
    p = only_problem(exc)
    assert (p.row, p.column, p.message) == (1, "Värde", "kolumnen 'värde' finns två gånger")


def test_unclosed_quote_does_not_swallow_rows(write_csv, plan):
    rows = [
        LEADS_HEADER,
        ["L-1", "2025-01-01", '"LinkedIn', "", "lead"],
        ["L-2", "2025-01-02", "x", "", "lead"],
        ["L-3", "2025-01-03", "x", "", "lead"],
    ]
    with pytest.raises(DataError) as exc:
        load_table(write_csv("leads.csv", rows), "leads", plan)
    p = only_problem(exc)
    assert (p.file, p.row) == ("leads.csv", 2)
    assert "citattecken" in p.message


def test_excel_file_named_csv(write_xlsx, tmp_path, plan):
    xlsx = write_xlsx("x.xlsx", {"nki": [NKI_HEADER, [2025, "Kumla", "bygglov", "NKI", 70]]})
    path = tmp_path / "nki.csv"
    path.write_bytes(xlsx.read_bytes())
    with pytest.raises(DataError) as exc:
        load_table(path, "nki", plan)
    assert str(only_problem(exc)).startswith("nki.csv – är ingen textfil")


@pytest.mark.parametrize(
    "lines",
    [
        ["x"],
        ["\x00\x01"],
        ['"'],
        ["a;b", '"c'],
        [";".join(NKI_HEADER), '2025;Kumla;bygglov;NKI;"70'],
        [";".join(NKI_HEADER), "2025;Kumla;bygglov;NKI;70;;;;;1"],
        [";".join(NKI_HEADER)] * 3,
    ],
)
def test_malformed_files_raise_data_error_only(write_csv, plan, lines):
    with pytest.raises(DataError):
        load_table(write_csv("nki.csv", lines), "nki", plan)


def test_data_error_lists_at_most_60(write_csv, plan):
    towns = ("Kumla", "Nora", "Laxå")
    rows = [NKI_HEADER] + [[str(2000 + i % 25), towns[i // 25], "bygglov", "NKI", str(200 + i)] for i in range(70)]
    with pytest.raises(DataError) as exc:
        load_table(write_csv("nki.csv", rows), "nki", plan)
    text = str(exc.value)
    assert text.startswith("70 fel i indata:")
    assert "nki.csv, rad 2, kolumn 'värde': värdet '200'" in text
    assert text.endswith("… och 10 fel till")
    assert len(exc.value.problems) == 70


# --- inputs untouched, whole folders, speed -------------------------------------------------------


def minimal_folder(folder, write_csv, write_xlsx, plan):
    write_csv("nki.csv", [NKI_HEADER, *NKI_ROWS], folder=folder)
    write_xlsx("investeringar.xlsx", {"investeringar": [INV_HEADER, *INV_ROWS]}, folder=folder)
    write_csv(
        "leads.csv",
        [LEADS_HEADER, ["L-1", "2025-04-02", "x", "", "lead"], ["L-2", "2025-06-30", "x", "", "kvalificerad"]],
        folder=folder,
    )
    write_csv(
        "arenor.csv",
        [
            ["namn", "typ", "datum", "mål_formulerade", "uppföljning_gjord"],
            ["Expo Real", "internationell", "2025-10-06", "ja", "nej"],
        ],
        folder=folder,
    )
    write_csv(
        "aktiviteter.csv",
        [
            ["id", "datum", "typ", "titel", "kommuner", "företag"],
            ["A-1", "2025-05-14", "workshop", "Bygglov", "Kumla; Hallsberg", ""],
        ],
        folder=folder,
        encoding="cp1252",
    )
    write_csv(
        "kommuner.csv",
        [
            ["år", "kommun", "folkmängd", "insikt", "syna", "objektvision", "etableringsberedskap"],
            ["2025", "Nora", "10 512", "ja", "ja", "nej", "ja"],
            *[["2025", name, "5000", "ja", "nej", "nej", "ja"] for name in plan.members.values() if name != "Nora"],
        ],
        folder=folder,
        sep=",",
    )


def test_load_dataset(tmp_path, write_csv, write_xlsx, plan):
    minimal_folder(tmp_path, write_csv, write_xlsx, plan)
    data = load_dataset(tmp_path, plan)
    assert isinstance(data, Dataset)
    assert set(data.tables) == {"nki", "investeringar", "leads", "arenor", "aktiviteter", "kommuner"}
    check_nki(data["nki"])
    assert data["aktiviteter"].loc[0, "kommuner"] == ("1881", "1861")
    assert data["kommuner"].loc[0, "folkmängd"] == 10512
    assert data["investeringar"]["kommun"].tolist() == ["Kumla", "Örebro"]
    sources = {s.table: s for s in data.sources}
    assert isinstance(sources["leads"], Source)
    assert (sources["leads"].file, sources["leads"].rows) == ("leads.csv", 2)
    assert (sources["leads"].first_date, sources["leads"].last_date) == ("2025-04-02", "2025-06-30")
    assert (sources["nki"].first_date, sources["nki"].last_date) == ("2024", "2025")
    assert len(sources["investeringar"].sha256) == 64
    assert data.warnings == [  # the minimal folder lacks two optional columns that key results read
        "nki.csv: kolumnen 'antal_svar' saknas; S2 kan då inte bedömas (regionens resultat vägs med antalet svar)",
        "leads.csv: kolumnen 'konverteringsdatum' saknas; "
        "M2 räknas då på det steg varje lead nått, utan lika lång uppföljningstid",
    ]
    assert not data.is_example
    (tmp_path / "EXEMPELDATA.txt").write_text("exempel")
    assert load_dataset(tmp_path, plan, names=("nki",)).is_example


def test_load_dataset_collects_problems_across_files(tmp_path, write_csv, write_xlsx, plan):
    minimal_folder(tmp_path, write_csv, write_xlsx, plan)
    (tmp_path / "leads.csv").unlink()
    write_csv("nki.csv", [NKI_HEADER, ["2025", "Kumla", "bygglov", "NKI", "170"]])
    write_csv(
        "arenor.csv",
        [
            ["namn", "typ", "datum", "mål_formulerade", "uppföljning_gjord"],
            ["Expo Real", "lokal", "2025-10-06", "ja", "nej"],
        ],
    )
    with pytest.raises(DataError) as exc:
        load_dataset(tmp_path, plan)
    text = str(exc.value)
    assert text.startswith("3 fel i indata:")
    assert "nki.csv, rad 2, kolumn 'värde': värdet '170'" in text
    assert "leads.csv – filen saknas" in text
    assert "arenor.csv, rad 2, kolumn 'typ': värdet 'lokal'" in text


def test_load_dataset_two_files_for_one_table(tmp_path, write_csv, write_xlsx, plan):
    minimal_folder(tmp_path, write_csv, write_xlsx, plan)
    write_xlsx("NKI.xlsx", {"nki": [NKI_HEADER, [2025, "Kumla", "bygglov", "NKI", 70]]})
    with pytest.raises(DataError) as exc:
        load_dataset(tmp_path, plan)
    assert "flera filer för tabellen 'nki': NKI.xlsx, nki.csv; behåll en" in str(exc.value)


def test_load_dataset_missing_folder(tmp_path, plan):
    with pytest.raises(DataError) as exc:
        load_dataset(tmp_path / "saknas", plan)
    assert "datamappen finns inte" in str(exc.value)


def test_inputs_never_modified(tmp_path, write_csv, write_xlsx, plan):
    minimal_folder(tmp_path, write_csv, write_xlsx, plan)
    files = sorted(tmp_path.iterdir())
    for path in files:  # a known old time, so any write would show
        os.utime(path, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in files}
    load_dataset(tmp_path, plan)
    load_table(tmp_path / "investeringar.xlsx", "investeringar", plan)
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(tmp_path.iterdir())} == before


def test_40000_leads_load_correctly(tmp_path, plan):
    """A large CRM export loads whole (its speed is measured by `make bench`, not here)."""
    stages = ("lead", "kvalificerad", "konverterad")
    lines = ["id;datum;kanal;arena;steg;namn;e-post"]
    lines += [
        f"L-{i:05d};2025-{i % 12 + 1:02d}-{i % 28 + 1:02d};Kampanj {i % 9};{'Expo' if i % 3 else ''};"
        f"{stages[i % 3]};Person {i};p{i}@x.se"
        for i in range(40_000)
    ]
    path = tmp_path / "leads.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    frame, warnings = load_table(path, "leads", plan)
    assert len(frame) == 40_000
    assert frame["steg"].value_counts().to_dict() == {"lead": 13334, "kvalificerad": 13333, "konverterad": 13333}
    assert frame.loc[39_999, "datum"] == pd.Timestamp(f"2025-{39_999 % 12 + 1:02d}-{39_999 % 28 + 1:02d}")
    assert len(warnings) == 2


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_text_survives_each_encoding(write_csv, plan, encoding):
    """cp1252 has characters latin-1 lacks (– € ’): they must come through as written."""
    rows = [LEADS_HEADER, ["L-1", "2025-01-02", "Kampanj – vår’s €-erbjudande", "Ölmässan", "lead"]]
    frame, _ = load_table(write_csv("leads.csv", rows, encoding=encoding), "leads", plan)
    assert frame.loc[0, "kanal"] == "Kampanj – vår’s €-erbjudande"
    assert frame.loc[0, "arena"] == "Ölmässan"


def test_xlsx_unheaded_notes_column_is_a_warning(write_xlsx, plan):
    rows = [LEADS_HEADER, ["L-1", dt.date(2025, 1, 2), "x", None, "lead", None, "ring tillbaka"]]
    frame, warnings = load_table(write_xlsx("leads.xlsx", {"leads": rows}), "leads", plan)
    assert frame["id"].tolist() == ["L-1"]
    assert warnings == ["leads.xlsx: kolumn utan rubrik ignoreras"]


def test_header_further_down_than_thirty_rows(write_csv, plan):
    with pytest.raises(DataError) as exc:
        load_table(write_csv("nki.csv", [""] * 30 + [NKI_HEADER, *NKI_ROWS]), "nki", plan)
    assert str(only_problem(exc)) == "nki.csv – hittar ingen rubrikrad; de 30 första raderna är tomma"


def test_duplicate_key_with_date_shows_the_date_as_written(write_csv, plan):
    header = ["namn", "typ", "datum", "mål_formulerade", "uppföljning_gjord"]
    row = ["Expo Real", "internationell", "2025-10-06", "ja", "nej"]
    with pytest.raises(DataError) as exc:
        load_table(write_csv("arenor.csv", [header, row, row]), "arenor", plan)
    assert str(only_problem(exc)) == (
        "arenor.csv, rad 3, kolumn 'namn, datum': värdet 'Expo Real / 2025-10-06' – "
        "samma nyckel som rad 2; varje nyckel får finnas en gång"
    )


def test_title_row_with_comma_does_not_decide_the_separator(tmp_path):
    path = tmp_path / "arenor.csv"
    path.write_text(
        "Arenor, hela 2025\n"
        "namn;typ;datum;mål_formulerade;uppföljning_gjord\n"
        "Expo Real;internationell;2025-10-06;ja;nej\n"
        "Almedalen;nationell;2025-06-23;ja;ja\n",
        encoding="utf-8",
    )
    frame, _ = load_table(path, "arenor")
    assert frame["namn"].tolist() == ["Expo Real", "Almedalen"]


def test_cross_checks_are_reported_together_with_value_errors(tmp_path):
    from bro_analysis.input.loading import DataError

    path = tmp_path / "investeringar.csv"
    path.write_text(
        "id;företag;kommun;målområde;skede;investeringsvärde_msek;arbetstillfällen;första_kontakt;"
        "beslutsdatum;uppskattat_värde;källa\n"
        "A;X AB;Kumla;logistik;beslut;-5;1;2025-01-01;2025-02-01;nej;\n"  # negative value
        "B;Y AB;Kumla;logistik;etablerad;10;1;2025-01-01;;nej;\n"  # no decision date
        "C;Z AB;Kumla;logistik;beslut;10;1;2025-03-01;2025-02-01;nej;\n",  # decided before contact
        encoding="utf-8",
    )
    with pytest.raises(DataError) as info:
        load_table(path, "investeringar")
    text = str(info.value)
    assert "rad 2, kolumn 'investeringsvärde_msek'" in text
    assert "rad 3, kolumn 'beslutsdatum'" in text and "kräver ett beslutsdatum" in text
    assert "rad 4, kolumn 'beslutsdatum'" in text and "före första kontakt" in text
    assert len(info.value.problems) == 3


def test_load_dataset_once_remembers_until_a_file_changes(tmp_path):
    import shutil

    from bro_analysis.analysis import context
    from bro_analysis.core.config import EXAMPLE_DATA_DIR

    data = tmp_path / "data"
    shutil.copytree(EXAMPLE_DATA_DIR, data)
    first = context.load_dataset_once(data)
    first["arenor"].loc[0, "namn"] = "ändrad i en notebook"  # must not leak to the next caller
    second = context.load_dataset_once(data)
    assert second["arenor"].loc[0, "namn"] != "ändrad i en notebook"
    with open(data / "arenor.csv", "a", encoding="utf-8") as fh:
        fh.write("Ny arena;nationell;2025-03-03;ja;ja\n")
    third = context.load_dataset_once(data)
    assert len(third["arenor"]) == len(second["arenor"]) + 1


def test_a_conversion_before_the_lead_is_an_error_naming_row_column_and_value(write_csv, plan):
    rows = [
        LEADS_HEADER + ["konverteringsdatum"],
        ["L-1", "2025-04-02", "Webb", "", "konverterad", "2025-05-01"],
        ["L-2", "2025-04-03", "Webb", "", "konverterad", "2025-03-30"],
    ]
    with pytest.raises(DataError) as err:
        load_table(write_csv("leads.csv", rows), "leads", plan)
    assert (
        "leads.csv, rad 3, kolumn 'konverteringsdatum': värdet '2025-03-30' – "
        "konverteringsdatum före datumet då leadet kom in"
    ) in str(err.value)
