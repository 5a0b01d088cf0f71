"""Shared status rules against hand-worked cases."""

from types import SimpleNamespace

import pandas as pd
import pytest
from fixture_plan import PLAN
from scipy import stats

from bro_analysis.analysis import forecast as fc
from bro_analysis.analysis import okr
from bro_analysis.core.config import KeyResult
from bro_analysis.core.periods import Period


def kr(kind, target, unit="st"):
    return KeyResult("X", "Område", "text", "mått", kind, target, unit)


def test_minst():
    assert okr.judge(kr("minst", 4), 4)[0] == okr.MET
    assert okr.judge(kr("minst", 4), 3)[0] == okr.NOT_MET
    assert okr.judge(kr("minst", 4), None)[0] == okr.UNKNOWN


def test_minst_year_to_date_on_pace():
    # 8 of 12 months: 4 * 8/12 = 2.67 -> 3 so far is on pace, 2 is behind it: a risk, not a failure
    assert okr.judge(kr("minst", 4), 3, fraction_of_year=8 / 12)[0] == okr.ON_TRACK
    status, reason = okr.judge(kr("minst", 4), 2, 1, fraction_of_year=8 / 12)
    assert status == okr.RISK
    assert "takten för målet 4 på helåret är 2,7" in reason and "samma period föregående år: 1" in reason
    assert okr.judge(kr("minst", 4), 4, fraction_of_year=8 / 12)[0] == okr.MET  # already reached
    assert okr.judge(kr("minst", 6), 3, fraction_of_year=6 / 12)[0] == okr.ON_TRACK  # exactly on pace


@pytest.mark.parametrize("months", range(1, 12))
def test_a_part_year_is_never_ej_uppnatt(months):
    """However little has happened, a year that is not over can still reach a count."""
    for kind, target, value, previous in (("minst", 6, 0, 3), ("alla", None, 0, 12), ("ökning", 0.2, 0.05, 0.10)):
        status, _ = okr.judge(kr(kind, target), value, previous, members=12, fraction_of_year=months / 12)
        assert status in (okr.RISK, okr.ON_TRACK, okr.MET), (kind, months, status)
        assert status != okr.NOT_MET


def test_alla_names_count():
    status, reason = okr.judge(kr("alla", None), 11, members=12)
    assert status == okr.NOT_MET and "11 av 12" in reason
    assert okr.judge(kr("alla", None), 12, members=12)[0] == okr.MET
    status, reason = okr.judge(kr("alla", None), 11, members=12, fraction_of_year=0.5)
    assert status == okr.RISK and "hittills" in reason


def test_okning_in_a_part_year_compares_the_same_months():
    status, reason = okr.judge(kr("ökning", 0.20), 0.13, 0.10, fraction_of_year=8 / 12)
    assert status == okr.ON_TRACK and "+30,0 % mot samma period föregående år" in reason
    assert okr.judge(kr("ökning", 0.20), 0.11, 0.10, fraction_of_year=8 / 12)[0] == okr.RISK


def _register(dates):
    return okr.Register(pd.DataFrame({"datum": pd.to_datetime(dates)}), "datum", "aktivitetsregistret")


def _ctx(period, last_year=2027):
    plan = SimpleNamespace(members={str(i): f"K{i}" for i in range(12)}, last_year=last_year)
    return SimpleNamespace(period=period, plan=plan, settings={})


def test_a_period_before_the_register_is_not_a_zero():
    """Hand-worked: a register that starts 2019 says nothing about 2017 or 2018."""
    register = _register(["2019-01-18", "2019-03-02", "2020-05-01", "2020-06-01"])
    count = lambda p: int(register.frame["datum"].dt.year.eq(p.year).sum())  # noqa: E731
    out = okr.count_outcome(_ctx(Period(2017)), kr("minst", 2), register, count)
    assert (out.status, out.value, out.previous) == (okr.UNKNOWN, None, None)
    assert "börjar 2019-01-18 och täcker inte 2017" in out.reason and out.value_text == "–"
    first = okr.count_outcome(_ctx(Period(2019)), kr("minst", 2), register, count)
    assert (first.status, first.value, first.previous, first.previous_text) == (okr.MET, 2, None, "–")
    second = okr.count_outcome(_ctx(Period(2020)), kr("minst", 2), register, count)
    assert (second.status, second.value, second.previous) == (okr.MET, 2, 2)
    assert (second.previous_label, second.accumulates, second.missing) == ("2019", True, ())
    part = okr.count_outcome(_ctx(Period(2020, 8)), kr("minst", 2), register, count)
    assert part.previous_label == "januari–augusti 2019"
    empty = okr.count_outcome(_ctx(Period(2020)), kr("minst", 2), _register([]), count)
    assert empty.status == okr.UNKNOWN and "inga rader" in empty.reason


def test_a_part_year_is_judged_on_its_seasonal_forecast():
    """Hand-worked register: 2019–2022 each have 1 event in March and 3 in October–December
    (4 a year, the target 4). By 31 August 2023 one event is the usual: the years added 3 after
    August (variance 0 < mean, so Poisson(3)); the chance of at least 3 more is P(X >= 3)."""
    dates = []
    for year in range(2019, 2023):
        dates += [f"{year}-01-02", f"{year}-03-10", f"{year}-10-05", f"{year}-11-05", f"{year}-12-05"]
    dates += ["2023-01-02", "2023-03-10"]
    register = _register(dates)
    frame = register.frame

    def count(p):  # the 2 January rows mark the register's coverage and are not counted
        rows = frame[p.contains(frame["datum"])]
        return int((rows["datum"].dt.strftime("%m-%d") != "01-02").sum())

    out = okr.count_outcome(_ctx(Period(2023, 8)), kr("minst", 4), register, count)
    chance = 1 - stats.poisson.cdf(2, 3)  # 0,577
    assert out.forecast.value == pytest.approx(4.0) and out.forecast.chance == pytest.approx(chance)
    assert (out.forecast.low, out.forecast.high) == (1 + stats.poisson.ppf(0.025, 3), 1 + stats.poisson.ppf(0.975, 3))
    assert out.pace == pytest.approx(4 * 0.25)  # a quarter of each year's count by August
    assert (out.status, out.qualifier) == (okr.ON_TRACK, okr.UNCERTAIN)  # 58 %: more likely than not
    assert "säsongstakt mot målet till 31 augusti: 1,0" in out.reason and "chans att nå 4: 58\xa0%" in out.reason
    # the straight line would have said 1 against 2,7: 'risk'; the seasonal pace does not
    assert okr.why_text(kr("minst", 4), out, Period(2023, 8)) == "1 mot 1,0 i säsongstakt mot målet den 31 augusti."
    # the plan's last year at the level of 2019–2022 (4 every year: Poisson(4))
    assert out.plan_forecast.year == 2027 and out.plan_forecast.value == pytest.approx(4.0)
    assert out.plan_forecast.chance == pytest.approx(stats.poisson.sf(3, 4))


def test_early_in_the_year_a_count_behind_is_too_early_to_judge():
    dates = [f"{y}-{m}" for y in range(2019, 2023) for m in ("01-02", "02-10", "06-10", "09-10", "11-10")]
    register = _register([*dates, "2023-01-02"])
    frame = register.frame

    def count(p):
        rows = frame[p.contains(frame["datum"])]
        return int((rows["datum"].dt.strftime("%m-%d") != "01-02").sum())

    january = okr.count_outcome(_ctx(Period(2023, 2)), kr("minst", 6), register, count)  # 4 a year, target 6
    assert january.status == okr.UNKNOWN and january.reason.startswith("för tidigt på året att bedöma")
    march = okr.count_outcome(_ctx(Period(2023, 3)), kr("minst", 6), register, count)
    assert march.status == okr.RISK and march.forecast.chance < 0.2 and march.qualifier == ""


def test_too_little_history_keeps_the_straight_line_and_says_so():
    register = _register(["2022-01-03", "2022-05-01", "2023-01-05"])
    count = lambda p: int(register.frame["datum"].pipe(p.contains).sum())  # noqa: E731
    out = okr.count_outcome(_ctx(Period(2023, 6)), kr("minst", 4), register, count)
    assert not out.forecast.made and "för kort historik: 1 hela år i registret (minst 2 behövs)" in out.reason
    assert out.status == okr.RISK and "takten för målet 4" in out.reason


def test_the_plan_forecast_ends_with_the_plan():
    register = _register([f"{y}-03-01" for y in range(2019, 2028)])
    count = lambda p: int(register.frame["datum"].pipe(p.contains).sum())  # noqa: E731
    assert okr.count_outcome(_ctx(Period(2027)), kr("minst", 1), register, count).plan_forecast is None
    part = okr.count_outcome(_ctx(Period(2027, 6)), kr("minst", 1), register, count)
    assert part.plan_forecast is part.forecast  # the plan's last year is this year


def test_okning_relative():
    assert okr.judge(kr("ökning", 0.20), 0.12, 0.10)[0] == okr.MET  # +20 % exactly
    assert okr.judge(kr("ökning", 0.20), 0.119, 0.10)[0] == okr.NOT_MET  # +19 %
    assert okr.judge(kr("ökning", 0.0), 101, 100)[0] == okr.MET
    assert okr.judge(kr("ökning", 0.0), 100, 100)[0] == okr.NOT_MET  # no increase
    assert okr.judge(kr("ökning", 0.2), 0.1, None)[0] == okr.UNKNOWN


def test_the_fixture_plan_reads_as_the_plan_2026_2027():
    plan = PLAN
    assert [k.id for k in plan.key_results] == ["S1", "S2", "S3", "S4", "S5", "I1", "I2", "I3", "I4", "M1", "M2", "M3"]
    assert plan.key_result("S1").target == 80
    assert plan.key_result("M2").target == pytest.approx(0.20)
    assert plan.contribution_per_inhabitant == 10
    assert len(plan.members) == 12 and plan.members["1880"] == "Örebro"


def test_unknown_status_is_refused():
    with pytest.raises(ValueError):
        okr.Outcome("X", 1, None, "klart", "")


def test_outcome_table_shows_target_status_symbol_and_reason():
    plan = PLAN
    results = [
        okr.Outcome(
            "S4", 11, 12, okr.NOT_MET, "11 av 12 kommuner; saknas: Laxå", "11 av 12", "12 av 12", previous_label="2024"
        ),
        okr.Outcome("M2", None, None, okr.UNKNOWN, "för få leads"),
    ]
    table = okr.outcome_table(plan, results)
    assert table.columns.tolist() == [
        "Id",
        "Nyckelresultat",
        "Mål",
        "Utfall",
        "Föregående",
        "Status",
        "Prognos",
        "Motivering",
    ]
    assert table.iloc[0].tolist() == [
        "S4",
        plan.key_result("S4").text,
        "alla 12",
        "11 av 12",
        "12 av 12 (2024)",
        "✘ ej uppnått",
        "–",
        "11 av 12 kommuner; saknas: Laxå",
    ]
    assert table.iloc[1][["Mål", "Utfall", "Status"]].tolist() == ["minst +20\u00a0%", "–", "? kan inte bedömas"]


def test_previous_cell_names_the_period_once():
    def cell(text, label, short=False):
        return okr.previous_cell(okr.Outcome("S3", 1, 2, okr.MET, "", "1", text, previous_label=label), short)

    assert cell("2 projekt", "januari–augusti 2025") == "2 projekt (januari–augusti 2025)"
    assert cell("2 projekt", "januari–augusti 2025", short=True) == "2 projekt (jan–aug 2025)"
    assert cell("958 MSEK (10 projekt)", "januari–augusti 2025", True) == "958 MSEK (10 projekt, jan–aug 2025)"
    assert cell("76,8 (mätår 2024)", "mätår 2024") == "76,8 (mätår 2024)"  # already said
    assert cell("76,8 (äldre definition, mätår 2024)", "mätår 2024", True) == "76,8 (äldre definition, mätår 2024)"
    assert cell("–", "2024") == "–" and cell("", "2024") == "–"
    assert cell("2 projekt", "") == "2 projekt"


def test_shown_number_rounds_as_the_report_shows_and_gives_shares_in_per_cent():
    plan = PLAN
    m2, s1, i1, s3 = (plan.key_result(k) for k in ("M2", "S1", "I1", "S3"))
    assert okr.shown_number(m2, 0.13392857) == 13.4 and okr.shown_number(m2, 0.2, target=True) == 20
    assert okr.shown_number(s1, 77.38333333333334) == 77.4 and okr.shown_number(s3, 4.0) == 4
    assert okr.shown_number(i1, 1272.0) == 1272 and okr.shown_number(i1, 0.0, target=True) == 0
    assert okr.shown_number(s1, None) is None


def test_status_class_is_ascii_and_one_per_status():
    classes = [okr.status_class(s) for s in okr.STATUSES]
    assert classes == [
        "status-uppnatt",
        "status-pa-vag",
        "status-risk",
        "status-ej-uppnatt",
        "status-kan-inte-bedomas",
    ]


def test_why_text_says_the_distance_the_pace_or_the_detail():
    plan = PLAN
    s1, s3, s4, m2 = (plan.key_result(k) for k in ("S1", "S3", "S4", "M2"))
    assert okr.why_text(s1, okr.Outcome("S1", 77.4, 76.8, okr.NOT_MET, "r")) == "2,6 under målet."
    assert okr.why_text(s3, okr.Outcome("S3", 4, 2, okr.MET, "r")) == "Målet är nått."
    on_pace = okr.Outcome("S3", 2, 2, okr.ON_TRACK, "r", pace=1.4)
    assert okr.why_text(s3, on_pace, Period(2026, 8)) == "2 mot 1,4 i säsongstakt mot målet den 31 augusti."
    no_history = okr.Outcome("S3", 1, 2, okr.RISK, "r")
    assert okr.why_text(s3, no_history, Period(2026, 8)) == "1 mot 2,0 i jämn takt mot helårsmålet."
    missing = okr.Outcome("S4", 10, 9, okr.NOT_MET, "r", detail="saknas: Laxå och Nora")
    assert okr.why_text(s4, missing) == "Saknas: Laxå och Nora."
    rate = okr.Outcome("M2", 0.134, 0.1332, okr.NOT_MET, "r", detail="osäkert om målet är nått")
    assert okr.why_text(m2, rate) == "+0,6 % mot föregående år. Osäkert om målet är nått."
    unknown = okr.Outcome("S1", None, None, okr.UNKNOWN, "uppgift saknas för perioden; mer")
    assert okr.why_text(s1, unknown) == "Uppgift saknas för perioden."


def test_why_text_of_a_part_year_judged_on_its_forecast_names_the_forecast_not_the_change():
    # January: nothing decided yet (0 against 360 the same month last year). The status comes
    # from the year's forecast against the whole previous year, so the line says that; a change
    # of "−100,0 %" beside "på väg" would read as a collapse.
    i1 = PLAN.key_result("I1")
    year_end = fc.Forecast(2026, 3053.9, 475.4, 5311.0, 0.8, "så")
    january = okr.Outcome("I1", 0.0, 359.8, okr.ON_TRACK, "r", forecast=year_end, year_target=1271.6)
    why = okr.why_text(i1, january, Period(2026, 1))
    assert why == "Prognos för helåret 3\u00a0054 MSEK mot 1\u00a0272 MSEK hela 2025."
    assert "%" not in why
    grown = okr.Outcome("I1", 1300.0, 359.8, okr.MET, "r", forecast=year_end, year_target=1271.6)
    assert okr.why_text(i1, grown, Period(2026, 6)) == "Helårsmålet är redan nått."
    # A relative target: what the year must reach is the target, said with its share.
    more = KeyResult("I9", "Område", "text", "mått", "ökning", 0.2, "MSEK")
    risk = okr.Outcome("I9", 100.0, 50.0, okr.RISK, "r", forecast=fc.Forecast(2026, 500.0), year_target=1200.0)
    assert okr.why_text(more, risk, Period(2026, 8)) == (
        "Prognos för helåret 500 MSEK mot målet 1\u00a0200 MSEK (+20\u00a0% mot hela 2025)."
    )
    # Without a forecast judgement (too little history), the change is the judgement's basis.
    plain_change = okr.Outcome("I1", 50.0, 100.0, okr.RISK, "r")
    assert okr.why_text(i1, plain_change, Period(2026, 8)) == "−50,0 % mot samma period föregående år."
