"""Figures; each function returns its Figure."""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
from matplotlib import ticker
from matplotlib.figure import Figure

from bro_analysis.presentation import figures
from bro_analysis.presentation.formatting import axis_formatter, fmt_level, fmt_number


@figures.styled
def county_years(
    county: pd.DataFrame,
    municipal: pd.DataFrame,
    target: float,
    break_year: int | None = None,
    min_municipalities: int = 0,
    level: float = 0.95,
) -> Figure:
    """County mean of SKR's total NKI per mätår with its interval at `level` (error bars),
    the respondent-weighted mean (dashed), each municipality (thin grey) and the target.
    A mean resting on fewer than `min_municipalities` is drawn hollow (not judged)."""
    fig, ax = figures.new(figures.FIGSIZE)
    figures.municipality_lines(ax, municipal, "0.75")
    has_ci = county["ki_nedre"].notna()
    ax.errorbar(
        county.loc[has_ci, "mätår"],
        county.loc[has_ci, "medel"],
        yerr=[
            county.loc[has_ci, "medel"] - county.loc[has_ci, "ki_nedre"],
            county.loc[has_ci, "ki_övre"] - county.loc[has_ci, "medel"],
        ],
        fmt="none",
        ecolor="black",
        elinewidth=1.2,
        capsize=4,
        zorder=3,
    )
    ax.plot(
        county["mätår"],
        county["medel"],
        color="black",
        linewidth=2.5,
        marker="o",
        zorder=4,
        label=f"Länets genomsnitt (kommunernas medelvärde, {fmt_level(level)}-intervall)",
    )
    thin = county[county["antal_kommuner"] < min_municipalities]
    if len(thin):
        ax.plot(
            thin["mätår"],
            thin["medel"],
            linestyle="none",
            marker="o",
            markersize=9,
            markerfacecolor="white",
            markeredgecolor="black",
            markeredgewidth=1.5,
            zorder=5,
            label=f"Färre än {min_municipalities} kommuner: bedöms inte",
        )
    weighted = county.dropna(subset=["viktat_medel"])
    if len(weighted):
        ax.plot(
            weighted["mätår"],
            weighted["viktat_medel"],
            color="black",
            linewidth=1.3,
            linestyle="--",
            marker="s",
            markersize=4,
            markerfacecolor="white",
            zorder=3,
            label="Viktat med antal svar",
        )
    for x, y in zip(county["mätår"], county["medel"]):  # left of the point, clear of the error bar
        ax.annotate(
            fmt_number(y, 1),
            (x, y),
            xytext=(-7, 5),
            textcoords="offset points",
            ha="right",
            va="bottom",
            fontsize=8,
            fontweight="bold",
            zorder=5,
            bbox=dict(boxstyle="round,pad=0.15", facecolor="white", edgecolor="none", alpha=0.85),
        )
    figures.target_line(ax, target, f"Mål {fmt_number(target, 0)}")
    figures.year_marker(ax, break_year, county["mätår"], f"Ny total från {break_year}")
    ax.set_xlabel("Mätår")
    ax.set_ylabel("NKI")
    figures.year_axis(ax, county["mätår"])
    ax.yaxis.set_major_formatter(axis_formatter(0))
    ax.legend(loc="lower right", frameon=True, fontsize=8)
    fig.tight_layout()
    return fig


@figures.styled
def heatmap(
    values: pd.DataFrame,
    uncertain: pd.DataFrame,
    band_list: list[tuple[str, float]],
    threshold: float,
    min_area: int,
    min_total: int,
) -> Figure:
    """Municipalities × areas: every cell shows its value; colour = SKR band;
    firm results under the threshold get a thick frame; uncertain results
    (too few responses) are white, hatched and in parentheses."""
    from matplotlib.colors import BoundaryNorm, ListedColormap
    from matplotlib.patches import Patch, Rectangle

    ordered = sorted(band_list, key=lambda b: b[1])
    colours = [matplotlib.colormaps["Blues"](x) for x in np.linspace(0.12, 0.9, len(ordered))]
    cmap = ListedColormap(colours)
    norm = BoundaryNorm([low for _, low in ordered] + [100.01], cmap.N)
    rows, cols = values.shape
    fig, ax = figures.new((8, max(4.5, 0.42 * rows + 1.8)))
    shown = values.where(~uncertain)
    ax.pcolormesh(
        np.ma.masked_invalid(shown.to_numpy(dtype=float)), cmap=cmap, norm=norm, edgecolors="white", linewidth=1.5
    )
    for i in range(rows):
        for j in range(cols):
            value = values.iat[i, j]
            if pd.isna(value):
                ax.text(j + 0.5, i + 0.5, "–", ha="center", va="center", fontsize=9, color="0.4")
                continue
            if uncertain.iat[i, j]:
                ax.add_patch(Rectangle((j, i), 1, 1, facecolor="white", hatch="///", edgecolor="0.6", linewidth=0))
                ax.text(
                    j + 0.5,
                    i + 0.5,
                    f"({fmt_number(value, 1)})",
                    ha="center",
                    va="center",
                    fontsize=9,
                    style="italic",
                    bbox=dict(facecolor="white", edgecolor="none", pad=0.5),
                )
                continue
            dark = value >= ordered[-2][1] if len(ordered) > 1 else False
            low = value < threshold
            ax.text(
                j + 0.5,
                i + 0.5,
                fmt_number(value, 1),
                ha="center",
                va="center",
                fontsize=9,
                color="white" if dark else "black",
                fontweight="bold" if low else "normal",
            )
            if low:
                ax.add_patch(Rectangle((j + 0.06, i + 0.08), 0.88, 0.84, fill=False, edgecolor="black", linewidth=2))
    if "totalt" in values.columns:
        ax.axvline(list(values.columns).index("totalt"), color="black", linewidth=1.5)
    ax.set_xticks([j + 0.5 for j in range(cols)])
    ax.set_xticklabels(values.columns, rotation=30, ha="right", fontsize=9)
    ax.set_yticks([i + 0.5 for i in range(rows)])
    ax.set_yticklabels(values.index, fontsize=9)
    ax.invert_yaxis()
    ax.grid(False)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    handles = [
        Patch(facecolor=colours[k], label=f"{name} (från {fmt_number(low, 0)})")
        for k, (name, low) in reversed(list(enumerate(ordered)))
    ]
    handles.append(
        Patch(facecolor="white", edgecolor="black", linewidth=2, label=f"under {fmt_number(threshold, 0)} (fet siffra)")
    )
    handles.append(
        Patch(
            facecolor="white",
            edgecolor="0.6",
            hatch="///",
            label=f"osäkert: färre än {min_area} svar (totalt {min_total})",
        )
    )
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(1.01, 1),
        frameon=False,
        fontsize=8,
        title="SKR:s betyg",
        title_fontsize=9,
    )
    fig.tight_layout()
    return fig


@figures.styled
def forecast(
    county: pd.DataFrame, municipal: pd.DataFrame, fit: dict, target: float, target_year: int, level: float = 0.95
) -> Figure:
    """Comparable county series with its linear trend extended to target_year and the
    prediction interval at `level` (shaded, hatched) around it; municipalities thin grey."""
    fig, ax = figures.new(figures.FIGSIZE)
    figures.municipality_lines(ax, municipal, "0.8")
    ax.plot(
        county["mätår"],
        county["medel"],
        color="black",
        marker="o",
        linewidth=0,
        markersize=7,
        zorder=4,
        label="Länets genomsnitt (jämförbar serie)",
    )
    years = list(county["mätår"]) + [target_year]
    if pd.notna(fit.get("lutning")):
        x = np.arange(min(county["mätår"]), target_year + 1)
        n, xbar = len(county), county["mätår"].mean()
        sxx = float(((county["mätår"] - xbar) ** 2).sum())
        centre = fit["prognos"] + fit["lutning"] * (x - target_year)
        half_target = fit["prognos_ki_övre"] - fit["prognos"]
        scale = np.sqrt(1 + 1 / n + (x - xbar) ** 2 / sxx) / np.sqrt(1 + 1 / n + (target_year - xbar) ** 2 / sxx)
        ax.fill_between(
            x,
            centre - half_target * scale,
            centre + half_target * scale,
            facecolor="0.9",
            edgecolor="0.6",
            hatch="..",
            linewidth=0,
            zorder=0,
            label=f"{fmt_level(level)}-prognosintervall",
        )
        ax.plot(x, centre, color="black", linestyle="-.", linewidth=1.5, zorder=3, label="Trend")
        ax.errorbar(
            [target_year],
            [fit["prognos"]],
            yerr=[[fit["prognos"] - fit["prognos_ki_nedre"]], [fit["prognos_ki_övre"] - fit["prognos"]]],
            fmt="D",
            color="black",
            markerfacecolor="white",
            capsize=5,
            zorder=5,
        )
        ax.annotate(
            f"Prognos {target_year}: {fmt_number(fit['prognos'], 1)}",
            (target_year, fit["prognos"]),
            xytext=(-10, -4),
            textcoords="offset points",
            ha="right",
            va="top",
            fontsize=8,
            fontweight="bold",
            bbox=dict(facecolor="white", edgecolor="none", alpha=0.8, pad=1),
        )
    ax.axhline(target, color="black", linestyle="--", linewidth=1.2)
    ax.annotate(
        f"Mål {fmt_number(target, 0)}",
        xy=(0, target),
        xycoords=("axes fraction", "data"),
        xytext=(4, 4),
        textcoords="offset points",
        ha="left",
        va="bottom",
        fontsize=9,
    )
    ax.set_xlabel("Mätår")
    ax.set_ylabel("NKI")
    figures.year_axis(ax, range(int(min(years)), int(max(years)) + 1))
    ax.yaxis.set_major_formatter(axis_formatter(0))
    ax.legend(loc="lower right", frameon=True, fontsize=8)
    fig.tight_layout()
    return fig


@figures.styled
def priority_matrix(factors: pd.DataFrame, level: float = 0.95) -> Figure:
    """Service factors: score (y) against correlation with NKI (x, with its interval at `level`),
    split at the means into four labelled quadrants; every point labelled."""
    fig, ax = figures.new(figures.FIGSIZE)
    known = factors.dropna(subset=["betyg", "samband"])
    ax.errorbar(
        known["samband"],
        known["betyg"],
        xerr=[known["samband"] - known["samband_ki_nedre"], known["samband_ki_övre"] - known["samband"]],
        fmt="o",
        color="black",
        ecolor="0.5",
        capsize=3,
        markersize=7,
    )
    for _, r in known.iterrows():
        ax.annotate(r["faktor"], (r["samband"], r["betyg"]), xytext=(6, 5), textcoords="offset points", fontsize=9)
    score_mid, link_mid = factors.attrs.get("betyg_mitt"), factors.attrs.get("samband_mitt")
    if score_mid is not None and pd.notna(score_mid):
        ax.axhline(score_mid, color="0.4", linestyle=":", linewidth=1)
        ax.axvline(link_mid, color="0.4", linestyle=":", linewidth=1)
        for x, y, text, ha, va in (
            (1, 0, "PRIORITERA\nstarkt samband, lågt betyg", "right", "bottom"),
            (1, 1, "BEHÅLL\nstarkt samband, högt betyg", "right", "top"),
            (0, 0, "BEVAKA\nsvagt samband, lågt betyg", "left", "bottom"),
            (0, 1, "MINDRE VIKTIGT\nsvagt samband, högt betyg", "left", "top"),
        ):
            ax.text(
                x,
                y,
                text,
                transform=ax.transAxes,
                ha=ha,
                va=va,
                fontsize=8,
                color="0.3",
                bbox=dict(facecolor="white", edgecolor="none", alpha=0.8, pad=2),
            )
    ax.margins(x=0.25, y=0.25)
    ax.xaxis.set_major_locator(ticker.MaxNLocator(nbins=6, steps=[1, 2, 5, 10]))
    ax.set_xlabel(f"Samband med NKI (korrelation, {fmt_level(level)}-intervall)")
    ax.set_ylabel("Betyg i länet (index)")
    ax.xaxis.set_major_formatter(axis_formatter(2))
    ax.yaxis.set_major_formatter(axis_formatter(0))
    fig.tight_layout()
    return fig


@figures.styled
def national(position: pd.DataFrame, national: dict) -> Figure:
    """Members' total NKI against the national distribution: median (dashed), middle
    half (shaded band), county mean (dotted); each ranked member labelled with its
    percentile, unranked (too few responses) as open markers."""
    rows = position.sort_values("värde")
    fig, ax = figures.new((8, max(4.5, 0.38 * len(rows) + 1.5)))
    ax.axvspan(
        national["q1"],
        national["q3"],
        facecolor="0.9",
        edgecolor="0.7",
        hatch="..",
        label="Mittersta hälften av rikets kommuner",
    )
    ax.axvline(
        national["median"],
        color="black",
        linestyle="--",
        linewidth=1.2,
        label=f"Rikets median {fmt_number(national['median'], 1)}",
    )
    ax.axvline(
        national["länsmedel"],
        color="black",
        linestyle=":",
        linewidth=1.5,
        label=f"Länets genomsnitt {fmt_number(national['länsmedel'], 1)}",
    )
    y = range(len(rows))
    ranked = rows["rankas"].to_numpy(dtype=bool)
    ax.scatter(rows["värde"][ranked], [i for i, r in zip(y, ranked) if r], color="black", zorder=3, s=40)
    if (~ranked).any():
        ax.scatter(
            rows["värde"][~ranked],
            [i for i, r in zip(y, ranked) if not r],
            facecolor="white",
            edgecolor="black",
            zorder=3,
            s=40,
            label="Rankas inte (för få svar)",
        )
    for i, (_, r) in enumerate(rows.iterrows()):
        label = f"percentil {fmt_number(100 * r['percentil'], 0)}" if r["rankas"] else "för få svar"
        ax.annotate(
            f"{fmt_number(r['värde'], 1)} · {label}",
            (r["värde"], i),
            xytext=(7, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
            zorder=4,
            bbox=dict(facecolor="white", edgecolor="none", alpha=0.85, pad=1),
        )
    ax.set_yticks(list(y))
    ax.set_yticklabels(rows["kommun"])
    ax.set_xlabel(f"NKI totalt, mätår {national['mätår']}")
    ax.xaxis.set_major_locator(ticker.MaxNLocator(integer=True))
    ax.xaxis.set_major_formatter(axis_formatter(0))
    low = min(rows["värde"].min(), national["q1"]) - 2
    high = max(rows["värde"].max(), national["q3"]) + 8
    ax.set_xlim(low, high)
    ax.legend(loc="lower right", frameon=True, fontsize=8)
    fig.tight_layout()
    return fig
