"""The numbers: computations on the loaded tables, returning DataFrames."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats
from scipy.stats.contingency import relative_risk

from bro_analysis.core.periods import Period
from bro_analysis.input.contracts import LEAD_STAGES

SETTINGS_SECTION = "marknadsföring"


SUPPORT_TYPE = "marknadsföringsstöd"


MASK = "[borttaget]"


TOO_FEW = "för få leads"


EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


# Swedish and international phone numbers: 070-123 45 67, 019-12 34 56, +46 70 123 45 67.
PHONE = re.compile(r"(?<![\w-])(?:\+\d{1,3}[\s-]?(?:\(0\)\s?)?|0)\d{1,4}(?:[\s-]?\d){5,10}(?![\w-])")


@dataclass(frozen=True)
class Definitions:
    """How a conversion rate is computed (from settings.toml)."""

    lead_stages: tuple[str, ...]
    converted_stage: str
    confidence: float = 0.95
    min_leads: int = 30
    min_leads_channel: int = 20
    maturation_days: int = 0
    cohort_days: int = 180  # with conversion dates: converted within this many days of the lead

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
        min_leads=int(raw.get("minsta_antal_leads", 30)),
        min_leads_channel=int(raw.get("minsta_antal_leads_kanal", 20)),
        maturation_days=int(raw.get("mognadstid_dagar", 0)),
        cohort_days=int(raw.get("konverteringsfönster_dagar", 180)),
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


def too_young(leads: pd.DataFrame, period: Period, defs: Definitions) -> int:
    """Leads of the period left out because they have not been followed cohort_days yet."""
    if not has_cohorts(leads, defs):
        return 0
    counted = leads[leads["steg"].isin(defs.lead_stages)]
    mask = window_mask(counted["datum"], period.year, period.end_month, defs)
    return int(mask.sum()) - len(in_period(leads, period, defs))


def window_mask(dates: pd.Series, year: int, end_month: int, defs: Definitions) -> pd.Series:
    """Dates from 1 January to the end of end_month of `year`, minus the maturation days."""
    period = Period(year, end_month)
    end = period.end - pd.Timedelta(days=defs.maturation_days)
    return (dates >= period.start) & (dates <= end)


def in_period(leads: pd.DataFrame, period: Period, defs: Definitions) -> pd.DataFrame:
    """Classified leads that came in during the period's window."""
    frame = classify(leads, defs)
    return frame[window_mask(frame["datum"], period.year, period.end_month, defs)]


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
    """Per year from the first year with leads to the period's year, over the period's months.

    A year without leads is kept with 0 leads and no rate."""
    frame = classify(leads, defs)
    first = int(frame["datum"].dt.year.min()) if len(frame) else period.year
    rows = []
    for year in range(min(first, period.previous.year), period.year + 1):
        sub = frame[window_mask(frame["datum"], year, period.end_month, defs)]
        rows.append({"år": year, "leads": len(sub), "konverterade": int(sub["konverterad"].sum())})
    return with_rates(pd.DataFrame(rows), defs)


# How an interval lies against the target.
ABOVE, BELOW, UNCERTAIN = "över", "under", "osäker"


@dataclass(frozen=True)
class Comparison:
    """Conversion in the period against the same months of the previous year."""

    leads: int
    converted: int
    previous_leads: int
    previous_converted: int
    confidence: float
    min_leads: int
    left_out: int = 0  # leads of the period too young for the cohort window
    cohort_days: int | None = None  # None: conversion as reached when the file was taken out

    @property
    def rate(self) -> float:
        return self.converted / self.leads if self.leads else float("nan")

    @property
    def previous_rate(self) -> float:
        return self.previous_converted / self.previous_leads if self.previous_leads else float("nan")

    @property
    def enough(self) -> bool:
        return self.leads >= self.min_leads and self.previous_leads >= self.min_leads

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


def compare(leads: pd.DataFrame, period: Period, defs: Definitions) -> Comparison:
    """Counts for the period and the same months of the previous year."""
    now = in_period(leads, period, defs)
    before = in_period(leads, period.previous, defs)
    return Comparison(
        len(now),
        int(now["konverterad"].sum()),
        len(before),
        int(before["konverterad"].sum()),
        defs.confidence,
        defs.min_leads,
        too_young(leads, period, defs),
        defs.cohort_days if has_cohorts(leads, defs) else None,
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


def arenas_in_period(arenas: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Arenas attended in the period with whether goals and follow-up are both in place."""
    out = arenas[period.contains(arenas["datum"])].sort_values("datum").copy()
    goals = out["mål_formulerade"].fillna(False).astype(bool)
    follow = out["uppföljning_gjord"].fillna(False).astype(bool)
    out["uppfyller"] = goals & follow
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
