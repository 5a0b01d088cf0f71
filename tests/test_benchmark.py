"""The benchmark's periods are ones the command line accepts (a year not yet over is
refused as a full year), so `make bench` does not break on the period rules."""

from bro_analysis.core.config import EXAMPLE_DATA_DIR
from bro_analysis.core.periods import resolve_periods
from bro_analysis.input.loading import load_dataset
from bro_analysis.running.benchmark import BACKFILL


def test_the_backfill_periods_are_accepted_for_the_example_data():
    periods = resolve_periods(BACKFILL, load_dataset(EXAMPLE_DATA_DIR).tables)
    assert [p.key for p in periods] == BACKFILL
