"""NKI computations against hand-computed values (or scipy/numpy called directly)."""

import dataclasses
import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from bro_analysis.analysis import nki, okr
from bro_analysis.core.config import load_settings
from bro_analysis.core.periods import Period
from bro_analysis.presentation.formatting import fmt_number

SETTINGS = load_settings()
Z = 1.959963984540054  # two-sided 95 % normal quantile
MANDATORY = ["bygglov", "miljö- och hälsoskydd", "livsmedelskontroll", "serveringstillstånd"]


def _rows(records):
    return pd.DataFrame(records, columns=["mätår", "kommun", "område", "mått", "värde"])


def _full(records):
    """Rows (mätår, kommun, område, mått, värde, antal_svar, ki_nedre, ki_övre)."""
    frame = pd.DataFrame(
        records, columns=["mätår", "kommun", "område", "mått", "värde", "antal_svar", "ki_nedre", "ki_övre"]
    )
    frame["antal_svar"] = frame["antal_svar"].astype("Int64")
    return frame


def _twelve(year, total, areas=None, n=50, ci=2.0, count=12):
    """`count` municipalities with the given total and area values (same for all)."""
    records = []
    for i in range(count):
        name = f"K{i:02d}"
        records.append((year, name, "totalt", "NKI", total, n, total - ci, total + ci))
        for area, value in (areas or {}).items():
            records.append((year, name, area, "NKI", value, n, value - ci, value + ci))
    return records


# --- kept from the first version ---------------------------------------------------


def test_county_mean_is_unweighted_and_skips_missing_years():
    frame = _rows(
        [
            (2023, "Kumla", "totalt", "NKI", 70.0),
            (2023, "Nora", "totalt", "NKI", 80.0),
            (2023, "Nora", "bygglov", "NKI", 10.0),  # other area: ignored
            (2023, "Nora", "totalt", "bemötande", 99.0),  # other measure: ignored
            (2025, "Kumla", "totalt", "NKI", 75.0),
        ]
    )
    county = nki.numbers.county_mean(frame)
    assert county["mätår"].tolist() == [2023, 2025]  # 2024 is a gap, not a zero
    assert county["medel"].tolist() == pytest.approx([75.0, 75.0])
    assert county["antal_kommuner"].tolist() == [2, 1]


def test_county_text_states_target_and_change():
    county = pd.DataFrame({"mätår": [2023, 2025], "medel": [74.0, 81.25], "antal_kommuner": [12, 12]})
    text = nki.text.county_text(county, 2025, 80)
    assert "81,3" in text and "når målet 80" in text and "+7,3" in text
    assert "inget NKI-resultat" in nki.text.county_text(county, 2022, 80)


# --- bands, minimums, uncertainty -----------------------------------------------------


def test_bands_and_grades_follow_skr():
    band_list = nki.numbers.bands(SETTINGS)
    assert band_list[0] == ("mycket högt", 80.0)
    expected = {80: "mycket högt", 79.9: "högt", 70: "högt", 69.9: "godkänt", 62: "godkänt", 61.9: "lågt", 0: "lågt"}
    assert {v: nki.numbers.grade(v, band_list) for v in expected} == expected
    assert nki.numbers.grade(float("nan"), band_list) is None
    text = nki.text.bands_text(band_list, 80, 70)
    assert "70 är SKR:s gräns för ”högt”" in text
    assert "62–69 ”godkänt”" in text and "under 62 ”lågt”" in text and "80 och högre ”mycket högt”" in text


def test_standard_error_from_interval_or_sd_else_unknown():
    rows = pd.DataFrame(
        {
            "värde": [65.0, 70.0, 70.0],
            "antal_svar": pd.array([20, 36, 36], dtype="Int64"),
            "ki_nedre": [60.0, np.nan, np.nan],
            "ki_övre": [70.0, np.nan, np.nan],
            "standardavvikelse": [np.nan, 18.0, np.nan],
        }
    )
    se = nki.numbers.standard_errors(rows)
    assert se[0] == pytest.approx(10 / (2 * 1.96), rel=1e-3)
    assert se[1] == pytest.approx(18 / 6)
    assert math.isnan(se[2])


def test_uncertain_below_the_configured_minimum():
    rows = _full(
        [
            (2025, "A", "bygglov", "NKI", 70.0, 9, np.nan, np.nan),  # area minimum 10
            (2025, "B", "bygglov", "NKI", 70.0, 10, np.nan, np.nan),
            (2025, "A", "totalt", "NKI", 70.0, 9, np.nan, np.nan),  # total minimum 7
            (2025, "B", "totalt", "NKI", 70.0, 6, np.nan, np.nan),
            (2025, "C", "totalt", "NKI", 70.0, None, np.nan, np.nan),  # unknown n: not flagged
        ]
    )
    assert nki.numbers.annotate(rows, SETTINGS)["osäker"].tolist() == [True, False, False, True, False]


def test_change_test_against_hand_values():
    test = nki.numbers.change_test(75.0, 2.0, 70.0, 1.5)
    assert test["förändring"] == 5.0 and test["se"] == pytest.approx(2.5)
    assert test["z"] == pytest.approx(2.0)
    assert test["p"] == pytest.approx(0.0455003, abs=1e-6)  # 2 * (1 - Phi(2)) from a table
    assert test["ki_nedre"] == pytest.approx(5 - Z * 2.5)
    assert math.isnan(nki.numbers.change_test(75.0, np.nan, 70.0, 1.5)["p"])


# --- county and key results ---------------------------------------------------------------


def test_county_summary_weighted_interval_and_uncertain():
    rows = _full(
        [
            (2025, "A", "totalt", "NKI", 70.0, 10, 66.0, 74.0),
            (2025, "B", "totalt", "NKI", 80.0, 30, 78.0, 82.0),
            (2025, "C", "totalt", "NKI", 90.0, 5, 80.0, 100.0),
            (2024, "A", "totalt", "NKI", 70.0, 10, 66.0, 74.0),
            (2024, "B", "totalt", "NKI", 80.0, None, np.nan, np.nan),
        ]
    )
    summary = nki.numbers.county_summary(rows, SETTINGS).set_index("mätår")
    r = summary.loc[2025]
    # SKR's rule: C has 5 responses (< 7), is not published and is left out of every mean.
    assert (r["antal_kommuner"], r["antal_utelämnade"]) == (2, 1)
    assert r["medel"] == pytest.approx(75.0)
    assert r["viktat_medel"] == pytest.approx((700 + 2400) / 40)
    se = math.sqrt((8 / (2 * Z)) ** 2 + (4 / (2 * Z)) ** 2) / 2
    assert r["se"] == pytest.approx(se)
    assert r["ki_nedre"] == pytest.approx(75 - Z * se)
    assert math.isnan(summary.loc[2024, "viktat_medel"]) and math.isnan(summary.loc[2024, "ki_nedre"])


def test_county_status_too_few_municipalities_and_margin():
    row = pd.Series({"mätår": 2025, "medel": 82.0, "antal_kommuner": 9, "ki_nedre": 80.5, "ki_övre": 83.5})
    status, reason = nki.numbers.county_status(row, 80, 12, 10)
    assert status == okr.UNKNOWN and "bara 9 av 12" in reason
    row["antal_kommuner"] = 12
    assert nki.numbers.county_status(row, 80, 12, 10)[0] == okr.MET
    row["medel"], row["ki_nedre"], row["ki_övre"] = 79.0, 77.5, 80.5
    status, reason = nki.numbers.county_status(row, 80, 12, 10)
    assert status == okr.NOT_MET and "omfattar målet" in reason


def test_areas_status_met_not_met_unknown():
    good = _full(_twelve(2025, 80.0, {"bygglov": 72.0, "brandskydd": 75.0}))
    areas = nki.numbers.area_results(good, 2025, SETTINGS, 70, 12)
    assert nki.numbers.areas_status(areas, 70)[:2] == (
        okr.MET,
        "regionens resultat minst 70 i alla 2 områden; lägst bygglov 72,0",
    )
    bad = _full(_twelve(2025, 80.0, {"bygglov": 68.0, "brandskydd": 75.0}))
    status, reason, uncertain = nki.numbers.areas_status(nki.numbers.area_results(bad, 2025, SETTINGS, 70, 12), 70)
    # 600 responses at ±2 each: the region's interval is 68 ± 2/sqrt(12), wholly under 70
    assert status == okr.NOT_MET and "bygglov 68,0" in reason and not uncertain
    few = _full(_twelve(2025, 80.0, {"bygglov": 72.0}) + _twelve(2025, 0, {"brandskydd": 75.0}, count=9)[1::2])
    status, reason, _ = nki.numbers.areas_status(nki.numbers.area_results(few, 2025, SETTINGS, 70, 12), 70)
    assert status == okr.UNKNOWN and "brandskydd: mätt i bara 9 av 12 kommuner (minst 10 krävs)" in reason


def test_the_region_pools_every_respondent():
    """Hand-worked: 12 municipalities; in markupplåtelse 10 have 2 responses (under SKR's area
    minimum of 10, so none of them would be published alone) at 65,0 and two have 40 at 72,0.
    The region's result counts every respondent: (20 × 65 + 80 × 72) / 100 = 70,6 from 100
    responses. Each interval is ±2, so se_i = 2/z and the region's
    se = (2/z) × sqrt(10 × 0,02² + 2 × 0,4²); its interval 70,6 ± 2 × sqrt(0,324) covers 70."""
    records = _twelve(2025, 80.0, {"bygglov": 75.0})
    for i in range(12):
        n, value = (40, 72.0) if i < 2 else (2, 65.0)
        records.append((2025, f"K{i:02d}", "markupplåtelse", "NKI", value, n, value - 2, value + 2))
    areas = nki.numbers.area_results(_full(records), 2025, SETTINGS, 70, 12).set_index("område")
    row = areas.loc["markupplåtelse"]
    assert row["medel"] == pytest.approx(70.6) and (row["antal_svar"], row["antal_kommuner"]) == (100, 12)
    assert row["se"] == pytest.approx(2 / Z * math.sqrt(10 * 0.02**2 + 2 * 0.4**2))
    assert row["ki_nedre"] == pytest.approx(70.6 - 2 * math.sqrt(0.324))
    assert row["status"] == okr.MET and bool(row["osäker_marginal"])
    assert row["skäl"] == "70,6 mot gränsen 70 (100 svar i 12 kommuner)"
    status, _, uncertain = nki.numbers.areas_status(areas.reset_index(), 70)
    assert status == okr.MET and uncertain  # the lowest area's interval covers the limit
    no_counts = _full(records)
    no_counts.loc[no_counts["område"] == "markupplåtelse", "antal_svar"] = pd.NA
    areas = nki.numbers.area_results(no_counts, 2025, SETTINGS, 70, 12).set_index("område")
    assert areas.loc["markupplåtelse", "status"] == okr.UNKNOWN and math.isnan(areas.loc["markupplåtelse", "medel"])
    assert "antal svar saknas" in areas.loc["markupplåtelse", "skäl"]


def test_too_few_responses_in_the_region():
    settings = {**SETTINGS, "nki": {**SETTINGS["nki"], "minsta_antal_kommuner": 1}}
    frame = _full(
        [
            (2025, "A", "markupplåtelse", "NKI", 75.0, 4, 70.0, 80.0),
            (2025, "B", "markupplåtelse", "NKI", 60.0, 3, 50.0, 70.0),
        ]
    )
    row = nki.numbers.area_results(frame, 2025, settings, 70, 12).iloc[0]
    assert row["medel"] == pytest.approx((4 * 75 + 3 * 60) / 7)
    assert row["status"] == okr.UNKNOWN and row["skäl"] == "bara 7 svar (minst 10 krävs)"


def test_reliable_results_under_the_target_are_named_and_thin_ones_are_not():
    frame = _full(
        [
            (2025, "Laxå", "bygglov", "NKI", 66.0, 40, 60.0, 72.0),  # reliable, under 70: named
            (2025, "Nora", "bygglov", "NKI", 50.0, 3, 20.0, 80.0),  # 3 responses: not published
            (2025, "Kumla", "bygglov", "NKI", 71.0, 40, 65.0, 77.0),  # over 70
            (2025, "Laxå", "totalt", "NKI", 60.0, 90, 55.0, 65.0),  # the total is not an area
        ]
    )
    below = nki.numbers.reliable_results_below(frame, 2025, SETTINGS, 70)
    assert below[["kommun", "område", "värde"]].values.tolist() == [["Laxå", "bygglov", 66.0]]
    # read for every municipality: the published 66,0 fails it, and is the lowest published result
    assert nki.numbers.cells_status(frame, 2025, SETTINGS, 70) == (okr.NOT_MET, "1 kommunresultat under 70", 66.0)
    fine = frame[frame["kommun"] != "Laxå"]
    status, reason, lowest = nki.numbers.cells_status(fine, 2025, SETTINGS, 70)
    assert (status, lowest) == (okr.UNKNOWN, 71.0) and "1 kommunresultat har för få svar" in reason
    assert nki.numbers.cells_status(fine[fine["kommun"] == "Kumla"], 2025, SETTINGS, 70)[0] == okr.MET


def _ctx(frame, period, plan):
    return SimpleNamespace(period=period, dataset={"nki": frame}, plan=plan, settings=SETTINGS)


def test_a_period_without_its_own_mätår_is_not_judged(plan):
    """2026-08 has no mätår 2026: S1 and S2 show mätår 2025 as context and are never
    'ej uppnått' (or 'uppnått') on last year's measurement."""
    frame = _full(_twelve(2024, 78.0, {"bygglov": 69.0}) + _twelve(2025, 77.0, {"bygglov": 71.0}))
    s1, s2 = nki.outcomes(_ctx(frame, Period(2026, 8), plan))
    assert (s1.id, s1.status, s1.value, s1.previous) == ("S1", okr.UNKNOWN, pytest.approx(77.0), pytest.approx(78.0))
    assert s1.reason.startswith("mätår 2026 är inte publicerat, så 2026 kan inte bedömas ännu; senaste mätår 2025")
    assert s1.measurement_year == 2025 and s1.value_text == "77,0 (mätår 2025)"
    assert s1.detail == "Insikt 2026 är inte publicerad ännu; utfallet gäller mätår 2025"
    assert (s2.id, s2.status, s2.value, s2.previous) == ("S2", okr.UNKNOWN, pytest.approx(71.0), pytest.approx(69.0))
    assert s2.measurement_year == 2025
    s1, s2 = nki.outcomes(_ctx(frame, Period(2024), plan))
    assert s1.status == okr.NOT_MET and s2.status == okr.NOT_MET and "mätår 2024" in s1.reason
    assert s1.measurement_year == 2024
    none = nki.outcomes(_ctx(frame, Period(2023), plan))
    assert [o.status for o in none] == [okr.UNKNOWN, okr.UNKNOWN]


def test_s1_previous_under_the_old_total_says_so(plan):
    frame = _full(_twelve(2023, 75.0) + _twelve(2024, 76.0))
    s1 = nki.outcomes(_ctx(frame, Period(2024), plan))[0]
    assert s1.previous_text == "75,0 (äldre definition, mätår 2023)"
    assert "föregående mätår, 2023, räknades med SKR:s äldre total" in s1.reason
    s1 = nki.outcomes(_ctx(_full(_twelve(2024, 75.0) + _twelve(2025, 76.0)), Period(2025), plan))[0]
    assert s1.previous_text == "75,0 (mätår 2024)" and "äldre" not in s1.reason


def test_s1_within_its_interval_of_the_target_is_uncertain(plan):
    # 12 × (79 ± 2): se = sqrt(12 (2/z)²)/12, the interval 79 ± 2/sqrt(12) = 78,4–79,6 misses 80
    s1 = nki.outcomes(_ctx(_full(_twelve(2025, 79.0)), Period(2025), plan))[0]
    assert (s1.status, s1.qualifier) == (okr.NOT_MET, "")
    s1 = nki.outcomes(_ctx(_full(_twelve(2025, 79.5, ci=4.0)), Period(2025), plan))[0]  # 79,5 ± 1,15 covers 80
    assert (s1.status, s1.qualifier) == (okr.NOT_MET, okr.UNCERTAIN)


def test_s2_reading_from_the_plan(plan):
    """The same data read for the region (pooled, 71,0) and for every municipality (Laxå 66,0)."""
    records = _twelve(2025, 80.0, {"bygglov": 71.5})
    records = [
        r if r[1] != "K00" or r[2] != "bygglov" else (2025, "K00", "bygglov", "NKI", 66.0, 50, 64.0, 68.0)
        for r in records
    ]
    frame = _full(records)
    s2 = nki.outcomes(_ctx(frame, Period(2025), plan))[1]
    assert s2.status == okr.MET and s2.value == pytest.approx((11 * 71.5 + 66.0) / 12)
    assert s2.detail == "1 kommunresultat ligger under 70 (se avsnittet om NKI)"
    each = dataclasses.replace(plan.key_results[1], reading="varje kommun")
    other = dataclasses.replace(plan, key_results=(plan.key_results[0], each))
    s2 = nki.outcomes(_ctx(frame, Period(2025), other))[1]
    assert (s2.status, s2.value) == (okr.NOT_MET, 66.0) and s2.value_text == "lägst 66,0 (mätår 2025)"


def test_outcome_unknown_when_too_few_measured(plan):
    frame = _full(_twelve(2025, 85.0, {"bygglov": 75.0}, count=8))
    s1, s2 = nki.outcomes(_ctx(frame, Period(2025), plan))
    assert s1.status == okr.UNKNOWN and "bara 8 av 12" in s1.reason
    assert s2.status == okr.UNKNOWN


# --- municipality × area ----------------------------------------------------------------


def test_area_table_matrix_and_below_threshold():
    frame = _full(
        [
            (2025, "A", "bygglov", "NKI", 65.0, 30, 60.0, 70.0),
            (2025, "A", "totalt", "NKI", 60.0, 30, 55.0, 65.0),
            (2025, "B", "bygglov", "NKI", 69.0, 5, np.nan, np.nan),
            (2025, "B", "brandskydd", "NKI", 80.0, 30, np.nan, np.nan),
            (2024, "B", "bygglov", "NKI", 10.0, 30, np.nan, np.nan),
        ]
    )
    table = nki.numbers.area_cells(frame, 2025, SETTINGS)
    values, flags = nki.numbers.heatmap_matrix(table)
    assert list(values.columns) == ["brandskydd", "bygglov", "totalt"]
    assert math.isnan(values.loc["A", "brandskydd"]) and bool(flags.loc["B", "bygglov"])
    below = nki.numbers.below_threshold(table, 70)
    assert below[["kommun", "område"]].values.tolist() == [["A", "bygglov"], ["B", "bygglov"]]  # not totalt
    items = nki.text.below_items(table, 70)
    assert "osäkert, 5 svar" in items[1] and "intervall saknas" in items[1]
    assert "Diagrammet visar 3 resultat per kommun och myndighetsområde" in nki.text.heatmap_text(table, 70, 2025)


# --- change -------------------------------------------------------------------------------


def test_changes_significance_gaps_and_the_2024_break():
    records = [
        # A: measured 2022 and 2025 (2023-2024 a gap): compared with 2022, significant
        (2022, "A", "bygglov", "NKI", 60.0, 100, 58.0, 62.0),
        (2025, "A", "bygglov", "NKI", 70.0, 100, 68.0, 72.0),
        # B: no interval -> cannot be judged
        (2024, "B", "bygglov", "NKI", 60.0, 40, np.nan, np.nan),
        (2025, "B", "bygglov", "NKI", 75.0, 40, np.nan, np.nan),
        # C: joined 2025 -> no previous measurement
        (2025, "C", "bygglov", "NKI", 70.0, 40, 65.0, 75.0),
        # D: overlapping intervals -> no significant change
        (2024, "D", "bygglov", "NKI", 70.0, 40, 60.0, 80.0),
        (2025, "D", "bygglov", "NKI", 72.0, 40, 62.0, 82.0),
    ]
    table = nki.numbers.changes(_full(records), 2025, SETTINGS, area="bygglov").set_index("kommun")
    assert table.loc["A", "föregående_mätår"] == 2022 and table.loc["A", "bedömning"] == nki.numbers.CHANGE_UP
    se = math.hypot(4 / (2 * Z), 4 / (2 * Z))
    assert table.loc["A", "p"] == pytest.approx(2 * stats.norm.sf(10 / se))
    assert table.loc["B", "bedömning"] == nki.numbers.CHANGE_UNKNOWN
    assert table.loc["C", "bedömning"] == nki.numbers.CHANGE_FIRST
    assert table.loc["D", "bedömning"] == nki.numbers.CHANGE_NONE
    text = nki.text.changes_text(table.reset_index(), 2025)
    assert "1 där det inte kan bedömas" in text and "slump" in text


def test_total_is_not_compared_across_the_new_definition():
    areas = {a: 70.0 for a in MANDATORY + ["brandskydd"]}
    frame = _full(
        _twelve(2023, 70.0, areas, count=1) + _twelve(2024, 75.0, areas, count=1) + _twelve(2025, 80.0, areas, count=1)
    )
    assert nki.numbers.changes(frame, 2024, SETTINGS)["bedömning"].tolist() == [nki.numbers.CHANGE_BREAK]
    assert nki.numbers.changes(frame, 2025, SETTINGS)["bedömning"].tolist() == [nki.numbers.CHANGE_UP]
    scopes = nki.numbers.scope_by_year(frame, SETTINGS).set_index("mätår")
    assert scopes.loc[2023, "antal_områden"] == 5 and scopes.loc[2024, "antal_områden"] == 4
    assert scopes.loc[2024, "redovisas_separat"] == "brandskydd"
    assert "Totalen före och efter 2024 mäter därför olika saker" in nki.text.scope_text(
        nki.numbers.scope_by_year(frame, SETTINGS), SETTINGS
    )


def test_county_change_uses_county_standard_errors():
    summary = pd.DataFrame({"mätår": [2024, 2026], "medel": [74.0, 78.0], "se": [1.0, 1.0]})  # a gap year
    change = nki.numbers.county_change(summary, 2026, SETTINGS)
    assert change["föregående_mätår"] == 2024 and change["förändring"] == 4.0
    assert change["p"] == pytest.approx(2 * stats.norm.sf(4 / math.sqrt(2)))
    assert nki.numbers.county_change(summary, 2024, SETTINGS) is None


# --- trend and forecast -------------------------------------------------------------------


def test_linear_trend_matches_an_independent_ols_with_gaps():
    years = [2019, 2021, 2022, 2023, 2025]  # 2020 and 2024 are gaps, not zeros
    values = [70.0, 72.5, 72.0, 75.0, 76.5]
    fit = nki.numbers.linear_trend(years + [2024], values + [np.nan], 2027, 80)
    x, y = np.array(years, float), np.array(values)
    slope, intercept = np.polyfit(x, y, 1)
    resid = y - (intercept + slope * x)
    s = math.sqrt((resid**2).sum() / 3)
    se_pred = s * math.sqrt(1 + 1 / 5 + (2027 - x.mean()) ** 2 / ((x - x.mean()) ** 2).sum())
    t = stats.t.ppf(0.975, 3)
    pred = intercept + slope * 2027
    assert fit["antal_år"] == 5
    assert fit["lutning"] == pytest.approx(slope)
    assert fit["prognos"] == pytest.approx(pred)
    assert fit["prognos_ki_övre"] == pytest.approx(pred + t * se_pred)
    assert fit["sannolikhet_mål"] == pytest.approx(1 - stats.t.cdf((80 - pred) / se_pred, 3))


def test_linear_trend_edge_cases():
    two = nki.numbers.linear_trend([2024, 2025], [70.0, 72.0], 2027, 80)
    assert math.isnan(two["prognos"]) and "bara 2 mätår" in two["skäl"]
    one = nki.numbers.linear_trend([2025], [70.0], 2027, 80)
    assert math.isnan(one["lutning"]) and "bara 1 mätår" in one["skäl"]
    empty = nki.numbers.linear_trend([2023, 2024, 2025], [np.nan] * 3, 2027, 80)
    assert "bara 0 mätår" in empty["skäl"]
    exact = nki.numbers.linear_trend([2023, 2024, 2025], [74.0, 76.0, 78.0], 2027, 80)
    assert exact["prognos"] == pytest.approx(82.0) and exact["sannolikhet_mål"] == 1.0


def test_comparable_total_before_and_after_2024():
    records = []
    for area, value, n in zip(MANDATORY, [60.0, 70.0, 80.0, 90.0], [10, 20, 30, 40]):
        records.append((2023, "A", area, "NKI", value, n, np.nan, np.nan))
        if area != "serveringstillstånd":
            records.append((2022, "A", area, "NKI", value, n, np.nan, np.nan))  # incomplete: a gap
    records += [
        (2023, "A", "brandskydd", "NKI", 10.0, 99, np.nan, np.nan),  # outside the new total
        (2023, "A", "totalt", "NKI", 50.0, 199, np.nan, np.nan),  # old total: not used
        (2024, "A", "totalt", "NKI", 77.0, 100, np.nan, np.nan),
    ]
    series = nki.numbers.comparable_total(_full(records), SETTINGS)
    assert series["mätår"].tolist() == [2023, 2024]
    assert series["värde"].tolist() == pytest.approx([(600 + 1400 + 2400 + 3600) / 100, 77.0])


def test_trends_county_and_a_municipality_that_joined_later():
    series = pd.DataFrame(
        {
            "mätår": [2021, 2022, 2023, 2024, 2025, 2024, 2025],
            "kommun": ["A"] * 5 + ["Ny", "Ny"],
            "värde": [70.0, 71.0, 72.0, 73.0, 74.0, 60.0, 62.0],
        }
    )
    settings = {**SETTINGS, "nki": {**SETTINGS["nki"], "minsta_antal_kommuner": 1}}
    table = nki.numbers.trends(series, settings, 2027, 80).set_index("kommun")
    assert table.loc["A", "prognos"] == pytest.approx(76.0)
    assert math.isnan(table.loc["Ny", "prognos"]) and "bara 2 mätår" in table.loc["Ny", "skäl"]
    county = nki.numbers.county_series(series, 1)
    assert county["medel"].tolist() == pytest.approx([70, 71, 72, 66.5, 68])
    assert nki.numbers.county_series(series, 2)["mätår"].tolist() == [2024, 2025]
    text = nki.text.trend_text(table.reset_index(), 80, 2027)
    assert "Av 2 kommuner kan trenden bedömas för 1" in text


# --- service factors ------------------------------------------------------------------------


def test_factor_summary_correlation_and_quadrants():
    rng = np.random.default_rng(1)
    records = []
    offsets = {
        "information": -6,
        "tillgänglighet": 0,
        "bemötande": 5,
        "kompetens": 3,
        "rättssäkerhet": 1,
        "effektivitet": -8,
    }
    for k in range(6):
        for area in ("bygglov", "livsmedelskontroll"):
            base = 65 + 3 * k + (2 if area == "bygglov" else 0)
            records.append((2025, f"K{k}", area, "NKI", base, 40, np.nan, np.nan))
            for f, off in offsets.items():
                noise = rng.normal(0, 4 if f == "information" else 0.5)
                records.append((2025, f"K{k}", area, f, base + off + noise, 40, np.nan, np.nan))
        for f, off in offsets.items():
            records.append((2025, f"K{k}", "totalt", f, 70 + off + k, 80, np.nan, np.nan))
    records.append((2025, "K9", "bygglov", "NKI", 99.0, 3, np.nan, np.nan))  # uncertain: left out
    records.append((2025, "K9", "bygglov", "effektivitet", 0.0, 3, np.nan, np.nan))
    frame = _full(records)
    factors = nki.numbers.factor_summary(frame, 2025, SETTINGS).set_index("faktor")
    pairs = frame[(frame["område"] != "totalt") & (frame["kommun"] != "K9")]
    wide = pairs.pivot_table(index=["kommun", "område"], columns="mått", values="värde")
    for f in offsets:
        assert factors.loc[f, "samband"] == pytest.approx(np.corrcoef(wide[f], wide["NKI"])[0, 1])
        assert factors.loc[f, "betyg"] == pytest.approx(70 + offsets[f] + 2.5)
    r = factors.loc["information", "samband"]
    fisher = np.tanh(np.arctanh(r) - Z / math.sqrt(12 - 3))
    assert factors.loc["information", "samband_ki_nedre"] == pytest.approx(fisher, abs=1e-6)
    assert factors.loc["information", "kvadrant"] == "bevaka"  # low score, weak link
    assert factors.loc["effektivitet", "kvadrant"] == "prioritera"  # low score, strong link
    assert factors.loc["bemötande", "kvadrant"] == "behåll"
    assert "Svagast i länet är effektivitet" in nki.text.factors_text(factors.reset_index())


# --- Sweden as the yardstick ---------------------------------------------------------------


def test_national_percentile_and_ranking_minimum():
    riket = pd.DataFrame(
        {
            "mätår": [2025] * 6,
            "kommunkod": ["0001", "0002", "0003", "0004", "1880", "1881"],
            "område": "totalt",
            "mått": "NKI",
            "värde": [60.0, 70.0, 80.0, 99.0, 75.0, 90.0],
            "antal_svar": pd.array([50, 50, 50, 5, 200, 10], dtype="Int64"),
        }
    )
    own = _full(
        [
            (2025, "Örebro", "totalt", "NKI", 75.0, 200, np.nan, np.nan),
            (2025, "Kumla", "totalt", "NKI", 90.0, 10, np.nan, np.nan),
        ]
    )
    table, national = nki.numbers.national_position(riket, own, 2025, SETTINGS, {"1880": "Örebro", "1881": "Kumla"})
    table = table.set_index("kommun")
    # reference: 60, 70, 80, 75 (0004 and Kumla have fewer than 20 responses)
    assert table.loc["Örebro", "percentil"] == pytest.approx(3 / 4)
    assert not table.loc["Kumla", "rankas"] and math.isnan(table.loc["Kumla", "percentil"])
    assert national["median"] == pytest.approx(72.5) and national["antal"] == 4
    assert national["länsmedel"] == pytest.approx(82.5)
    text = nki.text.national_text(table.reset_index(), national)
    assert "Kumla rankas inte" in text and "72,5" in text
    assert nki.numbers.national_position(None, own, 2025, SETTINGS, {})[1] == {}
    assert "saknas" in nki.text.national_text(table, {})


# --- figures (they draw, with the example data's shapes) ------------------------------------


def test_figures_draw_from_example_data():
    import matplotlib.pyplot as plt

    from bro_analysis.core.config import EXAMPLE_DATA_DIR
    from bro_analysis.input.loading import load_dataset

    ds = load_dataset(EXAMPLE_DATA_DIR, names=("nki", "nki_riket"))
    frame = ds["nki"]
    table = nki.numbers.area_cells(frame, 2025, SETTINGS)
    values, flags = nki.numbers.heatmap_matrix(table)
    series = nki.numbers.comparable_total(frame, SETTINGS)
    trend = nki.numbers.trends(series, SETTINGS, 2027, 80)
    position, national = nki.numbers.national_position(ds.tables["nki_riket"], frame, 2025, SETTINGS, ds.plan.members)
    figures = [
        nki.figures.county_years(
            nki.numbers.county_years(frame, SETTINGS, 80, 12), nki.numbers.municipal_series(frame), 80, 2024
        ),
        nki.figures.heatmap(values, flags, nki.numbers.bands(SETTINGS), 70, 10, 7),
        nki.figures.forecast(
            nki.numbers.county_series(series, 10), nki.numbers.wide(series), trend.iloc[0].to_dict(), 80, 2027
        ),
        nki.figures.priority_matrix(nki.numbers.factor_summary(frame, 2025, SETTINGS)),
        nki.figures.national(position, national),
    ]
    assert all(isinstance(f, plt.Figure) for f in figures)
    for f in figures:
        plt.close(f)


# --- texts that say what cannot be judged ---------------------------------------------------


def test_texts_say_when_uncertainty_is_unknown():
    table = pd.DataFrame(
        {
            "mätår": [2024, 2025],
            "medel": [74.0, 76.0],
            "ki_nedre": [np.nan] * 2,
            "ki_övre": [np.nan] * 2,
            "viktat_medel": [np.nan] * 2,
            "antal_svar": [np.nan] * 2,
            "antal_utelämnade": [0, 0],
            "se": [np.nan] * 2,
        }
    )
    change = nki.numbers.county_change(table, 2025, SETTINGS)
    text = nki.text.county_detail_text(table, 2025, change)
    assert "Genomsnittets osäkerhetsmarginal kan inte beräknas" in text
    assert "genomsnitt viktat med antalet svar kan inte beräknas" in text
    assert "(+2,0) kan inte prövas statistiskt" in text
    assert "senaste publicerade mätår, 2025" in nki.text.period_text(Period(2026, 8), 2025)
    assert nki.text.period_text(Period(2025), 2025) == "Rapporten för 2025 bygger på Insikts mätår 2025."


def test_comparable_note_names_years_without_area_results():
    frame = _full([(y, "A", "totalt", "NKI", 70.0, None, np.nan, np.nan) for y in (2022, 2023, 2024, 2025)])
    series = nki.numbers.comparable_total(frame, SETTINGS)
    assert series["mätår"].tolist() == [2024, 2025]
    assert nki.text.comparable_note(frame, series, SETTINGS).startswith("För 2022 och 2023 saknas")
    rows = nki.tables.bands_table(nki.numbers.bands(SETTINGS), 80, 70).set_index("SKR:s betyg")[
        "Planens gränser i bandet"
    ]
    assert "mål för länets genomsnitt (80)" in rows["mycket högt"] and "(70)" in rows["högt"]


def test_standard_error_from_sd_and_n_where_no_interval(tmp_path):
    """The contract's optional standardavvikelse column: SE = sd / sqrt(n) when no interval."""
    from bro_analysis.input.loading import load_table

    path = tmp_path / "nki.csv"
    path.write_text(
        "mätår;kommun;område;mått;värde;antal_svar;ki_nedre;ki_övre;standardavvikelse\n"
        "2025;Kumla;totalt;NKI;72;64;;;16\n"
        "2025;Nora;totalt;NKI;75;40;70;80;\n",
        encoding="utf-8",
    )
    frame, _ = load_table(path, "nki")
    se = nki.numbers.standard_errors(frame)
    assert se.iloc[0] == pytest.approx(16 / 8)  # 16 / sqrt(64), by hand
    assert se.iloc[1] == pytest.approx(10 / (2 * 1.959963985))  # from the interval


def test_holm_adjustment_by_hand():
    """p = 0,01, 0,04, 0,03 and one untested: sorted 0,01·3 = 0,03; 0,03·2 = 0,06; 0,04·1 = 0,04 -> 0,06 (monotone)."""
    p = pd.Series([0.01, 0.04, np.nan, 0.03], index=["a", "b", "c", "d"])
    adjusted = nki.numbers.holm(p)
    assert adjusted["a"] == pytest.approx(0.03)
    assert adjusted["d"] == pytest.approx(0.06)
    assert adjusted["b"] == pytest.approx(0.06)
    assert math.isnan(adjusted["c"])
    assert nki.numbers.holm(pd.Series([0.5, 0.9])).tolist() == [1.0, 1.0]


def test_a_change_is_significant_only_after_holm():
    """Twelve municipalities, one with p ≈ 0,036 on its own: not 'säkerställd' once adjusted
    (0,036 · 12 > 0,05); a change with p ≈ 0,0001 still is (0,0001 · 12 < 0,05)."""
    records = []
    for i in range(12):
        records.append((2024, f"K{i:02d}", "totalt", "NKI", 75.0, 100, 73.0, 77.0))
        records.append((2025, f"K{i:02d}", "totalt", "NKI", 75.0, 100, 73.0, 77.0))
    frame = _full(records)
    half = 2.0  # each interval is ±2, so se = 2 / Z and the difference's se = sqrt(2) · 2 / Z
    se_diff = math.sqrt(2) * half / Z
    for name, z in (("K00", 2.1), ("K01", 3.9)):
        frame.loc[(frame["kommun"] == name) & (frame["mätår"] == 2025), ["värde", "ki_nedre", "ki_övre"]] = [
            75.0 + z * se_diff,
            75.0 + z * se_diff - half,
            75.0 + z * se_diff + half,
        ]
    table = nki.numbers.changes(frame, 2025, SETTINGS).set_index("kommun")
    assert table.loc["K00", "p"] == pytest.approx(2 * stats.norm.sf(2.1))
    assert table.loc["K00", "p"] < 0.05 and table.loc["K00", "bedömning"] == nki.numbers.CHANGE_NONE
    assert table.loc["K01", "p_justerat"] == pytest.approx(12 * 2 * stats.norm.sf(3.9))
    assert table.loc["K01", "bedömning"] == nki.numbers.CHANGE_UP


@pytest.mark.parametrize(
    "probability, points, expected",
    [
        (0.83, 5, "troligt"),  # no percentage from 5 points
        (0.83, 6, "troligt (83\u00a0%)"),
        (0.80, 4, "troligt"),
        (0.63, 8, "osäkert (63\u00a0%)"),
        (0.21, 4, "osäkert"),
        (0.20, 4, "osannolikt"),
        (float("nan"), 4, "kan inte bedömas"),
    ],
)
def test_chances_in_calibrated_words(probability, points, expected):
    assert nki.text.chance_text(probability, points, SETTINGS) == expected


def test_window_sensitivity_by_hand():
    """Seven years: flat 70 for four years, then 74, 78, 82. All seven fit a gentle slope;
    the last three fit exactly +4 a year and reach 90 in 2027 (two years after 2025 at 82)."""
    county = pd.DataFrame({"mätår": range(2019, 2026), "medel": [70.0, 70.0, 70.0, 70.0, 74.0, 78.0, 82.0]})
    table = nki.numbers.window_sensitivity(county, SETTINGS, 2027, 80).set_index("fönster")
    assert list(table.index) == ["alla mätår", "senaste 4", "senaste 3"]
    slope = stats.linregress(range(2019, 2026), county["medel"]).slope
    assert table.loc["alla mätår", "lutning"] == pytest.approx(slope)
    assert table.loc["senaste 3", "prognos"] == pytest.approx(90.0)  # 82 + 2 * 4: exact line
    last4 = stats.linregress([2022, 2023, 2024, 2025], [70.0, 74.0, 78.0, 82.0])
    assert table.loc["senaste 4", "prognos"] == pytest.approx(last4.intercept + last4.slope * 2027)
    text = nki.text.trend_text(
        pd.DataFrame(
            [
                {
                    "kommun": "Länet",
                    "senaste": 82.0,
                    **nki.numbers.linear_trend(county["mätår"], county["medel"], 2027, 80),
                }
            ]
        ),
        80,
        2027,
        settings=SETTINGS,
        sensitivity=table.reset_index(),
    )
    # every window says 'troligt': the word stands, and the shorter windows are named as agreeing
    all_years = nki.text.chance_text(table.loc["alla mätår", "sannolikhet_mål"], 7, SETTINGS)
    assert all_years.startswith("troligt (") and "%" in all_years
    assert f"Att nå minst 80 är enligt trendmodellen {all_years}, och linjen genom bara de senaste åren ger" in text
    last3 = nki.text.chance_text(table.loc["senaste 3", "sannolikhet_mål"], 3, SETTINGS)
    assert "%" not in last3 and f"med de senaste 3 mätåren 90,0 ({last3})" in text


def test_priority_matrix_ranks_only_links_whose_intervals_separate():
    """Six factors with r between 0,90 and 0,95 and overlapping intervals (as in the example
    data): none is 'prioritera'; one interval wholly above the mean correlation is."""
    rs = [0.90, 0.91, 0.92, 0.93, 0.94, 0.95]
    factors = pd.DataFrame(
        {
            "faktor": ["a", "b", "c", "d", "e", "f"],
            "betyg": [60.0, 62.0, 64.0, 70.0, 72.0, 74.0],
            "samband": rs,
            "samband_ki_nedre": [r - 0.08 for r in rs],
            "samband_ki_övre": [min(r + 0.04, 1.0) for r in rs],
        }
    )
    out = nki.numbers.priority_quadrants(factors)
    assert set(out["kvadrant"]) == {"kan inte rangordnas"}
    assert "pekar inte ut någon faktor" in nki.text.factors_text(out)
    separated = factors.copy()
    separated.loc[0, ["samband", "samband_ki_nedre", "samband_ki_övre"]] = [0.99, 0.97, 1.0]  # wholly above ≈ 0,935
    separated.loc[5, ["samband", "samband_ki_nedre", "samband_ki_övre"]] = [0.70, 0.55, 0.80]  # wholly below
    out = nki.numbers.priority_quadrants(separated).set_index("faktor")
    assert out.loc["a", "kvadrant"] == "prioritera" and out.loc["f", "kvadrant"] == "mindre viktigt"
    assert out.loc["b", "kvadrant"] == "kan inte rangordnas"


def test_county_change_is_not_tested_across_the_definition_break():
    summary = pd.DataFrame({"mätår": [2023, 2024], "medel": [74.0, 77.0], "se": [0.5, 0.5], "antal_utelämnade": [0, 0]})
    change = nki.numbers.county_change(summary, 2024, SETTINGS)
    assert change["definitionsbrott"] == 2024 and math.isnan(change["p"]) and change["förändring"] == 3.0
    within = nki.numbers.county_change(
        pd.DataFrame({"mätår": [2024, 2025], "medel": [74.0, 77.0], "se": [0.5, 0.5]}), 2025, SETTINGS
    )
    assert within["definitionsbrott"] is None and within["p"] == pytest.approx(2 * stats.norm.sf(3 / math.sqrt(0.5)))


def _series_and_note(frame):
    series, comparable = nki.numbers.trend_series(frame, SETTINGS)
    return series, nki.text.trend_series_note(frame, series, comparable, SETTINGS)


def test_trend_falls_back_to_skr_totals_when_no_comparable_series_can_be_built():
    """Totals only (as from Kolada) for 2014–2017: the comparable series is empty, so the trend
    uses SKR's four published years instead of saying '0 mätår med resultat'."""
    records = []
    for year in range(2014, 2018):
        records += _twelve(year, 70.0 + year - 2014)
    frame = _full(records)
    series, note = _series_and_note(frame)
    assert sorted(series["mätår"].unique()) == [2014, 2015, 2016, 2017] and "publicerade total" in note
    assert "brott" not in note
    trend = nki.numbers.trends(series, SETTINGS, 2027, 80).set_index("kommun")
    assert trend.loc["Länet", "antal_år"] == 4 and trend.loc["Länet", "lutning"] == pytest.approx(1.0)
    crossing = _full(_twelve(2023, 74.0) + _twelve(2024, 76.0) + _twelve(2025, 77.0))
    assert "brott" in _series_and_note(crossing)[1]
    with_areas = _full(_twelve(2024, 76.0, {"bygglov": 70.0}) + _twelve(2025, 77.0, {"bygglov": 71.0}))
    series, note = _series_and_note(with_areas)
    assert note == "" and sorted(series["mätår"].unique()) == [2024, 2025]  # the comparable series itself


def test_trend_keeps_the_comparable_series_when_it_is_long_enough():
    """As in the example data: the comparable total lacks 2020 (areas missing) but has three
    years; SKR's totals have four, mixed definitions: the comparable series is kept."""
    areas = dict.fromkeys(MANDATORY, 75.0)
    records = _twelve(2020, 70.0) + [r for y in (2021, 2022, 2023) for r in _twelve(y, 74.0, areas)]
    series, note = _series_and_note(_full(records))
    assert sorted(series["mätår"].unique()) == [2021, 2022, 2023] and "publicerade total" not in note


def test_a_county_mean_from_too_few_municipalities_is_drawn_hollow_and_named():
    import matplotlib.pyplot as plt

    county = pd.DataFrame(
        {
            "mätår": [2014, 2015, 2016],
            "medel": [70.0, 71.0, 72.0],
            "antal_kommuner": [2, 12, 12],
            "ki_nedre": [np.nan] * 3,
            "ki_övre": [np.nan] * 3,
            "viktat_medel": [np.nan] * 3,
        }
    )
    municipal = pd.DataFrame({"K00": [69.0, 71.0, 73.0]}, index=[2014, 2015, 2016])  # wide: a column per municipality
    assert (
        nki.text.thin_years_note(county, 10) == " Ofyllda punkter (2014) vilar på färre än 10 kommuner och bedöms inte."
    )
    assert nki.text.thin_years_note(county, 2) == ""
    fig = nki.figures.county_years(county, municipal, 80, None, 10)
    hollow = [line for line in fig.axes[0].lines if line.get_label().startswith("Färre än 10 kommuner")]
    assert len(hollow) == 1 and hollow[0].get_xdata().tolist() == [2014]
    assert hollow[0].get_markerfacecolor() == "white"
    plt.close(fig)


def test_the_prediction_interval_stays_on_the_nki_scale():
    """Four scattered years: the raw t interval for 2027 runs past 100; it is cut at 100 (and 0)."""
    fit = nki.numbers.linear_trend([2014, 2015, 2016, 2017], [66.0, 72.0, 64.0, 74.0], 2027, 80)
    x = np.array([2014, 2015, 2016, 2017], dtype=float)
    line = stats.linregress(x, [66.0, 72.0, 64.0, 74.0])
    residual = np.array([66.0, 72.0, 64.0, 74.0]) - (line.intercept + line.slope * x)
    s = math.sqrt(float(residual @ residual) / 2)
    se_pred = s * math.sqrt(1 + 1 / 4 + (2027 - x.mean()) ** 2 / float(((x - x.mean()) ** 2).sum()))
    raw_high = line.intercept + line.slope * 2027 + stats.t.ppf(0.975, 2) * se_pred
    assert raw_high > 100 and fit["prognos_ki_övre"] == 100.0
    assert fit["prognos_ki_nedre"] == pytest.approx(
        max(0.0, line.intercept + line.slope * 2027 - stats.t.ppf(0.975, 2) * se_pred)
    )


# --- S1 and S2 forecasts -----------------------------------------------------------------------


def _by_hand(years, values, year, target):
    """A straight line by scipy.stats.linregress and its t prediction interval, by hand:
    prediction, low, high and the chance of at least the target."""
    x, y = np.asarray(years, dtype=float), np.asarray(values, dtype=float)
    n = len(x)
    line = stats.linregress(x, y)
    residual = y - (line.intercept + line.slope * x)
    s = math.sqrt(float(residual @ residual) / (n - 2))
    se = s * math.sqrt(1 + 1 / n + (year - x.mean()) ** 2 / float(((x - x.mean()) ** 2).sum()))
    prediction = line.intercept + line.slope * year
    half = stats.t.ppf(0.975, n - 2) * se
    return prediction, prediction - half, prediction + half, float(stats.t.sf((target - prediction) / se, n - 2))


def _years(values: dict, areas: dict | None = None, spread: float = 0.0):
    """Twelve municipalities per mätår: the total at the year's value plus an offset per
    municipality that averages to zero, and before SKR's new total the mandatory areas at the
    same value (so the comparable series has the year); or, with `areas` ({area: {mätår:
    value}}), those areas instead."""
    records = []
    for year, value in values.items():
        for i in range(12):
            v = value + (i - 5.5) * spread
            records.append((year, f"K{i:02d}", "totalt", "NKI", v, 50, v - 2, v + 2))
            if year < 2024 and areas is None:
                records += [(year, f"K{i:02d}", area, "NKI", v, 50, v - 2, v + 2) for area in MANDATORY]
            for area, by_year in (areas or {}).items():
                if year in by_year:
                    a = by_year[year]
                    records.append((year, f"K{i:02d}", area, "NKI", a, 50, a - 2, a + 2))
    return _full(records)


RULE = nki.numbers.forecast.rules(SETTINGS)
# Rising to 80 and then falling: all eight mätår give 'troligt' for 80 in 2027, the last three 'osannolikt'.
TURNING = {2018: 70.0, 2019: 72.0, 2020: 74.0, 2021: 76.0, 2022: 78.0, 2023: 80.0, 2024: 79.5, 2025: 77.0}


def test_windows_that_disagree_make_the_chance_osäkert():
    years, values = list(TURNING), list(TURNING.values())
    all_years = _by_hand(years, values, 2027, 80)[3]
    last3 = _by_hand(years[-3:], values[-3:], 2027, 80)[3]
    assert all_years > 0.8 and last3 < 0.2  # the hand computation: 'troligt' against 'osannolikt'
    county = pd.DataFrame({"mätår": years, "medel": values})
    sensitivity = nki.numbers.window_sensitivity(county, SETTINGS, 2027, 80).set_index("fönster")
    assert sensitivity.loc["alla mätår", "sannolikhet_mål"] == pytest.approx(all_years)
    assert sensitivity.loc["senaste 3", "sannolikhet_mål"] == pytest.approx(last3)
    assert not nki.numbers.windows_agree(sensitivity, RULE)
    # where the windows agree the word is all mätår's own
    rising = pd.DataFrame({"mätår": years, "medel": [70.0 + 2 * i + (i % 2) * 0.3 for i in range(8)]})
    agreeing = nki.numbers.window_sensitivity(rising, SETTINGS, 2027, 80)
    assert nki.numbers.windows_agree(agreeing, RULE)


def test_page_one_and_the_nki_section_say_osäkert_when_the_windows_disagree(plan):
    frame = _years(TURNING)
    s1 = nki.outcomes(_ctx(frame, Period(2025), plan))[0]
    prediction, low, high, all_years = _by_hand(list(TURNING), list(TURNING.values()), 2027, 80)
    made = s1.plan_forecast
    assert (made.year, made.value, made.low, made.high) == (2027, *(pytest.approx(v) for v in (prediction, low, high)))
    assert all_years > 0.8 and made.chance == pytest.approx(all_years) and made.disputed  # the model's own chance
    assert made.word(RULE) == "osäkert"
    cell = f"2027: {fmt_number(prediction, 1)} ({fmt_number(low, 1)}–{fmt_number(high, 1)}), osäkert"
    assert okr.forecast_text(plan.key_results[0], s1, RULE) == cell  # page one: words only
    assert "om trenden håller" in made.how and "med bara de senaste 3 mätåren" in made.how
    assert "sägs chansen som ”osäkert”" in made.how
    # the section: the same series, the same word
    series, _ = nki.numbers.trend_series(frame, SETTINGS)
    trend = nki.numbers.trends(series, SETTINGS, 2027, 80)
    county = nki.numbers.county_series(series, 10)
    sensitivity = nki.numbers.window_sensitivity(county, SETTINGS, 2027, 80)
    text = nki.text.trend_text(trend, 80, 2027, settings=SETTINGS, sensitivity=sensitivity)
    assert "Att nå minst 80 är enligt trendmodellen osäkert, eftersom svaret beror på vilka år" in text
    assert f"med alla 8 mätåren troligt ({round(100 * all_years)}\u00a0%)" in text  # 8 mätår: a percentage
    assert "med de senaste 3 mätåren 74,3 (osannolikt)" in text  # 3 mätår: words only
    table = nki.tables.trend_table(trend, 2027, SETTINGS, sensitivity).set_index("Kommun")
    assert table.loc["Länet", "Att nå målet"].startswith("osäkert")


def test_s1_forecast_is_the_straight_line_through_the_county_series(plan):
    base = {2019: 70.1, 2021: 71.9, 2022: 72.6, 2023: 74.4, 2024: 75.0, 2025: 77.1}
    frame = _years(base, spread=0.4)
    totals = frame[(frame["område"] == "totalt") & (frame["mått"] == "NKI")]
    county = totals.groupby("mätår")["värde"].mean()  # plain pandas: the unweighted county mean
    assert county.tolist() == pytest.approx(list(base.values()))
    s1 = nki.outcomes(_ctx(frame, Period(2026, 8), plan))[0]
    assert s1.status == okr.UNKNOWN  # a part year is still not judged
    line = stats.linregress(county.index.astype(float), county.to_numpy())
    for made, year in ((s1.forecast, 2026), (s1.plan_forecast, 2027)):
        prediction, low, high, chance = _by_hand(county.index, county.to_numpy(), year, 80)
        assert made.year == year and made.value == pytest.approx(line.intercept + line.slope * year)
        assert (made.low, made.high) == (pytest.approx(low), pytest.approx(high))
        sensitivity = nki.numbers.window_sensitivity(county.reset_index(name="medel"), SETTINGS, year, 80)
        if nki.numbers.windows_agree(sensitivity, RULE):
            assert made.chance == pytest.approx(chance)
        else:
            assert made.word(RULE) == "osäkert"
        assert "mätåren 2019–2025 (6 mätår)" in made.how


def test_a_published_mätår_has_no_forecast_for_its_year(plan):
    frame = _years({2021: 72.0, 2022: 73.0, 2023: 74.5, 2024: 75.0, 2025: 77.0})
    s1, s2 = nki.outcomes(_ctx(frame, Period(2025), plan))
    assert s1.forecast is None and s2.forecast is None  # the value of 2025 is known
    assert s1.plan_forecast.year == 2027 and s1.plan_forecast.made
    in_last_year = nki.outcomes(_ctx(frame, Period(2027, 3), plan))[0]
    assert in_last_year.forecast.year == 2027 and in_last_year.plan_forecast is in_last_year.forecast
    with_2027 = _years({2024: 75.0, 2025: 77.0, 2026: 78.0, 2027: 79.0})
    done = nki.outcomes(_ctx(with_2027, Period(2027), plan))[0]
    assert done.forecast is None and done.plan_forecast is None  # the plan's last mätår is out


AREAS = {
    "bygglov": {2023: 68.0, 2024: 70.5, 2025: 71.0},
    "miljö- och hälsoskydd": {2023: 70.0, 2024: 73.5, 2025: 74.0},
}


def test_s2_forecast_is_the_lowest_area_and_the_product_of_the_areas_chances(plan):
    frame = _years({2023: 75.0, 2024: 76.0, 2025: 77.0}, AREAS)
    s2 = nki.outcomes(_ctx(frame, Period(2025), plan))[1]
    by_hand = {area: _by_hand(list(v), list(v.values()), 2027, 70) for area, v in AREAS.items()}
    made = s2.plan_forecast
    assert made.year == 2027
    assert made.chance == pytest.approx(by_hand["bygglov"][3] * by_hand["miljö- och hälsoskydd"][3])
    assert (made.value, made.low, made.high) == tuple(pytest.approx(v) for v in by_hand["bygglov"][:3])
    assert "lägst blir bygglov" in made.how and "oberoende" in made.how


def test_s2_forecast_says_when_an_area_has_too_few_mätår(plan):
    short = {**AREAS, "bygglov": {2024: 70.5, 2025: 71.0}}
    s2 = nki.outcomes(_ctx(_years({2023: 75.0, 2024: 76.0, 2025: 77.0}, short), Period(2025), plan))[1]
    assert not s2.plan_forecast.made
    assert s2.plan_forecast.how == "för kort historik: bygglov: bara 2 mätår med resultat (minst 3 krävs)"
    assert okr.forecast_cell(plan.key_results[1], s2.plan_forecast, RULE) == "2027: ingen prognos"
    assert s2.plan_forecast.how.startswith("för kort")


def test_a_part_year_on_the_example_data_forecasts_its_year_and_the_plans_last():
    from fixture_plan import context

    ctx = context("2026-08")
    s1, s2 = nki.outcomes(ctx)
    for outcome in (s1, s2):
        assert outcome.status == okr.UNKNOWN
        assert outcome.forecast.year == 2026 and outcome.plan_forecast.year == 2027
        for made in (outcome.forecast, outcome.plan_forecast):
            assert made.low is not None and made.high is not None and made.low <= made.value <= made.high
    # the statistical review's case: 83 % with all mätår, 23 % with the last three: 'osäkert'
    assert (
        "83\u00a0% med alla mätår" in s1.plan_forecast.how and "23\u00a0% med bara de senaste 3" in s1.plan_forecast.how
    )
    assert s1.plan_forecast.word(RULE) == "osäkert" and s1.plan_forecast.chance == pytest.approx(0.83, abs=0.005)
    # S2 the same way: every area's last three mätår alone make 'troligt' doubtful
    assert "med bara de senaste 3 mätåren" in s2.plan_forecast.how and "oberoende" in s2.plan_forecast.how
    assert s2.plan_forecast.word(RULE) == "osäkert"
