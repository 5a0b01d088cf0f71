import datetime as dt

import pandas as pd
import pytest

from bro_analysis.periods import (
    Period,
    PeriodError,
    check_not_future,
    latest_complete_year,
    parse_period,
    parse_periods,
    years_in_tables,
)


def test_full_year_and_year_to_date():
    assert parse_period("2025") == Period(2025, 12)
    ytd = parse_period("2026-08")
    assert ytd == Period(2026, 8)
    assert ytd.label == "januari–augusti 2026"
    assert ytd.previous == Period(2025, 8)
    assert ytd.end == pd.Timestamp("2026-08-31")
    assert parse_period(2025).label == "2025"


def test_contains_uses_whole_days():
    dates = pd.Series(pd.to_datetime(["2025-12-31", "2026-01-01", "2026-08-31", "2026-09-01"]))
    assert parse_period("2026-08").contains(dates).tolist() == [False, True, True, False]


@pytest.mark.parametrize("bad", ["25", "2025-13", "2025-00", "abc", "2025-8-1", "1999"])
def test_bad_periods_are_refused(bad):
    with pytest.raises(PeriodError):
        parse_period(bad)


def test_ranges_and_lists():
    assert [p.key for p in parse_periods(["2019-2021"])] == ["2019", "2020", "2021"]
    assert [p.key for p in parse_periods(["2024", "2026-08", "2024"])] == ["2024", "2026-08"]
    with pytest.raises(PeriodError):
        parse_periods(["2025-2019"])


def test_latest_complete_year_skips_the_current_year():
    assert latest_complete_year({2019, 2025, 2026}, today=dt.date(2026, 11, 27)) == 2025
    with pytest.raises(PeriodError):
        latest_complete_year({2026}, today=dt.date(2026, 11, 27))


def test_future_period_is_refused():
    with pytest.raises(PeriodError):
        check_not_future(Period(2027), today=dt.date(2026, 11, 27))
    check_not_future(Period(2026, 8), today=dt.date(2026, 11, 27))


def test_years_in_tables():
    tables = {
        "a": pd.DataFrame({"datum": pd.to_datetime(["2020-05-01", None])}),
        "b": pd.DataFrame({"mätår": pd.array([2019, 2021], dtype="Int64")}),
    }
    assert years_in_tables(tables) == {2019, 2020, 2021}
