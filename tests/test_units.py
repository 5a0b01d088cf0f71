"""A count and its unit agree in number: "1 insats", "0 insatser", "2 insatser". The unit is the
plan's (okr.toml `enhet`, plural), its singular okr.toml `enhet_ental` or the vocabulary's list."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from fixture_plan import OKR_TEXT, context

from bro_analysis.analysis import changes, okr, profile, registry
from bro_analysis.analysis import investments as inv
from bro_analysis.core.config import EXAMPLE_DATA_DIR, ConfigError, load_plan
from bro_analysis.presentation.formatting import NBSP
from bro_analysis.presentation.vocabulary import count_text, unit_word

# Written out by hand, not taken from the code's list.
SINGULAR = {
    "insatser": "insats",
    "workshops": "workshop",
    "arenor": "arena",
    "projekt": "projekt",
    "företag": "företag",
}


@pytest.mark.parametrize(
    "count, unit, expected",
    [
        (1, "insatser", "1 insats"),
        (2, "insatser", "2 insatser"),
        (0, "insatser", "0 insatser"),
        (1, "workshops", "1 workshop"),
        (0, "workshops", "0 workshops"),
        (1, "arenor", "1 arena"),
        (1, "projekt", "1 projekt"),
        (1, "företag", "1 företag"),
        (1, "kommuner", "1 kommun"),
        (1234, "insatser", f"1{NBSP}234 insatser"),
        (1, "", "1"),
    ],
)
def test_count_text_is_singular_only_for_one(count, unit, expected):
    assert count_text(count, unit) == expected


def test_the_plans_own_singular_wins_and_an_unknown_unit_stays_plural():
    assert count_text(1, "mässor", "mässa") == "1 mässa"
    assert count_text(3, "mässor", "mässa") == "3 mässor"
    assert count_text(1, "mässor") == "1 mässor"  # neither given nor known: never a made-up word
    assert unit_word(None, "insatser") == "insatser"


def test_enhet_ental_is_read_from_the_plan_and_checked(tmp_path):
    path = tmp_path / "okr.toml"
    path.write_text(OKR_TEXT.replace('enhet = "insatser"', 'enhet = "mässor"\nenhet_ental = "mässa"'), "utf-8")
    kr = next(k for k in load_plan(path).key_results if k.unit == "mässor")
    assert kr.unit_one == "mässa"
    assert count_text(1, kr.unit, kr.unit_one) == "1 mässa"
    wrong = tmp_path / "fel" / "okr.toml"  # another path: load_plan keeps the plans it has read
    wrong.parent.mkdir()
    wrong.write_text(OKR_TEXT.replace('enhet = "insatser"', 'enhet = "insatser"\nenhet_ental = 1'), "utf-8")
    with pytest.raises(ConfigError) as err:
        load_plan(wrong)
    assert "enhet_ental = 1 – ska vara enhetens ental inom citattecken" in str(err.value)


def test_the_committed_plan_names_the_singular_where_it_differs():
    plan = load_plan()
    for kr in plan.key_results:
        if kr.unit in ("insatser", "workshops", "arenor"):
            assert kr.unit_one == SINGULAR[kr.unit], kr.id


def _training(period: str) -> int:
    """Training efforts (aktiviteter.csv, typ "utbildning") in January of the year, counted from the file."""
    act = pd.read_csv(EXAMPLE_DATA_DIR / "aktiviteter.csv", sep=";", encoding="utf-8-sig", parse_dates=["datum"])
    rows = act[(act["typ"] == "utbildning") & (act["datum"].dt.strftime("%Y-%m") == period)]
    return len(rows)


def test_example_data_january_2025_had_one_training_effort_and_page_one_says_insats():
    assert _training("2025-01") == 1  # the case the last check found: "1 insatser"
    ctx = context("2026-01")
    o = inv.training_outcome(ctx, ctx.plan.key_result("I2"))
    assert o.previous_text == "1 insats" and o.value_text == "0 insatser"
    assert okr.previous_cell(o, short=True) == "1 insats (jan 2025)"


@pytest.mark.parametrize("period", ["2025-01", "2026-01", "2026-02", "2026-08", "2025"])
def test_every_count_in_the_outcome_columns_agrees_with_its_number(period):
    ctx = context(period)
    plural_of = {one: many for many, one in SINGULAR.items() if one != many}
    for o in registry.outcomes(ctx):
        for shown in (o.value_text, o.previous_text):
            for number, word in re.findall(r"(?<![\d,])(\d+) ([a-zåäö]+)", shown.replace(NBSP, "")):
                if number == "1":
                    assert word not in SINGULAR or SINGULAR[word] == word, (o.id, shown)
                else:
                    assert word not in plural_of, (o.id, shown)


@pytest.mark.parametrize(
    "taken, sentence",
    [
        (1, "Deltar: deltog i länets enda utbildningsinsats."),
        (0, "Deltar inte: deltog inte i länets enda utbildningsinsats."),
    ],
)
def test_the_kommunblad_says_the_countys_only_effort_not_1_of_1_insatser(taken, sentence):
    # January 2025 of the example data: one training effort in the county (the case found).
    role = "deltar" if taken else "deltar inte"
    part = {"roll": role, "mått": "utbildningsinsatser", "antal": taken, "av": 1, "mål": 6}
    assert profile.text.key_result_part(part, "januari 2025") == sentence
    two = {**part, "antal": 1, "av": 2, "roll": "deltar"}
    assert profile.text.key_result_part(two, "2025") == "Deltar: deltog i 1 av länets 2 utbildningsinsatser."


def test_sedan_forra_rapporten_writes_a_count_of_one_in_the_singular():
    record = {"id": "I2", "utfall": 1, "enhet": "insatser"}
    assert changes.shown(record) == "1 insats"
    assert changes.shown({**record, "utfall": 3}) == "3 insatser"
    assert changes.shown({"id": "I1", "utfall": 1.0, "enhet": "MSEK"}) == "1 MSEK"
