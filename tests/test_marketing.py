"""Marketing: conversion rates, the change against the previous year, channels, arenas,
municipal support and personal data, checked against values computed independently
(scipy.stats called directly, or by hand)."""

import io
import math
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from bro_analysis.analysis import marketing, okr
from bro_analysis.analysis.context import Context
from bro_analysis.core.config import EXAMPLE_DATA_DIR, NOTEBOOKS_DIR, load_settings
from bro_analysis.core.periods import Period
from bro_analysis.input.loading import Dataset, load_dataset, load_table

DEFS = marketing.numbers.Definitions(
    lead_stages=("lead", "kvalificerad", "konverterad"),
    converted_stage="konverterad",
    confidence=0.95,
    min_leads=30,
    min_leads_channel=20,
)
Z = stats.norm.ppf(0.975)


def _leads(spec):
    """spec: (date, channel, converted, not converted[, arena]) -> one row per lead."""
    rows = []
    for item in spec:
        date, channel, conv, other = item[:4]
        arena = item[4] if len(item) > 4 else None
        rows += [(date, channel, "konverterad", arena)] * conv + [(date, channel, "lead", arena)] * other
    frame = pd.DataFrame(rows, columns=["datum", "kanal", "steg", "arena"])
    frame["datum"] = pd.to_datetime(frame["datum"])
    frame.insert(0, "id", [f"L-{i:04d}" for i in range(len(frame))])
    return frame


def _scipy_wilson(k, n, level=0.95):
    ci = stats.binomtest(k, n).proportion_ci(confidence_level=level, method="wilson")
    return ci.low, ci.high


# --- rates ------------------------------------------------------------------------


@pytest.mark.parametrize("k,n", [(0, 1), (0, 10), (1, 3), (3, 3), (7, 20), (48, 336), (500, 1000)])
@pytest.mark.parametrize("level", [0.95, 0.90])
def test_wilson_interval_matches_scipy(k, n, level):
    low, high = marketing.numbers.wilson_interval([k], [n], level)
    assert (low[0], high[0]) == pytest.approx(_scipy_wilson(k, n, level), abs=1e-12)


def test_wilson_interval_by_hand_for_zero_successes_and_no_leads():
    low, high = marketing.numbers.wilson_interval([0, 0], [10, 0])
    assert low[0] == 0 and high[0] == pytest.approx(Z**2 / (10 + Z**2))
    assert math.isnan(low[1]) and math.isnan(high[1])


def test_definitions_from_settings_and_unknown_stage():
    defs = marketing.numbers.definitions(load_settings())
    assert defs.converted_stage == "konverterad" and defs.min_leads == 30
    with pytest.raises(ValueError, match="okända steg"):
        marketing.numbers.definitions({"marknadsföring": {"konverterat_steg": "vunnen"}})


def test_classify_follows_the_definitions():
    leads = _leads([("2025-03-01", "Webb", 2, 3)])
    leads.loc[0, "steg"] = "kvalificerad"  # one converted lead only reached kvalificerad
    defs = marketing.numbers.Definitions(lead_stages=("kvalificerad", "konverterad"), converted_stage="kvalificerad")
    out = marketing.numbers.classify(leads, defs)
    assert len(out) == 2 and out["konverterad"].all()  # plain 'lead' rows are not leads here
    assert marketing.numbers.classify(leads, DEFS)["konverterad"].sum() == 1


def test_rates_by_year_keeps_a_year_without_leads_and_uses_the_periods_months():
    leads = _leads(
        [("2023-02-01", "Webb", 1, 3), ("2025-05-01", "Webb", 2, 2), ("2025-10-01", "Webb", 4, 0)]
    )  # October is outside January–August
    years = marketing.numbers.rates_by_year(leads, Period(2025, 8), DEFS)
    assert years["år"].tolist() == [2023, 2024, 2025]
    assert years["leads"].tolist() == [4, 0, 4]
    assert years["konverterade"].tolist() == [1, 0, 2]
    assert years["andel"].iloc[0] == pytest.approx(0.25) and math.isnan(years["andel"].iloc[1])
    assert math.isnan(years["ki_nedre"].iloc[1])
    assert (years["ki_nedre"].iloc[2], years["ki_övre"].iloc[2]) == pytest.approx(_scipy_wilson(2, 4))
    full = marketing.numbers.rates_by_year(leads, Period(2025), DEFS)
    assert full["leads"].tolist() == [4, 0, 8]


def test_maturation_days_cut_the_end_of_both_periods():
    leads = _leads([("2025-12-20", "Webb", 0, 5), ("2025-06-01", "Webb", 1, 1), ("2024-12-25", "Webb", 0, 3)])
    defs = marketing.numbers.Definitions(DEFS.lead_stages, DEFS.converted_stage, maturation_days=30)
    cmp = marketing.numbers.compare(leads, Period(2025), defs)
    assert (cmp.leads, cmp.previous_leads) == (2, 0)


# --- the key result ------------------------------------------------------------------


def _comparison(k1, n1, k0, n0):
    leads = _leads([("2025-04-01", "Webb", k1, n1 - k1), ("2024-04-01", "Webb", k0, n0 - k0)])
    return marketing.numbers.compare(leads, Period(2025), DEFS)


def test_comparison_against_katz_by_hand():
    cmp = _comparison(13, 100, 10, 100)
    assert (cmp.rate, cmp.previous_rate) == pytest.approx((0.13, 0.10))
    assert cmp.ratio == pytest.approx(1.3) and cmp.change == pytest.approx(0.3)
    assert cmp.points == pytest.approx(0.03)
    se = math.sqrt(1 / 13 - 1 / 100 + 1 / 10 - 1 / 100)
    assert cmp.ratio_interval == pytest.approx((1.3 * math.exp(-Z * se), 1.3 * math.exp(Z * se)))
    assert cmp.enough


def test_the_target_itself_is_tested():
    """+30 % from 100 leads each: the interval (0,60–2,82) covers 1,20 -> uncertain; the one-sided
    p of 'ratio ≤ 1,20' is from the same log-scale normal approximation."""
    cmp = _comparison(13, 100, 10, 100)
    se = math.sqrt(1 / 13 - 1 / 100 + 1 / 10 - 1 / 100)
    assert cmp.target_p_value(0.2) == pytest.approx(stats.norm.sf((math.log(1.3) - math.log(1.2)) / se))
    assert cmp.target_certainty(0.2) == marketing.numbers.UNCERTAIN
    assert "omfattar målet +20,0" in marketing.text.target_certainty_text(cmp, 0.2)
    above = _comparison(300, 1000, 100, 1000)  # ratio 3, interval about 2,4–3,7
    assert above.target_certainty(0.2) == marketing.numbers.ABOVE and above.target_p_value(0.2) < 0.025
    assert "målet är nått med god säkerhet" in marketing.text.target_certainty_text(above, 0.2)
    below = _comparison(100, 1000, 100, 1000)  # ratio 1, interval about 0,77–1,30: covers 1,20
    assert below.target_certainty(0.2) == marketing.numbers.UNCERTAIN
    far_below = _comparison(50, 1000, 100, 1000)  # ratio 0,5, interval about 0,36–0,70
    assert far_below.target_certainty(0.2) == marketing.numbers.BELOW and far_below.target_p_value(0.2) > 0.975


def test_the_interval_and_the_target_test_agree_in_sidedness():
    """'Wholly above 1,20' at 95 % two-sided is exactly 'one-sided p < 0,025'."""
    for k1 in range(5, 60):
        cmp = _comparison(k1, 200, 20, 200)
        above = cmp.target_certainty(0.2) == marketing.numbers.ABOVE
        assert above == (cmp.target_p_value(0.2) < 0.025 + 1e-12), k1


def test_the_ratio_interval_covers_the_true_ratio_at_its_level():
    """2 000 simulated years of realistic size (300 and 280 leads, 10 % and 12 % conversion: the
    true ratio is exactly the target 1,20): the 95 % interval covers it at least 93 % of the time."""
    rng = np.random.default_rng(20261129)
    covered = drawn = 0
    for _ in range(2000):
        k1, k0 = int(rng.binomial(280, 0.12)), int(rng.binomial(300, 0.10))
        if not (k1 and k0):
            continue
        cmp = marketing.numbers.Comparison(280, k1, 300, k0, 0.95, 30)
        low, high = cmp.ratio_interval
        covered += low <= 1.2 <= high
        drawn += 1
    assert drawn >= 1990
    assert covered / drawn >= 0.93, covered / drawn


def test_zero_conversions_give_no_ratio_interval():
    none_before = _comparison(5, 40, 0, 40)
    assert math.isnan(none_before.ratio) and math.isnan(none_before.ratio_interval[0])
    assert "inga konverteringar" in marketing.text.comparison_text(none_before, Period(2025), 0.2)
    none_now = _comparison(0, 40, 5, 40)
    assert none_now.ratio == 0 and math.isnan(none_now.ratio_interval[1])
    assert none_now.target_certainty(0.2) == "" and "kan inte bedömas" in marketing.text.target_certainty_text(
        none_now, 0.2
    )


def test_a_period_without_leads():
    leads = _leads([("2024-04-01", "Webb", 3, 40)])
    cmp = marketing.numbers.compare(leads, Period(2025), DEFS)
    assert cmp.leads == 0 and math.isnan(cmp.rate) and math.isnan(cmp.target_p_value(0.2)) and not cmp.enough
    text = marketing.text.comparison_text(cmp, Period(2025), 0.2)
    assert "inga leads under 2025" in text and "för få leads" in text


def test_comparison_text_states_change_points_interval_and_test():
    text = marketing.text.comparison_text(_comparison(13, 100, 10, 100), Period(2025), 0.2)
    assert "13,0\u00a0% (13 av 100 leads) under 2025" in text
    assert "+30,0\u00a0%" in text and "+3,0 procentenheter" in text and "når målet" in text
    assert "omfattar målet +20,0" in text and "Fisher" not in text


# --- channels and funnel --------------------------------------------------------------


def test_channels_ranked_by_lower_bound_and_small_ones_not_crowned():
    leads = _leads([("2025-02-01", "A", 40, 60), ("2025-02-01", "B", 9, 11), ("2025-02-01", "C", 3, 0)])
    table = marketing.numbers.group_rates(leads, Period(2025), DEFS)
    # B converts 45 % but has a wider interval than A's 40 %; C's 3 of 3 is too few to rank.
    assert _scipy_wilson(9, 20)[0] < _scipy_wilson(40, 100)[0]
    assert table["kanal"].tolist() == ["A", "B", "C"]
    assert table["bedömning"].tolist() == ["1", "2", marketing.numbers.TOO_FEW]
    assert table.loc[2, "ki_nedre"] == pytest.approx(_scipy_wilson(3, 3)[0])
    text = marketing.text.group_text(table, "kanal", DEFS)
    assert text.startswith("Bäst konverterar A: 40,0") and "C" in text and "överlappar med B" in text


def test_funnel_counts_each_stage_reached():
    leads = _leads([("2025-02-01", "A", 2, 5)])
    leads.loc[leads.index[-2:], "steg"] = "kvalificerad"
    out = marketing.numbers.funnel(leads, Period(2025), DEFS)
    assert out.iloc[0].tolist() == ["A", 7, 4, 2]
    shown = marketing.tables.funnel_table(out)
    assert shown["Andel till kvalificerad"].iloc[0] == pytest.approx(4 / 7)


# --- arenas, municipal support, outcomes -----------------------------------------------------


def _arenas(rows):
    frame = pd.DataFrame(rows, columns=["namn", "typ", "datum", "mål_formulerade", "uppföljning_gjord"])
    frame["datum"] = pd.to_datetime(frame["datum"])
    for col in ("mål_formulerade", "uppföljning_gjord"):
        frame[col] = frame[col].astype("boolean")
    return frame


ARENAS = _arenas(
    [
        ("MIPIM", "internationell", "2025-03-10", True, True),
        ("Almedalen", "nationell", "2025-06-30", True, False),
        ("Expo Real", "internationell", "2025-10-06", None, True),
        ("Logistikdagarna", "nationell", "2025-09-10", True, True),
        ("Elmia", "nationell", "2024-11-10", True, True),
    ]
)


def test_arenas_in_period_name_those_lacking_goals_or_follow_up():
    table = marketing.numbers.arenas_in_period(ARENAS, Period(2025))
    assert table["namn"].tolist() == ["MIPIM", "Almedalen", "Logistikdagarna", "Expo Real"]
    assert table["uppfyller"].tolist() == [True, False, True, False]
    text = marketing.text.arenas_text(table, Period(2025), 4)
    assert "2 hade både" in text and "Almedalen (30 juni 2025) saknar uppföljning" in text
    assert "Expo Real (6 oktober 2025) saknar skriftliga mål (uppgift saknas)" in text


def test_alla_expands_to_every_member(write_csv, plan):
    path = write_csv(
        "aktiviteter.csv",
        [
            ["id", "datum", "typ", "titel", "kommuner", "företag"],
            ["A-1", "2025-03-01", "marknadsföringsstöd", "Mässmaterial", "alla", ""],
            ["A-2", "2025-04-01", "marknadsföringsstöd", "Film", "Kumla; Nora", ""],
            ["A-3", "2025-04-01", "workshop", "Ej stöd", "Laxå", ""],
        ],
    )
    frame, _ = load_table(path, "aktiviteter", plan)
    table = marketing.numbers.supported_municipalities(frame, Period(2025), plan.members)
    assert table["stödd"].all() and len(table) == 12
    assert table.set_index("kommun")["insatser"].to_dict()["Kumla"] == 2
    assert table.set_index("kommun")["insatser"].to_dict()["Laxå"] == 1


def _activities(rows):
    frame = pd.DataFrame(rows, columns=["id", "datum", "typ", "titel", "kommuner", "företag"])
    frame["datum"] = pd.to_datetime(frame["datum"])
    return frame


def _context(period, leads, arenas=ARENAS, activities=None):
    from bro_analysis.core.config import load_plan

    plan = load_plan()
    activities = (
        activities
        if activities is not None
        else _activities(
            [
                ("A-1", "2025-02-01", "marknadsföringsstöd", "Stöd", ("1880", "1881"), None),
                ("A-2", "2025-03-01", "workshop", "Ej stöd", ("1884",), None),
                ("A-3", "2024-03-01", "marknadsföringsstöd", "Stöd", tuple(plan.members), None),
            ]
        )
    )
    tables = {"leads": leads, "arenor": arenas, "aktiviteter": activities}
    return Context(period, Dataset(Path("."), plan, tables, []), plan, load_settings())


def _by_id(ctx):
    return {o.id: o for o in marketing.outcomes(ctx)}


def test_outcomes_m1_and_m3():
    out = _by_id(_context(Period(2025), _comparison_leads(13, 100, 10, 100)))
    assert (out["M1"].value, out["M1"].status) == (2, okr.NOT_MET)
    assert "Almedalen" in out["M1"].reason and "Expo Real" in out["M1"].reason and "MIPIM" not in out["M1"].reason
    assert (out["M3"].value, out["M3"].previous, out["M3"].status) == (2, 12, okr.NOT_MET)
    assert "Nora" in out["M3"].reason and "Örebro" not in out["M3"].reason.split("inget stöd till")[1]


def test_m1_met_with_four_complete_arenas():
    arenas = _arenas([(f"Arena {i}", "nationell", f"2025-0{i}-01", True, True) for i in range(1, 5)])
    out = _by_id(_context(Period(2025), _comparison_leads(13, 100, 10, 100), arenas=arenas))
    assert out["M1"].status == okr.MET


def _comparison_leads(k1, n1, k0, n0):
    return _leads([("2025-04-01", "Webb", k1, n1 - k1), ("2024-04-01", "Webb", k0, n0 - k0)])


@pytest.mark.parametrize(
    "k1,n1,k0,n0,status,significance",
    [
        (13, 100, 10, 100, okr.MET, "omfattar målet"),  # +30 %, but the interval covers +20 %
        (30, 200, 10, 200, okr.MET, "målet är nått med god säkerhet"),  # +200 %, interval +51 % to +497 %
        (11, 100, 10, 100, okr.NOT_MET, "omfattar målet"),  # +10 %
        (5, 100, 10, 100, okr.NOT_MET, "omfattar målet"),  # −50 %, from few conversions: interval −82 % to +41 %
        (50, 1000, 100, 1000, okr.NOT_MET, "med god säkerhet inte nått"),  # −50 %, interval −64 % to −30 %
    ],
)
def test_m2_status_and_significance(k1, n1, k0, n0, status, significance):
    out = _by_id(_context(Period(2025), _comparison_leads(k1, n1, k0, n0)))["M2"]
    assert out.status == status and significance in out.reason
    assert out.value == pytest.approx(k1 / n1) and out.previous == pytest.approx(k0 / n0)


def test_m2_cannot_be_judged_with_too_few_leads_or_a_year_without_leads():
    few = _by_id(_context(Period(2025), _comparison_leads(10, 29, 1, 100)))["M2"]
    assert few.status == okr.UNKNOWN and "för få leads" in few.reason
    none = _by_id(_context(Period(2025), _leads([("2025-04-01", "Webb", 10, 90)])))["M2"]
    assert none.status == okr.UNKNOWN and none.previous is None


def test_m2_year_to_date_compares_the_same_months():
    leads = _leads(
        [("2025-04-01", "Webb", 13, 87), ("2024-04-01", "Webb", 10, 90), ("2024-11-01", "Webb", 0, 100)]
    )  # outside January–August 2024
    out = _by_id(_context(Period(2025, 8), leads))["M2"]
    assert out.previous == pytest.approx(0.10) and out.status == okr.ON_TRACK  # a part year is never uppnått on a rate


# --- personal data ----------------------------------------------------------------------


def test_mask_personal_text_masks_emails_and_phones_only():
    leads = _leads([("2025-04-01", "Webb", 1, 4)])
    leads.loc[0, "kanal"] = "Tips från anna.svensson@example.se"
    leads.loc[1, "kanal"] = "Ring 070-123 45 67"
    leads.loc[2, "arena"] = "+46 19 12 34 56"
    out, masked = marketing.numbers.mask_personal_text(leads)
    assert masked == 3
    text = out.to_string()
    assert "anna.svensson" not in text and "070-123" not in text and "12 34 56" not in text
    assert out.loc[0, "kanal"] == "Tips från [borttaget]"
    assert out["id"].tolist() == leads["id"].tolist() and out.loc[3, "kanal"] == "Webb"


def test_personal_data_text_names_columns_not_values():
    text = marketing.text.personal_data_text(
        ["leads.csv: kolumnen 'e-post' innehåller personuppgifter och lästes inte in"], 2
    )
    assert "'e-post'" in text and "2 textfält" in text


FAKE = {
    "namn": ["Agda Testsson", "Bertil Provberg"],
    "e-post": ["agda.testsson@exempel.invalid", "bertil.provberg@exempel.invalid"],
    "telefon": ["070-987 65 43", "+46 19 555 12 34"],
}
TYPED_EMAIL = "cecilia.fejk@exempel.invalid"


@pytest.mark.e2e
def test_no_personal_data_reaches_any_output(tmp_path):
    from bro_analysis.running.runner import run_periods

    data = tmp_path / "data"
    shutil.copytree(EXAMPLE_DATA_DIR, data)
    path = data / "leads.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    out = [lines[0] + ";namn;e-post;telefon"]
    for i, line in enumerate(lines[1:]):
        j = i % 2
        out.append(f"{line};{FAKE['namn'][j]};{FAKE['e-post'][j]};{FAKE['telefon'][j]}")
    # An e-mail address typed into the free-text column kanal of a 2025 lead.
    row = next(k for k, line in enumerate(out) if line.split(";")[1].startswith("2025-"))
    fields = out[row].split(";")
    fields[2] = f"{fields[2]} {TYPED_EMAIL}"
    out[row] = ";".join(fields)
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    assert len(load_dataset(data).warnings) >= 3

    results = run_periods(
        [Period(2025)],
        data,
        tmp_path / "out",
        notebooks=[NOTEBOOKS_DIR / "30_marknadsforing.ipynb"],
        progress=io.StringIO(),
    )
    assert all(r.ok for r in results), [r.error for r in results]
    files = [p for p in (tmp_path / "out").rglob("*") if p.is_file()]
    assert any(p.suffix == ".html" for p in files) and any(p.suffix == ".ipynb" for p in files)
    secrets = [*FAKE["e-post"], *FAKE["telefon"], *FAKE["namn"], TYPED_EMAIL, "987 65 43", "555 12 34"]
    for p in files:
        text = p.read_text(encoding="utf-8", errors="replace")
        for secret in secrets:
            assert secret not in text, f"{secret} found in {p.name}"
    html = (tmp_path / "out" / "2025" / "30_marknadsforing.html").read_text(encoding="utf-8")
    assert "personuppgifter och lästes inte in" in html and "[borttaget]" in html


# --- cohorts with equal follow-up (conversion dates) ------------------------------------


def _dated(rows):
    """rows: (lead date, stage, conversion date or None)."""
    frame = pd.DataFrame(rows, columns=["datum", "steg", "konverteringsdatum"])
    frame["datum"] = pd.to_datetime(frame["datum"])
    frame["konverteringsdatum"] = pd.to_datetime(frame["konverteringsdatum"])
    frame.insert(0, "id", [f"L-{i:04d}" for i in range(len(frame))])
    frame["kanal"] = "Webb"
    return frame


def test_cohorts_count_conversion_within_the_window_and_leave_young_leads_out():
    """Hand-worked, window 180 days, register ends 2025-12-31:
    2024: 4 leads, converted after 30 and 100 days (count), after 200 days (too late), 1 not: 2 of 4.
    2025: a lead of 2025-03-01 converted after 60 days counts; one of 2025-06-01 not converted counts;
    one of 2025-08-01 (only 152 days of follow-up) is left out: 1 of 2."""
    leads = _dated(
        [
            ("2024-02-01", "konverterad", "2024-03-02"),
            ("2024-03-01", "konverterad", "2024-06-09"),
            ("2024-04-01", "konverterad", "2024-10-18"),
            ("2024-05-01", "lead", None),
            ("2025-03-01", "konverterad", "2025-04-30"),
            ("2025-06-01", "lead", None),
            ("2025-08-01", "kvalificerad", None),
            ("2025-12-31", "lead", None),
        ]
    )
    defs = marketing.numbers.Definitions(
        ("lead", "kvalificerad", "konverterad"), "konverterad", min_leads=1, cohort_days=180
    )
    assert marketing.numbers.has_cohorts(leads, defs) and marketing.numbers.observed_until(leads) == pd.Timestamp(
        "2025-12-31"
    )
    cmp = marketing.numbers.compare(leads, Period(2025), defs)
    assert (cmp.converted, cmp.leads, cmp.previous_converted, cmp.previous_leads) == (1, 2, 2, 4)
    assert cmp.left_out == 2 and cmp.cohort_days == 180  # 2025-08-01 and 2025-12-31
    text = marketing.text.comparison_text(cmp, Period(2025), 0.2)
    assert "inom 180 dagar" in text and "2 leads från periodens sista 180 dagar" in text
    assert "lika lång tid" in marketing.text.window_caveat(Period(2025), defs, leads)


def test_without_conversion_dates_the_bias_is_stated():
    leads = _dated([("2024-02-01", "konverterad", None), ("2025-02-01", "lead", None)])
    defs = marketing.numbers.Definitions(("lead", "konverterad"), "konverterad", min_leads=1)
    assert not marketing.numbers.has_cohorts(leads, defs)
    cmp = marketing.numbers.compare(leads, Period(2025), defs)
    assert cmp.cohort_days is None and cmp.left_out == 0
    assert "snarare underskattad än överskattad" in marketing.text.window_caveat(Period(2025), defs, leads)
