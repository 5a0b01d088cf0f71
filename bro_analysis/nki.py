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

import math

import numpy as np
import pandas as pd
from scipy import stats

from . import okr
from .formatting import fmt_number, fmt_percent, fmt_signed

TOTAL = "totalt"
FACTORS = ("information", "tillgänglighet", "bemötande", "kompetens", "rättssäkerhet", "effektivitet")


# --- settings ------------------------------------------------------------------


def bands(settings: dict) -> list[tuple[str, float]]:
    """SKR's grading bands as (name, lower bound), highest first."""
    raw = settings["nki"]["band"]
    return sorted(((b["namn"], float(b["från"])) for b in raw), key=lambda b: -b[1])


def grade(value: float, band_list: list[tuple[str, float]]) -> str | None:
    """The SKR band a value falls in ('högt' for 70–79 with the default bands)."""
    if value is None or pd.isna(value):
        return None
    return next((name for name, low in band_list if value >= low), band_list[-1][0])


def confidence(settings: dict) -> float:
    return float(settings["nki"].get("konfidensnivå", 0.95))


def z_value(level: float = 0.95) -> float:
    """Two-sided normal quantile: 1,96 for 95 %."""
    return float(stats.norm.ppf(0.5 + level / 2))


def min_responses(settings: dict, area: str) -> int:
    """Minimum responses for a firm result: per area (ÖJ) or for the total."""
    nki = settings["nki"]
    return int(nki["minsta_antal_svar_område"] if area != TOTAL else nki["minsta_antal_svar"])


def total_scope(year: int, measured: list[str] | tuple[str, ...], settings: dict) -> tuple[str, ...]:
    """The areas SKR's total covers in a mätår: the mandatory four from the new
    definition's first year, otherwise every area measured."""
    nki = settings["nki"]
    measured = tuple(a for a in measured if a != TOTAL)
    if year >= int(nki.get("ny_total_från_mätår", 2024)):
        return tuple(a for a in nki["obligatoriska_områden_från_2024"] if a in measured)
    return measured


# --- basic selections (kept from the first version) -----------------------------


def select(nki: pd.DataFrame, area: str = TOTAL, measure: str = "NKI") -> pd.DataFrame:
    """Rows of one area and measure."""
    return nki[(nki["område"] == area) & (nki["mått"] == measure)]


def municipal_series(nki: pd.DataFrame, area: str = TOTAL, measure: str = "NKI") -> pd.DataFrame:
    """Wide table: one row per mätår, one column per municipality (missing = not measured)."""
    rows = select(nki, area, measure)
    return rows.pivot_table(index="mätår", columns="kommun", values="värde", aggfunc="first").sort_index()


def county_mean(nki: pd.DataFrame, area: str = TOTAL, measure: str = "NKI") -> pd.DataFrame:
    """Per mätår: the unweighted mean over municipalities measured, and how many were."""
    rows = select(nki, area, measure).dropna(subset=["värde"])
    out = rows.groupby("mätår")["värde"].agg(medel="mean", antal_kommuner="count")
    return out.reset_index()


def latest_measurement(county: pd.DataFrame, year: int) -> pd.Series | None:
    """The county row of the latest mätår up to `year`, or None."""
    rows = county[county["mätår"] <= year]
    return rows.iloc[-1] if len(rows) else None


def measurement_year(nki: pd.DataFrame, year: int) -> int | None:
    """The period's mätår: the latest one up to `year` with an NKI result, or None."""
    years = select(nki).dropna(subset=["värde"])["mätår"]
    years = years[years <= year]
    return int(years.max()) if len(years) else None


# --- uncertainty ------------------------------------------------------------------


def standard_errors(rows: pd.DataFrame, level: float = 0.95) -> pd.Series:
    """SE per row: from the interval, (hi - lo) / (2 z); else sd / sqrt(n); else NaN."""
    se = pd.Series(np.nan, index=rows.index, dtype=float)
    if {"ki_nedre", "ki_övre"} <= set(rows.columns):
        se = (rows["ki_övre"].astype(float) - rows["ki_nedre"].astype(float)) / (2 * z_value(level))
    if "standardavvikelse" in rows.columns and "antal_svar" in rows.columns:
        n = rows["antal_svar"].astype(float)
        from_sd = rows["standardavvikelse"].astype(float) / np.sqrt(n.where(n > 0))
        se = se.fillna(from_sd)
    return se.astype(float)


def annotate(rows: pd.DataFrame, settings: dict) -> pd.DataFrame:
    """Rows with `se`, `osäker` (fewer responses than the minimum) and `betyg` (SKR band)."""
    out = rows.copy()
    out["se"] = standard_errors(out, confidence(settings))
    n = (
        out["antal_svar"].astype("Float64")
        if "antal_svar" in out
        else pd.Series(pd.NA, index=out.index, dtype="Float64")
    )
    minimum = out["område"].map(lambda a: min_responses(settings, a)).astype(float)
    out["osäker"] = (n < minimum).fillna(False).astype(bool)
    band_list = bands(settings)
    out["betyg"] = out["värde"].map(lambda v: grade(v, band_list))
    return out


def change_test(value: float, se: float, previous: float, se_previous: float, level: float = 0.95) -> dict:
    """Difference of two independent results with a z-test; NaN where an SE is unknown."""
    diff = value - previous
    se_diff = math.sqrt(se**2 + se_previous**2) if not (pd.isna(se) or pd.isna(se_previous)) else np.nan
    if pd.isna(se_diff) or se_diff == 0:
        return {"förändring": diff, "se": np.nan, "ki_nedre": np.nan, "ki_övre": np.nan, "z": np.nan, "p": np.nan}
    z = diff / se_diff
    half = z_value(level) * se_diff
    return {
        "förändring": diff,
        "se": se_diff,
        "ki_nedre": diff - half,
        "ki_övre": diff + half,
        "z": z,
        "p": float(2 * stats.norm.sf(abs(z))),
    }


# --- the county --------------------------------------------------------------------


# The columns of a county (or area) summary per mätår.
COUNTY_COLUMNS = (
    "mätår",
    "medel",
    "antal_kommuner",
    "ki_nedre",
    "ki_övre",
    "se",
    "viktat_medel",
    "antal_svar",
    "antal_utelämnade",
)


def county_summary(nki: pd.DataFrame, settings: dict, area: str = TOTAL, measure: str = "NKI") -> pd.DataFrame:
    """Per mätår, by SKR's publication rule: only results with at least the minimum
    number of responses (settings) enter. The unweighted mean (the key result's
    measure) of those, how many municipalities it rests on and how many were left
    out, its 95 % interval where every included interval is known, and the
    respondent-weighted mean where every included response count is known. A result
    without a response count (Kolada publishes only what SKR published) is included."""
    level = confidence(settings)
    measured = annotate(select(nki, area, measure).dropna(subset=["värde"]), settings)
    left_out = measured[measured["osäker"]].groupby("mätår").size()
    rows = measured[~measured["osäker"]]
    records = []
    for year in sorted(measured["mätår"].unique()):
        group = rows[rows["mätår"] == year]
        k = len(group)
        if k == 0:  # every result of the year left out
            empty = dict.fromkeys(COUNTY_COLUMNS, np.nan)
            records.append({**empty, "mätår": int(year), "antal_kommuner": 0, "antal_utelämnade": int(left_out[year])})
            continue
        mean = group["värde"].mean()
        se = math.sqrt((group["se"] ** 2).sum()) / k if group["se"].notna().all() else np.nan
        n = group["antal_svar"].astype("Float64") if "antal_svar" in group else pd.Series([pd.NA] * k)
        weighted = float((group["värde"] * n).sum() / n.sum()) if n.notna().all() and n.sum() > 0 else np.nan
        half = z_value(level) * se
        records.append(
            {
                "mätår": int(year),
                "medel": mean,
                "antal_kommuner": k,
                "ki_nedre": mean - half,
                "ki_övre": mean + half,
                "se": se,
                "viktat_medel": weighted,
                "antal_svar": float(n.sum()) if n.notna().all() else np.nan,
                "antal_utelämnade": int(left_out.get(year, 0)),
            }
        )
    return pd.DataFrame(records, columns=list(COUNTY_COLUMNS))


def county_status(row: pd.Series | None, target: float, members: int, min_municipalities: int) -> tuple[str, str]:
    """Status of a county result against a target: uppnått / ej uppnått / kan inte bedömas, and why."""
    if row is None:
        return okr.UNKNOWN, "inget resultat"
    k = int(row["antal_kommuner"])
    if k < min_municipalities:
        left_out = int(row.get("antal_utelämnade", 0) or 0)
        return okr.UNKNOWN, (
            f"bara {k} av {members} kommuner med publicerbart resultat mätår {int(row['mätår'])} "
            f"(minst {min_municipalities} krävs" + (f"; {left_out} med för få svar utelämnade)" if left_out else ")")
        )
    verdict = okr.MET if row["medel"] >= target else okr.NOT_MET
    reason = f"{fmt_number(row['medel'], 1)} mot målet minst {fmt_number(target, 0)} (medel av {k} kommuner"
    left_out = int(row.get("antal_utelämnade", 0) or 0)
    reason += f"; {left_out} med för få svar utelämnade)" if left_out else ")"
    if pd.notna(row.get("ki_nedre")) and row["ki_nedre"] <= target <= row["ki_övre"]:
        reason += (
            f"; 95 %-intervallet {fmt_number(row['ki_nedre'], 1)}–{fmt_number(row['ki_övre'], 1)} "
            "omfattar målet, så marginalen är osäker"
        )
    return verdict, reason


def county_table(nki: pd.DataFrame, settings: dict, target: float, members: int) -> pd.DataFrame:
    """County summary per mätår with status against the target and SKR band."""
    summary = county_summary(nki, settings)
    minimum = int(settings["nki"]["minsta_antal_kommuner"])
    statuses = [county_status(r, target, members, minimum) for _, r in summary.iterrows()]
    summary["status"] = [s for s, _ in statuses]
    summary["skäl"] = [r for _, r in statuses]
    summary["betyg"] = summary["medel"].map(lambda v: grade(v, bands(settings)))
    return summary


def area_results(nki: pd.DataFrame, year: int, settings: dict, threshold: float, members: int) -> pd.DataFrame:
    """Each myndighetsområde's county result (unweighted mean) in one mätår against the threshold."""
    minimum = int(settings["nki"]["minsta_antal_kommuner"])
    rows = []
    areas = sorted(set(nki.loc[(nki["mätår"] == year) & (nki["mått"] == "NKI"), "område"]) - {TOTAL})
    for area in areas:
        summary = county_summary(nki[nki["mätår"] == year], settings, area)
        if summary.empty:
            continue
        row = summary.iloc[0]
        status, reason = county_status(row, threshold, members, minimum)
        rows.append(
            {
                "område": area,
                **row.to_dict(),
                "status": status,
                "skäl": reason,
                "betyg": grade(row["medel"], bands(settings)),
            }
        )
    columns = [
        "område",
        *COUNTY_COLUMNS,
        "status",
        "skäl",
        "betyg",
    ]
    out = pd.DataFrame(rows, columns=columns)
    return out.astype({"mätår": int, "antal_kommuner": int, "antal_utelämnade": int}) if len(out) else out


def areas_status(areas: pd.DataFrame, threshold: float) -> tuple[str, str]:
    """S2: every area's county result at least the threshold. An area measured in
    too few municipalities cannot make the result 'uppnått'."""
    if areas.empty:
        return okr.UNKNOWN, "inga områdesresultat"
    failing = areas[areas["status"] == okr.NOT_MET]
    unknown = areas[areas["status"] == okr.UNKNOWN]
    if len(failing):
        names = ", ".join(f"{a} {fmt_number(v, 1)}" for a, v in zip(failing["område"], failing["medel"]))
        return okr.NOT_MET, f"under {fmt_number(threshold, 0)}: {names}"
    if len(unknown):
        names = ", ".join(
            f"{a} ({fmt_number(v, 1)} av {k} kommuner)" if k else f"{a} (ingen kommun)"
            for a, v, k in zip(unknown["område"], unknown["medel"], unknown["antal_kommuner"])
        )
        return okr.UNKNOWN, f"för få kommuner med publicerbart resultat inom {names}"
    low = areas.loc[areas["medel"].idxmin()]
    return okr.MET, (
        f"alla {len(areas)} områden minst {fmt_number(threshold, 0)}; lägst "
        f"{low['område']} {fmt_number(low['medel'], 1)}"
    )


def reliable_results_below(nki: pd.DataFrame, year: int, settings: dict, threshold: float) -> pd.DataFrame:
    """The municipality × area results of a mätår that SKR would publish (enough
    responses) and that lie under the threshold, lowest first."""
    rows = annotate(nki[(nki["mätår"] == year) & (nki["mått"] == "NKI") & (nki["område"] != TOTAL)], settings)
    below = rows[~rows["osäker"] & rows["antal_svar"].notna() & (rows["värde"] < threshold)]
    return below.sort_values(["värde", "kommun", "område"])[["kommun", "område", "värde", "antal_svar"]]


def _below_text(below: pd.DataFrame, threshold: float, most: int = 5) -> str:
    if below.empty:
        return ""
    items = [f"{r.kommun} {r.område} {fmt_number(r.värde, 1)}" for r in below.head(most).itertuples()]
    more = f" och {len(below) - most} till" if len(below) > most else ""
    return f"; säkra kommunresultat under {fmt_number(threshold, 0)}: {', '.join(items)}{more}"


def _period_note(period, year_m: int) -> str:
    if year_m == period.year:
        return f"mätår {year_m}"
    return (
        f"senaste publicerade mätår, {year_m}, eftersom Insikts resultat är årliga och perioden "
        f"{period.label} inte har något eget mätår"
    )


def outcomes(ctx) -> list[okr.Outcome]:
    """S1 (county mean NKI ≥ target) and S2 (every area's county result ≥ target)
    for the period: the latest mätår up to the period's year."""
    nki, settings, plan = ctx.dataset["nki"], ctx.settings, ctx.plan
    members = len(plan.members)
    s1, s2 = plan.key_result("S1"), plan.key_result("S2")
    year_m = measurement_year(nki, ctx.period.year)
    if year_m is None:
        reason = f"inget NKI-resultat för mätår {ctx.period.year} eller tidigare"
        return [
            okr.Outcome(s1.id, None, None, okr.UNKNOWN, reason),
            okr.Outcome(s2.id, None, None, okr.UNKNOWN, reason),
        ]
    note = _period_note(ctx.period, year_m)
    county = county_table(nki, settings, s1.target, members)
    row = county[county["mätår"] == year_m].iloc[0]
    earlier = county[county["mätår"] < year_m]
    prev = earlier.iloc[-1] if len(earlier) else None
    status, reason = row["status"], row["skäl"]
    out1 = okr.Outcome(
        s1.id,
        float(row["medel"]),
        float(prev["medel"]) if prev is not None else None,
        status,
        f"{reason}; {note}",
        value_text=f"{fmt_number(row['medel'], 1)} (mätår {year_m})",
        previous_text=f"{fmt_number(prev['medel'], 1)} (mätår {int(prev['mätår'])})" if prev is not None else "",
    )
    areas = area_results(nki, year_m, settings, s2.target, members)
    status2, reason2 = areas_status(areas, s2.target)
    reason2 += _below_text(reliable_results_below(nki, year_m, settings, s2.target), s2.target)
    prev_year = int(prev["mätår"]) if prev is not None else None
    prev_areas = area_results(nki, prev_year, settings, s2.target, members) if prev_year else pd.DataFrame()
    value2 = float(areas["medel"].min()) if len(areas) else None
    prev2 = float(prev_areas["medel"].min()) if len(prev_areas) else None
    out2 = okr.Outcome(
        s2.id,
        value2,
        prev2,
        status2,
        f"{reason2}; {note}",
        value_text=f"lägst {fmt_number(value2, 1)} (mätår {year_m})" if value2 is not None else "",
        previous_text=f"lägst {fmt_number(prev2, 1)} (mätår {prev_year})" if prev2 is not None else "",
    )
    return [out1, out2]


# --- municipality × area -----------------------------------------------------------


def area_table(nki: pd.DataFrame, year: int, settings: dict) -> pd.DataFrame:
    """Every municipality × area NKI result of one mätår with SE, interval, band and `osäker`."""
    rows = annotate(nki[(nki["mätår"] == year) & (nki["mått"] == "NKI")].dropna(subset=["värde"]), settings)
    keep = ["kommun", "område", "värde", "antal_svar", "ki_nedre", "ki_övre", "se", "osäker", "betyg"]
    for col in keep:
        if col not in rows:
            rows[col] = np.nan
    return rows[keep].sort_values(["kommun", "område"]).reset_index(drop=True)


def heatmap_matrix(table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Values and uncertain flags as municipality × area matrices (total last)."""
    values = table.pivot(index="kommun", columns="område", values="värde")
    flags = table.pivot(index="kommun", columns="område", values="osäker").reindex_like(values)
    order = [c for c in values.columns if c != TOTAL] + ([TOTAL] if TOTAL in values.columns else [])
    return values[order], flags[order].fillna(False).astype(bool)


def below_threshold(table: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """Municipality × area results (not the total) under the threshold, lowest first."""
    rows = table[(table["område"] != TOTAL) & (table["värde"] < threshold)]
    return rows.sort_values("värde").reset_index(drop=True)


# --- change since the previous measurement ----------------------------------------

CHANGE_UP = "ökning, statistiskt säkerställd"
CHANGE_DOWN = "minskning, statistiskt säkerställd"
CHANGE_NONE = "ingen säkerställd förändring"
CHANGE_UNKNOWN = "kan inte bedömas (osäkerheten är okänd)"
CHANGE_BREAK = "jämförs inte (totalen omfattar olika områden)"
CHANGE_FIRST = "ingen tidigare mätning"


def _scopes(nki: pd.DataFrame, settings: dict) -> dict[tuple[int, str], tuple[str, ...]]:
    """(mätår, kommun) -> the areas the total covers."""
    rows = nki[(nki["mått"] == "NKI") & nki["värde"].notna() & (nki["område"] != TOTAL)]
    return {
        (int(y), k): total_scope(int(y), list(g["område"]), settings) for (y, k), g in rows.groupby(["mätår", "kommun"])
    }


def holm(p_values: pd.Series) -> pd.Series:
    """Holm's step-down adjustment of p-values for testing several hypotheses at once
    (NaN stays NaN and is not counted): the i-th smallest of m is multiplied by
    m - i + 1, kept non-decreasing, and capped at 1."""
    tested = p_values.dropna().sort_values(kind="mergesort")
    m = len(tested)
    scaled = tested.to_numpy(dtype=float) * (m - np.arange(m))
    adjusted = pd.Series(np.minimum(1.0, np.maximum.accumulate(scaled)), index=tested.index)
    return adjusted.reindex(p_values.index)


def changes(nki: pd.DataFrame, year: int, settings: dict, area: str = TOTAL) -> pd.DataFrame:
    """Per municipality: the result of `year` against its previous measurement, the
    difference with its 95 % interval, and whether it is statistically significant
    after Holm's adjustment for testing every municipality at once (`p_justerat`)."""
    level = confidence(settings)
    rows = annotate(select(nki, area).dropna(subset=["värde"]), settings)
    scopes = _scopes(nki, settings) if area == TOTAL else {}
    out = []
    for kommun, group in rows.groupby("kommun"):
        now = group[group["mätår"] == year]
        if now.empty:
            continue
        now = now.iloc[0]
        before = group[group["mätår"] < year].sort_values("mätår")
        record = {
            "kommun": kommun,
            "mätår": year,
            "värde": now["värde"],
            "osäker": bool(now["osäker"]),
            "föregående_mätår": np.nan,
            "föregående": np.nan,
            "förändring": np.nan,
            "ki_nedre": np.nan,
            "ki_övre": np.nan,
            "p": np.nan,
        }
        if before.empty:
            record["bedömning"] = CHANGE_FIRST
            out.append(record)
            continue
        prev = before.iloc[-1]
        test = change_test(now["värde"], now["se"], prev["värde"], prev["se"], level)
        record.update(
            {
                "föregående_mätår": int(prev["mätår"]),
                "föregående": prev["värde"],
                "osäker": bool(now["osäker"] or prev["osäker"]),
                **{k: test[k] for k in ("förändring", "ki_nedre", "ki_övre", "p")},
            }
        )
        if area == TOTAL and scopes.get((year, kommun)) != scopes.get((int(prev["mätår"]), kommun)):
            record["bedömning"] = CHANGE_BREAK
        elif pd.isna(test["p"]):
            record["bedömning"] = CHANGE_UNKNOWN
        out.append(record)
    columns = [
        "kommun",
        "mätår",
        "värde",
        "föregående_mätår",
        "föregående",
        "förändring",
        "ki_nedre",
        "ki_övre",
        "p",
        "p_justerat",
        "osäker",
        "bedömning",
    ]
    table = pd.DataFrame(out, columns=columns).astype({"bedömning": object})
    tested = table["bedömning"].isna()  # not a first measurement, a definition break or an unknown spread
    table["p_justerat"] = holm(table["p"].where(tested))
    significant = table["p_justerat"] < 1 - level
    table.loc[tested & significant & (table["förändring"] > 0), "bedömning"] = CHANGE_UP
    table.loc[tested & significant & (table["förändring"] < 0), "bedömning"] = CHANGE_DOWN
    table.loc[tested & ~significant, "bedömning"] = CHANGE_NONE
    return table


def county_change(summary: pd.DataFrame, year: int, settings: dict) -> dict | None:
    """The county mean's change since the previous mätår with a z-test (NaN when an SE is unknown)."""
    now = summary[summary["mätår"] == year]
    before = summary[summary["mätår"] < year]
    if now.empty or before.empty:
        return None
    now, prev = now.iloc[0], before.iloc[-1]
    test = change_test(now["medel"], now["se"], prev["medel"], prev["se"], confidence(settings))
    new_total = int(settings["nki"].get("ny_total_från_mätår", 2024))
    crosses = int(prev["mätår"]) < new_total <= year  # SKR changed what the total measures in between
    if crosses:
        test = {**test, "se": np.nan, "ki_nedre": np.nan, "ki_övre": np.nan, "z": np.nan, "p": np.nan}
    return {
        "mätår": year,
        "föregående_mätår": int(prev["mätår"]),
        "värde": now["medel"],
        "föregående": prev["medel"],
        "definitionsbrott": new_total if crosses else None,
        **test,
    }


# --- the total's definition per year ----------------------------------------------------


def scope_table(nki: pd.DataFrame, settings: dict) -> pd.DataFrame:
    """Per mätår: which areas the total covers and which were measured but fall outside it."""
    rows = nki[(nki["mått"] == "NKI") & nki["värde"].notna() & (nki["område"] != TOTAL)]
    out = []
    for year, group in rows.groupby("mätår"):
        measured = sorted(set(group["område"]))
        covered = total_scope(int(year), measured, settings)
        out.append(
            {
                "mätår": int(year),
                "områden_i_totalen": ", ".join(covered),
                "antal_områden": len(covered),
                "redovisas_separat": ", ".join(a for a in measured if a not in covered) or "–",
            }
        )
    return pd.DataFrame(out, columns=["mätår", "områden_i_totalen", "antal_områden", "redovisas_separat"])


# --- trend and forecast ------------------------------------------------------------


def comparable_total(nki: pd.DataFrame, settings: dict) -> pd.DataFrame:
    """A total on the same footing every year: SKR's total from the new definition's
    first mätår; before it the respondent-weighted mean of the mandatory areas
    (unweighted where counts are unknown), only where all of them were measured."""
    first_new = int(settings["nki"].get("ny_total_från_mätår", 2024))
    mandatory = list(settings["nki"]["obligatoriska_områden_från_2024"])
    nki_rows = nki[(nki["mått"] == "NKI") & nki["värde"].notna()]
    new = nki_rows[(nki_rows["område"] == TOTAL) & (nki_rows["mätår"] >= first_new)]
    records = [{"mätår": int(r["mätår"]), "kommun": r["kommun"], "värde": float(r["värde"])} for _, r in new.iterrows()]
    old = nki_rows[(nki_rows["område"].isin(mandatory)) & (nki_rows["mätår"] < first_new)]
    for (year, kommun), group in old.groupby(["mätår", "kommun"]):
        if set(group["område"]) != set(mandatory):
            continue
        n = group["antal_svar"].astype(float) if "antal_svar" in group else pd.Series(np.nan, index=group.index)
        value = np.average(group["värde"], weights=n) if n.notna().all() and n.sum() > 0 else group["värde"].mean()
        records.append({"mätår": int(year), "kommun": kommun, "värde": float(value)})
    out = pd.DataFrame(records, columns=["mätår", "kommun", "värde"])
    return out.sort_values(["kommun", "mätår"]).reset_index(drop=True)


def linear_trend(years, values, target_year: int, target: float, level: float = 0.95, min_years: int = 3) -> dict:
    """OLS of value on year over the measured years (gaps dropped, never zero).
    Prediction at target_year with a t prediction interval (cut to the NKI scale
    0–100), and the probability that the value then is at least the target. NaN
    with a reason below min_years."""
    frame = pd.DataFrame({"x": years, "y": values}).dropna()
    n = len(frame)
    result = {
        "antal_år": n,
        "lutning": np.nan,
        "lutning_ki_nedre": np.nan,
        "lutning_ki_övre": np.nan,
        "prognos": np.nan,
        "prognos_ki_nedre": np.nan,
        "prognos_ki_övre": np.nan,
        "sannolikhet_mål": np.nan,
        "skäl": "",
    }
    if n < max(min_years, 3):
        result["skäl"] = f"bara {n} mätår med resultat (minst {max(min_years, 3)} krävs)"
        return result
    x, y = frame["x"].astype(float).to_numpy(), frame["y"].astype(float).to_numpy()
    fit = stats.linregress(x, y)
    df = n - 2
    residual = y - (fit.intercept + fit.slope * x)
    s = math.sqrt(float(residual @ residual) / df)
    sxx = float(((x - x.mean()) ** 2).sum())
    t = float(stats.t.ppf(0.5 + level / 2, df))
    pred = fit.intercept + fit.slope * target_year
    se_pred = s * math.sqrt(1 + 1 / n + (target_year - x.mean()) ** 2 / sxx)
    if se_pred > 0:
        probability = float(stats.t.sf((target - pred) / se_pred, df))
    else:
        probability = float(pred >= target)
    result.update(
        {
            "lutning": fit.slope,
            "lutning_ki_nedre": fit.slope - t * fit.stderr,
            "lutning_ki_övre": fit.slope + t * fit.stderr,
            "prognos": pred,
            # NKI lies on 0–100: the interval is cut there, not extended past the scale
            "prognos_ki_nedre": max(0.0, pred - t * se_pred),
            "prognos_ki_övre": min(100.0, pred + t * se_pred),
            "sannolikhet_mål": probability,
            "intercept": fit.intercept,
        }
    )
    return result


def chance_text(probability: float, points: int, settings: dict) -> str:
    """A trend model's chance of reaching the target in calibrated words: 'troligt'
    (at least troligt_från), 'osannolikt' (at most osannolikt_till), otherwise
    'osäkert'; the percentage only from enough points to carry one (settings)."""
    if pd.isna(probability):
        return "kan inte bedömas"
    nki_set = settings["nki"]
    if probability >= float(nki_set.get("troligt_från", 0.8)):
        word = "troligt"
    elif probability <= float(nki_set.get("osannolikt_till", 0.2)):
        word = "osannolikt"
    else:
        word = "osäkert"
    if points >= int(nki_set.get("minsta_antal_mätår_sannolikhet", 6)):
        return f"{word} ({fmt_percent(probability, 0)})"
    return word


def window_sensitivity(
    county: pd.DataFrame, settings: dict, target_year: int, target: float, windows: tuple[int, ...] = (4, 3)
) -> pd.DataFrame:
    """The county forecast from all mätår and from only the last 4 and 3: how much
    the answer depends on the fitting window. Rows with too few points are left out."""
    level, min_years = confidence(settings), int(settings["nki"].get("minsta_antal_mätår_trend", 3))
    ordered = county.sort_values("mätår")
    rows = []
    for window in (None, *windows):
        part = ordered if window is None else ordered.tail(window)
        if window is not None and len(part) == len(ordered):
            continue  # the same fit as all years
        fit = linear_trend(part["mätår"], part["medel"], target_year, target, level, min_years)
        if pd.isna(fit["prognos"]):
            continue
        rows.append({"fönster": "alla mätår" if window is None else f"senaste {window}", **fit})
    return pd.DataFrame(rows)


def county_series(series: pd.DataFrame, min_municipalities: int) -> pd.DataFrame:
    """Unweighted county mean per mätår of a long municipal series; years with
    fewer municipalities than the minimum are left out (a gap)."""
    out = series.groupby("mätår")["värde"].agg(medel="mean", antal_kommuner="count").reset_index()
    return out[out["antal_kommuner"] >= min_municipalities].reset_index(drop=True)


def trends(
    series: pd.DataFrame, settings: dict, target_year: int, target: float, upto: int | None = None
) -> pd.DataFrame:
    """Trend and forecast per municipality and for the county ('Länet', first row)."""
    nki_set = settings["nki"]
    level, min_years = confidence(settings), int(nki_set.get("minsta_antal_mätår_trend", 3))
    if upto is not None:
        series = series[series["mätår"] <= upto]
    county = county_series(series, int(nki_set["minsta_antal_kommuner"]))
    rows = [
        {
            "kommun": "Länet",
            "senaste": county["medel"].iloc[-1] if len(county) else np.nan,
            **linear_trend(county["mätår"], county["medel"], target_year, target, level, min_years),
        }
    ]
    for kommun, group in series.groupby("kommun"):
        group = group.sort_values("mätår")
        rows.append(
            {
                "kommun": kommun,
                "senaste": group["värde"].iloc[-1],
                **linear_trend(group["mätår"], group["värde"], target_year, target, level, min_years),
            }
        )
    return pd.DataFrame(rows).drop(columns=["intercept"], errors="ignore")


# --- service factors -------------------------------------------------------------


def factor_summary(nki: pd.DataFrame, year: int, settings: dict) -> pd.DataFrame:
    """Each service factor's county score (mean of the municipalities' totals) and how
    strongly it moves with NKI (Pearson r over municipality × area results with
    enough responses, with a 95 % interval), and its place in the priority matrix."""
    level = confidence(settings)
    rows = nki[(nki["mätår"] == year) & nki["värde"].notna()]
    nki_rows = annotate(rows[(rows["mått"] == "NKI") & (rows["område"] != TOTAL)], settings)
    nki_rows = nki_rows[~nki_rows["osäker"]][["kommun", "område", "värde"]]
    records = []
    for factor in FACTORS:
        score_rows = rows[(rows["mått"] == factor) & (rows["område"] == TOTAL)]
        pairs = nki_rows.merge(
            rows[(rows["mått"] == factor) & (rows["område"] != TOTAL)], on=["kommun", "område"], suffixes=("_nki", "")
        )
        r = lo = hi = np.nan
        if len(pairs) >= 4 and pairs["värde"].std() > 0 and pairs["värde_nki"].std() > 0:
            test = stats.pearsonr(pairs["värde"], pairs["värde_nki"])
            r = float(test.statistic)
            ci = test.confidence_interval(confidence_level=level)
            lo, hi = float(ci.low), float(ci.high)
        records.append(
            {
                "faktor": factor,
                "betyg": score_rows["värde"].mean() if len(score_rows) else np.nan,
                "antal_kommuner": len(score_rows),
                "samband": r,
                "samband_ki_nedre": lo,
                "samband_ki_övre": hi,
                "antal_par": len(pairs),
            }
        )
    out = pd.DataFrame(records)
    return priority_quadrants(out)


def priority_quadrants(factors: pd.DataFrame) -> pd.DataFrame:
    """Quadrant per factor, split at the mean score and mean correlation:
    'prioritera' (low score, strong link), 'behåll' (high, strong),
    'bevaka' (low, weak), 'mindre viktigt' (high, weak). A link counts as strong or
    weak only when its interval lies wholly above or below the mean correlation;
    otherwise the factor is 'kan inte rangordnas' (the data cannot tell the links apart)."""
    out = factors.copy()
    known = out["betyg"].notna() & out["samband"].notna()
    score_mid, link_mid = out.loc[known, "betyg"].mean(), out.loc[known, "samband"].mean()

    def quadrant(row):
        if not (pd.notna(row["betyg"]) and pd.notna(row["samband"])):
            return "kan inte bedömas"
        strong, weak = row["samband_ki_nedre"] > link_mid, row["samband_ki_övre"] < link_mid
        if not (strong or weak):  # NaN bounds compare False: no interval, no ranking
            return "kan inte rangordnas"
        high = row["betyg"] >= score_mid
        return {
            (True, False): "prioritera",
            (True, True): "behåll",
            (False, False): "bevaka",
            (False, True): "mindre viktigt",
        }[(strong, high)]

    out["kvadrant"] = out.apply(quadrant, axis=1) if len(out) else []
    out.attrs["betyg_mitt"], out.attrs["samband_mitt"] = score_mid, link_mid
    return out


# --- Sweden as the yardstick -------------------------------------------------------


def national_position(
    riket: pd.DataFrame | None, nki: pd.DataFrame, year: int, settings: dict, members: dict[str, str]
) -> tuple[pd.DataFrame, dict]:
    """Each member's total NKI as a percentile of all municipalities' results that
    mätår (share with a result at or below it). Results under the ranking
    minimum are neither in the reference nor ranked. Returns the table and the
    national figures (median, quartiles, count) with the county mean."""
    empty = pd.DataFrame(columns=["kommun", "värde", "antal_svar", "rankas", "percentil"])
    if riket is None or riket.empty:
        return empty, {}
    minimum = int(settings["nki"]["minsta_antal_svar_rankning"])
    ref = select(riket[riket["mätår"] == year]).dropna(subset=["värde"])
    if "antal_svar" in ref:
        ref = ref[~(ref["antal_svar"].astype("Float64") < minimum).fillna(False).astype(bool)]
    if ref.empty:
        return empty, {}
    own = select(nki[nki["mätår"] == year]).dropna(subset=["värde"])
    rows = []
    for _, r in own.iterrows():
        n = r.get("antal_svar", pd.NA)
        ranked = pd.isna(n) or n >= minimum
        pct = stats.percentileofscore(ref["värde"], r["värde"], kind="weak") / 100 if ranked else np.nan
        rows.append({"kommun": r["kommun"], "värde": r["värde"], "antal_svar": n, "rankas": ranked, "percentil": pct})
    table = pd.DataFrame(rows, columns=empty.columns).sort_values("värde", ascending=False)
    values = ref["värde"].astype(float)
    national = {
        "mätår": year,
        "median": float(values.median()),
        "q1": float(values.quantile(0.25)),
        "q3": float(values.quantile(0.75)),
        "antal": int(len(values)),
        "länsmedel": float(own["värde"].mean()) if len(own) else np.nan,
        "värden": values.to_numpy(),
    }
    return table.reset_index(drop=True), national


# --- texts (Swedish, generated from the numbers) -------------------------------------


def _list(items: list[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " och " + items[-1]


def county_text(county: pd.DataFrame, year: int, target: float) -> str:
    """Swedish sentences on the county mean against the target, from the numbers."""
    row = latest_measurement(county, year)
    if row is None:
        return f"Det finns inget NKI-resultat för mätår {year} eller tidigare."
    year_m = int(row["mätår"])
    value = row["medel"]
    verdict = "når" if value >= target else "når inte"
    text = (
        f"Mätår {year_m} var länets genomsnittliga NKI {fmt_number(value, 1)} "
        f"(medelvärdet av {int(row['antal_kommuner'])} kommuner) och {verdict} målet {fmt_number(target, 0)}."
    )
    earlier = county[county["mätår"] < year_m]
    if len(earlier):
        prev = earlier.iloc[-1]
        text += (
            f" Föregående mätning, {int(prev['mätår'])}, var genomsnittet {fmt_number(prev['medel'], 1)}, "
            f"en förändring med {fmt_signed(value - prev['medel'], 1)} enheter."
        )
    return text


def county_detail_text(table: pd.DataFrame, year: int, change: dict | None) -> str:
    """Interval, weighted mean and significance of the county's change, from the numbers."""
    rows = table[table["mätår"] == year]
    if rows.empty:
        return ""
    row = rows.iloc[0]
    parts = []
    if pd.notna(row["ki_nedre"]):
        parts.append(
            f"Med hänsyn till urvalsosäkerheten ligger genomsnittet med 95 % säkerhet mellan "
            f"{fmt_number(row['ki_nedre'], 1)} och {fmt_number(row['ki_övre'], 1)}."
        )
    else:
        parts.append(
            "Osäkerheten i genomsnittet kan inte beräknas, eftersom konfidensintervall saknas för någon kommun."
        )
    if pd.notna(row["viktat_medel"]):
        parts.append(
            f"Viktat med antalet svar ({fmt_number(row['antal_svar'], 0)} svar) blir länets NKI "
            f"{fmt_number(row['viktat_medel'], 1)}; de stora kommunerna väger då tyngre."
        )
    else:
        parts.append("Ett svarsviktat genomsnitt kan inte beräknas, eftersom antalet svar saknas för någon kommun.")
    if row["antal_utelämnade"]:
        parts.append(
            f"{int(row['antal_utelämnade'])} kommuners totalresultat bygger på färre svar än SKR:s minimum "
            "och ingår därför inte i genomsnittet, som SKR inte heller publicerar dem."
        )
    if change is not None:
        diff = fmt_signed(change["förändring"], 1)
        if change.get("definitionsbrott"):
            parts.append(
                f"Förändringen sedan {change['föregående_mätår']} ({diff}) prövas inte: SKR ändrade vad "
                f"totalen omfattar från mätår {change['definitionsbrott']}, så skillnaden kan bero på måttet."
            )
        elif pd.isna(change["p"]):
            parts.append(
                f"Förändringen sedan {change['föregående_mätår']} ({diff}) kan inte prövas statistiskt, "
                "eftersom osäkerheten inte är känd för båda åren."
            )
        elif change["p"] < 0.05:
            parts.append(
                f"Förändringen sedan {change['föregående_mätår']} ({diff}) är statistiskt säkerställd "
                f"(95 %-intervall {fmt_signed(change['ki_nedre'], 1)} till {fmt_signed(change['ki_övre'], 1)})."
            )
        else:
            parts.append(
                f"Förändringen sedan {change['föregående_mätår']} ({diff}) är inte statistiskt "
                f"säkerställd (95 %-intervall {fmt_signed(change['ki_nedre'], 1)} till "
                f"{fmt_signed(change['ki_övre'], 1)})."
            )
    return " ".join(parts)


def outcome_sentence(outcome: okr.Outcome, text: str) -> str:
    """One line for the answer-first list: the key result, its status and why."""
    return f"{outcome.id} – {text}: {outcome.status} ({outcome.reason})."


def bands_text(band_list: list[tuple[str, float]], s1_target: float, s2_target: float) -> str:
    """SKR's grading beside the plan's targets, stated plainly."""
    ordered = sorted(band_list, key=lambda b: b[1])
    parts = []
    for i, (name, low) in enumerate(ordered):
        high = ordered[i + 1][1] if i + 1 < len(ordered) else None
        if i == 0:
            parts.append(f"under {fmt_number(high, 0)} ”{name}”")
        elif high is None:
            parts.append(f"{fmt_number(low, 0)} och högre ”{name}”")
        else:
            parts.append(f"{fmt_number(low, 0)}–{fmt_number(high - 1, 0)} ”{name}”")
    s2_band = grade(s2_target, band_list)
    s1_band = grade(s1_target, band_list)
    return (
        f"SKR kallar NKI {_list(list(reversed(parts)))}. Planen kallar 70 ”godkänt”, men planens "
        f"gräns {fmt_number(s2_target, 0)} är SKR:s gräns för ”{s2_band}”, och målet "
        f"{fmt_number(s1_target, 0)} för länets genomsnitt motsvarar ”{s1_band}”. SKR:s ”godkänt” "
        f"börjar redan vid {fmt_number(min(low for _, low in band_list if low > 0), 0)}."
    )


def areas_text(areas: pd.DataFrame, threshold: float, year: int) -> str:
    """Which areas' county results are under the threshold."""
    if areas.empty:
        return f"Det finns inga områdesresultat för mätår {year}."
    low = areas[areas["medel"] < threshold].sort_values("medel")
    if low.empty:
        worst = areas.loc[areas["medel"].idxmin()]
        return (
            f"Mätår {year} når alla {len(areas)} myndighetsområden minst {fmt_number(threshold, 0)} som "
            f"länsresultat; lägst är {worst['område']} med {fmt_number(worst['medel'], 1)}."
        )
    names = _list([f"{a} ({fmt_number(v, 1)})" for a, v in zip(low["område"], low["medel"])])
    return (
        f"Mätår {year} ligger {len(low)} av {len(areas)} myndighetsområden under {fmt_number(threshold, 0)} "
        f"som länsresultat: {names}."
    )


def heatmap_text(table: pd.DataFrame, threshold: float, year: int) -> str:
    """What the heatmap shows, with counts."""
    areas = table[table["område"] != TOTAL]
    if areas.empty:
        return f"Det finns inga resultat per kommun och område för mätår {year}."
    below = below_threshold(table, threshold)
    firm_below = below[~below["osäker"]]
    return (
        f"Diagrammet visar {len(areas)} resultat per kommun och myndighetsområde för mätår {year}, och "
        f"kommunernas total i sista kolumnen. {len(below)} områdesresultat ligger under "
        f"{fmt_number(threshold, 0)}, varav {len(firm_below)} bygger på tillräckligt många svar. "
        f"{int(areas['osäker'].sum())} resultat har färre svar än minimum och är streckade; de ska inte "
        "läsas som säkra."
    )


def below_items(table: pd.DataFrame, threshold: float) -> list[str]:
    """One line per municipality × area under the threshold."""
    items = []
    for _, r in below_threshold(table, threshold).iterrows():
        extra = f"; osäkert, {fmt_number(r['antal_svar'], 0)} svar" if r["osäker"] else ""
        interval = (
            f", 95 %-intervall {fmt_number(r['ki_nedre'], 1)}–{fmt_number(r['ki_övre'], 1)}"
            if pd.notna(r["ki_nedre"])
            else ", intervall saknas"
        )
        items.append(f"{r['kommun']}, {r['område']}: {fmt_number(r['värde'], 1)}{interval}{extra}")
    return items


def changes_text(table: pd.DataFrame, year: int) -> str:
    """Summary of the municipalities' changes and how many are significant."""
    if table.empty:
        return f"Inga kommuner har resultat för mätår {year}."
    counts = table["bedömning"].value_counts()
    parts = [
        f"{int(counts.get(label, 0))} {word}"
        for label, word in (
            (CHANGE_UP, "med säkerställd ökning"),
            (CHANGE_DOWN, "med säkerställd minskning"),
            (CHANGE_NONE, "utan säkerställd förändring"),
            (CHANGE_UNKNOWN, "där det inte kan bedömas"),
            (CHANGE_BREAK, "som inte jämförs på grund av SKR:s nya total"),
            (CHANGE_FIRST, "utan tidigare mätning"),
        )
        if counts.get(label, 0)
    ]
    text = f"Av {len(table)} kommuner med resultat mätår {year} är det {_list(parts)}."
    if table["p_justerat"].notna().sum() > 1:
        text += (
            " Eftersom alla kommuner prövas samtidigt räknas en förändring som säkerställd först när den "
            "håller även efter justering för det (Holms metod); intervallen i tabellen gäller varje "
            "kommun för sig."
        )
    if counts.get(CHANGE_UNKNOWN, 0):
        text += (
            " Där konfidensintervall och antal svar med spridning saknas (till exempel data från Kolada, "
            "som bara har värden) går det inte att säga om förändringen är verklig eller slump."
        )
    if counts.get(CHANGE_BREAK, 0):
        text += (
            " Totalen bytte innehåll från mätår 2024, så en skillnad mot 2023 kan bero på att andra "
            "områden ingår och inte på servicen."
        )
    return text


def scope_text(scopes: pd.DataFrame, settings: dict) -> str:
    """Which areas the total covers, and the 2024 change."""
    first_new = int(settings["nki"].get("ny_total_från_mätår", 2024))
    mandatory = _list(list(settings["nki"]["obligatoriska_områden_från_2024"]))
    text = (
        f"Från mätår {first_new} omfattar SKR:s totala NKI bara de obligatoriska områdena {mandatory}; "
        "brandskydd och markupplåtelse redovisas separat."
    )
    if not scopes.empty and scopes["mätår"].min() < first_new <= scopes["mätår"].max():
        text += (
            f" Totalen före och efter {first_new} mäter därför olika saker. Trenden nedan använder en "
            f"jämförbar serie: före {first_new} räknas totalen om från de obligatoriska områdena "
            "(viktat med antal svar)."
        )
    before = scopes[scopes["mätår"] < first_new]
    varying = before[before["antal_områden"] < before["antal_områden"].max()] if len(before) else before
    if len(varying):
        text += (
            f" Före {first_new} saknas några områden vissa år, så totalen omfattar färre områden: "
            + _list([f"{int(y)}: {int(n)} områden" for y, n in zip(varying["mätår"], varying["antal_områden"])])
            + "."
        )
    return text


def comparable_note(nki: pd.DataFrame, series: pd.DataFrame, settings: dict) -> str:
    """A sentence when SKR totals exist for years the comparable series lacks (no area results to rebuild them)."""
    first_new = int(settings["nki"].get("ny_total_från_mätår", 2024))
    totals = set(select(nki).dropna(subset=["värde"])["mätår"].astype(int))
    lacking = sorted(y for y in totals - set(series["mätår"].astype(int)) if y < first_new)
    if not lacking:
        return ""
    return (
        f"För {_list([str(y) for y in lacking])} saknas resultat för alla de obligatoriska områdena, så "
        f"SKR:s total kan inte räknas om till den nya definitionen och de åren ingår inte i trenden."
    )


def thin_years_note(county: pd.DataFrame, minimum: int) -> str:
    """A caption sentence naming the mätår whose county mean rests on too few municipalities."""
    thin = county[county["antal_kommuner"] < minimum]
    if thin.empty:
        return ""
    years = _list([str(int(y)) for y in thin["mätår"]])
    return f" Ofyllda punkter ({years}) vilar på färre än {minimum} kommuner och bedöms inte."


def trend_series(nki: pd.DataFrame, settings: dict) -> tuple[pd.DataFrame, str]:
    """The municipal series the trend is fitted to, and a sentence about it: the
    comparable total (comparable_total) where it gives the county enough mätår for a
    trend; otherwise, when they give more (area results missing, as in data from
    Kolada), SKR's published totals, with the definition break said where the series
    crosses it."""
    nki_set = settings["nki"]
    minimum, first_new = int(nki_set["minsta_antal_kommuner"]), int(nki_set.get("ny_total_från_mätår", 2024))
    min_years = max(int(nki_set.get("minsta_antal_mätår_trend", 3)), 3)
    comparable = comparable_total(nki, settings)
    published = select(nki).dropna(subset=["värde"])[["mätår", "kommun", "värde"]].reset_index(drop=True)
    enough = len(county_series(comparable, minimum))
    if enough >= min_years or enough >= len(county_series(published, minimum)):
        return comparable, comparable_note(nki, comparable, settings)
    years = published["mätår"]
    note = (
        "Resultat per område saknas för en del mätår (till exempel i data från Kolada), så trenden bygger på "
        "SKR:s publicerade total."
    )
    if years.min() < first_new <= years.max():
        note += (
            f" Från mätår {first_new} omfattar totalen bara de obligatoriska områdena: serien har ett brott där, "
            "och trenden ska läsas med extra försiktighet."
        )
    return published, note


def trend_text(
    trend_rows: pd.DataFrame,
    target: float,
    target_year: int,
    note: str = "",
    settings: dict | None = None,
    sensitivity: pd.DataFrame | None = None,
) -> str:
    """The county's trend and forecast with its chance in calibrated words, how much
    it depends on the fitting window, and how many municipalities are likely to
    reach the target at the current trend."""
    settings = settings or {"nki": {}}
    county = trend_rows[trend_rows["kommun"] == "Länet"].iloc[0]
    if pd.isna(county["lutning"]):
        text = f"Länets trend kan inte bedömas: {county['skäl']}."
    else:
        text = (
            f"Länets genomsnitt har förändrats med {fmt_signed(county['lutning'], 1)} enheter per år "
            f"(95 %-intervall {fmt_signed(county['lutning_ki_nedre'], 1)} till "
            f"{fmt_signed(county['lutning_ki_övre'], 1)}) över {int(county['antal_år'])} mätår. "
            f"Fortsätter trenden blir det {fmt_number(county['prognos'], 1)} år {target_year} "
            f"(prognosintervall {fmt_number(county['prognos_ki_nedre'], 1)}–"
            f"{fmt_number(county['prognos_ki_övre'], 1)}). Att nå minst {fmt_number(target, 0)} är enligt "
            f"trendmodellen {chance_text(county['sannolikhet_mål'], int(county['antal_år']), settings)}."
        )
    if sensitivity is not None and len(sensitivity) > 1:
        others = [
            f"med {r['fönster']} mätåren {fmt_number(r['prognos'], 1)} "
            f"({chance_text(r['sannolikhet_mål'], int(r['antal_år']), settings)})"
            for _, r in sensitivity.iloc[1:].iterrows()
        ]
        text += (
            f" Svaret beror på vilka år linjen anpassas till: {_list(others)}, så prognosen ska läsas med försiktighet."
        )
    munis = trend_rows[trend_rows["kommun"] != "Länet"]
    judged = munis[munis["sannolikhet_mål"].notna()]
    likely = judged[judged["sannolikhet_mål"] >= float(settings["nki"].get("troligt_från", 0.8))]
    text += (
        f" Av {len(munis)} kommuner kan trenden bedömas för {len(judged)}; av dem når {len(likely)} "
        f"troligt {fmt_number(target, 0)} år {target_year}."
    )
    if len(munis) > len(judged):
        text += " Övriga har för få mätår."
    if note:
        text += " " + note
    text += (
        " En prognos som bara förlänger en rak linje är osäker: den säger vad som händer om "
        "utvecklingen fortsätter som hittills, inte vad som kommer att hända."
    )
    return text


def factors_text(factors: pd.DataFrame) -> str:
    """Weakest factors and where the priority matrix points."""
    known = factors.dropna(subset=["betyg"]).sort_values("betyg")
    if known.empty:
        return "Servicefaktorer saknas för mätåret."
    weakest = _list([f"{r['faktor']} ({fmt_number(r['betyg'], 1)})" for _, r in known.head(2).iterrows()])
    best = known.iloc[-1]
    text = f"Svagast i länet är {weakest}; starkast är {best['faktor']} ({fmt_number(best['betyg'], 1)}). "
    prio = factors[factors["kvadrant"] == "prioritera"]
    if len(prio):
        text += (
            f"Prioritetsmatrisen pekar på {_list(list(prio['faktor']))}: lågt betyg och ett samband med NKI "
            "som är säkert starkare än genomsnittet, så förbättringar där bör ge mest. "
        )
    elif (factors["kvadrant"] == "kan inte rangordnas").all():
        text += (
            "Sambanden med NKI skiljer sig inte säkert åt mellan faktorerna, så prioritetsmatrisen pekar inte "
            "ut någon faktor. "
        )
    else:
        text += "Ingen faktor har både lägre betyg och säkert starkare samband än genomsnittet. "
    if factors["samband"].notna().any():
        spread = factors["samband"].max() - factors["samband"].min()
        text += (
            f"Sambanden ligger mellan {fmt_number(factors['samband'].min(), 2)} och "
            f"{fmt_number(factors['samband'].max(), 2)}"
        )
        overlaps = factors["samband_ki_nedre"].max() <= factors["samband_ki_övre"].min()
        text += (
            "; intervallen överlappar, så ordningen mellan faktorerna är osäker." if overlaps or spread < 0.1 else "."
        )
    return text


def national_text(table: pd.DataFrame, national: dict) -> str:
    """The county against the national median and the members' percentiles."""
    if not national:
        return "Nationella data (tabellen nki_riket) saknas, så länet kan inte jämföras med riket."
    ranked = table[table["rankas"]]
    above = ranked[ranked["värde"] > national["median"]]
    diff = national["länsmedel"] - national["median"]
    text = (
        f"Mätår {national['mätår']} var medianen för rikets {national['antal']} kommuner "
        f"{fmt_number(national['median'], 1)}. Länets genomsnitt, {fmt_number(national['länsmedel'], 1)}, "
        f"ligger {fmt_number(abs(diff), 1)} enheter {'över' if diff >= 0 else 'under'} medianen. "
        f"{len(above)} av {len(ranked)} rankade medlemskommuner ligger över rikets median."
    )
    if len(ranked):
        top, bottom = ranked.iloc[0], ranked.iloc[-1]
        text += (
            f" Högst placerad är {top['kommun']} (percentil {fmt_number(100 * top['percentil'], 0)}), "
            f"lägst {bottom['kommun']} (percentil {fmt_number(100 * bottom['percentil'], 0)})."
        )
    unranked = table[~table["rankas"]]
    if len(unranked):
        text += f" {_list(list(unranked['kommun']))} rankas inte, eftersom resultatet bygger på för få svar."
    return text


def wide(series: pd.DataFrame) -> pd.DataFrame:
    """A long municipal series (mätår, kommun, värde) as mätår × municipality."""
    return series.pivot(index="mätår", columns="kommun", values="värde").sort_index()


# --- report tables and texts for the notebook -------------------------------------------


def _one(v) -> str:
    return fmt_number(v, 1)


def _interval(lo, hi, signed: bool = False) -> str:
    if pd.isna(lo) or pd.isna(hi):
        return "–"
    f = fmt_signed if signed else fmt_number
    return f"{f(lo, 1)} till {f(hi, 1)}" if signed else f"{f(lo, 1)}–{f(hi, 1)}"


DISPLAY_FORMATS = {
    "NKI": _one,
    "Medel": _one,
    "Viktat med antal svar": _one,
    "Föregående": _one,
    "Förändring": fmt_signed,
    "Senaste": _one,
    "Per år": fmt_signed,
    "Prognos": _one,
    "Betyg": _one,
    "Samband med NKI": lambda v: fmt_number(v, 2),
    "Kommuner": lambda v: fmt_number(v, 0),
    "Mätår": lambda v: "–" if pd.isna(v) else str(int(v)),
    "Föregående mätår": lambda v: "–" if pd.isna(v) else str(int(v)),
    "Från": lambda v: fmt_number(v, 0),
}


def formats_for(frame: pd.DataFrame) -> dict:
    """Swedish number formats for the display columns present in `frame`."""
    return {c: f for c, f in DISPLAY_FORMATS.items() if c in frame.columns}


def period_text(period, year_m: int | None) -> str:
    """Which mätår the report uses for the period, and why."""
    if year_m is None:
        return f"Det finns inget NKI-resultat för mätår {period.year} eller tidigare."
    if year_m == period.year:
        return f"Rapporten för {period.label} bygger på Insikts mätår {year_m}."
    return (
        f"Perioden är {period.label}. Insikts resultat är årliga och publiceras året efter mätåret, så "
        f"rapporten använder senaste publicerade mätår, {year_m}."
    )


def county_display(table: pd.DataFrame) -> pd.DataFrame:
    """The county per mätår for the report."""
    return pd.DataFrame(
        {
            "Mätår": table["mätår"],
            "Kommuner": table["antal_kommuner"],
            "Medel": table["medel"],
            "95 %-intervall": [_interval(lo, hi) for lo, hi in zip(table["ki_nedre"], table["ki_övre"])],
            "Viktat med antal svar": table["viktat_medel"],
            "SKR:s betyg": table["betyg"],
            "Status mot målet": table["status"],
        }
    )


def area_display(areas: pd.DataFrame) -> pd.DataFrame:
    """Each area's county result for the report."""
    return pd.DataFrame(
        {
            "Område": areas["område"],
            "Medel": areas["medel"],
            "95 %-intervall": [_interval(lo, hi) for lo, hi in zip(areas["ki_nedre"], areas["ki_övre"])],
            "Kommuner": areas["antal_kommuner"],
            "Utelämnade (för få svar)": areas["antal_utelämnade"].map(lambda v: fmt_number(v, 0)),
            "SKR:s betyg": areas["betyg"],
            "Status mot 70": areas["status"],
        }
    )


def changes_display(table: pd.DataFrame) -> pd.DataFrame:
    """Municipalities' change since their previous measurement for the report."""
    return pd.DataFrame(
        {
            "Kommun": table["kommun"] + table["osäker"].map({True: " (osäkert, få svar)", False: ""}),
            "NKI": table["värde"],
            "Mätår": table["föregående_mätår"],
            "Föregående": table["föregående"],
            "Förändring": table["förändring"],
            "95 %-intervall för förändringen": [
                _interval(lo, hi, signed=True) for lo, hi in zip(table["ki_nedre"], table["ki_övre"])
            ],
            "Bedömning": table["bedömning"],
        }
    ).rename(columns={"Mätår": "Föregående mätår"})


def trend_display(table: pd.DataFrame, target_year: int, settings: dict | None = None) -> pd.DataFrame:
    """Trend and forecast per municipality and county for the report; the chance in words."""
    settings = settings or {"nki": {}}
    return pd.DataFrame(
        {
            "Kommun": table["kommun"],
            "Mätår med resultat": table["antal_år"].map(lambda v: fmt_number(v, 0)),
            "Senaste": table["senaste"],
            "Per år": table["lutning"],
            "Prognos": table["prognos"],
            f"Prognosintervall {target_year}": [
                _interval(lo, hi) for lo, hi in zip(table["prognos_ki_nedre"], table["prognos_ki_övre"])
            ],
            "Att nå målet": [
                chance_text(p, int(n), settings) for p, n in zip(table["sannolikhet_mål"], table["antal_år"])
            ],
            "Kommentar": table["skäl"].fillna(""),
        }
    ).rename(columns={"Prognos": f"Prognos {target_year}"})


def factors_display(factors: pd.DataFrame) -> pd.DataFrame:
    """Service factors for the report, weakest first."""
    ordered = factors.sort_values("betyg")
    return pd.DataFrame(
        {
            "Faktor": ordered["faktor"],
            "Betyg": ordered["betyg"],
            "Samband med NKI": ordered["samband"],
            "95 %-intervall för sambandet": [
                f"{fmt_number(lo, 2)}–{fmt_number(hi, 2)}" if pd.notna(lo) else "–"
                for lo, hi in zip(ordered["samband_ki_nedre"], ordered["samband_ki_övre"])
            ],
            "Prioritetsmatris": ordered["kvadrant"],
        }
    )


def bands_display(band_list: list[tuple[str, float]], s1_target: float, s2_target: float) -> pd.DataFrame:
    """SKR's bands beside the plan's targets."""
    rows = []
    for name, low in band_list:
        plan = []
        if grade(s1_target, band_list) == name:
            plan.append(f"planens mål för länets genomsnitt ({fmt_number(s1_target, 0)})")
        if grade(s2_target, band_list) == name:
            plan.append(f"planens ”godkänt” för varje område ({fmt_number(s2_target, 0)})")
        rows.append({"SKR:s betyg": name, "Från": low, "Planens gränser i bandet": _list(plan) or "–"})
    return pd.DataFrame(rows)


def scope_display(scopes: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Mätår": scopes["mätår"],
            "Områden i SKR:s total": scopes["områden_i_totalen"],
            "Redovisas separat": scopes["redovisas_separat"],
        }
    )


def county_alt_text(table: pd.DataFrame, target: float) -> str:
    """Alt text for the county-per-year figure."""
    if table.empty:
        return "Diagram utan data."
    first, last = table.iloc[0], table.iloc[-1]
    return (
        f"Linjediagram över länets genomsnittliga NKI per mätår {int(first['mätår'])}–{int(last['mätår'])}, "
        f"från {fmt_number(first['medel'], 1)} till {fmt_number(last['medel'], 1)}, med 95 %-intervall, "
        f"det svarsviktade medelvärdet som streckad linje, varje kommun som tunn grå linje och målet "
        f"{fmt_number(target, 0)} som streckad vågrät linje."
    )


def forecast_alt_text(trend_rows: pd.DataFrame, target: float, target_year: int) -> str:
    """Alt text for the forecast figure."""
    county = trend_rows[trend_rows["kommun"] == "Länet"].iloc[0]
    if pd.isna(county["prognos"]):
        return f"Punktdiagram över länets jämförbara NKI-serie; trenden kan inte beräknas ({county['skäl']})."
    return (
        f"Punktdiagram över länets jämförbara NKI-serie med en rak trendlinje förlängd till {target_year}, "
        f"där den når {fmt_number(county['prognos'], 1)} (prognosintervall "
        f"{fmt_number(county['prognos_ki_nedre'], 1)}–{fmt_number(county['prognos_ki_övre'], 1)}). "
        f"Målet {fmt_number(target, 0)} är en streckad linje."
    )


def priority_alt_text(factors: pd.DataFrame) -> str:
    """Alt text for the priority matrix."""
    parts = [
        f"{r['faktor']} betyg {fmt_number(r['betyg'], 1)}, samband {fmt_number(r['samband'], 2)}"
        for _, r in factors.dropna(subset=["betyg", "samband"]).iterrows()
    ]
    return "Prioritetsmatris med sex servicefaktorer: " + "; ".join(parts) + "."


def national_alt_text(table: pd.DataFrame, national: dict) -> str:
    """Alt text for the national comparison."""
    return (
        f"Punktdiagram med medlemskommunernas NKI mätår {national['mätår']} mot rikets median "
        f"{fmt_number(national['median'], 1)} och mittersta hälften av rikets kommuner "
        f"({fmt_number(national['q1'], 1)}–{fmt_number(national['q3'], 1)}); länets genomsnitt "
        f"{fmt_number(national['länsmedel'], 1)}."
    )


def method_notes(settings: dict, has_intervals: bool) -> list[str]:
    """Caveats the reader must know, from the configuration."""
    s = settings["nki"]
    notes = [
        f"SKR visar ett resultat först vid minst {s['minsta_antal_svar']} svar ({s['minsta_antal_svar_område']} "
        f"per område i Öppna jämförelser, {s['minsta_antal_svar_rankning']} för totalrankningen). Resultat med "
        "färre svar visas här som osäkra och rangordnas aldrig.",
        f"Länets genomsnitt är kommunernas oviktade medelvärde, som nyckelresultatet är skrivet. Det bedöms bara "
        f"när minst {s['minsta_antal_kommuner']} kommuner har mätts samma år.",
        "Ett år utan mätning är ett glapp i serien, aldrig en nolla.",
        f"Trender kräver minst {s.get('minsta_antal_mätår_trend', 3)} mätår och bygger på en rak linje "
        "(minsta kvadratmetoden) med prognosintervall från t-fördelningen.",
    ]
    if not has_intervals:
        notes.append(
            "Konfidensintervall saknas i underlaget (till exempel data från Kolada, som bara har värden); "
            "därför kan förändringars signifikans inte bedömas."
        )
    return notes
