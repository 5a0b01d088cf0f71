"""Shared status rules against hand-worked cases."""

import pytest

from bro_analysis import okr
from bro_analysis.config import KeyResult, load_plan


def kr(kind, target, unit="st"):
    return KeyResult("X", "Område", "text", "mått", kind, target, unit)


def test_minst():
    assert okr.judge(kr("minst", 4), 4)[0] == okr.MET
    assert okr.judge(kr("minst", 4), 3)[0] == okr.NOT_MET
    assert okr.judge(kr("minst", 4), None)[0] == okr.UNKNOWN


def test_minst_year_to_date_on_pace():
    # 8 of 12 months: 4 * 8/12 = 2.67 -> 3 so far is on pace, 2 is not
    assert okr.judge(kr("minst", 4), 3, fraction_of_year=8 / 12)[0] == okr.ON_TRACK
    assert okr.judge(kr("minst", 4), 2, fraction_of_year=8 / 12)[0] == okr.NOT_MET


def test_alla_names_count():
    status, reason = okr.judge(kr("alla", None), 11, members=12)
    assert status == okr.NOT_MET and "11 av 12" in reason
    assert okr.judge(kr("alla", None), 12, members=12)[0] == okr.MET


def test_okning_relative():
    assert okr.judge(kr("ökning", 0.20), 0.12, 0.10)[0] == okr.MET  # +20 % exactly
    assert okr.judge(kr("ökning", 0.20), 0.119, 0.10)[0] == okr.NOT_MET  # +19 %
    assert okr.judge(kr("ökning", 0.0), 101, 100)[0] == okr.MET
    assert okr.judge(kr("ökning", 0.0), 100, 100)[0] == okr.NOT_MET  # no increase
    assert okr.judge(kr("ökning", 0.2), 0.1, None)[0] == okr.UNKNOWN


def test_plan_has_the_twelve_key_results():
    plan = load_plan()
    assert [k.id for k in plan.key_results] == ["S1", "S2", "S3", "S4", "S5", "I1", "I2", "I3", "I4", "M1", "M2", "M3"]
    assert plan.key_result("S1").target == 80
    assert plan.key_result("M2").target == pytest.approx(0.20)
    assert plan.contribution_per_inhabitant == 10
    assert len(plan.members) == 12 and plan.members["1880"] == "Örebro"


def test_unknown_status_is_refused():
    with pytest.raises(ValueError):
        okr.Outcome("X", 1, None, "klart", "")


def test_outcome_table_shows_target_status_symbol_and_reason():
    plan = load_plan()
    results = [
        okr.Outcome("S4", 11, 12, okr.NOT_MET, "11 av 12 kommuner; saknas: Laxå", "11 av 12", "12 av 12"),
        okr.Outcome("M2", None, None, okr.UNKNOWN, "för få leads"),
    ]
    table = okr.outcome_table(plan, results)
    assert table.columns.tolist() == ["Id", "Nyckelresultat", "Mål", "Utfall", "Föregående", "Status", "Förklaring"]
    assert table.iloc[0].tolist() == [
        "S4",
        plan.key_result("S4").text,
        "alla 12",
        "11 av 12",
        "12 av 12",
        "✘ ej uppnått",
        "11 av 12 kommuner; saknas: Laxå",
    ]
    assert table.iloc[1][["Mål", "Utfall", "Status"]].tolist() == ["minst +20 %", "–", "? kan inte bedömas"]
