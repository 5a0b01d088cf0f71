"""Figures for the reports. Each function returns its Figure.

Figures must be readable in black and white: lines differ in style and
markers, thresholds are labelled in the figure, not only coloured.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # no display needed; notebooks embed PNGs themselves

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from .formatting import axis_formatter, fmt_number, fmt_percent

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


# --- marketing ---


def conversion_by_year(
    years: pd.DataFrame,
    period_year: int,
    target_rate: float | None = None,
    months_label: str = "",
    confidence: float = 0.95,
) -> plt.Figure:
    """Conversion rate per year with its confidence interval; the period's year is a filled square.

    `years` has år, leads, andel, ki_nedre, ki_övre (marketing.rates_by_year). `target_rate`
    (the previous year's rate raised by the target) is a labelled dashed segment at the period."""
    use_style()
    fig, ax = plt.subplots(figsize=FIGSIZE)
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
            f"Mål {fmt_percent(target_rate, 1)}",
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
        label=f"Konverteringsgrad med {fmt_number(100 * confidence, 0)} % konfidensintervall",
    )
    ax.set_xticks(list(years["år"]))
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda x, _p: f"{int(x)}"))
    ax.yaxis.set_major_locator(plt.MaxNLocator(steps=[1, 2, 5, 10]))
    ax.yaxis.set_major_formatter(axis_formatter(0, percent=True))
    ax.set_ylim(bottom=0)
    ax.set_xlabel(f"År{', ' + months_label if months_label else ''}")
    ax.set_ylabel("Konverteringsgrad")
    ax.legend(loc="lower left", frameon=True, fontsize=8)
    fig.tight_layout()
    return fig


def conversion_by_group(table: pd.DataFrame, label: str = "kanal", confidence: float = 0.95) -> plt.Figure:
    """Conversion per channel (or arena) with intervals, best on top; hollow = too few leads to rank.

    `table` is marketing.group_rates: label column, leads, andel, ki_nedre, ki_övre, rangordnas."""
    use_style()
    rows = table.iloc[::-1].reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(FIGSIZE[0], max(2.5, 0.45 * len(rows) + 1.2)))
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
    ax.xaxis.set_major_locator(plt.MaxNLocator(nbins=6, steps=[1, 2, 5, 10]))
    ax.xaxis.set_major_formatter(axis_formatter(0, percent=True))
    upper = float(rows["ki_övre"].max()) if len(rows) else 1.0
    ax.set_xlim(0, min(1.0, upper * 1.35 + 0.08))
    ax.set_xlabel(f"Konverteringsgrad med {fmt_number(100 * confidence, 0)} % konfidensintervall")
    ax.grid(axis="y", visible=False)
    fig.tight_layout()
    return fig


# --- investments ---


_STAGE_LABELS = {
    "lead": "Lead",
    "dialog": "Dialog",
    "beslut": "Beslut",
    "etablerad": "Etablerad",
    "förlorad": "Förlorad",
}


def investment_totals(yearly: pd.DataFrame, ylabel: str = "Beslutat investeringsvärde, MSEK") -> plt.Figure:
    """Realised value per year: confirmed (solid) and estimated (hatched) stacked, the total
    labelled on top, and a diamond for the total without the year's largest project."""
    use_style()
    colours = sns.color_palette(PALETTE)
    fig, ax = plt.subplots(figsize=FIGSIZE)
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
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda x, _p: f"{int(x)}"))
    ax.yaxis.set_major_formatter(axis_formatter(0))
    ax.set_xlabel("Beslutsår")
    ax.set_ylabel(ylabel)
    ax.legend(loc="upper left", frameon=True)
    fig.tight_layout()
    return fig


def investment_distribution(rows: pd.DataFrame) -> plt.Figure:
    """Project values per decision year on a log scale: a box per year (median and
    quartiles) and every project as a point, filled if confirmed, open if estimated.
    Values of 0 cannot be shown on a log scale and are left out."""
    use_style()
    valued = rows[rows["investeringsvärde_msek"] > 0].copy()
    valued["år"] = valued["beslutsdatum"].dt.year.astype(int)
    valued["uppskattat"] = valued["uppskattat_värde"].astype("boolean").fillna(True).astype(bool)
    years = sorted(valued["år"].unique())
    fig, ax = plt.subplots(figsize=(FIGSIZE[0], max(FIGSIZE[1], 0.55 * len(years) + 1.2)))
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
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda x, _p: fmt_number(x, 0 if x >= 1 else 1)))
    ax.set_yticks(range(len(years)))
    ax.set_yticklabels([str(y) for y in years])
    ax.set_xlabel("Projektets investeringsvärde, MSEK (logaritmisk skala)")
    ax.set_ylabel("Beslutsår")
    ax.legend(loc="lower right", frameon=True)
    fig.tight_layout()
    return fig


def investment_funnel(
    current: pd.DataFrame, previous: pd.DataFrame, current_label: str, previous_label: str
) -> plt.Figure:
    """Projects that reached at least each stage (lost projects: at the stage now), for the
    period's cohort (solid) and the comparison cohort (hatched), with counts at the bars."""
    use_style()
    colours = sns.color_palette(PALETTE)
    fig, ax = plt.subplots(figsize=FIGSIZE)
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


# --- NKI (myndighetsservice) -------------------------------------------------------


def _year_axis(ax: plt.Axes, years) -> None:
    ax.set_xticks(sorted(set(int(y) for y in years)))
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda x, _p: f"{int(x)}"))


def _break_line(ax: plt.Axes, break_year: int | None, years) -> None:
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


def nki_county_years(
    county: pd.DataFrame,
    municipal: pd.DataFrame,
    target: float,
    break_year: int | None = None,
    min_municipalities: int = 0,
) -> plt.Figure:
    """County mean of SKR's total NKI per mätår with its 95 % interval (error bars),
    the respondent-weighted mean (dashed), each municipality (thin grey) and the target.
    A mean resting on fewer than `min_municipalities` is drawn hollow (not judged)."""
    use_style()
    fig, ax = plt.subplots(figsize=FIGSIZE)
    municipality_lines(ax, municipal, "0.75")
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
        label="Länets genomsnitt (kommunernas medelvärde, 95 %-intervall)",
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
    target_line(ax, target, f"Mål {fmt_number(target, 0)}")
    _break_line(ax, break_year, county["mätår"])
    ax.set_xlabel("Mätår")
    ax.set_ylabel("NKI")
    _year_axis(ax, county["mätår"])
    ax.yaxis.set_major_formatter(axis_formatter(0))
    ax.legend(loc="lower right", frameon=True, fontsize=8)
    fig.tight_layout()
    return fig


def nki_heatmap(
    values: pd.DataFrame,
    uncertain: pd.DataFrame,
    band_list: list[tuple[str, float]],
    threshold: float,
    min_area: int,
    min_total: int,
) -> plt.Figure:
    """Municipalities × areas: every cell shows its value; colour = SKR band;
    firm results under the threshold get a thick frame; uncertain results
    (too few responses) are white, hatched and in parentheses."""
    from matplotlib.colors import BoundaryNorm, ListedColormap
    from matplotlib.patches import Patch, Rectangle

    use_style()
    ordered = sorted(band_list, key=lambda b: b[1])
    colours = [plt.get_cmap("Blues")(x) for x in np.linspace(0.12, 0.9, len(ordered))]
    cmap = ListedColormap(colours)
    norm = BoundaryNorm([low for _, low in ordered] + [100.01], cmap.N)
    rows, cols = values.shape
    fig, ax = plt.subplots(figsize=(8, max(4.5, 0.42 * rows + 1.8)))
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


def nki_forecast(
    county: pd.DataFrame, municipal: pd.DataFrame, fit: dict, target: float, target_year: int
) -> plt.Figure:
    """Comparable county series with its linear trend extended to target_year and the
    95 % prediction interval (shaded, hatched) around it; municipalities thin grey."""
    use_style()
    fig, ax = plt.subplots(figsize=FIGSIZE)
    municipality_lines(ax, municipal, "0.8")
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
            label="95 %-prognosintervall",
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
    _year_axis(ax, range(int(min(years)), int(max(years)) + 1))
    ax.yaxis.set_major_formatter(axis_formatter(0))
    ax.legend(loc="lower right", frameon=True, fontsize=8)
    fig.tight_layout()
    return fig


def nki_priority_matrix(factors: pd.DataFrame) -> plt.Figure:
    """Service factors: score (y) against correlation with NKI (x, with 95 % interval),
    split at the means into four labelled quadrants; every point labelled."""
    use_style()
    fig, ax = plt.subplots(figsize=FIGSIZE)
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
    ax.xaxis.set_major_locator(plt.MaxNLocator(nbins=6, steps=[1, 2, 5, 10]))
    ax.set_xlabel("Samband med NKI (korrelation, 95 %-intervall)")
    ax.set_ylabel("Betyg i länet (index)")
    ax.xaxis.set_major_formatter(axis_formatter(2))
    ax.yaxis.set_major_formatter(axis_formatter(0))
    fig.tight_layout()
    return fig


def nki_national(position: pd.DataFrame, national: dict) -> plt.Figure:
    """Members' total NKI against the national distribution: median (dashed), middle
    half (shaded band), county mean (dotted); each ranked member labelled with its
    percentile, unranked (too few responses) as open markers."""
    use_style()
    rows = position.sort_values("värde")
    fig, ax = plt.subplots(figsize=(8, max(4.5, 0.38 * len(rows) + 1.5)))
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
    ax.xaxis.set_major_locator(plt.MaxNLocator(integer=True))
    ax.xaxis.set_major_formatter(axis_formatter(0))
    low = min(rows["värde"].min(), national["q1"]) - 2
    high = max(rows["värde"].max(), national["q3"]) + 8
    ax.set_xlim(low, high)
    ax.legend(loc="lower right", frameon=True, fontsize=8)
    fig.tight_layout()
    return fig
