"""Figures; each function returns its Figure."""

from __future__ import annotations

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib import ticker
from matplotlib.figure import Figure

from bro_analysis.presentation import figures
from bro_analysis.presentation.formatting import axis_formatter, fmt_number

_STAGE_LABELS = {
    "lead": "Lead",
    "dialog": "Dialog",
    "beslut": "Beslut",
    "etablerad": "Etablerad",
    "förlorad": "Förlorad",
}


@figures.styled
def totals(yearly: pd.DataFrame, ylabel: str = "Beslutat investeringsvärde, MSEK") -> Figure:
    """Realised value per year: confirmed (solid) and estimated (hatched) stacked, the total
    labelled on top, and a diamond for the total without the year's largest project."""
    colours = sns.color_palette(figures.PALETTE)
    fig, ax = figures.new(figures.FIGSIZE)
    years = yearly["år"].astype(int).to_numpy()
    confirmed = yearly["bekräftat_msek"].to_numpy(dtype=float)
    estimated = yearly["uppskattat_msek"].to_numpy(dtype=float)
    ax.bar(years, confirmed, color=colours[0], edgecolor="black", label="Bekräftat värde")
    ax.bar(years, estimated, bottom=confirmed, color="white", edgecolor="black", hatch="///", label="Uppskattat värde")
    ax.scatter(
        years,
        yearly["utan_största_msek"].to_numpy(dtype=float),
        marker="D",
        color="black",
        zorder=3,
        label="Utan årets största projekt",
    )
    for x, total in zip(years, confirmed + estimated):
        ax.annotate(
            fmt_number(total, 0),
            (x, total),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=8,
        )
    ax.set_xticks(years)
    ax.xaxis.set_major_formatter(ticker.FuncFormatter(lambda x, _p: f"{int(x)}"))
    ax.yaxis.set_major_formatter(axis_formatter(0))
    ax.set_xlabel("Beslutsår")
    ax.set_ylabel(ylabel)
    ax.legend(loc="upper left", frameon=True)
    fig.tight_layout()
    return fig


@figures.styled
def distribution(rows: pd.DataFrame) -> Figure:
    """Project values per decision year on a log scale: a box per year (median and
    quartiles) and every project as a point, filled if confirmed, open if estimated.
    Values of 0 cannot be shown on a log scale and are left out."""
    valued = rows[rows["investeringsvärde_msek"] > 0].copy()
    valued["år"] = valued["beslutsdatum"].dt.year.astype(int)
    valued["uppskattat"] = valued["uppskattat_värde"].astype("boolean").fillna(True).astype(bool)
    years = sorted(valued["år"].unique())
    fig, ax = figures.new((figures.FIGSIZE[0], max(figures.FIGSIZE[1], 0.55 * len(years) + 1.2)))
    data = [valued.loc[valued["år"] == y, "investeringsvärde_msek"].to_numpy(dtype=float) for y in years]
    if years:
        ax.boxplot(
            data,
            positions=range(len(years)),
            orientation="horizontal",
            widths=0.6,
            showfliers=False,
            medianprops={"color": "black", "linewidth": 2},
            boxprops={"color": "0.4"},
            whiskerprops={"color": "0.4"},
            capprops={"color": "0.4"},
        )
    rng = np.random.default_rng(0)
    for i, y in enumerate(years):
        sel = valued[valued["år"] == y]
        jitter = rng.uniform(-0.2, 0.2, len(sel))
        for estimated, face in ((False, "black"), (True, "white")):
            part = sel["uppskattat"].to_numpy() == estimated
            ax.scatter(
                sel["investeringsvärde_msek"].to_numpy(dtype=float)[part],
                i + jitter[part],
                facecolor=face,
                edgecolor="black",
                s=22,
                zorder=3,
            )
    ax.scatter([], [], facecolor="black", edgecolor="black", s=22, label="Bekräftat värde")
    ax.scatter([], [], facecolor="white", edgecolor="black", s=22, label="Uppskattat värde")
    if not years:
        ax.text(0.5, 0.5, "Inga beslutade projekt med värde", ha="center", va="center", transform=ax.transAxes)
        fig.tight_layout()
        return fig
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(ticker.FuncFormatter(lambda x, _p: fmt_number(x, 0 if x >= 1 else 1)))
    ax.set_yticks(range(len(years)))
    ax.set_yticklabels([str(y) for y in years])
    ax.set_xlabel("Projektets investeringsvärde, MSEK (logaritmisk skala)")
    ax.set_ylabel("Beslutsår")
    ax.legend(loc="lower right", frameon=True)
    fig.tight_layout()
    return fig


@figures.styled
def funnel(current: pd.DataFrame, previous: pd.DataFrame, current_label: str, previous_label: str) -> Figure:
    """Projects that reached at least each stage (lost projects: at the stage now), for the
    period's cohort (solid) and the comparison cohort (hatched), with counts at the bars."""
    colours = sns.color_palette(figures.PALETTE)
    fig, ax = figures.new(figures.FIGSIZE)
    stages = list(current["skede"])
    pos = np.arange(len(stages))[::-1]
    height = 0.38

    def counts(frame):
        f = frame.set_index("skede")
        return np.array(
            [f.loc[s, "i_skedet"] if s == "förlorad" else f.loc[s, "nått_minst"] for s in stages], dtype=float
        )

    for values, offset, style, label in (
        (counts(current), height / 2, dict(color=colours[0], edgecolor="black"), current_label),
        (counts(previous), -height / 2, dict(color="white", edgecolor="black", hatch="///"), previous_label),
    ):
        ax.barh(pos + offset, values, height=height, label=label, **style)
        for y, v in zip(pos + offset, values):
            ax.annotate(fmt_number(v, 0), (v, y), xytext=(3, 0), textcoords="offset points", va="center", fontsize=8)
    ax.set_yticks(pos)
    ax.set_yticklabels([_STAGE_LABELS[s] + (" (antal)" if s == "förlorad" else "") for s in stages])
    ax.xaxis.set_major_formatter(axis_formatter(0))
    ax.set_xlabel("Antal projekt som nått minst skedet (förlorade: antal)")
    ax.legend(title="Första kontakt", loc="lower right", frameon=True)
    fig.tight_layout()
    return fig
