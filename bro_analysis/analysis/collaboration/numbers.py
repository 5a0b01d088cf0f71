"""The numbers: computations on the loaded tables, returning DataFrames."""

from __future__ import annotations

import pandas as pd

from bro_analysis.core.config import Plan
from bro_analysis.core.periods import Period

TOOLS = {"insikt": "Insikt", "syna": "Syna", "objektvision": "Objektvision"}


def activities_in(activities: pd.DataFrame, kind: str, period: Period) -> pd.DataFrame:
    """Activities of one type dated within the period."""
    return activities[(activities["typ"] == kind) & period.contains(activities["datum"])]


def collaboration_projects(activities: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Collaboration projects in the period, with how many municipalities take part
    and whether they count (two or more municipalities)."""
    rows = activities_in(activities, "samverkansprojekt", period)
    out = rows[["datum", "titel", "kommuner"]].copy()
    out["antal_kommuner"] = out["kommuner"].map(len)
    out["räknas"] = out["antal_kommuner"] >= 2
    return out.reset_index(drop=True)


def municipalities_of_year(municipalities: pd.DataFrame, year: int) -> pd.DataFrame:
    """The municipalities table for one year."""
    return municipalities[municipalities["år"] == year]


def tool_use(municipalities: pd.DataFrame, year: int, plan: Plan) -> pd.DataFrame:
    """Per member: which of the jointly procured tools it uses and which it lacks.
    A member missing from the table for the year is listed with unknown use."""
    rows = municipalities_of_year(municipalities, year).set_index("kommunkod")
    records = []
    for code, name in plan.members.items():
        if code in rows.index:
            uses = {
                label: bool(rows.at[code, col]) if pd.notna(rows.at[code, col]) else False
                for col, label in TOOLS.items()
            }
            missing = [label for label, used in uses.items() if not used]
            records.append({"kommun": name, **uses, "alla_verktyg": not missing, "saknar": ", ".join(missing)})
        else:
            records.append(
                {
                    "kommun": name,
                    **{label: None for label in TOOLS.values()},
                    "alla_verktyg": None,
                    "saknar": "uppgift saknas",
                }
            )
    return pd.DataFrame(records)


def contributions(municipalities: pd.DataFrame, year: int, plan: Plan) -> pd.DataFrame:
    """Each member's operating contribution for the year: population × kr per inhabitant."""
    rows = municipalities_of_year(municipalities, year)[["kommun", "folkmängd"]].copy()
    rows["folkmängd"] = rows["folkmängd"].astype(float)
    rows["bidrag_kr"] = rows["folkmängd"] * plan.contribution_per_inhabitant
    return rows.sort_values("kommun").reset_index(drop=True)
