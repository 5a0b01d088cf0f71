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

EXCEL_ERRORS = {"#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"}
TRUE_WORDS = {"ja", "j", "yes", "y", "sant", "true", "1", "x"}
FALSE_WORDS = {"nej", "n", "no", "falskt", "false", "0"}
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


def parse_int(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Whole numbers ('10 512', '38', '38,0')."""
    numbers, errors = parse_number(values)
    fractional = numbers.notna() & (numbers != np.floor(numbers))
    errors[fractional & (errors == "")] = "förväntade ett heltal"
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


def municipality_lookup(members: dict[str, str]) -> dict[str, str]:
    """Every accepted spelling of a member municipality -> its 4-digit code."""
    lookup: dict[str, str] = {}
    for code, name in members.items():
        base = fold(name)
        for spelling in (base, base + " kommun", base + "s kommun", code, str(int(code))):
            lookup[spelling] = code
    return lookup


def normalise_municipality(value: str, lookup: dict[str, str]) -> str | None:
    """'Örebro kommun', 'orebro', 1880, '1880.0' -> '1880'; None when unknown."""
    key = fold(value)
    key = re.sub(r"^(\d+)[.,]0+$", r"\1", key)
    return lookup.get(key)


def parse_municipality(values: pd.Series, members: dict[str, str]) -> tuple[pd.Series, pd.Series]:
    """A member municipality by name or code -> its code."""
    lookup = municipality_lookup(members)
    codes = _map_unique(values, lambda v: normalise_municipality(v, lookup) if v else None)
    errors = pd.Series("", index=values.index)
    errors[(values != "") & codes.isna()] = "okänd kommun; förväntade en av de 12 medlemskommunerna (namn eller kod)"
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
        if fold(value) == "alla":
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
    """Any Swedish municipality code: 4 digits, a lost leading zero restored ('180' -> '0180')."""
    compact = values.str.replace(r"[.,]0+$", "", regex=True)
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
