"""Figures; each function returns its Figure."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from bro_analysis.presentation import figures
from bro_analysis.presentation.formatting import axis_formatter

from .numbers import COUNTRY_NAME, COUNTY_NAME


@figures.styled
def indicator_years(
    municipal: pd.DataFrame, county: pd.Series, country: pd.Series, label: str, decimals: int, plan_start: int
) -> Figure:
    """One KPI over time: each member (thin grey), the county (thick, black) and the country
    (dashed); a dotted vertical line where the plan began, when that lies in the years shown."""
    fig, ax = figures.new((8, 3.8))
    figures.municipality_lines(ax, municipal, "0.75")
    if len(country):
        ax.plot(
            country.index, country.values, color="black", linestyle="--", marker="s", markersize=4, label=COUNTRY_NAME
        )
    if len(county):
        ax.plot(county.index, county.values, color="black", linewidth=2.5, marker="o", label=COUNTY_NAME)
    years = sorted({int(y) for frame in (municipal.index, county.index, country.index) for y in frame})
    if years:
        figures.year_axis(ax, years)
        figures.year_marker(ax, plan_start, years, f"Planen börjar {plan_start}")
    ax.set_xlabel("År")
    ax.set_ylabel(label)
    ax.yaxis.set_major_formatter(axis_formatter(decimals))
    ax.legend(loc="best", frameon=True, fontsize=8)
    fig.tight_layout()
    return fig
