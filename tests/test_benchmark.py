"""The benchmark's periods are ones the command line accepts (a year not yet over is
refused as a full year), so `make bench` does not break on the period rules."""

from bro_analysis.core.config import EXAMPLE_DATA_DIR
from bro_analysis.core.periods import resolve_periods
from bro_analysis.input.loading import load_dataset
from bro_analysis.running.benchmark import BACKFILL


def test_the_backfill_periods_are_accepted_for_the_example_data():
    periods = resolve_periods(BACKFILL, load_dataset(EXAMPLE_DATA_DIR).tables)
    assert [p.key for p in periods] == BACKFILL


def test_the_m2_simulation_rarely_calls_no_change_a_sure_success():
    """A few seeded draws through M2's own code path (Comparison, the width rule, conversion_status):
    with no real change, "uppnått" without "osäkert" stays at about 5 % at most; with 60/80 leads the
    width rule almost never judges; with 300/400 leads and a true +44 % it mostly says uppnått."""
    import numpy as np

    from bro_analysis.analysis.marketing.numbers import definitions
    from bro_analysis.core.config import load_settings
    from bro_analysis.running.simulation import COLUMNS, RATIOS, SIZES, simulate, table_text

    frame = simulate(np.random.default_rng(22), 200, definitions(load_settings()))
    assert len(frame) == len(RATIOS) * len(SIZES)
    shares = frame[list(COLUMNS)]
    assert ((shares >= 0) & (shares <= 1)).all().all()
    assert (frame["uppnått utan osäkert"] <= frame["uppnått"]).all()
    assert (frame["kan inte bedömas"] + frame["uppnått"] + frame["ej uppnått utan osäkert"] <= 1 + 1e-12).all()
    no_change = frame[frame["sann kvot"] == 1.0]
    assert (no_change["uppnått utan osäkert"] <= 0.05).all()
    small = frame[frame["leads föregående år"] == 60]
    assert (small["kan inte bedömas"] >= 0.9).all()
    large = frame[(frame["leads föregående år"] == 300) & (frame["sann kvot"] == 1.44)]
    assert large["uppnått"].iloc[0] >= 0.6 and large["kan inte bedömas"].iloc[0] <= 0.1
    assert table_text(frame).count("\n") == len(frame) + 2
