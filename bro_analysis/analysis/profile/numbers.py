"""One member municipality's figures, taken from the area analyses (never computed
anew), so that a kommunblad always agrees with the county report."""

from __future__ import annotations

from types import ModuleType

import pandas as pd

from bro_analysis.analysis import okr, registry
from bro_analysis.analysis.collaboration.numbers import contributions, tool_use
from bro_analysis.analysis.investments.numbers import (
    by_municipality,
    cohort,
    member_realised,
    readiness,
)
from bro_analysis.analysis.marketing.numbers import SUPPORT_TYPE, supported_municipalities
from bro_analysis.analysis.member_parts import activity_gap
from bro_analysis.analysis.nki.numbers import (
    FACTORS,
    TOTAL,
    area_cells,
    area_results,
    changes,
    county_years,
    measurement_year,
    municipal_series,
    national_position,
)
from bro_analysis.core.config import REPORT_NAME
from bro_analysis.core.periods import Period
from bro_analysis.input.contracts import DECIDED_STAGES, INVESTMENT_STAGES

JOINT_TYPES = {"samverkansprojekt": "Samverkansprojekt", "workshop": "Workshop", "utbildning": "Utbildning"}


def nki_total(ctx, name: str) -> dict | None:
    """The municipality's total NKI for the period's mätår beside the county and Sweden:
    value, interval, responses, publishable, change since its previous measurement,
    county mean and national percentile. None when there is no NKI for the period."""
    nki, settings = ctx.dataset["nki"], ctx.settings
    year = measurement_year(nki, ctx.period.year)
    if year is None:
        return None
    cells = area_cells(nki, year, settings)
    own = cells[(cells["kommun"] == name) & (cells["område"] == TOTAL)]
    if own.empty:
        return {"mätår": year, "värde": None}
    row = own.iloc[0]
    moves = changes(nki, year, settings).set_index("kommun")
    county = county_years(nki, settings, 0.0, len(ctx.plan.members)).set_index("mätår")
    position, national = national_position(ctx.dataset.tables.get("nki_riket"), nki, year, settings, ctx.plan.members)
    percentile = position.set_index("kommun")["percentil"].get(name) if len(position) else None
    move = moves.loc[name] if name in moves.index else None
    return {
        "mätår": year,
        "värde": float(row["värde"]),
        "ki_nedre": row["ki_nedre"],
        "ki_övre": row["ki_övre"],
        "antal_svar": row["antal_svar"],
        "publicerbart": not bool(row["osäker"]),
        "föregående": None if move is None or pd.isna(move["föregående"]) else float(move["föregående"]),
        "föregående_mätår": None
        if move is None or pd.isna(move["föregående_mätår"])
        else int(move["föregående_mätår"]),
        "bedömning": None if move is None else move["bedömning"],
        "länet": float(county.at[year, "medel"]) if year in county.index else None,
        "percentil": None if percentile is None or pd.isna(percentile) else float(percentile),
        "riket_median": national.get("median") if national else None,
    }


def _year(move) -> int | None:
    return None if move is None or pd.isna(move["föregående_mätår"]) else int(move["föregående_mätår"])


def service_areas(ctx, name: str) -> pd.DataFrame:
    """Each myndighetsområde: the municipality's result (publishable or not) and the county's."""
    nki, settings = ctx.dataset["nki"], ctx.settings
    year = measurement_year(nki, ctx.period.year)
    if year is None:
        return pd.DataFrame(columns=["område", "värde", "ki_nedre", "ki_övre", "antal_svar", "osäker", "länet"])
    cells = area_cells(nki, year, settings)
    own = cells[(cells["kommun"] == name) & (cells["område"] != TOTAL)]
    county = area_results(nki, year, settings, 0.0, len(ctx.plan.members)).set_index("område")["medel"]
    out = own[["område", "värde", "ki_nedre", "ki_övre", "antal_svar", "osäker"]].copy()
    out["länet"] = out["område"].map(county)
    return out.reset_index(drop=True)


def factor_extremes(ctx, name: str) -> pd.DataFrame:
    """The municipality's service factors (total, the period's mätår), strongest first."""
    nki = ctx.dataset["nki"]
    year = measurement_year(nki, ctx.period.year)
    rows = nki[(nki["kommun"] == name) & (nki["mätår"] == year) & (nki["område"] == TOTAL) & nki["mått"].isin(FACTORS)]
    return rows[["mått", "värde"]].dropna().sort_values("värde", ascending=False).reset_index(drop=True)


def investments(ctx, code: str, period: Period | None = None) -> pd.Series:
    """Realised investments (projects, value, jobs) and open projects, as in by_municipality."""
    period = period or ctx.period
    frame = by_municipality(ctx.dataset["investeringar"], period, ctx.plan.members).set_index("kommunkod")
    return frame.loc[code]


def stages(ctx, code: str) -> pd.Series:
    """Projects first contacted in the period, by their stage today."""
    rows = cohort(ctx.dataset["investeringar"], ctx.period)
    own = rows[rows["kommunkod"] == code]
    return own["skede"].value_counts().reindex(list(INVESTMENT_STAGES), fill_value=0)


def joint_work(ctx, code: str) -> pd.DataFrame:
    """Collaboration projects, workshops and trainings of the period the municipality took part in."""
    acts, period = ctx.dataset["aktiviteter"], ctx.period
    own = acts[acts["typ"].isin(list(JOINT_TYPES)) & period.contains(acts["datum"])]
    own = own.loc[own["kommuner"].map(lambda codes: code in codes).astype(bool)]
    out = own[["datum", "typ", "titel"]].copy()
    out["typ"] = out["typ"].map(JOINT_TYPES)
    return out.sort_values("datum").reset_index(drop=True)


def joint_counts(ctx, code: str, period: Period | None = None) -> dict[str, int]:
    """How many collaboration projects, workshops and trainings the municipality took part in."""
    period = period or ctx.period
    acts = ctx.dataset["aktiviteter"]
    taking_part = acts["kommuner"].map(lambda codes: code in codes).astype(bool) & period.contains(acts["datum"])
    return {label: int(((acts["typ"] == kind) & taking_part).sum()) for kind, label in JOINT_TYPES.items()}


def tools_and_readiness(ctx, name: str, year: int | None = None) -> dict:
    """Which shared tools the municipality uses, and its readiness for establishment inquiries."""
    year = year or ctx.period.year
    tools = tool_use(ctx.dataset["kommuner"], year, ctx.plan).set_index("kommun")
    ready = readiness(ctx.dataset["kommuner"], ctx.plan.members, year).set_index("kommun")
    row = tools.loc[name]
    return {
        "Insikt": row.get("Insikt"),
        "Syna": row.get("Syna"),
        "Objektvision": row.get("Objektvision"),
        "beredskap": ready.at[name, "beredskap"] if name in ready.index else "uppgift saknas",
    }


def support(ctx, name: str, period: Period | None = None) -> int:
    """Marketing-support efforts the municipality received in the period."""
    period = period or ctx.period
    table = supported_municipalities(ctx.dataset["aktiviteter"], period, ctx.plan.members).set_index("kommun")
    return int(table.at[name, "insatser"]) if name in table.index else 0


def contribution(ctx, name: str) -> dict | None:
    """Population and operating contribution (kr per inhabitant × population) for the year."""
    table = contributions(ctx.dataset["kommuner"], ctx.period.year, ctx.plan).set_index("kommun")
    if name not in table.index:
        return None
    return {"folkmängd": float(table.at[name, "folkmängd"]), "bidrag_kr": float(table.at[name, "bidrag_kr"])}


def uncovered(ctx, period: Period | None = None) -> dict[str, str | None]:
    """Per register, why it cannot say anything about the period (None when it can): a
    count there would be a false 0 (okr.uncovered). "aktiviteter" is the joint work the
    sheet counts (JOINT_TYPES), "marknadsföringsstöd" the support it counts."""
    period = period or ctx.period
    investments = okr.Register(ctx.dataset["investeringar"], "första_kontakt", "investeringsregistret")
    return {
        "investeringar": okr.uncovered(investments, period),
        "aktiviteter": activity_gap(ctx, list(JOINT_TYPES), period),
        "marknadsföringsstöd": activity_gap(ctx, [SUPPORT_TYPE], period),
    }


def since_previous(ctx, code: str, name: str) -> pd.DataFrame:
    """The municipality's counts this period and the previous one (same months a year earlier);
    a period a register does not cover is missing (None), never 0."""
    columns = {}
    for key, period in (("nu", ctx.period), ("före", ctx.period.previous)):
        gaps = uncovered(ctx, period)
        inv = None if gaps["investeringar"] else investments(ctx, code, period)
        joint = None if gaps["aktiviteter"] else joint_counts(ctx, code, period)
        columns[key] = [
            None if inv is None else inv["projekt"],
            None if inv is None else inv["värde_msek"],
            None if inv is None else inv["arbetstillfällen"],
            None if joint is None else sum(joint.values()),
            None if gaps["marknadsföringsstöd"] else support(ctx, name, period),
        ]
    labels = [
        "Beslutade investeringsprojekt, alla branscher",
        "Beslutat investeringsvärde, alla branscher, MSEK",
        "Nya arbetstillfällen",
        "Samverkansprojekt, workshops och utbildningar, deltagit",
        "Insatser med marknadsföringsstöd",
    ]
    return pd.DataFrame({"mått": labels, **columns})


def priority_investments(ctx, code: str, period: Period | None = None) -> pd.Series:
    """Realised investments in the plan's prioritised target areas (what counts in I1)."""
    return member_realised(ctx.dataset["investeringar"], period or ctx.period, ctx.plan.priority_areas, code)


def decided_after(ctx, code: str) -> int:
    """Projects first contacted in the period that are at beslut or etablerad today but were
    decided after the period's end (so not among the period's decisions)."""
    rows = cohort(ctx.dataset["investeringar"], ctx.period)
    own = rows[(rows["kommunkod"] == code) & rows["skede"].isin(list(DECIDED_STAGES))]
    return int((own["beslutsdatum"] > ctx.period.end).sum())


def nki_history(ctx, name: str) -> pd.DataFrame:
    """The municipality's total NKI and the county's mean per mätår, up to the period's mätår."""
    nki, settings = ctx.dataset["nki"], ctx.settings
    year = measurement_year(nki, ctx.period.year)
    if year is None:
        return pd.DataFrame(columns=["mätår", "kommunen", "länet"])
    own = municipal_series(nki)
    county = county_years(nki, settings, 0.0, len(ctx.plan.members)).set_index("mätår")["medel"]
    years = [int(y) for y in own.index if int(y) <= year]
    values = own[name] if name in own.columns else pd.Series(dtype=float)
    out = pd.DataFrame(
        {"mätår": years, "kommunen": [values.get(y) for y in years], "länet": [county.get(y) for y in years]}
    )
    return out.astype({"kommunen": float, "länet": float})


def member_abouts() -> dict[str, ModuleType]:
    """The `about` module of the area package that computes each mått (its METRICS), for the
    mått whose part a member has (the package's about.MEMBER_PARTS), in the order found."""
    return {
        metric: area.about
        for area in registry.AREAS
        for metric in area.METRICS
        if metric in getattr(getattr(area, "about", None), "MEMBER_PARTS", {})
    }


def member_metrics() -> tuple[str, ...]:
    """The mått of the key results the kommunblad shows a member's part in."""
    return tuple(member_abouts())


def key_result_parts(ctx, code: str, name: str, results) -> pd.DataFrame:
    """For each key result of the plan whose area package declares a member's part
    (about.MEMBER_PARTS, analysis.member_parts): the key result's status for the county and
    this municipality's part in it, with `roll` one of bidrar, håller tillbaka, deltar,
    deltar inte or kan inte bedömas and the facts the package's sentence needs."""
    by_id = {o.id: o for o in results}
    abouts = member_abouts()
    rows = []
    for kr in ctx.plan.key_results:
        if kr.metric not in abouts or kr.id not in by_id:
            continue
        outcome = by_id[kr.id]
        part = abouts[kr.metric].MEMBER_PARTS[kr.metric](ctx, kr, outcome, code, name)
        rows.append(
            {"id": kr.id, "mått": kr.metric, "kort": kr.short or kr.text, "mål": kr.target, "status": outcome.status}
            | part
        )
    return pd.DataFrame(rows)


def report_href(ctx) -> str:
    """The committee report of the period, relative to a kommunblad in <out>/<period>/kommuner/."""
    return f"../{REPORT_NAME.format(period=ctx.period.key)}"
