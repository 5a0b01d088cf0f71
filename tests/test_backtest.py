"""The backtest (running/backtest.py): its measures on a hand-made frame, the data known at
a date on a hand-made dataset, the NKI part, and a small replay of the example data."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from bro_analysis.analysis import forecast, okr
from bro_analysis.analysis.context import load_dataset_once
from bro_analysis.core.config import EXAMPLE_DATA_DIR, load_plan, load_settings
from bro_analysis.core.periods import Period
from bro_analysis.input.loading import Dataset
from bro_analysis.running import backtest

MET, NOT_MET, RISK, ON_TRACK, UNKNOWN = okr.MET, okr.NOT_MET, okr.RISK, okr.ON_TRACK, okr.UNKNOWN


def _row(kr, year, month, made, value, low, high, status, actual, year_status):
    return {
        "id": kr,
        "år": year,
        "månad": month,
        "prognos_gjord": made,
        "prognos": value if made else np.nan,
        "nedre": low if made else np.nan,
        "övre": high if made else np.nan,
        "chans": 0.5 if made else np.nan,
        "status": status,
        "förbehåll": "",
        "metod": "",
        "utfall": actual,
        "helårsstatus": year_status,
    }


@pytest.fixture
def hand_frame() -> pd.DataFrame:
    rows = [
        _row("A", 2021, 8, True, 2, 1, 3, RISK, 2, NOT_MET),  # inside; risk, and the year was missed
        _row("A", 2021, 5, True, 2, 1, 3, UNKNOWN, 2, NOT_MET),  # inside; too early
        _row("A", 2022, 8, True, 5, 4, 6, RISK, 7, MET),  # outside; a false alarm
        _row("B", 2021, 8, True, 15, 10, 20, ON_TRACK, 15, NOT_MET),  # inside; a missed year not flagged
        _row("B", 2022, 8, True, 15, 10, 20, RISK, 25, UNKNOWN),  # outside; the year could not be judged
        _row("B", 2022, 3, False, None, None, None, RISK, 25, UNKNOWN),  # no forecast: never counted
    ]
    return pd.DataFrame(rows)


def test_measures_on_a_hand_made_frame(hand_frame):
    # Made forecasts with an actual: rows 1-5; inside the interval: rows 1, 2 and 4.
    assert backtest.coverage(hand_frame) == pytest.approx(3 / 5)
    # 'risk' with a forecast and a judged year: rows 1 (ej uppnått) and 3 (uppnått); row 5 is left out.
    assert backtest.risk_precision(hand_frame) == pytest.approx(1 / 2)
    # Years that ended ej uppnått, in the August report: rows 1 (risk) and 4 (på väg).
    assert backtest.risk_recall(hand_frame) == pytest.approx(1 / 2)
    assert backtest.unknown_share(hand_frame) == pytest.approx(1 / 5)
    # |forecast - actual|: 0, 0, 2, 0, 10.
    assert backtest.mean_absolute_error(hand_frame) == pytest.approx(12 / 5)
    assert backtest.relative_error(hand_frame) == pytest.approx(12 / (2 + 2 + 7 + 15 + 25))


def test_measures_per_key_result_and_overall(hand_frame):
    table = backtest.measures(hand_frame, level=0.95).set_index("id")
    assert list(table.index) == ["A", "B", "alla"]
    assert table.loc["A", "prognoser"] == 3 and table.loc["B", "prognoser"] == 2
    assert table.loc["B", "rader"] == 3
    assert table.loc["A", "täckning"] == pytest.approx(2 / 3)
    assert table.loc["B", "täckning"] == pytest.approx(1 / 2)
    assert table.loc["A", "precision_risk"] == pytest.approx(1 / 2)
    assert np.isnan(table.loc["B", "precision_risk"])  # its one risk was a year not judged
    assert table.loc["A", "recall_augusti"] == 1.0 and table.loc["B", "recall_augusti"] == 0.0
    assert table.loc["A", "medelfel"] == pytest.approx(2 / 3)
    assert table.loc["B", "medelfel"] == pytest.approx(5.0)
    assert np.isnan(table.loc["alla", "medelfel"])  # units differ between key results
    assert table.loc["A", "relativt_fel"] == pytest.approx(2 / (2 + 2 + 7))
    assert table.loc["B", "relativt_fel"] == pytest.approx(10 / (15 + 25))
    assert table.loc["alla", "relativt_fel"] == pytest.approx((2 / 11 + 10 / 40) / 2)
    assert table.loc["alla", "täckning"] == pytest.approx(3 / 5)
    assert not table.loc["alla", "täckning_inom_mål"]
    assert table.loc["alla", "risk"] == 3 and table.loc["alla", "missade_år"] == 2


def test_never_judged_lists_key_results_only_ever_too_early_or_unknown(hand_frame):
    extra = [_row("C", 2021, 8, True, 1, 0, 2, UNKNOWN, 1, MET), _row("D", 2021, 8, False, 0, 0, 0, UNKNOWN, 1, MET)]
    frame = pd.concat([hand_frame, pd.DataFrame(extra)])
    assert backtest.never_judged(frame) == ["C"]  # D never had a forecast: it is listed as such elsewhere


def test_coverage_goal_is_five_points_either_side():
    inside = [_row("A", 2021, m, True, 1, 0, 2, ON_TRACK, 1, MET) for m in range(1, 10)]
    frame = pd.DataFrame([*inside, _row("A", 2021, 10, True, 1, 0, 2, ON_TRACK, 5, MET)])  # 90 % inside
    table = backtest.measures(frame, level=0.95).set_index("id")
    assert table.loc["A", "täckning"] == pytest.approx(0.9)
    assert bool(table.loc["A", "täckning_inom_mål"])  # 5 points from 95 %
    assert not bool(backtest.measures(frame, level=0.96).set_index("id").loc["A", "täckning_inom_mål"])


def test_summary_lines_say_the_overall_figures(hand_frame):
    lines = [line.replace("\xa0", " ") for line in backtest.summary_lines(backtest.measures(hand_frame, 0.95), 0.95)]
    assert len(lines) == 3
    assert lines[0].startswith("Täckning totalt: 60 %")
    assert "50 % av 3 risk-besked" in lines[1]
    assert "50 % av 2 missade" in lines[2]


# --- the data known at a date ------------------------------------------------


def _ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


@pytest.fixture
def small_tables() -> dict[str, pd.DataFrame]:
    leads = pd.DataFrame(
        {
            "id": ["L1", "L2", "L3", "L4"],
            "datum": [_ts("2024-02-01"), _ts("2024-03-01"), _ts("2024-05-01"), _ts("2024-07-01")],
            "steg": ["konverterad", "konverterad", "lead", "konverterad"],
            "konverteringsdatum": [_ts("2024-03-15"), _ts("2024-06-10"), pd.NaT, _ts("2024-08-01")],
        }
    )
    activities = pd.DataFrame(
        {"id": ["A1", "A2"], "datum": [_ts("2024-04-30"), _ts("2024-05-01")], "typ": ["workshop", "workshop"]}
    )
    investments = pd.DataFrame(
        {
            "id": ["I1", "I2", "I3", "I4"],
            "skede": ["beslut", "etablerad", "förlorad", "beslut"],
            "första_kontakt": [_ts("2023-01-10"), _ts("2023-06-01"), _ts("2024-01-05"), _ts("2024-06-01")],
            "beslutsdatum": [_ts("2024-02-01"), _ts("2024-09-01"), pd.NaT, _ts("2024-10-01")],
        }
    )
    arenas = pd.DataFrame(
        {
            "namn": ["Mässa", "Planerad"],
            "datum": [_ts("2024-03-01"), _ts("2024-09-01")],
            "mål_formulerade": pd.array([True, True], dtype="boolean"),
            "uppföljning_gjord": pd.array([True, True], dtype="boolean"),
        }
    )
    nki = pd.DataFrame({"mätår": pd.array([2022, 2023, 2024], dtype="Int64"), "värde": [70.0, 71.0, 72.0]})
    municipalities = pd.DataFrame({"år": pd.array([2023, 2024, 2025], dtype="Int64"), "kommun": ["X", "X", "X"]})
    return {
        "leads": leads,
        "aktiviteter": activities,
        "investeringar": investments,
        "arenor": arenas,
        "nki": nki,
        "kommuner": municipalities,
    }


def test_known_at_drops_and_undoes_what_came_after_the_cut(small_tables):
    cut = Period(2024, 4).end  # 30 April 2024
    known = backtest.known_at(small_tables, cut)
    leads = known["leads"].set_index("id")
    assert list(leads.index) == ["L1", "L2"]  # L3 and L4 came in after the cut
    assert leads.loc["L1", "steg"] == "konverterad"  # converted before the cut
    assert leads.loc["L2", "steg"] == "kvalificerad"  # converted in June: not converted at the cut
    assert pd.isna(leads.loc["L2", "konverteringsdatum"])
    assert list(known["aktiviteter"]["id"]) == ["A1"]  # an activity after the cut is gone
    inv = known["investeringar"].set_index("id")
    assert list(inv.index) == ["I1", "I2", "I3"]  # I4 was first contacted after the cut
    assert inv.loc["I1", "skede"] == "beslut"
    assert inv.loc["I2", "skede"] == "dialog" and pd.isna(inv.loc["I2", "beslutsdatum"])
    arenas = known["arenor"].set_index("namn")
    assert list(arenas.index) == ["Mässa", "Planerad"]  # a planned arena is known in advance
    assert bool(arenas.loc["Mässa", "uppföljning_gjord"])
    assert pd.isna(arenas.loc["Planerad", "uppföljning_gjord"])  # but not its follow-up
    assert list(known["nki"]["mätår"]) == [2022, 2023]  # mätår 2024 is published in 2025
    assert list(known["kommuner"]["år"]) == [2023, 2024]
    # The input is left as it was.
    assert small_tables["leads"].loc[1, "steg"] == "konverterad" and len(small_tables["aktiviteter"]) == 2


def test_known_at_takes_the_stages_at_the_cut_from_the_stage_log(small_tables):
    """I3 (lost today) was in dialogue at the end of April 2024 and decided in June, lost in
    September: at the cut it is open, at the end of June decided; I1 and I2 have no entry."""
    log = pd.DataFrame(
        {
            "id": ["I3", "I3", "I3"],
            "skede": ["dialog", "beslut", "förlorad"],
            "datum": [_ts("2024-01-05"), _ts("2024-06-15"), _ts("2024-09-01")],
        }
    )
    tables = {**small_tables, "investeringar_skeden": log}
    april = backtest.known_at(tables, Period(2024, 4).end)["investeringar"].set_index("id")
    assert april.loc["I3", "skede"] == "dialog" and pd.isna(april.loc["I3", "beslutsdatum"])
    assert april.loc["I1", "skede"] == "beslut" and april.loc["I2", "skede"] == "dialog"  # as without the log
    june = backtest.known_at(tables, Period(2024, 6).end)["investeringar"].set_index("id")
    assert june.loc["I3", "skede"] == "beslut" and june.loc["I3", "beslutsdatum"] == _ts("2024-06-15")
    assert backtest.known_at(small_tables, Period(2024, 6).end)["investeringar"].set_index("id").loc["I3", "skede"] == (
        "förlorad"
    )  # without the log: today's stage


def test_the_actual_year_counts_a_project_decided_then_and_lost_later(small_tables):
    """I3 was decided in June 2024 and lost in March 2025: 2024's actual has it decided."""
    log = pd.DataFrame(
        {"id": ["I3", "I3"], "skede": ["beslut", "förlorad"], "datum": [_ts("2024-06-15"), _ts("2025-03-01")]}
    )
    dataset = Dataset(Path("data"), load_plan(), {**small_tables, "investeringar_skeden": log}, [])
    inv = backtest.stages_at_year_end(dataset, 2024).tables["investeringar"].set_index("id")
    assert inv.loc["I3", "skede"] == "beslut" and inv.loc["I3", "beslutsdatum"] == _ts("2024-06-15")
    assert backtest.stages_at_year_end(dataset, 2025).tables["investeringar"].set_index("id").loc["I3", "skede"] == (
        "förlorad"
    )
    plain = Dataset(Path("data"), load_plan(), small_tables, [])
    assert backtest.stages_at_year_end(plain, 2024) is plain


def test_the_notes_say_whether_i1_knew_the_stages_at_the_cut(hand_frame):
    assert any(n.startswith("I1 är optimistisk") for n in backtest.notes(hand_frame, [2021, 2022]))
    with_log = backtest.notes(hand_frame, [2021, 2022], stage_log=True)
    assert any("skede som det var vid brytdagen" in n for n in with_log)
    assert not any("optimistisk" in n for n in with_log if n.startswith("I1"))


def test_dataset_at_keeps_everything_but_the_tables(small_tables):
    dataset = Dataset(Path("data"), load_plan(), small_tables, [])
    at = backtest.dataset_at(dataset, Period(2024, 4).end)
    assert at.data_dir == dataset.data_dir and at.plan is dataset.plan
    assert len(at.tables["aktiviteter"]) == 1 and len(dataset.tables["aktiviteter"]) == 2


def test_complete_years_and_the_years_replayed(small_tables):
    tables = {
        "aktiviteter": pd.DataFrame({"datum": [_ts("2019-01-03"), _ts("2026-10-31")]}),
        "leads": pd.DataFrame({"datum": [_ts("2019-03-01"), _ts("2026-10-02")]}),
    }
    years = backtest.complete_years(tables, today=dt.date(2026, 12, 6))
    assert years == [2020, 2021, 2022, 2023, 2024, 2025]  # leads start in March 2019
    assert backtest.complete_years(tables, today=dt.date(2025, 6, 1)) == [2020, 2021, 2022, 2023, 2024]
    assert backtest.replay_years(years, forecast.Rules(min_years=2)) == [2022, 2023, 2024, 2025]


# --- NKI ---------------------------------------------------------------------


def test_nki_backtest_rows_and_the_all_years_fit():
    series = pd.DataFrame({"mätår": range(2014, 2020), "medel": [68.0, 69.5, 69.9, 71.6, 71.8, 73.0]})
    settings = load_settings()
    result = backtest.nki_backtest(series, settings, target=80.0)
    # Origins 2016-2018 one year ahead (windows: 1, 2 and 3 of them), 2016-2017 two years ahead.
    assert len(result[result["horisont"] == 1]) == 1 + 2 + 3
    assert len(result[result["horisont"] == 2]) == 1 + 2
    row = result[(result["från"] == 2017) & (result["horisont"] == 2) & (result["fönster"] == "alla mätår")].iloc[0]
    fit = stats.linregress([2014, 2015, 2016, 2017], [68.0, 69.5, 69.9, 71.6])
    assert row["prognos"] == pytest.approx(fit.intercept + fit.slope * 2019)
    assert row["utfall"] == 73.0
    assert row["inom"] == (row["nedre"] <= 73.0 <= row["övre"])
    cover = backtest.nki_coverage(result).set_index(["fönster", "horisont"])
    expected = result[(result["fönster"] == "alla mätår") & (result["horisont"] == 1)]["inom"].mean()
    assert cover.loc[("alla mätår", 1), "täckning"] == pytest.approx(expected)


def test_nki_words_say_the_all_years_chance_and_osakert_where_windows_disagree():
    series = pd.DataFrame({"mätår": range(2014, 2021), "medel": [68.0, 70.5, 71.0, 73.5, 73.6, 73.4, 73.5]})
    settings, rule = load_settings(), forecast.Rules()
    words = backtest.nki_words(series, settings, rule, targets=(72.0, 74.0))
    # Origins 2016-2019 one year ahead and 2016-2018 two years ahead, each against two targets.
    assert len(words) == (4 + 3) * 2
    trend = backtest.nki_backtest(series, settings, 74.0)
    row = words[(words["från"] == 2018) & (words["horisont"] == 2) & (words["mål"] == 74.0)].iloc[0]
    same = trend[(trend["från"] == 2018) & (trend["horisont"] == 2)]
    assert row["chans"] == pytest.approx(same[same["fönster"] == "alla mätår"]["chans"].iloc[0])
    disputed = len({forecast.chance_word(p, rule) for p in same["chans"]}) > 1
    assert row["omstritt"] == disputed
    for _, r in words.iterrows():
        assert r["ord"] == ("osäkert" if r["omstritt"] else forecast.chance_word(r["chans"], rule))
        assert r["nådde"] == (r["utfall"] >= r["mål"])
    assert words["omstritt"].any()  # the levelling-off makes the latest mätår disagree somewhere


def test_word_outcomes_by_hand():
    words = pd.DataFrame(
        {
            "ord": ["troligt", "troligt", "troligt", "troligt", "osäkert", "osannolikt", "osannolikt"],
            "nådde": [True, True, True, False, True, False, True],
        }
    )
    table = backtest.word_outcomes(words, forecast.Rules()).set_index("ord")
    assert table.loc["troligt", "antal"] == 4 and table.loc["troligt", "nådde_målet"] == pytest.approx(0.75)
    assert not table.loc["troligt", "höll"]  # 75 % is below the promised 80 %
    assert table.loc["osäkert", "nådde_målet"] == 1.0 and not table.loc["osäkert", "höll"]
    assert table.loc["osannolikt", "nådde_målet"] == pytest.approx(0.5)


def test_nki_series_is_twelve_years_that_rise_and_level_off():
    series = backtest.NKI_SERIES
    assert list(series["mätår"]) == list(range(2014, 2026))
    first, last = series["medel"].iloc[:6], series["medel"].iloc[6:]
    assert np.polyfit(range(6), first, 1)[0] > np.polyfit(range(6), last, 1)[0] > 0


# --- a small replay of the example data ------------------------------------------


def test_a_small_replay_of_the_example_data():
    dataset = load_dataset_once(EXAMPLE_DATA_DIR)
    plan, settings = load_plan(), load_settings()
    only = replace(plan, key_results=(plan.key_result("S3"),))
    frame = backtest.replay(dataset, only, settings, [2024], months=(3, 8))
    assert list(frame.columns) == backtest.REPLAY_COLUMNS
    assert list(frame["id"]) == ["S3", "S3"] and list(frame["månad"]) == [3, 8]
    assert set(frame["år"]) == {2024}
    assert set(frame["status"]) <= set(okr.STATUSES)
    assert frame["utfall"].nunique() == 1 and frame["helårsstatus"].iloc[0] in okr.STATUSES
    made = frame[frame["prognos_gjord"]]
    assert len(made) == 2
    assert (made["nedre"] <= made["prognos"]).all() and (made["prognos"] <= made["övre"]).all()
    assert made["chans"].between(0, 1).all()
    assert frame["inom"].tolist() == [r["nedre"] <= r["utfall"] <= r["övre"] for _, r in frame.iterrows()]
    table = backtest.measures(frame, forecast.rules(settings).level)
    assert list(table["id"]) == ["S3", "alla"]
    assert 0 <= table["täckning"].iloc[0] <= 1
