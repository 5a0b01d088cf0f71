"""Forecasts of key results: where a count will end the year, and where it will be in the
plan's last year, from the register's own history.

The year's end: what has been counted so far plus what the complete earlier years added
in the rest of the year (the seasonal history, never a straight line through the
calendar). The plan's last year: the level of the complete years. Counts are Poisson,
or negative binomial where the years vary more than Poisson allows; a result counted over
the members ("alla") comes from how often a member missing at this date was reached by the
year's end. Where the history is too short the forecast says so instead of guessing.
The chance of reaching the target is said in calibrated words ([prognos] in settings.toml).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from bro_analysis.core.periods import MONTHS_SV, Period
from bro_analysis.presentation.formatting import fmt_number, fmt_percent
from bro_analysis.presentation.vocabulary import unit_word

LIKELY, UNSURE, UNLIKELY = "troligt", "osäkert", "osannolikt"
# Why a state recorded once a year (tools in use, readiness) has no forecast within the year.
ONCE_A_YEAR = "registret anger läget en gång per år, så det finns ingen prognos inom året"


@dataclass(frozen=True)
class Forecast:
    """A key result's forecast value at the end of `year`, its interval and the chance of
    reaching the target; `how` says how it was made, or why there is none."""

    year: int
    value: float | None = None
    low: float | None = None
    high: float | None = None
    chance: float | None = None
    how: str = ""
    disputed: bool = False  # the model's choices (e.g. the fitting window) change the chance's word

    @property
    def made(self) -> bool:
        return self.value is not None

    def word(self, rule: Rules) -> str | None:
        """The chance in calibrated words; 'osäkert' whenever the chance is disputed."""
        if self.chance is None:
            return None
        return UNSURE if self.disputed else chance_word(self.chance, rule)


@dataclass(frozen=True)
class Rules:
    """The [prognos] settings."""

    likely: float = 0.8
    unlikely: float = 0.2
    earliest: float = 0.25  # share of the year before which a count behind its pace is not judged
    min_years: int = 2
    level: float = 0.95


def rules(settings: dict) -> Rules:
    raw = settings.get("prognos", {})
    return Rules(
        likely=float(raw.get("troligt_från", 0.8)),
        unlikely=float(raw.get("osannolikt_till", 0.2)),
        earliest=float(raw.get("tidigast_bedömning", 0.25)),
        min_years=int(raw.get("minsta_antal_år", 2)),
        level=float(raw.get("konfidensnivå", 0.95)),
    )


def chance_word(chance: float, rule: Rules) -> str:
    """'troligt', 'osäkert' or 'osannolikt' by the calibrated thresholds."""
    if chance >= rule.likely:
        return LIKELY
    if chance <= rule.unlikely:
        return UNLIKELY
    return UNSURE


def first_full_year(dates: pd.Series) -> int | None:
    """The first year a dated register covers from January (a register that starts later in
    the year does not cover that year's early months)."""
    dates = dates.dropna()
    if dates.empty:
        return None
    first = dates.min()
    return int(first.year) if first.month == 1 else int(first.year) + 1


def year_history(count: Callable[[Period], float], first_year: int | None, period: Period) -> pd.DataFrame:
    """Per complete year before the period's: the count by the period's month ('hittills')
    and by December ('helår')."""
    years = range(first_year, period.year) if first_year is not None else range(0)
    rows = [{"år": y, "hittills": count(Period(y, period.end_month)), "helår": count(Period(y))} for y in years]
    return pd.DataFrame(rows, columns=["år", "hittills", "helår"])


def count_distribution(counts: pd.Series):
    """A frozen scipy distribution for a count with the mean and spread of `counts`:
    Poisson, or negative binomial (method of moments) when the counts vary more."""
    mean = float(counts.mean())
    var = float(counts.var(ddof=1)) if len(counts) > 1 else mean
    if mean <= 0:
        return stats.poisson(0.0)
    if var > mean:
        size = mean**2 / (var - mean)
        return stats.nbinom(size, size / (size + mean))
    return stats.poisson(mean)


def _years_text(years: pd.Series) -> str:
    first, last = int(years.min()), int(years.max())
    return str(first) if first == last else f"{first}–{last}"


def too_short(year: int, years: int, rule: Rules) -> Forecast:
    return Forecast(year, how=f"för kort historik: {years} hela år i registret (minst {rule.min_years} behövs)")


def count_year_end(so_far: float, history: pd.DataFrame, target: float | None, rule: Rules, year: int) -> Forecast:
    """The year's end: so far plus what the complete years added after this date."""
    if len(history) < rule.min_years:
        return too_short(year, len(history), rule)
    rest = history["helår"] - history["hittills"]
    dist = count_distribution(rest)
    alpha = 1 - rule.level
    needed = None if target is None else target - so_far
    chance = None if needed is None else (1.0 if needed <= 0 else float(dist.sf(np.ceil(needed) - 1)))
    return Forecast(
        year,
        so_far + float(rest.mean()),
        so_far + float(dist.ppf(alpha / 2)),
        so_far + float(dist.ppf(1 - alpha / 2)),
        chance,
        f"hittills {fmt_number(so_far, 0)} och så många som åren {_years_text(history['år'])} la till "
        f"under resten av året (i snitt {fmt_number(rest.mean(), 1)})",
    )


def count_level(full_years: pd.DataFrame, target: float | None, rule: Rules, year: int) -> Forecast:
    """A later year (the plan's last) at the level of the complete years: 'om nivån håller'."""
    if len(full_years) < rule.min_years:
        return too_short(year, len(full_years), rule)
    dist = count_distribution(full_years["helår"])
    alpha = 1 - rule.level
    chance = None if target is None else float(dist.sf(np.ceil(target) - 1))
    return Forecast(
        year,
        float(full_years["helår"].mean()),
        float(dist.ppf(alpha / 2)),
        float(dist.ppf(1 - alpha / 2)),
        chance,
        f"om nivån från {_years_text(full_years['år'])} håller (i snitt {fmt_number(full_years['helår'].mean(), 1)} "
        "per år)",
    )


def seasonal_pace(history: pd.DataFrame, target: float) -> float | None:
    """What a year that reaches the target has counted by this date: the target times the
    complete years' mean share of their count reached by then (None without history)."""
    counted = history[history["helår"] > 0]
    if counted.empty:
        return None
    return float(target * (counted["hittills"] / counted["helår"]).mean())


def members_year_end(
    now: set, history: list[tuple[set, set]], members: set, rule: Rules, year: int, first_year: int | None
) -> Forecast:
    """'alla': the members reached so far plus each missing member's chance of being reached
    by December, the share of members missing at this date in the complete years that were
    reached by their December."""
    if len(history) < rule.min_years:
        return too_short(year, len(history), rule)
    at_risk = sum(len(members - early) for early, _ in history)
    gained = sum(len((late - early) & members) for early, late in history)
    missing = len(members - now)
    if missing == 0:
        return Forecast(year, len(members), len(members), len(members), 1.0, "alla är redan med")
    if at_risk == 0:
        return Forecast(year, how="i de hela åren saknades ingen kommun vid den här tiden; inget att jämföra med")
    p = gained / at_risk
    dist = stats.binom(missing, p)
    alpha = 1 - rule.level
    return Forecast(
        year,
        len(now) + missing * p,
        len(now) + float(dist.ppf(alpha / 2)),
        len(now) + float(dist.ppf(1 - alpha / 2)),
        float(p**missing),
        f"{missing} saknas; i åren {first_year}–{year - 1} nåddes {fmt_percent(p, 0)} av de kommuner som "
        "saknades vid den här tiden före årets slut",
    )


def members_level(full_years: list[set], members: set, rule: Rules, year: int, years_text: str) -> Forecast:
    """'alla' in a later year: each member reached with its own share of the complete years;
    the number reached is Poisson-binomial."""
    if len(full_years) < rule.min_years:
        return too_short(year, len(full_years), rule)
    shares = np.array([sum(m in reached for reached in full_years) / len(full_years) for m in sorted(members)])
    pmf = np.array([1.0])
    for p in shares:  # the Poisson-binomial distribution by convolution
        pmf = np.convolve(pmf, [1 - p, p])
    cdf = np.cumsum(pmf)
    alpha = 1 - rule.level
    low = int(np.searchsorted(cdf, alpha / 2 - 1e-12))
    high = int(np.searchsorted(cdf, 1 - alpha / 2 - 1e-12))
    return Forecast(
        year,
        float(shares.sum()),
        float(low),
        float(high),
        float(np.prod(shares)),
        f"om varje kommun nås lika ofta som åren {years_text}",
    )


def date_label(period: Period) -> str:
    """'31 augusti': the last day of the period."""
    return f"{period.end.day} {MONTHS_SV[period.end_month - 1]}"


def seasonal_path(
    count: Callable[[Period], float], first_year: int | None, period: Period, target: float
) -> pd.DataFrame:
    """Month by month (1–12): the count a year that reaches the target has by each month's
    end at the complete years' seasonal pace ('säsongstakt'), and this year's count so far
    ('i_år', NaN after the period). Empty without complete years."""
    history = [year_history(count, first_year, Period(period.year, m)) for m in range(1, 13)]
    if history[0].empty:
        return pd.DataFrame(columns=["månad", "säsongstakt", "i_år"])
    return pd.DataFrame(
        {
            "månad": range(1, 13),
            "säsongstakt": [seasonal_pace(h, target) for h in history],
            "i_år": [count(Period(period.year, m)) if m <= period.end_month else np.nan for m in range(1, 13)],
        }
    )


def members_transitions(
    states: list[set], now: set, members: set, rule: Rules, year: int, years_ahead: int, years_text: str
) -> Forecast:
    """'alla' for a state recorded once a year (tools in use, readiness): each member moves
    between having it and not with the complete years' rates (a two-state Markov chain: the
    share of members without it one year that had it the next, and of those with it that
    kept it), `years_ahead` steps from `now`; the number with it is Poisson-binomial."""
    if len(states) < rule.min_years:
        return too_short(year, len(states), rule)
    pairs = list(zip(states, states[1:]))
    lacking = sum(len(members - before) for before, _ in pairs)
    having = sum(len(before & members) for before, _ in pairs)
    gain = sum(len((members - before) & after) for before, after in pairs) / lacking if lacking else 1.0
    keep = sum(len(before & after & members) for before, after in pairs) / having if having else 1.0
    step = np.linalg.matrix_power(np.array([[1 - gain, gain], [1 - keep, keep]]), max(years_ahead, 0))
    shares = np.array([step[1 if m in now else 0, 1] for m in sorted(members)])
    pmf = np.array([1.0])
    for p in shares:
        pmf = np.convolve(pmf, [1 - p, p])
    cdf = np.cumsum(pmf)
    alpha = 1 - rule.level
    return Forecast(
        year,
        float(shares.sum()),
        float(np.searchsorted(cdf, alpha / 2 - 1e-12)),
        float(np.searchsorted(cdf, 1 - alpha / 2 - 1e-12)),
        float(np.prod(shares)),
        f"{len(members - now)} saknas nu; åren {years_text} fick {fmt_percent(gain, 0)} av dem som saknades "
        f"det ett år till nästa, och {fmt_percent(keep, 0)} av dem som hade det behöll det",
    )


def path_text(path: pd.DataFrame, target: float, unit: str, period: Period, what: str) -> str:
    """The year-to-date figure in words (its alt text), from its data: this year's count at
    each month's end, the seasonal pace now and in December, and the target."""
    done = path.dropna(subset=["i_år"])
    so_far = "; ".join(f"{MONTHS_SV[int(r['månad']) - 1]} {fmt_number(r['i_år'], 0)}" for _, r in done.iterrows())
    pace = path.set_index("månad")["säsongstakt"]
    return (
        f"Linjediagram över {what} månad för månad {period.year}. I år hittills, räknat till varje månads slut: "
        f"{so_far}. Den streckade säsongstakten visar vad ett år som når målet brukar ha: "
        f"{fmt_number(pace.get(period.end_month), 1)} i slutet av {MONTHS_SV[period.end_month - 1]} och "
        f"{fmt_number(pace.get(12), 1)} i december. "
        f"Målet {fmt_number(target, 0)} {unit_word(target, unit)} är en vågrät linje."
    )
