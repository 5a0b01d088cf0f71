"""What every notebook starts from: the period, the data and the plan."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from bro_analysis.core.config import Plan, data_folder, load_plan, load_settings
from bro_analysis.core.periods import Period, PeriodError, parse_period, resolve_periods
from bro_analysis.input.assessments import Assessment, load_assessment
from bro_analysis.input.contracts import ORIGINS
from bro_analysis.input.loading import DataError, Dataset, Problem, load_dataset
from bro_analysis.presentation.source import Source

_UNSAFE = re.compile(r"[\x00-\x1f\x7f\"'`]")  # could end a string literal or a line of code


def check_parameters(period: str, data_dir: str | Path) -> None:
    """The notebook parameters, checked before papermill injects them and again in the
    notebook: a period key ('2025', '2026-08' or '' for the default) and an existing
    data folder ('' for the example data) whose name holds no quotes or line breaks."""
    key = str(period)
    if key and (parse_period(key) is None or key != key.strip()):  # parse_period raises when wrong
        raise PeriodError(f"Parametern period='{key}' ska skrivas ÅÅÅÅ eller ÅÅÅÅ-MM")
    folder = str(data_dir)
    if _UNSAFE.search(folder):
        raise DataError(
            [
                Problem(
                    repr(folder),
                    message=("datamappens namn får inte innehålla citattecken, radbrytningar eller styrtecken"),
                )
            ]
        )
    if folder and not Path(folder).is_dir():
        raise DataError([Problem(folder, message="datamappen finns inte")])


@dataclass
class Context:
    """The loaded inputs of one report."""

    period: Period
    dataset: Dataset
    plan: Plan
    settings: dict
    assessment: Assessment | None = None  # BRO's assessment of the period (bedomningar/<period>.md)

    def source(self, *tables: str) -> Source:
        """The source line for a figure or table made from these input tables: who
        collected the data (for the NKI tables also whether they came via Kolada), the years
        or the last date it covers, and 'bearbetning BRO'."""
        parts = []
        for name in tables:
            found = next((s for s in self.dataset.sources if s.table == name), None)
            parts.append(self.origin(name, _coverage(found)) if found else self.origin(name))
        return Source("; ".join(parts) + "; bearbetning BRO", self.dataset.is_example)

    def origin(self, table: str, *more: str) -> str:
        """Who collected a table's data, with `more` (the years covered …) in its brackets:
        'SKR Insikt (2019–2025)', or for NKI rows `bro-analysis kolada importera` wrote
        'Kolada (SKR Insikt, nyckeltal U07451, 2019–2025)', and both when the table mixes them."""
        frame = self.dataset.tables.get(table)
        label, details = nki_origin(frame, self.settings, table) if frame is not None else (ORIGINS[table], [])
        inside = [*details, *more]
        return f"{label} ({', '.join(inside)})" if inside else label


_VIA_KOLADA = r"\s*kolada\b"


def nki_origin(frame: pd.DataFrame, settings: dict, table: str) -> tuple[str, list[str]]:
    """The origin of an NKI table's rows and what to say in its brackets. Rows whose `källa`
    starts with 'Kolada' came through Kolada (the KPI ids are those of [kolada.kpi] in
    settings.toml that map to the rows' area and measure); every other row, and every other
    table, is as ORIGINS says."""
    if table not in ("nki", "nki_riket") or "källa" not in frame:
        return ORIGINS[table], []
    via = frame["källa"].astype("string").str.match(_VIA_KOLADA, case=False).fillna(False).astype(bool)
    if not via.any():
        return ORIGINS[table], []
    pairs = set(zip(frame.loc[via, "område"], frame.loc[via, "mått"]))
    mapped = settings.get("kolada", {}).get("kpi", {})
    ids = sorted(k for k, e in mapped.items() if (e.get("område"), e.get("mått")) in pairs)
    details = [f"nyckeltal {', '.join(ids)}"] if ids else []
    if table == "nki_riket":
        details.append("alla Sveriges kommuner")
    if via.all():
        return "Kolada", ["SKR Insikt", *details]
    return "SKR Insikt, delvis via Kolada", details


def _coverage(source) -> str:
    """'2019–2025' for years, 'data t.o.m. 2026-10-31' for dates (the file is named in the appendix)."""
    if not source.last_date:
        return "utan datum"
    if len(str(source.last_date)) == 4:
        return f"{source.first_date}–{source.last_date}"
    return f"data t.o.m. {source.last_date}"


_LOADED: dict[tuple, Dataset] = {}


def _fingerprint(data_dir: Path) -> tuple:
    """Name, size and modification time of every file: changes when any input does."""
    return tuple(sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in data_dir.iterdir() if p.is_file()))


def load_dataset_once(data_dir: Path) -> Dataset:
    """load_dataset, remembered for this process while no input file changes.

    A kernel that runs one notebook after another (the runner's pool) then reads
    and validates the files once. Each caller gets its own copies of the tables
    (copy-on-write, so this is cheap), so no notebook can change another's data."""
    data_dir = Path(data_dir).resolve()
    key = (data_dir, _fingerprint(data_dir))
    if key not in _LOADED:
        _LOADED.clear()
        _LOADED[key] = load_dataset(data_dir)
    cached = _LOADED[key]
    return replace(cached, tables={k: v.copy() for k, v in cached.tables.items()}, warnings=list(cached.warnings))


def open_context(period: str = "", data_dir: str | Path = "") -> Context:
    """Load the data folder (default: the working folder's, see config.data_folder) and resolve the period by the
    same rule as the command line (periods.resolve_periods; default: the latest year
    that is over in the calendar and in the data)."""
    check_parameters(period, data_dir)
    folder = data_folder(data_dir or None)
    dataset = load_dataset_once(folder)
    (resolved,) = resolve_periods([str(period)] if period else None, dataset.tables)
    plan = load_plan()
    assessment = load_assessment(folder, resolved.key, [kr.id for kr in plan.key_results], plan.retired)
    return Context(resolved, dataset, plan, load_settings(), assessment)
