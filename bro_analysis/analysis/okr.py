"""Key-result outcomes and their status against the plan's targets (data/okr.toml).

Each area module computes the outcome of its own key results and returns
`Outcome`s; the overview collects them. `judge` holds the shared rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from bro_analysis.analysis import coverage
from bro_analysis.analysis import forecast as fc
from bro_analysis.core.config import KeyResult, Plan
from bro_analysis.core.periods import Period, short_months
from bro_analysis.presentation.formatting import fmt_int, fmt_number, fmt_percent, fmt_signed
from bro_analysis.presentation.vocabulary import count_text, target_pct

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
    "föregående_period",
    "enhet",
    "status",
    "förbehåll",
    "mätår",
    "motivering",
    "bedömning",
    "orsak",
    "åtgärd",
    "ansvarig",
    "prognos_år",
    "prognos",
    "prognos_nedre",
    "prognos_övre",
    "prognos_chans",
    "prognos_metod",
    "planslut_år",
    "planslut_prognos",
    "planslut_nedre",
    "planslut_övre",
    "planslut_chans",
    "planslut_metod",
    "saknas",
    "löpande",
    "period",
    "utgångsläge",
    "bedömning_fastställd",
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


def forecast_fields(kr: KeyResult, forecast: fc.Forecast | None) -> tuple:
    """(år, värde, nedre, övre, chans i procent, metod) for okr.csv/okr.json; Nones without one."""
    if forecast is None:
        return (None,) * 6
    chance = None if forecast.chance is None else round(100 * forecast.chance)
    return (
        forecast.year,
        shown_number(kr, forecast.value),
        shown_number(kr, forecast.low),
        shown_number(kr, forecast.high),
        chance,
        forecast.how,
    )


def _forecast_number(kr: KeyResult, value: float | None) -> str:
    if kr.unit == "%":
        return fmt_number(100 * value, 1) if value is not None else "–"
    return fmt_number(value, 1 if kr.unit == "NKI" else 0)


def forecast_cell(kr: KeyResult, forecast: fc.Forecast | None, rule: fc.Rules) -> str:
    """'2026: 3 (2–5), osäkert', or '2026: ingen prognos'."""
    if forecast is None:
        return ""
    if not forecast.made:  # why not stands in the reason, the section and okr.json's *_metod
        return f"{forecast.year}: ingen prognos"
    per_cent = " %" if kr.unit == "%" else ""
    span = f"{_forecast_number(kr, forecast.low)}–{_forecast_number(kr, forecast.high)}{per_cent}"
    text = f"{forecast.year}: {_forecast_number(kr, forecast.value)}{per_cent} ({span})"
    word = forecast.word(rule)
    return text + (f", {word}" if word else "")


def forecast_text(kr: KeyResult, outcome: Outcome, rule: fc.Rules) -> str:
    """Page one's Prognos cell: the year's end for a part year, then the plan's last year."""
    cells = [forecast_cell(kr, outcome.forecast, rule)]
    if outcome.plan_forecast is not None and outcome.plan_forecast is not outcome.forecast:
        cells.append(forecast_cell(kr, outcome.plan_forecast, rule))
    return " · ".join(c for c in cells if c) or "–"


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
    forecast: fc.Forecast | None = None  # the year's end, for a part year
    plan_forecast: fc.Forecast | None = None  # the plan's last year
    pace: float | None = None  # a part year: what a year that reaches the target has by this date
    # A part year judged on its forecast against a total (I1): what the year's end must beat.
    year_target: float | None = None
    previous_label: str = ""  # what `previous` refers to: 'mätår 2024', 'januari–augusti 2025', '2025'
    missing: tuple[str, ...] = ()  # an 'alla' key result: the members that do not meet it, by name
    accumulates: bool = True  # summed over the period (counts, totals, rates); False: a state at a time

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}")
        if self.qualifier and self.qualifier not in QUALIFIERS:
            raise ValueError(f"unknown qualifier {self.qualifier!r}")


def previous_cell(outcome: Outcome, short: bool = False) -> str:
    """The previous value with the period it refers to, unless its text already says it:
    '2 projekt (januari–augusti 2025)', short '2 projekt (jan–aug 2025)', inside a closing
    bracket: '958 MSEK (10 projekt, jan–aug 2025)'; '–' without a value."""
    shown = outcome.previous_text or "–"
    label = short_months(outcome.previous_label) if short else outcome.previous_label
    if shown == "–" or not label or label in shown or outcome.previous_label in shown:
        return shown
    return f"{shown[:-1]}, {label})" if shown.endswith(")") else f"{shown} ({label})"


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
    needed = "en ökning" if target == 0 else f"minst {target_pct(target)}"
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
    # The counted categories [täckning] dates: (as a reason names it, first day) (coverage.starts).
    starts: tuple[tuple[str, pd.Timestamp], ...] = ()

    def dates(self) -> pd.Series:
        """The dated rows from the day every counted category is recorded."""
        frame = self.frame
        dates = frame[self.column].dropna() if self.column in frame else pd.Series(dtype="datetime64[ns]")
        first = coverage.latest_start(self.starts)
        return dates if first is None else dates[dates >= first]


def category_register(ctx, table: str, column: str, name: str, by: str, categories) -> Register:
    """A register (`table` dated by `column`) counted over `categories` of its column `by`,
    with the days settings.toml [täckning] says they are recorded from."""
    return Register(ctx.dataset[table], column, name, coverage.starts(ctx.settings, table, by, categories))


def uncovered(register: Register, period) -> str | None:
    """Why the register cannot say anything about `period`, or None when it can: it has
    no dated rows, it begins after the period's year, or a counted category is recorded only
    after the period (coverage.gap); a count there would be a false 0."""
    frame = register.frame
    dates = frame[register.column].dropna() if register.column in frame else frame.iloc[0:0]
    if len(dates) == 0:
        return f"{register.name} har inga rader"
    first = dates.min()
    if first.year > period.year:
        return f"{register.name} börjar {first:%Y-%m-%d} och täcker inte {period.label}"
    return coverage.gap(register.name, register.starts, period)


def judge_on_forecast(
    kr: KeyResult, value: float, year_end: fc.Forecast, pace: float | None, period: Period, rule: fc.Rules
) -> tuple[str, str, str] | None:
    """A part year judged on its forecast for December: 'på väg' when reaching the year's
    target is more likely than not, 'risk' when not, qualified 'osäkert' between the
    calibrated words; before `rule.earliest` of the year never 'risk' but 'kan inte bedömas'
    (too early). Returns status, qualifier and reason, or None without a forecast."""
    target = kr.target
    if target is None or not year_end.made or year_end.chance is None:
        return None
    if value >= target:
        return MET, "", f"{fmt_number(value, 0)} mot målet minst {fmt_number(target, 0)}; helårsmålet är redan nått"
    chance = year_end.chance
    parts = [f"{fmt_number(value, 0)} hittills"]  # the unit is plural: '1 arenor' would read wrong
    if pace is not None:
        parts.append(f"säsongstakt mot målet till {fc.date_label(period)}: {fmt_number(pace, 1)}")
    parts.append(
        f"prognos för helåret {fmt_number(year_end.value, 1)} ({fmt_number(year_end.low, 0)}–"
        f"{fmt_number(year_end.high, 0)}), chans att nå {fmt_number(target, 0)}: {fmt_percent(chance, 0)} "
        f"({year_end.word(rule)}); {year_end.how}"
    )
    status, qualifier = status_from_forecast(year_end, period, rule)
    if status == UNKNOWN:
        return UNKNOWN, "", "för tidigt på året att bedöma; " + "; ".join(parts)
    return status, qualifier, "; ".join(parts)


def status_from_forecast(year_end: fc.Forecast, period: Period, rule: fc.Rules) -> tuple[str, str]:
    """A part year's status from the chance of reaching the year's target: 'på väg' from 50 %,
    else 'risk' – but 'kan inte bedömas' (too early) before `rule.earliest` of the year –
    qualified 'osäkert' where the chance is said 'osäkert'."""
    chance = year_end.chance if year_end.chance is not None else 0.0
    if chance < 0.5 and period.fraction_of_year < rule.earliest:
        return UNKNOWN, ""
    return (ON_TRACK if chance >= 0.5 else RISK), (UNCERTAIN if year_end.word(rule) == fc.UNSURE else "")


def plan_end(ctx, year_end: fc.Forecast | None, before: Callable[[], fc.Forecast | None]) -> fc.Forecast | None:
    """The plan's last year's forecast: nothing once that year is over, the year's own
    forecast when the period is in it, and before it the key result's own (`before()`)."""
    period, last = ctx.period, ctx.plan.last_year
    if period.year > last or (period.year == last and period.is_full_year):
        return None
    if period.year == last:
        return year_end
    return before()


def plan_end_forecast(ctx, kr: KeyResult, full_years: pd.DataFrame, year_end: fc.Forecast | None) -> fc.Forecast | None:
    """A count in the plan's last year: at the level of the complete years before it (plan_end)."""
    return plan_end(
        ctx, year_end, lambda: fc.count_level(full_years, kr.target, fc.rules(ctx.settings), ctx.plan.last_year)
    )


def count_outcome(
    ctx, kr: KeyResult, register: Register, count: Callable[[Any], int], unit: str | None = None
) -> Outcome:
    """A key result counted in the period (projects, workshops, efforts, companies),
    judged against its minimum; a year-to-date period is judged on its forecast for
    December from the register's seasonal history (judge_on_forecast). A period the
    register does not cover is "kan inte bedömas", never a count of 0."""
    period, members = ctx.period, len(ctx.plan.members)
    why = uncovered(register, period)
    value = None if why else count(period)
    previous = None if uncovered(register, period.previous) else count(period.previous)
    unit, one = (kr.unit, kr.unit_one) if unit is None else (unit, "")

    def text(v: int | None) -> str:
        return "–" if v is None else count_text(v, unit, one)  # "1 insats", "2 insatser"

    label = period.previous.label
    if why or value is None:
        return Outcome(kr.id, value, previous, UNKNOWN, why or "", text(value), text(previous), previous_label=label)
    rule = fc.rules(ctx.settings)
    history = fc.year_history(count, fc.first_full_year(register.dates()), period)
    full_years = history[["år", "helår"]]
    year_end, pace, qualifier = None, None, ""
    if period.is_full_year:
        full_years = pd.concat([full_years, pd.DataFrame([{"år": period.year, "helår": value}])], ignore_index=True)
        status, reason = judge(kr, value, previous, members)
    else:
        year_end = fc.count_year_end(value, history, kr.target, rule, period.year)
        pace = fc.seasonal_pace(history, kr.target) if kr.target is not None else None
        judged = judge_on_forecast(kr, value, year_end, pace, period, rule)
        if judged is None:  # too little history: the straight line through the year, said so
            status, reason = judge(kr, value, previous, members, period.fraction_of_year)
            reason += f"; ingen säsongsprognos ({year_end.how})"
        else:
            status, qualifier, reason = judged
            if previous is not None:
                reason += f"; samma period föregående år: {fmt_int(previous)}"
    return Outcome(
        kr.id,
        value,
        previous,
        status,
        reason,
        text(value),
        text(previous),
        qualifier=qualifier,
        forecast=year_end,
        plan_forecast=plan_end_forecast(ctx, kr, full_years, year_end),
        pace=pace,
        previous_label=label,
    )


def outcomes_for(ctx, metrics: dict[str, Callable]) -> list[Outcome]:
    """The outcome of every key result in the plan whose `mått` is in `metrics`
    (an area's METRICS: mått -> function(ctx, key result) -> Outcome), in the plan's order."""
    return [metrics[kr.metric](ctx, kr) for kr in ctx.plan.key_results if kr.metric in metrics]


def why_text(kr: KeyResult, outcome: Outcome, period: Period | None = None) -> str:
    """One plain-Swedish line of why, for the committee's page one: how far from the target,
    or in a part year from what a year that reaches it has by this date, and the outcome's
    detail (who is missing, what dominates)."""
    part_year = period is not None and not period.is_full_year
    detail = outcome.detail[:1].upper() + outcome.detail[1:] if outcome.detail else ""
    detail += "." if detail and not detail.endswith(".") else ""
    if outcome.status == UNKNOWN or outcome.value is None:
        first = outcome.reason.split(";")[0]
        return detail or (first[:1].upper() + first[1:] + ".")
    value, target = outcome.value, kr.target
    decimals = 1 if kr.unit == "NKI" else 0
    if kr.kind == "minst" and target is not None:
        if value >= target:
            line = "Helårsmålet är redan nått." if part_year else "Målet är nått."
        elif part_year and outcome.pace is not None and period is not None:
            line = (
                f"{fmt_number(value, decimals)} mot {fmt_number(outcome.pace, 1)} i säsongstakt mot målet "
                f"den {fc.date_label(period)}."
            )
        elif part_year and period is not None:  # no seasonal history: the straight line, said so
            pace = target * period.fraction_of_year
            line = f"{fmt_number(value, decimals)} mot {fmt_number(pace, 1)} i jämn takt mot helårsmålet."
        else:
            line = f"{fmt_number(target - value, decimals)} under målet."
    elif kr.kind == "alla":
        line = "Alla kommuner." if outcome.status == MET else ""
    elif part_year and period is not None and outcome.year_target is not None and outcome.forecast is not None:
        line = _year_target_line(kr, outcome, outcome.forecast, outcome.year_target, period)
    else:
        previous = outcome.previous
        against = "samma period föregående år" if part_year else "föregående år"
        line = (
            f"{fmt_signed(100 * (value / previous - 1), 1)} % mot {against}."
            if previous
            else "Inget jämförbart utfall föregående år."
        )
    return " ".join(x for x in (line, detail) if x)


def _year_target_line(kr: KeyResult, outcome: Outcome, year_end: fc.Forecast, to_beat: float, period: Period) -> str:
    """Page one's line for a part year judged on its forecast against a total to beat: the
    forecast against that total, never the change over a few months (0 decided in January
    would read as "−100 %" beside "på väg")."""
    if outcome.status == MET:
        return "Helårsmålet är redan nått."
    unit = f" {kr.unit}" if kr.unit else ""
    beat = f"{fmt_number(to_beat, 0)}{unit}"
    beat = (
        f"{beat} hela {period.year - 1}"
        if not kr.target
        else f"målet {beat} ({target_pct(kr.target)} mot hela {period.year - 1})"
    )
    return f"Prognos för helåret {fmt_number(year_end.value, 0)}{unit} mot {beat}."


def not_in_plan_text(metric: str) -> str:
    """Said where a section judges a key result the plan (okr.toml) no longer has."""
    return f"Verksamhetsplanen har inget nyckelresultat med måttet ”{metric}”, så det här bedöms inte mot något mål."


def target_text(kr: KeyResult, members: int) -> str:
    """The target as the report states it: 'minst 80', 'alla 12', 'minst +20 %'."""
    if kr.kind == "alla":
        return f"alla {members}"
    if kr.kind == "ökning":
        return "ökning" if not kr.target else f"minst {target_pct(kr.target)}"
    return f"minst {fmt_number(kr.target, 0)}"


def outcome_table(plan: Plan, results: list[Outcome], settings: dict | None = None) -> pd.DataFrame:
    """One row per key result: target, outcome now and before (with the period it refers to),
    status (with its symbol),
    forecast (calibrated words from `settings`) and why. The overview and every area
    notebook show their key results with this one table."""
    members = len(plan.members)
    rule = fc.rules(settings or {})
    rows = []
    for o in results:
        kr = plan.key_result(o.id)
        rows.append(
            {
                "Id": o.id,
                "Nyckelresultat": kr.text,
                "Mål": target_text(kr, members),
                "Utfall": o.value_text or "–",
                "Föregående": previous_cell(o),
                "Status": status_label(o.status, o.qualifier),
                "Prognos": forecast_text(kr, o, rule),
                "Motivering": o.reason,
            }
        )
    return pd.DataFrame(rows)
