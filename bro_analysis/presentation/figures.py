"""Figures for the reports. Each function returns its Figure.

Figures must be readable in black and white: lines differ in style and
markers, thresholds are labelled in the figure, not only coloured.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

PALETTE = "colorblind"


FIGSIZE = (8, 4.5)


def use_style() -> None:
    """The report style: white grid, colour-blind palette, legible sizes."""
    sns.set_theme(style="whitegrid", palette=PALETTE, font_scale=1.0)
    plt.rcParams.update(
        {"figure.figsize": FIGSIZE, "axes.titleweight": "bold", "axes.spines.top": False, "axes.spines.right": False}
    )


def target_line(ax: plt.Axes, value: float, label: str) -> None:
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


def municipality_lines(ax: plt.Axes, municipal: pd.DataFrame, grey: str) -> None:
    """Each municipality's series (columns of `municipal`) as a thin grey line, one legend entry."""
    for name in municipal.columns:
        series = municipal[name].dropna()
        ax.plot(series.index, series.values, color=grey, linewidth=0.8, marker=".", zorder=1)
    ax.plot([], [], color=grey, marker=".", label="En kommun")


def year_axis(ax: plt.Axes, years) -> None:
    ax.set_xticks(sorted(set(int(y) for y in years)))
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda x, _p: f"{int(x)}"))


def break_line(ax: plt.Axes, break_year: int | None, years) -> None:
    """A dotted vertical line where SKR's total changed definition, labelled."""
    years = [int(y) for y in years]
    if break_year is None or not years or not (min(years) < break_year <= max(years)):
        return
    ax.axvline(break_year - 0.5, color="0.3", linestyle=":", linewidth=1.2)
    ax.annotate(
        f"Ny total från {break_year}",
        xy=(break_year - 0.5, 1),
        xycoords=("data", "axes fraction"),
        xytext=(3, -12),
        textcoords="offset points",
        fontsize=8,
        ha="left",
    )
