"""Overview: headline and summary records, against hand-made outcomes."""

from types import SimpleNamespace

from fixture_plan import PLAN

from bro_analysis.analysis import okr, overview
from bro_analysis.core.periods import Period


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
    assert okr.target_text(PLAN.key_result("M2"), 12) == "minst +20\u00a0%"
    assert okr.target_text(PLAN.key_result("I1"), 12) == "ökning"


def test_summary_records_carry_targets_and_status():
    ctx = SimpleNamespace(plan=PLAN, assessment=None, period=Period(2025), dataset=SimpleNamespace(is_example=True))
    records = overview.summary_records(ctx, _results([okr.MET] * 12))
    by_id = {r["id"]: r for r in records}
    assert by_id["S1"]["mål"] == 80 and by_id["S4"]["mål"] == 12 and by_id["M2"]["mål"] == 20  # per cent
    assert by_id["S1"]["status"] == okr.MET and by_id["S1"]["period"] == "2025"
    assert list(by_id) == [k.id for k in PLAN.key_results]
    assert all(r["exempeldata"] is True for r in records)


def test_a_year_before_the_plan_is_the_baseline():
    """2025 is before the plan's first year (2026): the headline says where the baseline stands
    against the targets and never that the plan failed; okr.json marks the rows."""
    results = _results([okr.MET] * 5 + [okr.NOT_MET] * 6 + [okr.UNKNOWN])
    before = SimpleNamespace(plan=PLAN, assessment=None, period=Period(2025), dataset=SimpleNamespace(is_example=True))
    assert overview.is_baseline(before)
    assert overview.period_headline(before, results) == (
        "Utgångsläge inför planperioden 2026–2027: 5 av 12 nyckelresultat når redan planens mål, "
        "6 gör det inte ännu och 1 kan inte bedömas."
    )
    assert "2025 är utgångsläget inför planperioden 2026–2027" in overview.baseline_note(before)
    assert all(r["utgångsläge"] is True for r in overview.summary_records(before, results))
    during = SimpleNamespace(
        plan=PLAN, assessment=None, period=Period(2026, 8), dataset=SimpleNamespace(is_example=True)
    )
    assert not overview.is_baseline(during) and overview.baseline_note(during) == ""
    assert overview.period_headline(during, results).startswith("5 av 12 nyckelresultat är uppnådda")
    assert all(r["utgångsläge"] is False for r in overview.summary_records(during, results))


def test_records_carry_the_qualifier_and_the_mätår():
    ctx = SimpleNamespace(
        plan=PLAN, assessment=None, period=Period(2025), dataset=SimpleNamespace(is_example=False), settings={}
    )
    results = _results([okr.MET] * 12)
    results[0] = okr.Outcome("S1", 77.4, 76.8, okr.NOT_MET, "r", qualifier=okr.UNCERTAIN, measurement_year=2025)
    records = overview.summary_records(ctx, results)
    assert (records[0]["förbehåll"], records[0]["mätår"]) == ("osäkert", 2025)
    assert (records[1]["förbehåll"], records[1]["mätår"]) == ("", None)
    assert list(records[0]) == list(okr.SUMMARY_FIELDS)
    row = overview.page_one_rows(ctx, results)[0]
    assert row["qualifier"] == "osäkert"
    assert okr.status_label(okr.NOT_MET, okr.UNCERTAIN) == "✘ ej uppnått – osäkert"


def test_records_and_page_one_name_the_previous_period_and_who_is_missing():
    """okr.json: föregående_period, saknas (an "alla" key result only) and löpande (a state
    at a time is not); page one's cell carries the short label."""
    ctx = SimpleNamespace(
        plan=PLAN, assessment=None, period=Period(2026, 8), dataset=SimpleNamespace(is_example=False), settings={}
    )
    results = _results([okr.MET] * 12)
    by_id = {kr.id: i for i, kr in enumerate(PLAN.key_results)}
    results[by_id["S3"]] = okr.Outcome(
        "S3", 3, 2, okr.ON_TRACK, "r", "3 projekt", "2 projekt", previous_label="januari–augusti 2025"
    )
    results[by_id["S4"]] = okr.Outcome(
        "S4",
        10,
        11,
        okr.RISK,
        "r",
        "10 av 12",
        "11 av 12",
        previous_label="2025",
        missing=("Laxå", "Nora"),
        accumulates=False,
    )
    results[by_id["S1"]] = okr.Outcome(
        "S1",
        77.4,
        76.8,
        okr.NOT_MET,
        "r",
        "77,4 (mätår 2025)",
        "76,8 (mätår 2024)",
        previous_label="mätår 2024",
        accumulates=False,
    )
    # a count that (wrongly) carried names does not leak them into okr.json
    results[by_id["S5"]] = okr.Outcome("S5", 3, 2, okr.MET, "r", "3", "2", missing=("Laxå",))
    records = {r["id"]: r for r in overview.summary_records(ctx, results)}
    fields = list(okr.SUMMARY_FIELDS)
    assert fields.index("föregående_period") == fields.index("föregående_utfall") + 1
    assert fields[fields.index("period") - 2 : fields.index("period")] == ["saknas", "löpande"]
    assert (records["S3"]["föregående_period"], records["S3"]["saknas"], records["S3"]["löpande"]) == (
        "januari–augusti 2025",
        [],
        True,
    )
    assert (records["S4"]["föregående_period"], records["S4"]["saknas"], records["S4"]["löpande"]) == (
        "2025",
        ["Laxå", "Nora"],
        False,
    )
    assert (records["S1"]["föregående_period"], records["S1"]["löpande"]) == ("mätår 2024", False)
    assert records["S5"]["saknas"] == []
    rows = {r["id"]: r for r in overview.page_one_rows(ctx, results)}
    assert rows["S3"]["previous"] == "2 projekt (jan–aug 2025)"
    assert rows["S4"]["previous"] == "11 av 12 (2025)"
    assert rows["S1"]["previous"] == "76,8 (mätår 2024)"
