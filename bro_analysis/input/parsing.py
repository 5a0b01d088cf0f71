"""Column parsers for analysts' files: Swedish numbers, dates, yes/no, names.

Each parser takes a Series of stripped strings ("" is empty) and returns
(parsed Series, Series of error messages with "" where the value is fine),
so that a whole file's problems are found in one pass.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

# Excel's error values, in English and in Swedish Excel (#SAKNAS! is #N/A, #VÄRDEFEL! is #VALUE! …).
EXCEL_ERRORS = {
    "#N/A",
    "#DIV/0!",
    "#VALUE!",
    "#REF!",
    "#NAME?",
    "#NUM!",
    "#NULL!",
    "#SPILL!",
    "#CALC!",
    "#SAKNAS!",
    "#DIVISION/0!",
    "#VÄRDEFEL!",
    "#REFERENS!",
    "#NAMN?",
    "#OGILTIGT!",
    "#SKÄRNING!",
    "#BERÄKNING!",
}
# A lookup that found nothing (#N/A, in Swedish Excel #SAKNAS!): a missing value where a value may be missing.
NOT_FOUND = {"#N/A", "#SAKNAS!"}
# Written for "no value" by R, SQL, pandas, SCB and people (compared folded, see `fold`).
MISSING_WORDS = ("na", "n/a", "null", "nan", "none", "saknas", "uppgift saknas", "..")
TRUE_WORDS = {"ja", "j", "yes", "y", "sant", "true", "1", "1.0", "1,0", "x", "✓", "✔", "☑"}
FALSE_WORDS = {"nej", "n", "no", "falskt", "false", "0", "0.0", "0,0", "ej"}
# Words for "every member municipality" in a list of municipalities (compared folded).
ALL_WORDS = (
    "alla",
    "alla kommuner",
    "alla medlemskommuner",
    "samtliga",
    "samtliga kommuner",
    "samtliga medlemskommuner",
    "hela länet",
)
# Names of a row that sums other rows (the country, a county, a total), never a municipality.
AGGREGATE_WORDS = ("riket", "hela riket", "sverige", "totalt", "total", "summa", "samtliga kommuner", "alla kommuner")
# Characters a person does not see: soft hyphen, zero-width space and joiners, word joiner, BOM.
INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_SPACES = re.compile(r"[\s\u00a0\u202f]")
_NUMBER = re.compile(r"^[-+−]?(\d+([.,]\d*)?|[.,]\d+)$")


def fold(text: str) -> str:
    """Lower case without accents or extra spaces, for matching: 'Örebro ' -> 'orebro'."""
    text = unicodedata.normalize("NFKD", str(text).strip().lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", text)


def header_key(text: str) -> str:
    """Normalised column header: 'Investeringsvärde (MSEK)' -> 'investeringsvarde_msek'."""
    return re.sub(r"[^a-z0-9]+", "_", fold(text)).strip("_")


def _excel_error(values: pd.Series) -> pd.Series:
    return values.isin(EXCEL_ERRORS)


def _map_unique(values: pd.Series, func) -> pd.Series:
    """`values.map(func)`, but calling `func` once per distinct value (columns repeat a lot)."""
    return values.map({v: func(v) for v in values.unique()})


def parse_number(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Numbers with decimal comma or point and space as thousands separator."""
    compact = values.str.replace(_SPACES, "", regex=True).str.replace("−", "-", regex=False)
    ok_shape = compact.str.match(_NUMBER)
    numbers = pd.to_numeric(compact.where(ok_shape).str.replace(",", ".", regex=False), errors="coerce")
    errors = pd.Series("", index=values.index)
    bad = (values != "") & numbers.isna()
    errors[bad] = "förväntade ett tal (t.ex. 1 234,5)"
    errors[bad & _excel_error(values)] = "Excel-felvärde, förväntade ett tal"
    return numbers.astype(float), errors


def mixed_decimal_rows(values: pd.Series, weights=None) -> pd.Series:
    """Rows whose decimal mark differs from the column's usual one (comma vs point).
    `weights` counts how often each value occurs when `values` holds distinct values."""
    compact = values.str.replace(_SPACES, "", regex=True)
    comma = compact.str.match(r"^[-+]?\d*,\d+$")
    point = compact.str.match(r"^[-+]?\d*\.\d+$")
    if not (comma.any() and point.any()):
        return pd.Series(False, index=values.index)
    weights = 1 if weights is None else weights
    return point if (comma * weights).sum() >= (point * weights).sum() else comma


_GROUPED = re.compile(r"^[-+]?\d{1,3}([.,]\d{3})+$")


def parse_int(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Whole numbers ('10 512', '38', '38,0'); '1.000' is an error (a thousands separator,
    not a decimal mark, for a count)."""
    numbers, errors = parse_number(values)
    fractional = numbers.notna() & (numbers != np.floor(numbers))
    errors[fractional & (errors == "")] = "förväntade ett heltal"
    grouped = values.str.match(_GROUPED)
    errors[grouped] = "förväntade ett heltal; punkt eller komma som tusentalsavgränsare? skriv 1000 eller 1 000"
    numbers = numbers.where(~grouped)
    fractional &= ~grouped
    return numbers.where(~fractional).astype("Int64"), errors


_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}( 00:00(:00)?)?$")
_COMPACT = re.compile(r"^\d{8}$")
_SLASHED = re.compile(r"^\d{1,2}[/.]\d{1,2}[/.]\d{2,4}$")
_SERIAL = re.compile(r"^\d{5}([.,]0+)?$")


def parse_date(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Dates as ÅÅÅÅ-MM-DD (or ÅÅÅÅMMDD); ambiguous forms are errors, not guesses."""
    iso = values.str.match(_ISO)
    compact = values.str.match(_COMPACT)
    dates = pd.to_datetime(values.where(iso).str.slice(0, 10), format="%Y-%m-%d", errors="coerce")
    dates = dates.fillna(pd.to_datetime(values.where(compact), format="%Y%m%d", errors="coerce"))
    errors = pd.Series("", index=values.index)
    bad = (values != "") & dates.isna()
    errors[bad] = "förväntade ett datum ÅÅÅÅ-MM-DD"
    errors[bad & (iso | compact)] = "datumet finns inte"
    wrong = values[bad]  # only the bad values need a closer look
    errors[wrong.index[wrong.str.match(_SLASHED)]] = "tvetydigt datum (dag/månad?), skriv ÅÅÅÅ-MM-DD"
    errors[wrong.index[wrong.str.match(_SERIAL)]] = (
        "ser ut som ett Excel-serienummer; formatera kolumnen som datum ÅÅÅÅ-MM-DD"
    )
    errors[wrong.index[_excel_error(wrong)]] = "Excel-felvärde, förväntade ett datum"
    return dates.astype("datetime64[us]"), errors


_DATE_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T]\d{1,2}[:.]\d{2}([:.]\d{2}([.,]\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")


def drop_time(values: pd.Series) -> pd.Series:
    """The date of a date-time ('2025-03-04 13:22:10', '2025-03-04T13:22', an Excel
    date-time cell, a CRM timestamp); other values unchanged."""
    return values.str.replace(_DATE_TIME, r"\1", regex=True)


def drop_apostrophe(values: pd.Series) -> pd.Series:
    """Without Excel's leading text mark: "'0180" -> "0180"."""
    return values.str.replace(r"^'", "", regex=True)


def parse_bool(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """ja/nej (also 1/0, true/false, x)."""
    folded = _map_unique(values, fold)
    result = pd.Series(pd.NA, index=values.index, dtype="boolean")
    result[folded.isin(TRUE_WORDS)] = True
    result[folded.isin(FALSE_WORDS)] = False
    errors = pd.Series("", index=values.index)
    errors[(values != "") & result.isna()] = "förväntade ja eller nej"
    return result, errors


def parse_category(values: pd.Series, allowed: tuple[str, ...]) -> tuple[pd.Series, pd.Series]:
    """One of `allowed`, matched without case or accents; returns the canonical spelling."""
    lookup = {fold(a): a for a in allowed}
    result = _map_unique(values, lambda v: lookup.get(fold(v)))
    errors = pd.Series("", index=values.index)
    errors[(values != "") & result.isna()] = "förväntade en av: " + ", ".join(allowed)
    return result, errors


def is_aggregate(value: str) -> bool:
    """A name or code of a row summing municipalities: 'Riket', 'Örebro län', 'Totalt',
    Kolada's country (0000) and county codes ('00' and the county number)."""
    key = fold(value)
    return key in AGGREGATE_WORDS or key.endswith(" lan") or key == "lanet" or bool(re.fullmatch(r"00\d\d", key))


def municipality_lookup(members: dict[str, str]) -> dict[str, str]:
    """Every accepted spelling of a member municipality -> its 4-digit code."""
    lookup: dict[str, str] = {}
    for code, name in members.items():
        base = fold(name)
        for spelling in (base, base + " kommun", base + "s kommun", code, str(int(code))):
            lookup[spelling] = code
    return lookup


_CODE_AND_NAME = re.compile(r"^(\d{4})\s*[-–:]?\s*(\D.*)$|^(\D.*?)\s*\(?(\d{4})\)?$")


def code_and_name(value: str) -> tuple[str, str] | None:
    """SCB's and Kolada's 'kod namn': '1814 Lekeberg', '1814 - Lekeberg', 'Lekeberg (1814)'."""
    match = _CODE_AND_NAME.match(value.strip())
    if not match:
        return None
    code, name = (match[1], match[2]) if match[1] else (match[4], match[3])
    return code, name.strip()


def normalise_municipality(value: str, lookup: dict[str, str]) -> str | None:
    """'Örebro kommun', 'orebro', 1880, '1880.0', '1880 Örebro' -> '1880'; None when unknown
    (also when a code and a name name different municipalities)."""
    key = fold(value)
    key = re.sub(r"^(\d+)[.,]0+$", r"\1", key)
    if key in lookup:
        return lookup[key]
    both = code_and_name(value)
    if both and lookup.get(both[0]) and lookup.get(both[0]) == lookup.get(fold(both[1])):
        return lookup[both[0]]
    return None


def _unknown_municipality(value: str, lookup: dict[str, str]) -> str:
    """Why `value` is not a member municipality."""
    if is_aggregate(value):
        return "summarad rad (riket, länet eller totalt), inte en kommun; ta bort raden"
    both = code_and_name(value)
    if both and lookup.get(both[0]) and lookup.get(fold(both[1])):
        return f"koden {both[0]} och namnet {both[1]} är olika kommuner"
    return "okänd kommun; förväntade en av de 12 medlemskommunerna (namn eller kod)"


def parse_municipality(values: pd.Series, members: dict[str, str]) -> tuple[pd.Series, pd.Series]:
    """A member municipality by name or code -> its code."""
    lookup = municipality_lookup(members)
    codes = _map_unique(values, lambda v: normalise_municipality(v, lookup) if v else None)
    errors = pd.Series("", index=values.index)
    unknown = (values != "") & codes.isna()
    errors[unknown] = _map_unique(values[unknown], lambda v: _unknown_municipality(v, lookup))
    return codes, errors


def parse_municipality_list(values: pd.Series, members: dict[str, str]) -> tuple[pd.Series, pd.Series]:
    """'Kumla; Hallsberg' or 'alla' -> tuple of codes."""
    lookup = municipality_lookup(members)
    parsed: list[tuple[str, ...]] = []
    errors: list[str] = []
    for value in values:
        if not value:
            parsed.append(())
            errors.append("")
            continue
        if fold(value) in {fold(w) for w in ALL_WORDS} or re.fullmatch(
            r"alla (\d+|tolv) (medlems)?kommuner(na)?", fold(value)
        ):
            parsed.append(tuple(members))
            errors.append("")
            continue
        parts = [p for p in re.split(r"[;,]", value) if p.strip()]
        codes = [normalise_municipality(p, lookup) for p in parts]
        unknown = [p.strip() for p, c in zip(parts, codes) if c is None]
        parsed.append(tuple(dict.fromkeys(c for c in codes if c)))
        errors.append(f"okänd kommun: {', '.join(unknown)}" if unknown else "")
    return pd.Series(parsed, index=values.index, dtype=object), pd.Series(errors, index=values.index)


def parse_code(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Any Swedish municipality code: 4 digits, a lost leading zero restored ('180' -> '0180'),
    also followed by the name ('0180 Stockholm')."""
    compact = values.str.replace(r"[.,]0+$", "", regex=True).str.replace(
        r"^(\d{3,4})\s*[-–:]?\s*\D.*$", r"\1", regex=True
    )
    ok = compact.str.match(r"^\d{3,4}$")
    codes = compact.where(ok).str.zfill(4)
    errors = pd.Series("", index=values.index)
    errors[(values != "") & ~ok] = "förväntade en 4-siffrig kommunkod"
    return codes, errors


def parse_text(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Free text; Excel error values are refused."""
    errors = pd.Series("", index=values.index)
    errors[_excel_error(values)] = "Excel-felvärde i stället för text"
    return values.where(values != ""), errors
