"""The numbers: computations on the loaded tables, returning DataFrames."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from bro_analysis.analysis import forecast, okr
from bro_analysis.presentation.formatting import fmt_level, fmt_number

TOTAL = "totalt"


FACTORS = ("information", "tillgänglighet", "bemötande", "kompetens", "rättssäkerhet", "effektivitet")


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
    if year >= int(nki["ny_total_från_mätår"]):
        return tuple(a for a in nki["obligatoriska_områden"] if a in measured)
    return measured


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


def county_status(
    row: pd.Series | None, target: float, members: int, min_municipalities: int, level: float = 0.95
) -> tuple[str, str]:
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
            f"; {fmt_level(level)}-intervallet {fmt_number(row['ki_nedre'], 1)}–{fmt_number(row['ki_övre'], 1)} "
            "omfattar målet, så marginalen är osäker"
        )
    return verdict, reason


def county_years(nki: pd.DataFrame, settings: dict, target: float, members: int) -> pd.DataFrame:
    """County summary per mätår with status against the target and SKR band."""
    summary = county_summary(nki, settings)
    minimum = int(settings["nki"]["minsta_antal_kommuner"])
    statuses = [county_status(r, target, members, minimum, confidence(settings)) for _, r in summary.iterrows()]
    summary["status"] = [s for s, _ in statuses]
    summary["skäl"] = [r for _, r in statuses]
    summary["betyg"] = summary["medel"].map(lambda v: grade(v, bands(settings)))
    return summary


# The columns of area_results: one row per myndighetsområde in one mätår.
AREA_COLUMNS = (
    "område",
    "mätår",
    "medel",
    "antal_kommuner",
    "antal_svar",
    "ki_nedre",
    "ki_övre",
    "se",
    "status",
    "skäl",
    "osäker_marginal",
    "betyg",
)


def pooled(rows: pd.DataFrame) -> dict:
    """The pooled result of several municipalities' results in one area: every respondent
    counted once (SKR's method for a group result), i.e. the mean weighted by responses,
    with SE sqrt(sum((n_i/N)^2 se_i^2)). NaN where a response count (or, for the SE, an
    interval) is missing. Results under SKR's publication minimum count too: that rule
    is for publishing one municipality's result, not for discarding its respondents."""
    n = rows["antal_svar"].astype("Float64") if "antal_svar" in rows else pd.Series(pd.NA, index=rows.index)
    known = bool(n.notna().all()) and len(rows) > 0 and float(n.sum()) > 0
    if not known:
        return {"medel": np.nan, "antal_svar": np.nan, "se": np.nan}
    weights = (n / n.sum()).astype(float)
    se = float(np.sqrt(((weights * rows["se"]) ** 2).sum())) if rows["se"].notna().all() else np.nan
    return {"medel": float((weights * rows["värde"]).sum()), "antal_svar": float(n.sum()), "se": se}


def area_results(nki: pd.DataFrame, year: int, settings: dict, threshold: float, members: int) -> pd.DataFrame:
    """Each myndighetsområde's regional result in one mätår (pooled over the member
    municipalities measured, see `pooled`) with its interval, against the threshold.
    'kan inte bedömas' when response counts are missing, when fewer responses than
    SKR's area minimum, or fewer municipalities than minsta_antal_kommuner, were measured."""
    level = confidence(settings)
    minimum_k = int(settings["nki"]["minsta_antal_kommuner"])
    minimum_n = min_responses(settings, "område")
    rows = annotate(nki[(nki["mätår"] == year) & (nki["mått"] == "NKI") & (nki["område"] != TOTAL)], settings)
    rows = rows.dropna(subset=["värde"])
    records = []
    for area, group in rows.groupby("område", sort=True):
        result = pooled(group)
        half = z_value(level) * result["se"]
        record = {
            "område": area,
            "mätår": int(year),
            **result,
            "antal_kommuner": len(group),
            "ki_nedre": result["medel"] - half,
            "ki_övre": result["medel"] + half,
        }
        record["status"], record["skäl"] = area_status(record, threshold, members, minimum_k, minimum_n)
        covers = bool(record["ki_nedre"] <= threshold <= record["ki_övre"])  # False when NaN
        record["osäker_marginal"] = covers and record["status"] != okr.UNKNOWN
        record["betyg"] = grade(record["medel"], bands(settings))
        records.append(record)
    out = pd.DataFrame(records, columns=list(AREA_COLUMNS))
    return out.astype({"mätår": int, "antal_kommuner": int}) if len(out) else out


def area_status(record: dict, threshold: float, members: int, minimum_k: int, minimum_n: int) -> tuple[str, str]:
    """One area's regional result against the threshold, and why."""
    k, n = record["antal_kommuner"], record["antal_svar"]
    if pd.isna(record["medel"]):
        return okr.UNKNOWN, "antal svar saknas för någon kommun, så regionens resultat kan inte räknas"
    if k < minimum_k:
        return okr.UNKNOWN, f"mätt i bara {k} av {members} kommuner (minst {minimum_k} krävs)"
    if n < minimum_n:
        return okr.UNKNOWN, f"bara {fmt_number(n, 0)} svar (minst {minimum_n} krävs)"
    verdict = okr.MET if record["medel"] >= threshold else okr.NOT_MET
    return verdict, (
        f"{fmt_number(record['medel'], 1)} mot gränsen {fmt_number(threshold, 0)} "
        f"({fmt_number(n, 0)} svar i {k} kommuner)"
    )


def areas_status(areas: pd.DataFrame, threshold: float) -> tuple[str, str, bool]:
    """S2 read for the region: every area's regional result at least the threshold.
    Returns status, reason and whether an interval leaves the verdict uncertain (a
    failing area, or the lowest passing one, whose interval covers the threshold).
    An area that cannot be judged cannot make the result 'uppnått'."""
    if areas.empty:
        return okr.UNKNOWN, "inga områdesresultat", False
    failing = areas[areas["status"] == okr.NOT_MET].sort_values("medel")
    unknown = areas[areas["status"] == okr.UNKNOWN]
    if len(failing):
        names = ", ".join(f"{a} {fmt_number(v, 1)}" for a, v in zip(failing["område"], failing["medel"]))
        return (
            okr.NOT_MET,
            f"regionens resultat under {fmt_number(threshold, 0)}: {names}",
            bool(failing["osäker_marginal"].all()),
        )
    if len(unknown):
        names = "; ".join(f"{a}: {r}" for a, r in zip(unknown["område"], unknown["skäl"]))
        return okr.UNKNOWN, f"kan inte bedömas i {names}", False
    low = areas.loc[areas["medel"].idxmin()]
    return (
        okr.MET,
        f"regionens resultat minst {fmt_number(threshold, 0)} i alla {len(areas)} områden; lägst "
        f"{low['område']} {fmt_number(low['medel'], 1)}",
        bool(areas["osäker_marginal"].any()),
    )


def reliable_results_below(nki: pd.DataFrame, year: int, settings: dict, threshold: float) -> pd.DataFrame:
    """The municipality × area results of a mätår that SKR would publish (enough
    responses) and that lie under the threshold, lowest first."""
    rows = annotate(nki[(nki["mätår"] == year) & (nki["mått"] == "NKI") & (nki["område"] != TOTAL)], settings)
    below = rows[~rows["osäker"] & rows["antal_svar"].notna() & (rows["värde"] < threshold)]
    return below.sort_values(["värde", "kommun", "område"])[["kommun", "område", "värde", "antal_svar"]]


def cells_status(nki: pd.DataFrame, year: int, settings: dict, threshold: float) -> tuple[str, str, float | None]:
    """S2 read for every municipality: each published municipality × area result at
    least the threshold. Returns status, reason and the lowest published result.
    A result SKR would not publish cannot be judged, so it can only keep 'uppnått' away."""
    rows = annotate(nki[(nki["mätår"] == year) & (nki["mått"] == "NKI") & (nki["område"] != TOTAL)], settings)
    rows = rows.dropna(subset=["värde"])
    firm = rows[~rows["osäker"] & rows["antal_svar"].notna()]
    lowest = float(firm["värde"].min()) if len(firm) else None
    below = reliable_results_below(nki, year, settings, threshold)
    if len(below):
        return okr.NOT_MET, f"{len(below)} kommunresultat under {fmt_number(threshold, 0)}", lowest
    thin = len(rows) - len(firm)
    if thin or firm.empty:
        return okr.UNKNOWN, f"{thin} kommunresultat har för få svar för att publiceras", lowest
    return okr.MET, f"alla {len(firm)} kommunresultat minst {fmt_number(threshold, 0)}", lowest


def area_cells(nki: pd.DataFrame, year: int, settings: dict) -> pd.DataFrame:
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
    new_total = int(settings["nki"]["ny_total_från_mätår"])
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


def scope_by_year(nki: pd.DataFrame, settings: dict) -> pd.DataFrame:
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


def comparable_total(nki: pd.DataFrame, settings: dict) -> pd.DataFrame:
    """A total on the same footing every year: SKR's total from the new definition's
    first mätår; before it the respondent-weighted mean of the mandatory areas
    (unweighted where counts are unknown), only where all of them were measured."""
    first_new = int(settings["nki"]["ny_total_från_mätår"])
    mandatory = list(settings["nki"]["obligatoriska_områden"])
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


def trend_forecast(county: pd.DataFrame, settings: dict, year: int, target: float) -> forecast.Forecast | None:
    """The county's value in `year` from the straight line through all its mätår ('mätår',
    'medel'): prediction, interval and chance of at least the target, disputed when fitting
    only the latest mätår changes the calibrated word. None with too few mätår."""
    sensitivity = window_sensitivity(county, settings, year, target)
    if sensitivity.empty or sensitivity.iloc[0]["fönster"] != "alla mätår":
        return None
    first = sensitivity.iloc[0]
    return forecast.Forecast(
        year,
        float(first["prognos"]),
        float(first["prognos_ki_nedre"]),
        float(first["prognos_ki_övre"]),
        float(first["sannolikhet_mål"]),
        disputed=not windows_agree(sensitivity, forecast.rules(settings)),
    )


def windows_agree(sensitivity: pd.DataFrame, rule: forecast.Rules) -> bool:
    """Whether every fitting window (window_sensitivity) gives the same calibrated word."""
    words = {forecast.chance_word(p, rule) for p in sensitivity["sannolikhet_mål"]}
    return len(words) <= 1


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


def trend_series(nki: pd.DataFrame, settings: dict) -> tuple[pd.DataFrame, bool]:
    """The municipal series the trend is fitted to, and whether it is the comparable
    total (comparable_total): that one where it gives the county enough mätår for a
    trend; otherwise, when they give more (area results missing, as in data from
    Kolada), SKR's published totals (False). text.trend_series_note says which."""
    nki_set = settings["nki"]
    minimum = int(nki_set["minsta_antal_kommuner"])
    min_years = max(int(nki_set.get("minsta_antal_mätår_trend", 3)), 3)
    comparable = comparable_total(nki, settings)
    published = select(nki).dropna(subset=["värde"])[["mätår", "kommun", "värde"]].reset_index(drop=True)
    enough = len(county_series(comparable, minimum))
    if enough >= min_years or enough >= len(county_series(published, minimum)):
        return comparable, True
    return published, False


def wide(series: pd.DataFrame) -> pd.DataFrame:
    """A long municipal series (mätår, kommun, värde) as mätår × municipality."""
    return series.pivot(index="mätår", columns="kommun", values="värde").sort_index()


def trend_county(nki: pd.DataFrame, settings: dict, upto: int) -> pd.DataFrame:
    """The county series the NKI section's trend is fitted to, over the mätår up to `upto`:
    trend_series, then county_series."""
    series, _ = trend_series(nki[nki["mätår"] <= upto], settings)
    return county_series(series, int(settings["nki"]["minsta_antal_kommuner"]))


def area_series(nki: pd.DataFrame, settings: dict, upto: int, threshold: float, members: int) -> pd.DataFrame:
    """Per myndighetsområde measured in the mätår `upto`: the region's pooled result
    (area_results) in every mätår up to it where the area could be judged. Columns område,
    mätår, medel."""
    years = sorted(int(y) for y in nki.loc[nki["mätår"] <= upto, "mätår"].dropna().unique())
    results = [r for r in (area_results(nki, year, settings, threshold, members) for year in years) if len(r)]
    if not results:
        return pd.DataFrame(columns=["område", "mätår", "medel"])
    frame = pd.concat(results, ignore_index=True)
    areas = set(frame.loc[frame["mätår"] == upto, "område"])
    judged = frame[frame["område"].isin(areas) & (frame["status"] != okr.UNKNOWN)]
    return judged[["område", "mätår", "medel"]].sort_values(["område", "mätår"]).reset_index(drop=True)


def area_trends(series: pd.DataFrame, settings: dict, target_year: int, threshold: float) -> pd.DataFrame:
    """Per myndighetsområde (area_series): linear_trend to target_year and its chance of at
    least the threshold; NaN with a reason (`skäl`) where the area has too few mätår."""
    level, min_years = confidence(settings), int(settings["nki"].get("minsta_antal_mätår_trend", 3))
    rows = [
        {
            "område": area,
            "första_mätår": int(group["mätår"].min()),
            "senaste_mätår": int(group["mätår"].max()),
            **linear_trend(group["mätår"], group["medel"], target_year, threshold, level, min_years),
        }
        for area, group in series.groupby("område", sort=True)
    ]
    return pd.DataFrame(rows).drop(columns=["intercept"], errors="ignore")


def lowest_area_forecast(trends_by_area: pd.DataFrame) -> dict:
    """Every area at least the threshold, from area_trends: the lowest predicted area (its
    value and interval) and the chance that all reach it, the product of the areas' chances
    (as if the areas were independent)."""
    lowest = trends_by_area.loc[trends_by_area["prognos"].idxmin()]
    return {
        "område": lowest["område"],
        "prognos": float(lowest["prognos"]),
        "prognos_ki_nedre": float(lowest["prognos_ki_nedre"]),
        "prognos_ki_övre": float(lowest["prognos_ki_övre"]),
        "sannolikhet_mål": float(np.prod(trends_by_area["sannolikhet_mål"].to_numpy(dtype=float))),
    }


def area_window_sensitivity(
    series: pd.DataFrame, settings: dict, target_year: int, threshold: float, windows: tuple[int, ...] = (4, 3)
) -> pd.DataFrame:
    """lowest_area_forecast from every area's mätår (area_series) and from only each area's
    last 4 and 3, as window_sensitivity does for the county. A window no area is longer
    than, or in which an area has too few mätår, is left out."""
    longest = int(series.groupby("område").size().max()) if len(series) else 0
    rows = []
    for window in (None, *windows):
        if window is not None and window >= longest:
            continue  # the same fit as all years
        part = series if window is None else series.groupby("område").tail(window)
        by_area = area_trends(part, settings, target_year, threshold)
        if by_area.empty or by_area["prognos"].isna().any():
            continue
        rows.append(
            {"fönster": "alla mätår" if window is None else f"senaste {window}", **lowest_area_forecast(by_area)}
        )
    return pd.DataFrame(rows)
