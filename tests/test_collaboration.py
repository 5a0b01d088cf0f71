"""Collaboration key results S3–S5 and the operating contribution, checked by hand."""

from types import SimpleNamespace

import pandas as pd
from fixture_plan import PLAN, context

from bro_analysis.analysis import collaboration, okr
from bro_analysis.core.periods import Period

ALL = tuple(PLAN.members)


def _activities(rows):
    frame = pd.DataFrame(rows, columns=["id", "datum", "typ", "titel", "kommuner", "företag"])
    frame["datum"] = pd.to_datetime(frame["datum"])
    return frame


ACTS = _activities(
    [
        ("A1", "2025-02-01", "samverkansprojekt", "P1", ("1880", "1881"), None),
        ("A2", "2025-06-01", "samverkansprojekt", "P2", ("1884",), None),  # one municipality: not counted
        ("A3", "2025-11-01", "samverkansprojekt", "P3", ("1861", "1862", "1814"), None),
        ("A4", "2024-03-01", "samverkansprojekt", "P0", ("1880", "1881"), None),
        ("A5", "2025-03-01", "workshop", "W1", (), None),
        ("A6", "2025-09-01", "workshop", "W2", (), None),
        ("A7", "2024-05-01", "workshop", "W0", (), None),
        ("A8", "2025-03-01", "utbildning", "U1", (), None),
    ]
)


def _municipalities(year, without=None):
    rows = []
    for code, name in PLAN.members.items():
        rows.append(
            {
                "år": year,
                "kommunkod": code,
                "kommun": name,
                "folkmängd": 10000,
                "insikt": True,
                "syna": code != without,
                "objektvision": True,
                "etableringsberedskap": True,
            }
        )
    return pd.DataFrame(rows)


def test_collaboration_projects_need_two_municipalities():
    projects = collaboration.numbers.collaboration_projects(ACTS, Period(2025))
    assert projects["titel"].tolist() == ["P1", "P2", "P3"]
    assert projects["räknas"].tolist() == [True, False, True]
    ytd = collaboration.numbers.collaboration_projects(ACTS, Period(2025, 8))
    assert ytd["titel"].tolist() == ["P1", "P2"]


def test_tool_use_names_what_is_missing():
    table = collaboration.numbers.tool_use(_municipalities(2025, without="1864"), 2025, PLAN)
    short = table[~table["alla_verktyg"].astype(bool)]
    assert short["kommun"].tolist() == ["Ljusnarsberg"]
    assert short["saknar"].tolist() == ["Syna"]


def test_tool_use_marks_missing_rows_unknown():
    frame = _municipalities(2025).query("kommunkod != '1880'")
    table = collaboration.numbers.tool_use(frame, 2025, PLAN)
    row = table[table["kommun"] == "Örebro"].iloc[0]
    assert row["alla_verktyg"] is None and row["saknar"] == "uppgift saknas"


def test_contribution_is_population_times_ten():
    frame = _municipalities(2025)
    frame.loc[frame["kommunkod"] == "1880", "folkmängd"] = 157_432
    table = collaboration.numbers.contributions(frame, 2025, PLAN)
    assert table.loc[table["kommun"] == "Örebro", "bidrag_kr"].item() == 1_574_320
    assert table["bidrag_kr"].sum() == 1_574_320 + 11 * 100_000


def test_outcomes():
    ds = {"aktiviteter": ACTS, "kommuner": pd.concat([_municipalities(2024), _municipalities(2025, without="1864")])}
    ctx = SimpleNamespace(period=Period(2025), plan=PLAN, dataset=ds, settings={})
    by_id = {o.id: o for o in collaboration.outcomes(ctx)}
    assert (by_id["S3"].value, by_id["S3"].previous, by_id["S3"].status) == (2, 1, okr.NOT_MET)
    assert (by_id["S4"].value, by_id["S4"].previous, by_id["S4"].status) == (11, 12, okr.NOT_MET)
    assert "Ljusnarsberg (Syna)" in by_id["S4"].reason
    assert (by_id["S4"].missing, by_id["S4"].accumulates, by_id["S4"].previous_label) == (
        ("Ljusnarsberg",),
        False,
        "2024",
    )
    assert (by_id["S3"].missing, by_id["S3"].accumulates, by_id["S3"].previous_label) == ((), True, "2024")
    assert (by_id["S5"].value, by_id["S5"].status) == (2, okr.NOT_MET)


def test_outcomes_unknown_without_municipality_rows():
    ds = {"aktiviteter": ACTS, "kommuner": _municipalities(2024)}
    ctx = SimpleNamespace(period=Period(2025), plan=PLAN, dataset=ds, settings={})
    s4 = next(o for o in collaboration.outcomes(ctx) if o.id == "S4")
    assert s4.status == okr.UNKNOWN


def test_display_tables_and_texts():
    projects = collaboration.numbers.collaboration_projects(ACTS, Period(2025))
    table = collaboration.tables.projects_table(projects, PLAN)
    assert table["Kommuner"].tolist()[0] == "Örebro, Kumla"
    text = collaboration.text.projects_text(projects, PLAN.key_result("S3").target)
    assert text.startswith("Under perioden startade 2 samverkansprojekt") and "1 projekt med bara en" in text
    assert "Målet är minst 3 per år." in text
    assert collaboration.text.projects_text(projects, None).startswith(
        "Under perioden startade 2 samverkansprojekt mellan två eller fler kommuner."
    )
    tools = collaboration.numbers.tool_use(_municipalities(2025, without="1864"), 2025, PLAN)
    assert collaboration.text.tools_text(tools, 2025) == (
        "11 av 12 kommuner använde alla tre gemensamma verktyg 2025. Saknas: Ljusnarsberg (Syna)."
    )
    contrib = collaboration.numbers.contributions(_municipalities(2025), 2025, PLAN)
    shown = collaboration.tables.contributions_table(contrib)
    assert shown.iloc[-1].tolist() == ["Totalt", 120_000, 1_200_000]
    assert "totalt 1\u00a0200\u00a0000 kronor från 12 kommuner" in collaboration.text.contributions_text(
        contrib, PLAN, 2025
    )


def test_tools_have_no_forecast_within_the_year_but_one_for_the_plan_end():
    from bro_analysis.analysis import forecast

    part = collaboration.tools_outcome(context("2026-08"), PLAN.key_result("S4"))
    assert not part.forecast.made and part.forecast.how == forecast.ONCE_A_YEAR
    assert part.plan_forecast.year == 2027 and part.plan_forecast.low <= part.plan_forecast.value <= 12
    full = collaboration.tools_outcome(context("2025"), PLAN.key_result("S4"))
    assert full.forecast is None and full.plan_forecast.made
