"""Backtest of the key results' forecasts: every month of every complete year replayed with
the data known at that month's end, each year-end forecast set against the year's actual
end, and the S1 trend forecast replayed on a yearly NKI series.

Not a test: run it with `make backtest` (or `python -m bro_analysis.running.backtest`); it
prints a table and writes outputs/benchmark/backtest.csv and backtest.md.

What 'known at the month's end' means (known_at): dated register rows after the cut are
dropped (leads, activities, investments by first contact); a conversion after the cut is
undone (the lead goes back to the stage before conversion); a decision after the cut
makes the project open again (dialog), and with the register's stage log
(investeringar_skeden) every project has the stage it had at the cut; a planned arena is
kept, but its follow-up is not known yet; an NKI mätår is known from the year after it
(Insikt is published then); the yearly member table is kept up to the cut's year (it has
no dates).

Without the stage log the investment register keeps only today's stage, so some later
knowledge cannot be removed: a project lost after the cut already shows as lost. A
follow-up recorded for an arena shortly before the cut may have been made after it. The
notes in the output say so. The year's actual end is computed on all the data, with the
investment register as it stood at the year's end where the stage log says so.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from bro_analysis.analysis import forecast, okr, overview
from bro_analysis.analysis.context import Context, load_dataset_once
from bro_analysis.analysis.investments.stages import LOG as STAGE_LOG
from bro_analysis.analysis.investments.stages import stages_as_of
from bro_analysis.analysis.nki.numbers import trend_forecast, window_sensitivity
from bro_analysis.core.config import EXAMPLE_DATA_DIR, OUTPUTS_DIR, Plan, load_plan, load_settings
from bro_analysis.core.files import write_atomic
from bro_analysis.core.periods import Period, data_end
from bro_analysis.input.contracts import LEAD_STAGES
from bro_analysis.input.loading import Dataset
from bro_analysis.presentation.formatting import fmt_number, fmt_percent

MONTHS = tuple(range(1, 12))  # January to November: December is the year itself
REPORT_MONTH = 8  # the August report, for recall
TOLERANCE = 0.05  # coverage within 5 percentage points of the nominal level
DECIDED = ("beslut", "etablerad")
OPEN_STAGE = "dialog"  # a project decided after the cut was still in dialogue at it
# Registers whose first date tells from which year the data cover whole years.
FIRST_DATES = {"leads": "datum", "aktiviteter": "datum", "investeringar": "första_kontakt"}

# A yearly county NKI series 2014–2025 shaped like, not copied from, Kolada's published
# totals for the county's municipalities (U07451): a rise that levels off, 68 -> 77.
NKI_SERIES = pd.DataFrame(
    {
        "mätår": range(2014, 2026),
        "medel": [68.1, 69.8, 70.6, 72.4, 72.9, 74.1, 74.8, 75.9, 75.6, 76.5, 76.9, 77.2],
    }
)
NKI_HORIZONS = (1, 2)
NKI_MIN_YEARS = 3
# The chance words are tried against these targets (the plan's S1 target among them), so
# that every word occurs: against 80 alone a levelling series is always 'osannolikt'.
NKI_WORD_TARGETS = (70.0, 72.0, 74.0, 76.0, 78.0, 80.0)

REPLAY_COLUMNS = [
    "id",
    "år",
    "månad",
    "prognos_gjord",
    "prognos",
    "nedre",
    "övre",
    "chans",
    "status",
    "förbehåll",
    "metod",
    "utfall",
    "helårsstatus",
    "inom",
]


# --- the data known at a date ------------------------------------------------


def _earlier_stage(converted: str) -> str:
    """The stage before the converted one in the contract's order ('kvalificerad')."""
    index = LEAD_STAGES.index(converted) if converted in LEAD_STAGES else len(LEAD_STAGES) - 1
    return LEAD_STAGES[max(index - 1, 0)]


def known_at(tables: dict[str, pd.DataFrame], cut: pd.Timestamp, converted: str = "konverterad") -> dict:
    """The tables as they stood at the end of the day `cut` (see the module docstring)."""
    out = dict(tables)
    if "leads" in tables:
        leads = tables["leads"][tables["leads"]["datum"] <= cut].copy()
        if "konverteringsdatum" in leads:
            later = leads["konverteringsdatum"] > cut
            leads.loc[later, "steg"] = _earlier_stage(converted)
            leads.loc[later, "konverteringsdatum"] = pd.NaT
        out["leads"] = leads
    if "aktiviteter" in tables:
        out["aktiviteter"] = tables["aktiviteter"][tables["aktiviteter"]["datum"] <= cut].copy()
    if "investeringar" in tables:
        inv = tables["investeringar"]
        if STAGE_LOG in tables:  # the stages as they were at the cut, not as they are now
            inv = stages_as_of(inv, tables[STAGE_LOG], cut)
        inv = inv[inv["första_kontakt"] <= cut].copy()
        later = inv["beslutsdatum"] > cut
        inv.loc[later & inv["skede"].isin(DECIDED), "skede"] = OPEN_STAGE
        inv.loc[later, "beslutsdatum"] = pd.NaT
        out["investeringar"] = inv
    if "arenor" in tables:
        arenas = tables["arenor"].copy()
        arenas.loc[arenas["datum"] > cut, "uppföljning_gjord"] = pd.NA
        out["arenor"] = arenas
    for name, column in (("nki", "mätår"), ("nki_riket", "mätår"), ("kontext", "år")):
        if name in tables:  # a mätår is published the year after
            out[name] = tables[name][tables[name][column] < cut.year].copy()
    if "kommuner" in tables:
        out["kommuner"] = tables["kommuner"][tables["kommuner"]["år"] <= cut.year].copy()
    return out


def dataset_at(dataset: Dataset, cut: pd.Timestamp, converted: str = "konverterad") -> Dataset:
    """The dataset as it stood at `cut`."""
    return replace(dataset, tables=known_at(dataset.tables, cut, converted))


def complete_years(tables: dict[str, pd.DataFrame], today: dt.date | None = None) -> list[int]:
    """Years every dated register covers from January to December, over in the calendar."""
    today = today or dt.date.today()
    found = [forecast.first_full_year(tables[name][col]) for name, col in FIRST_DATES.items() if name in tables]
    firsts = [f for f in found if f is not None]
    end = data_end(tables)
    if not firsts or end is None:
        return []
    last = end.year if end.month == 12 else end.year - 1  # the data reach December (periods.latest_complete_year)
    return list(range(max(firsts), min(last, today.year - 1) + 1))


def replay_years(years: list[int], rule: forecast.Rules) -> list[int]:
    """The complete years with at least rule.min_years complete years before them."""
    return [y for y in years if sum(e < y for e in years) >= rule.min_years]


# --- the replay --------------------------------------------------------------


def _number(value) -> float:
    return np.nan if value is None else float(value)


def forecast_row(outcome: okr.Outcome, period: Period) -> dict:
    """One replayed key result at one month: its year-end forecast and status."""
    fc = outcome.forecast or forecast.Forecast(period.year, how="ingen prognos")
    return {
        "id": outcome.id,
        "år": period.year,
        "månad": period.end_month,
        "prognos_gjord": fc.made,
        "prognos": _number(fc.value),
        "nedre": _number(fc.low),
        "övre": _number(fc.high),
        "chans": _number(fc.chance),
        "status": outcome.status,
        "förbehåll": outcome.qualifier,
        "metod": fc.how,
    }


def stages_at_year_end(dataset: Dataset, year: int) -> Dataset:
    """The dataset with the investment register's stages as they were at the end of `year`
    (the stage log), so that a project decided in the year and lost later counts in its
    actual, as in the forecasts made during the year; unchanged without the log."""
    if STAGE_LOG not in dataset.tables:
        return dataset
    tables = dict(dataset.tables)
    tables["investeringar"] = stages_as_of(tables["investeringar"], tables[STAGE_LOG], Period(year).end)
    return replace(dataset, tables=tables)


def actuals(dataset: Dataset, plan: Plan, settings: dict, years: list[int]) -> pd.DataFrame:
    """Each key result's full year on the full data: value ('utfall') and status; the
    investment register at the year's end where its stage log says how it stood then."""
    rows = []
    for year in years:
        for o in overview.outcomes(Context(Period(year), stages_at_year_end(dataset, year), plan, settings)):
            rows.append({"id": o.id, "år": year, "utfall": _number(o.value), "helårsstatus": o.status})
    return pd.DataFrame(rows, columns=["id", "år", "utfall", "helårsstatus"])


def replay(
    dataset: Dataset, plan: Plan, settings: dict, years: list[int], months: tuple[int, ...] = MONTHS
) -> pd.DataFrame:
    """Every (key result, year, month) replayed on the data known at the month's end,
    joined with the year's actual end; 'inom' says whether it fell in the interval."""
    converted = settings.get("marknadsföring", {}).get("konverterat_steg", "konverterad")
    rows = []
    for year in years:
        for month in months:
            period = Period(year, month)
            ctx = Context(period, dataset_at(dataset, period.end, converted), plan, settings)
            rows += [forecast_row(o, period) for o in overview.outcomes(ctx)]
    frame = pd.DataFrame(rows, columns=REPLAY_COLUMNS[:-3])
    frame = frame.merge(actuals(dataset, plan, settings, years), on=["id", "år"], how="left")
    frame["inom"] = within(frame)
    return frame[REPLAY_COLUMNS]


def within(frame: pd.DataFrame) -> pd.Series:
    """Whether the actual lies in [nedre, övre]; missing where either is unknown."""
    known = frame[["utfall", "nedre", "övre"]].notna().all(axis=1)
    inside = (frame["utfall"] >= frame["nedre"]) & (frame["utfall"] <= frame["övre"])
    return inside.astype("boolean").where(known, pd.NA)


# --- the measures ------------------------------------------------------------


def _share(mask: pd.Series) -> float:
    return float(mask.mean()) if len(mask) else np.nan


def coverage(frame: pd.DataFrame) -> float:
    """Share of made forecasts whose actual year end lies in the interval."""
    inside = within(frame[frame["prognos_gjord"]]).dropna()
    return _share(inside.astype(bool))


def risk_precision(frame: pd.DataFrame) -> float:
    """Share of 'risk' statuses (with a forecast) whose year ended 'ej uppnått'; years that
    could not be judged are left out."""
    risk = frame[frame["prognos_gjord"] & (frame["status"] == okr.RISK)]
    risk = risk[risk["helårsstatus"].isin([okr.MET, okr.NOT_MET])]
    return _share(risk["helårsstatus"] == okr.NOT_MET)


def risk_recall(frame: pd.DataFrame, month: int = REPORT_MONTH) -> float:
    """Share of years that ended 'ej uppnått' whose report for `month` (with a forecast) said 'risk'."""
    report = frame[frame["prognos_gjord"] & (frame["månad"] == month) & (frame["helårsstatus"] == okr.NOT_MET)]
    return _share(report["status"] == okr.RISK)


def unknown_share(frame: pd.DataFrame) -> float:
    """Share of made forecasts whose status was 'kan inte bedömas'."""
    return _share(frame.loc[frame["prognos_gjord"], "status"] == okr.UNKNOWN)


def _errors(frame: pd.DataFrame) -> pd.DataFrame:
    both = frame[frame["prognos_gjord"] & frame["utfall"].notna() & frame["prognos"].notna()]
    return pd.DataFrame({"fel": (both["prognos"] - both["utfall"]).abs(), "utfall": both["utfall"].abs()})


def mean_absolute_error(frame: pd.DataFrame) -> float:
    """Mean |forecast - actual| in the key result's unit."""
    return _share(_errors(frame)["fel"])


def relative_error(frame: pd.DataFrame) -> float:
    """The mean absolute error over the mean absolute actual: comparable across units, and
    not blown up by a year whose actual happened to be near 0."""
    errors = _errors(frame)
    total = float(errors["utfall"].sum())
    return float(errors["fel"].sum()) / total if total > 0 else np.nan


def measures_of(frame: pd.DataFrame, level: float) -> dict:
    """All measures of one group of replayed rows."""
    made = frame[frame["prognos_gjord"]]
    cover = coverage(frame)
    return {
        "rader": len(frame),
        "prognoser": len(made),
        "täckning": cover,
        "täckning_inom_mål": bool(abs(cover - level) <= TOLERANCE) if not np.isnan(cover) else None,
        "risk": int((made["status"] == okr.RISK).sum()),
        "precision_risk": risk_precision(frame),
        "missade_år": int(((made["månad"] == REPORT_MONTH) & (made["helårsstatus"] == okr.NOT_MET)).sum()),
        "recall_augusti": risk_recall(frame),
        "kan_inte_bedömas": unknown_share(frame),
        "medelfel": mean_absolute_error(frame),
        "relativt_fel": relative_error(frame),
    }


def measures(frame: pd.DataFrame, level: float) -> pd.DataFrame:
    """The measures per key result (in the plan's order) and for all ('alla'); the mean
    absolute error is in each key result's unit, so the overall row has none, and its
    relative error is the mean of the key results' (pooled, MSEK would outweigh the rest)."""
    rows = [{"id": kr, **measures_of(part, level)} for kr, part in frame.groupby("id", sort=False)]
    overall = measures_of(frame, level)
    overall["medelfel"] = np.nan
    overall["relativt_fel"] = float(np.nanmean([r["relativt_fel"] for r in rows])) if rows else np.nan
    return pd.DataFrame([*rows, {"id": "alla", **overall}])


# --- NKI: the S1 trend one and two years ahead ---------------------------------


def _nki_points(series: pd.DataFrame, horizons: tuple[int, ...], min_years: int):
    """(origin, horizon, the mätår known at the origin, the actual value `horizon` years
    later) for every mätår with at least `min_years` mätår up to and including it."""
    ordered = series.sort_values("mätår").reset_index(drop=True)
    for origin in ordered["mätår"]:
        known = ordered[ordered["mätår"] <= origin]
        if len(known) < min_years:
            continue
        for horizon in horizons:
            actual = ordered.loc[ordered["mätår"] == origin + horizon, "medel"]
            if not actual.empty:
                yield int(origin), horizon, known, float(actual.iloc[0])


def nki_backtest(
    series: pd.DataFrame,
    settings: dict,
    target: float,
    horizons: tuple[int, ...] = NKI_HORIZONS,
    min_years: int = NKI_MIN_YEARS,
) -> pd.DataFrame:
    """From every mätår with at least `min_years` mätår up to it, the trend forecast of each
    fitting window (window_sensitivity) `horizons` years ahead, against the actual value."""
    rows = []
    for origin, horizon, known, value in _nki_points(series, horizons, min_years):
        for _, fit in window_sensitivity(known, settings, origin + horizon, target).iterrows():
            rows.append(
                {
                    "från": origin,
                    "horisont": horizon,
                    "fönster": fit["fönster"],
                    "prognos": fit["prognos"],
                    "nedre": fit["prognos_ki_nedre"],
                    "övre": fit["prognos_ki_övre"],
                    "chans": fit["sannolikhet_mål"],
                    "mål": target,
                    "utfall": value,
                    "inom": bool(fit["prognos_ki_nedre"] <= value <= fit["prognos_ki_övre"]),
                }
            )
    return pd.DataFrame(rows)


def nki_coverage(backtest: pd.DataFrame) -> pd.DataFrame:
    """Interval coverage and mean absolute error per fitting window and horizon."""
    if backtest.empty:
        return pd.DataFrame(columns=["fönster", "horisont", "prognoser", "täckning", "medelfel"])
    grouped = backtest.assign(fel=(backtest["prognos"] - backtest["utfall"]).abs())
    return (
        grouped.groupby(["fönster", "horisont"], sort=False)
        .agg(prognoser=("inom", "size"), täckning=("inom", "mean"), medelfel=("fel", "mean"))
        .reset_index()
    )


def nki_words(
    series: pd.DataFrame,
    settings: dict,
    rule: forecast.Rules,
    targets: tuple[float, ...] = NKI_WORD_TARGETS,
    horizons: tuple[int, ...] = NKI_HORIZONS,
    min_years: int = NKI_MIN_YEARS,
) -> pd.DataFrame:
    """S1's forecast (nki.numbers.trend_forecast) of reaching each target, the word it is said in
    ('osäkert' where the fitting windows disagree), and whether the target was reached."""
    rows = []
    for origin, horizon, known, value in _nki_points(series, horizons, min_years):
        for target in targets:
            made = trend_forecast(known, settings, origin + horizon, target)
            if made is None or made.chance is None:
                continue
            rows.append(
                {
                    "från": origin,
                    "horisont": horizon,
                    "mål": target,
                    "chans": made.chance,
                    "omstritt": made.disputed,
                    "ord": made.word(rule),
                    "utfall": value,
                    "nådde": value >= target,
                }
            )
    return pd.DataFrame(rows, columns=["från", "horisont", "mål", "chans", "omstritt", "ord", "utfall", "nådde"])


def word_outcomes(words: pd.DataFrame, rule: forecast.Rules) -> pd.DataFrame:
    """Per calibrated word: how often it was said, how often the target was then reached,
    what the word promises, and whether the share kept the promise."""
    promise = {
        forecast.LIKELY: (rule.likely, 1.0),
        forecast.UNSURE: (rule.unlikely, rule.likely),
        forecast.UNLIKELY: (0.0, rule.unlikely),
    }
    rows = []
    for word, (low, high) in promise.items():
        said = words[words["ord"] == word]
        share = float(said["nådde"].mean()) if len(said) else np.nan
        rows.append(
            {
                "ord": word,
                "antal": len(said),
                "nådde_målet": share,
                "lovar_från": low,
                "lovar_till": high,
                "höll": bool(low <= share <= high) if len(said) else None,
            }
        )
    return pd.DataFrame(rows)


# --- output ------------------------------------------------------------------


def _pct(value) -> str:
    return "–" if value is None or pd.isna(value) else fmt_percent(value, 0)


def _markdown(head: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


MEASURE_HEAD = [
    "Id",
    "Prognoser",
    "Täckning",
    "Inom 5 p.",
    "Risk",
    "Träffsäkerhet risk",
    "Missade år",
    "Varnade i augusti",
    "Kan inte bedömas",
    "Medelfel",
    "Relativt fel",
]


LEGEND = (
    "Prognoser: återspelade månader med en helårsprognos. Täckning: andel av dem där årets utfall låg inom "
    "prognosens intervall; Inom 5 p.: om täckningen ligger högst 5 procentenheter från konfidensnivån. Risk: "
    "antal risk-besked; Träffsäkerhet risk: andel av dem där året slutade ej uppnått (år som inte kunde "
    "bedömas räknas inte). Missade år: år som slutade ej uppnått; Varnade i augusti: andel av dem där "
    "augustirapporten sa risk. Kan inte bedömas: andel av prognoserna med den statusen (för tidigt på året "
    "eller för osäkert). Medelfel: genomsnittligt absolut fel i nyckelresultatets enhet (andelar som "
    "bråktal); Relativt fel: medelfelet delat med det genomsnittliga utfallet."
)


def measure_rows(table: pd.DataFrame) -> list[list[str]]:
    """The measures as text, for the printed table and backtest.md."""
    verdict = {True: "ja", False: "nej", None: "–"}
    return [
        [
            r["id"],
            str(r["prognoser"]),
            _pct(r["täckning"]),
            verdict[r["täckning_inom_mål"]],
            str(r["risk"]),
            _pct(r["precision_risk"]),
            str(r["missade_år"]),
            _pct(r["recall_augusti"]),
            _pct(r["kan_inte_bedömas"]),
            fmt_number(r["medelfel"], 2),
            _pct(r["relativt_fel"]),
        ]
        for _, r in table.iterrows()
    ]


def plain_table(head: list[str], rows: list[list[str]]) -> str:
    """Columns padded for the terminal."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(head)]

    def line(cells: list[str]) -> str:  # the first column to the left, numbers to the right
        return "  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths)))

    return "\n".join([line(head), *(line(r) for r in rows)]) + "\n"


def summary_lines(table: pd.DataFrame, level: float) -> list[str]:
    """Overall coverage, precision and recall, one line each."""
    overall = table[table["id"] == "alla"].iloc[0]
    return [
        f"Täckning totalt: {_pct(overall['täckning'])} av utfallen inom intervallet (nominellt {_pct(level)}, "
        f"mål inom ±{round(100 * TOLERANCE)} procentenheter)",
        f"Träffsäkerhet för risk totalt: {_pct(overall['precision_risk'])} av {overall['risk']} "
        "risk-besked gällde år som slutade ej uppnått",
        f"Upptäckt i augusti totalt: {_pct(overall['recall_augusti'])} av {overall['missade_år']} "
        "missade helårsmål hade status risk i augustirapporten",
    ]


def never_judged(frame: pd.DataFrame) -> list[str]:
    """Key results whose every made forecast came with the status 'kan inte bedömas'."""
    made = frame[frame["prognos_gjord"]]
    statuses = {kr: made.loc[made["id"] == kr, "status"] for kr in frame["id"].unique()}
    return [kr for kr, status in statuses.items() if len(status) and (status == okr.UNKNOWN).all()]


def notes(frame: pd.DataFrame, years: list[int], stage_log: bool = False) -> list[str]:
    """What the replay can and cannot know, in Swedish; `stage_log`: the investment register has
    its stage history, so I1 is replayed on the stages as they were."""
    without = frame[~frame["prognos_gjord"]].groupby("id", sort=False).size()
    lines = [
        f"Återspelade år: {years[0]}–{years[-1]}, månaderna januari–november, med det som var känt vid "
        "månadens slut; helårsutfallet räknat på all data."
        if years
        else "Inga år att återspela.",
        "I1 återspelas med projektens skede som det var vid brytdagen, och årets utfall med skedet vid årets "
        "slut, ur investeringsregistrets skedeshistorik (investeringar_skeden): ett projekt som förlorades "
        "efter brytdagen räknas som öppet och ett som beslutades och senare förlorades som beslutat."
        if stage_log
        else "I1 är optimistisk: investeringsregistret har bara projektens skede i dag, så ett projekt som "
        "förlorades efter brytdagen syns redan som förlorat och räknas inte bland de öppna. I en verklig "
        "delårsrapport fanns det kvar som öppet och drog upp prognosen; återspelningen vet vilka öppna "
        "projekt som aldrig blev av.",
        "M1 kan vara något optimistisk: en uppföljning som är registrerad för en arena strax före brytdagen "
        "kan ha gjorts efter den, och planerade arenor finns med som om de var kända vid brytdagen (även en "
        "som lades in senare); deras uppföljning räknas som okänd.",
        "S4 och I4 bygger på kommuntabellen, som har en rad per år utan datum; årets rad räknas som känd "
        "under hela året, så deras återspelning säger lite.",
        "NKI (S1, S2): ett mätår räknas som känt först året efter (Insikt publiceras då), så prognosen för "
        "året är densamma årets alla månader.",
    ]
    never = never_judged(frame)
    if never:
        lines.append(
            f"Bedöms aldrig inom året (alltid kan inte bedömas): {', '.join(never)}; de kan alltså inte varna i "
            "augusti."
        )
    if len(without):
        parts = ", ".join(f"{kr} {n}" for kr, n in without.items())
        lines.append(f"Rader utan prognos (räknas inte i måtten): {parts}.")
    return lines


def nki_text(
    cover: pd.DataFrame, words: pd.DataFrame, level: float, targets: tuple[float, ...] = NKI_WORD_TARGETS
) -> tuple[str, str]:
    """The NKI part as (terminal text, markdown)."""
    head = ["Fönster", "År framåt", "Prognoser", "Täckning", "Medelfel"]
    rows = [
        [r["fönster"], str(r["horisont"]), str(r["prognoser"]), _pct(r["täckning"]), fmt_number(r["medelfel"], 2)]
        for _, r in cover.iterrows()
    ]
    word_head = ["Ord", "Antal", "Nådde målet", "Ordet lovar", "Höll"]
    word_rows = [
        [
            r["ord"],
            str(r["antal"]),
            _pct(r["nådde_målet"]),
            f"{_pct(r['lovar_från'])}–{_pct(r['lovar_till'])}",
            {True: "ja", False: "nej", None: "–"}[r["höll"]],
        ]
        for _, r in words.iterrows()
    ]
    intro = (
        f"S1:s trend (linjär, {_pct(level)}-intervall) ett och två år framåt från varje mätår med minst "
        f"{NKI_MIN_YEARS} mätår, på en länsserie {NKI_SERIES['mätår'].min()}–{NKI_SERIES['mätår'].max()} "
        "formad som Koladas publicerade totaler (inte kopierad)."
    )
    word_intro = (
        "Chansorden i S1:s prognos (trenden genom alla mätår, osäkert när de senaste 3 eller 4 mätåren "
        "ger ett annat ord) mot målen "
        + ", ".join(fmt_number(t, 0) for t in targets)
        + ": hur ofta målet nåddes när ordet sades."
    )
    plain = "\n".join([intro, plain_table(head, rows), word_intro, plain_table(word_head, word_rows)])
    md = "\n".join([intro, "", _markdown(head, rows), word_intro, "", _markdown(word_head, word_rows)])
    return plain, md


def s1_target(plan: Plan) -> float:
    """S1's target (the county's NKI), 80 when the plan has no S1."""
    s1 = plan.by_metric("nki_länsmedel")
    return float(s1.target) if s1 is not None and s1.target is not None else 80.0


def word_targets(target: float) -> tuple[float, ...]:
    """The targets the NKI chance words are tried against: NKI_WORD_TARGETS and S1's own."""
    return tuple(sorted({*NKI_WORD_TARGETS, target}))


def run(
    data_dir: Path, plan: Plan, settings: dict, today: dt.date | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame, list[int]]:
    """The replay, its measures, and the NKI part (coverage, words), on one loaded dataset."""
    dataset = load_dataset_once(Path(data_dir))
    rule = forecast.rules(settings)
    years = replay_years(complete_years(dataset.tables, today), rule)
    frame = replay(dataset, plan, settings, years)
    table = measures(frame, rule.level)
    target = s1_target(plan)
    cover = nki_coverage(nki_backtest(NKI_SERIES, settings, target))
    words = word_outcomes(nki_words(NKI_SERIES, settings, rule, word_targets(target)), rule)
    return frame, table, cover, words, years


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bro_analysis.running.backtest")
    parser.add_argument("--data", default=str(EXAMPLE_DATA_DIR))
    parser.add_argument("--out", default=str(OUTPUTS_DIR / "benchmark"))
    args = parser.parse_args(argv)
    started = time.perf_counter()
    plan, settings = load_plan(), load_settings()
    frame, table, cover, words, years = run(Path(args.data), plan, settings)
    level = forecast.rules(settings).level
    seconds = time.perf_counter() - started
    nki_plain, nki_md = nki_text(cover, words, level, word_targets(s1_target(plan)))
    rows = measure_rows(table)
    lines = notes(frame, years, STAGE_LOG in load_dataset_once(Path(args.data)).tables)
    summary = summary_lines(table, level)
    print("Återspelning av helårsprognoserna")
    print(plain_table(MEASURE_HEAD, rows))
    print("\n".join(summary) + "\n")
    print("NKI-trenden")
    print(nki_plain)
    print("\n".join(f"- {n}" for n in lines))
    print(f"\nTid: {fmt_number(seconds, 1)} s")
    out = Path(args.out)
    write_atomic(out / "backtest.csv", frame.to_csv(index=False, sep=";", decimal=",", lineterminator="\n"))
    md = "\n".join(
        [
            "# Återspelning av prognoserna",
            "",
            "Helårsprognosen för varje nyckelresultat och månad, mot årets faktiska slut.",
            "",
            _markdown(MEASURE_HEAD, rows),
            LEGEND,
            "",
            *(f"- {s}" for s in summary),
            "",
            "## NKI-trenden",
            "",
            nki_md,
            "## Förbehåll",
            "",
            *(f"- {n}" for n in lines),
            "",
            f"Tid: {fmt_number(seconds, 1)} s.",
            "",
        ]
    )
    write_atomic(out / "backtest.md", md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
