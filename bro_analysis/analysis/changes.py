"""What changed in substance between two reports: the committee's "Sedan förra rapporten".

Both reports are read as their okr.json records. A change is listed only when the two
judgements can be compared: two full years; two part years of the same length, or of the
same year (both judged on their forecast); a state (tools in use, readiness) at any two
times (only which members meet it, its status follows the period's rule); an NKI result
only when the mätår is new. Eight months against twelve is a calendar
effect and never news. A target the plan changed is said, never shown as a change of result.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bro_analysis.analysis import okr
from bro_analysis.analysis.forecast import Rules, chance_word
from bro_analysis.core.periods import parse_period
from bro_analysis.presentation.formatting import fmt_number, join_sv
from bro_analysis.presentation.vocabulary import target_pct, unit_word

# The order in which the committee should notice them.
KINDS = ("nått", "utom räckhåll", "kommuner", "status", "revidering", "plan", "ny", "borttagen")
_OWN_WORDS = ("revidering", "plan", "ny", "borttagen")  # their sentences start with an ordinary word


@dataclass(frozen=True)
class Change:
    """One change of substance for one key result, as a sentence."""

    id: str
    kind: str  # one of KINDS
    text: str


def shown(record: Mapping) -> str:
    """A record's outcome as the report writes it: '1 272 MSEK', '13,4 %', '1 insats', '–'."""
    value = record.get("utfall")
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return "–" if value is None else str(value)
    number = fmt_number(value, 0 if float(value).is_integer() else 1)
    unit = record.get("enhet", "")
    return f"{number} %" if unit == "%" else f"{number} {unit_word(value, unit)}".strip()


def target(record: Mapping) -> str:
    """A record's target as the report writes it: 'minst 80', 'alla 12', 'minst +20 %'."""
    kind, value = record.get("typ"), record.get("mål")
    if kind == "alla":
        return f"alla {fmt_number(value, 0)}" if value is not None else "alla"
    if kind == "ökning":
        return f"minst {target_pct(value / 100)}" if value else "ökning"
    return f"minst {fmt_number(value, 0)}" if value is not None else "–"


def comparable(before: Mapping, now: Mapping) -> bool:
    """Whether the two reports judge the key result on the same grounds, so that a change of
    status is news: two full years, two part years of one length or of one year, or for an
    NKI result a new mätår. (Which members meet a state such as readiness is news at any
    two times; see `since`.)"""
    if before.get("mätår") is not None or now.get("mätår") is not None:
        return before.get("mätår") != now.get("mätår")
    old, new = parse_period(str(before["period"])), parse_period(str(now["period"]))
    if old is None or new is None:
        return False
    if old.is_full_year and new.is_full_year:
        return True
    if old.is_full_year or new.is_full_year:
        return False
    return old.end_month == new.end_month or old.year == new.year


def _plan_changed(before: Mapping, now: Mapping) -> bool:
    return before.get("typ") != now.get("typ") or before.get("mål") != now.get("mål")


def _name(record: Mapping, names: Mapping[str, str]) -> str:
    return f"{record['id']} {names.get(record['id'], record.get('text', ''))}".strip()


def _members(before: Mapping, now: Mapping, name: str) -> list[Change]:
    old, new = set(before.get("saknas") or ()), set(now.get("saknas") or ())
    out = []
    if old - new:
        out.append(Change(now["id"], "kommuner", f"{join_sv(sorted(old - new))} uppfyller nu {name}."))
    if new - old:
        out.append(Change(now["id"], "kommuner", f"{join_sv(sorted(new - old))} uppfyller inte längre {name}."))
    return out


def _forecast_turned(before: Mapping, now: Mapping, rule: Rules) -> bool:
    """The year-end forecast of the same year went from reachable to unlikely."""
    if now.get("prognos_år") is None or now.get("prognos_år") != before.get("prognos_år"):
        return False
    old, new = before.get("prognos_chans"), now.get("prognos_chans")
    if old is None or new is None:
        return False
    return chance_word(new, rule) == "osannolikt" and chance_word(old, rule) != "osannolikt"


def _one(before: Mapping, now: Mapping, names: Mapping[str, str], rule: Rules) -> list[Change]:
    name, kr_id = _name(now, names), now["id"]
    if _plan_changed(before, now):
        return [
            Change(
                kr_id,
                "plan",
                f"Planen har ändrat målet för {name} från {target(before)} till {target(now)}; "
                "statusen jämförs därför inte.",
            )
        ]
    found: list[Change] = []
    same_grounds = comparable(before, now)
    if now["status"] == okr.MET and before.get("status") != okr.MET:
        part = parse_period(str(now["period"]))
        goal = "helårsmålet" if part is not None and not part.is_full_year else "målet"
        found.append(Change(kr_id, "nått", f"{name} har nått {goal}: {shown(now)} ({target(now)})."))
    elif same_grounds and now["status"] == okr.NOT_MET and before.get("status") != okr.NOT_MET:
        found.append(Change(kr_id, "utom räckhåll", f"{name} når inte målet: {shown(now)} ({target(now)})."))
    elif _forecast_turned(before, now, rule):
        found.append(
            Change(
                kr_id, "utom räckhåll", f"{name}: prognosen säger nu att målet {now['prognos_år']} troligen inte nås."
            )
        )
    elif same_grounds and now["status"] != before.get("status"):
        found.append(
            Change(
                kr_id, "status", f"{name}: {before.get('status')} → {now['status']} ({shown(before)} → {shown(now)})."
            )
        )
    if now.get("typ") == "alla" and (same_grounds or not now.get("löpande", True)):
        found += _members(before, now, name)
    return found


def since(
    now: Sequence[Mapping], before: Sequence[Mapping], names: Mapping[str, str], rule: Rules | None = None
) -> list[Change]:
    """The changes of substance from the earlier report's records to this one's, most
    important first (KINDS), then in the plan's order."""
    rule = rule or Rules()
    earlier = {r["id"]: r for r in before}
    found: list[Change] = []
    for record in now:
        old = earlier.get(record["id"])
        if old is None:
            found.append(Change(record["id"], "ny", f"Nytt i planen: {_name(record, names)}."))
        else:
            found += _one(old, record, names, rule)
    ids = {r["id"] for r in now}
    found += [
        Change(r["id"], "borttagen", f"Finns inte längre i planen: {_name(r, {})}.")
        for r in before
        if r["id"] not in ids
    ]
    order = {r["id"]: i for i, r in enumerate(now)}
    return sorted(found, key=lambda c: (KINDS.index(c.kind), order.get(c.id, len(order))))


def revisions(
    published: Sequence[Mapping], today: Sequence[Mapping], period_label: str, causes: str = ""
) -> list[Change]:
    """A published report's values and statuses recomputed from today's data: each that
    differs, as 'Reviderat sedan rapporten för 2025 (publicerad …): I1 1 272 → 1 205 MSEK …'
    (`period_label`: 'för 2025 (publicerad 2026-02-12)')."""
    now = {r["id"]: r for r in today}
    found = []
    for old in published:
        new = now.get(old["id"])
        if new is None or _plan_changed(old, new):
            continue
        value = old.get("utfall") != new.get("utfall")
        status = old.get("status") != new.get("status")
        if not (value or status):
            continue
        parts = [f"{shown(old)} → {shown(new)}"] if value else []
        parts += [f"{old.get('status')} → {new.get('status')}"] if status else []
        text = f"Reviderat sedan rapporten {period_label}: {old['id']} {', '.join(parts)}" + (
            f", {causes}." if causes else "."
        )
        found.append(Change(old["id"], "revidering", text))
    return found


def lead(changes: list[Change], before_label: str) -> str:
    """The one sentence the committee should notice first; `before_label` names the earlier
    report ('rapporten för 2025 (publicerad 2026-02-12)')."""
    if not changes:
        return (
            f"Inget nyckelresultat har ändrats i sak sedan {before_label}; skillnader i siffrorna "
            "beror på att perioderna är olika långa eller att mätningen är densamma."
        )
    # A sentence of the plan's own words goes on in lower case; names and ids keep their capitals.
    first = [(c.text[:1].lower() + c.text[1:] if c.kind in _OWN_WORDS else c.text).rstrip(".") for c in changes[:3]]
    rest = len(changes) - 3
    more = f" (och {rest} {'ändring' if rest == 1 else 'ändringar'} till)" if rest > 0 else ""
    return f"Det viktigaste sedan {before_label}: {'; '.join(first)}{more}."
