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

    def contains(self, dates: pd.Series) -> pd.Series:
        """Boolean mask: which dates fall in the period."""
        return (dates >= self.start) & (dates <= self.end)

    def __str__(self) -> str:
        return self.key


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


def latest_complete_year(years, today: dt.date | None = None) -> int:
    """The latest year among `years` that has ended by `today`."""
    today = today or dt.date.today()
    done = [int(y) for y in years if int(y) < today.year]
    if not done:
        raise PeriodError("Data saknas för något avslutat år; ange en period med --period")
    return max(done)


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
