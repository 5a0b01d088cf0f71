"""Column parsers: each value's parsed result and each bad value's message."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from bro_analysis.input import parsing
from bro_analysis.input.loading import decode, sniff_separator


def s(*values: str) -> pd.Series:
    return pd.Series(list(values), dtype=str)


def test_fold_and_header_key():
    assert parsing.fold("  Örebro   Kommun ") == "orebro kommun"
    assert parsing.fold("Hällefors") == "hallefors"
    assert parsing.header_key("Investeringsvärde (MSEK)") == "investeringsvarde_msek"
    assert parsing.header_key("Mätår") == "matar"
    assert parsing.header_key("E-post") == "e_post"


# --- numbers -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("72,4", 72.4),
        ("72.4", 72.4),
        ("1 234,5", 1234.5),
        ("1\u00a0234", 1234.0),  # no-break space as thousands separator
        ("1\u202f234,25", 1234.25),  # narrow no-break space
        ("−3,5", -3.5),  # Unicode minus
        ("-3", -3.0),
        ("+7", 7.0),
        (",5", 0.5),
        ("0", 0.0),
    ],
)
def test_parse_number_good(text, expected):
    numbers, errors = parsing.parse_number(s(text))
    assert numbers.dtype == "float64"
    assert numbers[0] == pytest.approx(expected)
    assert errors[0] == ""


@pytest.mark.parametrize("text", ["abc", "1.234,5", "1,234.5", "1e5", "72%", "nan", "inf", "7 2 ,4x", "--3"])
def test_parse_number_bad(text):
    numbers, errors = parsing.parse_number(s(text))
    assert math.isnan(numbers[0])
    assert errors[0] == "förväntade ett tal (t.ex. 1 234,5)"


@pytest.mark.parametrize("text", ["#N/A", "#DIV/0!", "#VALUE!", "#REF!"])
def test_parse_number_excel_error(text):
    _, errors = parsing.parse_number(s(text))
    assert errors[0] == "Excel-felvärde, förväntade ett tal"


def test_parse_number_empty_is_missing_not_error():
    numbers, errors = parsing.parse_number(s("", "5"))
    assert math.isnan(numbers[0]) and numbers[1] == 5.0
    assert list(errors) == ["", ""]


def test_parse_int():
    numbers, errors = parsing.parse_int(s("10 512", "38,0", "38.0", "1,5", "", "x"))
    assert str(numbers.dtype) == "Int64"
    assert numbers[:3].tolist() == [10512, 38, 38]
    assert numbers[3:].isna().all()
    assert list(errors) == ["", "", "", "förväntade ett heltal", "", "förväntade ett tal (t.ex. 1 234,5)"]


def test_mixed_decimal_rows_flags_the_minority():
    rows = parsing.mixed_decimal_rows(s("72,4", "80,1", "65.3", "70"))
    assert rows.tolist() == [False, False, True, False]
    assert not parsing.mixed_decimal_rows(s("72,4", "80,1", "70")).any()
    assert not parsing.mixed_decimal_rows(s("72.4", "80.1")).any()


# --- dates ---------------------------------------------------------------------


def test_parse_date_good():
    dates, errors = parsing.parse_date(s("2025-03-01", "20250302", "2025-03-03 00:00:00", "2025-03-04 00:00", ""))
    assert dates.dtype == "datetime64[us]"
    assert [d.date().isoformat() for d in dates[:4]] == ["2025-03-01", "2025-03-02", "2025-03-03", "2025-03-04"]
    assert pd.isna(dates[4])
    assert set(errors) == {""}


def test_parse_date_dtype_when_all_empty():
    dates, _ = parsing.parse_date(s("", ""))
    assert dates.dtype == "datetime64[us]"


@pytest.mark.parametrize(
    "text, message",
    [
        ("1/3/2025", "tvetydigt datum (dag/månad?), skriv ÅÅÅÅ-MM-DD"),
        ("01.03.2025", "tvetydigt datum (dag/månad?), skriv ÅÅÅÅ-MM-DD"),
        ("3/1/25", "tvetydigt datum (dag/månad?), skriv ÅÅÅÅ-MM-DD"),
        ("45658", "ser ut som ett Excel-serienummer; formatera kolumnen som datum ÅÅÅÅ-MM-DD"),
        ("45658,0", "ser ut som ett Excel-serienummer; formatera kolumnen som datum ÅÅÅÅ-MM-DD"),
        ("2025-02-30", "datumet finns inte"),
        ("20251301", "datumet finns inte"),
        ("2025-03-01 14:30:00", "förväntade ett datum ÅÅÅÅ-MM-DD"),
        ("mars 2025", "förväntade ett datum ÅÅÅÅ-MM-DD"),
        ("2025-3-1", "förväntade ett datum ÅÅÅÅ-MM-DD"),
        ("#N/A", "Excel-felvärde, förväntade ett datum"),
    ],
)
def test_parse_date_bad(text, message):
    dates, errors = parsing.parse_date(s("2025-01-01", text))
    assert pd.isna(dates[1])
    assert list(errors) == ["", message]


# --- yes/no, categories, text ----------------------------------------------------


def test_parse_bool():
    values, errors = parsing.parse_bool(s("ja", "Nej", " JA", "x", "1", "0", "true", "", "kanske"))
    assert str(values.dtype) == "boolean"
    assert values[:7].tolist() == [True, False, True, True, True, False, True]
    assert values[7:].isna().all()
    assert errors.tolist() == [""] * 8 + ["förväntade ja eller nej"]


def test_parse_category_returns_canonical_spelling():
    values, errors = parsing.parse_category(
        s("Bygglov", "miljo- och halsoskydd", "TOTALT", "parkering", ""), parsing_areas()
    )
    assert values[:3].tolist() == ["bygglov", "miljö- och hälsoskydd", "totalt"]
    assert values[3:].isna().all()
    assert errors[3].startswith("förväntade en av: brandskydd, bygglov")
    assert errors[4] == ""


def parsing_areas():
    from bro_analysis.input.contracts import NKI_AREAS

    return NKI_AREAS


def test_parse_text_refuses_excel_errors():
    values, errors = parsing.parse_text(s("Nordlager AB", "#DIV/0!", ""))
    assert values[0] == "Nordlager AB" and pd.isna(values[2])
    assert errors.tolist() == ["", "Excel-felvärde i stället för text", ""]


# --- municipalities ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, code",
    [
        ("Örebro", "1880"),
        ("orebro", "1880"),
        ("ÖREBRO", "1880"),
        ("Orebro", "1880"),
        ("Örebro kommun", "1880"),
        ("Orebro Kommun", "1880"),
        (" Kumla ", "1881"),
        ("Hallsbergs kommun", "1861"),
        ("Hallsberg kommun", "1861"),
        ("Hallefors", "1863"),
        ("Hällefors kommun", "1863"),
        ("Laxa", "1860"),
        ("Lindesbergs kommun", "1885"),
        ("Ljusnarsberg", "1864"),
        ("1880", "1880"),
        ("1880.0", "1880"),
        ("1880,0", "1880"),
        ("1814", "1814"),
    ],
)
def test_normalise_municipality(plan, text, code):
    lookup = parsing.municipality_lookup(plan.members)
    assert parsing.normalise_municipality(text, lookup) == code


@pytest.mark.parametrize("text", ["Stockholm", "0180", "18800", "1880.5", "Region Örebro län", "Örebr"])
def test_normalise_municipality_unknown(plan, text):
    assert parsing.normalise_municipality(text, parsing.municipality_lookup(plan.members)) is None


def test_parse_municipality(plan):
    codes, errors = parsing.parse_municipality(s("Nora", "Uppsala", "", "nora"), plan.members)
    assert codes[0] == "1884" and codes[3] == "1884"
    assert pd.isna(codes[1]) and pd.isna(codes[2])
    assert errors[1] == "okänd kommun; förväntade en av de 12 medlemskommunerna (namn eller kod)"
    assert errors[2] == ""


def test_parse_municipality_list(plan):
    values, errors = parsing.parse_municipality_list(
        s("Kumla; Hallsberg", "alla", "Kumla, kumla", "", "Kumla; Uppsala;Sala"), plan.members
    )
    assert values[0] == ("1881", "1861")
    assert values[1] == tuple(plan.members) and len(values[1]) == 12
    assert values[2] == ("1881",)
    assert values[3] == ()
    assert errors.tolist() == ["", "", "", "", "okänd kommun: Uppsala, Sala"]


def test_parse_code():
    codes, errors = parsing.parse_code(s("180", "0180", "1880.0", "18", "abcd", ""))
    assert codes[:3].tolist() == ["0180", "0180", "1880"]
    assert errors.tolist() == ["", "", "", "förväntade en 4-siffrig kommunkod", "förväntade en 4-siffrig kommunkod", ""]


# --- text decoding and separators --------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "Hällefors;Örebro".encode(),
        b"\xef\xbb\xbf" + "Hällefors;Örebro".encode(),
        "Hällefors;Örebro".encode("cp1252"),
        "Hällefors;Örebro".encode("utf-16"),
    ],
)
def test_decode(raw):
    assert decode(raw) == "Hällefors;Örebro"


@pytest.mark.parametrize(
    "text, sep",
    [
        ("a;b;c\n1,5;2;3", ";"),
        ("a,b,c\n1;2;3", ","),
        ("a\tb\tc", "\t"),
        ("\n\na,b\n", ","),
    ],
)
def test_sniff_separator(text, sep):
    assert sniff_separator(text) == sep


# --- round three: meanings, synonyms and encodings (issue 28) ------------------------


@pytest.mark.parametrize("text", ["1.000", "1,000", "12.500", "1.000.000"])
def test_parse_int_refuses_a_thousands_separator(text):
    numbers, errors = parsing.parse_int(s(text))
    assert pd.isna(numbers[0])
    assert errors[0].startswith("förväntade ett heltal; punkt eller komma som tusentalsavgränsare")


def test_parse_int_keeps_a_zero_decimal():
    numbers, errors = parsing.parse_int(s("38,0", "1 000", "2025.0"))
    assert numbers.tolist() == [38, 1000, 2025]
    assert errors.tolist() == ["", "", ""]


def test_parse_bool_reads_the_common_spellings():
    values, errors = parsing.parse_bool(s("1.0", "0.0", "1,0", "0,0", "✓", "Ej", "TRUE", "FALSE"))
    assert values.tolist() == [True, False, True, False, True, False, True, False]
    assert set(errors) == {""}


@pytest.mark.parametrize(
    "text, code",
    [
        ("1814 Lekeberg", "1814"),
        ("1814 - Lekeberg", "1814"),
        ("Lekeberg (1814)", "1814"),
        ("1880 Örebro kommun", "1880"),
    ],
)
def test_code_and_name_together(plan, text, code):
    assert parsing.normalise_municipality(text, parsing.municipality_lookup(plan.members)) == code


def test_code_and_name_of_different_municipalities_is_an_error(plan):
    codes, errors = parsing.parse_municipality(s("1860 Lekeberg", "Örebro län", "Riket", "0000"), plan.members)
    assert codes.isna().all()
    assert errors[0] == "koden 1860 och namnet Lekeberg är olika kommuner"
    assert set(errors[1:]) == {"summarad rad (riket, länet eller totalt), inte en kommun; ta bort raden"}


@pytest.mark.parametrize(
    "text", ["Riket", "Örebro län", "Region Örebro län", "Totalt", "SUMMA", "0000", "0018", "Alla kommuner"]
)
def test_aggregates(text):
    assert parsing.is_aggregate(text)


@pytest.mark.parametrize("text", ["Örebro", "1880", "0180", "totalen av Kumla"])
def test_not_aggregates(text):
    assert not parsing.is_aggregate(text)


def test_every_member_in_other_words(plan):
    values, errors = parsing.parse_municipality_list(
        s("Alla kommuner", "samtliga", "alla 12 kommuner", "Alla medlemskommuner", "hela länet"), plan.members
    )
    assert all(v == tuple(plan.members) for v in values)
    assert set(errors) == {""}


def test_parse_code_with_the_name_after_it():
    codes, errors = parsing.parse_code(s("0180 Stockholm", "0114 - Upplands Väsby", "180"))
    assert codes.tolist() == ["0180", "0114", "0180"]
    assert set(errors) == {""}


def test_invisible_characters():
    assert parsing.INVISIBLE.sub("", "bygg\u00adlov\u200b\u2060\ufeff") == "bygglov"


@pytest.mark.parametrize("encoding", ["mac_roman", "cp1252"])
def test_decode_a_legacy_encoding_by_its_swedish_letters(encoding):
    text = "kommun;titel\r\nHällefors;Ölmässa på Åland\r\nÖrebro;Möte\r\n"
    assert decode(text.encode(encoding)) == text


def test_lines_in_different_encodings_name_the_first_that_differs():
    from bro_analysis.input.loading import MixedEncoding

    raw = "a;Örebro\r\nb;Kumla\r\n".encode() + "c;Hällefors\r\n".encode("cp1252") + "d;Nora\r\n".encode("mac_roman")
    with pytest.raises(MixedEncoding) as exc:
        decode(raw)
    assert (exc.value.line, exc.value.first, exc.value.other) == (3, "UTF-8", "Windows-1252")
    raw = "a;Örebro\r\n".encode("cp1252") + "b;Åmål\r\n".encode("mac_roman")
    with pytest.raises(MixedEncoding) as exc:
        decode(raw)
    assert (exc.value.line, exc.value.first, exc.value.other) == (2, "Windows-1252", "Mac OS Roman")


def test_line_encoding():
    from bro_analysis.input.loading import line_encoding

    assert line_encoding(b"plain ascii") is None
    assert line_encoding("Örebro".encode()) == "utf-8"
    assert line_encoding("Örebro".encode("cp1252")) == "cp1252"
    assert line_encoding("Örebro".encode("mac_roman")) == "mac_roman"
