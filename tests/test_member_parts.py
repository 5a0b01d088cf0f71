"""A member's part in a key result comes from the area package that computes it
(about.MEMBER_PARTS, built from analysis.member_parts): the shared helpers agree with counts
made straight from the example CSV, and a copied area package with a mått of its own gets
its kommunblad line with no change to profile/. Expectations are counted with the csv module."""

from __future__ import annotations

import csv
import datetime
import filecmp
import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import fixture_plan
import pytest

from bro_analysis.analysis import member_parts, profile, registry
from bro_analysis.analysis.context import open_context
from bro_analysis.core.config import DATA_DIR, EXAMPLE_DATA_DIR, PROJECT_ROOT

CSV = EXAMPLE_DATA_DIR / "aktiviteter.csv"


def _activities(kind: str, year: int) -> list[list[str]]:
    """The municipalities (names) of each activity of one type dated in `year`, from the CSV."""
    with open(CSV, encoding="utf-8-sig", newline="") as f:
        rows = [r for r in csv.DictReader(f, delimiter=";") if r["typ"] == kind and r["datum"].startswith(str(year))]
    return [[n.strip() for n in r["kommuner"].split(";") if n.strip()] for r in rows]


def _took_part(name: str, activities: list[list[str]]) -> int:
    """How many of the activities name the municipality, or 'alla' (every member)."""
    return sum(name in names or names == ["alla"] for names in activities)


@pytest.fixture(scope="module")
def ctx():
    return fixture_plan.context("2025")


def test_activities_of_a_type_are_the_csvs_rows_of_the_period(ctx):
    for kind in ("workshop", "utbildning", "samverkansprojekt"):
        assert len(member_parts.activities_of(ctx, kind)) == len(_activities(kind, 2025)) > 0, kind


@pytest.mark.parametrize("kind", ["workshop", "utbildning"])
def test_an_activity_count_part_is_how_many_the_member_took_part_in(ctx, kind):
    rows = _activities(kind, 2025)
    part = member_parts.activity_count_part(kind)
    roles = set()
    for code, name in ctx.plan.members.items():
        took_part = _took_part(name, rows)
        got = part(ctx, None, None, code, name)
        assert got == {"antal": took_part, "av": len(rows), "roll": "deltar" if took_part else "deltar inte"}, name
        roles.add(got["roll"])
    assert "deltar" in roles  # the example has members that took part


def test_rows_picks_what_counts(ctx):
    """S3's projects count only with two or more members: the `rows` the package passes."""
    counted = [names for names in _activities("samverkansprojekt", 2025) if len(names) >= 2]
    owner = next(area for area in registry.AREAS if "samverkansprojekt" in area.METRICS)  # computes S3
    part = owner.about.MEMBER_PARTS["samverkansprojekt"]
    got = part(ctx, None, None, "1863", "Hällefors")
    assert (got["antal"], got["av"]) == (_took_part("Hällefors", counted), len(counted))


def test_a_type_the_register_does_not_cover_cannot_be_judged():
    ctx = open_context("2025", EXAMPLE_DATA_DIR)
    dated = replace(
        ctx, settings={**ctx.settings, "täckning": {"aktiviteter": {"typ": {"utbildning": datetime.date(2026, 3, 1)}}}}
    )
    assert member_parts.activity_gap(dated, ["utbildning"]) == (
        "aktivitetsregistret för typen utbildning först från 2026-03-01 och täcker inte 2025"
    )
    assert member_parts.activity_count_part("utbildning")(dated, None, None, "1880", "Örebro") == {
        "roll": "kan inte bedömas"
    }
    assert member_parts.activity_gap(dated, ["workshop"]) is None
    assert member_parts.activity_count_part("workshop")(dated, None, None, "1880", "Örebro")["roll"] != (
        "kan inte bedömas"
    )


def test_every_member_part_follows_the_outcomes_missing_members():
    outcome = SimpleNamespace(value=11, missing=("Hällefors",))
    assert member_parts.every_member_part(None, None, outcome, "1863", "Hällefors") == {"roll": "håller tillbaka"}
    assert member_parts.every_member_part(None, None, outcome, "1880", "Örebro") == {"roll": "bidrar"}
    unknown = SimpleNamespace(value=None, missing=())
    assert member_parts.every_member_part(None, None, unknown, "1880", "Örebro") == {"roll": "kan inte bedömas"}


def test_profile_has_no_branch_per_metric():
    source = Path(profile.numbers.__file__).read_text(encoding="utf-8")
    body = source[source.index("def key_result_parts") : source.index("def report_href")]
    for metric in registry.METRICS:
        assert f'"{metric}"' not in body, metric


# --- a copied area package brings its kommunblad line ------------------------------------------

NEW_KR = (
    fixture_plan.NEW_AREA_OKR
    + """
[[nyckelresultat]]
id = "K1"
"område" = "Kompetensförsörjning"
text = "Minst {mål} kompetensinsatser tillsammans med företagen per år"
kort = "Kompetensinsatser"
"mått" = "kompetensinsatser"
typ = "minst"
"mål" = 6
enhet = "insatser"
"""
)

# What the successor writes in the copy: an outcome for the new mått, and in about.py its part
# (a count of trainings the member took part in) and the word for what is counted.
NEW_OUTCOME = """

def skills_outcome(ctx, kr):
    acts = ctx.dataset["aktiviteter"]
    register = activities_register(ctx, "utbildning")
    return okr.count_outcome(ctx, kr, register, lambda p: len(activities_in(acts, "utbildning", p)))


METRICS = {"kompetensinsatser": skills_outcome}
"""
NEW_PARTS = """

MEMBER_PARTS = {"kompetensinsatser": activity_count_part("utbildning")}
MEMBER_LINES = {}
MEMBER_COUNTS = {"kompetensinsatser": "kompetensinsatser"}
"""

SHOW = """
import json, sys
from bro_analysis.analysis import overview, profile
from bro_analysis.analysis.context import open_context
ctx = open_context("2025", sys.argv[1])
results = overview.outcomes(ctx)
lines = {}
for code, name in ctx.plan.members.items():
    table = profile.tables.key_results_table(profile.numbers.key_result_parts(ctx, code, name, results), "2025")
    lines[name] = dict(zip(table["Nyckelresultat"], table["Kommunen"]))
print(json.dumps({"profile": profile.__file__, "lines": lines}, ensure_ascii=False))
"""


def test_a_copied_area_with_a_new_metric_gets_its_kommunblad_line(tmp_path):
    root = tmp_path / "project"
    shutil.copytree(PROJECT_ROOT / "bro_analysis", root / "bro_analysis", ignore=shutil.ignore_patterns("__pycache__"))
    package = root / "bro_analysis" / "analysis"
    copied = shutil.copytree(package / "collaboration", package / "competence")
    with (copied / "__init__.py").open("a", encoding="utf-8") as init:
        init.write(NEW_OUTCOME)
    with (copied / "about.py").open("a", encoding="utf-8") as about:
        about.write(NEW_PARTS)
    work = tmp_path / "work"
    work.mkdir()
    (work / "okr.toml").write_text(fixture_plan.OKR_TEXT + NEW_KR, encoding="utf-8")
    shutil.copy(DATA_DIR / "settings.toml", work / "settings.toml")
    env = {**os.environ, "PYTHONPATH": str(root), "BRO_ARBETSMAPP": str(work)}
    done = subprocess.run(
        [sys.executable, "-c", SHOW, str(EXAMPLE_DATA_DIR)], cwd=root, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    shown = json.loads(done.stdout)
    assert Path(shown["profile"]).is_relative_to(root)  # the copy's package, with profile/ as it was
    same = filecmp.dircmp(PROJECT_ROOT / "bro_analysis/analysis/profile", package / "profile", ignore=["__pycache__"])
    assert not same.diff_files and not same.left_only and not same.right_only
    trainings = _activities("utbildning", 2025)
    assert len(trainings) > 0
    assert set(shown["lines"]) == set(fixture_plan.PLAN.members.values())
    for name, lines in shown["lines"].items():
        took_part = _took_part(name, trainings)
        expected = (
            f"Deltar: deltog i {took_part} av länets {len(trainings)} kompetensinsatser."
            if took_part
            else f"Deltar inte: deltog inte i någon av länets {len(trainings)} kompetensinsatser."
        )
        assert lines["K1 Kompetensinsatser"] == expected, name
        assert list(lines)[-1] == "K1 Kompetensinsatser"  # in the plan's order
