"""Coverage per category (settings.toml [täckning]): before the day a register records a
category, a count over it is "kan inte bedömas" with the category and the day, never 0;
a period that ends after that day has its real count. Expectations counted from the CSV."""

import csv
import datetime
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from bro_analysis.analysis import collaboration, coverage, investments, marketing, okr
from bro_analysis.analysis.context import open_context
from bro_analysis.core.config import ConfigError, check_settings
from bro_analysis.core.periods import Period
from bro_analysis.running import cli

EXAMPLE = Path(__file__).parents[1] / "data" / "example"
INTRODUCED = datetime.date(2026, 3, 1)


def _rows_of_type(kind: str, first: str, last: str) -> int:
    """Rows of aktiviteter.csv of one type dated first–last, read with the csv module."""
    with open(EXAMPLE / "aktiviteter.csv", encoding="utf-8-sig", newline="") as f:
        return sum(1 for r in csv.DictReader(f, delimiter=";") if r["typ"] == kind and first <= r["datum"] <= last)


def _ctx(period: str, kind: str | None):
    """The example data for `period`, with [täckning] dating `kind` from 2026-03-01 (None: no dates)."""
    ctx = open_context(period, EXAMPLE)
    dated = {"aktiviteter": {"typ": {kind: INTRODUCED}}} if kind else {}
    return replace(ctx, settings={**ctx.settings, "täckning": dated})


@pytest.mark.parametrize(
    ("area", "metric", "kind"),
    [
        (investments, "utbildningsinsatser", "utbildning"),
        (collaboration, "workshops", "workshop"),
        (marketing, "kommuner_med_marknadsföringsstöd", "marknadsföringsstöd"),
    ],
)
def test_a_category_introduced_later_is_not_assessable_before_it(area, metric, kind):
    ctx = _ctx("2025", kind)
    kr = ctx.plan.by_metric(metric)
    assert _rows_of_type(kind, "2025-01-01", "2025-12-31") > 0  # the register has rows: without the date, a count
    out = area.METRICS[metric](ctx, kr)
    assert (out.status, out.value, out.value_text) == (okr.UNKNOWN, None, "–")
    assert out.reason == f"aktivitetsregistret för typen {kind} först från 2026-03-01 och täcker inte 2025"
    undated = area.METRICS[metric](_ctx("2025", None), kr)
    assert undated.status != okr.UNKNOWN and undated.value is not None


def test_a_period_ending_after_the_day_has_the_real_count():
    ctx = _ctx("2026-08", "utbildning")
    out = investments.training_outcome(ctx, ctx.plan.by_metric("utbildningsinsatser"))
    assert out.value == _rows_of_type("utbildning", "2026-01-01", "2026-08-31")
    # the same months a year earlier are before the day: no previous value, not a 0
    assert out.previous is None and out.previous_text == "–"
    # and no seasonal history before the first full year the type is recorded (2027)
    assert "ingen säsongsprognos" in out.reason


def test_collaboration_text_says_a_count_cannot_be_assessed():
    ctx = _ctx("2025", "samverkansprojekt")
    why = okr.uncovered(collaboration.activities_register(ctx, "samverkansprojekt"), ctx.period)
    projects = collaboration.numbers.collaboration_projects(ctx.dataset["aktiviteter"], ctx.period)
    text = collaboration.text.projects_text(projects, 3, why)
    assert "kan inte bedömas" in text and "2026-03-01" in text and "startade" not in text


def test_a_table_of_counts_per_category_is_emptied_before_the_day():
    frame = pd.DataFrame({"typ": ["workshop", "utbildning"], "antal": [4, 0]})
    first = {"utbildning": pd.Timestamp("2026-03-01")}
    before = coverage.mask(frame, "typ", ["antal"], first, Period(2025))
    assert before["antal"].tolist()[0] == 4 and pd.isna(before["antal"].tolist()[1])
    after = coverage.mask(frame, "typ", ["antal"], first, Period(2026, 8))
    assert after["antal"].tolist() == [4, 0]


def test_settings_name_a_misspelt_category_and_a_quoted_date(tmp_path):
    text = (Path(__file__).parents[1] / "data" / "settings.toml").read_text(encoding="utf-8")
    path = tmp_path / "settings.toml"
    path.write_text(
        text + '\n["täckning".aktiviteter.typ]\n"workshopp" = 2026-03-01\nutbildning = "2026-03-01"\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        check_settings(path, cli._vocabularies(), 12)
    message = str(caught.value)
    assert "[täckning.aktiviteter.typ] workshopp = 2026-03-01 – är inget värde i aktiviteter.typ" in message
    assert "menade du workshop?" in message
    assert '[täckning.aktiviteter.typ] utbildning = "2026-03-01" – ska vara ett datum utan citattecken' in message
    path.write_text(text + '\n["täckning".aktiviteter.typ]\nutbildning = 2026-03-01\n', encoding="utf-8")
    dated = check_settings(path, cli._vocabularies(), 12)["täckning"]
    assert dated == {"aktiviteter": {"typ": {"utbildning": INTRODUCED}}}


def test_a_target_area_recorded_later_has_no_numbers_in_the_area_table():
    ctx = _ctx("2025", None)
    inv, plan = ctx.dataset["investeringar"], ctx.plan
    area = plan.priority_areas[0]
    first = {area: pd.Timestamp(INTRODUCED)}
    shown = investments.tables.target_area_table(
        investments.numbers.by_target_area(inv, ctx.period, plan.priority_areas, plan.other_areas, first)
    )
    row = shown[shown["Målområde"].str.startswith(area)].iloc[0]
    assert row["Målområde"] == f"{area} (prioriterat) – kan inte bedömas, förs från 2026-03-01"
    assert pd.isna(row["Beslutade projekt"]) and pd.isna(row["Värde, MSEK"])
    # counted from the CSV: the other areas keep their numbers
    other = plan.priority_areas[1]
    with open(EXAMPLE / "investeringar.csv", encoding="utf-8-sig", newline="") as f:
        decided = sum(
            1
            for r in csv.DictReader(f, delimiter=";")
            if r["målområde"] == other and r["skede"] in ("beslut", "etablerad") and r["beslutsdatum"][:4] == "2025"
        )
    assert shown[shown["Målområde"].str.startswith(other)].iloc[0]["Beslutade projekt"] == decided
    later = investments.numbers.by_target_area(inv, Period(2026, 8), plan.priority_areas, plan.other_areas, first)
    assert later.loc[later["målområde"] == area, "förs_från"].isna().all()


def test_marketing_support_text_and_table_say_it_cannot_be_assessed():
    ctx = _ctx("2025", "marknadsföringsstöd")
    why = okr.uncovered(marketing.support_register(ctx), ctx.period)
    table = marketing.numbers.supported_municipalities(ctx.dataset["aktiviteter"], ctx.period, ctx.plan.members)
    assert marketing.text.support_text(table, ctx.period, why) == (
        "Marknadsföringsstödet kan inte bedömas: aktivitetsregistret för typen marknadsföringsstöd "
        "först från 2026-03-01 och täcker inte 2025."
    )
    shown = marketing.tables.support_table(table, why)
    assert shown["Fått stöd"].eq("kan inte bedömas").all() and shown["Insatser med marknadsföringsstöd"].isna().all()


def test_the_kommunblad_says_which_activity_counts_cannot_be_assessed():
    from bro_analysis.analysis import profile

    ctx = _ctx("2025", "marknadsföringsstöd")
    gaps = profile.numbers.uncovered(ctx)
    assert gaps["aktiviteter"] is None and "marknadsföringsstöd" in gaps["marknadsföringsstöd"]
    row = (
        profile.numbers.since_previous(ctx, "1880", "Örebro").set_index("mått").loc["Insatser med marknadsföringsstöd"]
    )
    assert pd.isna(row["nu"]) and pd.isna(row["före"])  # missing, never 0
    later = profile.numbers.uncovered(_ctx("2026-08", "marknadsföringsstöd"))
    assert later["marknadsföringsstöd"] is None


def test_investment_activity_texts_say_it_cannot_be_assessed():
    ctx = _ctx("2025", "utbildning")
    why = okr.uncovered(investments.activities_register(ctx, "utbildning"), ctx.period)
    assert investments.text.training_text(0, 6, "2025", why) == (
        "Antalet utbildningsinsatser kan inte bedömas: aktivitetsregistret för typen utbildning "
        "först från 2026-03-01 och täcker inte 2025."
    )
    assert okr.uncovered(investments.activities_register(ctx, "företagsdialog"), ctx.period) is None
