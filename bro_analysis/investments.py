"""Investments and establishments: realised value, heavy tails, jobs, the pipeline
funnel, and the key results I1–I4.

The register (`investeringar`) holds one row per project at the furthest stage
it has reached *today*. A project is realised when it is at `beslut` or
`etablerad`; it is dated by its `beslutsdatum`. Values are in MSEK; a value
marked `uppskattat_värde` is an estimate and is kept apart from confirmed ones
(a missing flag counts as an estimate).

Funnel assumption: `förlorad` does not say when a project was lost. A lost
project is counted as having reached `dialog` (lost after dialog, before a
decision): it counts in "reached at least lead" and "reached at least dialog"
but not further.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from . import okr
from .formatting import fmt_int, fmt_msek, fmt_number, fmt_percent
from .periods import MONTHS_SV, Period

REALISED = ("beslut", "etablerad")
OPEN = ("lead", "dialog")
FUNNEL = ("lead", "dialog", "beslut", "etablerad")
LOST = "förlorad"
LOST_REACHED = "dialog"
STAGE_LABELS = {
    "lead": "Lead",
    "dialog": "Dialog",
    "beslut": "Beslut",
    "etablerad": "Etablerad",
    "förlorad": "Förlorad",
}
VALUE = "investeringsvärde_msek"
JOBS = "arbetstillfällen"
TRAINING = "utbildning"
DIALOGUE = "företagsdialog"


# --- selections -------------------------------------------------------------


def realised(inv: pd.DataFrame, period: Period | None = None, areas=None) -> pd.DataFrame:
    """Projects at beslut or etablerad, decided in `period`, in `areas` (None = all)."""
    rows = inv[inv["skede"].isin(REALISED) & inv["beslutsdatum"].notna()]
    if period is not None:
        rows = rows[period.contains(rows["beslutsdatum"])]
    if areas is not None:
        rows = rows[rows["målområde"].isin(list(areas))]
    return rows


def pipeline(inv: pd.DataFrame, period: Period, areas=None) -> pd.DataFrame:
    """Projects open at the end of `period`: first contacted by then, not lost, and
    either still at lead/dialog or decided after the period. Lost projects are left
    out because the register does not say when they were lost."""
    end = period.end
    started = inv["första_kontakt"] <= end
    still_open = inv["skede"].isin(OPEN)
    decided_later = inv["skede"].isin(REALISED) & (inv["beslutsdatum"] > end)
    rows = inv[started & (still_open | decided_later)]
    if areas is not None:
        rows = rows[rows["målområde"].isin(list(areas))]
    return rows


def cohort(inv: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Projects whose first contact falls in `period` (stage as of today)."""
    return inv[period.contains(inv["första_kontakt"])]


def is_estimated(rows: pd.DataFrame) -> pd.Series:
    """True where the value is an estimate (missing flag = estimate)."""
    return rows["uppskattat_värde"].astype("boolean").fillna(True).astype(bool)


# --- totals -----------------------------------------------------------------


def summarise(rows: pd.DataFrame) -> pd.Series:
    """Counts, total value split confirmed/estimated, and jobs of a set of projects."""
    values = rows[VALUE]
    estimated = is_estimated(rows)
    jobs = rows[JOBS]
    return pd.Series(
        {
            "projekt": len(rows),
            "värde_msek": float(values.sum()),
            "bekräftat_msek": float(values[~estimated].sum()),
            "uppskattat_msek": float(values[estimated].sum()),
            "utan_värde": int(values.isna().sum()),
            "arbetstillfällen": int(jobs.sum()) if len(rows) else 0,
            "utan_arbetstillfällen": int(jobs.isna().sum()),
        }
    )


def summarise_by(rows: pd.DataFrame, by: str, categories=None) -> pd.DataFrame:
    """`summarise` per value of `by`; every category in `categories` gets a row (zeros if none)."""
    keys = list(categories) if categories is not None else sorted(rows[by].dropna().unique())
    out = pd.DataFrame([summarise(rows[rows[by] == key]) for key in keys], index=keys)
    out.index.name = by
    return out.reset_index()


def by_area(inv: pd.DataFrame, period: Period, priority_areas, other_areas) -> pd.DataFrame:
    """Per target area: realised in the period (value, jobs) and the pipeline open at its end."""
    areas = list(priority_areas) + list(other_areas)
    done = summarise_by(realised(inv, period), "målområde", areas)
    open_ = summarise_by(pipeline(inv, period), "målområde", areas)
    done["prioriterat"] = done["målområde"].isin(list(priority_areas))
    done["pipeline_projekt"] = open_["projekt"].to_numpy()
    done["pipeline_msek"] = open_["värde_msek"].to_numpy()
    return done


def by_municipality(inv: pd.DataFrame, period: Period, members: dict[str, str]) -> pd.DataFrame:
    """Per member municipality: realised in the period (value, jobs) and the open pipeline."""
    done = summarise_by(realised(inv, period), "kommunkod", list(members))
    open_ = summarise_by(pipeline(inv, period), "kommunkod", list(members))
    done.insert(1, "kommun", [members[c] for c in done["kommunkod"]])
    done["pipeline_projekt"] = open_["projekt"].to_numpy()
    done["pipeline_msek"] = open_["värde_msek"].to_numpy()
    return done


def _years(inv: pd.DataFrame, last: Period, areas=None) -> range:
    decided = realised(inv, areas=areas)
    return range(int(decided["beslutsdatum"].dt.year.min()) if len(decided) else last.year, last.year + 1)


def realised_same_months(inv: pd.DataFrame, last: Period, areas=None) -> pd.DataFrame:
    """Realised projects decided in January–`last.end_month` of each year up to `last.year`."""
    parts = [realised(inv, Period(year, last.end_month), areas) for year in _years(inv, last, areas)]
    return pd.concat(parts) if parts else inv.iloc[0:0]


def yearly_totals(inv: pd.DataFrame, last: Period, areas=None) -> pd.DataFrame:
    """Per year up to `last.year`: realised value in January–`last.end_month`
    (the whole year for a full-year period), with the largest project and the
    total without it. Years before the first decision are left out."""
    columns = ["år", *summarise(inv.iloc[0:0]).index, "största_msek", "utan_största_msek"]
    if realised(inv, areas=areas).empty:
        return pd.DataFrame(columns=columns)
    rows = []
    for year in _years(inv, last, areas):
        period = Period(year, last.end_month)
        sel = realised(inv, period, areas)
        conc = concentration(sel)
        rows.append(
            {
                "år": year,
                **summarise(sel).to_dict(),
                "största_msek": conc["största_msek"],
                "utan_största_msek": conc["utan_största_msek"],
            }
        )
    return pd.DataFrame(rows, columns=columns)  # no rows when the period precedes the first decision


def change(current: float, previous: float) -> float:
    """Relative change current/previous − 1; NaN when previous is 0 or missing."""
    if previous is None or pd.isna(previous) or previous == 0:
        return float("nan")
    return float(current) / float(previous) - 1


# --- heavy tails --------------------------------------------------------------


def concentration(rows: pd.DataFrame) -> pd.Series:
    """How much the largest projects weigh: total, the largest (id, company, value,
    estimate?), its share and the top three's share, the total without the
    largest, and median and quartiles of project values (projects with a value)."""
    valued = rows[rows[VALUE].notna()].sort_values([VALUE, "id"], ascending=[False, True])
    values = valued[VALUE].astype(float)
    total = float(values.sum())
    out = {
        "projekt": len(valued),
        "total_msek": total,
        "största_msek": np.nan,
        "största_id": None,
        "största_företag": None,
        "största_uppskattat": None,
        "andel_största": np.nan,
        "andel_topp3": np.nan,
        "utan_största_msek": np.nan,
        "median_msek": np.nan,
        "q1_msek": np.nan,
        "q3_msek": np.nan,
    }
    if len(valued):
        top = valued.iloc[0]
        out.update(
            {
                "största_msek": float(top[VALUE]),
                "största_id": top["id"],
                "största_företag": top["företag"],
                "största_uppskattat": bool(is_estimated(valued).iloc[0]),
                "utan_största_msek": total - float(top[VALUE]),
                "median_msek": float(values.median()),
                "q1_msek": float(values.quantile(0.25)),
                "q3_msek": float(values.quantile(0.75)),
            }
        )
        if total > 0:
            out["andel_största"] = float(top[VALUE]) / total
            out["andel_topp3"] = float(values.iloc[:3].sum()) / total
    return pd.Series(out)


def top_projects(rows: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    """The `n` largest projects with their share of the total and whether the value is an estimate."""
    valued = rows[rows[VALUE].notna()].sort_values([VALUE, "id"], ascending=[False, True])
    total = valued[VALUE].sum()
    top = valued.head(n)
    return pd.DataFrame(
        {
            "företag": top["företag"].to_numpy(),
            "kommun": top["kommun"].to_numpy(),
            "målområde": top["målområde"].to_numpy(),
            "värde_msek": top[VALUE].to_numpy(dtype=float),
            "andel": (top[VALUE] / total).to_numpy(dtype=float) if total > 0 else np.nan,
            "uppskattat": np.where(is_estimated(top), "ja", "nej"),
        }
    )


# --- funnel and lead time -----------------------------------------------------


def funnel(rows: pd.DataFrame) -> pd.DataFrame:
    """Per stage: projects at the stage now and their value, projects that reached
    at least the stage, and conversion from the stage before. Lost projects are
    counted as having reached dialog (see the module docstring)."""
    rank = {stage: i for i, stage in enumerate(FUNNEL)}
    stages = rows["skede"]
    out = []
    for stage in (*FUNNEL, LOST):
        at = rows[stages == stage]
        record = {
            "skede": stage,
            "i_skedet": len(at),
            "värde_msek": float(at[VALUE].sum()),
            "uppskattat_msek": float(at.loc[is_estimated(at), VALUE].sum()),
            "nått_minst": np.nan,
            "konvertering": np.nan,
        }
        if stage != LOST:
            reached = stages.map(rank).ge(rank[stage]).sum()
            if rank[stage] <= rank[LOST_REACHED]:
                reached += (stages == LOST).sum()
            record["nått_minst"] = int(reached)
        out.append(record)
    frame = pd.DataFrame(out)
    reached = frame["nått_minst"]
    before = reached.shift(1)
    frame["konvertering"] = np.where(before > 0, reached / before.where(before > 0), np.nan)
    frame.loc[frame["skede"] == LOST, "konvertering"] = np.nan
    return frame


def lead_time(rows: pd.DataFrame) -> pd.Series:
    """Days from första_kontakt to beslutsdatum for decided projects: n, median,
    quartiles (pandas' linear interpolation). Negative spans are data errors and
    left out (counted in `ogiltiga`)."""
    decided = rows[rows["skede"].isin(REALISED) & rows["beslutsdatum"].notna()]
    days = (decided["beslutsdatum"] - decided["första_kontakt"]).dt.days.dropna()
    valid = days[days >= 0].astype(float)
    return pd.Series(
        {
            "n": len(valid),
            "median_dagar": valid.median() if len(valid) else np.nan,
            "q1_dagar": valid.quantile(0.25) if len(valid) else np.nan,
            "q3_dagar": valid.quantile(0.75) if len(valid) else np.nan,
            "ogiltiga": int((days < 0).sum()),
        }
    )


# --- the other key results ------------------------------------------------------


def training_efforts(act: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Training efforts (typ utbildning) in the period: date, title, number of municipalities."""
    rows = act[(act["typ"] == TRAINING) & period.contains(act["datum"])].sort_values("datum")
    counts = rows["kommuner"].map(lambda k: len(k) if isinstance(k, (list, tuple, set)) else 0)
    return pd.DataFrame(
        {
            "datum": rows["datum"].dt.strftime("%Y-%m-%d").to_numpy(),
            "titel": rows["titel"].to_numpy(),
            "kommuner": counts.to_numpy(),
        }
    )


def _company_key(name) -> str:
    return re.sub(r"\s+", " ", str(name)).strip().casefold()


def strategic_companies(act: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Distinct companies with a documented dialogue (typ företagsdialog) in the
    period: name as first written, number of dialogues, latest date. Names are
    matched ignoring case and extra spaces; a dialogue without a company is not counted."""
    rows = act[(act["typ"] == DIALOGUE) & period.contains(act["datum"])]
    rows = rows[rows["företag"].notna() & (rows["företag"].astype(str).str.strip() != "")]
    rows = rows.sort_values("datum").assign(_key=lambda f: f["företag"].map(_company_key))
    grouped = rows.groupby("_key", sort=False).agg(
        företag=("företag", "first"), dialoger=("id", "count"), senast=("datum", "max")
    )
    grouped["senast"] = grouped["senast"].dt.strftime("%Y-%m-%d")
    return grouped.sort_values("företag").reset_index(drop=True)


def dialogues_without_company(act: pd.DataFrame, period: Period) -> int:
    """Company dialogues in the period that name no company (not counted in I3)."""
    rows = act[(act["typ"] == DIALOGUE) & period.contains(act["datum"])]
    return int((rows["företag"].isna() | (rows["företag"].astype(str).str.strip() == "")).sum())


def readiness(municipalities: pd.DataFrame, members: dict[str, str], year: int) -> pd.DataFrame:
    """Every member municipality and its etableringsberedskap for `year`:
    'ja', 'nej' or 'uppgift saknas' (no row, or an empty cell)."""
    rows = municipalities[municipalities["år"] == year].drop_duplicates("kommunkod").set_index("kommunkod")
    status = []
    for code in members:
        value = rows["etableringsberedskap"].get(code, pd.NA) if len(rows) else pd.NA
        status.append("uppgift saknas" if pd.isna(value) else ("ja" if bool(value) else "nej"))
    return pd.DataFrame({"kommunkod": list(members), "kommun": list(members.values()), "beredskap": status})


# --- Swedish text -------------------------------------------------------------


def join_sv(items) -> str:
    """'A', 'A och B', 'A, B och C'."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} och {items[-1]}"


def _projects(n: int) -> str:
    return f"{fmt_int(n)} projekt"


def _change_phrase(rel: float) -> str:
    if pd.isna(rel):
        return "en förändring som inte kan anges i procent eftersom jämförelseperioden saknar värde"
    word = "en ökning" if rel > 0 else ("en minskning" if rel < 0 else "oförändrat")
    if rel == 0:
        return word
    return f"{word} med {fmt_percent(abs(rel))}"


def dominant_project(conc: pd.Series) -> str | None:
    """The company of the largest project if it is more than half of the total, else None."""
    share = conc["andel_största"]
    return conc["största_företag"] if pd.notna(share) and share > 0.5 else None


def total_text(current: pd.Series, previous: pd.Series, period: Period, what: str) -> list[str]:
    """Sentences: the total against the same months a year earlier, and plainly how
    far single projects drive the change (named when more than half of a total)."""
    prev = period.previous
    cur_total, prev_total = current["total_msek"], previous["total_msek"]
    rel = change(cur_total, prev_total)
    out = [
        f"Under {period.label} fattades beslut om investeringar {what} till ett sammanlagt värde av "
        f"{fmt_msek(cur_total)} ({_projects(current['projekt'])}). Under {prev.label} var värdet "
        f"{fmt_msek(prev_total)} ({_projects(previous['projekt'])}), {_change_phrase(rel)}."
    ]
    out.append("Totalen bestäms av ett fåtal stora projekt, så en förändring mellan åren kan bero på ett enda projekt.")
    for conc, label in ((current, period.label), (previous, prev.label)):
        name = dominant_project(conc)
        if name is not None:
            out.append(
                f"Under {label} stod ett enda projekt, {name}, för {fmt_percent(conc['andel_största'])} "
                f"av värdet ({fmt_msek(conc['största_msek'])}"
                f"{', uppskattat' if conc['största_uppskattat'] else ''})."
            )
    if current["projekt"] and previous["projekt"]:
        rel_wo = change(current["utan_största_msek"], previous["utan_största_msek"])
        out.append(
            f"Utan det största projektet varje period blir värdet {fmt_msek(current['utan_största_msek'])} "
            f"mot {fmt_msek(previous['utan_största_msek'])}, {_change_phrase(rel_wo)}."
        )
    return out


def concentration_text(conc: pd.Series, label: str) -> str:
    """Sentences on the heavy tail of one period's realised projects."""
    n = int(conc["projekt"])
    if n == 0:
        return f"Inga beslutade investeringar med angivet värde under {label}."
    if n == 1:
        return (
            f"Under {label} finns bara ett beslutat projekt med angivet värde "
            f"({fmt_msek(conc['total_msek'])}); det utgör hela totalen och någon spridning går inte att ange."
        )
    return (
        f"Under {label} stod det största projektet för {fmt_percent(conc['andel_största'])} av totalen och "
        f"de tre största för {fmt_percent(conc['andel_topp3'])}. Utan det största projektet är totalen "
        f"{fmt_msek(conc['utan_största_msek'])}. Ett typiskt projekt (medianen av {fmt_int(n)}) var "
        f"{fmt_msek(conc['median_msek'])}; hälften av projekten låg mellan {fmt_msek(conc['q1_msek'])} och "
        f"{fmt_msek(conc['q3_msek'])}. Ett statistiskt osäkerhetsintervall för totalen vore missvisande när "
        "enstaka projekt dominerar; känsligheten visas i stället som totalen utan det största projektet."
    )


def estimate_text(summary: pd.Series, label: str) -> str:
    """How much of a total is estimated, and how many projects lack a value."""
    total = summary["värde_msek"]
    text = (
        f"Av värdet under {label} är {fmt_msek(summary['bekräftat_msek'])} bekräftade belopp och "
        f"{fmt_msek(summary['uppskattat_msek'])} uppskattningar"
        + (f" ({fmt_percent(summary['uppskattat_msek'] / total)} av totalen)." if total > 0 else ".")
    )
    if summary["utan_värde"]:
        text += (
            f" {fmt_int(summary['utan_värde'])} beslutade projekt saknar värde i registret och ingår inte "
            "i summan, som därför är en nedre gräns."
        )
    return text


def jobs_text(summary: pd.Series, label: str) -> str:
    """Jobs in realised projects, with the projects that lack a number."""
    text = (
        f"De beslutade projekten under {label} anger sammanlagt {fmt_int(summary['arbetstillfällen'])} "
        "nya arbetstillfällen."
    )
    if summary["utan_arbetstillfällen"]:
        text += (
            f" {fmt_int(summary['utan_arbetstillfällen'])} av {fmt_int(summary['projekt'])} projekt "
            "saknar uppgift och ingår inte."
        )
    return text


def funnel_text(frame: pd.DataFrame, label: str) -> str:
    """Sentences on the funnel of one cohort."""
    f = frame.set_index("skede")
    n = int(f.loc["lead", "nått_minst"])
    if n == 0:
        return f"Inga projekt hade sin första kontakt under {label}."
    decided = int(f.loc["beslut", "nått_minst"])
    conv = f.loc["beslut", "konvertering"]
    return (
        f"Av de {fmt_int(n)} projekt som hade sin första kontakt under {label} har {fmt_int(decided)} "
        f"nått beslut eller etablering ({fmt_percent(decided / n)}), {fmt_int(f.loc[LOST, 'i_skedet'])} "
        f"har gått förlorade och {fmt_int(f.loc['lead', 'i_skedet'] + f.loc['dialog', 'i_skedet'])} är "
        f"fortfarande öppna. Av dem som nått dialog gick {fmt_percent(conv)} vidare till beslut. "
        "Förlorade projekt räknas som förlorade efter dialog, eftersom registret inte anger när de föll bort. "
        "Skedet är det projektet nått i dag, så en ny årgång har haft kortare tid att nå beslut."
    )


def months_note(period: Period) -> str:
    """'' for a full year, ' (januari–augusti varje år)' for a year to date."""
    if period.is_full_year:
        return ""
    months = "januari" if period.end_month == 1 else f"januari–{MONTHS_SV[period.end_month - 1]}"
    return f" ({months} varje år)"


def end_label(period: Period) -> str:
    """'2025' for a full year, 'augusti 2026' for a year to date."""
    return period.label if period.is_full_year else f"{MONTHS_SV[period.end_month - 1]} {period.year}"


def pipeline_text(summary: pd.Series, period: Period) -> str:
    """The pipeline open at the end of the period: count, value, share estimated."""
    if not summary["projekt"]:
        return f"Inga projekt var öppna (lead eller dialog) vid utgången av {end_label(period)}."
    total = summary["värde_msek"]
    text = (
        f"Vid utgången av {end_label(period)} var {fmt_int(summary['projekt'])} projekt öppna (lead eller dialog) "
        f"med ett sammanlagt angivet värde av {fmt_msek(total)}"
    )
    text += f", varav {fmt_percent(summary['uppskattat_msek'] / total)} uppskattningar." if total > 0 else "."
    if summary["utan_värde"]:
        text += f" {fmt_int(summary['utan_värde'])} öppna projekt saknar värde."
    return text + (
        " Pipelinen är möjliga, inte beslutade, investeringar och ingår inte i nyckelresultatet. "
        "Förlorade projekt räknas inte som öppna, eftersom registret inte anger när de föll bort."
    )


def lead_time_text(lt: pd.Series, label: str) -> str:
    """Median and quartiles of the lead time, with n."""
    n = int(lt["n"])
    if n == 0:
        return f"Inga projekt fick beslut under {label}, så ledtiden kan inte anges."
    months = lambda d: fmt_number(d / 30.44, 1)  # noqa: E731
    text = (
        f"För de {fmt_int(n)} projekt som fick beslut under {label} var tiden från första kontakt till "
        f"beslut i median {fmt_int(lt['median_dagar'])} dagar (cirka {months(lt['median_dagar'])} månader); "
        f"hälften låg mellan {fmt_int(lt['q1_dagar'])} och {fmt_int(lt['q3_dagar'])} dagar."
    )
    if n < 10:
        text += " Underlaget är litet, så medianen är osäker."
    return text


def training_text(count: int, target: float, label: str) -> str:
    return (
        f"Under {label} genomfördes {fmt_int(count)} utbildningsinsatser om investeringar och etableringar "
        f"(aktiviteter av typen utbildning); målet är minst {fmt_int(target)} per år. Gemensamma workshops "
        "av typen workshop redovisas under samverkan (nyckelresultat S5) och räknas inte här."
    )


def companies_text(count: int, target: float, label: str, unnamed: int) -> str:
    text = (
        f"Under {label} fördes dokumenterade dialoger med {fmt_int(count)} olika strategiskt viktiga "
        f"företag; målet är minst {fmt_int(target)}. Ett företag räknas en gång även om det haft flera dialoger."
    )
    if unnamed:
        text += f" {fmt_int(unnamed)} dialoger saknar företagsnamn och räknas inte."
    return text


def readiness_text(frame: pd.DataFrame, year: int) -> str:
    ready = frame[frame["beredskap"] == "ja"]
    not_ready = frame[frame["beredskap"] == "nej"]["kommun"].tolist()
    missing = frame[frame["beredskap"] == "uppgift saknas"]["kommun"].tolist()
    text = (
        f"{fmt_int(len(ready))} av {fmt_int(len(frame))} medlemskommuner har beredskap att ta emot och "
        f"svara på etableringsförfrågningar ({year})."
    )
    if not_ready:
        text += f" Beredskap saknas i {join_sv(not_ready)}."
    if missing:
        text += f" Uppgift saknas för {join_sv(missing)}."
    return text


# --- key results ----------------------------------------------------------------


def _fraction(period: Period) -> float:
    return period.end_month / 12


def outcome_i1(inv: pd.DataFrame, period: Period, plan) -> okr.Outcome:
    """I1: realised value in prioritised areas against the previous period (same months).
    Status by okr.judge; the reason adds the single-project sensitivity."""
    kr = plan.key_result("I1")
    register = okr.Register(inv, "första_kontakt", "investeringsregistret")
    why = okr.uncovered(register, period)
    if why:
        return okr.Outcome("I1", None, None, okr.UNKNOWN, why, "–", "–")
    cur = realised(inv, period, plan.priority_areas)
    prev = realised(inv, period.previous, plan.priority_areas)
    cc, cp = concentration(cur), concentration(prev)
    value = round(cc["total_msek"], 6)
    previous = None if okr.uncovered(register, period.previous) else round(cp["total_msek"], 6)
    status, reason = okr.judge(kr, value, previous, len(plan.members), _fraction(period))
    reason += f" ({period.label} mot {period.previous.label})"
    if cc["projekt"] and cp["projekt"] and previous:
        reason += (
            f"; utan det största projektet {_change_phrase(change(cc['utan_största_msek'], cp['utan_största_msek']))}"
        )
    for conc, label in ((cc, period.label), (cp, period.previous.label)):
        name = dominant_project(conc)
        if name is not None:
            reason += f"; {name} stod för {fmt_percent(conc['andel_största'])} av värdet {label}"
    missing = int(cur[VALUE].isna().sum())
    if missing:
        reason += f"; {missing} beslutade projekt saknar värde"
    return okr.Outcome("I1", value, previous, status, reason, fmt_msek(value), fmt_msek(previous))


def outcome_i2(act: pd.DataFrame, period: Period, plan) -> okr.Outcome:
    register = okr.Register(act, "datum", "aktivitetsregistret")
    return okr.count_outcome(
        plan.key_result("I2"), register, lambda p: len(training_efforts(act, p)), period, len(plan.members), "insatser"
    )


def outcome_i3(act: pd.DataFrame, period: Period, plan) -> okr.Outcome:
    register = okr.Register(act, "datum", "aktivitetsregistret")
    return okr.count_outcome(
        plan.key_result("I3"),
        register,
        lambda p: len(strategic_companies(act, p)),
        period,
        len(plan.members),
        "företag",
    )


def outcome_i4(municipalities: pd.DataFrame, period: Period, plan) -> okr.Outcome:
    """I4: members with etableringsberedskap = ja for the period's year; the reason
    names those that are not ready or lack a value. No rows for the year = unknown."""
    kr = plan.key_result("I4")
    members = len(plan.members)

    def count(year):
        if not (municipalities["år"] == year).any():
            return None, None
        frame = readiness(municipalities, plan.members, year)
        return int((frame["beredskap"] == "ja").sum()), frame

    value, frame = count(period.year)
    previous, _ = count(period.previous.year)
    status, reason = okr.judge(kr, value, previous, members, _fraction(period))
    if frame is not None:
        others = frame[frame["beredskap"] != "ja"]
        if len(others):
            reason += f"; inte redo: {join_sv(others['kommun'] + ' (' + others['beredskap'] + ')')}"
    text = lambda v: "–" if v is None else f"{fmt_int(v)} av {members} kommuner"  # noqa: E731
    return okr.Outcome("I4", value, previous, status, reason, text(value), text(previous))


def outcomes(ctx) -> list[okr.Outcome]:
    """Key results I1–I4 for the context's period."""
    ds, period, plan = ctx.dataset, ctx.period, ctx.plan
    return [
        outcome_i1(ds["investeringar"], period, plan),
        outcome_i2(ds["aktiviteter"], period, plan),
        outcome_i3(ds["aktiviteter"], period, plan),
        outcome_i4(ds["kommuner"], period, plan),
    ]


# --- alt texts --------------------------------------------------------------------


def totals_alt_text(yearly: pd.DataFrame, what: str) -> str:
    if yearly.empty:
        return "Stapeldiagram utan data."
    peak = yearly.loc[yearly["värde_msek"].idxmax()]
    last = yearly.iloc[-1]
    return (
        f"Stapeldiagram över beslutat investeringsvärde {what} per år {int(yearly['år'].iloc[0])}–"
        f"{int(last['år'])}, uppdelat i bekräftade (fyllda) och uppskattade (streckade) belopp. "
        f"Högst var {int(peak['år'])} med {fmt_msek(peak['värde_msek'])}; senaste året "
        f"{fmt_msek(last['värde_msek'])}. Romber visar totalen utan årets största projekt."
    )


def distribution_alt_text(rows: pd.DataFrame) -> str:
    valued = rows[rows[VALUE] > 0]
    if valued.empty:
        return "Diagram utan data."
    return (
        f"Punkt- och lådagram på logaritmisk skala över {fmt_int(len(valued))} beslutade projekts värde per år. "
        f"Värdena går från {fmt_msek(valued[VALUE].min())} till {fmt_msek(valued[VALUE].max())}; "
        "fyllda punkter är bekräftade värden, ofyllda uppskattningar."
    )


def funnel_alt_text(current: pd.DataFrame, label: str) -> str:
    f = current.set_index("skede")
    parts = [f"{STAGE_LABELS[s].lower()} {fmt_int(f.loc[s, 'nått_minst'])}" for s in FUNNEL]
    return (
        f"Liggande staplar: antal projekt med första kontakt under {label} som nått minst varje skede: "
        f"{', '.join(parts)}; förlorade {fmt_int(f.loc[LOST, 'i_skedet'])}. Jämförelseårgången visas streckad."
    )


# --- report tables (Swedish column names) -------------------------------------------


def _totals_columns(frame: pd.DataFrame) -> dict:
    """The columns `by_area` and `by_municipality` share, with their report names."""
    return {
        "Beslutade projekt": frame["projekt"],
        "Värde, MSEK": frame["värde_msek"],
        "varav uppskattat, MSEK": frame["uppskattat_msek"],
        "Arbetstillfällen": frame["arbetstillfällen"],
        "Öppna projekt": frame["pipeline_projekt"],
        "Öppet värde, MSEK": frame["pipeline_msek"],
    }


def area_table(frame: pd.DataFrame) -> pd.DataFrame:
    """`by_area` for the report."""
    label = frame["målområde"] + np.where(frame["prioriterat"], " (prioriterat)", "")
    return pd.DataFrame({"Målområde": label, **_totals_columns(frame)})


def municipality_table(frame: pd.DataFrame) -> pd.DataFrame:
    """`by_municipality` for the report."""
    return pd.DataFrame({"Kommun": frame["kommun"], **_totals_columns(frame)})


def funnel_table(frame: pd.DataFrame) -> pd.DataFrame:
    """`funnel` for the report."""
    return pd.DataFrame(
        {
            "Skede": frame["skede"].map(STAGE_LABELS),
            "I skedet nu": frame["i_skedet"],
            "Nått minst skedet": frame["nått_minst"],
            "Andel från föregående skede": frame["konvertering"],
            "Värde i skedet, MSEK": frame["värde_msek"],
            "varav uppskattat, MSEK": frame["uppskattat_msek"],
        }
    )


def top_table(frame: pd.DataFrame) -> pd.DataFrame:
    """`top_projects` for the report."""
    return pd.DataFrame(
        {
            "Företag": frame["företag"],
            "Kommun": frame["kommun"],
            "Målområde": frame["målområde"],
            "Värde, MSEK": frame["värde_msek"],
            "Andel av totalen": frame["andel"],
            "Uppskattat värde": frame["uppskattat"],
        }
    )


def yearly_table(frame: pd.DataFrame) -> pd.DataFrame:
    """`yearly_totals` for the report."""
    return pd.DataFrame(
        {
            "År": frame["år"].astype(int).astype(str),
            "Beslutade projekt": frame["projekt"],
            "Värde, MSEK": frame["värde_msek"],
            "varav uppskattat, MSEK": frame["uppskattat_msek"],
            "Största projektet, MSEK": frame["största_msek"],
            "Utan det största, MSEK": frame["utan_största_msek"],
        }
    )


def assumptions() -> list[str]:
    """The choices behind the numbers, for the report's caveats."""
    return [
        "En investering räknas som genomförd när projektet nått beslut eller etablering, och dateras med "
        "beslutsdatum. Registret visar det skede projektet nått i dag.",
        "Nyckelresultatet gäller de prioriterade målområdena i data/okr.toml; tabellerna visar alla målområden.",
        "Uppskattade värden redovisas skilt från bekräftade. Projekt utan värde ingår inte i summorna.",
        "Trattens skeden: ett projekt som nått ett senare skede har passerat de tidigare. Förlorade projekt "
        "räknas som förlorade efter dialog (de har nått lead och dialog men inte beslut), eftersom registret "
        "inte anger när de föll bort.",
        "Ledtid är dagar från första kontakt till beslutsdatum, för projekt med beslut under perioden.",
        "Utbildningsinsatser är aktiviteter av typen utbildning. Strategiska företag är olika företag med minst "
        "en dokumenterad företagsdialog under perioden. Beredskap gäller uppgiften i kommuntabellen för "
        "periodens år; en kommun utan uppgift räknas som inte redo.",
        "För en period del av året jämförs med samma månader året innan; antal insatser och företag bedöms som "
        '"på väg" om de ligger i takt med helårsmålet.',
    ]
