"""Overview: headline and summary records, against hand-made outcomes."""

from types import SimpleNamespace

from bro_analysis.analysis import okr, overview
from bro_analysis.core.config import load_plan
from bro_analysis.core.periods import Period

PLAN = load_plan()


def _results(statuses):
    return [okr.Outcome(kr.id, 1.0, 0.5, s, "skäl", "1", "0,5") for kr, s in zip(PLAN.key_results, statuses)]


def test_headline_counts_every_status():
    results = _results([okr.MET] * 5 + [okr.NOT_MET] * 4 + [okr.ON_TRACK] * 2 + [okr.UNKNOWN])
    assert overview.headline(results) == (
        "5 av 12 nyckelresultat är uppnådda, 2 är på väg, 4 är inte uppnådda och 1 kan inte bedömas."
    )
    assert overview.headline(_results([okr.MET] * 12)) == "12 av 12 nyckelresultat är uppnådda."
    part_year = _results([okr.MET] + [okr.ON_TRACK] + [okr.RISK] * 8 + [okr.NOT_MET] + [okr.UNKNOWN])
    assert overview.headline(part_year) == (
        "1 av 12 nyckelresultat är uppnått, 1 är på väg, 8 riskerar att inte nås, 1 är inte uppnått "
        "och 1 kan inte bedömas."
    )


def test_status_lists_name_the_key_results():
    results = _results([okr.NOT_MET] + [okr.MET] * 11)
    lists = overview.status_lists(results, PLAN)
    assert lists[okr.NOT_MET] == [f"S1 {PLAN.key_result('S1').text}"]
    assert len(lists[okr.MET]) == 11


def test_target_text():
    assert okr.target_text(PLAN.key_result("S1"), 12) == "minst 80"
    assert okr.target_text(PLAN.key_result("S4"), 12) == "alla 12"
    assert okr.target_text(PLAN.key_result("M2"), 12) == "minst +20 %"
    assert okr.target_text(PLAN.key_result("I1"), 12) == "ökning"


def test_summary_records_carry_targets_and_status():
    ctx = SimpleNamespace(plan=PLAN, period=Period(2025), dataset=SimpleNamespace(is_example=True))
    records = overview.summary_records(ctx, _results([okr.MET] * 12))
    by_id = {r["id"]: r for r in records}
    assert by_id["S1"]["mål"] == 80 and by_id["S4"]["mål"] == 12 and by_id["M2"]["mål"] == 20  # per cent
    assert by_id["S1"]["status"] == okr.MET and by_id["S1"]["period"] == "2025"
    assert list(by_id) == [k.id for k in PLAN.key_results]
    assert all(r["exempeldata"] is True for r in records)
