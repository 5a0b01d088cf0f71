"""What every notebook starts from: the period, the data and the plan."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .config import EXAMPLE_DATA_DIR, Plan, load_plan, load_settings
from .dataset import Dataset, load_dataset
from .periods import Period, latest_complete_year, parse_period, years_in_tables


@dataclass
class Context:
    """The loaded inputs of one report."""

    period: Period
    dataset: Dataset
    plan: Plan
    settings: dict


def open_context(period: str = "", data_dir: str | Path = "") -> Context:
    """Load the data folder (default: the example data) and resolve the period
    (default: the latest complete year in the data)."""
    dataset = load_dataset(Path(data_dir) if data_dir else EXAMPLE_DATA_DIR)
    if period:
        resolved = parse_period(period)
    else:
        resolved = Period(latest_complete_year(years_in_tables(dataset.tables)))
    return Context(resolved, dataset, load_plan(), load_settings())
