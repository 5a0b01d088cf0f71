"""The numbers: computations on the loaded tables, returning DataFrames."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats
from scipy.stats.contingency import relative_risk

from bro_analysis.analysis import forecast as fc
from bro_analysis.core.periods import Period
from bro_analysis.input.contracts import LEAD_STAGES

SETTINGS_SECTION = "marknadsföring"


SUPPORT_TYPE = "marknadsföringsstöd"


MASK = "[borttaget]"


TOO_FEW = "för få leads"


EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


# A range of lead dates, first and last day included.
Span = tuple[pd.Timestamp, pd.Timestamp]


# Swedish and international phone numbers: 070-123 45 67, 019-12 34 56, +46 70 123 45 67.
PHONE = re.compile(r"(?<![\w-])(?:\+\d{1,3}[\s-]?(?:\(0\)\s?)?|0)\d{1,4}(?:[\s-]?\d){5,10}(?![\w-])")


@dataclass(frozen=True)
class Definitions:
    """How a conversion rate is computed (from settings.toml)."""

    lead_stages: tuple[str, ...]
    converted_stage: str
    confidence: float = 0.95
    max_interval_ratio: float = 3.0  # M2 is judged only when the ratio's interval spans at most this factor
    min_leads_channel: int = 20
    maturation_days: int = 0
    cohort_days: int = 180  # with conversion dates: converted within this many days of the lead
    follow_up_days: int = 60  # an arena's follow-up is pending until this many days after it

    @property
    def alpha(self) -> float:
        return 1 - self.confidence


def definitions(settings: dict) -> Definitions:
    """The definitions in the [marknadsföring] settings; unknown stages are an error."""
    raw = settings.get(SETTINGS_SECTION, {})
    defs = Definitions(
        lead_stages=tuple(raw.get("lead_steg", LEAD_STAGES)),
        converted_stage=raw.get("konverterat_steg", LEAD_STAGES[-1]),
        confidence=float(raw.get("konfidensnivå", 0.95)),
        max_interval_ratio=float(raw.get("största_intervallkvot", 3.0)),
        min_leads_channel=int(raw.get("minsta_antal_leads_kanal", 20)),
        maturation_days=int(raw.get("mognadstid_dagar", 0)),
        cohort_days=int(raw.get("konverteringsfönster_dagar", 180)),
        follow_up_days=int(raw.get("uppföljningstid_dagar", 60)),
    )
    unknown = [s for s in (*defs.lead_stages, defs.converted_stage) if s not in LEAD_STAGES]
    if unknown:
        raise ValueError(
            f"settings.toml [{SETTINGS_SECTION}]: okända steg {unknown}; tillåtna är {', '.join(LEAD_STAGES)}"
        )
    return defs


def mask_personal_text(leads: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Free-text columns with e-mail addresses or phone numbers masked; returns (frame, cells
    masked). The id is a key, not free text, and is left alone. Each distinct text is checked
    once (a channel name repeats thousands of times)."""
    out = leads.copy()
    masked = 0
    for col in out.columns:
        if col == "id" or not (pd.api.types.is_string_dtype(out[col]) or out[col].dtype == object):
            continue
        codes, uniques = pd.factorize(out[col])
        text = pd.Series(uniques, dtype="string")
        hit = text.str.contains(EMAIL, na=False) | text.str.contains(PHONE, na=False)
        if hit.any():
            cleaned = text.where(~hit, text.str.replace(EMAIL, MASK, regex=True).str.replace(PHONE, MASK, regex=True))
            rows = codes >= 0
            out.loc[rows, col] = cleaned.to_numpy(dtype=object)[codes[rows]]
            masked += int(np.isin(codes, np.flatnonzero(hit.to_numpy())).sum())
    return out, masked


def dropped_personal_columns(dataset) -> list[str]:
    """The loader's warnings about personal-data columns it did not read."""
    return list(dataset.dropped_personal_data)


def _reached(leads: pd.DataFrame, defs: Definitions) -> pd.Series:
    rank = {s: i for i, s in enumerate(LEAD_STAGES)}
    return leads["steg"].map(rank) >= rank[defs.converted_stage]


def has_cohorts(leads: pd.DataFrame, defs: Definitions) -> bool:
    """Conversion can be measured with equal follow-up: every converted lead has a conversion date."""
    if "konverteringsdatum" not in leads or not defs.cohort_days:
        return False
    converted = leads[leads["steg"].isin(defs.lead_stages) & _reached(leads, defs)]
    return len(converted) > 0 and bool(converted["konverteringsdatum"].notna().all())


def observed_until(leads: pd.DataFrame) -> pd.Timestamp:
    """The register's last recorded date (a lead or a conversion): how far follow-up reaches."""
    dates = [leads["datum"].max()]
    if "konverteringsdatum" in leads:
        dates.append(leads["konverteringsdatum"].max())
    return max(d for d in dates if pd.notna(d))


def classify(leads: pd.DataFrame, defs: Definitions) -> pd.DataFrame:
    """Only rows counted as leads, with a boolean column 'konverterad'. With conversion
    dates (has_cohorts): converted within cohort_days of the lead, and leads not yet
    followed that long at the register's end are left out (see too_young)."""
    out = leads[leads["steg"].isin(defs.lead_stages)].copy()
    out["konverterad"] = _reached(out, defs)
    if has_cohorts(leads, defs):
        window = pd.Timedelta(days=defs.cohort_days)
        out = out[out["datum"] + window <= observed_until(leads)].copy()
        out["konverterad"] &= out["konverteringsdatum"] <= out["datum"] + window
    return out


def last_lead_date(leads: pd.DataFrame, period: Period, defs: Definitions) -> pd.Timestamp:
    """The period's effective last lead date: its end minus the maturation days and, with
    conversion dates, at most the register's end minus the cohort window (so every counted
    lead has been followed the whole window)."""
    end = period.end - pd.Timedelta(days=defs.maturation_days)
    if has_cohorts(leads, defs):
        end = min(end, observed_until(leads) - pd.Timedelta(days=defs.cohort_days))
    return end


def years_earlier(date: pd.Timestamp, years: int = 1) -> pd.Timestamp:
    """The same day `years` earlier; 29 February becomes 28 February, and the last day of a
    month stays the last day (28 February 2025 -> 29 February 2024), so a whole month is
    compared with the whole month."""
    earlier = date - pd.DateOffset(years=years)
    return earlier + pd.offsets.MonthEnd(0) if date.is_month_end else earlier


def compared_spans(leads: pd.DataFrame, period: Period, defs: Definitions) -> tuple[Span, Span]:
    """The lead dates compared: (first, last) in the period and the same days a year earlier."""
    last = last_lead_date(leads, period, defs)
    return (period.start, last), (period.previous.start, years_earlier(last))


def between(frame: pd.DataFrame, span: Span) -> pd.DataFrame:
    """Rows whose lead date lies in span (both ends included)."""
    return frame[(frame["datum"] >= span[0]) & (frame["datum"] <= span[1])]


def too_young(leads: pd.DataFrame, period: Period, defs: Definitions) -> int:
    """Leads of the period left out because they came in after its effective last lead date
    (not yet followed the cohort window, or within the maturation days)."""
    counted = leads[leads["steg"].isin(defs.lead_stages) & period.contains(leads["datum"])]
    return int((counted["datum"] > last_lead_date(leads, period, defs)).sum())


def in_period(leads: pd.DataFrame, period: Period, defs: Definitions) -> pd.DataFrame:
    """Classified leads that came in from the period's start to its effective last lead date."""
    return between(classify(leads, defs), (period.start, last_lead_date(leads, period, defs)))


def wilson_interval(k, n, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for k successes out of n (arrays); n = 0 gives NaN."""
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    z = stats.norm.ppf(1 - (1 - confidence) / 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
        half = z / (1 + z**2 / n) * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
        low, high = np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)
    empty = n == 0
    return np.where(empty, np.nan, low), np.where(empty, np.nan, high)


def with_rates(counts: pd.DataFrame, defs: Definitions) -> pd.DataFrame:
    """Add 'andel', 'ki_nedre', 'ki_övre' to a frame with 'leads' and 'konverterade'."""
    out = counts.copy()
    n = out["leads"].astype(float)
    out["andel"] = (out["konverterade"] / n.where(n > 0)).astype(float)
    out["ki_nedre"], out["ki_övre"] = wilson_interval(out["konverterade"], n, defs.confidence)
    return out


def rates(leads: pd.DataFrame, by: str) -> pd.DataFrame:
    """Per value of `by` (classified leads): number of leads and of converted."""
    grouped = leads.groupby(by, dropna=True)["konverterad"]
    return grouped.agg(leads="size", konverterade="sum").reset_index()


def rates_by_year(leads: pd.DataFrame, period: Period, defs: Definitions) -> pd.DataFrame:
    """Per year from the first year with leads to the period's year, over the same days as
    the period (1 January to its effective last lead date), so every year has the same
    follow-up and season. Columns år, från, till, leads, konverterade and the rates.

    A year without leads is kept with 0 leads and no rate."""
    frame = classify(leads, defs)
    last = last_lead_date(leads, period, defs)
    first = int(frame["datum"].dt.year.min()) if len(frame) else period.year
    rows = []
    for year in range(min(first, period.previous.year), period.year + 1):
        span = (pd.Timestamp(year, 1, 1), years_earlier(last, period.year - year))
        sub = between(frame, span)
        rows.append(
            {
                "år": year,
                "från": span[0],
                "till": span[1],
                "leads": len(sub),
                "konverterade": int(sub["konverterad"].sum()),
            }
        )
    return with_rates(pd.DataFrame(rows), defs)


# How an interval lies against the target.
ABOVE, BELOW, UNCERTAIN = "över", "under", "osäker"


@dataclass(frozen=True)
class Comparison:
    """Conversion in the period against the same days of the previous year."""

    leads: int
    converted: int
    previous_leads: int
    previous_converted: int
    confidence: float
    max_interval_ratio: float = 3.0
    left_out: int = 0  # leads of the period after its effective last lead date (too young to count)
    cohort_days: int | None = None  # None: conversion as reached when the file was taken out
    span: Span | None = None  # the lead dates compared in the period ...
    previous_span: Span | None = None  # ... and a year earlier

    @property
    def rate(self) -> float:
        return self.converted / self.leads if self.leads else float("nan")

    @property
    def previous_rate(self) -> float:
        return self.previous_converted / self.previous_leads if self.previous_leads else float("nan")

    @property
    def period_leads(self) -> int:
        """All the period's leads, counted or left out as too young."""
        return self.leads + self.left_out

    @property
    def interval_factor(self) -> float:
        """The ratio interval's upper bound divided by its lower: how many times larger the
        highest plausible change is than the lowest. NaN without an interval."""
        low, high = self.ratio_interval
        if pd.isna(low) or pd.isna(high) or low <= 0:
            return float("nan")
        return high / low

    @property
    def enough(self) -> bool:
        """The interval is narrow enough to say something about the change: it exists and
        spans at most max_interval_ratio (see settings.toml, största_intervallkvot)."""
        factor = self.interval_factor
        return not pd.isna(factor) and factor <= self.max_interval_ratio

    @property
    def points(self) -> float:
        """Change in percentage points (as a share difference)."""
        return self.rate - self.previous_rate

    @property
    def ratio(self) -> float:
        """Rate divided by previous rate; NaN when either has no leads or the previous none converted."""
        if not (self.leads and self.previous_leads and self.previous_converted):
            return float("nan")
        return self.rate / self.previous_rate

    @property
    def change(self) -> float:
        """Relative change, ratio - 1."""
        return self.ratio - 1

    @property
    def ratio_interval(self) -> tuple[float, float]:
        """Katz log interval for the ratio (scipy); NaN when a period has no conversions."""
        if not (self.converted and self.previous_converted):
            return float("nan"), float("nan")
        ci = relative_risk(
            self.converted, self.leads, self.previous_converted, self.previous_leads
        ).confidence_interval(self.confidence)
        return float(ci.low), float(ci.high)

    def target_certainty(self, target: float) -> str:
        """Where the ratio's interval lies against the target ratio 1 + target:
        ABOVE (wholly at or over it), BELOW (wholly under it), UNCERTAIN (it covers
        the target) or "" when there is no interval. Two-sided at the confidence
        level, so each verdict is a one-sided test at half the error rate."""
        low, high = self.ratio_interval
        if pd.isna(low) or pd.isna(high):
            return ""
        goal = 1 + target
        if low >= goal:
            return ABOVE
        if high < goal:
            return BELOW
        return UNCERTAIN

    def target_p_value(self, target: float) -> float:
        """One-sided p-value of 'the ratio is at most 1 + target' (Katz's log scale,
        the same approximation as the interval); NaN without conversions in both."""
        if not (self.converted and self.previous_converted):
            return float("nan")
        se = math.sqrt(1 / self.converted - 1 / self.leads + 1 / self.previous_converted - 1 / self.previous_leads)
        return float(stats.norm.sf((math.log(self.ratio) - math.log(1 + target)) / se))

    def target_chance(self, target: float) -> float:
        """The chance that the ratio is at least 1 + target: 1 − target_p_value, the
        log-normal (Katz) approximation of the ratio around the observed one; NaN without
        conversions in both."""
        return 1 - self.target_p_value(target)


def leads_needed(defs: Definitions, rate: float = 0.13) -> int:
    """Leads per year (the same in both years, both converting `rate`) at which the Katz
    interval of the ratio spans max_interval_ratio: the least the width rule can judge."""
    z = stats.norm.ppf(1 - defs.alpha / 2)
    return math.ceil(2 * (1 - rate) / rate * (2 * z / math.log(defs.max_interval_ratio)) ** 2)


def compare(leads: pd.DataFrame, period: Period, defs: Definitions) -> Comparison:
    """Counts for the period and the same days of the previous year, both cut at the
    period's effective last lead date (last_lead_date), so they have the same follow-up."""
    span, previous_span = compared_spans(leads, period, defs)
    frame = classify(leads, defs)
    now, before = between(frame, span), between(frame, previous_span)
    return Comparison(
        len(now),
        int(now["konverterad"].sum()),
        len(before),
        int(before["konverterad"].sum()),
        defs.confidence,
        defs.max_interval_ratio,
        too_young(leads, period, defs),
        defs.cohort_days if has_cohorts(leads, defs) else None,
        span,
        previous_span,
    )


def group_rates(leads: pd.DataFrame, period: Period, defs: Definitions, by: str = "kanal") -> pd.DataFrame:
    """Conversion per channel (or arena) in the period, ranked by the Wilson lower bound.

    Groups with fewer than min_leads_channel leads get no rank ('för få leads')."""
    frame = in_period(leads, period, defs)
    table = with_rates(rates(frame, by), defs)
    table["rangordnas"] = table["leads"] >= defs.min_leads_channel
    table = table.sort_values(["rangordnas", "ki_nedre", "andel"], ascending=False).reset_index(drop=True)
    ranked = table["rangordnas"]
    table["rang"] = pd.Series(pd.NA, index=table.index, dtype="Int64")
    table.loc[ranked, "rang"] = np.arange(1, int(ranked.sum()) + 1)
    table["bedömning"] = np.where(ranked, table["rang"].astype(str), TOO_FEW)
    return table


def funnel(leads: pd.DataFrame, period: Period, defs: Definitions, by: str = "kanal") -> pd.DataFrame:
    """Per channel: how many leads reached each stage (a lead at a later stage passed the earlier)."""
    frame = in_period(leads, period, defs)
    rank = {s: i for i, s in enumerate(LEAD_STAGES)}
    reached = frame["steg"].map(rank)
    stages = [s for s in LEAD_STAGES if rank[s] >= min(rank[s2] for s2 in defs.lead_stages)]
    cols = {s: (reached >= rank[s]).groupby(frame[by]).sum() for s in stages}
    out = pd.DataFrame(cols).reset_index().rename(columns={"index": by})
    out = out.sort_values(stages[0], ascending=False).reset_index(drop=True)
    return out.astype({s: int for s in stages})


def arenas_in_period(
    arenas: pd.DataFrame, period: Period, data_end: pd.Timestamp | None = None, follow_up_days: int = 60
) -> pd.DataFrame:
    """Arenas attended in the period with whether goals and follow-up are both in place.

    'pågår': the follow-up is not recorded but its time has not run out at the data's end
    (the arena's date + follow_up_days is after data_end, the last recorded date in the
    registers): neither counted nor missing. An arena without recorded written goals cannot
    count whatever its follow-up, so it is never pending. Without data_end nothing is pending."""
    out = arenas[period.contains(arenas["datum"])].sort_values("datum").copy()
    goals = out["mål_formulerade"].fillna(False).astype(bool)
    follow = out["uppföljning_gjord"].fillna(False).astype(bool)
    out["uppfyller"] = goals & follow
    due = out["datum"] + pd.Timedelta(days=follow_up_days)
    open_window = due > data_end if data_end is not None else pd.Series(False, index=out.index)
    out["pågår"] = goals & ~follow & open_window
    lacking = []
    for g, f, g_raw, f_raw in zip(goals, follow, out["mål_formulerade"], out["uppföljning_gjord"]):
        parts = []
        if not g:
            parts.append("skriftliga mål" + (" (uppgift saknas)" if pd.isna(g_raw) else ""))
        if not f:
            parts.append("uppföljning" + (" (uppgift saknas)" if pd.isna(f_raw) else ""))
        lacking.append(" och ".join(parts))
    out["saknas"] = lacking
    return out.reset_index(drop=True)


def supported_municipalities(activities: pd.DataFrame, period: Period, members: dict[str, str]) -> pd.DataFrame:
    """Per member municipality: number of marketing-support activities in the period."""
    rows = activities[(activities["typ"] == SUPPORT_TYPE) & period.contains(activities["datum"])]
    codes = [c for value in rows["kommuner"] if isinstance(value, (tuple, list)) for c in value]
    counts = pd.Series(codes, dtype=object).value_counts()
    out = pd.DataFrame({"kommunkod": list(members), "kommun": list(members.values())})
    out["insatser"] = out["kommunkod"].map(counts).fillna(0).astype(int)
    out["stödd"] = out["insatser"] > 0
    return out.sort_values(["stödd", "kommun"], ascending=[False, True]).reset_index(drop=True)


def qualifying_arenas(arenas: pd.DataFrame, period: Period, data_end: pd.Timestamp | None, follow_up_days: int) -> int:
    """Arenas in the period with both goals and follow-up (M1's count)."""
    return int(arenas_in_period(arenas, period, data_end, follow_up_days)["uppfyller"].sum())


def arena_first_year(arenas: pd.DataFrame) -> int | None:
    """The arena register's first complete year. Arenas follow a yearly calendar (MIPIM in
    March, Almedalen in June), so the register's first year counts as complete when its first
    arena falls in a month no later than the first arena of every later year: nothing earlier
    in that year was missed. Otherwise forecast.first_full_year's rule (from January)."""
    dates = arenas["datum"].dropna()
    if dates.empty:
        return None
    first = dates.min()
    later = dates[dates.dt.year > first.year]
    if len(later) and first.month <= later.dt.month.min():
        return int(first.year)
    return fc.first_full_year(dates)


def follow_up_share(arenas: pd.DataFrame, first_year: int | None, year: int) -> tuple[int, int]:
    """(followed up, with written goals) among the arenas of the complete years first_year to
    year − 1: how often an arena with goals got its follow-up."""
    if first_year is None:
        return 0, 0
    years = arenas["datum"].dt.year
    rows = arenas[(years >= first_year) & (years < year)]
    goals = rows["mål_formulerade"].fillna(False).astype(bool)
    follow = rows["uppföljning_gjord"].fillna(False).astype(bool)
    return int((goals & follow).sum()), int(goals.sum())


def later_arenas(arenas: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Arenas in the register after the period's end in the same year (held or planned)."""
    dates = arenas["datum"]
    return arenas[(dates > period.end) & (dates.dt.year == period.year)].sort_values("datum")


@dataclass(frozen=True)
class Spread:
    """A forecast's value, interval and chance of reaching the target."""

    value: float
    low: float
    high: float
    chance: float | None


def count_with_pending(
    so_far: int, pending: int, share: float, rest: pd.Series, target: float | None, level: float
) -> Spread:
    """The year's end of a count with follow-ups still pending: so far, plus each pending
    follow-up done with the history's share (binomial), plus what the complete years added
    in the rest of the year (`rest`, forecast.count_distribution). The two are independent,
    so the distribution of what is added is their convolution."""
    later = fc.count_distribution(rest)
    top = int(later.ppf(1 - 1e-12)) + pending
    pmf = np.convolve(stats.binom.pmf(np.arange(pending + 1), pending, share), later.pmf(np.arange(top + 1)))
    cdf = np.cumsum(pmf)
    alpha = 1 - level
    low = int(np.searchsorted(cdf, alpha / 2 - 1e-12))
    high = int(np.searchsorted(cdf, 1 - alpha / 2 - 1e-12))
    chance = None
    if target is not None:
        needed = int(math.ceil(target - so_far))
        chance = 1.0 if needed <= 0 else float(pmf[needed:].sum())
    return Spread(so_far + pending * share + float(rest.mean()), float(so_far + low), float(so_far + high), chance)


def supported_set(activities: pd.DataFrame, period: Period, members: dict[str, str]) -> set:
    """The member codes that got marketing support in the period."""
    table = supported_municipalities(activities, period, members)
    return set(table.loc[table["stödd"], "kommunkod"])


def support_history(
    activities: pd.DataFrame, first_year: int | None, period: Period, members: dict[str, str]
) -> list[tuple[set, set]]:
    """Per complete year before the period's: (supported by the period's month, supported by
    December), for forecast.members_year_end."""
    years = range(first_year, period.year) if first_year is not None else range(0)
    return [
        (supported_set(activities, Period(y, period.end_month), members), supported_set(activities, Period(y), members))
        for y in years
    ]
