import datetime as dt

import pandas as pd
import pytest

from bro_analysis.core.periods import (
    Period,
    PeriodError,
    check_not_future,
    check_period,
    data_end,
    latest_complete_year,
    parse_period,
    parse_periods,
    resolve_periods,
    short_months,
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


def test_short_labels_shorten_the_month_names_only():
    assert Period(2026, 8).short_label == "jan–aug 2026"
    assert Period(2026, 1).short_label == "jan 2026"
    assert Period(2026, 3).short_label == "jan–mars 2026"
    assert Period(2025).short_label == "2025"
    assert short_months("1 januari–4 maj 2025") == "1 jan–4 maj 2025"
    assert short_months("mätår 2024") == "mätår 2024"
    assert short_months("septembermånad") == "septembermånad"  # whole words only


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


# --- the period rules: one place for the command line and the notebooks --------------------

TODAY = dt.date(2026, 11, 29)


def _tables(last_lead: str, nki_years=(2024, 2025)) -> dict[str, pd.DataFrame]:
    """Registers whose last recorded date is `last_lead`, and NKI for `nki_years`;
    an arena planned for next year does not move the end of the data."""
    return {
        "leads": pd.DataFrame({"datum": pd.to_datetime(["2024-01-10", last_lead])}),
        "arenor": pd.DataFrame({"datum": pd.to_datetime(["2027-03-01"])}),
        "nki": pd.DataFrame({"mätår": list(nki_years)}),
    }


def test_data_end_is_the_last_recorded_date_not_a_planned_one():
    assert data_end(_tables("2026-10-31")) == pd.Timestamp("2026-10-31")
    assert data_end({"nki": pd.DataFrame({"mätår": [2025]})}) is None


def test_a_year_not_over_in_the_calendar_is_refused_with_the_part_year_to_use():
    with pytest.raises(PeriodError, match=r"Året 2026 är inte slut.*ange delåret 2026-10 \(januari–oktober 2026\)"):
        check_period(Period(2026), _tables("2026-10-31"), today=TODAY)


def test_a_year_not_over_in_the_data_is_refused():
    """The calendar year 2026 is over on 2027-02-01, but the data stop in October."""
    with pytest.raises(PeriodError, match=r"Datan för 2026 slutar 2026-10-31.*ange delåret 2026-10"):
        check_period(Period(2026), _tables("2026-10-31"), today=dt.date(2027, 2, 1))
    check_period(Period(2026), _tables("2026-12-20"), today=dt.date(2027, 2, 1))  # December reached


def test_a_part_year_beyond_the_data_or_not_over_is_refused():
    tables = _tables("2026-10-31")
    check_period(Period(2026, 10), tables, today=TODAY)
    check_period(Period(2026, 8), tables, today=TODAY)
    with pytest.raises(PeriodError, match=r"Perioden 2026-11 \(januari–november 2026\) är inte slut"):
        check_period(Period(2026, 11), tables, today=TODAY)
    with pytest.raises(PeriodError, match=r"Datan slutar 2026-10-31 och räcker inte till januari–november 2026"):
        check_period(Period(2026, 11), tables, today=dt.date(2027, 1, 5))


def test_a_finished_year_in_the_data_is_accepted_and_a_year_without_data_refused():
    check_period(Period(2025), _tables("2026-10-31"), today=TODAY)
    with pytest.raises(PeriodError, match="Ingen data för perioden 2019"):
        check_period(Period(2019), _tables("2026-10-31"), today=TODAY)


def test_default_period_is_the_latest_year_over_in_the_calendar_and_the_data():
    assert resolve_periods(None, _tables("2026-10-31"), today=TODAY) == [Period(2025)]
    assert resolve_periods(None, _tables("2026-10-31"), today=dt.date(2027, 3, 1)) == [Period(2025)]
    assert resolve_periods(None, _tables("2026-12-30", (2025, 2026)), today=dt.date(2027, 3, 1)) == [Period(2026)]
    assert resolve_periods(["2026-08", "2025"], _tables("2026-10-31"), today=TODAY) == [Period(2026, 8), Period(2025)]


def test_a_notebook_opened_directly_follows_the_same_rule(tmp_path):
    """open_context (JupyterLab, papermill without the runner) refuses what the CLI refuses."""
    from bro_analysis.analysis.context import open_context
    from bro_analysis.core.config import EXAMPLE_DATA_DIR

    with pytest.raises(PeriodError, match="ange delåret 2026-10"):
        open_context("2026", EXAMPLE_DATA_DIR)
    assert open_context("", EXAMPLE_DATA_DIR).period == Period(2025)


def test_period_label_of_a_key_or_the_key_itself():
    from bro_analysis.core.periods import period_label

    assert period_label("2026-08") == "januari–augusti 2026"
    assert period_label("2025") == "2025"
    assert period_label("utkast") == "utkast"
