"""The numbers: computations on the loaded tables, returning DataFrames."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from bro_analysis.analysis import coverage
from bro_analysis.analysis import forecast as fc
from bro_analysis.core.periods import Period
from bro_analysis.input.contracts import DECIDED_STAGES

REALISED = DECIDED_STAGES


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


# A project worth more than this share of a period's total decides that total on its own:
# the report names it, and the value key result's status says "avgörs av ett projekt".
ONE_PROJECT_SHARE = 0.5


JOBS = "arbetstillfällen"


TRAINING = "utbildning"


DIALOGUE = "företagsdialog"


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


def member_realised(inv: pd.DataFrame, period: Period, areas, code: str) -> pd.Series:
    """One member's realised projects in `areas` in the period, summarised (what counts in I1)."""
    rows = realised(inv, period, areas)
    return summarise(rows[rows["kommunkod"] == code])


def summarise_by(rows: pd.DataFrame, by: str, categories=None) -> pd.DataFrame:
    """`summarise` per value of `by`; every category in `categories` gets a row (zeros if none)."""
    keys = list(categories) if categories is not None else sorted(rows[by].dropna().unique())
    out = pd.DataFrame([summarise(rows[rows[by] == key]) for key in keys], index=keys)
    out.index.name = by
    return out.reset_index()


def by_target_area(inv: pd.DataFrame, period: Period, priority_areas, other_areas, first=None) -> pd.DataFrame:
    """Per target area: realised in the period (value, jobs) and the pipeline open at its end.
    `first` (coverage.first_dates): a target area the register records only after the period
    has no numbers (NA, never 0) and its first day in `förs_från`."""
    areas = list(priority_areas) + list(other_areas)
    done = summarise_by(realised(inv, period), "målområde", areas)
    open_ = summarise_by(pipeline(inv, period), "målområde", areas)
    done["prioriterat"] = done["målområde"].isin(list(priority_areas))
    done["pipeline_projekt"] = open_["projekt"].to_numpy()
    done["pipeline_msek"] = open_["värde_msek"].to_numpy()
    first = first or {}
    numbers = [c for c in done.columns if c not in ("målområde", "prioriterat")]
    done = coverage.mask(done, "målområde", numbers, first, period)
    done["förs_från"] = done["målområde"].map(lambda a: first[a] if a in first and first[a] > period.end else pd.NaT)
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


def decided_by_one(conc: pd.Series) -> bool:
    """True when the largest project of a `concentration` is more than ONE_PROJECT_SHARE of the total."""
    share = conc["andel_största"]
    return bool(pd.notna(share) and share > ONE_PROJECT_SHARE)


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


# --- Forecasts --------------------------------------------------------------------------------

# The year-end forecast of the decided value is simulated: this many draws, from this seed, so a
# rerun gives the same interval and chance.
DRAWS = 20_000
SEED = 2026


def decided_by_year_end(inv: pd.DataFrame, period: Period, areas=None) -> pd.DataFrame:
    """The pipeline open at the end of `period` (see `pipeline`) with a column `beslutad`:
    decided (beslut/etablerad) by 31 December of the period's year."""
    rows = pipeline(inv, period, areas)
    decided = rows["skede"].isin(REALISED) & (rows["beslutsdatum"] <= Period(period.year).end)
    return rows.assign(beslutad=decided.to_numpy(dtype=bool))


def decision_rates(inv: pd.DataFrame, period: Period, areas=None, first_year: int | None = None) -> pd.DataFrame:
    """Per complete year from `first_year` to the one before the period's: the projects open at
    the same date as the period's end (first contact by then, not decided by then), how many
    of them were decided by that year's 31 December, and that share ('andel'; NaN for a year
    with no open project).

    The share is of projects, not of their value: one large project swings a value share
    between near 0 and near 1 from year to year, while the share of projects is steadier; the
    value's lumpiness is carried by the forecast's interval instead (`simulate_decided`).
    Lost projects are left out, as in `pipeline`: the register does not say when they were
    lost, so they cannot be placed as open or not at a date."""
    years = range(first_year, period.year) if first_year is not None else range(0)
    rows = []
    for year in years:
        frame = decided_by_year_end(inv, Period(year, period.end_month), areas)
        decided = int(frame["beslutad"].sum())
        rows.append(
            {
                "år": year,
                "öppna": len(frame),
                "beslutade": decided,
                "andel": decided / len(frame) if len(frame) else np.nan,
            }
        )
    return pd.DataFrame(rows, columns=["år", "öppna", "beslutade", "andel"])


def simulate_decided(values, rates, draws: int = DRAWS, seed: int = SEED) -> np.ndarray:
    """The value decided before the year's end out of the open projects `values` (MSEK; a
    missing value counts 0), once per draw: each draw picks one historical year's share at
    random and decides each open project with that chance. The year-to-year spread of the
    shares and the weight of single large projects both enter the result."""
    amounts = np.nan_to_num(np.asarray(values, dtype=float))
    rng = np.random.default_rng(seed)
    chances = rng.choice(np.asarray(rates, dtype=float), size=draws)
    decided = rng.random((draws, len(amounts))) < chances[:, None]
    return decided.astype(float) @ amounts


def training_count(act: pd.DataFrame, period: Period) -> int:
    """The number of training efforts in the period (key result I2's count)."""
    return len(training_efforts(act, period))


def training_path(act: pd.DataFrame, period: Period, target: float) -> pd.DataFrame:
    """Training efforts month by month this year against the seasonal pace of a year that
    reaches `target` (forecast.seasonal_path; the register's history starts at its first
    full year)."""
    return fc.seasonal_path(lambda p: training_count(act, p), fc.first_full_year(act["datum"]), period, target)
