"""Figures for the reports. Each function returns its Figure.

Figures must be readable in black and white: lines differ in style and
markers, thresholds are labelled in the figure, not only coloured.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable

import matplotlib
import pandas as pd
import seaborn as sns
from cycler import cycler
from matplotlib import ticker
from matplotlib.axes import Axes
from matplotlib.figure import Figure

PALETTE = "colorblind"
FIGSIZE = (8, 4.5)


def _style_rc() -> dict:
    """The report style as rcParams: seaborn's white grid, a colour-blind palette, legible sizes."""
    palette = sns.color_palette(PALETTE)
    return {
        **sns.axes_style("whitegrid"),
        **sns.plotting_context("notebook"),
        "axes.prop_cycle": cycler(color=palette),
        "patch.facecolor": palette[0],
        "figure.figsize": FIGSIZE,
        "axes.titleweight": "bold",
        "axes.spines.top": False,
        "axes.spines.right": False,
    }


def style() -> contextlib.AbstractContextManager:
    """The report style for the code inside the `with` block only: matplotlib's global
    settings, and so an analyst's own figures, are left as they were."""
    return matplotlib.rc_context(_style_rc())


def styled(make_figure: Callable[..., Figure]) -> Callable[..., Figure]:
    """Decorate a figure function so that it draws in the report style (see `style`)."""

    @functools.wraps(make_figure)
    def wrapper(*args, **kwargs) -> Figure:
        with style():
            return make_figure(*args, **kwargs)

    return wrapper


def new(figsize: tuple[float, float] = FIGSIZE) -> tuple[Figure, Axes]:
    """A figure and its axes made with the object API: not registered with pyplot, so it
    is never shown twice in a notebook and needs no closing."""
    fig = Figure(figsize=figsize)
    return fig, fig.subplots()


def target_line(ax: Axes, value: float, label: str) -> None:
    """A dashed horizontal line for a target, labelled at its right end."""
    ax.axhline(value, color="black", linestyle="--", linewidth=1.2)
    ax.annotate(
        label,
        xy=(1, value),
        xycoords=("axes fraction", "data"),
        xytext=(-4, 4),
        textcoords="offset points",
        ha="right",
        va="bottom",
        fontsize=9,
        zorder=6,
        bbox=dict(boxstyle="round,pad=0.15", facecolor="white", edgecolor="none"),
    )


def municipality_lines(ax: Axes, municipal: pd.DataFrame, grey: str) -> None:
    """Each municipality's series (columns of `municipal`) as a thin grey line, one legend entry."""
    for name in municipal.columns:
        series = municipal[name].dropna()
        ax.plot(series.index, series.values, color=grey, linewidth=0.8, marker=".", zorder=1)
    ax.plot([], [], color=grey, marker=".", label="En kommun")


def year_axis(ax: Axes, years) -> None:
    ax.set_xticks(sorted(set(int(y) for y in years)))
    ax.xaxis.set_major_formatter(ticker.FuncFormatter(lambda x, _p: f"{int(x)}"))


def year_marker(ax: Axes, year: int | None, years, label: str) -> None:
    """A dotted vertical line, labelled, just before `year` (where SKR's total changed
    definition, where the plan began), when that lies inside the years shown."""
    years = [int(y) for y in years]
    if year is None or not years or not (min(years) < year <= max(years)):
        return
    ax.axvline(year - 0.5, color="0.3", linestyle=":", linewidth=1.2)
    ax.annotate(
        label,
        xy=(year - 0.5, 1),
        xycoords=("data", "axes fraction"),
        xytext=(3, -12),
        textcoords="offset points",
        fontsize=8,
        ha="left",
    )


MONTH_ABBREVIATIONS = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


@styled
def year_to_date(path: pd.DataFrame, target: float, unit: str, title: str) -> Figure:
    """This year's count month by month (solid, markers) against the seasonal pace of a year
    that reaches the target (dashed) and the target (labelled line). `path` has the columns
    månad, säsongstakt and i_år (forecast.seasonal_path)."""
    fig, ax = new((8, 3.8))  # as wide as the other figures: print resolution on A4
    ax.plot(path["månad"], path["säsongstakt"], linestyle="--", color="0.35", label="Säsongstakt mot målet")
    done = path.dropna(subset=["i_år"])
    ax.plot(done["månad"], done["i_år"], marker="o", linewidth=2.2, label="I år hittills")
    target_line(ax, target, f"Mål {target:g} {unit}".replace(".", ","))
    ax.set_xticks(range(1, 13), MONTH_ABBREVIATIONS)
    ax.set_xlim(0.7, 12.3)
    ax.set_ylim(bottom=0, top=max(target, path[["säsongstakt", "i_år"]].max().max()) * 1.15)
    ax.set_ylabel(unit)
    ax.set_title(title, loc="left")
    ax.legend(loc="lower right", frameon=True, framealpha=0.9, fontsize=9)
    return fig
