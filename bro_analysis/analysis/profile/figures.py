"""The kommunblad's small figure: the municipality's total NKI over the mätår beside the county."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from bro_analysis.presentation import figures
from bro_analysis.presentation.formatting import fmt_number


@figures.styled
def nki_years(history: pd.DataFrame, name: str, target: float | None, break_year: int | None = None) -> Figure:
    """The municipality's total NKI per mätår (solid, labelled values) and the county's mean
    (dashed), with the plan's target for the county mean; readable in black and white."""
    fig, ax = figures.new((6, 1.8))
    own = history.dropna(subset=["kommunen"])
    ax.plot(
        history["mätår"],
        history["länet"],
        color="0.35",
        linestyle="--",
        marker="s",
        markersize=4,
        label="Länets genomsnitt",
    )
    ax.plot(own["mätår"], own["kommunen"], color="black", linewidth=2.2, marker="o", label=name)
    for x, y in zip(own["mätår"], own["kommunen"]):
        ax.annotate(fmt_number(y, 1), (x, y), xytext=(0, 6), textcoords="offset points", ha="center", fontsize=8)
    if target is not None:
        figures.target_line(ax, target, f"Planens mål för länet: {fmt_number(target, 0)}")
    figures.year_marker(ax, break_year, history["mätår"], f"Ny total från {break_year}")
    ax.set_xlabel("Mätår")
    ax.set_ylabel("NKI")
    figures.year_axis(ax, history["mätår"])
    ax.legend(loc="lower right", frameon=True, fontsize=8)
    fig.tight_layout()
    return fig
