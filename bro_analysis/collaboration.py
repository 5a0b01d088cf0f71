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


def outcomes(ctx) -> list[okr.Outcome]:
    """Key results S3 (collaboration projects), S4 (shared tools) and S5 (workshops)."""
    period, plan, ds = ctx.period, ctx.plan, ctx.dataset
    result = []

    members = len(plan.members)
    acts = ds["aktiviteter"]
    register = okr.Register(acts, "datum", "aktivitetsregistret")

    def projects(p) -> int:
        return int(collaboration_projects(acts, p)["räknas"].sum())

    result.append(okr.count_outcome(plan.key_result("S3"), register, projects, period, members))

    kr = plan.key_result("S4")
    result.append(
        _all_members_outcome(
            kr,
            tool_use(ds["kommuner"], period.year, plan),
            tool_use(ds["kommuner"], period.year - 1, plan),
            "alla_verktyg",
            lambda r: f"{r['kommun']} ({r['saknar']})",
            period.end_month / 12,
        )
    )

    def workshops(p) -> int:
        return len(activities_in(acts, "workshop", p))

    result.append(okr.count_outcome(plan.key_result("S5"), register, workshops, period, members))
    return result


def _all_members_outcome(
    kr, table: pd.DataFrame, previous: pd.DataFrame, column: str, describe, fraction_of_year: float = 1.0
) -> okr.Outcome:
    members = len(table)
    if table[column].isna().all():
        return okr.Outcome(kr.id, None, None, okr.UNKNOWN, "uppgift saknas för året")
    now = int(table[column].fillna(False).sum())
    before = int(previous[column].fillna(False).sum()) if previous[column].notna().any() else None
    status, reason = okr.judge(kr, now, before, members=members, fraction_of_year=fraction_of_year)
    short = table[table[column] != True]  # noqa: E712 - None (unknown) also falls short
    if len(short):
        reason += "; saknas: " + "; ".join(describe(r) for _, r in short.iterrows())
    return okr.Outcome(
        kr.id,
        now,
        before,
        status,
        reason,
        f"{now} av {members}",
        f"{before} av {members}" if before is not None else "–",
    )


def _names(codes, plan: Plan) -> str:
    return ", ".join(plan.members.get(c, c) for c in codes)


def projects_table(projects: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """Display table of the period's collaboration projects."""
    return pd.DataFrame(
        {
            "Projekt": projects["titel"],
            "Start": projects["datum"].dt.strftime("%Y-%m-%d"),
            "Kommuner": projects["kommuner"].map(lambda c: _names(c, plan)),
            "Räknas": projects["räknas"].map({True: "ja", False: "nej, färre än två kommuner"}),
        }
    )


def projects_text(projects: pd.DataFrame, plan: Plan) -> str:
    """Swedish summary of the collaboration projects."""
    counted = int(projects["räknas"].sum())
    target = plan.key_result("S3").target
    text = (
        f"Under perioden startade {counted} samverkansprojekt mellan två eller fler kommuner; "
        f"målet är minst {fmt_int(target)} per år."
    )
    single = len(projects) - counted
    if single:
        text += f" {single} projekt med bara en kommun räknas inte."
    return text


def tools_table(tools: pd.DataFrame) -> pd.DataFrame:
    """Display table: one row per municipality, ja/nej per tool."""
    shown = tools[["kommun", *TOOLS.values()]].copy()
    for label in TOOLS.values():
        shown[label] = shown[label].map({True: "ja", False: "nej"}).fillna("uppgift saknas")
    return shown.rename(columns={"kommun": "Kommun"})


def tools_text(tools: pd.DataFrame, year: int) -> str:
    """Swedish summary: how many use all three tools, and who falls short."""
    full = int(tools["alla_verktyg"].fillna(False).astype(bool).sum())
    text = f"{full} av {len(tools)} kommuner använde alla tre gemensamma verktyg {year}."
    short = tools[tools["alla_verktyg"] != True]  # noqa: E712 - unknown also falls short
    if len(short):
        text += " Saknas: " + "; ".join(f"{r.kommun} ({r.saknar})" for r in short.itertuples()) + "."
    return text


def contributions_table(contrib: pd.DataFrame) -> pd.DataFrame:
    """Display table of contributions with a total row."""
    shown = contrib.rename(columns={"kommun": "Kommun", "folkmängd": "Folkmängd", "bidrag_kr": "Bidrag (kr)"})
    total = pd.DataFrame(
        [{"Kommun": "Totalt", "Folkmängd": shown["Folkmängd"].sum(), "Bidrag (kr)": shown["Bidrag (kr)"].sum()}]
    )
    return pd.concat([shown, total], ignore_index=True)


def contributions_text(contrib: pd.DataFrame, plan: Plan, year: int) -> str:
    """Swedish summary of the operating contribution."""
    if contrib.empty:
        return f"Folkmängd saknas för {year}; driftsbidraget kan inte beräknas."
    missing = len(plan.members) - len(contrib)
    text = (
        f"Driftsbidraget {year} är {fmt_int(plan.contribution_per_inhabitant)} kronor per invånare, "
        f"totalt {fmt_int(contrib['bidrag_kr'].sum())} kronor från {len(contrib)} kommuner."
    )
    if missing:
        text += f" Folkmängd saknas för {missing} kommuner."
    return text
