"""The numbers: the context table (kontext) for the members, the county and the country,
per RUS 2030 goal, with the direction over time.

The KPIs, their goal, name, unit and verified source are `[kolada.kontext.<id>]` in
data/settings.toml; a row of the table for a KPI or a code not asked for is left out.
A year without a value is a gap, never 0.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from bro_analysis.core.settings_schema import RUS_GOALS

COUNTRY = "0000"
DEFAULT_COUNTY = "0018"
COUNTY_NAME = "Örebro län"
COUNTRY_NAME = "Riket"
# Without values after the plan began, the direction is shown over this many years.
LOOK_BACK_YEARS = 5

INDICATOR_COLUMNS = ["nyckeltal", "mål", "namn", "enhet", "decimaler", "källa"]


def indicators(settings: dict) -> pd.DataFrame:
    """The context KPIs of the settings, in the order of the goals (RUS_GOALS) and then of
    the file: nyckeltal, mål, namn, enhet, decimaler, källa."""
    raw = settings.get("kolada", {}).get("kontext", {})
    rows = [
        {
            "nyckeltal": kpi,
            "mål": entry["mål"],
            "namn": entry["namn"],
            "enhet": entry.get("enhet", ""),
            "decimaler": int(entry.get("decimaler", 1)),
            "källa": entry["källa"],
        }
        for kpi, entry in raw.items()
    ]
    frame = pd.DataFrame(rows, columns=INDICATOR_COLUMNS)
    order = {goal: i for i, goal in enumerate(RUS_GOALS)}
    frame["_order"] = frame["mål"].map(order)
    return frame.sort_values("_order", kind="stable").drop(columns="_order").reset_index(drop=True)


def goals_without_indicator(settings: dict) -> list[str]:
    """The goals (in RUS_GOALS' order) that no context KPI in the settings illuminates."""
    covered = set(indicators(settings)["mål"])
    return [goal for goal in RUS_GOALS if goal not in covered]


def county_code(settings: dict) -> str:
    return str(settings.get("kolada", {}).get("län", DEFAULT_COUNTY))


def series(kontext: pd.DataFrame, settings: dict, members: dict[str, str]) -> pd.DataFrame:
    """The context values for the settings' KPIs and the members, the county and the
    country: nyckeltal, år, kommunkod, namn, nivå ('kommun', 'län', 'riket'), värde.
    Rows for other KPIs or codes, and rows without a value, are left out."""
    county = county_code(settings)
    names = {**members, county: COUNTY_NAME, COUNTRY: COUNTRY_NAME}
    levels = {**{code: "kommun" for code in members}, county: "län", COUNTRY: "riket"}
    kpis = set(indicators(settings)["nyckeltal"])
    rows = kontext[kontext["nyckeltal"].isin(kpis) & kontext["kommunkod"].isin(names) & kontext["värde"].notna()]
    out = rows[["nyckeltal", "år", "kommunkod", "värde"]].copy()
    out["år"] = out["år"].astype(int)
    out["värde"] = out["värde"].astype(float)
    out.insert(3, "namn", out["kommunkod"].map(names))
    out.insert(4, "nivå", out["kommunkod"].map(levels))
    return out.sort_values(["nyckeltal", "år", "nivå", "kommunkod"]).reset_index(drop=True)


def comparison_year(years: list[int], latest: int, plan_start: int) -> int | None:
    """The year the latest value is compared with: the last year before the plan began when
    the latest year is in the plan, otherwise the earliest year of the last LOOK_BACK_YEARS
    (None when there is no earlier year)."""
    earlier = sorted(y for y in years if y < latest)
    if not earlier:
        return None
    if latest >= plan_start:
        before = [y for y in earlier if y < plan_start]
        return before[-1] if before else earlier[0]
    window = [y for y in earlier if y >= latest - LOOK_BACK_YEARS]
    return window[0] if window else earlier[-1]


def direction(change: float | None, decimals: int) -> str | None:
    """'ökat', 'minskat' or 'oförändrat' (a change that rounds to zero at the KPI's decimals)."""
    if change is None or pd.isna(change):
        return None
    if round(abs(change), decimals) == 0:
        return "oförändrat"
    return "ökat" if change > 0 else "minskat"


SUMMARY_COLUMNS = [
    "nyckeltal",
    "mål",
    "namn",
    "enhet",
    "decimaler",
    "år",
    "län",
    "riket",
    "kommun_lägst",
    "kommun_högst",
    "lägst_namn",
    "högst_namn",
    "antal_kommuner",
    "jämförelseår",
    "län_jämförelse",
    "förändring",
    "riktning",
]


def summary(values: pd.DataFrame, indicator_table: pd.DataFrame, year: int, plan_start: int) -> pd.DataFrame:
    """Per KPI (in the order of `indicator_table`): the latest year up to `year` with a value
    for the county (or, lacking one, for anyone), the county's, the country's and the
    members' lowest and highest value that year, and the county's change since the
    comparison year (see comparison_year) with its direction. A KPI without values up to
    `year` has a row of gaps."""
    rows = []
    for ind in indicator_table.itertuples():
        own = values[(values["nyckeltal"] == ind.nyckeltal) & (values["år"] <= year)]
        county = own[own["nivå"] == "län"].set_index("år")["värde"]
        row: dict[str, Any] = {c: None for c in SUMMARY_COLUMNS}
        row.update(nyckeltal=ind.nyckeltal, mål=ind.mål, namn=ind.namn, enhet=ind.enhet, decimaler=ind.decimaler)
        row["antal_kommuner"] = 0
        years = sorted(county.index) or sorted(own["år"].unique())
        if years:
            latest = int(years[-1])
            now = own[own["år"] == latest]
            munis = now[now["nivå"] == "kommun"].sort_values(["värde", "namn"])
            country = now.loc[now["nivå"] == "riket", "värde"]
            row.update(år=latest, antal_kommuner=len(munis))
            row["län"] = float(county[latest]) if latest in county.index else None
            row["riket"] = float(country.iloc[0]) if len(country) else None
            if len(munis):
                row.update(
                    kommun_lägst=float(munis["värde"].iloc[0]),
                    lägst_namn=munis["namn"].iloc[0],
                    kommun_högst=float(munis["värde"].iloc[-1]),
                    högst_namn=munis["namn"].iloc[-1],
                )
            ref = comparison_year([int(y) for y in county.index], latest, plan_start) if len(county) else None
            if ref is not None and row["län"] is not None:
                row.update(jämförelseår=ref, län_jämförelse=float(county[ref]))
                row["förändring"] = row["län"] - row["län_jämförelse"]
                row["riktning"] = direction(row["förändring"], ind.decimaler)
        rows.append(row)
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def wide(values: pd.DataFrame, kpi: str, level: str) -> pd.DataFrame:
    """One KPI's values of one level as years × names (a municipality per column)."""
    own = values[(values["nyckeltal"] == kpi) & (values["nivå"] == level)]
    return own.pivot_table(index="år", columns="namn", values="värde", aggfunc="first").sort_index()


def level_series(values: pd.DataFrame, kpi: str, level: str) -> pd.Series:
    """One KPI's values for the county ('län') or the country ('riket') by year."""
    own = values[(values["nyckeltal"] == kpi) & (values["nivå"] == level)]
    return own.groupby("år")["värde"].first().sort_index()
