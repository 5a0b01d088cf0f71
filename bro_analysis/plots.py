"""Figures for the reports. Each function returns its Figure.

Figures must be readable in black and white: lines differ in style and
markers, thresholds are labelled in the figure, not only coloured.
"""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # no display needed; notebooks embed PNGs themselves

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402

from .formatting import axis_formatter, fmt_number  # noqa: E402

PALETTE = "colorblind"
FIGSIZE = (8, 4.5)


def use_style() -> None:
    """The report style: white grid, colour-blind palette, legible sizes."""
    sns.set_theme(style="whitegrid", palette=PALETTE, font_scale=1.0)
    plt.rcParams.update({"figure.figsize": FIGSIZE, "axes.titleweight": "bold",
                         "axes.spines.top": False, "axes.spines.right": False})


def target_line(ax: plt.Axes, value: float, label: str) -> None:
    """A dashed horizontal line for a target, labelled at its right end."""
    ax.axhline(value, color="black", linestyle="--", linewidth=1.2)
    ax.annotate(label, xy=(1, value), xycoords=("axes fraction", "data"), xytext=(-4, 4),
                textcoords="offset points", ha="right", va="bottom", fontsize=9)


def nki_trend(county: pd.DataFrame, municipal: pd.DataFrame, target: float) -> plt.Figure:
    """County mean NKI per year (bold) over each municipality (thin grey) with the target."""
    use_style()
    fig, ax = plt.subplots(figsize=FIGSIZE)
    for name in municipal.columns:
        series = municipal[name].dropna()
        ax.plot(series.index, series.values, color="0.7", linewidth=0.9, marker=".", zorder=1)
    ax.plot(county["mätår"], county["medel"], color="black", linewidth=2.5, marker="o",
            label="Länets genomsnitt (kommunernas medelvärde)", zorder=3)
    for x, y in zip(county["mätår"], county["medel"]):
        ax.annotate(fmt_number(y, 1), (x, y), xytext=(0, 7), textcoords="offset points",
                    ha="center", fontsize=8)
    target_line(ax, target, f"Mål {fmt_number(target, 0)}")
    ax.plot([], [], color="0.7", marker=".", label="En kommun")
    ax.set_xlabel("Mätår")
    ax.set_ylabel("NKI")
    ax.set_xticks(list(county["mätår"]))
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda x, _p: f"{int(x)}"))
    ax.yaxis.set_major_formatter(axis_formatter(0))
    ax.legend(loc="lower right", frameon=True)
    fig.tight_layout()
    return fig
