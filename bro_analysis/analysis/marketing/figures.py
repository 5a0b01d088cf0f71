"""Figures; each function returns its Figure."""

from __future__ import annotations

import pandas as pd
from matplotlib import ticker
from matplotlib.figure import Figure

from bro_analysis.presentation import figures
from bro_analysis.presentation.formatting import axis_formatter, fmt_number, fmt_percent
from bro_analysis.presentation.vocabulary import MARGIN, target_pct


def _target_label(target_rate: float, target_increase: float | None) -> str:
    """'Mål: minst +20 % (20,1 %)': the plan's target first, then the rate it means this period."""
    if target_increase is None:
        return f"Mål {fmt_percent(target_rate, 1)}"
    return f"Mål: minst {target_pct(target_increase)} ({fmt_percent(target_rate, 1)})"


@figures.styled
def conversion_by_year(
    years: pd.DataFrame,
    period_year: int,
    target_rate: float | None = None,
    months_label: str = "",
    confidence: float = 0.95,
    target_increase: float | None = None,
) -> Figure:
    """Conversion rate per year with its confidence interval; the period's year is a filled square.

    `years` has år, leads, andel, ki_nedre, ki_övre (marketing.rates_by_year). `target_rate`
    (the previous year's rate raised by the target) is a labelled dashed segment at the period,
    labelled with the target as the plan states it ('minst +20 %') when `target_increase` is given."""
    fig, ax = figures.new(figures.FIGSIZE)
    data = years[years["leads"] > 0]
    for _, row in data.iterrows():
        current = int(row["år"]) == period_year
        err = [[max(0.0, row["andel"] - row["ki_nedre"])], [max(0.0, row["ki_övre"] - row["andel"])]]
        ax.errorbar(
            row["år"],
            row["andel"],
            yerr=err,
            fmt="s" if current else "o",
            color="black",
            markerfacecolor="black" if current else "white",
            markersize=8 if current else 6,
            capsize=4,
            linewidth=1.2,
            zorder=3,
        )
        ax.annotate(
            fmt_percent(row["andel"], 1),
            (row["år"], row["andel"]),
            xytext=(7, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    for year in years.loc[years["leads"] == 0, "år"]:
        ax.annotate(
            "inga leads", (year, 0), xytext=(0, 4), textcoords="offset points", ha="center", fontsize=8, rotation=90
        )
    if target_rate is not None and pd.notna(target_rate):
        ax.hlines(target_rate, period_year - 0.4, period_year + 0.4, colors="black", linestyles="--", linewidth=1.2)
        ax.annotate(
            _target_label(target_rate, target_increase),
            (period_year + 0.4, target_rate),
            xytext=(4, 0),
            textcoords="offset points",
            ha="left",
            va="center",
            fontsize=8,
        )
        ax.set_xlim(right=period_year + 1.3)
    ax.errorbar(
        [],
        [],
        yerr=[],
        fmt="o",
        color="black",
        markerfacecolor="white",
        capsize=4,
        label=f"Konverteringsgrad med {MARGIN} ({fmt_number(100 * confidence, 0)} %)",
    )
    ax.set_xticks(list(years["år"]))
    ax.xaxis.set_major_formatter(ticker.FuncFormatter(lambda x, _p: f"{int(x)}"))
    ax.yaxis.set_major_locator(ticker.MaxNLocator(steps=[1, 2, 5, 10]))
    ax.yaxis.set_major_formatter(axis_formatter(0, percent=True))
    ax.set_ylim(bottom=0)
    ax.set_xlabel(f"År{', ' + months_label if months_label else ''}")
    ax.set_ylabel("Konverteringsgrad")
    ax.legend(loc="lower left", frameon=True, fontsize=8)
    fig.tight_layout()
    return fig


@figures.styled
def conversion_by_group(table: pd.DataFrame, label: str = "kanal", confidence: float = 0.95) -> Figure:
    """Conversion per channel (or arena) with intervals, best on top; hollow = too few leads to rank.

    `table` is marketing.group_rates: label column, leads, andel, ki_nedre, ki_övre, rangordnas."""
    rows = table.iloc[::-1].reset_index(drop=True)
    fig, ax = figures.new((figures.FIGSIZE[0], max(2.5, 0.45 * len(rows) + 1.2)))
    for y, row in rows.iterrows():
        ranked = bool(row["rangordnas"])
        err = [[max(0.0, row["andel"] - row["ki_nedre"])], [max(0.0, row["ki_övre"] - row["andel"])]]
        ax.errorbar(
            row["andel"],
            y,
            xerr=err,
            fmt="o",
            color="black",
            markerfacecolor="black" if ranked else "white",
            capsize=3,
            linewidth=1.2,
            linestyle="none",
        )
        note = fmt_percent(row["andel"], 1) + ("" if ranked else " (för få leads)")
        ax.annotate(note, (row["ki_övre"], y), xytext=(5, 0), textcoords="offset points", va="center", fontsize=8)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([f"{r[label]} ({fmt_number(r['leads'], 0)} leads)" for _, r in rows.iterrows()])
    ax.xaxis.set_major_locator(ticker.MaxNLocator(nbins=6, steps=[1, 2, 5, 10]))
    ax.xaxis.set_major_formatter(axis_formatter(0, percent=True))
    upper = float(rows["ki_övre"].max()) if len(rows) else 1.0
    ax.set_xlim(0, min(1.0, upper * 1.35 + 0.08))
    ax.set_xlabel(f"Konverteringsgrad med {MARGIN} ({fmt_number(100 * confidence, 0)} %)")
    ax.grid(axis="y", visible=False)
    fig.tight_layout()
    return fig
