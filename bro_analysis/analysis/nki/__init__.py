"""NKI (SKR Insikt) for myndighetsservice: county averages, areas, change, trend,
service factors and the national comparison.

Conventions: a year without a measurement is a gap (never 0); a result with
fewer responses than the configured minimum is flagged `osäker` and never
ranked; uncertainty comes from the 95 % interval (ki_nedre/ki_övre) or from
n and a standard deviation (column `standardavvikelse`, when present).
Where neither is known the functions return NaN and the texts say that
significance cannot be judged.
"""

from __future__ import annotations

import pandas as pd

from bro_analysis.analysis import okr
from bro_analysis.presentation.formatting import fmt_number, join_sv

from . import figures, numbers, tables, text
from .numbers import area_results, areas_status, county_years, measurement_year, reliable_results_below
from .text import _below_text, _period_note


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
    return okr.Outcome(kr.id, None, None, okr.UNKNOWN, reason)


def county_mean_outcome(ctx, kr) -> okr.Outcome:
    """The county mean of total NKI (publishable results only) against kr's minimum,
    for the latest mätår up to the period's year."""
    year_m, county, prev = _latest(ctx, kr)
    if year_m is None:
        return _no_measurement(ctx, kr)
    row = county[county["mätår"] == year_m].iloc[0]
    return okr.Outcome(
        kr.id,
        float(row["medel"]),
        float(prev["medel"]) if prev is not None else None,
        row["status"],
        f"{row['skäl']}; {_period_note(ctx.period, year_m)}",
        value_text=f"{fmt_number(row['medel'], 1)} (mätår {year_m})",
        previous_text=f"{fmt_number(prev['medel'], 1)} (mätår {int(prev['mätår'])})" if prev is not None else "",
    )


def lowest_area_outcome(ctx, kr) -> okr.Outcome:
    """Every myndighetsområde's county result against kr's minimum; the value is the lowest."""
    year_m, _, prev = _latest(ctx, kr)
    if year_m is None:
        return _no_measurement(ctx, kr)
    nki, settings, members = ctx.dataset["nki"], ctx.settings, len(ctx.plan.members)
    areas = area_results(nki, year_m, settings, kr.target, members)
    status, reason = areas_status(areas, kr.target)
    reason += _below_text(reliable_results_below(nki, year_m, settings, kr.target), kr.target)
    prev_year = int(prev["mätår"]) if prev is not None else None
    prev_areas = area_results(nki, prev_year, settings, kr.target, members) if prev_year else pd.DataFrame()
    value = float(areas["medel"].min()) if len(areas) else None
    previous = float(prev_areas["medel"].min()) if len(prev_areas) else None
    thin = int((areas["status"] == okr.UNKNOWN).sum()) if len(areas) else 0
    below = areas.loc[areas["status"] == okr.NOT_MET, "område"].tolist() if len(areas) else []
    if below:
        detail = f"under {fmt_number(kr.target, 0)}: {join_sv(below)}"
    else:
        detail = f"för få kommuner med publicerbart resultat i {thin} av {len(areas)} områden" if thin else ""
    return okr.Outcome(
        kr.id,
        value,
        previous,
        status,
        f"{reason}; {_period_note(ctx.period, year_m)}",
        value_text=f"lägst {fmt_number(value, 1)} (mätår {year_m})" if value is not None else "",
        previous_text=f"lägst {fmt_number(previous, 1)} (mätår {prev_year})" if previous is not None else "",
        detail=detail,
    )


# The plan's `mått` (data/okr.toml) computed here.
METRICS = {"nki_länsmedel": county_mean_outcome, "nki_lägsta_område": lowest_area_outcome}


def outcomes(ctx) -> list[okr.Outcome]:
    """The plan's key results measured here, in the plan's order."""
    return okr.outcomes_for(ctx, METRICS)


__all__ = ["METRICS", "figures", "numbers", "outcomes", "tables", "text"]
