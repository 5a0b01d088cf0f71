"""RUS 2030 context (analysis.rus): the numbers checked against values computed here by
hand, the texts and tables made from them, and the example data's context table."""

import math

import pandas as pd
import pytest

from bro_analysis.analysis import rus
from bro_analysis.analysis.rus import numbers
from bro_analysis.core.config import EXAMPLE_DATA_DIR, load_settings
from bro_analysis.core.settings_schema import RUS_GOALS
from bro_analysis.input.loading import load_table

MEMBERS = {"1880": "Örebro", "1881": "Kumla", "1814": "Lekeberg"}
SETTINGS = {
    "kolada": {
        "län": "0018",
        "kontext": {
            "N00999": {"mål": "fler nya företag med ungt entreprenörskap", "namn": "Nystartade", "källa": "https://a"},
            "N01982": {
                "mål": "talang",
                "namn": "Eftergymnasial",
                "enhet": "andel (%)",
                "decimaler": 1,
                "källa": "https://b",
            },
            "N00926": {
                "mål": "livskraftiga företag med högt kunskapsinnehåll och hög internationaliseringsgrad",
                "namn": "Konkurser",
                "decimaler": 2,
                "källa": "https://c",
            },
        },
    }
}


def _kontext(rows):
    return pd.DataFrame(rows, columns=["år", "kommunkod", "nyckeltal", "värde", "källa"])


def _rows():
    """N00999 2019–2025 for the members, the county and the country; N01982 for the county
    only up to 2023; a row for a KPI and a code not asked for; and one without a value."""
    rows = []
    for year in range(2019, 2026):
        rows += [
            (year, "1880", "N00999", 10.0 + 0.5 * (year - 2019), "Kolada"),
            (year, "1881", "N00999", 8.0 - 0.1 * (year - 2019), "Kolada"),
            (year, "1814", "N00999", 6.0, "Kolada"),
            (year, "0018", "N00999", 9.0 + 0.2 * (year - 2019), "Kolada"),
            (year, "0000", "N00999", 11.0, "Kolada"),
            (year, "0180", "N00999", 99.0, "Kolada"),  # Stockholm is not BRO's: left out
            (year, "1880", "N77777", 1.0, "Kolada"),  # not in the settings: left out
        ]
    rows += [(y, "0018", "N01982", 40.0 + y - 2019, "Kolada") for y in range(2019, 2024)]
    rows += [(2024, "1814", "N01982", math.nan, "Kolada")]  # no value: a gap, never 0
    return _kontext(rows)


def test_indicators_follow_the_goals_order_and_fill_defaults():
    table = numbers.indicators(SETTINGS)
    assert table["nyckeltal"].tolist() == ["N00926", "N00999", "N01982"]  # goal 2, goal 4, talent
    assert table.set_index("nyckeltal").loc["N00999", "decimaler"] == 1
    assert table.set_index("nyckeltal").loc["N00999", "enhet"] == ""
    assert numbers.goals_without_indicator(SETTINGS) == [RUS_GOALS[0], RUS_GOALS[2], RUS_GOALS[4]]


def test_series_keeps_the_members_county_and_country_of_the_settings_kpis():
    values = numbers.series(_rows(), SETTINGS, MEMBERS)
    assert set(values["kommunkod"]) == {"1880", "1881", "1814", "0018", "0000"}
    assert set(values["nyckeltal"]) == {"N00999", "N01982"}
    assert values["värde"].notna().all()
    assert len(values) == 7 * 5 + 5
    county = values[values["kommunkod"] == "0018"]
    assert set(county["namn"]) == {"Örebro län"} and set(county["nivå"]) == {"län"}
    assert set(values.loc[values["kommunkod"] == "0000", "namn"]) == {"Riket"}


@pytest.mark.parametrize(
    ("years", "latest", "start", "expected"),
    [
        ([2019, 2020, 2021, 2022, 2023, 2024, 2025], 2025, 2026, 2020),  # before the plan: five years back
        ([2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026, 2027], 2027, 2026, 2025),  # the year before the plan
        ([2026, 2027], 2027, 2026, 2026),  # nothing before the plan: the earliest year
        ([2015, 2025], 2025, 2026, 2015),  # nothing within five years: the latest earlier one
        ([2025], 2025, 2026, None),
    ],
)
def test_comparison_year(years, latest, start, expected):
    assert numbers.comparison_year(years, latest, start) == expected


def test_summary_against_hand_computed_values():
    values = numbers.series(_rows(), SETTINGS, MEMBERS)
    table = numbers.summary(values, numbers.indicators(SETTINGS), 2025, 2026).set_index("nyckeltal")
    n = table.loc["N00999"]
    # latest year 2025; county 9,0 + 0,2·6 = 10,2; Örebro 10 + 0,5·6 = 13,0; Kumla 8 − 0,6 = 7,4; Lekeberg 6
    assert n["år"] == 2025
    assert n["län"] == pytest.approx(10.2) and n["riket"] == pytest.approx(11.0)
    assert n["kommun_lägst"] == pytest.approx(6.0) and n["lägst_namn"] == "Lekeberg"
    assert n["kommun_högst"] == pytest.approx(13.0) and n["högst_namn"] == "Örebro"
    assert n["antal_kommuner"] == 3
    # the plan starts 2026, so the comparison is five years back: 2020, county 9,2
    assert n["jämförelseår"] == 2020 and n["län_jämförelse"] == pytest.approx(9.2)
    assert n["förändring"] == pytest.approx(1.0) and n["riktning"] == "ökat"
    e = table.loc["N01982"]
    # the county's latest value is 2023 (40 + 4 = 44,0) and 2019 is within five years (40,0)
    assert e["år"] == 2023 and e["län"] == pytest.approx(44.0) and pd.isna(e["riket"])
    assert e["antal_kommuner"] == 0 and e["jämförelseår"] == 2019 and e["förändring"] == pytest.approx(4.0)
    k = table.loc["N00926"]  # in the settings, not in the table: a row of gaps
    assert pd.isna(k["år"]) and pd.isna(k["län"]) and pd.isna(k["riktning"])


def test_summary_for_an_earlier_period_and_in_the_plan():
    values = numbers.series(_rows(), SETTINGS, MEMBERS)
    early = numbers.summary(values, numbers.indicators(SETTINGS), 2019, 2026).set_index("nyckeltal")
    assert early.loc["N00999", "år"] == 2019 and pd.isna(early.loc["N00999", "förändring"])
    sentence = rus.text.indicator_sentence(early.loc["N00999"])  # one year: no direction to tell
    assert "länet 9,0 år 2019" in sentence and "sedan" not in sentence
    assert rus.text.change_text(early.loc["N00999"]) == "–"
    later = numbers.series(
        pd.concat([_rows(), _kontext([(2026, "0018", "N00999", 10.2, "Kolada")])]), SETTINGS, MEMBERS
    )
    table = numbers.summary(later, numbers.indicators(SETTINGS), 2026, 2026).set_index("nyckeltal")
    # 2026 is in the plan: compared with 2025, the year before it began; 10,2 − 10,2 rounds to 0
    assert table.loc["N00999", "jämförelseår"] == 2025
    assert table.loc["N00999", "riktning"] == "oförändrat"


def test_direction_rounds_at_the_kpis_decimals():
    assert numbers.direction(0.04, 1) == "oförändrat"
    assert numbers.direction(0.04, 2) == "ökat"
    assert numbers.direction(-0.3, 1) == "minskat"
    assert numbers.direction(None, 1) is None
    assert numbers.direction(math.nan, 1) is None


def test_wide_and_level_series():
    values = numbers.series(_rows(), SETTINGS, MEMBERS)
    wide = numbers.wide(values, "N00999", "kommun")
    assert list(wide.columns) == ["Kumla", "Lekeberg", "Örebro"] and list(wide.index) == list(range(2019, 2026))
    assert wide.loc[2021, "Örebro"] == pytest.approx(11.0)
    county = numbers.level_series(values, "N00999", "län")
    assert county.loc[2022] == pytest.approx(9.6)


def test_texts_and_tables():
    values = numbers.series(_rows(), SETTINGS, MEMBERS)
    table = numbers.summary(values, numbers.indicators(SETTINGS), 2025, 2026)
    row = table.set_index("nyckeltal").loc["N00999"].copy()
    row["nyckeltal"] = "N00999"
    sentence = rus.text.indicator_sentence(row)
    assert "länet 10,2 år 2025" in sentence and "riket 11,0" in sentence
    assert "från 6,0 (Lekeberg) till 13,0 (Örebro)" in sentence
    assert "har ökat med 1,0 sedan 2020" in sentence
    shown = rus.tables.goal_table(table[table["nyckeltal"] == "N00999"])
    assert shown.iloc[0].tolist() == ["Nystartade", "2025", "10,2", "11,0", "6,0–13,0", "+1,0 sedan 2020 (ökat)"]
    gaps = rus.tables.goal_table(table[table["nyckeltal"] == "N00926"])
    assert gaps.iloc[0].tolist() == ["Konkurser", "–", "–", "–", "–", "–"]
    text = rus.text.no_indicator_text([RUS_GOALS[0], RUS_GOALS[2]])
    assert "”Fler arbetsställen och företag” och ”Attraktionskraft" in text and "inte hittat något nyckeltal" in text
    assert rus.text.no_indicator_text([]) == ""
    assert "N77777" in rus.text.unknown_kpis_text(_rows(), {"N00999", "N01982"})
    sources = rus.tables.sources_table(numbers.indicators(SETTINGS))
    assert sources["Mål"].tolist()[-1] == "Talang"


def test_area_shape_no_key_results():
    assert rus.METRICS == {}
    assert rus.outcomes(None) == []


def test_figure_draws_from_the_example_data():
    from matplotlib.figure import Figure

    kontext, _ = load_table(EXAMPLE_DATA_DIR / "kontext.csv", "kontext")
    settings = load_settings()
    from bro_analysis.core.config import load_plan

    values = numbers.series(kontext, settings, load_plan().members)
    fig = rus.figures.indicator_years(
        numbers.wide(values, "N00999", "kommun"),
        numbers.level_series(values, "N00999", "län"),
        numbers.level_series(values, "N00999", "riket"),
        "antal",
        1,
        2024,
    )
    assert isinstance(fig, Figure)
    assert len(fig.axes[0].lines) >= 12 + 2


def test_example_context_table_covers_the_settings_kpis_members_county_and_country():
    from bro_analysis.core.config import load_plan

    kontext, _ = load_table(EXAMPLE_DATA_DIR / "kontext.csv", "kontext")
    plan = load_plan()
    assert set(kontext["nyckeltal"]) == set(numbers.indicators(load_settings())["nyckeltal"])
    assert set(kontext["kommunkod"]) == {*plan.members, "0018", "0000"}
    assert kontext["källa"].str.contains("Exempeldata").all()
    # the county is the members' population-weighted mean, so it lies within their range
    for (kpi, year), group in kontext.groupby(["nyckeltal", "år"]):
        members = group[group["kommunkod"].isin(plan.members)]["värde"]
        county = group.loc[group["kommunkod"] == "0018", "värde"].iloc[0]
        assert members.min() <= county <= members.max(), (kpi, year)
