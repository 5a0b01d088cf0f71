"""Samverkan och näringslivsservice: collaboration projects, shared tools,
workshops (key results S3–S5) and the operating contribution per municipality."""
from __future__ import annotations

import pandas as pd

from . import okr
from .config import Plan
from .formatting import fmt_int
from .periods import Period

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
            uses = {label: bool(rows.at[code, col]) if pd.notna(rows.at[code, col]) else False
                    for col, label in TOOLS.items()}
            missing = [label for label, used in uses.items() if not used]
            records.append({"kommun": name, **uses, "alla_verktyg": not missing,
                            "saknar": ", ".join(missing)})
        else:
            records.append({"kommun": name, **{label: None for label in TOOLS.values()},
                            "alla_verktyg": None, "saknar": "uppgift saknas"})
    return pd.DataFrame(records)


def contributions(municipalities: pd.DataFrame, year: int, plan: Plan) -> pd.DataFrame:
    """Each member's operating contribution for the year: population × kr per inhabitant."""
    rows = municipalities_of_year(municipalities, year)[["kommun", "folkmängd"]].copy()
    rows["folkmängd"] = rows["folkmängd"].astype(float)
    rows["bidrag_kr"] = rows["folkmängd"] * plan.contribution_per_inhabitant
    return rows.sort_values("kommun").reset_index(drop=True)


def outcomes(ctx) -> list[okr.Outcome]:
    """Key results S3 (collaboration projects), S4 (shared tools) and S5 (workshops)."""
    period, plan, ds = ctx.period, ctx.plan, ctx.dataset
    fraction = period.end_month / 12
    result = []

    kr = plan.key_result("S3")
    now = int(collaboration_projects(ds["aktiviteter"], period)["räknas"].sum())
    before = int(collaboration_projects(ds["aktiviteter"], period.previous)["räknas"].sum())
    status, reason = okr.judge(kr, now, before, fraction_of_year=fraction)
    result.append(okr.Outcome("S3", now, before, status, reason, fmt_int(now), fmt_int(before)))

    kr = plan.key_result("S4")
    result.append(_all_members_outcome(kr, tool_use(ds["kommuner"], period.year, plan),
                                       tool_use(ds["kommuner"], period.year - 1, plan), "alla_verktyg",
                                       lambda r: f"{r['kommun']} ({r['saknar']})"))

    kr = plan.key_result("S5")
    now = len(activities_in(ds["aktiviteter"], "workshop", period))
    before = len(activities_in(ds["aktiviteter"], "workshop", period.previous))
    status, reason = okr.judge(kr, now, before, fraction_of_year=fraction)
    result.append(okr.Outcome("S5", now, before, status, reason, fmt_int(now), fmt_int(before)))
    return result


def _all_members_outcome(kr, table: pd.DataFrame, previous: pd.DataFrame, column: str,
                         describe) -> okr.Outcome:
    members = len(table)
    if table[column].isna().all():
        return okr.Outcome(kr.id, None, None, okr.UNKNOWN, "uppgift saknas för året")
    now = int(table[column].fillna(False).sum())
    before = int(previous[column].fillna(False).sum()) if previous[column].notna().any() else None
    status, reason = okr.judge(kr, now, before, members=members)
    short = table[table[column] != True]  # noqa: E712 - None (unknown) also falls short
    if len(short):
        reason += "; saknas: " + "; ".join(describe(r) for _, r in short.iterrows())
    return okr.Outcome(kr.id, now, before, status, reason, f"{now} av {members}",
                       f"{before} av {members}" if before is not None else "–")
