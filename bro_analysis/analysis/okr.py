"""Key-result outcomes and their status against the plan's targets (data/okr.toml).

Each area module computes the outcome of its own key results and returns
`Outcome`s; the overview collects them. `judge` holds the shared rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from bro_analysis.core.config import KeyResult, Plan
from bro_analysis.presentation.formatting import fmt_int, fmt_number, fmt_signed

# The status vocabulary, the same in the HTML, okr.csv and okr.json. A finished year
# is uppnått or ej uppnått; a part year is uppnått, på väg or risk (ej uppnått only
# where the target can no longer be reached); missing or uncovered data is
# "kan inte bedömas", never a 0.
MET = "uppnått"
ON_TRACK = "på väg"
RISK = "risk"
NOT_MET = "ej uppnått"
UNKNOWN = "kan inte bedömas"
STATUSES = (MET, ON_TRACK, RISK, NOT_MET, UNKNOWN)
# A qualifier after the status word, where the status alone would overstate what is known:
# the interval covers the target (the result may be chance), or one project decides a total.
# Shown as "✘ ej uppnått – osäkert"; okr.csv/okr.json keep it apart in "förbehåll".
UNCERTAIN = "osäkert"
ONE_PROJECT = "avgörs av ett projekt"
QUALIFIERS = (UNCERTAIN, ONE_PROJECT)
# Columns of okr.csv / keys of okr.json, in this order.
SUMMARY_FIELDS = (
    "id",
    "område",
    "text",
    "typ",
    "mål",
    "utfall",
    "föregående_utfall",
    "enhet",
    "status",
    "förbehåll",
    "mätår",
    "motivering",
    "period",
    "utgångsläge",
    "exempeldata",
)
# A symbol beside every status word: status is never shown by colour alone.
SYMBOLS = {MET: "✔", ON_TRACK: "➚", RISK: "⚠", NOT_MET: "✘", UNKNOWN: "?"}


def status_class(status: str) -> str:
    """The CSS class of a status: 'status-ej-uppnatt' (bro.css colours it; the word and
    symbol stay in the cell)."""
    ascii_ = status.translate(str.maketrans("åäö", "aao")).replace(" ", "-")
    return f"status-{ascii_}"


def shown_number(kr: KeyResult, value: float | None, target: bool = False) -> float | int | None:
    """A value as the report shows it, for okr.csv/okr.json: shares in per cent where the unit
    is % (and every 'ökning' target, a relative change), one decimal, whole numbers as integers."""
    if value is None:
        return None
    if kr.unit == "%" or (target and kr.kind == "ökning"):
        value = 100 * value
    rounded = round(float(value), 1)
    return int(rounded) if rounded.is_integer() else rounded


def status_label(status: str, qualifier: str = "") -> str:
    """'✔ uppnått', '✘ ej uppnått – osäkert' and so on."""
    return f"{SYMBOLS[status]} {status}" + (f" – {qualifier}" if qualifier else "")


@dataclass
class Outcome:
    """One key result for one period: outcome, previous outcome, status and why."""

    id: str
    value: float | None
    previous: float | None
    status: str
    reason: str
    value_text: str = ""
    previous_text: str = ""
    detail: str = ""  # the one thing the short why should add: who is missing, what dominates
    qualifier: str = ""  # one of QUALIFIERS, or ""
    measurement_year: int | None = None  # the NKI mätår the value comes from (NKI key results only)

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}")
        if self.qualifier and self.qualifier not in QUALIFIERS:
            raise ValueError(f"unknown qualifier {self.qualifier!r}")


def judge(
    kr: KeyResult, value: float | None, previous: float | None = None, members: int = 12, fraction_of_year: float = 1.0
) -> tuple[str, str]:
    """Status and reason by the target type.

    minst: value >= target. alla: value (municipalities meeting it) == members.
    ökning: value/previous - 1 >= target (relative change; `previous` is the same
    months a year earlier). A part year (fraction_of_year < 1) is never judged as a
    full year: a target already reached is uppnått, otherwise a count on pace for
    the year (target × fraction) is "på väg" and one behind it "risk"; "alla" and
    "ökning" that do not hold yet are "risk", since the year can still change them.
    """
    if value is None:
        return UNKNOWN, "uppgift saknas för perioden"
    part_year = fraction_of_year < 1
    if kr.kind == "alla":
        if value >= members:
            return MET, f"alla {members} kommuner"
        if part_year:
            return RISK, f"{fmt_number(value, 0)} av {members} kommuner hittills; året är inte slut"
        return NOT_MET, f"{fmt_number(value, 0)} av {members} kommuner"
    target = kr.target
    assert target is not None, "config.load_plan requires 'mål' for every kind but 'alla'"
    if kr.kind == "minst":
        return _judge_minimum(kr, value, previous, target, fraction_of_year)
    if previous is None or previous == 0:
        return UNKNOWN, "inget jämförbart utfall föregående år"
    change = value / previous - 1
    needed = "en ökning" if target == 0 else f"minst {fmt_number(100 * target, 0)} % ökning"
    against = "samma period föregående år" if part_year else "föregående år"
    text = f"förändring {fmt_signed(100 * change, 1)} % mot {against}; målet är {needed}"
    # 10 % -> 12 % is exactly +20 %; allow for binary floating point
    met = change > 1e-12 if target == 0 else change >= target - 1e-12
    if part_year:
        return (ON_TRACK if met else RISK), text + "; året är inte slut"
    return (MET if met else NOT_MET), text


def _judge_minimum(
    kr: KeyResult, value: float, previous: float | None, target: float, fraction_of_year: float
) -> tuple[str, str]:
    """'minst' for a full year, or for a part year on pace against the target."""
    decimals = 1 if kr.unit == "NKI" else 0
    if value >= target:
        return MET, f"{fmt_number(value, decimals)} mot målet minst {fmt_number(target, 0)}"
    if fraction_of_year >= 1:
        return NOT_MET, f"{fmt_number(value, decimals)} mot målet minst {fmt_number(target, 0)}"
    pace = target * fraction_of_year
    reason = (
        f"{fmt_number(value, decimals)} hittills; takten för målet {fmt_number(target, 0)} på helåret "
        f"är {fmt_number(pace, 1)} vid den här tiden"
    )
    if previous is not None:
        reason += f"; samma period föregående år: {fmt_number(previous, decimals)}"
    return (ON_TRACK if value >= pace - 1e-9 else RISK), reason


@dataclass(frozen=True)
class Register:
    """A table whose dated rows are counted: which date column, and its name in Swedish."""

    frame: pd.DataFrame
    column: str
    name: str  # e.g. "aktivitetsregistret"


def uncovered(register: Register, period) -> str | None:
    """Why the register cannot say anything about `period`, or None when it can: it has
    no dated rows, or it begins after the period's year (a count there would be a false 0)."""
    frame = register.frame
    dates = frame[register.column].dropna() if register.column in frame else frame.iloc[0:0]
    if len(dates) == 0:
        return f"{register.name} har inga rader"
    first = dates.min()
    if first.year > period.year:
        return f"{register.name} börjar {first:%Y-%m-%d} och täcker inte {period.label}"
    return None


def count_outcome(
    kr: KeyResult, register: Register, count: Callable[[Any], int], period, members: int, unit: str | None = None
) -> Outcome:
    """A key result counted in the period (projects, workshops, efforts, companies),
    judged against its minimum; a year-to-date period is judged on pace. A period
    the register does not cover is "kan inte bedömas", never a count of 0."""
    why = uncovered(register, period)
    value = None if why else count(period)
    previous = None if uncovered(register, period.previous) else count(period.previous)
    if why:
        status, reason = UNKNOWN, why
    else:
        status, reason = judge(kr, value, previous, members, period.fraction_of_year)
    unit = kr.unit if unit is None else unit
    suffix = f" {unit}" if unit else ""

    def text(v: int | None) -> str:
        return "–" if v is None else f"{fmt_int(v)}{suffix}"

    return Outcome(kr.id, value, previous, status, reason, text(value), text(previous))


def outcomes_for(ctx, metrics: dict[str, Callable]) -> list[Outcome]:
    """The outcome of every key result in the plan whose `mått` is in `metrics`
    (an area's METRICS: mått -> function(ctx, key result) -> Outcome), in the plan's order."""
    return [metrics[kr.metric](ctx, kr) for kr in ctx.plan.key_results if kr.metric in metrics]


def why_text(kr: KeyResult, outcome: Outcome, fraction_of_year: float = 1.0) -> str:
    """One plain-Swedish line of why, for the committee's page one: how far from the target
    or the pace, and the outcome's detail (who is missing, what dominates)."""
    detail = outcome.detail[:1].upper() + outcome.detail[1:] if outcome.detail else ""
    detail += "." if detail and not detail.endswith(".") else ""
    if outcome.status == UNKNOWN or outcome.value is None:
        first = outcome.reason.split(";")[0]
        return detail or (first[:1].upper() + first[1:] + ".")
    value, target = outcome.value, kr.target
    decimals = 1 if kr.unit == "NKI" else 0
    if kr.kind == "minst" and target is not None:
        pace = target * fraction_of_year
        if value >= target:
            line = "Helårsmålet är redan nått." if fraction_of_year < 1 else "Målet är nått."
        elif outcome.status in (ON_TRACK, RISK):  # a part year judged on pace
            ahead = "I takt" if outcome.status == ON_TRACK else "Efter takten"
            line = f"{ahead}: {fmt_number(value, decimals)} mot {fmt_number(pace, 1)} vid den här tiden."
        else:
            line = f"{fmt_number(target - value, decimals)} under målet."
    elif kr.kind == "alla":
        line = "Alla kommuner." if outcome.status == MET else ""
    else:
        previous = outcome.previous
        against = "samma period föregående år" if fraction_of_year < 1 else "föregående år"
        line = (
            f"{fmt_signed(100 * (value / previous - 1), 1)} % mot {against}."
            if previous
            else "Inget jämförbart utfall föregående år."
        )
    return " ".join(x for x in (line, detail) if x)


def not_in_plan_text(metric: str) -> str:
    """Said where a section judges a key result the plan (okr.toml) no longer has."""
    return f"Verksamhetsplanen har inget nyckelresultat med måttet ”{metric}”, så det här bedöms inte mot något mål."


def target_text(kr: KeyResult, members: int) -> str:
    """The target as the report states it: 'minst 80', 'alla 12', 'minst +20 %'."""
    if kr.kind == "alla":
        return f"alla {members}"
    if kr.kind == "ökning":
        return "ökning" if not kr.target else f"minst +{fmt_number(100 * kr.target, 0)} %"
    return f"minst {fmt_number(kr.target, 0)}"


def outcome_table(plan: Plan, results: list[Outcome]) -> pd.DataFrame:
    """One row per key result: target, outcome now and before, status (with its symbol) and why.
    The overview and every area notebook show their key results with this one table."""
    members = len(plan.members)
    rows = []
    for o in results:
        kr = plan.key_result(o.id)
        rows.append(
            {
                "Id": o.id,
                "Nyckelresultat": kr.text,
                "Mål": target_text(kr, members),
                "Utfall": o.value_text or "–",
                "Föregående": o.previous_text or "–",
                "Status": status_label(o.status, o.qualifier),
                "Motivering": o.reason,
            }
        )
    return pd.DataFrame(rows)
