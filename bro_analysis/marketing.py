"""Marketing: conversion rates with uncertainty, channels, arenas and municipal support.

Definitions (which stages are leads, which stage is converted, the time
window, the confidence level) come from the [marknadsföring] section of
`data/settings.toml`. Rates carry Wilson intervals; the change against the
previous year is a ratio of rates with a Katz log interval, and the key result
is tested against its target ratio (1 + target) with that interval, not against
"any improvement".
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats
from scipy.stats.contingency import relative_risk

from . import okr
from .formatting import NBSP, fmt_int, fmt_number, fmt_percent, fmt_signed
from .periods import Period
from .schema import LEAD_STAGES

SETTINGS_SECTION = "marknadsföring"
SUPPORT_TYPE = "marknadsföringsstöd"
MASK = "[borttaget]"
TOO_FEW = "för få leads"

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Swedish and international phone numbers: 070-123 45 67, 019-12 34 56, +46 70 123 45 67.
PHONE = re.compile(r"(?<![\w-])(?:\+\d{1,3}[\s-]?(?:\(0\)\s?)?|0)\d{1,4}(?:[\s-]?\d){5,10}(?![\w-])")


# --- definitions --------------------------------------------------------------


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


def definitions_text(defs: Definitions) -> list[str]:
    """The definitions as Swedish sentences for the report."""
    window = "Ett lead hör till den period då det kom in (kolumnen datum)"
    if defs.maturation_days:
        window += (
            f", utom leads från periodens sista {defs.maturation_days} dagar som inte hunnit "
            "konvertera; samma dagar räknas inte heller året innan"
        )
    return [
        f"Lead: ett lead vars längsta steg är {_join(defs.lead_stages)}.",
        f"Konverterat: ett lead som nått steget ”{defs.converted_stage}”. Har registret konverteringsdatum "
        f"räknas bara konvertering inom {defs.cohort_days} dagar från att leadet kom in, och leads som ännu "
        "inte följts så länge lämnas utanför, så att alla år har samma uppföljningstid; annars räknas det "
        "steg leadet nått när filen togs ut.",
        "Konverteringsgrad: antal konverterade delat med antal leads.",
        window + ".",
        (
            f"Osäkerhet: {fmt_number(100 * defs.confidence, 0)} % konfidensintervall (Wilson) för varje "
            "andel. Förändringen mot föregående år är kvoten mellan andelarna med intervall enligt Katz "
            "(logaritmmetoden). Målet prövas mot det intervallet: ligger hela intervallet över målet är "
            "målet säkert nått, ligger hela under är det säkert inte nått, annars är det osäkert."
        ),
        (
            f"Nyckelresultatet bedöms bara när båda perioderna har minst {defs.min_leads} leads; "
            f"kanaler och arenor med färre än {defs.min_leads_channel} leads rangordnas inte."
        ),
    ]


def _join(items) -> str:
    items = [f"”{i}”" for i in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " eller " + items[-1]


# --- personal data ------------------------------------------------------------


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


def dropped_personal_columns(warnings: list[str]) -> list[str]:
    """The loader's warnings about personal-data columns it did not read."""
    return [w for w in warnings if "personuppgifter" in w]


def personal_data_text(dropped: list[str], masked: int) -> str:
    """A note on what was removed, without any of the removed values."""
    if dropped:
        text = "Kolumner med personuppgifter (namn, e-post, telefon) lästes inte in: " + "; ".join(dropped) + "."
    else:
        text = "Leadsfilen innehöll inga kolumner med personuppgifter."
    if masked:
        text += (
            f" I {fmt_int(masked)} textfält (t.ex. kanal) stod något som liknade en e-postadress eller "
            f"ett telefonnummer; det ersattes med {MASK}."
        )
    else:
        text += " Inga textfält innehöll något som liknade en e-postadress eller ett telefonnummer."
    return text


# --- leads and windows ----------------------------------------------------------


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


# --- rates with uncertainty -------------------------------------------------------


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


def rate_table(leads: pd.DataFrame, by: str) -> pd.DataFrame:
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


# --- the key result: change against the previous year --------------------------------


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


ABOVE, BELOW, UNCERTAIN = "över", "under", "osäker"


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


def pct_change(change: float) -> str:
    """A relative change as '+19,2 %'."""
    if pd.isna(change):
        return "–"
    return f"{fmt_signed(100 * change, 1)}{NBSP}%"


def rate_text(rate: float, converted: int, leads: int) -> str:
    """'14,3 % (52 av 364 leads)'."""
    if not leads:
        return "inga leads"
    return f"{fmt_percent(rate)} ({fmt_int(converted)} av {fmt_int(leads)} leads)"


def target_certainty_text(cmp: Comparison, target: float) -> str:
    """How certain it is that the target (+20 %) is reached, from the interval, in Swedish."""
    goal = pct_change(target)
    verdict = cmp.target_certainty(target)
    if not verdict:
        return "Hur säkert målet är kan inte bedömas eftersom en period saknar konverteringar."
    if verdict == ABOVE:
        return f"Hela intervallet ligger över målet {goal}: målet är nått med god säkerhet."
    if verdict == BELOW:
        return f"Hela intervallet ligger under målet {goal}: målet är med god säkerhet inte nått."
    return (
        f"Intervallet omfattar målet {goal}, så det går inte att säga säkert om målet är nått; "
        "skillnaden mot målet kan bero på slumpen."
    )


def interval_text(cmp: Comparison) -> str:
    """The confidence interval for the relative change, in Swedish."""
    low, high = cmp.ratio_interval
    level = fmt_number(100 * cmp.confidence, 0)
    if pd.isna(low):
        return "Osäkerheten i förändringen kan inte beräknas eftersom en period saknar konverteringar."
    return (
        f"Med {level} % konfidens ligger den verkliga förändringen mellan "
        f"{pct_change(low - 1)} och {pct_change(high - 1)}."
    )


def comparison_text(cmp: Comparison, period: Period, target: float) -> str:
    """The key result in Swedish sentences, answer first."""
    now, before = period.label, period.previous.label
    head = (
        f"Konverteringsgraden var {rate_text(cmp.rate, cmp.converted, cmp.leads)} under {now}, "
        f"mot {rate_text(cmp.previous_rate, cmp.previous_converted, cmp.previous_leads)} under {before}."
    )
    if cmp.cohort_days:
        head += f" Konvertering räknas inom {cmp.cohort_days} dagar från att leadet kom in, båda åren."
        if cmp.left_out:
            head += (
                f" {fmt_int(cmp.left_out)} leads från periodens sista {cmp.cohort_days} dagar har inte följts så "
                "länge ännu och är inte med."
            )
    if not cmp.enough:
        return (
            head + f" Det är för få leads för att bedöma målet (minst {fmt_int(cmp.min_leads)} "
            "leads per period behövs)."
        )
    if pd.isna(cmp.ratio):
        return head + " Föregående period hade inga konverteringar, så en relativ förändring kan inte beräknas."
    verdict = "når" if cmp.change >= target else "når inte"
    return " ".join(
        [
            head,
            (
                f"Det är en relativ förändring på {pct_change(cmp.change)} ({fmt_signed(100 * cmp.points, 1)} "
                f"procentenheter) och {verdict} målet, en ökning med minst {fmt_number(100 * target, 0)} %."
            ),
            interval_text(cmp),
            target_certainty_text(cmp, target),
        ]
    )


# --- channels, arenas, funnel --------------------------------------------------------


def group_rates(leads: pd.DataFrame, period: Period, defs: Definitions, by: str = "kanal") -> pd.DataFrame:
    """Conversion per channel (or arena) in the period, ranked by the Wilson lower bound.

    Groups with fewer than min_leads_channel leads get no rank ('för få leads')."""
    frame = in_period(leads, period, defs)
    table = with_rates(rate_table(frame, by), defs)
    table["rangordnas"] = table["leads"] >= defs.min_leads_channel
    table = table.sort_values(["rangordnas", "ki_nedre", "andel"], ascending=False).reset_index(drop=True)
    ranked = table["rangordnas"]
    table["rang"] = pd.Series(pd.NA, index=table.index, dtype="Int64")
    table.loc[ranked, "rang"] = np.arange(1, int(ranked.sum()) + 1)
    table["bedömning"] = np.where(ranked, table["rang"].astype(str), TOO_FEW)
    return table


def group_text(table: pd.DataFrame, by_label: str, defs: Definitions) -> str:
    """Which channel (arena) converts best, with its uncertainty, in Swedish."""
    ranked = table[table["rangordnas"]]
    few = table.loc[~table["rangordnas"], table.columns[0]].tolist()
    tail = f" {len(few)} med färre än {defs.min_leads_channel} leads rangordnas inte: {', '.join(few)}." if few else ""
    if ranked.empty:
        return f"Ingen {by_label} hade tillräckligt många leads för att rangordnas.{tail}"
    best = ranked.iloc[0]
    name = best[table.columns[0]]
    text = (
        f"Bäst konverterar {name}: {fmt_percent(best['andel'])} av {fmt_int(best['leads'])} leads "
        f"(konfidensintervall {ci_text(best['ki_nedre'], best['ki_övre'])}), rangordnat efter "
        "intervallets nedre gräns så att en kanal med få leads inte hamnar först på en slump."
    )
    if len(ranked) > 1:
        second = ranked.iloc[1]
        if second["ki_övre"] >= best["ki_nedre"]:
            text += (
                f" Intervallet överlappar med {second[table.columns[0]]} "
                f"({fmt_percent(second['andel'])}), så ordningen mellan dem är osäker."
            )
        else:
            text += f" Intervallet överlappar inte med nästa ({second[table.columns[0]]})."
    return text + tail


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


# --- arenas (M1) --------------------------------------------------------------------


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


def arena_label(row: pd.Series) -> str:
    """'Expo Real (6 oktober 2025)'."""
    from .periods import MONTHS_SV

    d = row["datum"]
    return f"{row['namn']} ({d.day} {MONTHS_SV[d.month - 1]} {d.year})"


def arenas_text(table: pd.DataFrame, period: Period, target: float) -> str:
    """How many arenas met the requirement, and which lacked what."""
    met = int(table["uppfyller"].sum())
    text = (
        f"Under {period.label} deltog BRO i {fmt_int(len(table))} nationella eller internationella arenor; "
        f"{fmt_int(met)} hade både skriftliga mål och gjord uppföljning, mot målet minst {fmt_int(target)}."
    )
    missing = table[~table["uppfyller"]]
    if len(missing):
        text += (
            " Saknar mål eller uppföljning: "
            + "; ".join(f"{arena_label(r)} saknar {r['saknas']}" for _, r in missing.iterrows())
            + "."
        )
    return text


# --- municipal support (M3) ------------------------------------------------------------


def supported_municipalities(activities: pd.DataFrame, period: Period, members: dict[str, str]) -> pd.DataFrame:
    """Per member municipality: number of marketing-support activities in the period."""
    rows = activities[(activities["typ"] == SUPPORT_TYPE) & period.contains(activities["datum"])]
    codes = [c for value in rows["kommuner"] if isinstance(value, (tuple, list)) for c in value]
    counts = pd.Series(codes, dtype=object).value_counts()
    out = pd.DataFrame({"kommunkod": list(members), "kommun": list(members.values())})
    out["insatser"] = out["kommunkod"].map(counts).fillna(0).astype(int)
    out["stödd"] = out["insatser"] > 0
    return out.sort_values(["stödd", "kommun"], ascending=[False, True]).reset_index(drop=True)


def support_text(table: pd.DataFrame, period: Period) -> str:
    """How many members got marketing support, naming those that did not."""
    supported = int(table["stödd"].sum())
    text = (
        f"Under {period.label} fick {fmt_int(supported)} av {fmt_int(len(table))} medlemskommuner marknadsföringsstöd."
    )
    missing = table.loc[~table["stödd"], "kommun"].tolist()
    if missing:
        text += " Inget stöd registrerat för: " + ", ".join(missing) + "."
        if not period.is_full_year:
            text += " Perioden är inte ett helt år; stöd kan komma senare under året."
    return text


# --- outcomes for the overview ------------------------------------------------------------


def _m1(ctx) -> okr.Outcome:
    kr = ctx.plan.key_result("M1")
    register = okr.Register(ctx.dataset["arenor"], "datum", "arenaregistret")
    why = okr.uncovered(register, ctx.period)
    if why:
        return okr.Outcome("M1", None, None, okr.UNKNOWN, why, "–", "–")
    table = arenas_in_period(ctx.dataset["arenor"], ctx.period)
    prev = arenas_in_period(ctx.dataset["arenor"], ctx.period.previous)
    value = int(table["uppfyller"].sum())
    previous = None if okr.uncovered(register, ctx.period.previous) else int(prev["uppfyller"].sum())
    status, reason = okr.judge(kr, value, previous, len(ctx.plan.members), ctx.period.end_month / 12)
    missing = table[~table["uppfyller"]]
    if len(missing):
        reason += "; saknar mål eller uppföljning: " + ", ".join(arena_label(r) for _, r in missing.iterrows())
    return okr.Outcome(
        "M1",
        value,
        previous,
        status,
        reason,
        f"{fmt_int(value)} av {fmt_int(len(table))} arenor",
        "–" if previous is None else f"{fmt_int(previous)} arenor",
    )


def _m2(ctx) -> okr.Outcome:
    kr = ctx.plan.key_result("M2")
    why = okr.uncovered(okr.Register(ctx.dataset["leads"], "datum", "leadsregistret"), ctx.period)
    if why:
        return okr.Outcome("M2", None, None, okr.UNKNOWN, why, "–", "–")
    defs = definitions(ctx.settings)
    cmp = compare(ctx.dataset["leads"], ctx.period, defs)
    value = cmp.rate if cmp.leads else None
    previous = cmp.previous_rate if cmp.previous_leads else None
    texts = (
        rate_text(cmp.rate, cmp.converted, cmp.leads),
        rate_text(cmp.previous_rate, cmp.previous_converted, cmp.previous_leads),
    )
    if not cmp.enough:
        reason = (
            f"för få leads för att bedöma ({fmt_int(cmp.leads)} i perioden, {fmt_int(cmp.previous_leads)} "
            f"föregående år; minst {fmt_int(defs.min_leads)} i varje behövs)"
        )
        return okr.Outcome("M2", value, previous, okr.UNKNOWN, reason, *texts)
    status, reason = okr.judge(kr, value, previous, len(ctx.plan.members), ctx.period.end_month / 12)
    if not pd.isna(cmp.ratio):
        low, high = cmp.ratio_interval
        if cmp.cohort_days:
            reason += f"; konvertering inom {cmp.cohort_days} dagar"
        reason += f"; skillnaden är {fmt_signed(100 * cmp.points, 1)} procentenheter"
        if not pd.isna(low):
            reason += (
                f"; {fmt_number(100 * cmp.confidence, 0)} %-intervall {pct_change(low - 1)} till {pct_change(high - 1)}"
            )
        reason += ". " + target_certainty_text(cmp, kr.target)
    return okr.Outcome("M2", value, previous, status, reason, *texts)


def _m3(ctx) -> okr.Outcome:
    kr = ctx.plan.key_result("M3")
    members = ctx.plan.members
    register = okr.Register(ctx.dataset["aktiviteter"], "datum", "aktivitetsregistret")
    why = okr.uncovered(register, ctx.period)
    if why:
        return okr.Outcome("M3", None, None, okr.UNKNOWN, why, "–", "–")
    table = supported_municipalities(ctx.dataset["aktiviteter"], ctx.period, members)
    prev = supported_municipalities(ctx.dataset["aktiviteter"], ctx.period.previous, members)
    value = int(table["stödd"].sum())
    previous = None if okr.uncovered(register, ctx.period.previous) else int(prev["stödd"].sum())
    status, reason = okr.judge(kr, value, previous, len(members), ctx.period.end_month / 12)
    missing = table.loc[~table["stödd"], "kommun"].tolist()
    if missing:
        reason += "; inget stöd till " + ", ".join(missing)
    return okr.Outcome(
        "M3",
        value,
        previous,
        status,
        reason,
        f"{fmt_int(value)} av {len(members)} kommuner",
        "–" if previous is None else f"{fmt_int(previous)} av {len(members)}",
    )


def outcomes(ctx) -> list[okr.Outcome]:
    """Key results M1–M3 for the context's period."""
    return [_m1(ctx), _m2(ctx), _m3(ctx)]


# --- tables and texts for the report ---------------------------------------------------


def ci_text(low: float, high: float) -> str:
    """'10,9–18,4 %'; '–' when there is no interval."""
    if pd.isna(low) or pd.isna(high):
        return "–"
    return f"{fmt_number(100 * low, 1)}–{fmt_number(100 * high, 1)}{NBSP}%"


def _rate_columns(frame: pd.DataFrame, defs: Definitions) -> dict[str, list]:
    level = fmt_number(100 * defs.confidence, 0)
    return {
        "Leads": frame["leads"].tolist(),
        "Konverterade": frame["konverterade"].tolist(),
        "Konverteringsgrad": frame["andel"].tolist(),
        f"{level} % konfidensintervall": [ci_text(lo, hi) for lo, hi in zip(frame["ki_nedre"], frame["ki_övre"])],
    }


def year_display(years: pd.DataFrame, defs: Definitions) -> pd.DataFrame:
    """The per-year table with Swedish headers."""
    return pd.DataFrame({"År": years["år"].astype(str).tolist(), **_rate_columns(years, defs)})


def group_display(table: pd.DataFrame, label: str, defs: Definitions) -> pd.DataFrame:
    """The per-channel (arena) table with Swedish headers and the rank or 'för få leads'."""
    return pd.DataFrame(
        {label: table[table.columns[0]].tolist(), **_rate_columns(table, defs), "Rang": table["bedömning"].tolist()}
    )


def funnel_display(table: pd.DataFrame) -> pd.DataFrame:
    """The funnel with Swedish headers and the share of leads that went on to each stage."""
    out = pd.DataFrame({"Kanal": table.iloc[:, 0]})
    stages = list(table.columns[1:])
    for stage in stages:
        out[f"Nått {stage}"] = table[stage]
    for stage in stages[1:]:
        out[f"Andel till {stage}"] = (table[stage] / table[stages[0]].where(table[stages[0]] > 0)).astype(float)
    return out


def arena_display(table: pd.DataFrame) -> pd.DataFrame:
    """Arenas in the period: type, date, goals, follow-up, and what is lacking."""

    def yes_no(value):
        return "uppgift saknas" if pd.isna(value) else ("ja" if value else "nej")

    return pd.DataFrame(
        {
            "Arena": table["namn"].tolist(),
            "Typ": table["typ"].tolist(),
            "Datum": [d.date().isoformat() for d in table["datum"]],
            "Skriftliga mål": [yes_no(v) for v in table["mål_formulerade"]],
            "Uppföljning gjord": [yes_no(v) for v in table["uppföljning_gjord"]],
            "Räknas mot målet": ["ja" if v else "nej" for v in table["uppfyller"]],
        }
    )


def support_display(table: pd.DataFrame) -> pd.DataFrame:
    """Municipal support with Swedish headers."""
    return pd.DataFrame(
        {
            "Kommun": table["kommun"].tolist(),
            "Insatser med marknadsföringsstöd": table["insatser"].tolist(),
            "Fått stöd": ["ja" if v else "nej" for v in table["stödd"]],
        }
    )


def year_alt_text(years: pd.DataFrame, period: Period) -> str:
    """Alt text for the per-year figure, from its data."""
    data = years[years["leads"] > 0]
    if data.empty:
        return "Diagram utan data: inga leads."
    points = "; ".join(f"{int(r['år'])}: {fmt_percent(r['andel'])}" for _, r in data.iterrows())
    empty = years.loc[years["leads"] == 0, "år"].tolist()
    text = (
        f"Punktdiagram över konverteringsgraden per år med konfidensintervall som lodräta streck. "
        f"{points}. Periodens år {period.year} är en fylld fyrkant."
    )
    if empty:
        text += " Inga leads: " + ", ".join(str(y) for y in empty) + "."
    return text


def group_alt_text(table: pd.DataFrame, label: str) -> str:
    """Alt text for the per-channel (arena) figure, from its data."""
    if table.empty:
        return f"Diagram utan data: inga leads per {label}."
    items = "; ".join(
        f"{r[table.columns[0]]}: {fmt_percent(r['andel'])} av {fmt_int(r['leads'])} leads"
        + ("" if r["rangordnas"] else " (för få leads)")
        for _, r in table.iterrows()
    )
    return f"Konverteringsgrad per {label} med konfidensintervall som vågräta streck. {items}."


def window_caveat(period: Period, defs: Definitions, leads: pd.DataFrame | None = None) -> str:
    """How follow-up time is handled: equal for every lead with conversion dates,
    otherwise which way the missing dates bias the comparison."""
    if leads is not None and has_cohorts(leads, defs):
        text = (
            f"Konverteringen räknas inom {defs.cohort_days} dagar från att leadet kom in, med registrets "
            f"konverteringsdatum, och leads som ännu inte följts {defs.cohort_days} dagar (registret slutar "
            f"{observed_until(leads):%Y-%m-%d}) är inte med. Alla leads har därför haft lika lång tid att "
            "konvertera, och åren kan jämföras rakt av."
        )
    else:
        text = (
            "Konverteringen räknas per lead efter datumet då leadet kom in, med det steg det nått när filen "
            "togs ut; registret har inget datum för konverteringen. Periodens leads har därför haft kortare tid "
            "att konvertera än föregående års, så periodens konverteringsgrad är snarare för låg än för hög och "
            "förändringen mot föregående år snarare underskattad än överskattad."
        )
    if not period.is_full_year:
        text += f" Perioden är {period.label} och jämförs med samma månader året innan ({period.previous.label})."
    if defs.maturation_days:
        text += f" Leads från de sista {defs.maturation_days} dagarna av varje period räknas inte av det skälet."
    return text
