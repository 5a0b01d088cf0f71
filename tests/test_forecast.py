"""Forecasts against hand-worked cases (scipy called directly for the distributions)."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from bro_analysis.analysis import forecast as fc
from bro_analysis.core.periods import Period

RULE = fc.Rules()


def test_chance_words_follow_the_calibrated_thresholds():
    assert [fc.chance_word(p, RULE) for p in (0.8, 0.79, 0.21, 0.2)] == ["troligt", "osäkert", "osäkert", "osannolikt"]
    custom = fc.rules({"prognos": {"troligt_från": 0.9, "osannolikt_till": 0.1, "minsta_antal_år": 3}})
    assert fc.chance_word(0.85, custom) == "osäkert" and custom.min_years == 3


def test_first_full_year_needs_january():
    assert fc.first_full_year(pd.Series(pd.to_datetime(["2019-01-08", "2020-03-01"]))) == 2019
    assert fc.first_full_year(pd.Series(pd.to_datetime(["2019-02-01"]))) == 2020
    assert fc.first_full_year(pd.Series([], dtype="datetime64[ns]")) is None


def test_the_count_distribution_is_poisson_unless_the_years_vary_more():
    assert fc.count_distribution(pd.Series([3, 3, 3])).mean() == pytest.approx(3)
    assert isinstance(fc.count_distribution(pd.Series([3, 3, 3])).dist, type(stats.poisson))
    wide = fc.count_distribution(pd.Series([0, 2, 10]))  # mean 4, variance 28: negative binomial
    assert wide.mean() == pytest.approx(4) and wide.var() == pytest.approx(28)


def test_year_end_and_level_by_hand():
    history = pd.DataFrame({"år": [2021, 2022, 2023], "hittills": [1, 2, 0], "helår": [4, 5, 3]})
    year_end = fc.count_year_end(1, history, 4, RULE, 2024)  # the rest: 3, 3, 3 -> Poisson(3)
    assert year_end.value == pytest.approx(4) and year_end.chance == pytest.approx(stats.poisson.sf(2, 3))
    assert (year_end.low, year_end.high) == (1 + stats.poisson.ppf(0.025, 3), 1 + stats.poisson.ppf(0.975, 3))
    assert "2021–2023" in year_end.how
    reached = fc.count_year_end(4, history, 4, RULE, 2024)
    assert reached.chance == 1.0
    level = fc.count_level(history, 4, RULE, 2027)  # 4, 5, 3: mean 4, variance 1 -> Poisson(4)
    assert level.value == pytest.approx(4) and level.chance == pytest.approx(stats.poisson.sf(3, 4))
    assert fc.seasonal_pace(history, 4) == pytest.approx(4 * np.mean([1 / 4, 2 / 5, 0 / 3]))
    short = fc.count_year_end(1, history.head(1), 4, RULE, 2024)
    assert not short.made and short.how == "för kort historik: 1 hela år i registret (minst 2 behövs)"


def test_members_year_end_by_hand():
    members = set("ABCDE")
    # two years: by this date 3 and 4 reached; by December 4 and 5. Missing then 2 + 1 = 3, gained 1 + 1 = 2.
    history = [({"A", "B", "C"}, {"A", "B", "C", "D"}), ({"A", "B", "C", "D"}, set("ABCDE"))]
    out = fc.members_year_end({"A", "B", "C"}, history, members, RULE, 2024, 2022)
    p = 2 / 3
    assert out.value == pytest.approx(3 + 2 * p) and out.chance == pytest.approx(p**2)
    assert (out.low, out.high) == (3 + stats.binom.ppf(0.025, 2, p), 3 + stats.binom.ppf(0.975, 2, p))
    assert fc.members_year_end(members, history, members, RULE, 2024, 2022).chance == 1.0


def test_members_level_is_poisson_binomial():
    members = {"A", "B", "C"}
    years = [{"A", "B", "C"}, {"A", "B"}, {"A", "C"}, {"A", "B", "C"}]  # A 4/4, B 3/4, C 3/4
    out = fc.members_level(years, members, RULE, 2027, "2022–2025")
    assert out.value == pytest.approx(1 + 0.75 + 0.75) and out.chance == pytest.approx(0.75**2)


def test_members_transitions_by_hand():
    """Members A–D over three years: without it 2 then 1 (1 of 2, then 1 of 1 gained: 2/3),
    with it 2 then 3, all kept (keep 1). From now ({A, B, C}) one step: D has it with 2/3;
    two steps: 1 - (1/3)^2."""
    members = set("ABCD")
    states = [{"A", "B"}, {"A", "B", "C"}, set("ABCD")]
    gain = 2 / 3
    one = fc.members_transitions(states, {"A", "B", "C"}, members, RULE, 2027, 1, "2023–2025")
    assert one.value == pytest.approx(3 + gain) and one.chance == pytest.approx(gain)
    two = fc.members_transitions(states, {"A", "B", "C"}, members, RULE, 2027, 2, "2023–2025")
    assert two.chance == pytest.approx(1 - (1 - gain) ** 2)
    assert "67 %" in one.how.replace("\xa0", " ") and "100 %" in one.how.replace("\xa0", " ")


def test_seasonal_path_and_its_words():
    dates = pd.to_datetime(["2021-03-01", "2021-09-01", "2022-03-01", "2022-09-01", "2023-03-01"])
    count = lambda p: int(p.contains(pd.Series(dates)).sum())  # noqa: E731
    path = fc.seasonal_path(count, 2021, Period(2023, 4), 4)
    assert path["säsongstakt"].tolist()[:3] == [0, 0, 2] and path["säsongstakt"].iloc[-1] == 4
    assert path["i_år"].tolist()[:4] == [0, 0, 1, 1] and path["i_år"].iloc[4:].isna().all()
    text = fc.path_text(path, 4, "projekt", Period(2023, 4), "samverkansprojekt")
    assert "I år hittills, räknat till varje månads slut: januari 0; februari 0; mars 1; april 1." in text
    assert "2,0 i slutet av april och 4,0 i december. Målet 4 projekt" in text
