"""Reporting periods: a full year (`2025`) or a year to date (`2026-08`)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pandas as pd

MONTHS_SV = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)

# Page one's short month names (as the marketing section's dates use them).
MONTHS_SHORT_SV = ("jan", "feb", "mars", "apr", "maj", "juni", "juli", "aug", "sep", "okt", "nov", "dec")
_MONTH_NAME = re.compile(r"\b(" + "|".join(MONTHS_SV) + r")\b")

_PERIOD = re.compile(r"^(\d{4})(?:-(\d{2}))?$")


class PeriodError(ValueError):
    """A period string that cannot be read."""


@dataclass(frozen=True, order=True)
class Period:
    """January to `end_month` of `year`; end_month 12 is the full year."""

    year: int
    end_month: int = 12

    @property
    def is_full_year(self) -> bool:
        return self.end_month == 12

    @property
    def fraction_of_year(self) -> float:
        """How much of the year the period covers: 1 for a full year, 8/12 for 2026-08."""
        return self.end_month / 12

    @property
    def start(self) -> pd.Timestamp:
        return pd.Timestamp(self.year, 1, 1)

    @property
    def end(self) -> pd.Timestamp:
        """Last day of the period."""
        return pd.Timestamp(self.year, self.end_month, 1) + pd.offsets.MonthEnd(0)

    @property
    def previous(self) -> Period:
        """The same months a year earlier."""
        return Period(self.year - 1, self.end_month)

    @property
    def key(self) -> str:
        """The id used on the command line and as the output folder name."""
        return str(self.year) if self.is_full_year else f"{self.year}-{self.end_month:02d}"

    @property
    def label(self) -> str:
        """Swedish label for reports: '2025' or 'januari–augusti 2026'."""
        if self.is_full_year:
            return str(self.year)
        if self.end_month == 1:
            return f"januari {self.year}"
        return f"januari–{MONTHS_SV[self.end_month - 1]} {self.year}"

    @property
    def short_label(self) -> str:
        """The label with short month names, for tight tables: '2025' or 'jan–aug 2026'."""
        return short_months(self.label)

    def contains(self, dates: pd.Series) -> pd.Series:
        """Boolean mask: which dates fall in the period."""
        return (dates >= self.start) & (dates <= self.end)

    def __str__(self) -> str:
        return self.key


def short_months(text: str) -> str:
    """Every Swedish month name in `text` shortened: '1 januari–4 maj 2025' -> '1 jan–4 maj 2025'."""
    return _MONTH_NAME.sub(lambda m: MONTHS_SHORT_SV[MONTHS_SV.index(m.group(1))], text)


def parse_period(text: str | int) -> Period:
    """Read '2025' or '2026-08'."""
    match = _PERIOD.match(str(text).strip())
    if not match:
        raise PeriodError(f"Perioden '{text}' ska skrivas ÅÅÅÅ (helår) eller ÅÅÅÅ-MM (januari t.o.m. månad MM)")
    year, month = int(match.group(1)), int(match.group(2) or 12)
    if not 1 <= month <= 12:
        raise PeriodError(f"Perioden '{text}': månaden måste vara 01–12")
    if not 2000 <= year <= 2100:
        raise PeriodError(f"Perioden '{text}': året måste vara 2000–2100")
    return Period(year, month)


def period_label(key: str) -> str:
    """A period key as the reports write it ('januari–augusti 2026'); the key itself when it is
    not a period (an archived report of unknown form)."""
    try:
        return parse_period(key).label
    except PeriodError:
        return str(key)


def parse_periods(items: list[str]) -> list[Period]:
    """Read a list of periods; '2019-2025' (two years) is a range of full years."""
    periods: list[Period] = []
    for item in items:
        rng = re.match(r"^(\d{4})[-–:](\d{4})$", str(item).strip())
        if rng:
            first, last = int(rng.group(1)), int(rng.group(2))
            if first > last:
                raise PeriodError(f"Intervallet '{item}' går baklänges")
            periods += [parse_period(y) for y in range(first, last + 1)]
        else:
            periods.append(parse_period(item))
    return list(dict.fromkeys(periods))


def check_not_future(period: Period, today: dt.date | None = None) -> None:
    """A period that has not started yet cannot be reported."""
    today = today or dt.date.today()
    if period.start.date() > today:
        raise PeriodError(f"Perioden {period.key} har inte börjat ännu (i dag är {today.isoformat()})")


def latest_complete_year(years, today: dt.date | None = None, end: pd.Timestamp | None = None) -> int:
    """The latest year among `years` that has ended by `today` and, when the registers'
    last date `end` is known, that the data reach the December of."""
    today = today or dt.date.today()
    done = [int(y) for y in years if int(y) < today.year and (end is None or (end.year, end.month) >= (int(y), 12))]
    if not done:
        raise PeriodError("Data saknas för något avslutat år; ange en period med --period")
    return max(done)


# Dates that record what has happened. Planned dates (an arena not yet held) are left
# out: they say nothing about how far the data reach.
RECORDED_DATES = {"leads": ("datum",), "investeringar": ("första_kontakt", "beslutsdatum"), "aktiviteter": ("datum",)}


def data_end(tables: dict[str, pd.DataFrame]) -> pd.Timestamp | None:
    """The last recorded date in the registers; None when no register has a date."""
    ends = [
        tables[name][col].max()
        for name, cols in RECORDED_DATES.items()
        for col in cols
        if name in tables and col in tables[name] and tables[name][col].notna().any()
    ]
    return max(ends) if ends else None


def _part_year_hint(year: int, end: pd.Timestamp | None, today: dt.date) -> str:
    """'ange delåret 2026-10 (januari–oktober 2026)': the longest part year the data and the calendar allow."""
    months = [12]
    if end is not None and end.year == year:
        months.append(end.month)
    if today.year == year:
        months.append(today.month - 1)
    month = min(months)
    if month < 1:
        return "det finns ännu ingen hel månad att rapportera"
    return f"ange delåret {Period(year, month).key} ({Period(year, month).label})"


def check_period(period: Period, tables: dict[str, pd.DataFrame], today: dt.date | None = None) -> None:
    """A period a report may be made for: begun, in the data, and never a year or a
    month that is not over judged as if it were (a full year not yet over in the
    calendar or in the data is refused with the part year to ask for instead)."""
    today = today or dt.date.today()
    check_not_future(period, today)
    years = years_in_tables(tables)
    if period.year not in years:
        raise PeriodError(
            f"Ingen data för perioden {period.key}; data finns för {min(years)}–{max(years)}"
            if years
            else "Ingen data alls"
        )
    end = data_end(tables)
    if period.is_full_year:
        if period.year >= today.year:
            raise PeriodError(
                f"Året {period.year} är inte slut (i dag är {today.isoformat()}); "
                f"{_part_year_hint(period.year, end, today)}."
            )
        if end is not None and end.year == period.year and end.month < 12:
            raise PeriodError(
                f"Datan för {period.year} slutar {end:%Y-%m-%d}, så året är inte helt i datan; "
                f"{_part_year_hint(period.year, end, today)}."
            )
        return
    if period.end.date() >= today:
        raise PeriodError(
            f"Perioden {period.key} ({period.label}) är inte slut (i dag är {today.isoformat()}); "
            f"{_part_year_hint(period.year, end, today)}."
        )
    if end is not None and (end.year, end.month) < (period.year, period.end_month):
        raise PeriodError(
            f"Datan slutar {end:%Y-%m-%d} och räcker inte till {period.label}; "
            f"{_part_year_hint(period.year, end, today)}."
        )


def resolve_periods(
    requested: list[str] | None, tables: dict[str, pd.DataFrame], today: dt.date | None = None
) -> list[Period]:
    """The periods a run is for, each checked (check_period). Without a request: the
    latest year that is over, in the calendar and in the data. The one rule for the
    command line and for a notebook opened in JupyterLab or run by papermill."""
    if not requested:
        end = data_end(tables)
        return [Period(latest_complete_year(years_in_tables(tables), today, end))]
    periods = parse_periods(requested)
    for period in periods:
        check_period(period, tables, today)
    return periods


def years_in_tables(tables: dict[str, pd.DataFrame]) -> set[int]:
    """Every year that some table has data for (dates and year columns)."""
    years: set[int] = set()
    for frame in tables.values():
        for col in ("datum", "första_kontakt", "beslutsdatum"):
            if col in frame:
                years |= set(frame[col].dropna().dt.year.astype(int))
        for col in ("mätår", "år"):
            if col in frame:
                years |= set(frame[col].dropna().astype(int))
    return years
