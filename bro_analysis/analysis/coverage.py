"""Coverage per category: from which date a register records a category (an activity type,
a stage, a channel, a target area), as `data/settings.toml` [täckning] states it.

A register's own date range is not enough: a category added later reads as real zeros in
the years before it. Before its first date a count over the category is "kan inte
bedömas", with a reason naming the category and the date, never 0.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from bro_analysis.core.periods import Period

# A column's name in its definite form, for the reason ("typen workshop").
DEFINITE = {
    "typ": "typen",
    "skede": "skedet",
    "kanal": "kanalen",
    "arena": "arenan",
    "steg": "steget",
    "målområde": "målområdet",
    "område": "myndighetsområdet",
    "mått": "måttet",
    "namn": "namnet",
}


def first_dates(settings: dict, table: str, column: str) -> dict[str, pd.Timestamp]:
    """Each category of `table.column` that [täckning] dates: category -> its first day."""
    dates = settings.get("täckning", {}).get(table, {}).get(column, {})
    return {str(category): pd.Timestamp(day) for category, day in dates.items()}


def starts(settings: dict, table: str, column: str, categories: Iterable[str]) -> tuple[tuple[str, pd.Timestamp], ...]:
    """(the category as a reason names it, its first day) for each of `categories` that
    [täckning] dates; () when none is dated (the register's own range is the rule)."""
    dated = first_dates(settings, table, column)
    word = DEFINITE.get(column, column)
    return tuple((f"{word} {category}", dated[category]) for category in categories if category in dated)


def gap(register_name: str, dated: Iterable[tuple[str, pd.Timestamp]], period: Period) -> str | None:
    """Why a count over the categories says nothing about `period`: one of them is recorded
    only from a day after the period's end. None when every one is covered (a period that
    ends after the first day counts the days from it)."""
    for what, first in dated:
        if first > period.end:
            return f"{register_name} för {what} först från {first:%Y-%m-%d} och täcker inte {period.label}"
    return None


def latest_start(dated: Iterable[tuple[str, pd.Timestamp]]) -> pd.Timestamp | None:
    """The day from which every one of the categories is recorded, or None without dates."""
    days = [first for _, first in dated]
    return max(days) if days else None


def mask(
    frame: pd.DataFrame, by: str, counts: Iterable[str], first: dict[str, pd.Timestamp], period: Period
) -> pd.DataFrame:
    """A table of counts per category (`by`) with the counts of a category recorded only
    after the period emptied (NA, shown as "kan inte bedömas" or "–"), never 0."""
    late = frame[by].map(lambda category: category in first and first[category] > period.end)
    if not late.any():
        return frame
    out = frame.copy()
    for column in counts:
        out[column] = out[column].astype("Float64")
        out.loc[late, column] = pd.NA
    return out
