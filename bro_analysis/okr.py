"""Key-result outcomes and their status against the plan's targets (data/okr.toml).

Each area module computes the outcome of its own key results and returns
`Outcome`s; the overview collects them. `judge` holds the shared rules.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .config import KeyResult, Plan
from .formatting import fmt_int, fmt_number

MET = "uppnått"
ON_TRACK = "på väg"
NOT_MET = "ej uppnått"
UNKNOWN = "kan inte bedömas"
STATUSES = (MET, ON_TRACK, NOT_MET, UNKNOWN)
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
    "förklaring",
    "period",
)
# A symbol beside every status word: status is never shown by colour alone.
SYMBOLS = {MET: "✔", ON_TRACK: "➚", NOT_MET: "✘", UNKNOWN: "?"}


def status_label(status: str) -> str:
    """'✔ uppnått' and so on."""
    return f"{SYMBOLS[status]} {status}"


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

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}")


def judge(
    kr: KeyResult, value: float | None, previous: float | None = None, members: int = 12, fraction_of_year: float = 1.0
) -> tuple[str, str]:
    """Status and reason by the target type.

    minst: value >= target. alla: value (municipalities meeting it) == members.
    ökning: value/previous - 1 >= target (relative change). For a year-to-date
    period (fraction_of_year < 1) a count that is on pace for the year is "på väg".
    """
    if value is None:
        return UNKNOWN, "uppgift saknas för perioden"
    if kr.kind == "alla":
        if value >= members:
            return MET, f"alla {members} kommuner"
        return NOT_MET, f"{fmt_number(value, 0)} av {members} kommuner"
    target = kr.target
    assert target is not None, "config.load_plan requires 'mål' for every kind but 'alla'"
    if kr.kind == "minst":
        if value >= target:
            return MET, f"{fmt_number(value, 1 if kr.unit == 'NKI' else 0)} mot målet minst {fmt_number(target, 0)}"
        if fraction_of_year < 1 and value >= target * fraction_of_year:
            return ON_TRACK, (f"{fmt_number(value, 0)} hittills; i takt med målet {fmt_number(target, 0)} för helåret")
        return NOT_MET, f"{fmt_number(value, 1 if kr.unit == 'NKI' else 0)} mot målet minst {fmt_number(target, 0)}"
    if previous is None or previous == 0:
        return UNKNOWN, "inget jämförbart utfall föregående år"
    change = value / previous - 1
    needed = "en ökning" if target == 0 else f"minst {fmt_number(100 * target, 0)} % ökning"
    text = f"förändring {fmt_number(100 * change, 1)} % mot föregående år; målet är {needed}"
    # 10 % -> 12 % is exactly +20 %; allow for binary floating point
    met = change > 1e-12 if target == 0 else change >= target - 1e-12
    return (MET if met else NOT_MET), text


def count_outcome(kr: KeyResult, value: int, previous: int, period, members: int, unit: str = "") -> Outcome:
    """A key result counted in the period (projects, workshops, efforts, companies),
    judged against its minimum; a year-to-date period is judged on pace."""
    status, reason = judge(kr, value, previous, members, period.end_month / 12)
    suffix = f" {unit}" if unit else ""
    return Outcome(kr.id, value, previous, status, reason, f"{fmt_int(value)}{suffix}", f"{fmt_int(previous)}{suffix}")


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
                "Status": status_label(o.status),
                "Förklaring": o.reason,
            }
        )
    return pd.DataFrame(rows)
