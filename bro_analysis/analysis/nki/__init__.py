"""NKI (SKR Insikt) for myndighetsservice: county averages, service areas, change, trend,
service factors and the national comparison.

Words: in this package "area" (column `område`) is always an NKI service area
(myndighetsområde: bygglov, livsmedelskontroll …, or `totalt`), never the plan's area
(planområde) or an investment target area (målområde).

Conventions: a year without a measurement is a gap (never 0); a result with
fewer responses than the configured minimum is flagged `osäker` and never
ranked; uncertainty comes from the 95 % interval (ki_nedre/ki_övre) or from
n and a standard deviation (column `standardavvikelse`, when present).
Where neither is known the functions return NaN and the texts say that
significance cannot be judged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pandas as pd

from bro_analysis.analysis import forecast as fc
from bro_analysis.analysis import okr
from bro_analysis.presentation.formatting import fmt_number

from . import about, figures, numbers, tables, text
from .numbers import (
    area_results,
    areas_status,
    cells_status,
    county_years,
    measurement_year,
    reliable_results_below,
)
from .text import _below_text, _period_note, below_count_text


def _latest(ctx, kr) -> tuple[int | None, pd.DataFrame, pd.Series | None]:
    """The period's mätår (the latest up to its year), the county series judged
    against kr's target, and the previous mätår's row."""
    nki = ctx.dataset["nki"]
    year_m = measurement_year(nki, ctx.period.year)
    county = county_years(nki, ctx.settings, kr.target, len(ctx.plan.members))
    earlier = county[county["mätår"] < (year_m or 0)]
    return year_m, county, (earlier.iloc[-1] if len(earlier) else None)


def _no_measurement(ctx, kr) -> okr.Outcome:
    reason = f"inget NKI-resultat för mätår {ctx.period.year} eller tidigare"
    this_year, plan_end = _forecasts(
        ctx, None, lambda y: fc.Forecast(y, how="inget NKI-resultat att bygga en trend på")
    )
    return okr.Outcome(
        kr.id, None, None, okr.UNKNOWN, reason, forecast=this_year, plan_forecast=plan_end, accumulates=False
    )


def _not_yet_published(ctx, year_m: int, reason: str) -> tuple[str, str, str]:
    """Status, reason and page-one detail for a period whose own mätår is not out: the
    latest mätår is context, never a verdict on the period's year."""
    year = ctx.period.year
    return (
        okr.UNKNOWN,
        f"mätår {year} är inte publicerat, så {year} kan inte bedömas ännu; senaste mätår {year_m}: {reason}",
        f"Insikt {year} är inte publicerad ännu; utfallet gäller mätår {year_m}",
    )


def _nan_to_none(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _break_note(settings: dict, previous_year: int | None, year_m: int) -> str:
    """'' or why the previous mätår's total is not comparable (SKR changed what it covers)."""
    new_total = int(settings["nki"]["ny_total_från_mätår"])
    if previous_year is None or not previous_year < new_total <= year_m:
        return ""
    return (
        f"föregående mätår, {previous_year}, räknades med SKR:s äldre total (alla mätta områden) och "
        f"jämförs inte rakt av med totalen från {new_total}"
    )


def _forecasts(
    ctx, year_m: int | None, make: Callable[[int], fc.Forecast]
) -> tuple[fc.Forecast | None, fc.Forecast | None]:
    """The period's own year while its mätår is not published (None once it is: the value is
    then known), and the plan's last year while the period is before it and its mätår is not
    published (the same object when the period is in that year). year_m None: no mätår yet."""
    year, last = ctx.period.year, ctx.plan.last_year
    this_year = None if year_m is not None and year_m >= year else make(year)
    if year > last or (year_m is not None and year_m >= last):
        return this_year, None
    return this_year, (this_year if year == last else make(last))


def _too_short(year: int, reason: str) -> fc.Forecast:
    return fc.Forecast(year, how=f"för kort historik: {reason}")


def county_forecast(ctx, kr, year_m: int, year: int) -> fc.Forecast:
    """S1 in `year`: the straight line through the county series of the NKI section's trend
    (mätår up to year_m), its prediction interval and chance of at least the target; the
    chance is said as 'osäkert' when the fitting window changes its calibrated word."""
    settings = ctx.settings
    county = numbers.trend_county(ctx.dataset["nki"], settings, year_m)
    made = numbers.trend_forecast(county, settings, year, kr.target)
    if made is None:
        minimum = int(settings["nki"].get("minsta_antal_mätår_trend", 3))
        fit = numbers.linear_trend(county["mätår"], county["medel"], year, kr.target, min_years=minimum)
        return _too_short(year, str(fit["skäl"]))
    sensitivity = numbers.window_sensitivity(county, settings, year, kr.target)
    return replace(made, how=text.county_forecast_how(county, sensitivity, made.disputed, kr.target, year))


def areas_forecast(ctx, kr, year_m: int, year: int) -> fc.Forecast:
    """S2 in `year`, read for the region: a straight line per myndighetsområde through its
    pooled results; the lowest predicted area with its interval, and the chance that every
    area reaches the limit as the product of the areas' chances, said as 'osäkert' when
    fitting only each area's latest mätår changes its calibrated word (as for S1)."""
    if kr.reading == "varje kommun":
        return fc.Forecast(year, how="prognosen görs bara för regionens resultat per område, inte för varje kommun")
    series = numbers.area_series(ctx.dataset["nki"], ctx.settings, year_m, kr.target, len(ctx.plan.members))
    by_area = numbers.area_trends(series, ctx.settings, year, kr.target)
    if by_area.empty:
        return fc.Forecast(year, how=f"inget myndighetsområde kunde bedömas mätår {year_m}")
    short = by_area[by_area["prognos"].isna()]
    if len(short):
        return _too_short(year, "; ".join(f"{a}: {r}" for a, r in zip(short["område"], short["skäl"])))
    combined = numbers.lowest_area_forecast(by_area)
    sensitivity = numbers.area_window_sensitivity(series, ctx.settings, year, kr.target)
    disputed = not numbers.windows_agree(sensitivity, fc.rules(ctx.settings))
    return fc.Forecast(
        year,
        combined["prognos"],
        combined["prognos_ki_nedre"],
        combined["prognos_ki_övre"],
        float(combined["sannolikhet_mål"]),
        text.areas_forecast_how(by_area, combined, sensitivity, disputed, kr.target, year),
        disputed=disputed,
    )


def county_mean_outcome(ctx, kr) -> okr.Outcome:
    """The county mean of total NKI (publishable results only) against kr's minimum,
    for the period's own mätår; the latest earlier mätår is shown as context only."""
    year_m, county, prev = _latest(ctx, kr)
    if year_m is None:
        return _no_measurement(ctx, kr)
    row = county[county["mätår"] == year_m].iloc[0]
    status, reason, detail = row["status"], f"{row['skäl']}; {_period_note(ctx.period, year_m)}", ""
    uncertain = pd.notna(row["ki_nedre"]) and row["ki_nedre"] <= kr.target <= row["ki_övre"]
    if year_m < ctx.period.year:
        status, reason, detail = _not_yet_published(ctx, year_m, str(row["skäl"]))
    prev_year = int(prev["mätår"]) if prev is not None else None
    broken = _break_note(ctx.settings, prev_year, year_m)
    if broken:
        reason += f"; {broken}"
    label = "äldre definition, " if broken else ""
    this_year, plan_end = _forecasts(ctx, year_m, lambda y: county_forecast(ctx, kr, year_m, y))
    return okr.Outcome(
        kr.id,
        _nan_to_none(row["medel"]),
        _nan_to_none(prev["medel"]) if prev is not None else None,
        status,
        reason,
        value_text=f"{fmt_number(row['medel'], 1)} (mätår {year_m})",
        previous_text=f"{fmt_number(prev['medel'], 1)} ({label}mätår {prev_year})" if prev is not None else "",
        detail=detail,
        qualifier=okr.UNCERTAIN if uncertain and status in (okr.MET, okr.NOT_MET) else "",
        measurement_year=year_m,
        forecast=this_year,
        plan_forecast=plan_end,
        previous_label=f"mätår {prev_year}" if prev is not None else "",
        accumulates=False,
    )


def _lowest(ctx, kr, year: int) -> tuple[str, str, bool, float | None]:
    """S2 in one mätår by the plan's reading (okr.toml `läsning`): status, reason,
    whether an interval leaves it uncertain, and the lowest value the status rests on."""
    nki, settings = ctx.dataset["nki"], ctx.settings
    if kr.reading == "varje kommun":
        status, reason, lowest = cells_status(nki, year, settings, kr.target)
        return status, reason, False, lowest
    areas = area_results(nki, year, settings, kr.target, len(ctx.plan.members))
    status, reason, uncertain = areas_status(areas, kr.target)
    judged = areas.loc[areas["status"] != okr.UNKNOWN, "medel"] if len(areas) else pd.Series(dtype=float)
    return status, reason, uncertain, (float(judged.min()) if len(judged) else None)


def lowest_area_outcome(ctx, kr) -> okr.Outcome:
    """Every myndighetsområde against kr's minimum, read as okr.toml says (the region's
    pooled result per area, or every municipality's published result); the value is the
    lowest of what the status rests on. Municipality × area results under the target
    are named either way."""
    year_m, _, prev = _latest(ctx, kr)
    if year_m is None:
        return _no_measurement(ctx, kr)
    status, reason, uncertain, value = _lowest(ctx, kr, year_m)
    below = reliable_results_below(ctx.dataset["nki"], year_m, ctx.settings, kr.target)
    reason += _below_text(below, kr.target)
    detail = below_count_text(len(below), kr.target)
    if year_m < ctx.period.year:
        status, reason, detail = _not_yet_published(ctx, year_m, reason)
    else:
        reason += f"; {_period_note(ctx.period, year_m)}"
    prev_year = int(prev["mätår"]) if prev is not None else None
    previous = _lowest(ctx, kr, prev_year)[3] if prev_year else None
    this_year, plan_end = _forecasts(ctx, year_m, lambda y: areas_forecast(ctx, kr, year_m, y))
    return okr.Outcome(
        kr.id,
        value,
        previous,
        status,
        reason,
        value_text=f"lägst {fmt_number(value, 1)} (mätår {year_m})" if value is not None else "",
        previous_text=f"lägst {fmt_number(previous, 1)} (mätår {prev_year})" if previous is not None else "",
        detail=detail,
        qualifier=okr.UNCERTAIN if uncertain and status in (okr.MET, okr.NOT_MET) else "",
        measurement_year=year_m,
        forecast=this_year,
        plan_forecast=plan_end,
        previous_label=f"mätår {prev_year}" if previous is not None else "",
        accumulates=False,
    )


# The plan's `mått` (data/okr.toml) computed here.
METRICS = {"nki_länsmedel": county_mean_outcome, "nki_lägsta_område": lowest_area_outcome}


def outcomes(ctx) -> list[okr.Outcome]:
    """The plan's key results measured here, in the plan's order."""
    return okr.outcomes_for(ctx, METRICS)


__all__ = ["METRICS", "about", "figures", "numbers", "outcomes", "tables", "text"]
